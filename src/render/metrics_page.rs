//! The internal metrics page and `metrics.json`.

use serde::Serialize;

use super::svg::{Bar, bar_chart, column_chart};
use super::views::release_url;
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::metrics::target::MetricStatus;
use crate::metrics::{Group, Metrics};
use crate::site::Site;

#[derive(Serialize)]
struct GroupRow<'a> {
    #[serde(flatten)]
    group: &'a Group,
    rollback_pct: Option<String>,
    tickets_avg: Option<String>,
    hours_avg: Option<String>,
    on_time_pct: Option<String>,
    slips_avg: Option<String>,
    complaints: String,
}

impl<'a> GroupRow<'a> {
    fn of(group: &'a Group) -> Self {
        Self {
            group,
            rollback_pct: group.rollback_rate.map(pct),
            tickets_avg: group.support_tickets.per_release.map(one),
            hours_avg: group.coordination_hours.per_release.map(one),
            on_time_pct: group.on_time_rate().map(pct),
            slips_avg: group.slips_per_release().map(one),
            complaints: one(group.partner_complaints.total),
        }
    }
}

#[derive(Serialize)]
struct OutcomeRow {
    id: String,
    title: String,
    url: String,
    team: String,
    day: String,
    rolled_back: bool,
    rollback_level: Option<u8>,
    support_tickets: Option<u32>,
    coordination_hours: Option<f64>,
    partner_complaints: Option<u32>,
    incidents: usize,
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Serialize)]
struct MetricsPage<'a> {
    site: &'a SiteView<'a>,
    metrics: &'a Metrics,
    overall: GroupRow<'a>,
    teams: Vec<GroupRow<'a>>,
    quarters: Vec<GroupRow<'a>>,
    charts: Charts,
    releases: Vec<OutcomeRow>,
    root_causes: Vec<(String, usize)>,
    statuses: Vec<(&'static str, &'static str, usize)>,
}

#[derive(Serialize)]
struct Charts {
    tickets_by_quarter: String,
    rollback_by_quarter: String,
    root_causes: String,
    statuses: String,
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn one(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn status_class(s: MetricStatus) -> &'static str {
    match s {
        MetricStatus::Pending => "st-pending",
        MetricStatus::Exceeded => "st-exceeded",
        MetricStatus::Met => "st-met",
        MetricStatus::Close => "st-close",
        MetricStatus::Missed => "st-missed",
    }
}

fn label(cause: &str) -> String {
    let s = cause.replace('-', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

pub(crate) fn render(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    if !out.wants(Kind::Page, "internal/metrics/index.html")
        && !out.wants(Kind::File, "internal/metrics.json")
    {
        return Ok(());
    }
    let m = &site.metrics;
    let site_view = SiteView::new(site, "internal");
    let root_causes: Vec<(String, usize)> = m
        .root_causes
        .iter()
        .map(|(c, n)| {
            (
                label(
                    serde_json::to_value(c)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                        .as_str(),
                ),
                *n,
            )
        })
        .collect();
    let statuses: Vec<(&'static str, &'static str, usize)> = m
        .statuses
        .iter()
        .map(|(s, n)| (s.label(), status_class(*s), *n))
        .collect();
    let charts = Charts {
        tickets_by_quarter: column_chart(
            "chart-tickets",
            "Support tickets per release, by quarter",
            "Average support tickets per shipped release in each quarter",
            &m.by_quarter
                .iter()
                .map(|g| Bar {
                    label: g.label.clone(),
                    value: g.support_tickets.per_release.unwrap_or(0.0),
                    display: g
                        .support_tickets
                        .per_release
                        .map(one)
                        .unwrap_or_else(|| "–".into()),
                    class: "c-tickets",
                })
                .collect::<Vec<_>>(),
        ),
        rollback_by_quarter: column_chart(
            "chart-rollbacks",
            "Rollback rate by quarter",
            "Share of shipped releases rolled back in each quarter",
            &m.by_quarter
                .iter()
                .map(|g| Bar {
                    label: g.label.clone(),
                    value: g.rollback_rate.unwrap_or(0.0),
                    display: g.rollback_rate.map(pct).unwrap_or_else(|| "–".into()),
                    class: "c-rollback",
                })
                .collect::<Vec<_>>(),
        ),
        root_causes: bar_chart(
            "chart-causes",
            "Root causes",
            "How often each root cause was recorded in outcomes and incidents",
            &root_causes
                .iter()
                .map(|(l, n)| Bar {
                    label: l.clone(),
                    value: *n as f64,
                    display: n.to_string(),
                    class: "c-cause",
                })
                .collect::<Vec<_>>(),
        ),
        statuses: bar_chart(
            "chart-status",
            "Success criteria by status",
            "How many success criteria were exceeded, met, close, missed or are pending",
            &statuses
                .iter()
                .map(|(l, c, n)| Bar {
                    label: l.to_string(),
                    value: *n as f64,
                    display: n.to_string(),
                    class: c,
                })
                .collect::<Vec<_>>(),
        ),
    };
    let mut releases: Vec<OutcomeRow> = site
        .content
        .releases
        .iter()
        .filter(|r| r.has_shipped())
        .map(|r| {
            let o = r.outcome.clone().unwrap_or_default();
            OutcomeRow {
                id: r.id.clone(),
                title: r.title.clone(),
                url: release_url(&r.id),
                team: site.team_name(&r.team).to_string(),
                day: r.ship_day().map(|d| d.to_string()).unwrap_or_default(),
                rolled_back: r.was_rolled_back(),
                rollback_level: o.rollback_level,
                support_tickets: o.support_tickets,
                coordination_hours: o.coordination_hours,
                partner_complaints: o.partner_complaints,
                incidents: o.incidents.len(),
                statuses: r
                    .metrics
                    .iter()
                    .map(|x| (x.status.label(), status_class(x.status)))
                    .collect(),
            }
        })
        .collect();
    releases.reverse();
    let page = MetricsPage {
        site: &site_view,
        metrics: m,
        overall: GroupRow::of(&m.overall),
        teams: m.by_team.iter().map(GroupRow::of).collect(),
        quarters: m.by_quarter.iter().map(GroupRow::of).collect(),
        charts,
        releases,
        root_causes,
        statuses,
    };
    out.page(
        "internal/metrics.html",
        "internal/metrics/index.html",
        &context("metrics/index.html", &page)?,
    )?;
    out.json("internal/metrics.json", m)
}
