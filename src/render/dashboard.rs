//! The internal dashboard (SPEC §4.0): what needs doing this week first
//! (stale plans, overdue gates with owners, notifications due with their
//! `notified` state, dependency risks, findings), each item linking to where
//! it is fixed; then one lane per upcoming release; then the agenda.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::agenda::{self, Dated};
use super::views::{EventRow, FindingRow, GateRow, ReleaseSummary, is_open, is_url, release_url};
use super::{HomeView, Kind, RenderError, Renderer, SiteView, context};
use crate::content::Release;
use crate::content::frontmatter::{GateStatus, Status};
use crate::content::release::Gate;
use crate::diagnostic::Diagnostic;
use crate::moment::Moment;
use crate::site::Site;
use crate::triage::{DEPENDENCY_RULES, NotificationDue, triage};
use crate::wording;

/// Findings listed on the dashboard; the rest are counted by rule.
const DASHBOARD_FINDINGS: usize = 50;

/// Days of upcoming events on the dashboard.
const DASHBOARD_DAYS: i64 = 30;

/// Rules whose findings the triage lists already show as items.
const LISTED_RULES: [&str; 3] = ["stale-status", "gate-overdue", "notification-overdue"];

/// Days ahead the triage looks for notifications: this week.
const TRIAGE_DAYS: i64 = 7;

/// One thing to do, linking to the place on a release page where it is fixed.
#[derive(Debug, Serialize)]
struct TriageItem {
    /// What needs doing, as HTML (backticked names as `<code>`).
    what_html: String,
    /// The release's title.
    release: String,
    /// Release page and anchor, site-relative.
    url: String,
    /// Who acts: a gate's owner, a notified group.
    who: Option<String>,
    /// When, for people (a clock time names its zone).
    when: String,
    /// When, for machines.
    when_iso: Option<String>,
    /// The state in words: "overdue", "told Tue 13 Oct 2026", "not told yet".
    state: String,
    /// Proof of a `notified` record, when it is a link.
    evidence_url: Option<String>,
    /// A note as HTML: the proof of a `notified` record when it is not a
    /// link, a finding's hint.
    note_html: Option<String>,
    /// Past due: shown in red and counted by the red figure.
    overdue: bool,
    /// Falls on the build's day.
    today: bool,
}

impl TriageItem {
    fn new(r: &Release, anchor: &str, what_html: String) -> Self {
        Self {
            what_html,
            release: r.title.clone(),
            url: format!("{}#{anchor}", release_url(&r.id)),
            who: None,
            when: String::new(),
            when_iso: None,
            state: String::new(),
            evidence_url: None,
            note_html: None,
            overdue: false,
            today: false,
        }
    }

    fn at(mut self, m: &Moment, r: &Release, today: NaiveDate) -> Self {
        self.when = wording::moment(m, r.timezone);
        self.when_iso = Some(wording::iso(m));
        self.today = m.local_date(r.timezone) == today;
        self
    }
}

