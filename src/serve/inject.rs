//! What `serve` adds to HTML responses (never to built files): the
//! live-reload script and, after a failed rebuild, the error overlay.

use serde::Serialize;

use crate::BuildError;
use crate::diagnostic::Diagnostic;

/// Path of the server-sent events stream the script listens on.
pub const EVENTS_PATH: &str = "/__shipdate/events";
/// Path of the current build errors (text, or JSON with `?format=json`).
pub const ERRORS_PATH: &str = "/__shipdate/errors";

/// One problem of a failed rebuild, as the overlay and `/__shipdate/errors` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `path:line:column`, when the problem is in a file.
    pub location: Option<String>,
    /// Rule id (`unknown-key`), when there is one.
    pub rule: Option<&'static str>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

impl Problem {
    /// The problems of a failed build: every error diagnostic, or the one
    /// render or output error.
    pub fn from_build_error(error: &BuildError) -> Vec<Problem> {
        match error {
            BuildError::Content(diagnostics) => diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(Problem::from)
                .collect(),
            other => vec![Problem {
                location: None,
                rule: None,
                message: other.to_string(),
                hint: None,
            }],
        }
    }
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Self {
        Problem {
            location: Some(d.location()),
            rule: Some(d.rule),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// The problems as plain text, one per line plus its hint (`/__shipdate/errors`).
pub fn problems_text(problems: &[Problem]) -> String {
    if problems.is_empty() {
        return "no errors: the last build succeeded\n".into();
    }
    let mut out = String::new();
    for p in problems {
        if let Some(location) = &p.location {
            out.push_str(location);
            out.push_str(": ");
        }
        out.push_str("error");
        if let Some(rule) = p.rule {
            out.push_str(&format!("[{rule}]"));
        }
        out.push_str(": ");
        out.push_str(&p.message);
        out.push('\n');
        if let Some(hint) = &p.hint {
            out.push_str(&format!("  = hint: {hint}\n"));
        }
    }
    out
}

/// The live-reload script. `generation` is the build the page was served
/// from: on (re)connecting the server says which build is current, so a
/// rebuild that finished while the page was loading still reloads it.
fn script(generation: u64) -> String {
    format!(
        r#"<script data-shipdate-serve>(function(){{var g="{generation}";if(!window.EventSource)return;var es=new EventSource("{EVENTS_PATH}");es.addEventListener("hello",function(e){{if(e.data!==g)location.reload();}});es.onmessage=function(e){{if(e.data==="reload")location.reload();}};}})();</script>"#
    )
}

/// The error overlay: fixed to the bottom of the page, dismissable, no JS needed to read it.
fn overlay(problems: &[Problem], stale: bool) -> String {
    let mut items = String::new();
    for p in problems {
        items.push_str("<li style=\"margin:.5em 0\">");
        if let Some(location) = &p.location {
            items.push_str(&format!(
                // Its own background and colour: the page's `code` style
                // (a pale fill) must not show a pale path on pale pink.
                "<code style=\"color:#ffffff;background:#5c1a20;padding:.1em .4em;border-radius:3px;font-weight:bold\">{}</code> ",
                escape(location)
            ));
        }
        items.push_str(&escape(&p.message));
        if let Some(hint) = &p.hint {
            items.push_str(&format!(
                "<br><span style=\"color:#ffd9a8\">hint: {}</span>",
                escape(hint)
            ));
        }
        items.push_str("</li>");
    }
    format!(
        concat!(
            r#"<div id="shipdate-errors" role="alert" style="position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;"#,
            r#"background:#2b0b0e;color:#fff1f1;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:14px 20px;"#,
            r#"border-top:4px solid #e5484d;box-shadow:0 -6px 24px rgba(0,0,0,.35);text-align:left">"#,
            r#"<button type="button" onclick="this.parentNode.remove()" aria-label="Hide" style="float:right;background:none;border:0;color:inherit;font-size:20px;cursor:pointer">&times;</button>"#,
            r#"<strong>Build failed: {count} error(s).{stale}</strong>"#,
            r#"<ul style="margin:.5em 0 0;padding-left:1.2em">{items}</ul></div>"#
        ),
        count = problems.len(),
        stale = if stale {
            " You are seeing the last good build."
        } else {
            ""
        },
        items = items
    )
}

/// Adds the script (and the overlay when there are problems) before the last
/// `</body>`, or at the end of a page without one. `stale`: the page comes
/// from an earlier, good build.
pub fn inject(html: &str, generation: u64, problems: &[Problem], stale: bool) -> String {
    let mut extra = script(generation);
    if !problems.is_empty() {
        extra.insert_str(0, &overlay(problems, stale));
    }
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + extra.len());
    out.push_str(&html[..at]);
    out.push_str(&extra);
    out.push_str(&html[at..]);
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> Problem {
        Problem {
            location: Some("content/a.md:3:1".into()),
            rule: Some("unknown-key"),
            message: "unknown key `titel` <b>".into(),
            hint: Some("did you mean `title`?".into()),
        }
    }

    #[test]
    fn script_goes_before_the_closing_body_tag() {
        let out = inject("<html><body><p>x</p></BODY></html>", 7, &[], false);
        assert!(out.ends_with(r#"})();</script></BODY></html>"#), "{out}");
        assert!(out.contains(r#"var g="7""#));
        assert!(!out.contains("shipdate-errors"));
    }

    #[test]
    fn overlay_is_escaped_and_located() {
        let out = inject("<p>no body tag</p>", 1, &[problem()], true);
        assert!(out.contains("You are seeing the last good build."));
        assert!(out.starts_with("<p>no body tag</p><div id=\"shipdate-errors\""));
        assert!(out.contains("content/a.md:3:1"));
        assert!(out.contains("unknown key `titel` &lt;b&gt;"));
        assert!(out.contains("hint: did you mean `title`?"));
    }

    #[test]
    fn text_report_names_location_rule_and_hint() {
        assert_eq!(
            problems_text(&[problem()]),
            "content/a.md:3:1: error[unknown-key]: unknown key `titel` <b>\n  = hint: did you mean `title`?\n"
        );
    }
}
