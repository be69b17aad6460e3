//! Metrics stage: post-release aggregates and improvement triggers (SPEC §4.2),
//! a plain serializable struct handed to templates and JSON alike.

pub mod target;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::frontmatter::RootCause;
use target::MetricStatus;

/// Totals and averages of one outcome figure over the releases that report it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Figure {
    /// Sum over releases that report it.
    pub total: f64,
    /// Releases that report it.
    pub reported: usize,
    /// `total / reported`, if any reported.
    pub per_release: Option<f64>,
}

impl Figure {
    fn add(&mut self, value: Option<f64>) {
        if let Some(v) = value {
            self.total += v;
            self.reported += 1;
            self.per_release = Some(self.total / self.reported as f64);
        }
    }
}

/// Aggregates over a group of shipped releases (all, a team, a quarter).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Group {
    /// Group key: team id or `2026-Q4`.
    pub key: String,
    /// Display label.
    pub label: String,
    /// Shipped (or rolled back) releases.
    pub shipped: usize,
    /// Rolled back releases.
    pub rolled_back: usize,
    /// `rolled_back / shipped`.
    pub rollback_rate: Option<f64>,
    /// Support tickets.
    pub support_tickets: Figure,
    /// Coordination hours.
    pub coordination_hours: Figure,
    /// Partner complaints.
    pub partner_complaints: Figure,
    /// Incidents.
    pub incidents: usize,
    /// Shipped on their first planned date (needs git history).
    pub on_time: usize,
    /// Releases with a known first planned date.
    pub on_time_known: usize,
    /// Ship-date changes.
    pub slips: usize,
    /// Releases still `delayed` (not shipped): counted in `on_time_known` as late.
    pub delayed: usize,
}

impl Group {
    fn new(key: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            label: label.into(),
            ..Self::default()
        }
    }

    fn add(&mut self, r: &Release) {
        self.shipped += 1;
        if r.was_rolled_back() {
            self.rolled_back += 1;
        }
        self.rollback_rate = Some(self.rolled_back as f64 / self.shipped as f64);
        let outcome = r.outcome.as_ref();
        self.support_tickets
            .add(outcome.and_then(|o| o.support_tickets).map(f64::from));
        self.coordination_hours
            .add(outcome.and_then(|o| o.coordination_hours));
        self.partner_complaints
            .add(outcome.and_then(|o| o.partner_complaints).map(f64::from));
        self.incidents += outcome.map(|o| o.incidents.len()).unwrap_or(0);
        if let Some(on_time) = r.shipped_on_time() {
            self.on_time_known += 1;
            self.on_time += usize::from(on_time);
        }
        self.slips += r.slips();
    }

    /// Counts a delayed (not yet shipped) release as not on time.
    fn add_delayed(&mut self) {
        self.on_time_known += 1;
        self.delayed += 1;
    }

    /// `on_time / on_time_known`.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.on_time_known > 0).then(|| self.on_time as f64 / self.on_time_known as f64)
    }

    /// Ship-date changes per shipped release; `None` before anything shipped.
    pub fn slips_per_release(&self) -> Option<f64> {
        (self.shipped > 0).then(|| self.slips as f64 / self.shipped as f64)
    }
}

/// A continuous-improvement action whose threshold was crossed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Trigger {
    /// The `thresholds:` key.
    pub id: &'static str,
    /// What was measured, e.g. "Support tickets per release".
    pub measure: &'static str,
    /// The threshold, for people.
    pub threshold: String,
    /// The value that crossed it, for people.
    pub value: String,
    /// What to do.
    pub action: &'static str,
    /// The releases that caused it: `(id, title, value)`.
    pub releases: Vec<(String, String, String)>,
}

/// Everything on the metrics page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    /// All shipped releases.
    pub overall: Group,
    /// Per owning team, by team id.
    pub by_team: Vec<Group>,
    /// Per quarter of the ship date, oldest first.
    pub by_quarter: Vec<Group>,
    /// Per month of the ship date (`2026-11`), oldest first: the trends.
    pub by_month: Vec<Group>,
    /// Incidents by severity (`P0`…).
    pub incidents_by_severity: BTreeMap<String, usize>,
    /// Root causes from outcomes and incidents.
    pub root_causes: BTreeMap<RootCause, usize>,
    /// Success-criteria statuses over all releases.
    pub statuses: BTreeMap<MetricStatus, usize>,
    /// Crossed thresholds.
    pub triggers: Vec<Trigger>,
}

/// `2026-11`: the month of a release's ship day, the key of monthly trends;
/// `None` while its date is `tbd`.
pub fn month_of(r: &Release) -> Option<String> {
    Some(r.ship_day()?.format("%Y-%m").to_string())
}

fn month_label(day: chrono::NaiveDate) -> String {
    day.format("%b %Y").to_string()
}

/// The quarter key of a release, e.g. `2026-Q4`; `None` while its date is `tbd`.
pub fn quarter_of(r: &Release) -> Option<String> {
    let d = r.ship_day()?;
    Some(format!("{}-Q{}", d.year(), d.month0() / 3 + 1))
}

