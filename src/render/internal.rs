//! The internal site: dashboard, release plans, team pages, JSON.

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::agenda::{self, Dated};
use super::views::{
    DatedRow, DependencyRow, EventRow, FindingRow, FollowUp, GateRow, NotificationRow,
    NotifiedView, ReleaseSummary, ReleaseView, is_open, life_day, release_url, team_url,
};
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::content::Release;
use crate::content::frontmatter::GateStatus;
use crate::content::release::Phase;
use crate::schedule::EventKind;
use crate::site::Site;
use crate::wording;

/// Most rows a team page's agenda lists.
const AGENDA_LIMIT: usize = 200;

pub(crate) fn render(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    let site_view = SiteView::new(site, "internal");
    site.content
        .releases
        .par_iter()
        .enumerate()
        .try_for_each(|(i, r)| {
            let path = release_url(&r.id);
            if !out.wants(Kind::Page, &format!("internal/{path}")) {
                return Ok(());
            }
            let view = release_view(site, i);
            let mut ctx = context(&path, &view)?;
            ctx.insert("site", &site_view);
            out.page("internal/release.html", &format!("internal/{path}"), &ctx)
        })?;
    super::dashboard::render(site, out, &site_view, |r, g| gate_row(site, r, g, true))?;
    teams(site, out, &site_view)
}

/// Writes `internal/releases.json`: every release, all fields.
pub(crate) fn render_json(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    if !out.wants(Kind::File, "internal/releases.json") {
        return Ok(());
    }
    let json: Vec<InternalJson> = site
        .content
        .releases
        .iter()
        .map(|r| InternalJson {
            url: release_url(&r.id),
            permalink: site
                .config
                .internal_absolute_url(&format!("releases/{}/", r.id)),
            release: r,
            sections: &r.body.sections,
        })
        .collect();
    out.json("internal/releases.json", &json)
}

#[derive(Serialize)]
struct InternalJson<'a> {
    /// Page path relative to the internal site root.
    url: String,
    /// Absolute page URL (`internal_url`, else `base_url`).
    permalink: String,
    #[serde(flatten)]
    release: &'a Release,
    sections: &'a [crate::content::markdown::Section],
}

fn dated(
    site: &Site,
    r: &Release,
    name: &str,
    when: Option<&crate::moment::Moment>,
    offset: Option<String>,
    note: String,
) -> DatedRow {
    DatedRow {
        name: name.to_string(),
        date: wording::maybe(when, r.timezone),
        date_iso: when.map(wording::iso),
        offset,
        note,
        past: when.is_some_and(|w| w.start_utc(r.timezone) < site.now),
    }
}

fn gate_row(
    site: &Site,
    r: &Release,
    g: &crate::content::release::Gate,
    with_release: bool,
) -> GateRow {
    GateRow {
        name: g.name.clone(),
        kind: g.kind,
        status: g.status,
        evidence: g.evidence.clone(),
        evidence_is_url: g.evidence.as_deref().is_some_and(super::views::is_url),
        due: g.due.as_ref().map(|d| wording::moment(d, r.timezone)),
        due_text: g.due_text.clone(),
        overdue: g.status == GateStatus::Pending
            && g.due.is_some_and(|d| d.start_utc(r.timezone) < site.now),
        owner: g.owner.clone(),
        release: with_release.then(|| ReleaseSummary::of(r, site)),
    }
}

