//! Human-readable dates for pages.

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use crate::content::frontmatter::RoadmapPrecision;
use crate::moment::Moment;

/// "Tue 1 Dec 2026" or "Tue 1 Dec 2026, 14:00 EST".
pub fn moment(m: &Moment, tz: Tz) -> String {
    match m {
        Moment::Day(d) => day(*d),
        Moment::At(t) => t
            .with_timezone(&tz)
            .format("%a %-d %b %Y, %H:%M %Z")
            .to_string(),
    }
}

/// A moment that may be undecided: "date to be decided" for `tbd`.
pub fn maybe(m: Option<&Moment>, tz: Tz) -> String {
    m.map_or_else(|| TBD.to_string(), |m| moment(m, tz))
}

/// How an undecided (`tbd`) date reads on pages.
pub const TBD: &str = "date to be decided";

/// "Tue 1 Dec 2026".
pub fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// "14:00" for timed moments, empty for all-day ones.
pub fn time_of_day(m: &Moment, tz: Tz) -> String {
    match m {
        Moment::Day(_) => String::new(),
        Moment::At(t) => t.with_timezone(&tz).format("%H:%M").to_string(),
    }
}

/// ISO 8601 for `<time datetime>`: a date, or an instant in UTC.
pub fn iso(m: &Moment) -> String {
    match m {
        Moment::Day(d) => d.format("%Y-%m-%d").to_string(),
        Moment::At(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

/// "December 2026" or "Q4 2026".
pub fn rounded(d: NaiveDate, precision: RoadmapPrecision) -> String {
    match precision {
        RoadmapPrecision::Month => d.format("%B %Y").to_string(),
        RoadmapPrecision::Quarter => format!("Q{} {}", d.month0() / 3 + 1, d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_days_times_and_rounding() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let d: NaiveDate = "2026-12-01".parse().unwrap();
        assert_eq!(day(d), "Tue 1 Dec 2026");
        let m = Moment::parse("2026-12-01T14:00", tz).unwrap();
        assert_eq!(moment(&m, tz), "Tue 1 Dec 2026, 14:00 EST");
        assert_eq!(iso(&m), "2026-12-01T19:00:00Z");
        assert_eq!(rounded(d, RoadmapPrecision::Quarter), "Q4 2026");
        assert_eq!(rounded(d, RoadmapPrecision::Month), "December 2026");
    }
}
