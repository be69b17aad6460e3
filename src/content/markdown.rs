//! Markdown bodies: HTML for each audience, sections and checklist progress.
//!
//! The body is internal by default; a section is external when its heading
//! has the class `.external` (SPEC §3.2). External HTML is rendered from the
//! external sections' source text alone, so nothing from an internal section
//! (not even a link reference definition or a footnote) can leak into it.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

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
/// are external, and the task counts, from the events of a body `len` bytes long.
fn outline(events: &mut [(Event, Range<usize>)], len: usize) -> Outline {
    let mut used_anchors = HashSet::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut stack: Vec<OpenSection> = Vec::new();
    let mut external_ranges: Vec<Range<usize>> = Vec::new();
    let mut current_external_start: Option<usize> = None;
    let (mut tasks_total, mut tasks_done) = (0, 0);

    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                let level = *level;
                let start = events[i].1.start;
                while stack.last().is_some_and(|s| s.level >= level) {
                    stack.pop();
                }
                let has = |c: &str| classes.iter().any(|x| x.as_ref() == c);
                let inherited = stack.last().is_some_and(|s| s.external);
                let external = has("external") || (inherited && !has("internal"));
                // Close or open the external source range at this heading.
                match (current_external_start, external) {
                    (Some(s), false) => {
                        external_ranges.push(s..start);
                        current_external_start = None;
                    }
                    (None, true) => current_external_start = Some(start),
                    _ => {}
                }
                stack.push(OpenSection { level, external });
                let title = heading_text(&events[i + 1..]);
                let anchor = assign_anchor(&mut events[i].0, &title, &mut used_anchors);
                sections.push(Section {
                    title,
                    anchor,
                    level: level as u8,
                    external,
                    tasks_total: 0,
                    tasks_done: 0,
                });
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
        i += 1;
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
    let Outline {
        sections,
        external_ranges,
        tasks_total,
        tasks_done,
    } = outline(&mut events, markdown.len());

    // The first placeholder in an external section, with its line in the body.
    let external_placeholder = external_ranges.iter().find_map(|r| {
        let (line, text) = super::placeholder::first_line(&markdown[r.clone()])?;
        let before = markdown[..r.start].matches('\n').count() as u64;
        Some((before + line, text))
    });

    let mut internal_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(
        &mut internal_html,
        events.into_iter().map(|(e, _)| label_task_marker(e)),
    );
    let internal_only_html = if with_internal_only {
        render_ranges(
            markdown,
            &complement(&external_ranges, markdown.len()),
            false,
        )
    } else {
        String::new()
    };
    Body {
        internal_html,
        external_html: render_ranges(markdown, &external_ranges, true),
        internal_only_html,
        sections,
        tasks_total,
        tasks_done,
        external_placeholder,
        first_line: 1,
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

/// Renders only `ranges` of the source, each parsed on its own; `public`
/// output also drops HTML comments, which are notes to authors.
fn render_ranges(markdown: &str, ranges: &[Range<usize>], public: bool) -> String {
    let mut out = String::new();
    let mut used_anchors = HashSet::new();
    for range in ranges {
        let source = &markdown[range.clone()];
        let parser = Parser::new_ext(source, options());
        let mut events: Vec<Event> = if public {
            without_comments(parser)
        } else {
            parser.collect()
        };
        for i in 0..events.len() {
            if matches!(events[i], Event::Start(Tag::Heading { .. })) {
                let title = heading_text_plain(&events[i + 1..]);
                assign_anchor(&mut events[i], &title, &mut used_anchors);
            }
        }
        html::push_html(&mut out, events.into_iter().map(label_task_marker));
    }
    out
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

/// Drops HTML comments, which are notes to authors and never go out.
///
/// pulldown-cmark hands an HTML block over line by line and may split inline
/// HTML, so a comment can span several events: the scan keeps its state
/// across them, and drops any text it meets until the comment closes.
fn without_comments<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut in_comment = false;
    for event in events {
        match event {
            Event::Html(h) => {
                let kept = strip_comments(&h, &mut in_comment);
                if !kept.trim().is_empty() {
                    out.push(Event::Html(kept.into()));
                }
            }
            Event::InlineHtml(h) => {
                let kept = strip_comments(&h, &mut in_comment);
                if !kept.is_empty() {
                    out.push(Event::InlineHtml(kept.into()));
                }
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
                if in_comment => {}
            other => out.push(other),
        }
    }
    out
}

/// `html` without its comments; `in_comment` carries an open `<!--` from
/// the previous piece and out to the next.
fn strip_comments(html: &str, in_comment: &mut bool) -> String {
    let mut kept = String::new();
    let mut rest = html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return kept,
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    kept.push_str(&rest[..start]);
                    rest = &rest[start + 4..];
                    *in_comment = true;
                }
                None => {
                    kept.push_str(rest);
                    return kept;
                }
            }
        }
    }
}

fn heading_text(events: &[(Event, Range<usize>)]) -> String {
    let plain: Vec<&Event> = events.iter().map(|(e, _)| e).collect();
    collect_text(plain.into_iter())
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
fn assign_anchor(event: &mut Event, title: &str, used: &mut HashSet<String>) -> String {
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
    let mut n = 1;
    while !used.insert(anchor.clone()) {
        anchor = format!("{base}-{n}");
        n += 1;
    }
    *id = Some(CowStr::from(anchor.clone()));
    anchor
}

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
    fn strip_comments_carries_an_open_comment_to_the_next_piece() {
        let mut open = false;
        assert_eq!(strip_comments("a <!-- x --> b <!-- y", &mut open), "a  b ");
        assert!(open);
        assert_eq!(strip_comments("still y --> c", &mut open), " c");
        assert!(!open);
        assert_eq!(strip_comments("<!-->", &mut open), "");
        assert!(open, "an abrupt `<!-->` drops what follows, never leaks it");
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