/// Everything the internal page of release `index` shows.
fn release_view(site: &Site, index: usize) -> ReleaseView<'_> {
    let r = &site.content.releases[index];
    let milestones = milestone_rows(site, r);
    let phases = phase_rows(site, r);
    let event_rows: Vec<EventRow> = site
        .events_of(index)
        .map(|e| EventRow::of(e, site))
        .collect();
    ReleaseView {
        summary: ReleaseSummary::of(r, site),
        release: r,
        timezone: r.timezone.name(),
        series_url: r.series.as_deref().map(super::series::series_url),
        train: train_link(site, r),
        ceremony: site
            .config
            .release_types
            .get(&r.kind)
            .map(|t| t.ceremony.clone())
            .unwrap_or_default(),
        involved: r
            .teams
            .iter()
            .map(|t| (t.clone(), site.team_name(t).to_string()))
            .collect(),
        milestones,
        phases,
        gates: r
            .gates
            .iter()
            .map(|g| gate_row(site, r, g, false))
            .collect(),
        depends_on: depends_on(site, r),
        dependents: dependent_rows(site, index),
        notifications: notification_rows(site, r, &event_rows),
        follow_up: r
            .outcome
            .as_ref()
            .and_then(|o| FollowUp::of(o, site.today())),
        events: event_rows,
        sections: &r.body.sections,
        body_html: &r.body.internal_html,
        findings: site.findings_of(r).map(FindingRow::from).collect(),
        announce: r.announce.map(|a| wording::moment(&a, r.timezone)),
        announced: r.is_announced(site.now),
        roadmap: r
            .roadmap
            .zip(r.ship_day())
            .map(|(p, day)| wording::rounded(day, p)),
        rollback_plan_html: r
            .rollback
            .as_ref()
            .and_then(|b| b.plan.as_deref())
            .map(wording::inline_code),
        history: super::history_view::HistoryView::of(site, r),
        support: support_rows(r),
        eol: r.eol.map(life_day),
    }
}

/// The release's milestones, dated or still undecided, with their offsets.
fn milestone_rows(site: &Site, r: &Release) -> Vec<DatedRow> {
    r.milestones
        .iter()
        .map(|m| {
            dated(
                site,
                r,
                &m.name,
                m.when.as_ref(),
                m.offset.map(|o| o.to_string()),
                String::new(),
            )
        })
        .collect()
}

/// The release's rollout phases, each with its note.
fn phase_rows(site: &Site, r: &Release) -> Vec<DatedRow> {
    r.rollout
        .iter()
        .flat_map(|ro| &ro.phases)
        .map(|p| dated(site, r, &p.name, p.start.as_ref(), None, phase_note(p)))
        .collect()
}

/// The release train the release rides (page URL and name), when it names a known one.
fn train_link(site: &Site, r: &Release) -> Option<(String, String)> {
    r.train
        .as_deref()
        .and_then(|id| site.config.train(id))
        .map(|t| (super::trains::train_url(&t.id), t.name.clone()))
}

/// The releases that depend on release `index`.
fn dependent_rows(site: &Site, index: usize) -> Vec<DependencyRow> {
    site.dependents_of(index)
        .map(|x| DependencyRow {
            id: x.id.clone(),
            release: Some(ReleaseSummary::of(x, site)),
        })
        .collect()
}

/// The support phases: name and "from – until" in words.
fn support_rows(r: &Release) -> Vec<(String, String)> {
    r.support
        .iter()
        .map(|p| {
            let from = p.start.map(wording::day).unwrap_or_default();
            (p.name.clone(), format!("{from} – {}", life_day(p.until)))
        })
        .collect()
}

/// The release's notifications, each with its `notified` record.
fn notification_rows(site: &Site, r: &Release, events: &[EventRow]) -> Vec<NotificationRow> {
    events
        .iter()
        .filter(|e| e.kind == EventKind::Notification.as_str())
        .map(|e| {
            let group = e.stakeholder.as_deref().unwrap_or_default();
            NotificationRow {
                event: e.clone(),
                notified: r.notified.get(group).map(|l| NotifiedView::of(&l.value)),
                overdue: r
                    .notifications
                    .iter()
                    .find(|n| n.group == group)
                    .is_some_and(|n| crate::timing::is_overdue(n, r, &site.config, site.now)),
            }
        })
        .collect()
}

/// "5% · for 2d · beta testers": a phase's share, duration and audience.
fn phase_note(p: &Phase) -> String {
    let mut note = Vec::new();
    if let Some(pc) = p.percent {
        note.push(crate::schedule::percent(pc));
    }
    if let Some(d) = &p.duration {
        note.push(format!("for {d}"));
    }
    if let Some(a) = &p.audience {
        note.push(a.clone());
    }
    note.join(" · ")
}

/// The releases `r` depends on; an unknown id has no summary.
fn depends_on(site: &Site, r: &Release) -> Vec<DependencyRow> {
    r.depends_on
        .iter()
        .map(|d| DependencyRow {
            id: d.value.clone(),
            release: site.release(&d.value).map(|x| ReleaseSummary::of(x, site)),
        })
        .collect()
}

