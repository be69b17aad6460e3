//! Time facts the rules and the dashboard share: when a planned moment
//! counts (an all-day value is 09:00 in the release's zone), stale releases,
//! notifications due.

use chrono::{DateTime, Utc};

use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::frontmatter::Status;
use crate::content::release::Notification;
use crate::moment::Moment;
use crate::offset::{Offset, OffsetUnit};

pub use crate::timing::{ONE_BUSINESS_DAY, after, instant, is_stale, roadmap_precision};

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

/// A notification whose time passed more than one business day ago and
/// that has no `notified` record, on a release not cancelled.
pub fn is_overdue(n: &Notification, r: &Release, config: &SiteConfig, now: DateTime<Utc>) -> bool {
    r.status != Status::Cancelled
        && !r.notified.contains_key(&n.group)
        && now > after(&n.when, ONE_BUSINESS_DAY, r, config)
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
