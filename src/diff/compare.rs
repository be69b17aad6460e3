//! The two plans side by side: every moved, added and removed event, with
//! what each change does to the others.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use super::plan::Plan;
use super::{Change, ChangeKind, Diff, findings, impact};
use crate::content::Release;
use crate::diagnostic::Position;
use crate::history::{EventChange, event_changes, events_by_uid};
use crate::moment::{Workdays, business_days_between};
use crate::schedule::EventKind;

/// The diff of two plans; `base` is the base commit id.
pub(super) fn diff(base: String, before: &Plan, after: &Plan, now: DateTime<Utc>) -> Diff {
    let changes = if before.readable && after.readable {
        changes(before, after, now)
    } else {
        Vec::new()
    };
    let mut names = BTreeMap::new();
    for c in &changes {
        for team in &c.teams {
            let config = [&after.config, &before.config];
            let name = config
                .iter()
                .find_map(|cfg| cfg.team(team))
                .map(|t| &t.name);
            names.insert(team.clone(), name.unwrap_or(team).clone());
        }
        for group in &c.renotify {
            let config = [&after.config, &before.config];
            let name = config.iter().find_map(|cfg| cfg.stakeholders.get(group));
            names.insert(group.clone(), name.map_or(group, |g| &g.name).clone());
        }
    }
    Diff {
        base,
        changes,
        findings: findings::compare(&before.findings, &after.findings),
        names,
        margin: impact::margin_words(&after.config),
        now,
    }
}

/// Every event change, release by release (in the work tree's order, removed
/// releases after), the launch first within a release.
fn changes(before: &Plan, after: &Plan, now: DateTime<Utc>) -> Vec<Change> {
    // One domain for both sides: a changed `base_url` must not move every UID.
    let domain = &after.config.uid_domain;
    let by_id = |plan: &Plan| -> HashMap<String, usize> {
        plan.releases
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect()
    };
    let (old, new) = (by_id(before), by_id(after));
    let mut ids: Vec<&str> = after.releases.iter().map(|r| r.id.as_str()).collect();
    ids.extend(
        before
            .releases
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| !new.contains_key(*id)),
    );
    let mut seen = BTreeSet::new();
    ids.retain(|id| seen.insert(*id));
    let mut out = Vec::new();
    for id in ids {
        let was = old.get(id).map(|&i| &*before.releases[i]);
        let is = new.get(id).map(|&i| &*after.releases[i]);
        let events = |r: Option<&Release>, plan: &Plan| {
            r.map(|r| events_by_uid(r, &plan.config, domain))
                .unwrap_or_default()
        };
        let Some(shown) = is.or(was) else { continue };
        for change in event_changes(&events(was, before), &events(is, after)) {
            let sides = Sides { was, is, shown };
            out.push(entry(&change, &sides, before, after, now));
        }
    }
    out
}

/// A release at the base and in the work tree, and the one to show.
#[derive(Clone, Copy)]
struct Sides<'a> {
    was: Option<&'a Release>,
    is: Option<&'a Release>,
    shown: &'a Release,
}

/// One entry: the change and who it affects.
fn entry(
    change: &EventChange,
    sides: &Sides,
    before: &Plan,
    after: &Plan,
    now: DateTime<Utc>,
) -> Change {
    let Sides { was, is, shown } = *sides;
    let kind = match (change.from, change.to) {
        (Some(_), Some(_)) => ChangeKind::Moved,
        (None, _) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
    };
    let business_days = match (change.from, change.to) {
        (Some(from), Some(to)) => Some(business_days_between(
            from.local_date(shown.timezone),
            to.local_date(shown.timezone),
            Workdays::of_team(&after.config, &shown.team),
        )),
        _ => None,
    };
    let dependents = match is {
        Some(r) if change.kind == EventKind::Launch && kind == ChangeKind::Moved => {
            impact::broken_dependents(r, &after.releases, &after.config)
        }
        _ => Vec::new(),
    };
    let renotify = match was {
        Some(r) if kind != ChangeKind::Added => {
            impact::renotify(r, change.kind, &before.config, now)
        }
        _ => Vec::new(),
    };
    let mut teams: Vec<String> = Vec::new();
    for t in shown.all_teams() {
        if !teams.iter().any(|x| x == t) {
            teams.push(t.to_string());
        }
    }
    Change {
        release: shown.id.clone(),
        title: shown.title.clone(),
        path: shown.path.clone(),
        position: position(shown, change.kind),
        timezone: shown.timezone,
        kind,
        event_kind: change.kind,
        name: change.name.clone(),
        event: change.uid.clone(),
        from: change.from,
        to: change.to,
        business_days,
        dependents,
        teams,
        renotify,
    }
}

/// Where an event of `kind` is defined in `release`'s file.
fn position(release: &Release, kind: EventKind) -> Position {
    release.position_of(match kind {
        EventKind::Launch => "date",
        EventKind::Milestone | EventKind::Review => "milestones",
        EventKind::Phase => "rollout",
        EventKind::Notification => "stakeholders",
        EventKind::Announcement => "announce",
        EventKind::Support => "support",
        EventKind::Eol => "eol",
    })
}
