//! Serializable views handed to templates and JSON.
//!
//! Internal views may carry anything; [`PublicRelease`] is built field by field
//! from the public parts only, so external pages cannot reach internal data.

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::Release;
use crate::content::frontmatter::{GateStatus, Status};
use crate::content::markdown::Section;
use crate::diagnostic::Diagnostic;
use crate::schedule::Event;
use crate::site::Site;
use crate::wording;

/// A release in lists: enough to show a row and link to the page.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseSummary {
    /// Id.
    pub id: String,
    /// Page URL relative to the site root.
    pub url: String,
    /// Title.
    pub title: String,
    /// Version.
    pub version: Option<String>,
    /// Owning team id.
    pub team: String,
    /// Owning team display name.
    pub team_name: String,
    /// Involved team ids.
    pub teams: Vec<String>,
    /// Type id.
    #[serde(rename = "type")]
    pub kind: String,
    /// Status id.
    pub status: &'static str,
    /// Ship date for people.
    pub date: String,
    /// Ship date for machines.
    pub date_iso: Option<String>,
    /// Ship day `YYYY-MM-DD` in the release's time zone.
    pub day: String,
    /// Summary.
    pub summary: Option<String>,
    /// Risk.
    pub risk: Option<&'static str>,
    /// Draft badge.
    pub draft: bool,
    /// Checklist progress in the whole body.
    pub tasks_done: u32,
    /// Checklist size.
    pub tasks_total: u32,
}

impl ReleaseSummary {
    /// Builds the list view of `r`.
    pub fn of(r: &Release, site: &Site) -> Self {
        Self {
            id: r.id.clone(),
            url: release_url(&r.id),
            title: r.title.clone(),
            version: r.version.clone(),
            team: r.team.clone(),
            team_name: site.team_name(&r.team).to_string(),
            teams: r.teams.clone(),
            kind: r.kind.clone(),
            status: r.status.as_str(),
            date: wording::maybe(r.date.as_ref(), r.timezone),
            date_iso: r.date.as_ref().map(wording::iso),
            day: r.ship_day().map(|d| d.to_string()).unwrap_or_default(),
            summary: r.summary.clone(),
            risk: r.risk.map(|k| match k {
                crate::content::frontmatter::Risk::Low => "low",
                crate::content::frontmatter::Risk::Medium => "medium",
                crate::content::frontmatter::Risk::High => "high",
            }),
            draft: r.draft,
            tasks_done: r.body.tasks_done,
            tasks_total: r.body.tasks_total,
        }
    }
}

/// Site-relative URL of a release page.
pub fn release_url(id: &str) -> String {
    format!("releases/{id}/index.html")
}

/// Site-relative URL of a team page.
pub fn team_url(id: &str) -> String {
    format!("teams/{id}/index.html")
}

/// A dated row (milestone, phase) on a release page.
#[derive(Debug, Clone, Serialize)]
pub struct DatedRow {
    /// Name.
    pub name: String,
    /// When, for people.
    pub date: String,
    /// When, for machines.
    pub date_iso: Option<String>,
    /// Offset as written, e.g. `T-2w`.
    pub offset: Option<String>,
    /// Extra text.
    pub note: String,
    /// Already in the past at build time.
    pub past: bool,
}

/// A calendar event row.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    /// Kind id.
    pub kind: &'static str,
    /// Kind label.
    pub kind_label: &'static str,
    /// Event name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Release id.
    pub release_id: String,
    /// Release title.
    pub release_title: String,
    /// Release page URL (site-relative).
    pub release_url: String,
    /// Owning team id.
    pub team: String,
    /// Owning team's display name.
    pub team_name: String,
    /// All teams involved.
    pub teams: Vec<String>,
    /// Status of the release.
    pub status: &'static str,
    /// Day, `YYYY-MM-DD`.
    pub day: String,
    /// Day for people.
    pub date: String,
    /// ISO start.
    pub date_iso: String,
    /// `HH:MM` and the zone (`10:00 EST`), or empty for all-day.
    pub time: String,
    /// The end of a period, for people: its last day when all-day.
    pub until: Option<String>,
    /// The zone's abbreviation alone (`EST`), or empty for all-day.
    pub zone: String,
    /// Stakeholder group, for notifications.
    pub stakeholder: Option<String>,
    /// Before the build's "now".
    pub past: bool,
}

