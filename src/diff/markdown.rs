//! The pull-request comment: a headline, one short block per release, new
//! and resolved findings, and every change in a folded table. Made to be
//! read in ten seconds.

use std::fmt::Write;

use super::summary::{self, ReleaseSummary};
use super::{ChangeKind, Diff};
use crate::diagnostic::{Diagnostic, Severity};
use crate::wording;

/// The hidden first line by which the `init` workflow finds its one comment
/// on a pull request to update it.
pub const MARKER: &str = "<!-- shipdate-diff -->";

/// Releases described in full; a configuration change (a new holiday) can
/// move many, and a GitHub comment holds at most 65,536 characters.
const MAX_RELEASES: usize = 25;
/// Rows of the table of every change, for the same reason.
const MAX_ROWS: usize = 100;

/// The comment's Markdown (GitHub-flavoured).
pub fn render(diff: &Diff) -> String {
    let releases = summary::by_release(diff);
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}");
    let _ = writeln!(
        out,
        "### shipdate diff: {}\n",
        headline(diff, releases.len())
    );
    if releases.is_empty() && diff.findings.new.is_empty() && diff.findings.resolved.is_empty() {
        out.push_str(
            "No event moves, appears or leaves the plan, and the checks find nothing new.\n\n",
        );
    }
    for r in releases.iter().take(MAX_RELEASES) {
        release_block(&mut out, diff, r);
    }
    if releases.len() > MAX_RELEASES {
        let _ = writeln!(
            out,
            "… and {} (`shipdate diff --format json` lists them all)\n",
            summary::plural(
                releases.len() - MAX_RELEASES,
                "more release",
                "more releases"
            )
        );
    }
    findings_block(&mut out, "New findings", &diff.findings.new);
    findings_block(&mut out, "Resolved", &diff.findings.resolved);
    table(&mut out, diff);
    let short = diff.base.get(..12).unwrap_or(&diff.base);
    let _ = writeln!(
        out,
        "<sub>Compared with `{short}` at {} by `shipdate diff`.</sub>",
        diff.now.format("%Y-%m-%d %H:%M UTC")
    );
    out
}

/// "2 releases change · 1 new error · 1 resolved".
fn headline(diff: &Diff, releases: usize) -> String {
    let mut parts = vec![match releases {
        0 => "no change to the schedule".to_string(),
        n => summary::plural(n, "release changes", "releases change"),
    }];
    let errors = diff.findings.new.iter().filter(|d| d.is_error()).count();
    let warnings = diff.findings.new.len() - errors;
    if errors > 0 {
        parts.push(summary::plural(errors, "new error", "new errors"));
    }
    if warnings > 0 {
        parts.push(summary::plural(warnings, "new warning", "new warnings"));
    }
    if !diff.findings.resolved.is_empty() {
        parts.push(format!("{} resolved", diff.findings.resolved.len()));
    }
    parts.join(" · ")
}

fn release_block(out: &mut String, diff: &Diff, r: &ReleaseSummary) {
    let _ = writeln!(
        out,
        "**{}** (`{}`) {}",
        escape(r.title),
        code(r.id),
        escape(&r.headline)
    );
    for line in &r.lines {
        let _ = writeln!(out, "- {}", escape(line));
    }
    if !r.breaks.is_empty() {
        let list: Vec<String> = r
            .breaks
            .iter()
            .map(|(id, why)| format!("`{}` {}", code(id), escape(why)))
            .collect();
        let _ = writeln!(out, "- **Breaks:** {}", list.join("; "));
    }
    if !r.renotify.is_empty() {
        let names: Vec<String> = r.renotify.iter().map(|g| escape(diff.name(g))).collect();
        let _ = writeln!(
            out,
            "- **Tell again:** {} (already told the old date)",
            names.join(", ")
        );
    }
    let teams: Vec<String> = r.teams.iter().map(|t| escape(diff.name(t))).collect();
    let _ = writeln!(out, "- **Teams:** {}", teams.join(", "));
    if r.along > 0 {
        let _ = writeln!(
            out,
            "- and {} with it (see every change below)",
            summary::plural(r.along, "other event", "other events")
        );
    }
    out.push('\n');
}

fn findings_block(out: &mut String, title: &str, findings: &[Diagnostic]) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "**{title}**");
    for d in findings {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "- {level} `{}` `{}`: {}",
            d.rule,
            code(&d.location()),
            escape(&d.message)
        );
    }
    out.push('\n');
}

/// Every change, folded away.
fn table(out: &mut String, diff: &Diff) {
    if diff.changes.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details><summary>Every change ({})</summary>\n",
        diff.changes.len()
    );
    out.push_str("| release | event | change | from | to | business days |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for c in diff.changes.iter().take(MAX_ROWS) {
        let when = |m: &Option<crate::moment::Moment>| {
            m.as_ref()
                .map(|m| wording::moment(m, c.timezone))
                .unwrap_or_else(|| "–".to_string())
        };
        let kind = match c.kind {
            ChangeKind::Moved => "moved",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
        };
        let days = c
            .business_days
            .map_or("–".to_string(), |d| format!("{d:+}"));
        let _ = writeln!(
            out,
            "| `{}` | {}: {} | {kind} | {} | {} | {days} |",
            code(&c.release),
            c.event_kind.label(),
            escape(&c.name),
            when(&c.from),
            when(&c.to)
        );
    }
    if diff.changes.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n… and {}.",
            summary::plural(diff.changes.len() - MAX_ROWS, "more change", "more changes")
        );
    }
    out.push_str("\n</details>\n\n");
}

/// Text from release files, made inert: Markdown and HTML punctuation is
/// escaped, so a title cannot add links, images, tables cells or markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text for inside a code span: no backticks, pipes or line breaks.
fn code(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '`' | '|' | '\n' | '\r' => '\'',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diff::{Change, ChangeKind, Findings};
    use crate::moment::Moment;
    use crate::schedule::EventKind;

    fn moved(i: usize) -> Change {
        let day = |d: u32| Moment::Day(chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap());
        Change {
            release: format!("r{i}"),
            title: format!("Release {i}"),
            path: format!("content/releases/r{i}.md").into(),
            position: crate::diagnostic::Position::new(5, 1),
            timezone: chrono_tz::UTC,
            kind: ChangeKind::Moved,
            event_kind: EventKind::Launch,
            name: format!("Ship: Release {i}"),
            event: format!("r{i}.launch.ship@x"),
            from: Some(day(1)),
            to: Some(day(2)),
            business_days: Some(1),
            dependents: Vec::new(),
            teams: vec!["web".into()],
            renotify: Vec::new(),
        }
    }

    #[test]
    fn a_change_to_hundreds_of_releases_still_fits_in_a_comment() {
        let diff = Diff {
            base: "0".repeat(40),
            changes: (0..300).map(moved).collect(),
            findings: Findings::default(),
            names: Default::default(),
            margin: "1 business day".into(),
            now: chrono::DateTime::UNIX_EPOCH,
        };
        let text = render(&diff);
        assert!(text.contains("### shipdate diff: 300 releases change"));
        assert_eq!(text.matches("**Teams:**").count(), MAX_RELEASES);
        assert!(text.contains("… and 275 more releases"));
        assert!(text.contains("… and 200 more changes."));
        assert!(text.len() < 65_536 / 2, "{} characters", text.len());
    }

    #[test]
    fn titles_cannot_inject_markup() {
        assert_eq!(
            escape("<img src=x> [a](b) | *b*"),
            "\\<img src=x\\> \\[a\\](b) \\| \\*b\\*"
        );
        assert_eq!(code("a`b|c"), "a'b'c");
    }
}
