//! Learning rules: shipped releases that define metrics get a post-launch
//! review with results.

use chrono::Duration;

use super::{CheckInput, finding};
use crate::diagnostic::Diagnostic;

/// How long after shipping results are expected.
const REVIEW_AFTER_DAYS: i64 = 14;

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    for r in input.releases {
        outcome_values(r, out);
    }
    let cutoff = input.now - Duration::days(REVIEW_AFTER_DAYS);
    // Only a release that defines metrics has results to record (SPEC §5.2).
    let measured = input
        .releases
        .iter()
        .filter(|r| r.has_shipped() && !r.metrics.is_empty());
    for r in measured {
        let Some(date) = r.date else { continue };
        if date.start_utc(r.timezone) >= cutoff {
            continue;
        }
        if !r.metrics.iter().any(|m| m.actual.is_some()) {
            let at = r
                .positions
                .get("metrics")
                .copied()
                .unwrap_or_else(|| r.position_of("status"));
            out.push(finding(
                "post-launch-review",
                r,
                at,
                format!(
                    "`{}` shipped {} and has no metric actuals",
                    r.id,
                    date.local_date(r.timezone)
                ),
                "hold the post-launch review and record `actual:` for each metric under `metrics:`"
                    .into(),
            ));
        }
    }
}

/// Values YAML can hold but an outcome cannot (SPEC §5.1): hours that are
/// not a number, infinite or negative, a rollback level outside 1–3.
fn outcome_values(r: &crate::content::Release, out: &mut Vec<Diagnostic>) {
    let Some(o) = &r.outcome else { return };
    let mut bad = |message: String, hint: &str| {
        out.push(
            Diagnostic::error("invalid-value", &r.path, r.position_of("outcome"), message)
                .with_hint(hint),
        );
    };
    if let Some(h) = o.coordination_hours
        && !(h.is_finite() && h >= 0.0)
    {
        bad(
            format!("`outcome.coordination_hours` is {h}, not a number of hours"),
            "write the hours spent as a number, 0 or more, such as `6.5`",
        );
    }
    if let Some(level) = o.rollback_level
        && !(1..=3).contains(&level)
    {
        bad(
            format!("`outcome.rollback_level` is {level}, not 1, 2 or 3"),
            "1 = flag turned off, 2 = partial rollback, 3 = full rollback",
        );
    }
}