impl EventRow {
    /// The row for `event`.
    pub fn of(event: &Event, site: &Site) -> Self {
        let r = &site.content.releases[event.release];
        let day = event.day(r);
        Self {
            kind: event.kind.as_str(),
            kind_label: event.kind.label(),
            name: event.name.clone(),
            description: event.description.clone(),
            release_id: r.id.clone(),
            release_title: r.title.clone(),
            release_url: release_url(&r.id),
            team: r.team.clone(),
            team_name: site.team_name(&r.team).to_string(),
            teams: r.all_teams().map(str::to_string).collect(),
            status: r.status.as_str(),
            day: day.to_string(),
            date: wording::day(day),
            date_iso: wording::iso(&event.start),
            time: wording::time_of_day(&event.start, r.timezone),
            until: event.end.map(|end| wording::period_end(&end, r.timezone)),
            zone: wording::zone_of(&event.start, r.timezone),
            stakeholder: event.stakeholder.clone(),
            past: event.sort_key < site.now,
        }
    }
}

/// A gate row.
#[derive(Debug, Clone, Serialize)]
pub struct GateRow {
    /// Name.
    pub name: String,
    /// Kind id.
    pub kind: crate::content::frontmatter::GateKind,
    /// State.
    pub status: GateStatus,
    /// Proof.
    pub evidence: Option<String>,
    /// Evidence is a link.
    pub evidence_is_url: bool,
    /// Due, for people.
    pub due: Option<String>,
    /// Due as written.
    pub due_text: Option<String>,
    /// Pending past its due date.
    pub overdue: bool,
    /// Owner.
    pub owner: Option<String>,
    /// The release it belongs to.
    pub release: Option<ReleaseSummary>,
}

/// A finding row.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    /// Rule id.
    pub rule: &'static str,
    /// `error` or `warning`.
    pub severity: crate::diagnostic::Severity,
    /// `path:line:column`.
    pub location: String,
    /// Message.
    pub message: String,
    /// Hint.
    pub hint: Option<String>,
    /// The message as HTML: backticked keys as `<code>`.
    pub message_html: String,
    /// The hint as HTML.
    pub hint_html: Option<String>,
}

impl From<&Diagnostic> for FindingRow {
    fn from(d: &Diagnostic) -> Self {
        Self {
            rule: d.rule,
            severity: d.severity,
            location: d.location(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            message_html: wording::inline_code(&d.message),
            hint_html: d.hint.as_deref().map(wording::inline_code),
        }
    }
}

/// The full internal view of a release.
#[derive(Debug, Serialize)]
pub struct ReleaseView<'a> {
    /// List fields.
    #[serde(flatten)]
    pub summary: ReleaseSummary,
    /// The whole model.
    pub release: &'a Release,
    /// Ship date's time zone name.
    pub timezone: &'static str,
    /// Ceremony of the type.
    pub ceremony: String,
    /// Involved teams with names.
    pub involved: Vec<(String, String)>,
    /// The page of its release line (`series:`).
    pub series_url: Option<String>,
    /// The train it boards: its page and name.
    pub train: Option<(String, String)>,
    /// Milestones with dates.
    pub milestones: Vec<DatedRow>,
    /// Rollout phases with dates.
    pub phases: Vec<DatedRow>,
    /// Gates.
    pub gates: Vec<GateRow>,
    /// Upstream dependencies.
    pub depends_on: Vec<DependencyRow>,
    /// Releases that depend on this one.
    pub dependents: Vec<DependencyRow>,
    /// Notification rows, each with its `notified` record.
    pub notifications: Vec<NotificationRow>,
    /// `outcome.postmortem` and `outcome.actions`, for people.
    pub follow_up: Option<FollowUp>,
    /// Every event of the release.
    pub events: Vec<EventRow>,
    /// Body sections with checklist progress.
    pub sections: &'a [Section],
    /// The whole body.
    pub body_html: &'a str,
    /// Findings about this release.
    pub findings: Vec<FindingRow>,
    /// Announcement date for people, or `None` if never announced.
    pub announce: Option<String>,
    /// Published on the external site at build time.
    pub announced: bool,
    /// Roadmap label, e.g. "Q1 2027".
    pub roadmap: Option<String>,
    /// The rollback plan as HTML, backticked names as `<code>`.
    pub rollback_plan_html: Option<String>,
    /// Ship-date history and late scope changes from git; `None` without git.
    pub history: Option<super::history_view::HistoryView>,
    /// Support phases: "Active LTS", "Tue 1 Dec 2026 – Sat 30 Apr 2028".
    pub support: Vec<(String, String)>,
    /// End of life for people.
    pub eol: Option<String>,
}

