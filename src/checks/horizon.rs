//! Horizon rule: a ship date or milestone more than five years out is
//! almost always a typo in the year (support phases and end of life may be
//! far out).

use super::{CheckInput, finding, is_live};
use crate::diagnostic::Diagnostic;
use crate::moment::add_months;
use crate::wording;

/// How far ahead a plan may reasonably reach, in months.
const HORIZON_MONTHS: i64 = 60;

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    for r in input.releases.iter().filter(|r| is_live(r)) {
        let limit = add_months(
            input.now.with_timezone(&r.timezone).date_naive(),
            HORIZON_MONTHS,
        );
        let hint = || {
            format!(
                "check the year: plans rarely reach past {} (five years from now); support phases and `eol` may",
                wording::day(limit)
            )
        };
        if let Some(day) = r.ship_day().filter(|d| *d > limit) {
            out.push(finding(
                "far-future",
                r,
                r.position_of("date"),
                format!(
                    "ships on {}, more than five years from now",
                    wording::day(day)
                ),
                hint(),
            ));
        }
        for m in &r.milestones {
            let Some(day) = m
                .when
                .map(|w| w.local_date(r.timezone))
                .filter(|d| *d > limit)
            else {
                continue;
            };
            out.push(finding(
                "far-future",
                r,
                r.position_of("milestones"),
                format!(
                    "milestone `{}` is on {}, more than five years from now",
                    m.name,
                    wording::day(day)
                ),
                hint(),
            ));
        }
    }
}
