//! Front matter as written in a release file: strict serde types, SPEC §3.1.

use serde::{Deserialize, Deserializer, Serialize};
use serde_saphyr::Spanned;

/// Release lifecycle status.
#[derive(
    Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not started or not yet shipping.
    #[default]
    Planned,
    /// Being worked on.
    InProgress,
    /// Out.
    Shipped,
    /// Late.
    Delayed,
    /// Shipped and then rolled back.
    RolledBack,
    /// Will not ship.
    Cancelled,
}

impl Status {
    /// The value as written in front matter.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in-progress",
            Status::Shipped => "shipped",
            Status::Delayed => "delayed",
            Status::RolledBack => "rolled-back",
            Status::Cancelled => "cancelled",
        }
    }

    /// Shipped or rolled back: it reached users (SPEC §4.2).
    pub fn has_shipped(&self) -> bool {
        matches!(self, Status::Shipped | Status::RolledBack)
    }
}

/// Release risk.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// How precisely a roadmap item's date is published.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RoadmapPrecision {
    /// The exact planned day, as open-source schedules publish it.
    Day,
    /// "December 2026".
    Month,
    /// "Q4 2026".
    Quarter,
}

/// `roadmap:` — `false`, `day`, `month` or `quarter`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum RoadmapField {
    /// `false` (or `true`, which means quarter).
    Flag(bool),
    /// `day`, `month` or `quarter`.
    Precision(RoadmapPrecision),
}

/// `announce:` — `false` or a date.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum AnnounceField {
    /// `false` means never; `true` means on the ship date.
    Flag(bool),
    /// A date in any of the ship date's forms.
    Date(String),
}

/// A milestone: a name and either an offset (`at`) or a date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    /// Name; the same name as a type default replaces it.
    pub name: String,
    /// Offset from the ship date.
    #[serde(default)]
    pub at: Option<String>,
    /// Explicit date, or `tbd`.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub date: Option<String>,
    /// End of a period: a date (inclusive), a date-time or an offset.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub until: Option<String>,
    /// Who is responsible.
    #[serde(default)]
    pub owner: Option<String>,
    /// A link with the details.
    #[serde(default)]
    pub url: Option<String>,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
}

/// A support phase as written: `{name: Active LTS, until: 2027-10-20}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSupport {
    /// Phase name, e.g. "Active LTS".
    pub name: String,
    /// Its last day: a date, or a month (`YYYY-MM`) when only approximate.
    #[serde(deserialize_with = "de_scalar")]
    pub until: String,
}

/// Rollout strategy.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Everyone at once.
    BigBang,
    /// A small slice first.
    Canary,
    /// Two environments, switch traffic.
    BlueGreen,
    /// Behind a flag, ramped up.
    FeatureFlag,
}

/// A rollout phase as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    /// Phase name.
    pub name: String,
    /// Share of users, 0–100.
    #[serde(default)]
    pub percent: Option<f64>,
    /// Start, as an offset (`T+2d`) or a date.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub at: Option<String>,
    /// How long it lasts (`2d`, `5d`, `1w`, `4h`).
    #[serde(default)]
    pub duration: Option<String>,
    /// Who gets it.
    #[serde(default)]
    pub audience: Option<String>,
    /// Exit criteria before the next phase.
    #[serde(default)]
    pub exit: Vec<String>,
}

/// `rollout:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRollout {
    /// Strategy.
    pub strategy: Option<Strategy>,
    /// Feature flag name.
    #[serde(default)]
    pub flag: Option<String>,
    /// Phases in order.
    #[serde(default)]
    pub phases: Vec<RawPhase>,
}

/// A rollback trigger: free text or a metric condition.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Trigger {
    /// "Any data corruption detected".
    Text(String),
    /// `{metric: error_rate, above: 5%, for: 5m}`.
    Metric(MetricTrigger),
}

/// A metric-based rollback trigger.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MetricTrigger {
    /// Metric name.
    pub metric: String,
    /// Roll back above this value.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub above: Option<String>,
    /// Roll back below this value.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub below: Option<String>,
    /// For how long the condition must hold.
    #[serde(default, rename = "for", deserialize_with = "de_opt_scalar")]
    pub duration: Option<String>,
}

