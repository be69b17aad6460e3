//! Learning rules: shipped releases get a post-launch review with results.

use chrono::Duration;

use super::{CheckInput, finding};
use crate::diagnostic::Diagnostic;

/// How long after shipping results are expected.
const REVIEW_AFTER_DAYS: i64 = 14;

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    let cutoff = input.now - Duration::days(REVIEW_AFTER_DAYS);
    for r in input.releases.iter().filter(|r| r.has_shipped()) {
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
