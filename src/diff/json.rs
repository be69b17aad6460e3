//! `diff --format json`: exactly the keys of SPEC §5.3; findings as
//! `check --format json` writes them.

use serde::Serialize;

use super::{ChangeKind, Diff};
use crate::diagnostic::JsonFinding;
use crate::moment::Moment;

#[derive(Serialize)]
struct Document<'a> {
    base: &'a str,
    changes: Vec<JsonChange<'a>>,
    findings: JsonFindings<'a>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    release: &'a str,
    kind: ChangeKind,
    event: &'a str,
    from: Option<Moment>,
    to: Option<Moment>,
    business_days: Option<i64>,
    dependents: Vec<&'a str>,
    teams: &'a [String],
    renotify: &'a [String],
}

#[derive(Serialize)]
struct JsonFindings<'a> {
    new: Vec<JsonFinding<'a>>,
    resolved: Vec<JsonFinding<'a>>,
}

/// The diff as a pretty-printed JSON document.
pub fn render(diff: &Diff) -> String {
    let document = Document {
        base: &diff.base,
        changes: diff
            .changes
            .iter()
            .map(|c| JsonChange {
                release: &c.release,
                kind: c.kind,
                event: &c.event,
                from: c.from,
                to: c.to,
                business_days: c.business_days,
                dependents: c.dependents.iter().map(|d| d.id.as_str()).collect(),
                teams: &c.teams,
                renotify: &c.renotify,
            })
            .collect(),
        findings: JsonFindings {
            new: diff.findings.new.iter().map(JsonFinding::from).collect(),
            resolved: diff
                .findings
                .resolved
                .iter()
                .map(JsonFinding::from)
                .collect(),
        },
    };
    // Plain data of strings, numbers and lists: serializing cannot fail.
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}
