//! A release's life after shipping (SPEC §3.1): its support phases, its end
//! of life, and where it stands at a given day.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A lifecycle date: a day, or a month when only approximate (`2028-04`),
/// which counts as the month's last day for sorting, status and its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LifeDate {
    /// The day (the month's last day when `approximate`).
    pub day: NaiveDate,
    /// Written as a month only.
    pub approximate: bool,
}

impl LifeDate {
    /// Reads `2028-04-30` or `2028-04`; the error says what was wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Self {
                day,
                approximate: false,
            });
        }
        let month = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
            .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD) or a month (YYYY-MM)"))?;
        let next = crate::moment::add_months(month, 1);
        Ok(Self {
            day: next.pred_opt().unwrap_or(month),
            approximate: true,
        })
    }

    /// "2028-04-30", or "April 2028" when only the month is known.
    pub fn label(&self) -> String {
        if self.approximate {
            self.day.format("%B %Y").to_string()
        } else {
            self.day.format("%Y-%m-%d").to_string()
        }
    }

    /// `YYYY-MM-DD` or `YYYY-MM`, as written.
    pub fn iso(&self) -> String {
        if self.approximate {
            format!("{}-{:02}", self.day.year(), self.day.month())
        } else {
            self.day.to_string()
        }
    }
}

/// One support phase: from `start` (the ship day, or the day after the
/// previous phase) through `until`, inclusive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupportPhase {
    /// Name, e.g. "Active LTS".
    pub name: String,
    /// First day; `None` while the ship date is `tbd`.
    pub start: Option<NaiveDate>,
    /// Last day.
    pub until: LifeDate,
}

/// Where a release stands on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LifeStatus<'a> {
    /// Not shipped yet.
    Upcoming,
    /// Inside a support phase, ending on that phase's `until`.
    In(&'a str, LifeDate),
    /// Shipped, past every phase but before its end of life.
    Supported,
    /// Past its end of life (or its last phase when no `eol` is given).
    Ended,
}

impl LifeStatus<'_> {
    /// Short words for pages and JSON.
    pub fn label(&self) -> &'static str {
        match self {
            LifeStatus::Upcoming => "upcoming",
            LifeStatus::In(..) | LifeStatus::Supported => "supported",
            LifeStatus::Ended => "end of life",
        }
    }
}

/// The status on `today` of a release shipping on `ship` with `phases` and `eol`.
pub fn status_on<'a>(
    today: NaiveDate,
    ship: Option<NaiveDate>,
    phases: &'a [SupportPhase],
    eol: Option<LifeDate>,
) -> LifeStatus<'a> {
    if ship.is_none_or(|s| today < s) {
        return LifeStatus::Upcoming;
    }
    if eol.is_some_and(|e| today > e.day) {
        return LifeStatus::Ended;
    }
    if let Some(p) = phases.iter().find(|p| today <= p.until.day) {
        return LifeStatus::In(&p.name, p.until);
    }
    if eol.is_none() && !phases.is_empty() {
        return LifeStatus::Ended;
    }
    LifeStatus::Supported
}

/// The phases with their first days: the ship day, then the day after the previous one ends.
pub fn with_starts(
    ship: Option<NaiveDate>,
    written: impl IntoIterator<Item = (String, LifeDate)>,
) -> Vec<SupportPhase> {
    let mut start = ship;
    written
        .into_iter()
        .map(|(name, until)| {
            let phase = SupportPhase { name, start, until };
            start = until.day.succ_opt();
            phase
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_month_is_its_last_day() {
        let m = LifeDate::parse("2028-02").unwrap();
        assert_eq!(m.day, d("2028-02-29"));
        assert!(m.approximate);
        assert_eq!(m.iso(), "2028-02");
        assert_eq!(m.label(), "February 2028");
        assert_eq!(LifeDate::parse("2028-12").unwrap().day, d("2028-12-31"));
        assert!(!LifeDate::parse("2028-04-30").unwrap().approximate);
        assert!(LifeDate::parse("2028-13").is_err());
        assert!(LifeDate::parse("soon").is_err());
    }

    #[test]
    fn status_walks_through_the_phases() {
        let phases = with_starts(
            Some(d("2026-01-10")),
            [
                ("Active".to_string(), LifeDate::parse("2026-06-30").unwrap()),
                (
                    "Maintenance".to_string(),
                    LifeDate::parse("2027-03").unwrap(),
                ),
            ],
        );
        assert_eq!(phases[1].start, Some(d("2026-07-01")));
        let eol = Some(LifeDate::parse("2027-03").unwrap());
        let at = |day| status_on(d(day), Some(d("2026-01-10")), &phases, eol);
        assert_eq!(at("2026-01-09"), LifeStatus::Upcoming);
        assert_eq!(at("2026-06-30"), LifeStatus::In("Active", phases[0].until));
        assert_eq!(at("2027-03-31").label(), "supported");
        assert_eq!(at("2027-04-01"), LifeStatus::Ended);
        assert_eq!(
            status_on(d("2030-01-01"), Some(d("2026-01-10")), &phases, None),
            LifeStatus::Ended,
            "past the last phase without an eol"
        );
    }
}
