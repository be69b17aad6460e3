//! What the external renderer lets through (SPEC §5.1): everything inside an
//! HTML comment is internal, and links a browser would run as code are dropped.
//!
//! A comment opens at `<!--` in raw HTML and closes at the next `-->` in raw
//! HTML or plain text (an author who writes `-->` on its own line means it to
//! close, though Markdown makes that line a paragraph). Links, images, code
//! and headings in between are all inside it. A `-->` in code or behind an
//! escape does not close it: when in doubt, more stays internal.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

/// The source ranges of `markdown` inside HTML comments, from `<!--` to the
/// end of its `-->` (or of the text), given the parser's events with offsets.
pub fn comment_regions(markdown: &str, events: &[(Event, Range<usize>)]) -> Vec<Range<usize>> {
    let mut regions = Vec::new();
    let mut open: Option<usize> = None;
    let mut in_code = false;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        let (can_open, can_close) = match event {
            Event::Html(_) | Event::InlineHtml(_) => (true, true),
            Event::Text(_) => (false, !in_code),
            _ => (false, false),
        };
        if !can_close {
            continue;
        }
        let Some(source) = markdown.get(range.clone()) else {
            continue;
        };
        let mut at = 0;
        loop {
            match open {
                Some(start) => match source[at..].find("-->") {
                    Some(end) => {
                        at += end + 3;
                        regions.push(start..range.start + at);
                        open = None;
                    }
                    None => break,
                },
                None if can_open => match source[at..].find("<!--") {
                    Some(begin) => {
                        open = Some(range.start + at + begin);
                        at += begin + 4;
                    }
                    None => break,
                },
                None => break,
            }
        }
    }
    if let Some(start) = open {
        regions.push(start..markdown.len());
    }
    regions
}

/// True when `offset` lies inside one of the sorted `regions`.
pub fn inside(regions: &[Range<usize>], offset: usize) -> bool {
    regions.iter().any(|r| r.contains(&offset))
}

/// `range` of `markdown` without the parts in `regions`, as one text.
pub fn excise(markdown: &str, range: Range<usize>, regions: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(range.len());
    let mut at = range.start;
    for r in regions {
        if r.end <= at || r.start >= range.end {
            continue;
        }
        if r.start > at {
            out.push_str(&markdown[at..r.start]);
        }
        at = at.max(r.end);
    }
    if at < range.end {
        out.push_str(&markdown[at..range.end]);
    }
    out
}

/// The events of an external section, safe for the public site: nothing
/// inside an HTML comment (a second guard after [`excise`]), no link or image
/// whose address runs code (see [`unsafe_url`]), and every end tag matched by
/// its start, so the HTML writer always sees a well-formed tree.
pub fn public_events<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut open: Vec<TagEnd> = Vec::new();
    let mut in_comment = false;
    let mut in_code = false;
    for event in events {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
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
            Event::Text(t) if in_comment && !in_code => {
                if let Some(end) = t.find("-->") {
                    in_comment = false;
                    let rest = &t[end + 3..];
                    if !rest.is_empty() {
                        out.push(Event::Text(rest.to_string().into()));
                    }
                }
            }
            _ if in_comment => {}
            Event::Start(tag) => {
                if !unsafe_tag(&tag) {
                    open.push(tag.to_end());
                    out.push(Event::Start(tag));
                }
            }
            Event::End(end) => {
                // An end whose start was dropped is dropped too; one that
                // closes a tag further out closes the tags in between first.
                if let Some(at) = open.iter().rposition(|o| *o == end) {
                    for inner in open.drain(at..).rev() {
                        out.push(Event::End(inner));
                    }
                }
            }
            other => out.push(other),
        }
    }
    out.extend(open.into_iter().rev().map(Event::End));
    out
}

fn unsafe_tag(tag: &Tag) -> bool {
    match tag {
        Tag::Link { dest_url, .. } => unsafe_url(dest_url, false),
        Tag::Image { dest_url, .. } => unsafe_url(dest_url, true),
        _ => false,
    }
}

/// True for an address that runs code in a browser: `javascript:`,
/// `vbscript:` and `data:` (for images, `data:image/…` is allowed: an image
/// cannot run a script). Browsers ignore spaces and control characters
/// inside the scheme and its case, so this does too.
pub fn unsafe_url(url: &str, image: bool) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    if squeezed.starts_with("data:") {
        return !(image && squeezed.starts_with("data:image/"));
    }
    squeezed.starts_with("javascript:") || squeezed.starts_with("vbscript:")
}

/// `html` without its comments; `in_comment` carries an open `<!--` from
/// the previous piece and out to the next.
pub fn strip_comments(html: &str, in_comment: &mut bool) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn regions(md: &str) -> Vec<&str> {
        let events: Vec<_> = Parser::new(md).into_offset_iter().collect();
        comment_regions(md, &events)
            .into_iter()
            .map(|r| &md[r])
            .collect()
    }

    #[test]
    fn a_comment_closed_in_plain_text_covers_the_blocks_between() {
        let md = "<div>\n<!--\n\n[runbook](https://internal.example/x)\n\n-->\n</div>\n";
        assert_eq!(
            regions(md),
            ["<!--\n\n[runbook](https://internal.example/x)\n\n-->"]
        );
    }

    #[test]
    fn comments_in_code_are_text_and_an_unclosed_comment_runs_to_the_end() {
        assert!(regions("`<!-- x -->` and\n\n```\n<!--\n```\n").is_empty());
        assert_eq!(regions("<div><!-- b\n\n`-->` d\n"), ["<!-- b\n\n`-->` d\n"]);
    }

    #[test]
    fn excise_keeps_what_is_outside() {
        let md = "0123456789";
        assert_eq!(excise(md, 1..9, &[0..2, 4..5, 8..10]), "23567");
    }

    #[test]
    fn code_running_addresses_are_unsafe() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,x",
        ] {
            assert!(unsafe_url(url, false), "{url}");
        }
        assert!(unsafe_url("data:text/html,x", true));
        assert!(!unsafe_url("data:image/png;base64,AA", true));
        for url in ["https://x", "/a/javascript:b", "mailto:a@b", "#top"] {
            assert!(!unsafe_url(url, false), "{url}");
        }
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
}
