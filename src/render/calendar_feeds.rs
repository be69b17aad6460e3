//! iCalendar feeds (SPEC §4.1): all events, per team, per stakeholder group,
//! and the external feed of announced launches.

use std::collections::BTreeMap;

use chrono::Duration;
use rayon::prelude::*;

use super::ics::{
    EventTime, IcsCalendar, IcsEvent, IcsStatus, write_footer, write_header, write_vevent,
};
use super::{Kind, RenderError, Renderer};
use crate::content::Release;
use crate::content::frontmatter::Status;
use crate::history::Tombstone;
use crate::moment::Moment;
use crate::schedule::{Event, EventKind};
use crate::site::Site;

/// Hours subscribers are asked to wait between refreshes.
const REFRESH_HOURS: u32 = 6;
/// Length given to timed events that have no end of their own.
const DEFAULT_MINUTES: i64 = 30;

/// The iCal status of a release's events.
pub fn status_of(r: &Release) -> IcsStatus {
    match r.status {
        Status::Cancelled => IcsStatus::Cancelled,
        Status::Planned => IcsStatus::Tentative,
        _ => IcsStatus::Confirmed,
    }
}

fn time(m: Moment) -> EventTime {
    match m {
        Moment::Day(d) => EventTime::Date(d),
        Moment::At(t) => EventTime::Utc(t),
    }
}

/// Start and exclusive end: all-day events end the next day, timed ones after 30 minutes.
fn span(e: &Event) -> (EventTime, EventTime) {
    let end = match (e.start, e.end) {
        (Moment::Day(s), Some(Moment::Day(end))) if end > s => Moment::Day(end),
        (Moment::At(s), Some(Moment::At(end))) if end > s => Moment::At(end),
        (Moment::Day(s), _) => Moment::Day(s.succ_opt().unwrap_or(s)),
        (Moment::At(s), _) => Moment::At(s + Duration::minutes(DEFAULT_MINUTES)),
    };
    (time(e.start), time(end))
}

/// "Python 3.14.7", not "Python 3.14.7 3.14.7" when the title already ends with the version.
fn public_title(title: &str, version: Option<&str>) -> String {
    match version {
        Some(v) if !title.trim_end().ends_with(v.trim()) => format!("{title} {v}"),
        _ => title.to_string(),
    }
}

/// An internal SUMMARY: the event's name, and the release's title unless
/// the name already carries it ("Ship: X", "Announce: X").
fn internal_summary(e: &Event, title: &str) -> String {
    if matches!(e.kind, EventKind::Launch | EventKind::Announcement) || e.name.ends_with(title) {
        e.name.clone()
    } else {
        format!("{} · {title}", e.name)
    }
}

/// True when `e` ended within the feed window (`feeds.past_days` before "now").
fn in_window(site: &Site, e: &Event) -> bool {
    let tz = site.content.releases[e.release].timezone;
    let (_, end) = span(e);
    let end = match end {
        EventTime::Date(d) => Moment::Day(d),
        EventTime::Utc(t) => Moment::At(t),
    };
    end.start_utc(tz) >= site.now - Duration::days(i64::from(site.config.feeds.past_days))
}

/// The VEVENT of an internal event: every detail.
fn internal_event(site: &Site, e: &Event) -> IcsEvent {
    let r = &site.content.releases[e.release];
    let (start, end) = span(e);
    let mut description = Vec::new();
    if !e.description.is_empty() {
        description.push(e.description.clone());
    }
    description.push(format!(
        "Release: {} ({} {}, {})",
        r.title,
        site.team_name(&r.team),
        r.kind,
        r.status.as_str()
    ));
    if let Some(owner) = &r.owner {
        description.push(format!("Owner: {owner}"));
    }
    let facts = site.history_of(e.release);
    let uid = e.uid(&site.config.uid_domain);
    let (sequence, modified) =
        site.history
            .past_cancellation(&uid, false, facts.sequence, facts.modified);
    IcsEvent {
        uid,
        summary: internal_summary(e, &r.title),
        description: description.join("\n"),
        url: Some(
            site.config
                .internal_absolute_url(&format!("releases/{}/", r.id)),
        ),
        categories: vec![
            site.team_name(&r.team).to_string(),
            r.kind.clone(),
            e.kind.as_str().to_string(),
        ],
        start,
        end,
        status: status_of(r),
        dtstamp: modified,
        last_modified: modified,
        sequence,
    }
}