/// A planned notification on a release page, with what records it happened.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationRow {
    /// The calendar event.
    #[serde(flatten)]
    pub event: EventRow,
    /// Its `notified:` record, if any.
    pub notified: Option<NotifiedView>,
    /// Its time passed more than one business day ago with no record.
    pub overdue: bool,
}

/// A `notified:` record for people.
#[derive(Debug, Clone, Serialize)]
pub struct NotifiedView {
    /// When the group was told, as written.
    pub date: Option<String>,
    /// Proof, when it is a link.
    pub evidence_url: Option<String>,
    /// Proof, when it is a note (HTML: backticked names as `<code>`).
    pub evidence_html: Option<String>,
}

impl NotifiedView {
    /// The view of `record`.
    pub fn of(record: &crate::content::frontmatter::NotifiedRecord) -> Self {
        let link = record.evidence.as_deref().filter(|e| is_url(e));
        Self {
            date: record.date.clone(),
            evidence_url: link.map(str::to_string),
            evidence_html: record
                .evidence
                .as_deref()
                .filter(|_| link.is_none())
                .map(wording::inline_code),
        }
    }
}

/// What follows a release: its post-mortem and follow-up actions.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    /// The post-mortem, when it is a link.
    pub postmortem_url: Option<String>,
    /// The post-mortem, when it is a note.
    pub postmortem_note: Option<String>,
    /// Follow-up actions in file order.
    pub actions: Vec<ActionRow>,
}

/// A follow-up action for people.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    /// What is to be done (HTML: backticked names as `<code>`).
    pub what_html: String,
    /// Who does it.
    pub owner: Option<String>,
    /// By when, for people.
    pub due: Option<String>,
    /// By when, `YYYY-MM-DD`.
    pub due_iso: Option<String>,
    /// Done.
    pub done: bool,
    /// Not done and its due day is before the build's day.
    pub overdue: bool,
}

impl FollowUp {
    /// The follow-up of `outcome` on `today`; `None` when it names none.
    pub fn of(outcome: &crate::content::frontmatter::Outcome, today: NaiveDate) -> Option<Self> {
        if outcome.postmortem.is_none() && outcome.actions.is_empty() {
            return None;
        }
        let pm = outcome.postmortem.as_deref();
        Some(Self {
            postmortem_url: pm.filter(|p| is_url(p)).map(str::to_string),
            postmortem_note: pm.filter(|p| !is_url(p)).map(str::to_string),
            actions: outcome
                .actions
                .iter()
                .map(|a| ActionRow {
                    what_html: wording::inline_code(&a.what),
                    owner: a.owner.clone(),
                    due: a.due.map(wording::day),
                    due_iso: a.due.map(|d| d.to_string()),
                    done: a.done,
                    overdue: !a.done && a.due.is_some_and(|d| d < today),
                })
                .collect(),
        })
    }
}

/// True for an `http(s)://` link.
pub fn is_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// "Tue 1 Dec 2026", or "April 2028" for a month written without its day.
pub fn life_day(d: crate::content::lifecycle::LifeDate) -> String {
    if d.approximate {
        d.label()
    } else {
        wording::day(d.day)
    }
}

/// A dependency edge as shown on a release page.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyRow {
    /// Id.
    pub id: String,
    /// The other release, if it exists.
    pub release: Option<ReleaseSummary>,
}

