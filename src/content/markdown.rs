//! Markdown bodies: HTML for each audience, sections and checklist progress.
//!
//! The body is internal by default; a section is external when its heading
//! has the class `.external` (SPEC §3.2). External HTML is rendered from the
//! external sections' source text alone, so nothing from an internal section
//! (not even a link reference definition or a footnote) can leak into it.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use super::public;

/// A heading-delimited part of a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Heading text.
    pub title: String,
    /// Anchor id of the heading.
    pub anchor: String,
    /// Heading level, 1–6.
    pub level: u8,
    /// Published on the external site.
    pub external: bool,
    /// Task-list items directly in this section.
    pub tasks_total: u32,
    /// Checked task-list items directly in this section.
    pub tasks_done: u32,
}

/// A rendered body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Body {
    /// The whole body, for the internal site.
    pub internal_html: String,
    /// Only the `.external` sections, for the external site.
    pub external_html: String,
    /// Everything except the `.external` sections; filled by
    /// [`render_with_internal_only`] only (the internal home page intro).
    pub internal_only_html: String,
    /// Every section, in order.
    pub sections: Vec<Section>,
    /// Task-list items in the whole body.
    pub tasks_total: u32,
    /// Checked task-list items in the whole body.
    pub tasks_done: u32,
    /// The first placeholder line in the `.external` sections: its line
    /// within the body (1-based) and its text.
    pub external_placeholder: Option<(u64, String)>,
    /// The file line the body starts on (set by the loader; 1 when unknown).
    pub first_line: u64,
}

impl Body {
    /// True when at least one section is published externally.
    pub fn has_external(&self) -> bool {
        !self.external_html.trim().is_empty()
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

struct OpenSection {
    level: HeadingLevel,
    external: bool,
    /// Marked `.internal`, here or further out: no
    /// heading below it can publish anything.
    held: bool,
}

/// Whether a heading publishes its section, from its marker and the
/// sections around it (SPEC §3.2, §5.1): `.internal` wins over `.external`,
/// an escaped `\{.external}` is no marker, a heading below an `.internal`
/// one stays internal, and an unmarked heading belongs to the section it is
/// in. (A heading inside an HTML comment opens no section at all.)
fn open_section(
    stack: &[OpenSection],
    level: HeadingLevel,
    classes: &[CowStr],
    escaped: bool,
) -> OpenSection {
    let has = |c: &str| !escaped && classes.iter().any(|x| x.as_ref() == c);
    let parent = stack.last();
    let held = has("internal") || parent.is_some_and(|s| s.held);
    let external = !held && (has("external") || parent.is_some_and(|s| s.external));
    OpenSection {
        level,
        external,
        held,
    }
}

/// Renders `markdown` into both audiences' HTML and its section outline.
pub fn render(markdown: &str) -> Body {
    render_body(markdown, false)
}

/// Like [`render`], and also fills [`Body::internal_only_html`] (the home page needs it).
pub fn render_with_internal_only(markdown: &str) -> Body {
    render_body(markdown, true)
}

/// What a body's headings and task lists say, read in one pass.
struct Outline {
    sections: Vec<Section>,
    /// Source ranges of the external sections.
    external_ranges: Vec<Range<usize>>,
    tasks_total: u32,
    tasks_done: u32,
}

/// Reads the sections (giving each heading its anchor), which source ranges
/// are external, and the task counts, from the events of a body `len` bytes
/// long; a heading inside one of the `comments` regions opens no section.
fn outline(events: &mut [(Event, Range<usize>)], len: usize, comments: &[Range<usize>]) -> Outline {
    let mut used_anchors = Anchors::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut stack: Vec<OpenSection> = Vec::new();
    let mut external_ranges: Vec<Range<usize>> = Vec::new();
    let mut current_external_start: Option<usize> = None;
    let (mut tasks_total, mut tasks_done) = (0, 0);

    for i in 0..events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                let level = *level;
                let start = events[i].1.start;
                if public::inside(comments, start) {
                    // Commented out: in the outline, but no section boundary.
                    let entry = outline_entry(events, i, level, false, &mut used_anchors);
                    sections.push(entry);
                    continue;
                }
                while stack.last().is_some_and(|s| s.level >= level) {
                    stack.pop();
                }
                // pulldown-cmark reads `{…}` even after a backslash, leaving
                // the backslash at the end of the text.
                let escaped = heading_text(&events[i + 1..]).ends_with('\\');
                let section = open_section(&stack, level, classes, escaped);
                let external = section.external;
                // Close or open the external source range at this heading.
                match (current_external_start, external) {
                    (Some(s), false) => {
                        external_ranges.push(s..start);
                        current_external_start = None;
                    }
                    (None, true) => current_external_start = Some(start),
                    _ => {}
                }
                stack.push(section);
                let entry = outline_entry(events, i, level, external, &mut used_anchors);
                sections.push(entry);
            }
            Event::TaskListMarker(done) => {
                tasks_total += 1;
                tasks_done += u32::from(*done);
                if let Some(s) = sections.last_mut() {
                    s.tasks_total += 1;
                    s.tasks_done += u32::from(*done);
                }
            }
            _ => {}
        }
    }
    if let Some(s) = current_external_start {
        external_ranges.push(s..len);
    }
    Outline {
        sections,
        external_ranges,
        tasks_total,
        tasks_done,
    }
}