/// The VEVENT of a site event (a freeze window, a train departure), confirmed,
/// dated by "now" as no release file holds it.
fn site_event(site: &Site, e: &crate::schedule::SiteEvent) -> IcsEvent {
    IcsEvent {
        uid: e.uid(&site.config.uid_domain),
        summary: e.name.clone(),
        description: e.description.clone(),
        url: Some(
            site.config
                .internal_absolute_url(e.page.as_deref().unwrap_or("calendar/")),
        ),
        categories: vec![e.kind.to_string()],
        start: time(e.start),
        end: time(e.end),
        status: IcsStatus::Confirmed,
        dtstamp: site.now,
        last_modified: site.now,
        sequence: 0,
    }
}

/// The cancelled VEVENT of an event a recent commit removed (SPEC §4.1): the
/// last published times and names, a SEQUENCE above the last published one,
/// so subscribed calendars drop it. An external tombstone carries the public
/// fields of the announced version only.
fn tombstone_event(site: &Site, t: &Tombstone) -> IcsEvent {
    let (start, end) = span(&t.event);
    let (summary, description, url, categories) = if t.external {
        // As `external_event` wrote it, from the public fields it had.
        let title = public_title(&t.release.title, t.release.version.as_deref());
        let (summary, description, categories) = match t.event.kind {
            EventKind::Launch => (
                title,
                t.release.summary.clone().unwrap_or_default(),
                vec!["release".to_string()],
            ),
            kind => (
                format!("{title}: {}", t.event.name),
                t.event.description.clone(),
                vec!["release".to_string(), kind.as_str().to_string()],
            ),
        };
        (
            summary,
            description,
            site.config.absolute_url(""),
            categories,
        )
    } else {
        // The release page when the release still exists (a removed
        // milestone), else the changes page that says what happened.
        let url = match site.release(&t.release.id) {
            Some(r) => format!("releases/{}/", r.id),
            None => "changes/".to_string(),
        };
        (
            internal_summary(&t.event, &t.release.title),
            format!(
                "Cancelled: removed from the plan on {} by {}.",
                t.removed_at.format("%Y-%m-%d"),
                t.removed_by
            ),
            site.config.internal_absolute_url(&url),
            vec![
                site.team_name(&t.release.team).to_string(),
                t.release.kind.clone(),
                t.event.kind.as_str().to_string(),
            ],
        )
    };
    IcsEvent {
        uid: t.uid.clone(),
        summary,
        description,
        url: Some(url),
        categories,
        start,
        end,
        status: IcsStatus::Cancelled,
        dtstamp: t.removed_at,
        last_modified: t.removed_at,
        sequence: t.sequence,
    }
}

/// The VEVENT of a public event (a launch, a support phase's end, the end
/// of life) for the public feed: public fields only. Launches not shipped
/// yet (`roadmap: day`) are tentative.
fn external_event(site: &Site, e: &Event) -> IcsEvent {
    let r = &site.content.releases[e.release];
    let (start, end) = span(e);
    let facts = public_facts(site, r);
    let uid = e.uid(&site.config.uid_domain);
    let (sequence, modified) =
        site.history
            .past_cancellation(&uid, true, facts.sequence, facts.modified);
    let title = public_title(&r.title, r.version.as_deref());
    let (summary, description) = match e.kind {
        EventKind::Launch => (title, r.summary.clone().unwrap_or_default()),
        _ => (format!("{title}: {}", e.name), e.description.clone()),
    };
    IcsEvent {
        uid,
        summary,
        description,
        // A release on the roadmap has no page of its own yet.
        url: Some(if r.is_announced(site.now) {
            site.config.absolute_url(&format!("releases/{}/", r.id))
        } else {
            site.config.absolute_url("roadmap/")
        }),
        categories: match e.kind {
            EventKind::Launch => vec!["release".to_string()],
            _ => vec!["release".to_string(), e.kind.as_str().to_string()],
        },
        start,
        end,
        status: if r.has_shipped() {
            IcsStatus::Confirmed
        } else {
            IcsStatus::Tentative
        },
        dtstamp: modified,
        last_modified: modified,
        sequence,
    }
}