/// What the external site may know about a release. Built from public fields only.
#[derive(Debug, Clone, Serialize)]
pub struct PublicRelease {
    /// Id (also the URL).
    pub id: String,
    /// Page URL relative to the external site root.
    pub url: String,
    /// Title.
    pub title: String,
    /// Version.
    pub version: Option<String>,
    /// Ship date for people.
    pub date: String,
    /// Ship date for machines.
    pub date_iso: String,
    /// Customer-facing summary.
    pub summary: Option<String>,
    /// The `.external` sections.
    pub content_html: String,
    /// New, Improved, Fixed, Breaking, Security: from the `.external` headings.
    pub labels: Vec<super::labels::LabelView>,
    /// The product of the owning team, when the team names one (`product:`).
    pub product: Option<Product>,
    /// Support phases with their first and last days (public whenever the release is).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub support: Vec<PublicPhase>,
    /// End of life, `YYYY-MM-DD` (or `YYYY-MM` when only the month is known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eol: Option<String>,
}

/// A support phase in public output.
#[derive(Debug, Clone, Serialize)]
pub struct PublicPhase {
    /// Name.
    pub name: String,
    /// First day, `YYYY-MM-DD`.
    pub start: Option<String>,
    /// Last day, `YYYY-MM-DD` (or `YYYY-MM`).
    pub until: String,
}

impl PublicRelease {
    /// A public release before it ships (`roadmap: day`): its date and
    /// lifecycle, but none of its notes, which wait for the announcement.
    pub fn upcoming(r: &Release, site: &Site) -> Self {
        Self {
            content_html: String::new(),
            labels: Vec::new(),
            ..Self::of(r, site)
        }
    }

    /// The public view of `r`; callers must only pass announced releases.
    pub fn of(r: &Release, site: &Site) -> Self {
        Self {
            id: r.id.clone(),
            url: release_url(&r.id),
            title: r.title.clone(),
            version: r.version.clone(),
            // Announced releases have shipped, so their date is decided.
            date: r.ship_day().map_or(wording::TBD.to_string(), wording::day),
            date_iso: r.ship_day().map(|d| d.to_string()).unwrap_or_default(),
            summary: r.summary.clone(),
            content_html: r.body.external_html.clone(),
            labels: super::labels::of_sections(&r.body.sections),
            product: Product::of_team(site, &r.team),
            support: r
                .support
                .iter()
                .map(|p| PublicPhase {
                    name: p.name.clone(),
                    start: p.start.map(|d| d.to_string()),
                    until: p.until.iso(),
                })
                .collect(),
            eol: r.eol.map(|e| e.iso()),
        }
    }
}

/// A public product: the `product:` name a team gives its releases on the
/// external site. Team ids and names stay internal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Product {
    /// Public name.
    pub name: String,
    /// URL slug of the name.
    pub slug: String,
    /// Page URL relative to the external site root.
    pub url: String,
}

impl Product {
    /// The product of team `id`, if its configuration names one.
    pub fn of_team(site: &Site, id: &str) -> Option<Self> {
        let name = site.config.team(id)?.product.as_deref()?.trim();
        let slug = slug::slugify(name);
        (!slug.is_empty()).then(|| Self {
            name: name.to_string(),
            url: format!("products/{slug}/index.html"),
            slug,
        })
    }

    /// Every product the configured teams name, sorted by name, once each.
    pub fn all(site: &Site) -> Vec<Self> {
        let mut list: Vec<Self> = site
            .config
            .teams
            .iter()
            .filter_map(|t| Self::of_team(site, &t.id))
            .collect();
        list.sort();
        list.dedup_by(|a, b| a.slug == b.slug);
        list
    }
}

/// A roadmap entry: title, summary, rounded date. Nothing else.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapItem {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// "Q1 2027" or "January 2027".
    pub period: String,
    /// Slug of the owning team's product, for product changelog pages.
    pub product: Option<String>,
    /// Sort key: first day of the period.
    #[serde(skip)]
    pub sort: NaiveDate,
}

/// True when a status counts as open work for dashboards.
pub fn is_open(status: Status) -> bool {
    matches!(
        status,
        Status::Planned | Status::InProgress | Status::Delayed
    )
}