fn render_body(markdown: &str, with_internal_only: bool) -> Body {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let comments = public::comment_regions(markdown, &events);
    let Outline {
        sections,
        external_ranges,
        tasks_total,
        tasks_done,
    } = outline(&mut events, markdown.len(), &comments);

    // The first placeholder in an external section, with its line in the body.
    let external_placeholder = external_ranges.iter().find_map(|r| {
        let (line, text) = super::placeholder::first_line(&markdown[r.clone()])?;
        let before = markdown[..r.start].matches('\n').count() as u64;
        Some((before + line, text))
    });

    let mut internal_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(
        &mut internal_html,
        for_html(events.into_iter().map(|(e, _)| e)),
    );
    let internal_only_html = if with_internal_only {
        render_ranges(markdown, &complement(&external_ranges, markdown.len()))
    } else {
        String::new()
    };
    Body {
        internal_html,
        external_html: render_external(markdown, &external_ranges, &comments),
        internal_only_html,
        sections,
        tasks_total,
        tasks_done,
        external_placeholder,
        first_line: 1,
    }
}

/// The outline entry of the heading starting at `events[i]`, which gets its anchor.
fn outline_entry(
    events: &mut [(Event, Range<usize>)],
    i: usize,
    level: HeadingLevel,
    external: bool,
    used: &mut Anchors,
) -> Section {
    let title = heading_text(&events[i + 1..]);
    let anchor = assign_anchor(&mut events[i].0, &title, used);
    Section {
        title,
        anchor,
        level: level as u8,
        external,
        tasks_total: 0,
        tasks_done: 0,
    }
}

/// The parts of `0..len` not covered by the sorted, disjoint `ranges`.
fn complement(ranges: &[Range<usize>], len: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start > at {
            out.push(at..r.start);
        }
        at = r.end;
    }
    if at < len {
        out.push(at..len);
    }
    out
}

/// Renders only `ranges` of the source, each parsed on its own.
fn render_ranges(markdown: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut used_anchors = Anchors::new();
    for range in ranges {
        let events = Parser::new_ext(&markdown[range.clone()], options()).collect();
        push_with_anchors(&mut out, events, &mut used_anchors);
    }
    out
}