/// `rollback:`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rollback {
    /// What to do.
    #[serde(default)]
    pub plan: Option<String>,
    /// Who decides and executes.
    #[serde(default)]
    pub owner: Option<String>,
    /// When to do it.
    #[serde(default)]
    pub triggers: Vec<Trigger>,
}

/// Kind of readiness gate.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum GateKind {
    /// Tests, rehearsals, load checks.
    Technical,
    /// Training, staffing, runbooks.
    Operational,
    /// Documentation.
    Docs,
    /// Sign-offs (security, legal, pricing).
    Review,
}

/// Gate state.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum GateStatus {
    /// Not done yet.
    Pending,
    /// Done (needs evidence).
    Done,
    /// Cannot proceed.
    Blocked,
    /// Deliberately skipped.
    Waived,
}

/// A readiness gate as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGate {
    /// Gate name.
    pub name: String,
    /// Kind.
    pub kind: GateKind,
    /// State.
    #[serde(default = "pending")]
    pub status: GateStatus,
    /// Link or note proving it is done.
    #[serde(default)]
    pub evidence: Option<String>,
    /// Due, as an offset or a date.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub due: Option<String>,
    /// Who is responsible.
    #[serde(default)]
    pub owner: Option<String>,
    /// Why a `waived` gate was skipped.
    #[serde(default)]
    pub reason: Option<String>,
}

fn pending() -> GateStatus {
    GateStatus::Pending
}

/// A success criterion as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    /// Metric name.
    pub name: String,
    /// Value before the release.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub baseline: Option<String>,
    /// `OP VALUE[unit]`.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub target: Option<String>,
    /// Measured after the release.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub actual: Option<String>,
    /// Alert threshold, `OP VALUE[unit]`.
    #[serde(default, deserialize_with = "de_opt_scalar")]
    pub alert: Option<String>,
}

/// Root-cause categories for incidents and retrospectives.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum RootCause {
    /// Teams were out of step.
    TimingMisalignment,
    /// Environments differed.
    ConfigurationDrift,
    /// Someone was not told.
    CommunicationGap,
    /// Anything else.
    Other,
}

/// An incident after the release.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// `P0`–`P4`.
    pub severity: String,
    /// What happened.
    pub summary: String,
    /// Why.
    #[serde(default)]
    pub root_cause: Option<RootCause>,
}

/// `outcome:` — filled in after release.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Rolled back (also implied by status `rolled-back`).
    #[serde(default)]
    pub rolled_back: bool,
    /// 1 flag off, 2 partial rollback, 3 full rollback.
    #[serde(default)]
    pub rollback_level: Option<u8>,
    /// Support tickets attributed to the release.
    #[serde(default)]
    pub support_tickets: Option<u32>,
    /// Hours spent coordinating.
    #[serde(default)]
    pub coordination_hours: Option<f64>,
    /// Complaints from partners.
    #[serde(default)]
    pub partner_complaints: Option<u32>,
    /// Root causes of problems.
    #[serde(default)]
    pub root_causes: Vec<RootCause>,
    /// Incidents.
    #[serde(default)]
    pub incidents: Vec<Incident>,
    /// Link to the post-mortem (required after a P0/P1 incident or a rollback).
    #[serde(default)]
    pub postmortem: Option<String>,
    /// Follow-up actions with owners.
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// A follow-up action after a release.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// What is to be done.
    pub what: String,
    /// Who does it.
    #[serde(default)]
    pub owner: Option<String>,
    /// By when (a date).
    #[serde(default)]
    pub due: Option<chrono::NaiveDate>,
    /// Done.
    #[serde(default)]
    pub done: bool,
}

/// A record that a stakeholder group was told: a date, or `{date, evidence}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NotifiedRecord {
    /// When the group was told, as written.
    pub date: Option<String>,
    /// A link or note proving it.
    pub evidence: Option<String>,
}

