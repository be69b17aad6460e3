//! Time facts the rules and the dashboard share: when a planned moment
//! counts (an all-day value is 09:00 in the release's zone), stale releases,
//! notifications due.

use chrono::{DateTime, NaiveTime, Utc};

use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::frontmatter::Status;
use crate::content::release::Notification;
use crate::moment::{Moment, Workdays, local_to_utc};
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

/// The last instant something due at `m` is still on time: a date-only
/// value covers its whole day (up to the next local midnight), a clock time
/// is itself. "Done by T-2w" and a gate `due:` include the day they name.
pub fn deadline(m: &Moment, r: &Release) -> DateTime<Utc> {
    match m {
        Moment::Day(d) => {
            let next = d.succ_opt().unwrap_or(*d);
            Moment::Day(next).start_utc(r.timezone)
        }
        Moment::At(t) => *t,
    }
}

/// `m` moved by `offset` (business days skip weekends, holidays and the
/// freezes of `r`'s team), as an instant.
pub fn after(m: &Moment, offset: Offset, r: &Release, config: &SiteConfig) -> DateTime<Utc> {
    let days = Workdays::of_team(config, &r.team);
    instant(&m.offset_by(offset, r.timezone, days), r)
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

/// A notification whose time passed more than one business day ago and
/// that has no `notified` record, on a release not cancelled.
pub fn is_overdue(n: &Notification, r: &Release, config: &SiteConfig, now: DateTime<Utc>) -> bool {
    overdue_after(n, r, config).is_some_and(|due| now > due)
}

/// The instant after which notification `n` is overdue ([`is_overdue`]);
/// `None` when it never is (recorded, or the release is cancelled).
pub fn overdue_after(n: &Notification, r: &Release, config: &SiteConfig) -> Option<DateTime<Utc>> {
    (r.status != Status::Cancelled && !r.notified.contains_key(&n.group))
        .then(|| after(&n.when, ONE_BUSINESS_DAY, r, config))
}

/// The release's public-roadmap precision at `now`: opted in, not shipped,
/// not cancelled, and not stale (a stale plan is not published).
pub fn roadmap_precision(
    r: &Release,
    config: &SiteConfig,
    now: DateTime<Utc>,
) -> Option<crate::content::frontmatter::RoadmapPrecision> {
    r.on_roadmap().filter(|_| !is_stale(r, config, now))
}

/// A length of time in words: `1b` → "1 business day", `72h` → "72 hours".
pub fn length_words(o: Offset) -> String {
    let unit = match o.unit {
        OffsetUnit::Minutes => "minute",
        OffsetUnit::Hours => "hour",
        OffsetUnit::Days => "day",
        OffsetUnit::Weeks => "week",
        OffsetUnit::BusinessDays => "business day",
        OffsetUnit::Months => "month",
        OffsetUnit::Years => "year",
    };
    let n = o.amount.abs();
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}
