//! Points in time as release files write them: all-day dates or exact instants.

use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::offset::{Offset, OffsetUnit};

/// Whose business days `b` offsets count: the site's (weekends, holidays,
/// site-wide freezes), plus the freezes scoped to one team for that team's
/// releases and trains (SPEC §2). A `&SiteConfig` is the site's.
#[derive(Debug, Clone, Copy)]
pub struct Workdays<'a> {
    config: &'a SiteConfig,
    team: Option<&'a str>,
}

impl<'a> Workdays<'a> {
    /// The business days of `team`: its scoped freezes are days off too.
    pub fn of_team(config: &'a SiteConfig, team: &'a str) -> Self {
        Self {
            config,
            team: Some(team),
        }
    }

    /// True when `day` is not counted.
    pub fn is_off(&self, day: NaiveDate) -> bool {
        self.config.is_day_off_for(day, self.team)
    }
}

impl<'a> From<&'a SiteConfig> for Workdays<'a> {
    fn from(config: &'a SiteConfig) -> Self {
        Self { config, team: None }
    }
}

/// A date without a time (all-day) or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum Moment {
    /// An all-day date in the release's time zone.
    Day(NaiveDate),
    /// An exact instant.
    At(DateTime<Utc>),
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MomentError {
    /// Not one of the three accepted forms.
    #[error("`{0}` is not a date like `2026-12-01`, `2026-12-01T14:00` or `2026-12-01T14:00:00Z`")]
    Format(String),
    /// A UTC offset without its colon (`+0200`), which the format does not allow.
    #[error("`{0}` has the offset `{1}`; write it with a colon, as `{2}`")]
    OffsetColon(String, String, String),
    /// A local time that the time zone skips (DST gap).
    #[error("`{0}` does not exist in {1}: the clocks skip it (daylight saving time)")]
    Skipped(String, String),
    /// A year no release plan means (`20026-12-01`): it would also span
    /// thousands of calendar month pages.
    #[error("`{0}` is not between the years {FIRST_YEAR} and {LAST_YEAR}; check the year")]
    OutOfRange(String),
}

/// The first year a date may be in.
pub const FIRST_YEAR: i32 = 1970;
/// The last year a date may be in.
pub const LAST_YEAR: i32 = 2199;

/// Hour of day at which hour and minute offsets of an all-day date start.
const WORKDAY_START: u32 = 9;

/// The `+HHMM` at the end of a date-time like `2026-12-01T14:00+0200`.
fn colonless_offset(text: &str) -> Option<&str> {
    let offset = text.get(text.len().checked_sub(5)?..)?;
    let b = offset.as_bytes();
    let looks = matches!(b[0], b'+' | b'-') && b[1..].iter().all(u8::is_ascii_digit);
    (looks && text.contains([':'])).then_some(offset)
}

