//! `trains:` (SPEC §2): release trains with fixed departures that releases
//! board (`train:` in front matter), each departure with its own milestones.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{MilestoneTemplate, SiteConfig, invalid_id, is_id};
use crate::diagnostic::{Diagnostic, Position};
use crate::moment::{Moment, Workdays, add_months};
use crate::offset::{Offset, OffsetUnit};

/// Most departures one train lists (a daily train for about 27 years).
const MAX_DEPARTURES: usize = 10_000;

/// A train as written in `shipdate.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrain {
    id: String,
    #[serde(default)]
    name: Option<String>,
    team: String,
    #[serde(default)]
    every: Option<String>,
    #[serde(default)]
    departures: Option<Vec<String>>,
    #[serde(default)]
    first: Option<String>,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    milestones: Vec<MilestoneTemplate>,
}

/// A release train: departures at a fixed rhythm (or listed), each with
/// milestones counted from the departure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Train {
    /// Id used in front matter (`train:`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The team that runs the train (its feed carries the departures).
    pub team: String,
    /// The rhythm (`2w`, `1mo`), counted from `first`; `None` for a list.
    pub every: Option<Offset>,
    /// The first departure of a rhythm, or every listed departure, sorted.
    pub departures: Vec<Moment>,
    /// The last possible departure; `None` means one year after "now".
    pub until: Option<Moment>,
    /// Milestones of every departure, at offsets from it.
    pub milestones: Vec<MilestoneTemplate>,
}

impl Train {
    /// The last day a departure may fall on: `until`, or one year after `now`.
    pub fn last_day(&self, config: &SiteConfig, now: DateTime<Utc>) -> NaiveDate {
        match self.until {
            Some(u) => u.local_date(config.timezone),
            None => add_months(now.with_timezone(&config.timezone).date_naive(), 12),
        }
    }

    /// Every departure up to [`Train::last_day`], in order. A rhythm keeps
    /// the first departure's local clock time across DST (site time zone).
    pub fn schedule(&self, config: &SiteConfig, now: DateTime<Utc>) -> Vec<Moment> {
        let last = self.last_day(config, now);
        let tz = config.timezone;
        let within = |m: &Moment| m.local_date(tz) <= last;
        let (Some(every), Some(&first)) = (self.every, self.departures.first()) else {
            return self.departures.iter().copied().filter(within).collect();
        };
        // `b` rhythms skip the freezes scoped to the train's team too.
        let days = Workdays::of_team(config, &self.team);
        let mut out = Vec::new();
        let mut current = first;
        for k in 0..MAX_DEPARTURES as i64 {
            // Business days step from the previous departure (the same
            // count, computed once); calendar units from the first, so a
            // clamped month end or a DST gap does not carry over.
            let next = match every.unit {
                OffsetUnit::BusinessDays if k > 0 => current.offset_by(every, tz, days),
                _ => first.offset_by(
                    Offset {
                        amount: every.amount.saturating_mul(k),
                        unit: every.unit,
                    },
                    tz,
                    days,
                ),
            };
            if !within(&next) {
                break;
            }
            out.push(next);
            current = next;
        }
        out
    }
}