/// The triage lists, in the order the page shows them.
#[derive(Debug, Serialize)]
struct TriageView {
    stale: Vec<TriageItem>,
    gates: Vec<TriageItem>,
    notifications: Vec<TriageItem>,
    dependencies: Vec<TriageItem>,
    findings: Vec<TriageItem>,
    /// Findings other than dependency risks and those listed above, all of them.
    finding_count: usize,
    /// Every finding per rule, for the line above a cut list.
    findings_by_rule: Vec<(&'static str, usize)>,
    /// Items of every list.
    total: usize,
    /// Items past due: stale plans, overdue gates, overdue notifications.
    overdue: usize,
}

/// A step of an upcoming release's lane: a milestone, the ship date, 100%.
#[derive(Debug, Serialize)]
struct LaneStep {
    /// `milestone`, `launch` or `phase`.
    kind: &'static str,
    /// Name.
    name: String,
    /// "Tue 1 Dec": short, the year is in the lane's ship date (named when
    /// the step falls in another year).
    day: String,
    /// For machines.
    date_iso: String,
    /// The whole date and time with its zone, for the title attribute.
    full: String,
    /// Before the build's "now".
    past: bool,
}

/// One upcoming release as a lane: milestones → ship → 100% rollout.
#[derive(Debug, Serialize)]
struct Lane {
    release: ReleaseSummary,
    steps: Vec<LaneStep>,
}

#[derive(Serialize)]
struct Dashboard<'a> {
    site: &'a SiteView<'a>,
    home: HomeView<'a>,
    intro_html: &'a str,
    triage: TriageView,
    lanes: Vec<Lane>,
    upcoming: Vec<EventRow>,
    recently_shipped: Vec<ReleaseSummary>,
    open_gates: Vec<GateRow>,
    in_flight: usize,
    launches_next_30: usize,
    days: i64,
    /// The newest schedule changes from git; the changes page has the rest.
    changes: Vec<super::changes::ChangeRow>,
    /// All schedule changes of the changes page's window.
    change_count: usize,
    /// Git history was read.
    history_on: bool,
}

/// Writes `internal/index.html`.
pub(crate) fn render(
    site: &Site,
    out: &Renderer,
    site_view: &SiteView,
    gate_row: impl Fn(&Release, &crate::content::release::Gate) -> GateRow,
) -> Result<(), RenderError> {
    if !out.wants(Kind::Page, "internal/index.html") {
        return Ok(());
    }
    let today = site.today();
    let horizon = today + Duration::days(DASHBOARD_DAYS);
    let events = site
        .events
        .iter()
        .filter(|e| {
            let day = e.day(&site.content.releases[e.release]);
            day >= today && day <= horizon
        })
        .map(|e| Dated::of_event(e, site));
    let trains = agenda::train_rows(site);
    let next_day = horizon.succ_opt().unwrap_or(horizon);
    let upcoming: Vec<EventRow> = agenda::merge(events, agenda::between(&trains, today, next_day));
    let releases = &site.content.releases;
    let recent_from = today - Duration::days(DASHBOARD_DAYS);
    let mut recently_shipped: Vec<ReleaseSummary> = releases
        .iter()
        .filter(|r| r.has_shipped() && r.ship_day().is_some_and(|d| d >= recent_from && d <= today))
        .map(|r| ReleaseSummary::of(r, site))
        .collect();
    recently_shipped.reverse();
    let page = Dashboard {
        home: HomeView::new(site),
        site: site_view,
        intro_html: &site.content.home.body.internal_only_html,
        triage: triage_view(site),
        lanes: lanes(site),
        launches_next_30: upcoming.iter().filter(|e| e.kind == "launch").count(),
        upcoming,
        in_flight: releases
            .iter()
            .filter(|r| matches!(r.status, Status::InProgress | Status::Delayed))
            .count(),
        recently_shipped,
        open_gates: open_gates(site, gate_row),
        days: DASHBOARD_DAYS,
        changes: site
            .history
            .changes
            .iter()
            .take(super::changes::DASHBOARD_CHANGES)
            .map(|c| super::changes::row(site, c))
            .collect(),
        change_count: site.history.changes.len(),
        history_on: site.history.state != crate::history::State::Off,
    };
    out.page(
        "internal/index.html",
        "internal/index.html",
        &context("index.html", &page)?,
    )
}

