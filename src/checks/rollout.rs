//! Launch-safety rules: rollback plans, staged rollouts, announcements after
//! the rollout, someone on call for risky releases.

use super::clock::Clock;
use super::{finding, is_big, is_live};
use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::frontmatter::{Risk, Strategy};
use crate::diagnostic::Diagnostic;
use crate::wording;

/// The rules of this family for one release (they read no other release, nor "now").
pub(super) fn check_release(
    _config: &SiteConfig,
    r: &Release,
    _clock: &mut Clock,
    out: &mut Vec<Diagnostic>,
) {
    if !is_live(r) {
        return;
    }
    if is_big(r)
        && r.rollback
            .as_ref()
            .and_then(|b| b.plan.as_deref())
            .is_none_or(|p| p.trim().is_empty())
    {
        let at = r
            .positions
            .get("rollback")
            .copied()
            .unwrap_or_else(|| r.position_of("type"));
        out.push(finding(
            "rollback-plan",
            r,
            at,
            format!("{} release `{}` has no rollback plan", r.kind, r.id),
            "add `rollback: {plan: …, owner: …, triggers: […]}` so the on-call knows how to undo it".into(),
        ));
    }
    if let Some(rollout) = &r.rollout
        && is_big(r)
        && rollout.strategy == Some(Strategy::BigBang)
    {
        out.push(finding(
            "big-bang-rollout",
            r,
            rollout.position,
            format!(
                "{} release `{}` rolls out big-bang, to everyone at once",
                r.kind, r.id
            ),
            "use `canary`, `blue-green` or `feature-flag` with phases (1% → 10% → 50% → 100%)"
                .into(),
        ));
    }
    if r.risk == Some(Risk::High) && r.on_call.as_deref().is_none_or(|o| o.trim().is_empty()) {
        out.push(finding(
            "on-call",
            r,
            r.positions
                .get("risk")
                .copied()
                .unwrap_or_else(|| r.position_of("title")),
            format!("high-risk release `{}` has nobody on call", r.id),
            "add `on_call:` with the engineer who watches the rollout".into(),
        ));
    }
    announce_before_rollout(r, out);
}

/// The announcement must not precede the ship date or the 100% rollout phase.
fn announce_before_rollout(r: &crate::content::Release, out: &mut Vec<Diagnostic>) {
    let (Some(announce), Some(date)) = (r.announce, r.date) else {
        return;
    };
    if !r.is_customer_facing() {
        return;
    }
    let at = r
        .positions
        .get("announce")
        .copied()
        .unwrap_or_else(|| r.position_of("date"));
    let announce_at = announce.start_utc(r.timezone);
    // An all-day announcement on the ship day is the normal case, not "before".
    let announced_day = announce.local_date(r.timezone);
    if announce_at < date.start_utc(r.timezone) && announced_day < date.local_date(r.timezone) {
        out.push(finding(
            "announce-before-rollout",
            r,
            at,
            format!(
                "`{}` is announced {} but ships {}",
                r.id,
                wording::moment(&announce, r.timezone),
                wording::moment(&date, r.timezone)
            ),
            "set `announce:` on or after the ship date".into(),
        ));
        return;
    }
    let Some(rollout) = &r.rollout else { return };
    if rollout.phases.is_empty() {
        return;
    }
    match rollout
        .phases
        .iter()
        .find(|p| p.percent.is_some_and(|pc| pc >= 100.0))
        .map(|p| (p, p.start))
    {
        Some((full, Some(start))) if start.local_date(r.timezone) > announced_day => {
            out.push(finding(
                "announce-before-rollout",
                r,
                at,
                format!(
                    "`{}` is announced {} but reaches 100% only on {} (phase `{}`)",
                    r.id,
                    wording::moment(&announce, r.timezone),
                    wording::moment(&start, r.timezone),
                    full.name
                ),
                format!(
                    "announce on or after {}",
                    wording::day(start.local_date(r.timezone))
                ),
            ))
        }
        Some(_) => {}
        None => out.push(finding(
            "announce-before-rollout",
            r,
            at,
            format!("`{}` is announced but its rollout never reaches 100%", r.id),
            "add a final phase with `percent: 100`, or set `announce: false` until it does".into(),
        )),
    }
}
