//! Communication rules: stakeholders are told, support first, teams not overloaded.

use std::collections::BTreeMap;

use super::{CheckInput, finding, is_live};
use crate::diagnostic::Diagnostic;

/// A customer-facing release tells support, and before it ships.
fn support_notified(
    r: &crate::content::Release,
    at: crate::diagnostic::Position,
    out: &mut Vec<Diagnostic>,
) {
    use crate::timing::instant;
    // Listed is what counts; a `tbd` release has no notification times yet.
    if !r.stakeholders.iter().any(|g| g == "support") {
        out.push(finding(
            "support-not-notified",
            r,
            at,
            format!("customer-facing release `{}` does not notify support", r.id),
            "add `support` to `stakeholders:` so support hears about it before customers do".into(),
        ));
        return;
    }
    let support = r.notifications.iter().find(|n| n.group == "support");
    if let (Some(n), Some(d)) = (support, r.date)
        && instant(&n.when, r) >= instant(&d, r)
    {
        out.push(finding(
            "support-not-notified",
            r,
            at,
            format!(
                "support hears about `{}` only {}, when it has already shipped",
                r.id,
                crate::wording::moment(&n.when, r.timezone)
            ),
            "give `support` an offset before the ship date (`{id: support, at: T-5b}`)".into(),
        ));
    }
}

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    let mut per_team_day: BTreeMap<(&str, chrono::NaiveDate), Vec<&crate::content::Release>> =
        BTreeMap::new();
    for r in input.releases.iter().filter(|r| is_live(r)) {
        if let Some(day) = r.ship_day() {
            per_team_day
                .entry((r.team.as_str(), day))
                .or_default()
                .push(r);
        }
        let at = r
            .positions
            .get("stakeholders")
            .copied()
            .unwrap_or_else(|| r.position_of("type"));
        if matches!(r.kind.as_str(), "minor" | "major" | "launch") && r.stakeholders.is_empty() {
            out.push(finding(
                "silent-release",
                r,
                at,
                format!("{} release `{}` notifies no stakeholder", r.kind, r.id),
                "list who must know under `stakeholders:` (e.g. [support, csm]) or remove the override to use the type's defaults".into(),
            ));
        } else if r.is_customer_facing() {
            support_notified(r, at, out);
        }
    }
    let limit = input.config.lockstep_limit as usize;
    for ((team, day), releases) in per_team_day {
        if releases.len() > limit {
            let ids: Vec<&str> = releases.iter().map(|r| r.id.as_str()).collect();
            for r in &releases {
                out.push(finding(
                    "lockstep",
                    r,
                    r.position_of("date"),
                    format!("team `{team}` ships {} releases on {day} ({}), more than `lockstep_limit` {limit}", releases.len(), ids.join(", ")),
                    "spread the releases over several days, or bundle them into one".into(),
                ));
            }
        }
    }
}