/// Renders the external `ranges`, each parsed on its own without the
/// `comments` regions, through [`public::public_events`].
fn render_external(markdown: &str, ranges: &[Range<usize>], comments: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut used_anchors = Anchors::new();
    for range in ranges {
        let source = public::excise(markdown, range.clone(), comments);
        let events = public::public_events(Parser::new_ext(&source, options()));
        push_with_anchors(&mut out, events, &mut used_anchors);
    }
    out
}

fn push_with_anchors(out: &mut String, mut events: Vec<Event>, used: &mut Anchors) {
    for i in 0..events.len() {
        if matches!(events[i], Event::Start(Tag::Heading { .. })) {
            let title = heading_text_plain(&events[i + 1..]);
            assign_anchor(&mut events[i], &title, used);
        }
    }
    html::push_html(out, for_html(events.into_iter()));
}

/// The events as written to HTML: task markers labelled, and each table in
/// a `table-wrap` box that scrolls on its own, so a wide table in the notes
/// does not make the whole page scroll sideways on a phone.
fn for_html<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    const OPEN: &str = "<div class=\"table-wrap\">";
    events
        .flat_map(|e| match e {
            Event::Start(Tag::Table(_)) => [Some(Event::Html(CowStr::Borrowed(OPEN))), Some(e)],
            Event::End(TagEnd::Table) => [Some(e), Some(Event::Html(CowStr::Borrowed("</div>\n")))],
            other => [Some(label_task_marker(other)), None],
        })
        .flatten()
}

/// A task-list checkbox with an accessible name: pulldown-cmark's bare
/// `<input type="checkbox">` is a form control without a label (axe `label`).
fn label_task_marker(event: Event) -> Event {
    match event {
        Event::TaskListMarker(done) => Event::InlineHtml(CowStr::Borrowed(if done {
            r#"<input disabled="" type="checkbox" checked="" aria-label="Done">"#
        } else {
            r#"<input disabled="" type="checkbox" aria-label="To do">"#
        })),
        other => other,
    }
}

fn heading_text(events: &[(Event, Range<usize>)]) -> String {
    // Lazily: collecting every later event first made each heading cost
    // the rest of the body (quadratic in the number of headings).
    collect_text(events.iter().map(|(e, _)| e))
}

fn heading_text_plain(events: &[Event]) -> String {
    collect_text(events.iter())
}

fn collect_text<'a, 'b: 'a>(events: impl Iterator<Item = &'a Event<'b>>) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Gives a heading an id (its own `{#id}` or a slug of its text), unique in the body.
fn assign_anchor(event: &mut Event, title: &str, used: &mut Anchors) -> String {
    let Event::Start(Tag::Heading { id, .. }) = event else {
        return String::new();
    };
    let base = match id {
        Some(given) => given.to_string(),
        None => {
            let s = slug::slugify(title);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        }
    };
    let mut anchor = base.clone();
    if used.contains_key(&anchor) {
        // Counting on from the last suffix this base got keeps a body of
        // thousands of equal headings linear (it was quadratic: a 3.5 MB
        // body of `## a` headings took minutes).
        let mut n = used[&base];
        while used.contains_key(&format!("{base}-{n}")) {
            n += 1;
        }
        anchor = format!("{base}-{n}");
        used.insert(base, n + 1);
    }
    used.insert(anchor.clone(), 1);
    *id = Some(CowStr::from(anchor.clone()));
    anchor
}