impl Metrics {
    /// Aggregates over the shipped releases in `releases`.
    pub fn compute(
        releases: &[Arc<Release>],
        config: &SiteConfig,
        team_name: impl Fn(&str) -> String,
    ) -> Self {
        let mut overall = Group::new("all", "All teams");
        let mut by_team: BTreeMap<String, Group> = BTreeMap::new();
        let mut by_quarter: BTreeMap<String, Group> = BTreeMap::new();
        let mut by_month: BTreeMap<String, Group> = BTreeMap::new();
        let mut incidents_by_severity = BTreeMap::new();
        let mut root_causes = BTreeMap::new();
        let mut statuses = BTreeMap::new();
        for r in releases {
            // A delayed release missed its date before shipping: the on-time
            // rate counts it as late now, not only once it ships.
            if r.status == crate::content::frontmatter::Status::Delayed {
                overall.add_delayed();
                by_team
                    .entry(r.team.clone())
                    .or_insert_with(|| Group::new(&r.team, team_name(&r.team)))
                    .add_delayed();
            }
            if !r.has_shipped() {
                continue;
            }
            // Success criteria of unshipped releases are all Pending by
            // nature; counting them would drown the real results.
            for m in &r.metrics {
                *statuses.entry(m.status).or_insert(0) += 1;
            }
            overall.add(r);
            by_team
                .entry(r.team.clone())
                .or_insert_with(|| Group::new(&r.team, team_name(&r.team)))
                .add(r);
            if let (Some(month), Some(day)) = (month_of(r), r.ship_day()) {
                by_month
                    .entry(month.clone())
                    .or_insert_with(|| Group::new(&month, month_label(day)))
                    .add(r);
            }
            if let Some(q) = quarter_of(r) {
                by_quarter
                    .entry(q.clone())
                    .or_insert_with(|| Group::new(&q, q.replace('-', " ")))
                    .add(r);
            }
            if let Some(o) = &r.outcome {
                for c in &o.root_causes {
                    *root_causes.entry(*c).or_insert(0) += 1;
                }
                for i in &o.incidents {
                    *incidents_by_severity
                        .entry(i.severity.to_uppercase())
                        .or_insert(0) += 1;
                    if let Some(c) = i.root_cause
                        && !o.root_causes.contains(&c)
                    {
                        *root_causes.entry(c).or_insert(0) += 1;
                    }
                }
            }
        }
        let triggers = triggers(releases, config, &overall);
        Self {
            overall,
            by_team: by_team.into_values().collect(),
            by_quarter: by_quarter.into_values().collect(),
            by_month: by_month.into_values().collect(),
            incidents_by_severity,
            root_causes,
            statuses,
            triggers,
        }
    }
}

fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A per-release threshold's trigger: the shipped releases above `limit`,
/// if any, and the highest value.
fn per_release_trigger(
    shipped: &[&Release],
    id: &'static str,
    measure: &'static str,
    limit: f64,
    action: &'static str,
    value: &dyn Fn(&Release) -> Option<f64>,
) -> Option<Trigger> {
    let over: Vec<(String, String, String)> = shipped
        .iter()
        .filter_map(|r| {
            value(r)
                .filter(|v| *v > limit)
                .map(|v| (r.id.clone(), r.title.clone(), number(v)))
        })
        .collect();
    let max = shipped
        .iter()
        .filter_map(|r| value(r))
        .filter(|v| *v > limit)
        .reduce(f64::max)?;
    Some(Trigger {
        id,
        measure,
        threshold: format!("more than {}", number(limit)),
        value: format!("up to {}", number(max)),
        action,
        releases: over,
    })
}

/// Per-release thresholds fire on any shipped release above them; the
/// rollback rate fires on the overall rate.
fn triggers(releases: &[Arc<Release>], config: &SiteConfig, overall: &Group) -> Vec<Trigger> {
    let t = &config.thresholds;
    let shipped: Vec<&Release> = releases
        .iter()
        .filter(|r| r.has_shipped())
        .map(|r| r.as_ref())
        .collect();
    let mut out = Vec::new();
    let mut per_release = |id, measure, limit, action, value: &dyn Fn(&Release) -> Option<f64>| {
        out.extend(per_release_trigger(
            &shipped, id, measure, limit, action, value,
        ));
    };
    per_release(
        "support_tickets_per_release",
        "Support tickets per release",
        t.support_tickets_per_release,
        "Involve support in release planning: brief them earlier and review the talk track before launch",
        &|r| {
            r.outcome
                .as_ref()
                .and_then(|o| o.support_tickets)
                .map(f64::from)
        },
    );
    per_release(
        "coordination_hours_per_release",
        "Coordination hours per release",
        t.coordination_hours_per_release,
        "Review the release planning process: dependencies and owners should be settled before code freeze",
        &|r| r.outcome.as_ref().and_then(|o| o.coordination_hours),
    );
    per_release(
        "partner_complaints",
        "Partner complaints per release",
        t.partner_complaints,
        "Review API versioning and the partner notification lead time",
        &|r| {
            r.outcome
                .as_ref()
                .and_then(|o| o.partner_complaints)
                .map(f64::from)
        },
    );
    if let Some(rate) = overall.rollback_rate
        && rate > t.rollback_rate
    {
        out.push(Trigger {
            id: "rollback_rate",
            measure: "Rollback rate",
            threshold: format!("more than {}%", number(t.rollback_rate * 100.0)),
            value: format!("{}% ({} of {})", number(rate * 100.0), overall.rolled_back, overall.shipped),
            action: "Expand automated tests for common failure points and rehearse rollbacks on staging",
            releases: shipped.iter().filter(|r| r.was_rolled_back()).map(|r| (r.id.clone(), r.title.clone(), "rolled back".to_string())).collect(),
        });
    }
    out
}
