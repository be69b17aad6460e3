//! Who a change affects: dependents whose order or margin breaks, and the
//! stakeholder groups already told the old date.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Breaks, Dependent};
use crate::checks::{ships_inside_margin, ships_too_early};
use crate::config::{Level, SiteConfig, StakeholderGroup};
use crate::content::{Release, Status};
use crate::moment::Moment;
use crate::offset::{Offset, OffsetUnit};
use crate::schedule::{self, EventKind};

/// The margin in words, for the pull-request comment.
pub(super) fn margin_words(config: &SiteConfig) -> String {
    crate::timing::length_words(config.dependency_margin)
}

/// The releases depending on `upstream` (in `releases`) that now ship
/// before it, or less than `dependency_margin` after it (the rules'
/// own tests, `checks::ships_too_early` and `checks::ships_inside_margin`).
/// Cancelled ones never break.
pub(super) fn broken_dependents(
    upstream: &Release,
    releases: &[Arc<Release>],
    config: &SiteConfig,
) -> Vec<Dependent> {
    // An undecided (`tbd`) upstream has no order for anyone to break.
    if upstream.date.is_none() || upstream.status == Status::Cancelled {
        return Vec::new();
    }
    releases
        .iter()
        .filter(|r| r.status != Status::Cancelled)
        .filter(|r| r.depends_on.iter().any(|d| d.value == upstream.id))
        .filter_map(|r| {
            let breaks = if ships_too_early(r, upstream) {
                Breaks::Order
            } else if ships_inside_margin(r, upstream, config) {
                Breaks::Margin
            } else {
                return None;
            };
            Some(Dependent {
                id: r.id.clone(),
                breaks,
            })
        })
        .collect()
}

/// The groups told about `release` (as it was at the base) that must hear
/// again when its event of kind `kind` moves or goes: every told group for
/// the launch and the announcement, the told critical groups (whose feeds
/// carry rollout phases) for a phase, none for milestones, reviews and
/// notifications.
pub(super) fn renotify(
    release: &Release,
    kind: EventKind,
    config: &SiteConfig,
    now: DateTime<Utc>,
) -> Vec<String> {
    let concerned = |group: &StakeholderGroup| match kind {
        EventKind::Launch | EventKind::Announcement => true,
        EventKind::Phase => group.level == Level::Critical,
        EventKind::Milestone
        | EventKind::Review
        | EventKind::Notification
        | EventKind::Support
        | EventKind::Eol => false,
    };
    schedule::release_events(0, release, config)
        .into_iter()
        .filter(|e| e.kind == EventKind::Notification)
        .filter_map(|e| {
            let group = config.stakeholders.get(e.stakeholder.as_deref()?)?;
            (concerned(group) && already_told(release, &group.id, &e.start, config, now))
                .then(|| group.id.clone())
        })
        .collect()
}

/// Whether `group` has been told about `release`: its notification time
/// (an all-day one counts from 09:00, SPEC §5.2) has passed at `now`,
/// or a `notified:` record says so (SPEC §3.1).
fn already_told(
    release: &Release,
    group: &str,
    notification: &Moment,
    config: &SiteConfig,
    now: DateTime<Utc>,
) -> bool {
    let nine = Offset {
        amount: 0,
        unit: OffsetUnit::Hours,
    };
    let at = notification
        .offset_by(nine, release.timezone, config)
        .start_utc(release.timezone);
    at <= now || release.notified.contains_key(group)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const CONFIG: &str = "timezone: UTC\nteams:\n  - {id: web}\nstakeholders:\n  - {id: support, name: Support, level: critical, at: T-5b}\n  - {id: partners, name: Partners, level: critical, at: T-5b}\n";

    fn config(extra: &str) -> SiteConfig {
        SiteConfig::parse(&format!("{CONFIG}{extra}"), Path::new("shipdate.yaml")).unwrap()
    }

    fn release(id: &str, front: &str, config: &SiteConfig) -> Arc<Release> {
        let text = format!("---\ntitle: {id}\nteam: web\ntype: patch\n{front}\n---\n");
        let path = format!("content/{id}.md");
        Arc::new(crate::content::parse_release(Path::new(&path), &text, config).unwrap())
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().into()
    }

    /// Tue 1 Dec minus 5 business days is Tue 24 Nov, 09:00: not yet on the 20th.
    #[test]
    fn a_notified_record_counts_as_already_told() {
        let config = config("");
        let front = "date: 2026-12-01\nstakeholders: [support, partners]";
        let now = at("2026-11-20T12:00:00Z");
        let quiet = release("api", front, &config);
        assert_eq!(
            renotify(&quiet, EventKind::Launch, &config, now),
            Vec::<String>::new()
        );
        // Support was told early, and the record says so: it must hear again.
        let told = release(
            "api",
            &format!("{front}\nnotified: {{support: 2026-11-19}}"),
            &config,
        );
        assert_eq!(
            renotify(&told, EventKind::Launch, &config, now),
            ["support"]
        );
        // Once the notification time has passed, every listed group was told.
        let later = at("2026-11-24T09:00:00Z");
        assert_eq!(
            renotify(&quiet, EventKind::Launch, &config, later),
            ["support", "partners"]
        );
        assert_eq!(
            renotify(
                &quiet,
                EventKind::Launch,
                &config,
                at("2026-11-24T08:59:00Z")
            ),
            Vec::<String>::new()
        );
    }

    /// Tue 1 Dec plus 2 business days is Thu 3 Dec: inside a 3b margin, not a 1b one.
    #[test]
    fn the_margin_comes_from_dependency_margin() {
        let check = |extra: &str| {
            let config = config(extra);
            let api = release("api", "date: 2026-12-01", &config);
            let app = release("app", "date: 2026-12-03\ndepends_on: [api]", &config);
            let releases = [Arc::clone(&api), app];
            (
                broken_dependents(&api, &releases, &config),
                margin_words(&config),
            )
        };
        let (broken, words) = check("");
        assert_eq!(broken, Vec::new());
        assert_eq!(words, "1 business day");
        let (broken, words) = check("dependency_margin: 3b\n");
        assert_eq!(
            broken,
            [Dependent {
                id: "app".into(),
                breaks: Breaks::Margin
            }]
        );
        assert_eq!(words, "3 business days");
    }
}