impl<'de> Deserialize<'de> for NotifiedRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            #[serde(default, deserialize_with = "de_opt_scalar")]
            date: Option<String>,
            #[serde(default)]
            evidence: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Full(Full),
            Value(Scalar),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "a `notified` record is a date (`2026-11-20`) or `{date: 2026-11-20, evidence: \"https://…\"}`",
            )
        })? {
            Raw::Full(Full { date, evidence }) => Ok(Self { date, evidence }),
            Raw::Value(v) => Ok(Self {
                date: Some(v.into_text()),
                evidence: None,
            }),
        }
    }
}

/// The whole front matter of a release file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Release id.
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    /// Title.
    pub title: String,
    /// Version string (a number here is an error: `3.10` would read as 3.1).
    #[serde(default)]
    pub version: Option<Spanned<Scalar>>,
    /// Owning team.
    pub team: Spanned<String>,
    /// Other teams involved.
    #[serde(default)]
    pub teams: Vec<Spanned<String>>,
    /// Release type.
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    /// Status.
    #[serde(default)]
    pub status: Status,
    /// Ship date, or `tbd`.
    pub date: Spanned<String>,
    /// Time zone override.
    #[serde(default)]
    pub timezone: Option<Spanned<String>>,
    /// Risk.
    #[serde(default)]
    pub risk: Option<Risk>,
    /// Owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// On-call engineer.
    #[serde(default)]
    pub on_call: Option<String>,
    /// One customer-facing line.
    #[serde(default)]
    pub summary: Option<String>,
    /// Only built with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Releases that must ship first.
    #[serde(default)]
    pub depends_on: Vec<Spanned<String>>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Milestones added to or replacing the type's.
    #[serde(default)]
    pub milestones: Vec<Spanned<RawMilestone>>,
    /// Stakeholder groups (replaces the type's list).
    #[serde(default)]
    pub stakeholders: Option<Vec<Spanned<crate::config::StakeholderRef>>>,
    /// Notifications that actually happened, per stakeholder group.
    #[serde(default)]
    pub notified: std::collections::BTreeMap<String, Spanned<NotifiedRecord>>,
    /// A breaking change for integrators.
    #[serde(default)]
    pub breaking: bool,
    /// Announcement date or `false`.
    #[serde(default)]
    pub announce: Option<Spanned<AnnounceField>>,
    /// Public roadmap precision.
    #[serde(default)]
    pub roadmap: Option<RoadmapField>,
    /// Release line (`"3.14"`); a number here is an error like `version`.
    #[serde(default)]
    pub series: Option<Spanned<Scalar>>,
    /// The train (`trains:` id) the release boards.
    #[serde(default)]
    pub train: Option<Spanned<String>>,
    /// Support phases after shipping, in order.
    #[serde(default)]
    pub support: Vec<Spanned<RawSupport>>,
    /// End of life: a date or a month.
    #[serde(default)]
    pub eol: Option<Spanned<Scalar>>,
    /// Rollout plan.
    #[serde(default)]
    pub rollout: Option<Spanned<RawRollout>>,
    /// Rollback plan.
    #[serde(default)]
    pub rollback: Option<Rollback>,
    /// Readiness gates.
    #[serde(default)]
    pub gates: Vec<Spanned<RawGate>>,
    /// Success criteria.
    #[serde(default)]
    pub metrics: Vec<Spanned<RawMetric>>,
    /// Results after release.
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: serde_json::Value,
}

/// A YAML scalar of any type read as its text (`version: 2.0`, `actual: 31`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A decimal number: `3.10` arrives as 3.1.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
}

impl Scalar {
    /// True when YAML read the value as something other than text.
    pub fn is_not_text(&self) -> bool {
        !matches!(self, Scalar::Text(_))
    }

    /// The value as text (a number in its shortest form).
    pub fn into_text(self) -> String {
        match self {
            Scalar::Text(s) => s,
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

fn de_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Scalar::deserialize(d)?.into_text())
}

fn de_opt_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?.map(Scalar::into_text))
}