/// Anchors given so far in one rendering, each with the next `-N` suffix
/// to try when a later heading has it as its base.
type Anchors = HashMap<String, usize>;

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Intro INTERNAL.\n\n## What's new {.external}\nSaved cards.\n\n### Details\nMore public.\n\n## Known issues\nAndroid INTERNAL.\n\n- [x] done\n- [ ] todo\n\n## Try it {.external}\nOne tap.\n";

    #[test]
    fn external_html_holds_only_external_sections() {
        let body = render(BODY);
        assert!(body.external_html.contains("Saved cards"));
        assert!(
            body.external_html.contains("More public"),
            "subsections belong to their section"
        );
        assert!(body.external_html.contains("One tap"));
        assert!(
            !body.external_html.contains("INTERNAL"),
            "{}",
            body.external_html
        );
        assert!(body.internal_html.contains("INTERNAL"));
        assert!(body.has_external());
    }

    #[test]
    fn equal_headings_get_numbered_anchors_in_linear_time() {
        let body = render("## a\n## a\n## a-1\n## a\n## a {#a-3}\n## a\n");
        let anchors: Vec<&str> = body.sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["a", "a-1", "a-1-1", "a-2", "a-3", "a-4"]);
        // 20,000 equal headings, then 20,000 different ones: each heading
        // cost the rest of the body and numbering retried every suffix, so
        // a 3.5 MB body of headings took minutes; now well under a second.
        let started = std::time::Instant::now();
        let body = render(&"## a {.external}\n".repeat(20_000));
        assert_eq!(body.sections.last().unwrap().anchor, "a-19999");
        assert!(body.external_html.contains("id=\"a-19999\""));
        let text: String = (0..20_000).map(|i| format!("## x{i}\n")).collect();
        assert_eq!(render(&text).sections.len(), 20_000);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn every_table_scrolls_in_its_own_box() {
        let body = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n## Risks {.external}\n\n| c | d |\n|---|---|\n| 3 | 4 |\n",
        );
        let wrapped = |html: &str| {
            html.matches("<div class=\"table-wrap\"><table>").count()
                == html.matches("<table>").count()
                && html.matches("</table>\n</div>").count() == html.matches("</table>").count()
        };
        assert_eq!(body.internal_html.matches("<table>").count(), 2);
        assert!(wrapped(&body.internal_html), "{}", body.internal_html);
        assert!(body.external_html.contains("<td>3</td>"));
        assert!(wrapped(&body.external_html), "{}", body.external_html);
    }

    #[test]
    fn sections_and_tasks_are_counted() {
        let body = render(BODY);
        let titles: Vec<_> = body
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.external))
            .collect();
        assert_eq!(
            titles,
            [
                ("What's new", true),
                ("Details", true),
                ("Known issues", false),
                ("Try it", true)
            ]
        );
        let known = &body.sections[2];
        assert_eq!((known.tasks_done, known.tasks_total), (1, 2));
        assert_eq!((body.tasks_done, body.tasks_total), (1, 2));
    }

    #[test]
    fn internal_class_opts_a_subsection_out() {
        let body =
            render("## New {.external}\nA\n### Support notes {.internal}\nSECRET\n### More\nB\n");
        assert!(!body.external_html.contains("SECRET"));
        assert!(body.external_html.contains('A'));
        assert!(
            body.external_html.contains("More"),
            "later subsections still belong to the external section"
        );
    }

    #[test]
    fn comments_over_several_lines_do_not_leak() {
        let md = "## New {.external}\n<!--\nSECRET one\nSECRET two\n-->\n\n<div>Kept <!-- SECRET\nthree --> too</div>\n\nA <!-- SECRET four --> b.\n";
        let body = render(md);
        let html = &body.external_html;
        assert!(!html.contains("SECRET"), "{html}");
        assert!(
            html.contains("Kept") && html.contains("too</div>"),
            "{html}"
        );
        assert!(html.contains("A") && html.contains("b."), "{html}");
        assert!(body.internal_html.contains("SECRET two"));
    }

    #[test]
    fn a_comment_closed_by_a_text_line_hides_its_links_images_and_fences() {
        let md = "## New {.external}\nPublic.\n<div>\n<!--\n\n[runbook](https://internal.example/SECRET)\n![x](SECRET.png)\n\n```SECRET\ncode\n```\n\n## Leak {.external}\nSECRET\n\n-->\n</div>\n\nAfter.\n";
        let body = render(md);
        let html = &body.external_html;
        assert!(!html.contains("SECRET"), "{html}");
        assert!(
            html.contains("Public.") && html.contains("After."),
            "{html}"
        );
        assert!(
            !body
                .sections
                .iter()
                .any(|s| s.title == "Leak" && s.external)
        );
    }

    #[test]
    fn marker_forms_that_stay_internal() {
        for md in [
            "## Both {.internal .external}\nSECRET\n",
            "## Both {.external .internal}\nSECRET\n",
            "## Escaped \\{.external}\nSECRET\n",
            "## Notes {.internal}\n### Public {.external}\nSECRET\n#### Deeper {.external}\nSECRET\n",
            "## New {.internal}\n### Notes\n#### Sub {.external}\nSECRET\n",
        ] {
            let body = render(md);
            assert!(
                !body.external_html.contains("SECRET"),
                "{md}: {}",
                body.external_html
            );
            assert!(!body.has_external(), "{md}");
        }
        let body =
            render("## New {.external}\n### Notes {.internal}\n#### Sub {.external}\nSECRET\n");
        assert!(
            !body.external_html.contains("SECRET"),
            "{}",
            body.external_html
        );
        let body = render("## A {.external}\nok\n### B \\{.external}\nstill public\n");
        assert!(
            body.external_html.contains("still public"),
            "an escaped marker is no marker: B inherits its section"
        );
    }

    #[test]
    fn code_running_links_are_dropped_from_the_external_site() {
        let md = "## New {.external}\n[click](javascript:alert(1)) [v](VBScript:x) [d](data:text/html,x) <javascript:alert(2)>\n\n[r]: javascript:alert(3)\n\n[ref][r] ![i](data:image/png;base64,AA) [ok](https://ok.example/)\n";
        let body = render(md);
        let html = &body.external_html;
        for bad in ["href=\"javascript:", "href=\"VBScript:", "href=\"data:text"] {
            assert!(!html.contains(bad), "{bad}: {html}");
        }
        assert!(
            html.contains("click") && html.contains("ref"),
            "the text stays: {html}"
        );
        assert!(html.contains("data:image/png"), "{html}");
        assert!(html.contains("https://ok.example/"), "{html}");
    }

    #[test]
    fn reference_definitions_and_comments_do_not_leak() {
        let md = "## Notes\n[docs]: https://internal.example/SECRET\n\n## New {.external}\nSee [docs].\n<!-- SECRET note -->\n";
        let body = render(md);
        assert!(
            !body.external_html.contains("SECRET"),
            "{}",
            body.external_html
        );
    }

    #[test]
    fn task_checkboxes_have_an_accessible_name() {
        let body = render("## Plan\n- [x] shipped\n- [ ] review\n");
        assert!(
            body.internal_html
                .contains(r#"<input disabled="" type="checkbox" checked="" aria-label="Done">"#),
            "{}",
            body.internal_html
        );
        assert!(body.internal_html.contains(r#"aria-label="To do">"#));
        assert_eq!((body.tasks_total, body.tasks_done), (2, 1));
    }

    #[test]
    fn anchors_are_unique_and_honour_explicit_ids() {
        let body = render("## A\n## A\n## B {#custom}\n");
        let anchors: Vec<_> = body.sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["a", "a-1", "custom"]);
        assert!(body.internal_html.contains("id=\"a-1\""));
    }

    #[test]
    fn internal_only_html_leaves_out_external_sections() {
        assert!(
            render(BODY).internal_only_html.is_empty(),
            "only computed on request"
        );
        let body = render_with_internal_only(BODY);
        assert!(body.internal_only_html.contains("Android INTERNAL"));
        assert!(body.internal_only_html.contains("Intro INTERNAL"));
        assert!(!body.internal_only_html.contains("Saved cards"));
    }

    #[test]
    fn no_external_sections_means_empty_external_html() {
        let body = render("Just internal text.\n## Plan\nx\n");
        assert!(!body.has_external());
    }
}
