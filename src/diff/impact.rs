//! Who a change affects: dependents whose order or margin breaks, and the
//! stakeholder groups already told the old date.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Breaks, Dependent};
use crate::checks::ships_too_early;
use crate::config::{Level, SiteConfig, StakeholderGroup};
use crate::content::{Release, Status};
use crate::moment::Moment;
use crate::offset::{Offset, OffsetUnit};
use crate::schedule::{self, EventKind};

/// How long after a release its dependents must ship (SPEC §2 `dependency_margin`).
fn margin(config: &SiteConfig) -> Offset {
    config.dependency_margin
}

/// The margin in words, for the pull-request comment.
pub(super) fn margin_words(config: &SiteConfig) -> String {
    crate::timing::length_words(margin(config))
}

/// The releases depending on `upstream` (in `releases`) that now ship
/// before it, or less than the margin after it. Cancelled ones never break.
pub(super) fn broken_dependents(
    upstream: &Release,
    releases: &[Arc<Release>],
    config: &SiteConfig,
) -> Vec<Dependent> {
    // An undecided (`tbd`) upstream has no order for anyone to break.
    let Some(date) = upstream
        .date
        .filter(|_| upstream.status != Status::Cancelled)
    else {
        return Vec::new();
    };
    let earliest = date.offset_by(margin(config), upstream.timezone, config);
    releases
        .iter()
        .filter(|r| r.status != Status::Cancelled)
        .filter(|r| r.depends_on.iter().any(|d| d.value == upstream.id))
        .filter_map(|r| {
            let breaks = if ships_too_early(r, upstream) {
                Breaks::Order
            } else if before(r, &earliest, upstream) {
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

/// `release` ships before `earliest` (a moment of `upstream`); an all-day
/// date on either side compares by day.
fn before(release: &Release, earliest: &Moment, upstream: &Release) -> bool {
    let Some(date) = release.date else {
        return false;
    };
    if date.is_all_day() || earliest.is_all_day() {
        date.local_date(release.timezone) < earliest.local_date(upstream.timezone)
    } else {
        date.start_utc(release.timezone) < earliest.start_utc(upstream.timezone)
    }
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
/// (an all-day one counts from 09:00, SPEC §5.2) has passed at `now`.
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