#[derive(Clone, Serialize)]
struct TeamRow {
    id: String,
    name: String,
    contact: Option<String>,
    url: String,
    feed_url: String,
    owned: usize,
    involved: usize,
    upcoming: usize,
}

#[derive(Serialize)]
struct TeamPage<'a> {
    site: &'a SiteView<'a>,
    team: TeamRow,
    upcoming: Vec<ReleaseSummary>,
    past: Vec<ReleaseSummary>,
    events: Vec<EventRow>,
    /// The trains the team runs: page and name.
    trains: Vec<(String, String)>,
}

#[derive(Serialize)]
struct TeamsPage<'a> {
    site: &'a SiteView<'a>,
    teams: Vec<TeamRow>,
}

/// A team's row on the teams page, with the releases it owns or takes part in.
fn team_row<'a>(site: &'a Site, id: &str, today: NaiveDate) -> (TeamRow, Vec<&'a Release>) {
    let releases: Vec<&Release> = site
        .content
        .releases
        .iter()
        .filter(|r| r.all_teams().any(|t| t == id))
        .map(|r| r.as_ref())
        .collect();
    let row = TeamRow {
        id: id.to_string(),
        name: site.team_name(id).to_string(),
        contact: site.config.team(id).and_then(|t| t.contact.clone()),
        url: team_url(id),
        feed_url: format!("teams/{id}.ics"),
        owned: releases.iter().filter(|r| r.team == id).count(),
        involved: releases.iter().filter(|r| r.team != id).count(),
        upcoming: releases
            .iter()
            .filter(|r| r.ship_day().is_none_or(|d| d >= today) && is_open(r.status))
            .count(),
    };
    (row, releases)
}

/// The teams page and one page per team.
fn teams(site: &Site, out: &Renderer, site_view: &SiteView) -> Result<(), RenderError> {
    let ids = site.team_ids();
    let mut paths =
        std::iter::once("teams/index.html".to_string()).chain(ids.iter().map(|id| team_url(id)));
    if !paths.any(|p| out.wants(Kind::Page, &format!("internal/{p}"))) {
        return Ok(());
    }
    let today = site.today();
    let trains = agenda::train_rows(site);
    let rows: Vec<(TeamRow, Vec<&Release>)> = ids
        .into_iter()
        .map(|id| team_row(site, id, today))
        .collect();
    rows.par_iter().try_for_each(|(row, releases)| {
        let path = team_url(&row.id);
        if !out.wants(Kind::Page, &format!("internal/{path}")) {
            return Ok(());
        }
        let (past, upcoming): (Vec<&&Release>, Vec<&&Release>) = releases
            .iter()
            .partition(|r| r.ship_day().is_some_and(|d| d < today));
        let mut past: Vec<ReleaseSummary> = past
            .into_iter()
            .map(|r| ReleaseSummary::of(r, site))
            .collect();
        past.reverse();
        let events = site
            .events
            .iter()
            .filter(|e| {
                let r = &site.content.releases[e.release];
                e.day(r) >= today && r.all_teams().any(|t| t == row.id)
            })
            .take(AGENDA_LIMIT)
            .map(|e| Dated::of_event(e, site));
        let own_trains = trains
            .iter()
            .filter(|t| t.day >= today && t.row.team == row.id);
        let mut events = agenda::merge(events, own_trains);
        events.truncate(AGENDA_LIMIT);
        let page = TeamPage {
            site: site_view,
            team: row.clone(),
            upcoming: upcoming
                .into_iter()
                .map(|r| ReleaseSummary::of(r, site))
                .collect(),
            past,
            events,
            trains: site
                .config
                .trains
                .iter()
                .filter(|t| t.team == row.id)
                .map(|t| (super::trains::train_url(&t.id), t.name.clone()))
                .collect(),
        };
        out.page(
            "internal/team.html",
            &format!("internal/{path}"),
            &context(&path, &page)?,
        )
    })?;
    let page = TeamsPage {
        site: site_view,
        teams: rows.into_iter().map(|(r, _)| r).collect(),
    };
    out.page(
        "internal/teams.html",
        "internal/teams/index.html",
        &context("teams/index.html", &page)?,
    )
}