impl Moment {
    /// Reads one of the SPEC §3.1 forms; times without an offset are local to `tz`.
    pub fn parse(text: &str, tz: Tz) -> Result<Self, MomentError> {
        let moment = Self::parse_any_year(text, tz)?;
        let year = match moment {
            Moment::Day(d) => d.year(),
            Moment::At(t) => t.year(),
        };
        if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
            Ok(moment)
        } else {
            Err(MomentError::OutOfRange(text.trim().to_string()))
        }
    }

    fn parse_any_year(text: &str, tz: Tz) -> Result<Self, MomentError> {
        let text = text.trim();
        if let Some(offset) = colonless_offset(text) {
            let fixed = format!("{}:{}", &offset[..3], &offset[3..]);
            return Err(MomentError::OffsetColon(text.into(), offset.into(), fixed));
        }
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Moment::Day(day));
        }
        let normalized = text.replacen(' ', "T", 1);
        let with_offset = match normalized.strip_suffix(['Z', 'z']) {
            Some(head) => format!("{head}+00:00"),
            None => normalized.clone(),
        };
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%:z",
            "%Y-%m-%dT%H:%M%:z",
            "%Y-%m-%dT%H:%M:%S%.f%:z",
        ] {
            if let Ok(t) = DateTime::parse_from_str(&with_offset, fmt) {
                return Ok(Moment::At(t.with_timezone(&Utc)));
            }
        }
        for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
            if let Ok(local) = NaiveDateTime::parse_from_str(&normalized, fmt) {
                return tz
                    .from_local_datetime(&local)
                    .earliest()
                    .map(|t| Moment::At(t.with_timezone(&Utc)))
                    .ok_or_else(|| MomentError::Skipped(text.to_string(), tz.name().to_string()));
            }
        }
        Err(MomentError::Format(text.to_string()))
    }

    /// True for all-day dates.
    pub fn is_all_day(&self) -> bool {
        matches!(self, Moment::Day(_))
    }

    /// The calendar day this moment falls on in `tz`.
    pub fn local_date(&self, tz: Tz) -> NaiveDate {
        match self {
            Moment::Day(d) => *d,
            Moment::At(t) => t.with_timezone(&tz).date_naive(),
        }
    }

    /// A UTC instant for ordering and comparisons: an all-day date counts from its local midnight.
    pub fn start_utc(&self, tz: Tz) -> DateTime<Utc> {
        match self {
            Moment::Day(d) => local_to_utc(d.and_time(NaiveTime::MIN), tz)
                .unwrap_or_else(|| d.and_time(NaiveTime::MIN).and_utc()),
            Moment::At(t) => *t,
        }
    }

    /// The moment `offset` away from `self` (a ship date), per SPEC §3.1;
    /// business days are those of `days` (a `&SiteConfig`, or
    /// [`Workdays::of_team`] for a release or train of one team).
    pub fn offset_by<'a>(&self, offset: Offset, tz: Tz, days: impl Into<Workdays<'a>>) -> Moment {
        let days = days.into();
        let n = offset.amount;
        match (*self, offset.unit) {
            (Moment::Day(d), OffsetUnit::Days) => Moment::Day(add_days(d, n)),
            (Moment::Day(d), OffsetUnit::Weeks) => Moment::Day(add_days(d, n.saturating_mul(7))),
            (Moment::Day(d), OffsetUnit::BusinessDays) => {
                Moment::Day(add_business_days(d, n, days))
            }
            (Moment::Day(d), OffsetUnit::Months | OffsetUnit::Years) => {
                Moment::Day(add_months(d, months_of(offset)))
            }
            (Moment::Day(d), _) => {
                let start = d.and_time(
                    NaiveTime::from_hms_opt(WORKDAY_START, 0, 0).unwrap_or(NaiveTime::MIN),
                );
                let base = local_to_utc(start, tz).unwrap_or_else(|| start.and_utc());
                Moment::At(add_clock(base, offset))
            }
            (Moment::At(t), OffsetUnit::Minutes | OffsetUnit::Hours) => {
                Moment::At(add_clock(t, offset))
            }
            (Moment::At(t), unit) => {
                let local = t.with_timezone(&tz).naive_local();
                let day = match unit {
                    OffsetUnit::BusinessDays => add_business_days(local.date(), n, days),
                    OffsetUnit::Weeks => add_days(local.date(), n.saturating_mul(7)),
                    OffsetUnit::Months | OffsetUnit::Years => {
                        add_months(local.date(), months_of(offset))
                    }
                    _ => add_days(local.date(), n),
                };
                let shifted = day.and_time(local.time());
                Moment::At(local_to_utc(shifted, tz).unwrap_or_else(|| shifted.and_utc()))
            }
        }
    }
}

/// Local wall-clock time in `tz` to UTC; ambiguous times take the earlier
/// instant, times in a DST gap move forward by the gap (as clocks do).
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
        LocalResult::None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc)),
    }
}

fn add_days(day: NaiveDate, n: i64) -> NaiveDate {
    let step = Days::new(n.unsigned_abs());
    let moved = if n >= 0 {
        day.checked_add_days(step)
    } else {
        day.checked_sub_days(step)
    };
    moved.unwrap_or(day)
}

/// The offset in calendar months (`y` counts twelve).
fn months_of(offset: Offset) -> i64 {
    match offset.unit {
        OffsetUnit::Years => offset.amount.saturating_mul(12),
        _ => offset.amount,
    }
}

/// Moves `n` calendar months, clamping the day to the month's end (Jan 31 + 1 = Feb 28).
pub fn add_months(day: NaiveDate, n: i64) -> NaiveDate {
    let step = Months::new(u32::try_from(n.unsigned_abs()).unwrap_or(u32::MAX));
    let moved = if n >= 0 {
        day.checked_add_months(step)
    } else {
        day.checked_sub_months(step)
    };
    moved.unwrap_or(day)
}

fn add_clock(t: DateTime<Utc>, offset: Offset) -> DateTime<Utc> {
    let d = match offset.unit {
        OffsetUnit::Minutes => Duration::try_minutes(offset.amount),
        _ => Duration::try_hours(offset.amount),
    };
    d.and_then(|d| t.checked_add_signed(d)).unwrap_or(t)
}

/// Moves `n` business days from `day`, skipping weekends, holidays and
/// the freezes of `days`.
pub fn add_business_days<'a>(day: NaiveDate, n: i64, days: impl Into<Workdays<'a>>) -> NaiveDate {
    let days = days.into();
    let step = n.signum();
    let mut left = n.unsigned_abs();
    let mut current = day;
    // Bounded: a site frozen for decades must not hang the build.
    let mut budget = 200_000u32;
    while left > 0 && budget > 0 {
        current = add_days(current, step);
        if !days.is_off(current) {
            left -= 1;
        }
        budget -= 1;
    }
    current
}

