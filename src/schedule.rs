//! Schedule stage: every release's calendar events (SPEC §4.1).

use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::release::{Milestone, Phase};
use crate::moment::Moment;

mod kept;
pub mod trains;
pub use kept::Memo;
pub use trains::{Departure, train_events};

/// What an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The ship date.
    Launch,
    /// A milestone before or after shipping.
    Milestone,
    /// A rollout phase.
    Phase,
    /// A stakeholder notification.
    Notification,
    /// The external announcement.
    Announcement,
    /// A post-launch or results review.
    Review,
    /// The last day of a support phase.
    Support,
    /// The end of life.
    Eol,
}

impl EventKind {
    /// Every kind, in display order.
    pub const ALL: [EventKind; 8] = [
        EventKind::Launch,
        EventKind::Milestone,
        EventKind::Phase,
        EventKind::Notification,
        EventKind::Announcement,
        EventKind::Review,
        EventKind::Support,
        EventKind::Eol,
    ];

    /// The kind's id, used in UIDs, CSS classes and filters.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventKind::Launch => "launch",
            EventKind::Milestone => "milestone",
            EventKind::Phase => "phase",
            EventKind::Notification => "notification",
            EventKind::Announcement => "announcement",
            EventKind::Review => "review",
            EventKind::Support => "support",
            EventKind::Eol => "eol",
        }
    }

    /// Human label.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::Launch => "Launch",
            EventKind::Milestone => "Milestone",
            EventKind::Phase => "Rollout phase",
            EventKind::Notification => "Notification",
            EventKind::Announcement => "Announcement",
            EventKind::Review => "Review",
            EventKind::Support => "Support phase ends",
            EventKind::Eol => "End of life",
        }
    }
}

/// One calendar event derived from a release.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Index of the release in the site's release list.
    #[serde(skip)]
    pub release: usize,
    /// Id of the release.
    pub release_id: String,
    /// Kind.
    pub kind: EventKind,
    /// Unique within the release and stable across builds; the middle of the UID.
    pub key: String,
    /// Short title, e.g. "Code freeze".
    pub name: String,
    /// Longer text: who, how, what.
    pub description: String,
    /// Start.
    pub start: Moment,
    /// Exclusive end, when the event spans time.
    pub end: Option<Moment>,
    /// Stakeholder group, for notifications.
    pub stakeholder: Option<String>,
    /// Start as a UTC instant, for sorting.
    #[serde(skip)]
    pub sort_key: DateTime<Utc>,
}

impl Event {
    /// Day the event starts on, in its release's time zone.
    pub fn day(&self, release: &Release) -> NaiveDate {
        self.start.local_date(release.timezone)
    }

    /// The UID of the event in iCal feeds.
    pub fn uid(&self, uid_domain: &str) -> String {
        format!(
            "{}.{}.{}@{uid_domain}",
            self.release_id,
            self.kind.as_str(),
            self.key
        )
    }
}

/// Derives every event of every release, sorted by start then UID.
pub fn derive(releases: &[Arc<Release>], config: &SiteConfig) -> Vec<Event> {
    let mut events: Vec<Event> = releases
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, r)| release_events(i, r, config))
        .collect();
    sort(&mut events);
    events
}

/// Sorts events by start, then UID.
fn sort(events: &mut [Event]) {
    events.par_sort_unstable_by(|a, b| {
        (a.sort_key, &a.release_id, a.kind, &a.key).cmp(&(
            b.sort_key,
            &b.release_id,
            b.kind,
            &b.key,
        ))
    });
}

/// The events of one release: launch, milestones, reviews, phases, notifications, announcement.
/// A release whose date is `tbd` has none: nothing is decided yet.
pub fn release_events(index: usize, r: &Release, config: &SiteConfig) -> Vec<Event> {
    let Some(date) = r.date else {
        return Vec::new();
    };
    let mut events = Collector {
        index,
        release: r,
        keys: HashSet::new(),
        out: Vec::new(),
    };
    let ship_text = r.summary.clone().unwrap_or_default();
    let launch = format!("Ship: {}", r.title);
    events.push(EventKind::Launch, "ship", launch, ship_text, date, None);
    push_milestones(&mut events, r);
    push_phases(&mut events, r);
    push_notifications(&mut events, r, config);
    push_announcement(&mut events, r);
    push_support(&mut events, r);
    events.out
}

