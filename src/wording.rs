//! How dates, times and roadmap periods are worded, for pages and for rule
//! messages alike: below both `render` and `checks`, beside `moment`.

use std::sync::LazyLock;

use chrono::format::{Item, StrftimeItems};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use crate::content::frontmatter::RoadmapPrecision;
use crate::moment::Moment;

/// A strftime pattern parsed once. `format("…")` parses its pattern again
/// on every call; at 2,000 releases the pages word some 80,000 dates, and
/// parsing was about a third of the cost of each.
type Pattern = LazyLock<Vec<Item<'static>>>;

/// The parsed items of `pattern`.
fn parse(pattern: &'static str) -> Vec<Item<'static>> {
    StrftimeItems::new(pattern).collect()
}

static DAY: Pattern = LazyLock::new(|| parse("%a %-d %b %Y"));
static DAY_TIME: Pattern = LazyLock::new(|| parse("%a %-d %b %Y, %H:%M %Z"));
static TIME: Pattern = LazyLock::new(|| parse("%H:%M %Z"));
static ZONE: Pattern = LazyLock::new(|| parse("%Z"));
static ISO_DAY: Pattern = LazyLock::new(|| parse("%Y-%m-%d"));
static ISO_UTC: Pattern = LazyLock::new(|| parse("%Y-%m-%dT%H:%M:%SZ"));

/// "Tue 1 Dec 2026" or "Tue 1 Dec 2026, 14:00 EST".
pub fn moment(m: &Moment, tz: Tz) -> String {
    match m {
        Moment::Day(d) => day(*d),
        Moment::At(t) => t
            .with_timezone(&tz)
            .format_with_items(DAY_TIME.iter())
            .to_string(),
    }
}

/// The end of a period as people say it: an all-day period ends the day
/// before its exclusive end, and one that ends at local midnight ends on the
/// day before too ("until Tue 22 Apr", not "Wed 23 Apr, 00:00"); any other
/// instant is worded with its time.
pub fn period_end(end: &Moment, tz: Tz) -> String {
    let last_day = |d: NaiveDate| day(d.pred_opt().unwrap_or(d));
    match end {
        Moment::Day(d) => last_day(*d),
        Moment::At(t) => {
            let local = t.with_timezone(&tz);
            if local.time() == chrono::NaiveTime::MIN {
                last_day(local.date_naive())
            } else {
                moment(end, tz)
            }
        }
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
    d.format_with_items(DAY.iter()).to_string()
}

/// "14:00 EST" for timed moments, empty for all-day ones: a clock time
/// always names its zone, so times of releases in different zones compare.
pub fn time_of_day(m: &Moment, tz: Tz) -> String {
    match m {
        Moment::Day(_) => String::new(),
        Moment::At(t) => t
            .with_timezone(&tz)
            .format_with_items(TIME.iter())
            .to_string(),
    }
}

/// The zone abbreviation in effect at a timed moment ("EST", "CEST"),
/// empty for all-day ones.
pub fn zone_of(m: &Moment, tz: Tz) -> String {
    match m {
        Moment::Day(_) => String::new(),
        Moment::At(t) => t
            .with_timezone(&tz)
            .format_with_items(ZONE.iter())
            .to_string(),
    }
}

/// Plain text with Markdown's inline code (`` `key` ``) as HTML: the text
/// escaped, each pair of backticks a `<code>` element, an unpaired one kept.
/// Messages and plans mention keys that way; pages should not show the ticks.
pub fn inline_code(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    // Parts 1, 3, … up to the last pair are code; an odd last tick stays.
    let code_end = (parts.len() - 1) / 2 * 2;
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        let mut escaped = Vec::new();
        let _ = tera::escape_html(part, &mut escaped);
        let escaped = String::from_utf8_lossy(&escaped);
        if i % 2 == 1 && i < code_end {
            out.push_str(&format!("<code>{escaped}</code>"));
        } else {
            if i == code_end + 1 {
                out.push('`');
            }
            out.push_str(&escaped);
        }
    }
    out
}

/// ISO 8601 for `<time datetime>`: a date, or an instant in UTC.
pub fn iso(m: &Moment) -> String {
    match m {
        Moment::Day(d) => d.format_with_items(ISO_DAY.iter()).to_string(),
        Moment::At(t) => t.format_with_items(ISO_UTC.iter()).to_string(),
    }
}

/// "Tue 1 Dec 2026", "December 2026" or "Q4 2026".
pub fn rounded(d: NaiveDate, precision: RoadmapPrecision) -> String {
    match precision {
        RoadmapPrecision::Day => day(d),
        RoadmapPrecision::Month => d.format("%B %Y").to_string(),
        RoadmapPrecision::Quarter => format!("Q{} {}", d.month0() / 3 + 1, d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_ending_at_midnight_ends_on_the_day_before() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let day = |s: &str| Moment::Day(s.parse().unwrap());
        let at = |s: &str| Moment::At(s.parse().unwrap());
        assert_eq!(period_end(&day("2025-04-23"), tz), "Tue 22 Apr 2025");
        // Midnight in Berlin (22:00 UTC the day before) is the end of the 22nd.
        assert_eq!(
            period_end(&at("2025-04-22T22:00:00Z"), tz),
            "Tue 22 Apr 2025"
        );
        assert_eq!(
            period_end(&at("2025-04-23T00:00:00Z"), tz),
            moment(&at("2025-04-23T00:00:00Z"), tz)
        );
        assert!(period_end(&at("2025-04-22T16:30:00Z"), tz).contains("18:30"));
    }

    #[test]
    fn inline_code_becomes_code_elements_and_text_is_escaped() {
        assert_eq!(
            inline_code("add `support` to <stakeholders>"),
            "add <code>support</code> to &lt;stakeholders&gt;"
        );
        assert_eq!(
            inline_code("`a` and `b`"),
            "<code>a</code> and <code>b</code>"
        );
        assert_eq!(inline_code("one ` tick"), "one ` tick");
        assert_eq!(
            inline_code("`a` then ` alone"),
            "<code>a</code> then ` alone"
        );
        assert_eq!(inline_code("plain"), "plain");
    }

    #[test]
    fn formats_days_times_and_rounding() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let d: NaiveDate = "2026-12-01".parse().unwrap();
        assert_eq!(day(d), "Tue 1 Dec 2026");
        let m = Moment::parse("2026-12-01T14:00", tz).unwrap();
        assert_eq!(moment(&m, tz), "Tue 1 Dec 2026, 14:00 EST");
        assert_eq!(time_of_day(&m, tz), "14:00 EST");
        assert_eq!(zone_of(&m, tz), "EST");
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(time_of_day(&m, berlin), "20:00 CET");
        let day = Moment::Day(d);
        assert_eq!(
            (time_of_day(&day, tz), zone_of(&day, tz)),
            (String::new(), String::new())
        );
        assert_eq!(iso(&m), "2026-12-01T19:00:00Z");
        assert_eq!(rounded(d, RoadmapPrecision::Quarter), "Q4 2026");
        assert_eq!(rounded(d, RoadmapPrecision::Month), "December 2026");
    }

    #[test]
    fn parsed_patterns_word_dates_as_format_does() {
        let tz: Tz = "Australia/Lord_Howe".parse().unwrap();
        let days = [
            "0001-01-01",
            "1970-01-01",
            "2026-03-29",
            "2026-10-04",
            "9999-12-31",
        ];
        for text in days {
            let d: NaiveDate = text.parse().unwrap();
            assert_eq!(day(d), d.format("%a %-d %b %Y").to_string());
            assert_eq!(iso(&Moment::Day(d)), d.format("%Y-%m-%d").to_string());
            let at = d.and_hms_opt(15, 30, 0).unwrap().and_utc();
            let t = Moment::At(at);
            let local = at.with_timezone(&tz);
            assert_eq!(
                moment(&t, tz),
                local.format("%a %-d %b %Y, %H:%M %Z").to_string()
            );
            assert_eq!(time_of_day(&t, tz), local.format("%H:%M %Z").to_string());
            assert_eq!(zone_of(&t, tz), local.format("%Z").to_string());
            assert_eq!(iso(&t), at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
    }
}