/// The signed number of business days from `from` to `to`: how many
/// business days a move from `from` lands after (negative: before), the
/// inverse of [`add_business_days`] on business days.
pub fn business_days_between<'a>(
    from: NaiveDate,
    to: NaiveDate,
    days: impl Into<Workdays<'a>>,
) -> i64 {
    let days = days.into();
    let (start, end, sign) = if from <= to {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let count = start
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= end)
        .filter(|d| !days.is_off(*d))
        .count();
    sign * i64::try_from(count).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn at(s: &str) -> Moment {
        Moment::At(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn an_offset_without_its_colon_is_refused_with_the_fix() {
        let e = Moment::parse("2026-11-10T14:00+0200", chrono_tz::UTC).unwrap_err();
        assert!(e.to_string().contains("`+02:00`"), "{e}");
        assert!(Moment::parse("2026-11-10T14:00+02:00", chrono_tz::UTC).is_ok());
    }

    #[test]
    fn years_outside_1970_to_2199_are_typos() {
        let utc = chrono_tz::UTC;
        assert!(Moment::parse("2199-12-31T23:59Z", utc).is_ok());
        assert!(Moment::parse("1970-01-01", utc).is_ok());
        assert!(Moment::parse("20026-12-01", utc).is_err());
        for text in [
            "0202-12-01",
            "1969-12-31T23:00Z",
            "2200-01-01T00:00:00Z",
            "+12345-01-01",
        ] {
            assert_eq!(
                Moment::parse(text, utc),
                Err(MomentError::OutOfRange(text.into())),
                "{text}"
            );
        }
    }

    #[test]
    fn reads_the_three_forms() {
        assert_eq!(
            Moment::parse("2026-12-01", ny()).unwrap(),
            Moment::Day(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        );
        assert_eq!(
            Moment::parse("2026-12-01T14:00", ny()).unwrap(),
            at("2026-12-01T19:00:00Z")
        );
        assert_eq!(
            Moment::parse("2026-12-01T14:00:00Z", ny()).unwrap(),
            at("2026-12-01T14:00:00Z")
        );
        assert_eq!(
            Moment::parse("2026-12-01T14:00:00+02:00", ny()).unwrap(),
            at("2026-12-01T12:00:00Z")
        );
        assert_eq!(
            Moment::parse("2026-12-01T14:00+02:00", ny()).unwrap(),
            at("2026-12-01T12:00:00Z")
        );
    }

    #[test]
    fn rejects_garbage_and_skipped_local_times() {
        assert!(matches!(
            Moment::parse("next tuesday", ny()),
            Err(MomentError::Format(_))
        ));
        assert!(matches!(
            Moment::parse("2026-02-30", ny()),
            Err(MomentError::Format(_))
        ));
        assert!(matches!(
            Moment::parse("2026-03-08T02:30", ny()),
            Err(MomentError::Skipped(..))
        ));
    }

    #[test]
    fn dst_tuesday_after_november_change_is_15z() {
        // DST ends Sunday 2026-11-01 in New York.
        assert_eq!(
            Moment::parse("2026-11-03T10:00", ny()).unwrap(),
            at("2026-11-03T15:00:00Z")
        );
        assert_eq!(
            Moment::parse("2026-10-27T10:00", ny()).unwrap(),
            at("2026-10-27T14:00:00Z")
        );
    }

    #[test]
    fn day_offsets_of_timed_dates_keep_local_time_across_dst() {
        let config = SiteConfig::default();
        let ship = Moment::parse("2026-11-03T10:00", ny()).unwrap();
        assert_eq!(
            ship.offset_by(Offset::weeks(-1), ny(), &config),
            at("2026-10-27T14:00:00Z")
        );
        assert_eq!(
            ship.offset_by(Offset::hours(-2), ny(), &config),
            at("2026-11-03T13:00:00Z")
        );
    }

    #[test]
    fn all_day_offsets() {
        let config = SiteConfig::default();
        let ship = Moment::parse("2026-12-01", ny()).unwrap();
        let day = |s: &str| Moment::Day(s.parse().unwrap());
        assert_eq!(
            ship.offset_by(Offset::weeks(-2), ny(), &config),
            day("2026-11-17")
        );
        assert_eq!(
            ship.offset_by(Offset::days(3), ny(), &config),
            day("2026-12-04")
        );
        // Hours count from 09:00 local: T-2h is 07:00 EST = 12:00Z.
        assert_eq!(
            ship.offset_by(Offset::hours(-2), ny(), &config),
            at("2026-12-01T12:00:00Z")
        );
        assert_eq!(
            ship.offset_by(Offset::minutes(15), ny(), &config),
            at("2026-12-01T14:15:00Z")
        );
    }

    #[test]
    fn month_and_year_offsets_clamp_and_keep_local_time() {
        let config = SiteConfig::default();
        let day = |s: &str| Moment::Day(s.parse().unwrap());
        let jan31 = day("2027-01-31");
        let o = |t: &str| Offset::parse(t).unwrap();
        assert_eq!(
            jan31.offset_by(o("T+1mo"), ny(), &config),
            day("2027-02-28")
        );
        assert_eq!(
            jan31.offset_by(o("T-2mo"), ny(), &config),
            day("2026-11-30")
        );
        assert_eq!(
            day("2028-02-29").offset_by(o("T+1y"), ny(), &config),
            day("2029-02-28")
        );
        // 10:00 EST in January stays 10:00 local (EDT) in May.
        let ship = Moment::parse("2027-01-15T10:00", ny()).unwrap();
        assert_eq!(
            ship.offset_by(o("T+4mo"), ny(), &config),
            at("2027-05-15T14:00:00Z")
        );
    }

    #[test]
    fn business_days_skip_weekend_holiday_and_freeze() {
        let config = SiteConfig::parse(
            "holidays: [2026-11-26]\nfreeze:\n  - {name: F, start: 2026-12-21, end: 2026-12-31}\n",
            Path::new("shipdate.yaml"),
        )
        .unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Tue 1 Dec minus 3 business days: Mon 30, Fri 27, (Thu 26 holiday) Wed 25.
        assert_eq!(
            add_business_days(d("2026-12-01"), -3, &config),
            d("2026-11-25")
        );
        // Fri 18 Dec plus 1: the freeze and New Year's weekend are skipped.
        assert_eq!(
            add_business_days(d("2026-12-18"), 1, &config),
            d("2027-01-01")
        );
        assert_eq!(
            add_business_days(d("2026-12-01"), 0, &config),
            d("2026-12-01")
        );
    }

    #[test]
    fn a_scoped_freeze_is_skipped_only_for_its_teams() {
        let config = SiteConfig::parse(
            "teams: [{id: web}, {id: api}]\nfreeze:\n  - {name: Web freeze, start: 2026-11-25, end: 2026-11-27, teams: [web]}\n",
            Path::new("shipdate.yaml"),
        )
        .unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let tue = d("2026-12-01");
        // Tue 1 Dec minus 3 business days: api counts Mon 30, Fri 27, Thu 26 ...
        assert_eq!(add_business_days(tue, -3, &config), d("2026-11-26"));
        assert_eq!(
            add_business_days(tue, -3, Workdays::of_team(&config, "api")),
            d("2026-11-26")
        );
        // ... web skips its freeze (Wed 25 to Fri 27): Mon 30, Tue 24, Mon 23.
        let web = Workdays::of_team(&config, "web");
        assert_eq!(add_business_days(tue, -3, web), d("2026-11-23"));
        assert_eq!(business_days_between(d("2026-11-23"), tue, web), 3);
        assert_eq!(business_days_between(d("2026-11-23"), tue, &config), 6);
        // Timed moments keep their clock time and skip the same days.
        let ship = Moment::parse("2026-12-01T10:00", Tz::UTC).unwrap();
        assert_eq!(
            ship.offset_by(Offset::parse("T-3b").unwrap(), Tz::UTC, web),
            Moment::parse("2026-11-23T10:00", Tz::UTC).unwrap()
        );
    }

    #[test]
    fn near_midnight_dates_fall_on_the_local_day() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let m = Moment::parse("2026-12-01T23:30", berlin).unwrap();
        assert_eq!(m, at("2026-12-01T22:30:00Z"));
        assert_eq!(
            m.local_date(berlin),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        assert_eq!(
            m.local_date(ny()),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        assert_eq!(
            m.local_date(tokyo),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
    }

    #[test]
    fn business_days_between_inverts_add_business_days() {
        let config = SiteConfig::parse(
            "holidays: [2026-11-26]\nfreeze:\n  - {name: F, start: 2026-12-21, end: 2026-12-23}\n",
            Path::new("shipdate.yaml"),
        )
        .unwrap();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let tue = day("2026-11-24");
        for n in [-12, -5, -1, 0, 1, 2, 5, 20] {
            let moved = add_business_days(tue, n, &config);
            assert_eq!(business_days_between(tue, moved, &config), n, "{n}");
        }
        // Tue 24 Nov to Tue 1 Dec: Wed, (Thu holiday), Fri, Mon, Tue.
        assert_eq!(business_days_between(tue, day("2026-12-01"), &config), 4);
        assert_eq!(business_days_between(day("2026-12-01"), tue, &config), -4);
        // Onto a weekend: the business days passed.
        assert_eq!(
            business_days_between(day("2026-11-27"), day("2026-11-29"), &config),
            0
        );
    }
}
