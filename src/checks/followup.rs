//! Follow-through rules: plans kept current, dependencies ready with a
//! margin, post-mortems after rollbacks and P0/P1 incidents, actions done.

use std::collections::HashMap;

use super::{CheckInput, finding, is_live};
use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::frontmatter::Status;
use crate::diagnostic::Diagnostic;
use crate::moment::Workdays;
use crate::offset::{Offset, OffsetUnit};
use crate::timing::{after, instant, is_stale};
use crate::wording;

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    let by_id: HashMap<&str, &Release> = input
        .releases
        .iter()
        .map(|r| (r.id.as_str(), r.as_ref()))
        .collect();
    for r in input.releases.iter().filter(|r| is_live(r)) {
        if is_stale(r, input.config, input.now) {
            out.push(finding(
                "stale-status",
                r,
                r.positions.get("status").copied().unwrap_or_else(|| r.position_of("date")),
                format!(
                    "`{}` is still {} though it was to ship {}",
                    r.id,
                    r.status.as_str(),
                    r.date.map(|d| wording::moment(&d, r.timezone)).unwrap_or_default()
                ),
                "set `status:` to what happened (`shipped`, `delayed` with a new `date`, or `cancelled`)".into(),
            ));
        }
        if !r.has_shipped() {
            for dep in &r.depends_on {
                if let Some(up) = by_id.get(dep.value.as_str()) {
                    dependency(input, r, up, dep.position, out);
                }
            }
        }
        postmortem(input, r, out);
        actions(input, r, out);
    }
}

/// The release depends on `up`: `up` must be on track, and ship `dependency_margin` earlier.
fn dependency(
    input: &CheckInput,
    r: &Release,
    up: &Release,
    at: crate::diagnostic::Position,
    out: &mut Vec<Diagnostic>,
) {
    let not_ready = match up.status {
        Status::Cancelled | Status::RolledBack | Status::Delayed => Some(up.status.as_str()),
        _ if up.date.is_none() => Some("planned with `date: tbd`"),
        _ if is_stale(up, input.config, input.now) => {
            Some("stale (its ship date passed and its status was not updated)")
        }
        _ => None,
    };
    if let Some(why) = not_ready {
        out.push(finding(
            "dependency-not-ready",
            r,
            at,
            format!("`{}` depends on `{}`, which is {why}", r.id, up.id),
            format!("agree a new plan with the owners of `{}`: drop the dependency, move `date`, or wait until it ships", up.id),
        ));
        return;
    }
    let margin = input.config.dependency_margin;
    let (Some(date), Some(up_date)) = (r.date, up.date) else {
        return;
    };
    // Shipping before (or with) the dependency is `dependency-order`'s error.
    if !super::ships_too_early(r, up) && ships_inside_margin(r, up, input.config) {
        out.push(finding(
            "dependency-margin",
            r,
            at,
            format!(
                "`{}` ships {}, less than {} after `{}` ({})",
                r.id,
                wording::moment(&date, r.timezone),
                crate::timing::length_words(margin),
                up.id,
                wording::moment(&up_date, up.timezone)
            ),
            format!(
                "ship on or after {}: a slip of `{}` must not take this release with it",
                wording::moment(
                    &up_date.offset_by(
                        margin,
                        up.timezone,
                        Workdays::of_team(input.config, &up.team)
                    ),
                    up.timezone
                ),
                up.id
            ),
        ));
    }
}

/// `release` ships less than `dependency_margin` (SPEC §2) after `upstream`,
/// an all-day date counting as 09:00 in its zone: the `dependency-margin`
/// warning, also what `shipdate diff` reports as a broken margin. A `tbd`
/// date on either side has no margin yet.
pub(crate) fn ships_inside_margin(
    release: &Release,
    upstream: &Release,
    config: &SiteConfig,
) -> bool {
    let (Some(date), Some(up_date)) = (release.date, upstream.date) else {
        return false;
    };
    instant(&date, release) < after(&up_date, config.dependency_margin, upstream, config)
}

/// A rollback (level 2 or 3, or `rolled-back`) or a P0/P1 incident needs a
/// post-mortem two business days after the ship date.
fn postmortem(input: &CheckInput, r: &Release, out: &mut Vec<Diagnostic>) {
    let outcome = r.outcome.as_ref();
    let rolled_back = r.status == Status::RolledBack
        || outcome.is_some_and(|o| matches!(o.rollback_level, Some(2 | 3)));
    let incident = outcome.and_then(|o| {
        o.incidents
            .iter()
            .find(|i| matches!(i.severity.trim().to_uppercase().as_str(), "P0" | "P1"))
    });
    if !(rolled_back || incident.is_some())
        || outcome.is_some_and(|o| {
            o.postmortem
                .as_deref()
                .is_some_and(|p| !p.trim().is_empty())
        })
    {
        return;
    }
    let due = Offset {
        amount: 2,
        unit: OffsetUnit::BusinessDays,
    };
    if r.date
        .is_none_or(|d| input.now <= after(&d, due, r, input.config))
    {
        return;
    }
    let why = match incident {
        Some(i) => format!("had a {} incident ({})", i.severity.trim(), i.summary),
        None => "was rolled back".into(),
    };
    out.push(finding(
        "postmortem-missing",
        r,
        r.positions.get("outcome").copied().unwrap_or_else(|| r.position_of("status")),
        format!("`{}` {why} and has no post-mortem", r.id),
        "hold the post-mortem and link it as `outcome.postmortem`, with follow-ups under `outcome.actions`".into(),
    ));
}

/// Follow-up actions not done after their due date.
fn actions(input: &CheckInput, r: &Release, out: &mut Vec<Diagnostic>) {
    let Some(outcome) = &r.outcome else { return };
    let today = input.now.with_timezone(&r.timezone).date_naive();
    for a in outcome.actions.iter().filter(|a| !a.done) {
        if let Some(due) = a.due.filter(|d| *d < today) {
            let owner = a
                .owner
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            out.push(finding(
                "action-overdue",
                r,
                r.position_of("outcome"),
                format!(
                    "follow-up action \"{}\"{owner} was due {} and is not done",
                    a.what,
                    wording::day(due)
                ),
                "finish it and set `done: true`, or agree a new `due:` with its owner".into(),
            ));
        }
    }
}