/// SEQUENCE, LAST-MODIFIED and DTSTAMP for the public feed, from public
/// facts only: the ship-date changes (and the file's creation), never the
/// commits that edited internal fields or sections (SPEC §5.1: the public
/// feed must not show when or how often the plan is edited), except that a
/// launch back after a cancellation passes the cancellation's SEQUENCE. An uncommitted
/// ship-date change counts as one more, now.
fn public_facts(site: &Site, r: &Release) -> crate::site::FileFacts {
    let off = crate::site::FileFacts {
        modified: site.now,
        sequence: 0,
    };
    if site.history.state == crate::history::State::Off {
        return off;
    }
    let Some(f) = site.history.file(&r.path) else {
        return off;
    };
    let committed = f.slips.last().map(|s| s.to).or(f.first_date);
    let changed_at = f.slips.last().map(|s| s.at).or(f.created).or(f.modified);
    // Back after a cancellation (however old): above it, and later.
    let changed_at = changed_at.max(f.public_back);
    let sequence = (f.slips.len() as u32).max(f.public_floor);
    if f.dirty && committed != r.date {
        return crate::site::FileFacts {
            modified: site.now,
            sequence: sequence.saturating_add(1),
        };
    }
    crate::site::FileFacts {
        modified: changed_at.unwrap_or(site.now),
        sequence,
    }
}

/// A feed named "<site title> · <name>", or the title alone when it already
/// ends with the name ("Kubernetes releases", not "Kubernetes releases · Releases").
fn calendar(site: &Site, name: String, description: String) -> IcsCalendar {
    let title = &site.config.title;
    let says_it = title.to_lowercase().ends_with(&name.to_lowercase());
    IcsCalendar {
        name: if says_it {
            title.clone()
        } else {
            format!("{title} · {name}")
        },
        description: Some(description),
        prodid: format!("-//shipdate//shipdate {}//EN", env!("CARGO_PKG_VERSION")),
        refresh_hours: REFRESH_HOURS,
    }
}

/// Writes a feed from pre-rendered VEVENT blocks.
fn write<'a>(
    out: &Renderer,
    path: &str,
    cal: &IcsCalendar,
    events: impl Iterator<Item = &'a str>,
) -> Result<(), RenderError> {
    if !out.wants(Kind::Feed, path) {
        return Ok(());
    }
    let mut text = String::with_capacity(4096);
    write_header(&mut text, cal);
    for e in events {
        text.push_str(e);
    }
    write_footer(&mut text);
    out.feed_bytes(path, text.as_bytes())
}

/// One VEVENT as text.
fn vevent(ev: &IcsEvent) -> String {
    let mut s = String::with_capacity(640);
    write_vevent(&mut s, ev);
    s
}

/// Indexes into the internal VEVENT list (live events, then internal
/// tombstones), keyed by feed id.
type FeedMembers<'a> = BTreeMap<&'a str, Vec<usize>>;

/// Team and stakeholder-group feeds, filled event by event.
struct Feeds<'a> {
    by_team: FeedMembers<'a>,
    by_group: FeedMembers<'a>,
    groups: &'a BTreeMap<String, crate::config::StakeholderGroup>,
}

impl<'a> Feeds<'a> {
    /// Lists VEVENT `i` in its teams' feeds, its group's feed (a notification),
    /// and the feeds of the release's groups whose level asks for it (SPEC §2):
    /// `critical` groups get the launch and every rollout phase, `affected`
    /// ones the launch, `informed` ones only their notification.
    fn add<'t>(
        &mut self,
        i: usize,
        teams: impl Iterator<Item = &'t str>,
        e: &Event,
        stakeholders: &[String],
    ) {
        for t in teams {
            if let Some(list) = self.by_team.get_mut(t)
                && list.last() != Some(&i)
            {
                list.push(i);
            }
        }
        for g in event_groups(self.groups, e, stakeholders) {
            if let Some(list) = self.by_group.get_mut(g) {
                list.push(i);
            }
        }
    }
}