/// Adds the dated milestones; one named like a review becomes a review event.
fn push_milestones(events: &mut Collector, r: &Release) {
    for m in &r.milestones {
        // An undecided milestone (`date: tbd`) is listed on the page only.
        let Some(when) = m.when else { continue };
        let kind = if m.name.to_lowercase().contains("review") {
            EventKind::Review
        } else {
            EventKind::Milestone
        };
        let text = milestone_details(m);
        events.push(kind, &m.name, m.name.clone(), text, when, m.end);
    }
}

/// Adds the rollout phases that have a start.
fn push_phases(events: &mut Collector, r: &Release) {
    for p in r.rollout.iter().flat_map(|rollout| &rollout.phases) {
        let Some(start) = p.start else { continue };
        let (name, text) = phase_wording(p);
        events.push(EventKind::Phase, &p.name, name, text, start, p.end);
    }
}

/// Adds one notification per stakeholder group the configuration knows.
fn push_notifications(events: &mut Collector, r: &Release, config: &SiteConfig) {
    for n in &r.notifications {
        let Some(group) = config.stakeholders.get(&n.group) else {
            continue;
        };
        let name = if group.channel.is_empty() {
            format!("Notify {}", group.name)
        } else {
            format!("Notify {} via {}", group.name, group.channel)
        };
        let content = group.content.clone();
        events
            .push(
                EventKind::Notification,
                &group.id,
                name,
                content,
                n.when,
                None,
            )
            .stakeholder = Some(group.id.clone());
    }
}

/// Adds the public announcement of a customer-facing release, when it has one.
fn push_announcement(events: &mut Collector, r: &Release) {
    if let Some(announce) = r.announce
        && r.is_customer_facing()
    {
        let name = format!("Announce: {}", r.title);
        let text = r.summary.clone().unwrap_or_default();
        events.push(
            EventKind::Announcement,
            "announce",
            name,
            text,
            announce,
            None,
        );
    }
}

/// Adds the end of each support phase, then the end of life.
fn push_support(events: &mut Collector, r: &Release) {
    for (i, p) in r.support.iter().enumerate() {
        let next = r.support.get(i + 1).map_or_else(
            || "End of life follows.".to_string(),
            |n| format!("{} follows.", n.name),
        );
        events.push(
            EventKind::Support,
            &p.name,
            format!("{} ends", p.name),
            format!("Last day of {}{}. {next}", p.name, approx(p.until)),
            Moment::Day(p.until.day),
            None,
        );
    }
    if let Some(eol) = r.eol {
        events.push(
            EventKind::Eol,
            "eol",
            "End of life".to_string(),
            format!("Last day of support{}.", approx(eol)),
            Moment::Day(eol.day),
            None,
        );
    }
}

/// A milestone's description in feeds: its description, owner and link.
fn milestone_details(m: &Milestone) -> String {
    let details: Vec<String> = [
        m.description.clone(),
        m.owner.as_ref().map(|o| format!("Owner: {o}")),
        m.url.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    details.join(" · ")
}

/// A release's events as they are made, each with a key unique within its kind.
struct Collector<'a> {
    index: usize,
    release: &'a Release,
    keys: HashSet<(EventKind, String)>,
    out: Vec<Event>,
}

