//! `diff --format github`: GitHub Actions annotations. One per changed
//! release on its file (a warning when a dependent breaks, else a notice),
//! then the new findings as `check --format github` writes them.

use super::Diff;
use super::summary;
use crate::diagnostic::github_command;

/// The annotations, one workflow command per line.
pub fn render(diff: &Diff) -> String {
    let mut out = String::new();
    for r in summary::by_release(diff) {
        let mut message = vec![format!("{} {}", r.title, r.headline)];
        message.extend(r.lines.iter().cloned());
        if !r.breaks.is_empty() {
            let list: Vec<String> = r
                .breaks
                .iter()
                .map(|(id, why)| format!("{id} {why}"))
                .collect();
            message.push(format!("Breaks: {}", list.join("; ")));
        }
        if !r.renotify.is_empty() {
            let names: Vec<&str> = r.renotify.iter().map(|g| diff.name(g)).collect();
            message.push(format!(
                "Tell again: {} (already told the old date)",
                names.join(", ")
            ));
        }
        let teams: Vec<&str> = r.teams.iter().map(|t| diff.name(t)).collect();
        message.push(format!("Teams: {}", teams.join(", ")));
        let level = if r.breaks.is_empty() {
            "notice"
        } else {
            "warning"
        };
        let title = format!("shipdate diff: {}", r.id);
        out.push_str(&github_command(
            level,
            r.path,
            r.position,
            &title,
            &message.join("\n"),
        ));
        out.push('\n');
    }
    for d in &diff.findings.new {
        out.push_str(&d.to_github());
        out.push('\n');
    }
    out
}
