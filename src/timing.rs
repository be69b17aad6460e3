//! When planned moments count, below both the rules and the pages: an
//! all-day value is 09:00 in the release's zone (SPEC §5.2), stale releases,
//! the public roadmap's precision. `checks::timing` re-exports these for
//! the rules; `render` asks `roadmap_precision` so a stale plan is not
//! published.

use chrono::{DateTime, NaiveTime, Utc};

use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::frontmatter::{RoadmapPrecision, Status};
use crate::moment::{Moment, local_to_utc};
use crate::offset::{Offset, OffsetUnit};

/// One business day, as an offset.
pub const ONE_BUSINESS_DAY: Offset = Offset {
    amount: 1,
    unit: OffsetUnit::BusinessDays,
};

/// The instant rules compare `m` at: an all-day value counts as 09:00 in the
/// release's zone (the anchor of hour offsets, SPEC §5.2).
pub fn instant(m: &Moment, r: &Release) -> DateTime<Utc> {
    match m {
        Moment::Day(d) => {
            let nine = d.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN));
            local_to_utc(nine, r.timezone).unwrap_or_else(|| nine.and_utc())
        }
        Moment::At(t) => *t,
    }
}

/// `m` moved by `offset` (business days skip weekends, holidays and freezes), as an instant.
pub fn after(m: &Moment, offset: Offset, r: &Release, config: &SiteConfig) -> DateTime<Utc> {
    instant(&m.offset_by(offset, r.timezone, config), r)
}

/// Still `planned`, `in-progress` or `delayed` more than one business day
/// after its ship date: the plan is out of date.
pub fn is_stale(r: &Release, config: &SiteConfig, now: DateTime<Utc>) -> bool {
    matches!(
        r.status,
        Status::Planned | Status::InProgress | Status::Delayed
    ) && r
        .date
        .is_some_and(|d| now > after(&d, ONE_BUSINESS_DAY, r, config))
}

/// The release's public-roadmap precision at `now`: opted in, not shipped,
/// not cancelled, and not stale (a stale plan is not published).
pub fn roadmap_precision(
    r: &Release,
    config: &SiteConfig,
    now: DateTime<Utc>,
) -> Option<RoadmapPrecision> {
    r.on_roadmap().filter(|_| !is_stale(r, config, now))
}