/// The stakeholder groups whose feeds list event `e` of a release told to
/// `stakeholders`: a notification its own group's, a launch or rollout
/// phase those of the release's groups whose level asks for it (SPEC §2).
fn event_groups<'e>(
    groups: &BTreeMap<String, crate::config::StakeholderGroup>,
    e: &'e Event,
    stakeholders: &'e [String],
) -> Vec<&'e str> {
    match (e.kind, &e.stakeholder) {
        (EventKind::Notification, Some(g)) => vec![g.as_str()],
        (EventKind::Launch | EventKind::Phase, _) => stakeholders
            .iter()
            .filter(|g| {
                groups
                    .get(*g)
                    .is_some_and(|group| level_carries(group.level, e.kind))
            })
            .map(String::as_str)
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a stakeholder feed of `level` carries release events of `kind`
/// besides the group's own notification.
pub fn level_carries(level: crate::config::Level, kind: EventKind) -> bool {
    use crate::config::Level;
    match kind {
        EventKind::Launch => matches!(level, Level::Critical | Level::Affected),
        EventKind::Phase => level == Level::Critical,
        _ => false,
    }
}

/// Indexes of the internal VEVENTs per team feed and per stakeholder-group
/// feed: `site.events` first, then `tombstones` from `site.events.len()` on,
/// each going where its live event went.
fn feed_members<'a>(
    site: &'a Site,
    tombstones: &[&Tombstone],
) -> (FeedMembers<'a>, FeedMembers<'a>) {
    let mut feeds = Feeds {
        by_team: site
            .team_ids()
            .into_iter()
            .map(|t| (t, Vec::new()))
            .collect(),
        by_group: site
            .config
            .stakeholders
            .keys()
            .map(|g| (g.as_str(), Vec::new()))
            .collect(),
        groups: &site.config.stakeholders,
    };
    for (i, e) in site.events.iter().enumerate() {
        if !in_window(site, e) {
            continue;
        }
        let r = &site.content.releases[e.release];
        feeds.add(i, r.all_teams(), e, &r.stakeholders);
    }
    let live = site.events.len();
    for (j, t) in tombstones.iter().enumerate() {
        let teams = std::iter::once(t.release.team.as_str())
            .chain(t.release.teams.iter().map(String::as_str));
        feeds.add(live + j, teams, &t.event, &t.release.stakeholders);
    }
    (feeds.by_team, feeds.by_group)
}

/// Writes `internal/calendar.ics`, `internal/teams/<id>.ics` and `internal/stakeholders/<id>.ics`.
pub(crate) fn render_internal(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    if !wants_internal_feeds(site, out) {
        return Ok(());
    }
    // Each VEVENT is rendered once and shared by every feed that lists it;
    // events older than the feed window stay empty and are written nowhere.
    let mut all: Vec<String> = site
        .events
        .par_iter()
        .map(|e| {
            if in_window(site, e) {
                vevent(&internal_event(site, e))
            } else {
                String::new()
            }
        })
        .collect();
    let tombstones: Vec<&Tombstone> = site
        .history
        .tombstones
        .iter()
        .filter(|t| !t.external)
        .collect();
    all.extend(tombstones.iter().map(|t| vevent(&tombstone_event(site, t))));
    // Freeze windows after the tombstones, in the window like every event.
    let cutoff = site.now - Duration::days(i64::from(site.config.feeds.past_days));
    let site_events: Vec<&crate::schedule::SiteEvent> = site
        .site_events
        .iter()
        .filter(|e| e.end.start_utc(site.config.timezone) >= cutoff)
        .collect();
    let first_site = all.len();
    all.extend(site_events.iter().map(|e| vevent(&site_event(site, e))));
    let everything = calendar(site, "All releases".into(), "Every release event: launches, milestones, rollout phases, notifications, announcements, reviews".into());
    write(
        out,
        "internal/calendar.ics",
        &everything,
        all.iter().map(String::as_str),
    )?;
    let (mut by_team, by_group) = feed_members(site, &tombstones);
    for (j, e) in site_events.iter().enumerate() {
        for (team, list) in by_team.iter_mut() {
            if e.teams.is_empty() || e.teams.iter().any(|t| t == team) {
                list.push(first_site + j);
            }
        }
    }
    write_team_feeds(site, out, &all, &by_team)?;
    write_group_feeds(site, out, &all, &by_group)
}