impl Collector<'_> {
    /// Adds an event keyed by `key` slugged (`-2`, `-3` … when taken); returns it.
    fn push(
        &mut self,
        kind: EventKind,
        key: &str,
        name: String,
        description: String,
        start: Moment,
        end: Option<Moment>,
    ) -> &mut Event {
        let base = slug::slugify(key);
        let base = if base.is_empty() {
            kind.as_str().to_string()
        } else {
            base
        };
        let mut key = base.clone();
        let mut n = 2;
        while !self.keys.insert((kind, key.clone())) {
            key = format!("{base}-{n}");
            n += 1;
        }
        let r = self.release;
        self.out.push(Event {
            release: self.index,
            release_id: r.id.clone(),
            kind,
            key,
            name,
            description,
            start,
            end,
            stakeholder: None,
            sort_key: start.start_utc(r.timezone),
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// A rollout phase's event name ("Rollout: Canary (5%)") and description
/// (share, audience, exit criteria).
fn phase_wording(p: &Phase) -> (String, String) {
    let mut text = Vec::new();
    if let Some(pc) = p.percent {
        text.push(format!("{} of users", percent(pc)));
    }
    if let Some(a) = &p.audience {
        text.push(format!("Audience: {a}"));
    }
    if !p.exit.is_empty() {
        text.push(format!("Exit criteria: {}", p.exit.join("; ")));
    }
    let name = match p.percent {
        Some(pc) => format!("Rollout: {} ({})", p.name, percent(pc)),
        None => format!("Rollout: {}", p.name),
    };
    (name, text.join(" · "))
}

/// " (approximately: April 2028)" for a date written as a month.
fn approx(d: crate::content::lifecycle::LifeDate) -> String {
    if d.approximate {
        format!(" (approximately: {})", d.label())
    } else {
        String::new()
    }
}

/// True when the external feed carries `e`, an event of `r`, at `now`
/// (SPEC §4.1): launches of announced releases and of `roadmap: day`
/// releases before they ship, and the support ends and end of life of public ones.
pub fn is_public(e: &Event, r: &Release, now: DateTime<Utc>) -> bool {
    match e.kind {
        EventKind::Launch | EventKind::Support | EventKind::Eol => r.is_public(now),
        _ => false,
    }
}

/// An event that belongs to the site, not to a release: a freeze window or
/// a train departure and its milestones (SPEC §4.1). Kept apart from [`Event`], whose pages and feeds read its
/// release; the feeds list both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteEvent {
    /// The middle of the UID (`site.<kind>.<key>@…`).
    pub key: String,
    /// Kind id: `freeze` or `train`.
    pub kind: &'static str,
    /// Title.
    pub name: String,
    /// Longer text: scope, exceptions.
    pub description: String,
    /// First day.
    pub start: Moment,
    /// Exclusive end.
    pub end: Moment,
    /// The teams whose feeds carry it; empty means every team.
    pub teams: Vec<String>,
    /// Its internal page (relative to the internal site), else the calendar.
    pub page: Option<String>,
}

impl SiteEvent {
    /// The UID of the event in iCal feeds.
    pub fn uid(&self, uid_domain: &str) -> String {
        format!("site.{}.{}@{uid_domain}", self.kind, self.key)
    }
}

/// The freeze windows as period events, in config order.
pub fn site_events(config: &SiteConfig) -> Vec<SiteEvent> {
    let mut keys = HashSet::new();
    config
        .freeze
        .iter()
        .map(|f| {
            let base = slug::slugify(&f.name);
            let mut key = base.clone();
            let mut n = 2;
            while !keys.insert(key.clone()) {
                key = format!("{base}-{n}");
                n += 1;
            }
            let scope = if f.teams.is_empty() {
                "Every team".to_string()
            } else {
                format!("Teams: {}", f.teams.join(", "))
            };
            let allow = f.allow.clone().unwrap_or_else(|| {
                crate::config::DEFAULT_FREEZE_ALLOW
                    .map(String::from)
                    .to_vec()
            });
            SiteEvent {
                key,
                kind: "freeze",
                name: format!("Freeze: {}", f.name),
                description: format!(
                    "No release may ship. {scope}. Allowed: {}.",
                    allow.join(", ")
                ),
                start: match f.is_timed() {
                    true => Moment::At(f.start_instant(config.timezone)),
                    false => Moment::Day(f.start),
                },
                end: match f.is_timed() {
                    true => Moment::At(f.end_at.unwrap_or_else(|| f.end_instant(config.timezone))),
                    false => Moment::Day(f.end.succ_opt().unwrap_or(f.end)),
                },
                teams: f.teams.clone(),
                page: None,
            }
        })
        .collect()
}

/// "5%", "12.5%": no trailing `.0`.
pub fn percent(value: f64) -> String {
    format!("{}%", (value * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown;

    fn release(yaml: &str) -> Release {
        let config = SiteConfig::default();
        let fm = crate::yaml::parse(yaml, std::path::Path::new("a.md"), 2).unwrap();
        let src = crate::content::release::Source {
            path: std::path::Path::new("a.md"),
            stem: "a",
            first_line: 2,
            positions: Default::default(),
        };
        crate::content::release::resolve(
            fm,
            markdown::render("## New {.external}\nx\n"),
            src,
            &config,
        )
        .unwrap()
    }

    #[test]
    fn phases_without_at_follow_the_previous_phase() {
        let r = release(
            "title: P\nteam: t\ntype: minor\ndate: 2026-12-01\nsummary: S\nrollout:\n  phases:\n    - {name: canary, at: T+2d}\n    - {name: beta, duration: 3d}\n    - {name: ga}\n",
        );
        let starts: Vec<String> = release_events(0, &r, &SiteConfig::default())
            .iter()
            .filter(|e| e.kind == EventKind::Phase)
            .map(|e| format!("{}@{:?}", e.key, e.start))
            .collect();
        let day = |d: &str| format!("{:?}", Moment::Day(d.parse().unwrap()));
        assert_eq!(
            starts,
            [
                format!("canary@{}", day("2026-12-03")),
                format!("beta@{}", day("2026-12-03")),
                format!("ga@{}", day("2026-12-06")),
            ],
            "beta has no `at` and canary no duration: beta starts with canary, not at T"
        );
    }

    #[test]
    fn major_release_gets_type_milestones_reviews_notifications_and_announcement() {
        let r = release("title: P\nteam: t\ntype: major\ndate: 2026-12-01\nsummary: S\n");
        let events = release_events(0, &r, &SiteConfig::default());
        let count = |k| events.iter().filter(|e| e.kind == k).count();
        assert_eq!(count(EventKind::Launch), 1);
        assert_eq!(count(EventKind::Milestone), 3);
        assert_eq!(count(EventKind::Review), 2);
        assert_eq!(
            count(EventKind::Notification),
            7,
            "every built-in group, engineering and company too"
        );
        assert_eq!(count(EventKind::Announcement), 1);
        let partners = events.iter().find(|e| e.key == "partners").unwrap();
        assert_eq!(
            partners.name,
            "Notify Integration partners via Technical docs site"
        );
        // T-5b from Tuesday 1 December: five business days back, over the weekend.
        assert_eq!(partners.start, Moment::Day("2026-11-24".parse().unwrap()));
        let company = events.iter().find(|e| e.key == "company").unwrap();
        assert_eq!(company.start, Moment::Day("2026-12-02".parse().unwrap()));
        assert_eq!(
            partners.uid("x.example"),
            "a.notification.partners@x.example"
        );
    }

    #[test]
    fn type_and_release_offsets_override_the_groups() {
        // A hotfix tells support and ops an hour before (the type's list);
        // a release's `{id, at}` entry overrides the group's offset too.
        let r = release("title: P\nteam: t\ntype: hotfix\ndate: 2026-12-01T14:00Z\n");
        let events = release_events(0, &r, &SiteConfig::default());
        let at = |key: &str| events.iter().find(|e| e.key == key).unwrap().start;
        let hour_before = Moment::At("2026-12-01T13:00:00Z".parse().unwrap());
        assert_eq!((at("support"), at("ops")), (hour_before, hour_before));
        let r = release(
            "title: P\nteam: t\ntype: minor\ndate: 2026-12-04\nstakeholders: [{id: support, at: T-2b}, csm]\n",
        );
        let events = release_events(0, &r, &SiteConfig::default());
        let at = |key: &str| events.iter().find(|e| e.key == key).unwrap().start;
        assert_eq!(at("support"), Moment::Day("2026-12-02".parse().unwrap()));
        assert_eq!(at("csm"), Moment::Day("2026-11-30".parse().unwrap()));
    }

    #[test]
    fn keys_are_unique_within_a_release() {
        let r = release(
            "title: P\nteam: t\ntype: patch\ndate: 2026-12-01\nmilestones:\n  - {name: Check, at: T-1d}\n  - {name: Check!, at: T-2d}\n",
        );
        let keys: Vec<_> = release_events(0, &r, &SiteConfig::default())
            .into_iter()
            .filter(|e| e.kind == EventKind::Milestone)
            .map(|e| e.key)
            .collect();
        assert_eq!(keys, ["check", "check-2"]);
    }
}
