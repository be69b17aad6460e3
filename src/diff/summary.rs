//! A diff release by release, in plain words: what the markdown comment and
//! the GitHub annotations both say.

use std::path::Path;

use super::{Breaks, Change, ChangeKind, Diff};
use crate::diagnostic::Position;
use crate::schedule::EventKind;
use crate::wording;

/// What a change does to one release.
pub(super) struct ReleaseSummary<'a> {
    /// Release id.
    pub id: &'a str,
    /// Release title.
    pub title: &'a str,
    /// The release file and the place of its main change.
    pub path: &'a Path,
    /// Where in the file.
    pub position: Position,
    /// "ships 5 business days later: Tue 1 Dec 2026 → Tue 8 Dec 2026".
    pub headline: String,
    /// One line per other change, when the launch did not move.
    pub lines: Vec<String>,
    /// Other events that moved, appeared or went with the launch.
    pub along: usize,
    /// Dependents that break: (id, why).
    pub breaks: Vec<(&'a str, String)>,
    /// Groups to tell again, by id.
    pub renotify: Vec<&'a str>,
    /// Teams involved, by id.
    pub teams: Vec<&'a str>,
}

/// The diff's changes grouped by release, in the diff's order.
pub(super) fn by_release(diff: &Diff) -> Vec<ReleaseSummary<'_>> {
    let mut groups: Vec<Vec<&Change>> = Vec::new();
    for c in &diff.changes {
        match groups.last_mut() {
            Some(g) if g[0].release == c.release => g.push(c),
            _ => groups.push(vec![c]),
        }
    }
    groups.into_iter().map(|g| summarize(diff, &g)).collect()
}

fn summarize<'a>(diff: &'a Diff, changes: &[&'a Change]) -> ReleaseSummary<'a> {
    let launch = changes.iter().find(|c| c.event_kind == EventKind::Launch);
    let main = launch.unwrap_or(&changes[0]);
    let others: Vec<&&Change> = changes
        .iter()
        .filter(|c| c.event_kind != EventKind::Launch)
        .collect();
    let (headline, lines, along) = match launch {
        Some(l) => (launch_words(l), Vec::new(), others.len()),
        None => (
            plural(changes.len(), "event changes", "events change"),
            others.iter().map(|c| event_words(c)).collect(),
            0,
        ),
    };
    let mut breaks = Vec::new();
    let mut renotify: Vec<&str> = Vec::new();
    for c in changes {
        for d in &c.dependents {
            let why = match d.breaks {
                Breaks::Order => "now ships before it (or with it)".to_string(),
                Breaks::Margin => format!("now ships less than {} after it", diff.margin),
            };
            breaks.push((d.id.as_str(), why));
        }
        for g in &c.renotify {
            if !renotify.contains(&g.as_str()) {
                renotify.push(g);
            }
        }
    }
    ReleaseSummary {
        id: &main.release,
        title: &main.title,
        path: &main.path,
        position: main.position,
        headline,
        lines,
        along,
        breaks,
        renotify,
        teams: main.teams.iter().map(String::as_str).collect(),
    }
}

/// What happened to the launch, in words.
fn launch_words(c: &Change) -> String {
    let when = |m: &Option<crate::moment::Moment>| {
        m.as_ref()
            .map(|m| wording::moment(m, c.timezone))
            .unwrap_or_default()
    };
    match c.kind {
        ChangeKind::Moved => format!(
            "ships {}: {} → {}",
            distance(c.business_days.unwrap_or(0)),
            when(&c.from),
            when(&c.to)
        ),
        ChangeKind::Added => format!("new in the plan, ships {}", when(&c.to)),
        ChangeKind::Removed => format!("leaves the plan (was shipping {})", when(&c.from)),
    }
}

/// One event's change, in words: "Milestone “Code freeze” moved …".
pub(super) fn event_words(c: &Change) -> String {
    let when = |m: &Option<crate::moment::Moment>| {
        m.as_ref()
            .map(|m| wording::moment(m, c.timezone))
            .unwrap_or_default()
    };
    let what = format!("{} “{}”", c.event_kind.label(), c.name);
    match c.kind {
        ChangeKind::Moved => format!(
            "{what} moves {}: {} → {}",
            distance(c.business_days.unwrap_or(0)),
            when(&c.from),
            when(&c.to)
        ),
        ChangeKind::Added => format!("{what} added: {}", when(&c.to)),
        ChangeKind::Removed => format!("{what} removed (was {})", when(&c.from)),
    }
}

/// "5 business days later", "1 business day earlier", "within the same business day".
pub(super) fn distance(days: i64) -> String {
    match days {
        0 => "within the same business day".to_string(),
        d if d > 0 => format!(
            "{} later",
            plural(d.unsigned_abs() as usize, "business day", "business days")
        ),
        d => format!(
            "{} earlier",
            plural(d.unsigned_abs() as usize, "business day", "business days")
        ),
    }
}

/// "1 release", "2 releases".
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_read_as_words() {
        assert_eq!(distance(5), "5 business days later");
        assert_eq!(distance(-1), "1 business day earlier");
        assert_eq!(distance(0), "within the same business day");
    }
}