/// `internal/teams/<id>.ics`: the VEVENTs (`all`) each team owns or takes part in.
fn write_team_feeds(
    site: &Site,
    out: &Renderer,
    all: &[String],
    by_team: &FeedMembers<'_>,
) -> Result<(), RenderError> {
    by_team.par_iter().try_for_each(|(team, idx)| {
        let name = site.team_name(team);
        let cal = calendar(
            site,
            name.to_string(),
            format!("Releases {name} owns or takes part in"),
        );
        write(
            out,
            &format!("internal/teams/{team}.ics"),
            &cal,
            idx.iter().map(|&i| all[i].as_str()),
        )
    })
}

/// `internal/stakeholders/<id>.ics`: each group's notifications, and the
/// launches and phases its level adds.
fn write_group_feeds(
    site: &Site,
    out: &Renderer,
    all: &[String],
    by_group: &FeedMembers<'_>,
) -> Result<(), RenderError> {
    let with_feed = groups_with_feeds(site);
    by_group
        .par_iter()
        .filter(|(group, _)| with_feed.contains(*group))
        .try_for_each(|(group, idx)| {
            let mut idx = idx.clone();
            idx.sort_unstable();
            let group_config = site.config.stakeholders.get(*group);
            let name = group_config.map(|g| g.name.as_str()).unwrap_or(group);
            let adds = match group_config.map(|g| g.level) {
                Some(crate::config::Level::Critical) => {
                    ", and the launches and rollout phases they are told about"
                }
                Some(crate::config::Level::Affected) => ", and the launches they are told about",
                _ => "",
            };
            let cal = calendar(
                site,
                format!("{name} notifications"),
                format!("When to notify {name}{adds}"),
            );
            write(
                out,
                &format!("internal/stakeholders/{group}.ics"),
                &cal,
                idx.iter().map(|&i| all[i].as_str()),
            )
        })
}

/// True when any internal feed is wanted, asked before any work is done for them.
fn wants_internal_feeds(site: &Site, out: &Renderer) -> bool {
    if ![
        "internal/calendar.ics",
        "internal/teams/",
        "internal/stakeholders/",
    ]
    .iter()
    .any(|p| out.wants_under(p))
    {
        return false;
    }
    // The feeds `feed_members` fills, named before any work is done for them.
    let mut paths = std::iter::once("internal/calendar.ics".to_string())
        .chain(
            site.team_ids()
                .into_iter()
                .map(|t| format!("internal/teams/{t}.ics")),
        )
        .chain(
            groups_with_feeds(site)
                .into_iter()
                .map(|g| format!("internal/stakeholders/{g}.ics")),
        );
    paths.any(|p| out.wants(Kind::Feed, &p))
}

/// The stakeholder groups that get a feed: those some release notifies
/// (even when every notification aged out of the window) and those a
/// withdrawn release's cancellation goes to. A group nobody notifies gets
/// none: an empty VCALENDAR says nothing. Named here once, so `serve` lists
/// exactly the group feeds a build writes.
fn groups_with_feeds(site: &Site) -> std::collections::BTreeSet<&str> {
    let notified = site.events.iter().filter_map(|e| e.stakeholder.as_deref());
    let cancelled = site
        .history
        .tombstones
        .iter()
        .filter(|t| !t.external)
        .flat_map(|t| event_groups(&site.config.stakeholders, &t.event, &t.release.stakeholders));
    notified
        .chain(cancelled)
        .filter(|g| site.config.stakeholders.contains_key(*g))
        .collect()
}

/// Writes `external/calendar.ics`: launches of announced (and `roadmap: day`)
/// releases, and the support ends and end of life of public ones.
pub(crate) fn render_external(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    if !out.wants(Kind::Feed, "external/calendar.ics") {
        return Ok(());
    }
    let mut events: Vec<String> = site
        .events
        .iter()
        .filter(|e| {
            crate::schedule::is_public(e, &site.content.releases[e.release], site.now)
                && in_window(site, e)
        })
        .map(|e| vevent(&external_event(site, e)))
        .collect();
    // Public events a commit took back (release deleted, renamed, no
    // longer announced, a support phase or end of life removed): public
    // fields of the public version only.
    events.extend(
        site.history
            .tombstones
            .iter()
            .filter(|t| t.external)
            .map(|t| vevent(&tombstone_event(site, t))),
    );
    let cal = calendar(
        site,
        "Releases".into(),
        format!("Releases of {}", site.config.title),
    );
    write(
        out,
        "external/calendar.ics",
        &cal,
        events.iter().map(String::as_str),
    )
}
