//! Train rule: a release that boards a train ships on one of its departures.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{CheckInput, finding, is_live};
use crate::diagnostic::Diagnostic;
use crate::moment::Moment;
use crate::wording;

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    let tz = input.config.timezone;
    let mut schedules: HashMap<&str, Vec<(NaiveDate, Moment)>> = HashMap::new();
    for r in input.releases.iter().filter(|r| is_live(r)) {
        let (Some(id), Some(date)) = (r.train.as_deref(), r.date) else {
            continue;
        };
        let Some(train) = input.config.train(id) else {
            continue;
        };
        let departures = schedules.entry(id).or_insert_with(|| {
            train
                .schedule(input.config, input.now)
                .into_iter()
                .map(|m| (m.local_date(tz), m))
                .collect()
        });
        let day = date.local_date(r.timezone);
        let after = departures.partition_point(|(d, _)| *d < day);
        if departures.get(after).is_some_and(|(d, _)| *d == day) {
            continue;
        }
        let word = |m: Option<&(NaiveDate, Moment)>| m.map(|(_, m)| wording::moment(m, tz));
        let nearest = match (
            word(after.checked_sub(1).and_then(|i| departures.get(i))),
            word(departures.get(after)),
        ) {
            (Some(b), Some(a)) => format!("the nearest departures are {b} and {a}"),
            (Some(b), None) => format!("the last departure is {b}; extend `until` for later ones"),
            (None, Some(a)) => format!("the first departure is {a}"),
            (None, None) => "the train has no departures yet".to_string(),
        };
        out.push(finding(
            "off-train",
            r,
            r.position_of("date"),
            format!(
                "boards train `{id}` but ships on {}, when it does not depart",
                wording::day(day)
            ),
            format!("move `date` to a departure or remove `train:`: {nearest}"),
        ));
    }
}
