//! "Now" as the per-release rules read it, noting which of their answers
//! would change when it moves, so a `serve` session can keep a release's
//! findings from one rebuild to the next while the clock ticks.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The build's "now", and the span of instants around it over which every
/// answer given so far stays the same.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    now: DateTime<Utc>,
    /// Some `passed` answer was yes: a later "now" must still be after this.
    after: Option<DateTime<Utc>>,
    /// Some `passed` answer was no: a later "now" must not be after this.
    until: Option<DateTime<Utc>>,
    /// Days `today` answered, per time zone.
    days: Vec<(Tz, NaiveDate)>,
}

impl Clock {
    /// A clock at `now` that has answered nothing yet.
    pub(crate) fn new(now: DateTime<Utc>) -> Self {
        Self {
            now,
            after: None,
            until: None,
            days: Vec::new(),
        }
    }

    /// Is "now" after `instant`?
    pub(crate) fn passed(&mut self, instant: DateTime<Utc>) -> bool {
        let passed = self.now > instant;
        if passed {
            self.after = self.after.max(Some(instant));
        } else {
            self.until = Some(self.until.map_or(instant, |u| u.min(instant)));
        }
        passed
    }

    /// Today's date in `tz`.
    pub(crate) fn today(&mut self, tz: Tz) -> NaiveDate {
        let day = self.now.with_timezone(&tz).date_naive();
        if !self.days.contains(&(tz, day)) {
            self.days.push((tz, day));
        }
        day
    }

    /// Would every answer given so far be the same at `now`?
    pub(crate) fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.after.is_none_or(|a| now > a)
            && self.until.is_none_or(|u| now <= u)
            && self
                .days
                .iter()
                .all(|(tz, day)| now.with_timezone(tz).date_naive() == *day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("an RFC 3339 time")
    }

    #[test]
    fn answers_hold_until_an_instant_asked_about_is_crossed() {
        let mut c = Clock::new(at("2026-11-23T12:00:00Z"));
        assert!(c.passed(at("2026-11-20T00:00:00Z")));
        assert!(!c.passed(at("2026-11-25T00:00:00Z")));
        assert!(c.holds_at(at("2026-11-23T12:00:00Z")));
        assert!(c.holds_at(at("2026-11-25T00:00:00Z")));
        assert!(!c.holds_at(at("2026-11-25T00:00:01Z")));
        assert!(c.holds_at(at("2026-11-20T00:00:01Z")));
        assert!(!c.holds_at(at("2026-11-20T00:00:00Z")));
    }

    #[test]
    fn a_day_asked_about_holds_until_local_midnight() {
        let mut c = Clock::new(at("2026-11-23T12:00:00Z"));
        assert!(c.holds_at(at("2030-01-01T00:00:00Z")), "nothing asked yet");
        let tz: Tz = "Asia/Tokyo".parse().expect("a zone");
        assert_eq!(c.today(tz).to_string(), "2026-11-23");
        assert!(c.holds_at(at("2026-11-23T14:59:59Z")));
        assert!(!c.holds_at(at("2026-11-23T15:00:00Z")), "midnight in Tokyo");
    }
}