/// Pending and blocked gates of open releases, soonest due first.
fn open_gates(
    site: &Site,
    gate_row: impl Fn(&Release, &crate::content::release::Gate) -> GateRow,
) -> Vec<GateRow> {
    let mut gates: Vec<(DateTime<Utc>, GateRow)> = site
        .content
        .releases
        .iter()
        .filter(|r| is_open(r.status))
        .flat_map(|r| {
            r.gates
                .iter()
                .filter(|g| matches!(g.status, GateStatus::Pending | GateStatus::Blocked))
                .map(|g| {
                    let due = g.due.or(r.date);
                    let key = due.map_or(DateTime::<Utc>::MAX_UTC, |d| d.start_utc(r.timezone));
                    (key, gate_row(r, g))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    gates.sort_by_key(|g| g.0);
    gates.into_iter().map(|g| g.1).collect()
}

/// The triage lists of this week, as page items.
fn triage_view(site: &Site) -> TriageView {
    let today = site.today();
    let t = triage(
        &site.content.releases,
        &site.findings,
        &site.config,
        site.now,
        TRIAGE_DAYS,
    );
    let stale: Vec<TriageItem> = t.stale.iter().map(|r| stale_item(r, today)).collect();
    let gates: Vec<TriageItem> = t
        .overdue_gates
        .iter()
        .map(|(r, g)| overdue_gate_item(r, g, today))
        .collect();
    let notifications: Vec<TriageItem> = t
        .notifications_due
        .iter()
        .map(|n| notification_item(site, n, today))
        .collect();
    let by_path: HashMap<&Path, &Release> = site
        .content
        .releases
        .iter()
        .map(|r| (r.path.as_path(), r.as_ref()))
        .collect();
    let finding = |d: &Diagnostic| finding_item(&by_path, d);
    let dependencies: Vec<TriageItem> = t.dependency_risks.iter().map(|d| finding(d)).collect();
    let others: Vec<&Diagnostic> = site
        .findings
        .iter()
        .filter(|d| !DEPENDENCY_RULES.contains(&d.rule) && !LISTED_RULES.contains(&d.rule))
        .collect();
    let findings: Vec<TriageItem> = others
        .iter()
        .take(DASHBOARD_FINDINGS)
        .map(|d| finding(d))
        .collect();
    let overdue = [&stale, &gates, &notifications]
        .iter()
        .flat_map(|l| l.iter())
        .filter(|i| i.overdue)
        .count();
    TriageView {
        total: stale.len() + gates.len() + notifications.len() + dependencies.len() + others.len(),
        overdue,
        finding_count: others.len(),
        findings_by_rule: crate::diagnostic::count_by_rule(&site.findings),
        stale,
        gates,
        notifications,
        dependencies,
        findings,
    }
}

/// A release still planned after its ship date: its owner should update it.
fn stale_item(r: &Release, today: NaiveDate) -> TriageItem {
    let what = format!("Still {} after its ship date", r.status.as_str());
    let mut item = TriageItem::new(r, "facts-h", what);
    if let Some(d) = &r.date {
        item = item.at(d, r, today);
    }
    item.who = r.owner.clone();
    item.state = "update the status or the date".into();
    item.overdue = true;
    item
}

/// A gate past its due date, linked to the gate on the release page.
fn overdue_gate_item(r: &Release, g: &Gate, today: NaiveDate) -> TriageItem {
    let index = r.gates.iter().position(|x| std::ptr::eq(x, g));
    let anchor = index.map_or("gates-h".into(), |i| format!("gate-{}", i + 1));
    let what = format!("Gate “{}”", wording::inline_code(&g.name));
    let mut item = TriageItem::new(r, &anchor, what);
    if let Some(d) = &g.due {
        item = item.at(d, r, today);
    }
    item.who = Some(g.owner.clone().unwrap_or_else(|| "no owner".into()));
    item.state = "overdue".into();
    item.overdue = true;
    item
}

/// A notification due: whom to tell, when, and whether it was recorded.
fn notification_item(site: &Site, n: &NotificationDue, today: NaiveDate) -> TriageItem {
    let r = n.release;
    let group = site
        .config
        .stakeholders
        .get(&n.notification.group)
        .map_or(n.notification.group.as_str(), |g| g.name.as_str());
    let what = format!("Tell {}", wording::inline_code(group));
    let mut item = TriageItem::new(r, "notify-h", what).at(&n.notification.when, r, today);
    item.who = Some(
        r.owner
            .clone()
            .unwrap_or_else(|| site.team_name(&r.team).into()),
    );
    item.overdue = n.overdue;
    item.state = match n.notified {
        Some(rec) => {
            let evidence = rec.evidence.clone();
            if evidence.as_deref().is_some_and(is_url) {
                item.evidence_url = evidence;
            } else {
                item.note_html = evidence.as_deref().map(wording::inline_code);
            }
            format!("told {}", rec.date.as_deref().unwrap_or("(no date)"))
        }
        None if n.overdue => "overdue: not recorded as told".into(),
        None if crate::timing::instant(&n.notification.when, r) < site.now => {
            "due, not recorded as told yet".into()
        }
        None => "not told yet".into(),
    };
    item
}

/// A finding as a triage item, linked to its release's findings when the
/// file is a release's.
fn finding_item(by_path: &HashMap<&Path, &Release>, d: &Diagnostic) -> TriageItem {
    let row = FindingRow::from(d);
    let (release, url) = by_path.get(d.path.as_path()).map_or_else(
        || (row.location.clone(), String::new()),
        |r| {
            (
                r.title.clone(),
                format!("{}#findings-h", release_url(&r.id)),
            )
        },
    );
    TriageItem {
        what_html: format!("<code>{}</code> {}", row.rule, row.message_html),
        release,
        url,
        who: None,
        when: String::new(),
        when_iso: None,
        state: row.location,
        evidence_url: None,
        note_html: row.hint_html,
        overdue: false,
        today: false,
    }
}

/// One lane per open release that has not shipped, soonest first (undecided
/// dates last, as the release list sorts them).
fn lanes(site: &Site) -> Vec<Lane> {
    site.content
        .releases
        .iter()
        .filter(|r| is_open(r.status) && !r.has_shipped())
        .filter(|r| {
            r.date.is_none_or(|d| d.start_utc(r.timezone) >= site.now)
                || r.status == Status::InProgress
        })
        .map(|r| Lane {
            release: ReleaseSummary::of(r, site),
            steps: lane_steps(r, site.now),
        })
        .collect()
}

/// Milestones, the ship date and the phase that reaches 100%, in time order.
fn lane_steps(r: &Release, now: DateTime<Utc>) -> Vec<LaneStep> {
    let ship_year = r.ship_day().map(|d| d.year());
    let step = |kind: &'static str, name: &str, m: &Moment| LaneStep {
        kind,
        name: name.to_string(),
        day: short_day(m.local_date(r.timezone), ship_year),
        date_iso: wording::iso(m),
        full: wording::moment(m, r.timezone),
        past: m.start_utc(r.timezone) < now,
    };
    let mut steps: Vec<(DateTime<Utc>, LaneStep)> = r
        .milestones
        .iter()
        .filter_map(|m| m.when.as_ref().map(|w| (w, m.name.as_str())))
        .map(|(w, name)| (w.start_utc(r.timezone), step("milestone", name, w)))
        .collect();
    if let Some(d) = &r.date {
        steps.push((d.start_utc(r.timezone), step("launch", "Ship", d)));
    }
    let full = r
        .rollout
        .iter()
        .flat_map(|ro| &ro.phases)
        .find(|p| p.percent.is_some_and(|pc| pc >= 100.0));
    if let Some(start) = full.and_then(|p| p.start.as_ref()) {
        steps.push((start.start_utc(r.timezone), step("phase", "100%", start)));
    }
    steps.sort_by_key(|s| s.0);
    steps.into_iter().map(|s| s.1).collect()
}

/// "Tue 1 Dec", with the year when it is not `year`.
fn short_day(d: NaiveDate, year: Option<i32>) -> String {
    let format = if Some(d.year()) == year {
        "%a %-d %b"
    } else {
        "%a %-d %b %Y"
    };
    d.format(format).to_string()
}
