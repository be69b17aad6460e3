//! Train departures and their milestones (SPEC §4.1): site events in the
//! internal feed and the feed of the team that runs the train.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};

use super::SiteEvent;
use crate::config::{SiteConfig, Train};
use crate::moment::{Moment, Workdays};

/// How long a timed departure or milestone lasts in calendars.
const POINT_MINUTES: i64 = 30;

/// One departure of a train with its milestones, in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Departure {
    /// When the train leaves.
    pub at: Moment,
    /// The train's milestones for this departure: name and time.
    pub milestones: Vec<(String, Moment)>,
}

/// Every departure of `train` up to its `until`, each with its milestones.
pub fn departures(train: &Train, config: &SiteConfig, now: DateTime<Utc>) -> Vec<Departure> {
    let tz = config.timezone;
    let days = Workdays::of_team(config, &train.team);
    train
        .schedule(config, now)
        .into_iter()
        .map(|at| {
            let mut milestones: Vec<(String, Moment)> = train
                .milestones
                .iter()
                .map(|m| (m.name.clone(), at.offset_by(m.at, tz, days)))
                .collect();
            milestones.sort_by_key(|(_, m)| m.start_utc(tz));
            Departure { at, milestones }
        })
        .collect()
}

/// The departures and milestones of every train as site events, keyed
/// `<train>-<day>` and `<train>-<day>-<milestone>`.
pub fn train_events(config: &SiteConfig, now: DateTime<Utc>) -> Vec<SiteEvent> {
    let tz = config.timezone;
    let mut keys = HashSet::new();
    let mut out = Vec::new();
    for train in &config.trains {
        for d in departures(train, config, now) {
            let day = d.at.local_date(tz);
            let base = unique(&mut keys, format!("{}-{day}", train.id));
            let event = |key: String, name: String, description: String, start: Moment| SiteEvent {
                key,
                kind: "train",
                name,
                description,
                start,
                end: point_end(start),
                teams: vec![train.team.clone()],
                page: Some(format!("trains/{}/", train.id)),
            };
            out.push(event(
                base.clone(),
                format!("Departure: {}", train.name),
                format!("The {} departs. Team: {}.", train.name, train.team),
                d.at,
            ));
            for (name, at) in d.milestones {
                let key = unique(&mut keys, format!("{base}-{}", slug::slugify(&name)));
                out.push(event(
                    key,
                    format!("{name} · {}", train.name),
                    format!("For the departure on {day}. Team: {}.", train.team),
                    at,
                ));
            }
        }
    }
    out
}

/// `base`, or `base-2`, `base-3` … when taken.
fn unique(keys: &mut HashSet<String>, base: String) -> String {
    let mut key = base.clone();
    let mut n = 2;
    while !keys.insert(key.clone()) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

/// The exclusive end of a point in time: the next day, or half an hour later.
fn point_end(start: Moment) -> Moment {
    match start {
        Moment::Day(d) => Moment::Day(d.succ_opt().unwrap_or(d)),
        Moment::At(t) => Moment::At(t + Duration::minutes(POINT_MINUTES)),
    }
}
