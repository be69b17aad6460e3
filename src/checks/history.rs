//! Rules that need git history: late scope changes and shallow clones.

use chrono::Duration;

use super::{CheckInput, finding};
use crate::content::CONTENT_DIR;
use crate::diagnostic::{Diagnostic, Position};
use crate::history::{LateChange, State};

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    if input.history.state == State::Shallow {
        out.push(
            Diagnostic::warning(
                "shallow-history",
                CONTENT_DIR,
                Position::new(1, 1),
                "the git history is shallow (a partial clone): commit counts are too low, so calendar \
                 SEQUENCE numbers can go backwards for subscribers, and slips before the cut are unknown",
            )
            .with_hint(
                "fetch the whole history: `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout",
            ),
        );
    }
    let days = input.config.late_change_days;
    for r in input.releases.iter().filter(|r| super::is_live(r)) {
        let Some(late) = input.history.file(&r.path).map(|h| &h.late) else {
            continue;
        };
        let Some(ship_day) = r.ship_day() else {
            continue;
        };
        // Old news once the release is well past its ship date.
        let (_, ship_end) = crate::history::late_window(r, days);
        if late.is_empty() || ship_end + Duration::days(i64::from(days)) < input.now {
            continue;
        }
        let list: Vec<String> = late.iter().map(describe).collect();
        out.push(finding(
            "late-scope-change",
            r,
            r.position_of("date"),
            format!(
                "`{}` changed within {days} days of its ship date {}: {}",
                r.id,
                ship_day,
                list.join("; ")
            ),
            "confirm the change with everyone involved (owner, support, stakeholders), or move the ship date"
                .into(),
        ));
    }
}

/// "2026-11-28 by Dana Lee: `rollout`, section “Known issues”".
fn describe(c: &LateChange) -> String {
    let who = match &c.commit {
        Some(id) => format!(
            "{} by {} ({})",
            c.at.format("%Y-%m-%d"),
            c.author,
            &id[..id.len().min(8)]
        ),
        None => "uncommitted edits".to_string(),
    };
    let mut what: Vec<String> = c.keys.iter().map(|k| format!("`{k}`")).collect();
    what.extend(c.sections.iter().map(|s| format!("section “{s}”")));
    format!("{who}: {}", what.join(", "))
}
