//! Readiness rules: freeze windows, gate evidence, overdue gates, review and docs gates.

use super::{CheckInput, finding, is_big, is_live};
use crate::content::frontmatter::{GateKind, GateStatus, Status};
use crate::diagnostic::Diagnostic;
use crate::offset::Offset;
use crate::timing::deadline;
use crate::wording;

/// Tags whose changes need a review before they ship.
pub const SENSITIVE_TAGS: [&str; 4] = ["pricing", "billing", "security", "compliance"];

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    for r in input.releases {
        if r.status != Status::Cancelled
            && let Some(day) = r.ship_day()
            && let Some(w) = input.config.freeze_for(day, &r.team, &r.kind)
        {
            out.push(finding(
                "freeze-window",
                r,
                r.position_of("date"),
                format!(
                    "ships {} inside the freeze window `{}` ({} to {})",
                    day, w.name, w.start, w.end
                ),
                format!("move the date before {} or after {}", w.start, w.end),
            ));
        }
        for g in &r.gates {
            if g.status == GateStatus::Done
                && g.evidence.as_deref().is_none_or(|e| e.trim().is_empty())
            {
                out.push(finding(
                    "gate-evidence",
                    r,
                    g.position,
                    format!("gate `{}` is done but has no evidence", g.name),
                    "add `evidence:` with a link to the CI run, ticket or document that proves it"
                        .into(),
                ));
            }
        }
        if !is_live(r) {
            continue;
        }
        for g in &r.gates {
            if let Some(due) = g.due
                && g.status == GateStatus::Pending
                && input.now > deadline(&due, r)
            {
                out.push(finding(
                    "gate-overdue",
                    r,
                    g.position,
                    format!("gate `{}` was due {} and is still pending", g.name, wording::moment(&due, r.timezone)),
                    "finish the gate and mark it `done` with evidence, or move `due:` and tell the release owner".into(),
                ));
            }
        }
        let sensitive: Vec<&str> = r
            .tags
            .iter()
            .map(String::as_str)
            .filter(|t| SENSITIVE_TAGS.contains(t))
            .collect();
        if !sensitive.is_empty()
            && !r.has_shipped()
            && !r.gates.iter().any(|g| g.kind == GateKind::Review)
        {
            out.push(finding(
                "sensitive-review",
                r,
                r.positions.get("tags").copied().unwrap_or_else(|| r.position_of("title")),
                format!("`{}` is tagged {} but has no review gate", r.id, sensitive.join(", ")),
                "add a gate with `kind: review` (e.g. security, legal or pricing sign-off) due before the ship date".into(),
            ));
        }
        if is_big(r) && !r.has_shipped() {
            docs_gate(input, r, out);
        }
    }
}

/// A major or launch needs a docs gate, done by T-2w.
fn docs_gate(input: &CheckInput, r: &crate::content::Release, out: &mut Vec<Diagnostic>) {
    let Some(date) = r.date else { return };
    let by = date.offset_by(Offset::weeks(-2), r.timezone, input.config);
    // "Done by T-2w" includes T-2w: a date-only deadline covers its whole day.
    let deadline_at = deadline(&by, r);
    let docs: Vec<_> = r
        .gates
        .iter()
        .filter(|g| g.kind == GateKind::Docs)
        .collect();
    if docs.is_empty() {
        out.push(finding(
            "docs-gate",
            r,
            r.positions
                .get("gates")
                .copied()
                .unwrap_or_else(|| r.position_of("type")),
            format!("{} release `{}` has no docs gate", r.kind, r.id),
            "add `{name: Docs published, kind: docs, status: pending, due: T-2w}` under `gates:`"
                .into(),
        ));
        return;
    }
    for g in docs {
        let finished = matches!(g.status, GateStatus::Done | GateStatus::Waived);
        if let Some(due) = g.due
            && deadline(&due, r) > deadline_at
        {
            out.push(finding(
                "docs-gate",
                r,
                g.position,
                format!("docs gate `{}` is due {}, later than T-2w ({})", g.name, wording::moment(&due, r.timezone), wording::moment(&by, r.timezone)),
                "set `due: T-2w` or earlier: support, sales and partners need the docs before launch".into(),
            ));
        } else if !finished && input.now > deadline_at {
            out.push(finding(
                "docs-gate",
                r,
                g.position,
                format!(
                    "docs gate `{}` is not done and T-2w ({}) has passed",
                    g.name,
                    wording::moment(&by, r.timezone)
                ),
                "finish the docs and mark the gate `done` with evidence".into(),
            ));
        }
    }
}
