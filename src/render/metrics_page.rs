//! The internal metrics page and `metrics.json`.

use serde::Serialize;

use super::svg::{Bar, Threshold, bar_chart, column_chart};
use super::views::release_url;
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::content::Release;
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
    months: Vec<GroupRow<'a>>,
    charts: Charts,
    releases: Vec<OutcomeRow>,
    root_causes: Vec<(String, usize)>,
    statuses: Vec<(&'static str, &'static str, usize)>,
}

#[derive(Serialize)]
struct Charts {
    tickets_by_month: String,
    rollback_by_month: String,
    on_time_by_month: String,
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

/// Writes the metrics page and `metrics.json`.
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
    let charts = charts(m, &site.config.thresholds, &root_causes, &statuses);
    let mut releases: Vec<OutcomeRow> = site
        .content
        .releases
        .iter()
        .filter(|r| r.has_shipped())
        .map(|r| OutcomeRow::of(r, site))
        .collect();
    releases.reverse();
    let page = MetricsPage {
        site: &site_view,
        metrics: m,
        overall: GroupRow::of(&m.overall),
        teams: m.by_team.iter().map(GroupRow::of).collect(),
        quarters: m.by_quarter.iter().map(GroupRow::of).collect(),
        months: m.by_month.iter().map(GroupRow::of).collect(),
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

/// The page's charts: tickets, rollbacks and on-time rate by month (with
/// threshold lines), root causes, statuses.
fn charts(
    m: &Metrics,
    t: &crate::config::Thresholds,
    root_causes: &[(String, usize)],
    statuses: &[(&'static str, &'static str, usize)],
) -> Charts {
    let month = |value: &dyn Fn(&Group) -> Option<f64>, word: fn(f64) -> String, class| {
        m.by_month
            .iter()
            .map(|g| Bar {
                label: g.label.clone(),
                value: value(g).unwrap_or(0.0),
                display: value(g).map(word).unwrap_or_else(|| "–".into()),
                class,
            })
            .collect::<Vec<_>>()
    };
    let counted = |label: &str, n: usize, class| Bar {
        label: label.to_string(),
        value: n as f64,
        display: n.to_string(),
        class,
    };
    Charts {
        tickets_by_month: column_chart(
            "chart-tickets",
            "Support tickets per release, by month",
            "Average support tickets per shipped release in each month, with the threshold as a dashed line",
            &month(&|g| g.support_tickets.per_release, one, "c-tickets"),
            Some(&Threshold {
                value: t.support_tickets_per_release,
                label: format!("threshold {}", one(t.support_tickets_per_release)),
            }),
        ),
        rollback_by_month: column_chart(
            "chart-rollbacks",
            "Rollback rate by month",
            "Share of shipped releases rolled back in each month, with the threshold as a dashed line",
            &month(&|g| g.rollback_rate, pct, "c-rollback"),
            Some(&Threshold {
                value: t.rollback_rate,
                label: format!("threshold {}", pct(t.rollback_rate)),
            }),
        ),
        on_time_by_month: column_chart(
            "chart-on-time",
            "On-time rate by month",
            "Share of releases shipped on their first planned date in each month",
            &month(&|g| g.on_time_rate(), pct, "c-on-time"),
            None,
        ),
        root_causes: bar_chart(
            "chart-causes",
            "Root causes",
            "How often each root cause was recorded in outcomes and incidents",
            &root_causes
                .iter()
                .map(|(l, n)| counted(l, *n, "c-cause"))
                .collect::<Vec<_>>(),
        ),
        statuses: bar_chart(
            "chart-status",
            "Success criteria by status",
            "How many success criteria were exceeded, met, close, missed or are pending",
            &statuses
                .iter()
                .map(|(l, c, n)| counted(l, *n, c))
                .collect::<Vec<_>>(),
        ),
    }
}

impl OutcomeRow {
    /// A shipped release's outcome, as a table row.
    fn of(r: &Release, site: &Site) -> Self {
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
    }
}
