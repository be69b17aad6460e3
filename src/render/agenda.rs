//! Agenda rows of train departures and their milestones (SPEC §4.1) for the
//! internal calendar, team pages and dashboard, merged in time order with
//! the release events those pages list. The external site has no agenda of
//! its own events, so none of this reaches it.

use chrono::{DateTime, NaiveDate, Utc};

use super::trains::train_url;
use super::views::EventRow;
use crate::moment::Moment;
use crate::schedule::{Event, trains::departures};
use crate::site::Site;
use crate::wording;

/// The kind id of train rows: their CSS class and calendar filter.
pub(crate) const TRAIN_KIND: &str = "train";
/// The calendar filter's label for train rows.
pub(crate) const TRAIN_LABEL: &str = "Train departure";

/// An agenda row with the day it is listed under and the instant it sorts by.
#[derive(Debug, Clone)]
pub(crate) struct Dated {
    /// The day it is listed under (the release's zone; the site's for trains).
    pub(crate) day: NaiveDate,
    at: DateTime<Utc>,
    /// What the templates show.
    pub(crate) row: EventRow,
}

impl Dated {
    /// The row of a release event.
    pub(crate) fn of_event(e: &Event, site: &Site) -> Self {
        Self {
            day: e.day(&site.content.releases[e.release]),
            at: e.sort_key,
            row: EventRow::of(e, site),
        }
    }
}

/// Every departure of every train and each of its milestones, ordered by
/// day and time (the site's time zone, as on the train page).
pub(crate) fn train_rows(site: &Site) -> Vec<Dated> {
    let tz = site.config.timezone;
    let mut out = Vec::new();
    for train in &site.config.trains {
        let row = |name: String, label: &'static str, at: &Moment| {
            let day = at.local_date(tz);
            let start = at.start_utc(tz);
            Dated {
                day,
                at: start,
                row: EventRow {
                    kind: TRAIN_KIND,
                    kind_label: label,
                    name,
                    description: String::new(),
                    release_id: String::new(),
                    release_title: train.name.clone(),
                    release_url: train_url(&train.id),
                    team: train.team.clone(),
                    team_name: site.team_name(&train.team).to_string(),
                    teams: vec![train.team.clone()],
                    status: "planned",
                    day: day.to_string(),
                    date: wording::day(day),
                    date_iso: wording::iso(at),
                    time: wording::time_of_day(at, tz),
                    until: None,
                    zone: wording::zone_of(at, tz),
                    stakeholder: None,
                    past: start < site.now,
                },
            }
        };
        for d in departures(train, &site.config, site.now) {
            out.push(row("Departure".into(), TRAIN_LABEL, &d.at));
            for (name, at) in &d.milestones {
                out.push(row(name.clone(), "Train milestone", at));
            }
        }
    }
    out.sort_by_key(|d| (d.day, d.at));
    out
}

/// `events` as they come, with each of `trains` (in time order) placed
/// before the first event that is later on the day or in time: pages
/// without trains list exactly what they listed before.
pub(crate) fn merge<'a>(
    events: impl IntoIterator<Item = Dated>,
    trains: impl IntoIterator<Item = &'a Dated>,
) -> Vec<EventRow> {
    let mut trains = trains.into_iter().peekable();
    let mut out = Vec::new();
    for e in events {
        while let Some(t) = trains.next_if(|t| (t.day, t.at) < (e.day, e.at)) {
            out.push(t.row.clone());
        }
        out.push(e.row);
    }
    out.extend(trains.map(|t| t.row.clone()));
    out
}

/// The train rows listed on `from..to` (days).
pub(crate) fn between(
    trains: &[Dated],
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = &Dated> {
    trains.iter().filter(move |t| t.day >= from && t.day < to)
}