/// Resolves and checks `trains:`: ids, teams, rhythm or list, dates.
pub(super) fn resolve(
    written: Vec<Spanned<RawTrain>>,
    config: &SiteConfig,
    path: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Train> {
    let mut trains: Vec<Train> = Vec::new();
    for spanned in written {
        let at = Position::new(
            spanned.referenced.line().max(1),
            spanned.referenced.column().max(1),
        );
        let raw = spanned.value;
        check_identity(&raw, &trains, config, path, at, errors);
        let train = resolve_one(raw, config, path, at, errors);
        trains.push(train);
    }
    trains
}

/// A train's error at its place in the configuration, with a hint.
fn train_error(
    path: &Path,
    at: Position,
    rule: &'static str,
    msg: String,
    hint: &str,
) -> Diagnostic {
    Diagnostic::error(rule, path, at, msg).with_hint(hint)
}

/// Checks a train's id (well formed, not taken by an earlier train) and team.
fn check_identity(
    raw: &RawTrain,
    earlier: &[Train],
    config: &SiteConfig,
    path: &Path,
    at: Position,
    errors: &mut Vec<Diagnostic>,
) {
    if !is_id(&raw.id) {
        errors.push(invalid_id(path, at, &raw.id));
    }
    if earlier.iter().any(|t| t.id == raw.id) {
        errors.push(train_error(
            path,
            at,
            "duplicate-id",
            format!("train `{}` is listed twice", raw.id),
            "give each train its own id",
        ));
    }
    if !config.teams.is_empty() && config.team(&raw.team).is_none() {
        errors.push(train_error(
            path,
            at,
            "unknown-team",
            format!("train `{}` names unknown team `{}`", raw.id, raw.team),
            "use a team id from `teams:`",
        ));
    }
}

/// Reads a train's dates (`until`, then the rhythm or the list) into a [`Train`].
fn resolve_one(
    raw: RawTrain,
    config: &SiteConfig,
    path: &Path,
    at: Position,
    errors: &mut Vec<Diagnostic>,
) -> Train {
    let mut moment = |what: &str, text: &str| {
        Moment::parse(text, config.timezone)
            .map_err(|e| {
                errors.push(train_error(
                    path,
                    at,
                    "invalid-date",
                    format!("train `{}`: `{what}` {e}", raw.id),
                    "write a date like `2026-01-07` or a local time like `2026-01-07T10:00`",
                ))
            })
            .ok()
    };
    let until = raw.until.as_deref().and_then(|u| moment("until", u));
    let (every, departures, shape_ok) = departures(&raw, &mut moment);
    if let (Some(text), None, Some(_), None) = (&raw.every, &raw.departures, &raw.first, every) {
        errors.push(train_error(
            path,
            at,
            "invalid-value",
            format!("train `{}`: `every: {text}` is not a rhythm", raw.id),
            "write a positive number of days (d), weeks (w), business days (b) or months (mo), such as `every: 2w`",
        ));
    } else if !shape_ok {
        errors.push(train_error(
            path,
            at,
            "invalid-value",
            format!(
                "train `{}` needs `every` with `first`, or a `departures` list",
                raw.id
            ),
            "write `every: 2w` (d, w, b or mo) and `first: 2026-01-07T10:00`, or `departures: [2026-01-07T10:00, 2026-01-21T10:00]`",
        ));
    }
    if let (Some(u), Some(first)) = (until, departures.first())
        && u.local_date(config.timezone) < first.local_date(config.timezone)
    {
        errors.push(train_error(
            path,
            at,
            "invalid-value",
            format!(
                "train `{}` ends (`until`) on {}, before its first departure on {}",
                raw.id,
                u.local_date(config.timezone),
                first.local_date(config.timezone)
            ),
            "move `until` to the day of the last departure or later, or remove it (one year after now)",
        ));
    }
    Train {
        name: raw.name.unwrap_or_else(|| raw.id.clone()),
        id: raw.id,
        team: raw.team,
        every,
        departures,
        until,
        milestones: raw.milestones,
    }
}

/// The rhythm and departures a train writes: `every` with `first`, or a
/// sorted `departures` list; `false` when it writes neither shape (or a bad rhythm).
fn departures(
    raw: &RawTrain,
    moment: &mut impl FnMut(&str, &str) -> Option<Moment>,
) -> (Option<Offset>, Vec<Moment>, bool) {
    match (&raw.every, &raw.departures, &raw.first) {
        (Some(every), None, Some(first)) => {
            let every = rhythm(every);
            let first = moment("first", first);
            (every, first.into_iter().collect(), every.is_some())
        }
        (None, Some(list), None) => {
            let mut list: Vec<Moment> = list
                .iter()
                .filter_map(|d| moment("departures", d))
                .collect();
            list.sort();
            list.dedup();
            (None, list, true)
        }
        _ => (None, Vec::new(), false),
    }
}

/// `every:` as an offset: a positive number of days, weeks, business days or months.
fn rhythm(text: &str) -> Option<Offset> {
    let offset = Offset::parse(&format!("T+{}", text.trim())).ok()?;
    let unit_ok = matches!(
        offset.unit,
        OffsetUnit::Days | OffsetUnit::Weeks | OffsetUnit::BusinessDays | OffsetUnit::Months
    );
    (unit_ok && offset.amount > 0).then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(yaml, Path::new("shipdate.yaml"))
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_rhythm_keeps_its_local_clock_time_across_dst() {
        let c = config(
            "timezone: America/New_York\ntrains:\n  - {id: mobile, team: mobile, every: 2w, first: 2026-10-22T10:00, until: 2026-11-20}\n",
        )
        .unwrap();
        let times: Vec<String> = c.trains[0]
            .schedule(&c, now())
            .iter()
            .map(|m| format!("{m:?}"))
            .collect();
        // 10:00 EDT is 14:00 UTC; after 1 November 10:00 EST is 15:00 UTC.
        assert_eq!(
            times,
            [
                "At(2026-10-22T14:00:00Z)",
                "At(2026-11-05T15:00:00Z)",
                "At(2026-11-19T15:00:00Z)"
            ]
        );
    }

    #[test]
    fn until_defaults_to_a_year_after_now_and_months_clamp_from_the_first() {
        let c = config("trains:\n  - {id: p, team: t, every: 1mo, first: 2026-01-31}\n").unwrap();
        let days = c.trains[0].schedule(&c, now());
        assert_eq!(days[1], Moment::Day("2026-02-28".parse().unwrap()));
        assert_eq!(days[2], Moment::Day("2026-03-31".parse().unwrap()));
        assert_eq!(
            days.last().unwrap(),
            &Moment::Day("2027-10-31".parse().unwrap()),
            "the last departure on or before 2027-11-23"
        );
    }

    #[test]
    fn business_days_skip_weekends() {
        let c = config(
            "trains:\n  - {id: p, team: t, every: 2b, first: 2026-11-19, until: 2026-11-30}\n",
        )
        .unwrap();
        let days: Vec<String> = c.trains[0]
            .schedule(&c, now())
            .iter()
            .map(|m| m.local_date(c.timezone).to_string())
            .collect();
        assert_eq!(
            days,
            ["2026-11-19", "2026-11-23", "2026-11-25", "2026-11-27"]
        );
    }

    #[test]
    fn bad_trains_are_located_errors_with_hints() {
        let errs = config(
            "teams:\n  - {id: web}\ntrains:\n  - {id: a, team: web, every: 2x, first: 2026-01-07}\n  - {id: b, team: mob, departures: [2026-13-01]}\n  - {id: c, team: web}\n",
        )
        .unwrap_err();
        let got: Vec<(u64, &str)> = errs.iter().map(|e| (e.position.line, e.rule)).collect();
        assert_eq!(
            got,
            [
                (4, "invalid-value"),
                (5, "unknown-team"),
                (5, "invalid-date"),
                (6, "invalid-value")
            ],
            "{errs:#?}"
        );
        assert!(errs.iter().all(|e| e.hint.is_some()));
    }

    #[test]
    fn a_zero_rhythm_and_an_end_before_the_first_departure_are_named() {
        let errs = config(
            "trains:\n  - {id: a, team: t, every: 0d, first: 2026-01-07}\n  - {id: b, team: t, every: 1w, first: 2026-01-07, until: 2025-01-01}\n  - {id: c, team: t, departures: [2026-03-01, 2026-02-01], until: 2026-01-31}\n",
        )
        .unwrap_err();
        let got: Vec<(u64, &str)> = errs.iter().map(|e| (e.position.line, e.rule)).collect();
        assert_eq!(
            got,
            [
                (2, "invalid-value"),
                (3, "invalid-value"),
                (4, "invalid-value")
            ],
            "{errs:#?}"
        );
        assert!(
            errs[0].message.contains("`every: 0d` is not a rhythm"),
            "{errs:#?}"
        );
        assert!(
            errs[1].message.contains("before its first departure"),
            "{errs:#?}"
        );
        assert!(errs[2].message.contains("on 2026-02-01"), "{errs:#?}");
        assert!(errs.iter().all(|e| e.hint.is_some()));
        assert!(
            config(
                "trains:\n  - {id: d, team: t, every: 1w, first: 2026-01-07, until: 2026-01-07}\n"
            )
            .is_ok()
        );
    }
}
