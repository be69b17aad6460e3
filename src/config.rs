//! Site configuration (`shipdate.yaml`): SPEC §2 defaults as data, strict keys.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Position};
use crate::moment::Moment;
use crate::offset::Offset;
use crate::yaml;

mod freeze;
mod train;
pub use freeze::{DEFAULT_FREEZE_ALLOW, FreezeWindow};
pub use train::Train;

/// The configuration file's name at the site root.
pub const CONFIG_FILE: &str = "shipdate.yaml";

/// A team that owns or takes part in releases.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Id used in front matter (`team:`).
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Where to reach the team (a chat channel, an email).
    #[serde(default)]
    pub contact: Option<String>,
    /// Public name of what the team ships: its releases get a product page
    /// on the external changelog. Without it the team stays internal.
    #[serde(default)]
    pub product: Option<String>,
}

impl Team {
    /// The team, named by its id when it has no name.
    fn named(mut self) -> Self {
        if self.name.is_empty() {
            self.name = self.id.clone();
        }
        self
    }
}

/// A milestone template of a release type, e.g. "Code freeze at T-2w".
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MilestoneTemplate {
    /// Milestone name.
    pub name: String,
    /// Offset from the ship date.
    pub at: Offset,
}

/// What a release type implies: ceremony, default milestones and stakeholders.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReleaseType {
    /// The type's id (`major`, `hotfix`, …).
    pub id: String,
    /// The ceremony the type calls for.
    pub ceremony: String,
    /// Milestones every release of this type gets.
    pub milestones: Vec<MilestoneTemplate>,
    /// Stakeholder groups notified by default, each optionally at its own offset.
    pub stakeholders: Vec<StakeholderRef>,
}

/// A stakeholder group named in a list: by id (`support`), or with an offset
/// of its own for this type or release (`{id: support, at: T-1h}`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StakeholderRef {
    /// The group's id.
    pub id: String,
    /// Overrides the group's `at` for this type or release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Offset>,
}

impl StakeholderRef {
    /// A group at its own offset.
    pub fn id(id: &str) -> Self {
        Self {
            id: id.into(),
            at: None,
        }
    }
}

impl<'de> Deserialize<'de> for StakeholderRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Entry {
            id: String,
            #[serde(default)]
            at: Option<Offset>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Id(String),
            Entry(Entry),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "a stakeholder is a group id (`support`) or `{id: support, at: T-1h}`",
            )
        })? {
            Raw::Id(id) => Ok(Self { id, at: None }),
            Raw::Entry(Entry { id, at }) => Ok(Self { id, at }),
        }
    }
}

/// How loudly a stakeholder group is notified.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Must be on hand: their feed has the launch and every rollout phase.
    Critical,
    /// Need documentation ahead: told at least `affected_lead` before; their feed has the launch.
    Affected,
    /// Get a summary: their feed has only their notification.
    Informed,
}

/// A row of the notification matrix: who is told, when, how, what.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StakeholderGroup {
    /// Id used in front matter (`stakeholders:`).
    pub id: String,
    /// Display name ("Integration partners").
    #[serde(default)]
    pub name: String,
    /// Notification level.
    #[serde(default = "default_level")]
    pub level: Level,
    /// When to notify, relative to the ship date.
    #[serde(default = "default_notify_at")]
    pub at: Offset,
    /// Outside the company (partners, customers): support must hear first.
    #[serde(default)]
    pub external: bool,
    /// Where the notification goes.
    #[serde(default)]
    pub channel: String,
    /// What it says.
    #[serde(default)]
    pub content: String,
}

impl StakeholderGroup {
    /// The group, named by its id when it has no name.
    fn named(mut self) -> Self {
        if self.name.is_empty() {
            self.name = self.id.clone();
        }
        self
    }
}

fn default_level() -> Level {
    Level::Informed
}

fn default_notify_at() -> Offset {
    Offset::days(-1)
}

/// Continuous-improvement triggers (SPEC §4.2).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Average support tickets per shipped release.
    pub support_tickets_per_release: f64,
    /// Average coordination hours per shipped release.
    pub coordination_hours_per_release: f64,
    /// Rolled back / shipped, as a fraction ("10%" in YAML).
    #[serde(deserialize_with = "de_percent", serialize_with = "ser_percent")]
    pub rollback_rate: f64,
    /// Partner complaints on any one shipped release.
    pub partner_complaints: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            support_tickets_per_release: 20.0,
            coordination_hours_per_release: 20.0,
            rollback_rate: 0.10,
            partner_complaints: 3.0,
        }
    }
}

/// Bands that turn a metric's actual into Exceeded / Close.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MetricBands {
    /// Beats its target by more than this fraction → Exceeded.
    #[serde(deserialize_with = "de_percent", serialize_with = "ser_percent")]
    pub exceeded_by: f64,
    /// Misses its target by at most this fraction → Close.
    #[serde(deserialize_with = "de_percent", serialize_with = "ser_percent")]
    pub close_within: f64,
}

impl Default for MetricBands {
    fn default() -> Self {
        Self {
            exceeded_by: 0.20,
            close_within: 0.20,
        }
    }
}

/// How a check rule is configured in `rules:`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Findings are warnings.
    Warn,
    /// Findings are errors.
    Error,
}

/// The whole site configuration, defaults applied.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// Where the sites are published; always ends with `/`.
    pub base_url: String,
    /// How dates without offsets are read.
    #[serde(serialize_with = "ser_tz")]
    pub timezone: Tz,
    /// Where the internal site is served; `None` means at `base_url` too
    /// (on an intranet host). Used for absolute links in internal feeds.
    pub internal_url: Option<String>,
    /// Right-hand side of iCal UIDs.
    pub uid_domain: String,
    /// Output folder, relative to the site root.
    pub output: PathBuf,
    /// Theme name under `themes/`.
    pub theme: Option<String>,
    /// Known teams; empty means any team id is accepted.
    pub teams: Vec<Team>,
    /// Release types by id.
    pub release_types: BTreeMap<String, ReleaseType>,
    /// The notification matrix, by id.
    pub stakeholders: BTreeMap<String, StakeholderGroup>,
    /// Blackout windows.
    pub freeze: Vec<FreezeWindow>,
    /// Release trains (`trains:`).
    pub trains: Vec<Train>,
    /// Days skipped by business-day offsets.
    pub holidays: Vec<NaiveDate>,
    /// Improvement triggers.
    pub thresholds: Thresholds,
    /// Metric status bands.
    pub metrics: MetricBands,
    /// Days before the ship date in which changes count as late.
    pub late_change_days: u32,
    /// More releases of one team on one day than this is a warning.
    pub lockstep_limit: u32,
    /// How long after each release it depends on a release ships at least.
    pub dependency_margin: Offset,
    /// How long before the ship date `affected` groups hear at least.
    pub affected_lead: Offset,
    /// Releases per page of the external changelog.
    pub paginate: usize,
    /// Customer pages say "Built with shipdate" (the internal site always does).
    pub generator_credit: bool,
    /// Per-rule severity overrides.
    pub rules: BTreeMap<String, RuleLevel>,
    /// Calendar feed settings.
    pub feeds: FeedSettings,
    /// Free-form data for templates.
    pub extra: serde_json::Value,
}

/// `feeds:` — what the `.ics` feeds carry.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FeedSettings {
    /// Feeds leave out events that ended more than this many days ago
    /// (pages keep everything), so a feed does not grow forever.
    pub past_days: u32,
}

impl Default for FeedSettings {
    fn default() -> Self {
        Self { past_days: 180 }
    }
}

/// `shipdate.yaml` as written: every key optional, nothing unknown.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    internal_url: Option<String>,
    timezone: Option<String>,
    uid_domain: Option<String>,
    output: Option<PathBuf>,
    theme: Option<String>,
    teams: Vec<Team>,
    release_types: BTreeMap<String, RawReleaseType>,
    stakeholders: Vec<StakeholderGroup>,
    freeze: Vec<freeze::RawFreezeWindow>,
    trains: Vec<serde_saphyr::Spanned<train::RawTrain>>,
    holidays: Vec<NaiveDate>,
    thresholds: Thresholds,
    metrics: MetricBands,
    late_change_days: Option<u32>,
    lockstep_limit: Option<u32>,
    #[serde(deserialize_with = "de_lead")]
    dependency_margin: Option<Offset>,
    #[serde(deserialize_with = "de_lead")]
    affected_lead: Option<Offset>,
    paginate: Option<usize>,
    generator_credit: bool,
    rules: BTreeMap<String, RuleLevel>,
    feeds: FeedSettings,
    extra: serde_json::Value,
}

/// A release type as written: given keys replace the built-in's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawReleaseType {
    ceremony: Option<String>,
    milestones: Option<Vec<MilestoneTemplate>>,
    stakeholders: Option<Vec<StakeholderRef>>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Releases".into(),
            base_url: "/".into(),
            timezone: Tz::UTC,
            internal_url: None,
            uid_domain: "shipdate.local".into(),
            output: PathBuf::from("public"),
            theme: None,
            teams: Vec::new(),
            release_types: builtin_release_types(),
            stakeholders: builtin_stakeholders(),
            freeze: Vec::new(),
            trains: Vec::new(),
            holidays: Vec::new(),
            thresholds: Thresholds::default(),
            metrics: MetricBands::default(),
            late_change_days: 7,
            lockstep_limit: 3,
            dependency_margin: Offset {
                amount: 1,
                unit: crate::offset::OffsetUnit::BusinessDays,
            },
            affected_lead: Offset::hours(72),
            paginate: 20,
            generator_credit: false,
            rules: BTreeMap::new(),
            feeds: FeedSettings::default(),
            extra: serde_json::Value::Null,
        }
    }
}

impl SiteConfig {
    /// Reads `shipdate.yaml` under `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Self, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(Self::default());
        }
        let bytes =
            crate::read::site_file(root, &path, Path::new(CONFIG_FILE)).map_err(|d| vec![d])?;
        let text = String::from_utf8(bytes).map_err(|_| {
            vec![
                Diagnostic::error(
                    "invalid-utf8",
                    CONFIG_FILE,
                    Position::new(1, 1),
                    "file is not valid UTF-8",
                )
                .with_hint("save the file as UTF-8"),
            ]
        })?;
        Self::parse(&text, Path::new(CONFIG_FILE))
    }

    /// Parses configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, Vec<Diagnostic>> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let raw: RawConfig = yaml::parse_all(text, path, 1)?;
        Self::from_raw(raw, text, path)
    }

    fn from_raw(raw: RawConfig, text: &str, path: &Path) -> Result<Self, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let at_key = |key: &str| key_position(text, key);
        let mut config = Self::default();
        if let Some(title) = raw.title {
            config.title = title;
        }
        if let Some(base_url) = raw.base_url {
            config.base_url = with_slash(base_url);
        }
        if let Some(tz) = raw.timezone {
            match tz.parse::<Tz>() {
                Ok(tz) => config.timezone = tz,
                Err(_) => errors.push(
                    Diagnostic::error(
                        "invalid-value",
                        path,
                        at_key("timezone"),
                        format!("unknown time zone `{tz}`"),
                    )
                    .with_hint("use an IANA name such as `America/New_York` or `UTC`"),
                ),
            }
        }
        config.internal_url = raw.internal_url.map(with_slash);
        config.uid_domain = raw.uid_domain.unwrap_or_else(|| {
            host_of(&config.base_url)
                .unwrap_or("shipdate.local")
                .to_string()
        });
        if let Some(output) = raw.output {
            config.output = output;
        }
        config.theme = raw.theme;
        check_teams(&raw.teams, path, at_key("teams"), &mut errors);
        config.teams = raw.teams.into_iter().map(Team::named).collect();
        merge_release_types(&mut config.release_types, raw.release_types);
        for group in raw.stakeholders {
            // A group id names its feed file: `../x` must never get there.
            if !is_id(&group.id) {
                errors.push(invalid_id(path, at_key("stakeholders"), &group.id));
            }
            let group = group.named();
            config.stakeholders.insert(group.id.clone(), group);
        }
        check_type_stakeholders(&config, path, at_key("release_types"), &mut errors);
        config.freeze = freeze::resolve(raw.freeze, &config, path, at_key("freeze"), &mut errors);
        config.holidays = raw.holidays;
        config.holidays.sort();
        // After holidays and freezes: a `b` rhythm skips them.
        config.trains = train::resolve(raw.trains, &config, path, &mut errors);
        config.thresholds = raw.thresholds;
        config.metrics = raw.metrics;
        config.late_change_days = raw.late_change_days.unwrap_or(config.late_change_days);
        config.lockstep_limit = raw.lockstep_limit.unwrap_or(config.lockstep_limit);
        config.dependency_margin = raw.dependency_margin.unwrap_or(config.dependency_margin);
        config.affected_lead = raw.affected_lead.unwrap_or(config.affected_lead);
        config.paginate = raw.paginate.unwrap_or(config.paginate).max(1);
        config.generator_credit = raw.generator_credit;
        config.rules = raw.rules;
        config.feeds = raw.feeds;
        config.extra = raw.extra;
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The team with `id`, if configured.
    pub fn team(&self, id: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }

    /// True when `day` is a weekend day, a holiday or inside a site-wide
    /// freeze window (a freeze scoped to teams does not stop everyone).
    pub fn is_non_business_day(&self, day: NaiveDate) -> bool {
        self.is_day_off_for(day, None)
    }

    /// True when `day` is no business day for `team`: a weekend day, a
    /// holiday, inside a site-wide freeze, or inside a freeze scoped to
    /// `team` (SPEC §2: a scoped freeze is skipped by `b` offsets only for
    /// the teams it lists).
    pub fn is_day_off_for(&self, day: NaiveDate, team: Option<&str>) -> bool {
        use chrono::Datelike;
        matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
            || self.holidays.binary_search(&day).is_ok()
            || self
                .freeze
                .iter()
                .any(|w| w.scopes(team) && w.contains(day))
    }

    /// The freeze window containing `day`, if any (for shading calendars).
    pub fn freeze_at(&self, day: NaiveDate) -> Option<&FreezeWindow> {
        self.freeze.iter().find(|w| w.contains(day))
    }

    /// The freeze window that stops a release of `team` and type `kind` on `day`.
    /// `when` is the ship date and `day` its local day in the release's zone.
    pub fn freeze_for(
        &self,
        when: &Moment,
        day: NaiveDate,
        team: &str,
        kind: &str,
    ) -> Option<&FreezeWindow> {
        self.freeze
            .iter()
            .find(|w| w.covers(when, day, self.timezone) && w.binds(team, kind))
    }

    /// The train with `id`, if configured.
    pub fn train(&self, id: &str) -> Option<&Train> {
        self.trains.iter().find(|t| t.id == id)
    }

    /// `base_url` joined with a path relative to the external site.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The internal site's URL (`internal_url`, else `base_url`) joined with `path`.
    pub fn internal_absolute_url(&self, path: &str) -> String {
        let base = self.internal_url.as_deref().unwrap_or(&self.base_url);
        format!("{base}{}", path.trim_start_matches('/'))
    }
}

/// Longest team or release id: it names folders and files, which file
/// systems cap at 255 bytes.
pub const MAX_ID_LEN: usize = 100;

/// True for ids of the form `[a-z0-9-]+`.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A URL that ends with `/`, so relative links join onto it.
fn with_slash(url: String) -> String {
    if url.ends_with('/') {
        url
    } else {
        format!("{url}/")
    }
}

/// Team ids must be valid and listed once.
fn check_teams(teams: &[Team], path: &Path, at: Position, errors: &mut Vec<Diagnostic>) {
    for (i, team) in teams.iter().enumerate() {
        if !is_id(&team.id) {
            errors.push(invalid_id(path, at, &team.id));
        }
        if teams[..i].iter().any(|t| t.id == team.id) {
            errors.push(Diagnostic::error(
                "duplicate-id",
                path,
                at,
                format!("team `{}` is listed twice", team.id),
            ));
        }
    }
}

/// Layers `release_types:` over the built-in types: each given key replaces
/// the built-in's; a new id adds a type.
fn merge_release_types(
    types: &mut BTreeMap<String, ReleaseType>,
    written: BTreeMap<String, RawReleaseType>,
) {
    for (id, over) in written {
        let entry = types.entry(id.clone()).or_insert_with(|| ReleaseType {
            id: id.clone(),
            ceremony: String::new(),
            milestones: Vec::new(),
            stakeholders: Vec::new(),
        });
        if let Some(c) = over.ceremony {
            entry.ceremony = c;
        }
        if let Some(m) = over.milestones {
            entry.milestones = m;
        }
        if let Some(s) = over.stakeholders {
            entry.stakeholders = s;
        }
    }
}

/// Every stakeholder group a release type names must be configured.
fn check_type_stakeholders(
    config: &SiteConfig,
    path: &Path,
    at: Position,
    errors: &mut Vec<Diagnostic>,
) {
    for rtype in config.release_types.values() {
        for s in rtype.stakeholders.iter().map(|s| &s.id) {
            if !config.stakeholders.contains_key(s) {
                errors.push(
                    Diagnostic::error(
                        "unknown-stakeholder",
                        path,
                        at,
                        format!(
                            "release type `{}` names unknown stakeholder group `{s}`",
                            rtype.id
                        ),
                    )
                    .with_hint("add the group under `stakeholders:` or remove it from the type"),
                );
            }
        }
    }
}

fn invalid_id(path: &Path, position: Position, id: &str) -> Diagnostic {
    Diagnostic::error(
        "invalid-id",
        path,
        position,
        format!("`{id}` is not a valid id"),
    )
    .with_hint("ids use lowercase letters, digits and `-` only, at most 100 characters")
}

/// Line of a top-level `key:` in `text`, for messages about values checked after parsing.
fn key_position(text: &str, key: &str) -> Position {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| Position::new(i as u64 + 1, 1))
        .unwrap_or(Position::new(1, 1))
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', ':', '?', '#']).next()?;
    (!host.is_empty()).then_some(host)
}

fn de_percent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(f64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Number(n) => Ok(n),
        Raw::Text(s) => parse_percent(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a percentage such as `20%`"))
        }),
    }
}

/// A length of time written like an offset without the `T+` (`72h`, `1b`).
fn de_lead<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Offset>, D::Error> {
    let text = String::deserialize(d)?;
    let offset = Offset::parse(&format!("T+{}", text.trim())).map_err(|_| {
        serde::de::Error::custom(format!(
            "`{text}` is not a length of time such as `72h`, `3d`, `1w` or `1b`"
        ))
    })?;
    Ok(Some(offset))
}

fn ser_percent<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{}%", (v * 100.0 * 100.0).round() / 100.0))
}

fn ser_tz<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

/// Reads `"20%"` as 0.2 and a bare number as itself.
pub fn parse_percent(text: &str) -> Option<f64> {
    let text = text.trim();
    let value = match text.strip_suffix('%') {
        Some(n) => n.trim().parse::<f64>().ok()? / 100.0,
        None => text.parse::<f64>().ok()?,
    };
    value.is_finite().then_some(value)
}

/// The built-in stakeholder groups of SPEC §2, in the matrix's order.
pub const BUILTIN_GROUPS: [&str; 7] = [
    "partners",
    "support",
    "csm",
    "enterprise",
    "engineering",
    "ops",
    "company",
];

fn builtin_release_types() -> BTreeMap<String, ReleaseType> {
    let m = |name: &str, at: Offset| MilestoneTemplate {
        name: name.into(),
        at,
    };
    let major_milestones = vec![
        m("Feature complete", Offset::weeks(-4)),
        m("Code freeze", Offset::weeks(-2)),
        m("Final QA and launch prep", Offset::weeks(-1)),
        m("Post-launch review", Offset::weeks(1)),
        m("Results review", Offset::weeks(2)),
    ];
    let mut launch_milestones = major_milestones.clone();
    launch_milestones.insert(3, m("Marketing ready", Offset::weeks(-1)));
    let ids = |ids: &[&str]| ids.iter().map(|id| StakeholderRef::id(id)).collect();
    let at = |id: &str, at: Offset| StakeholderRef {
        id: id.into(),
        at: Some(at),
    };
    let t = |id: &str,
             ceremony: &str,
             milestones: Vec<MilestoneTemplate>,
             stakeholders: Vec<StakeholderRef>| {
        (
            id.to_string(),
            ReleaseType {
                id: id.into(),
                ceremony: ceremony.into(),
                milestones,
                stakeholders,
            },
        )
    };
    BTreeMap::from([
        // A hotfix cannot wait days: support and ops hear an hour before.
        t(
            "hotfix",
            "None",
            vec![],
            vec![
                at("support", Offset::hours(-1)),
                at("ops", Offset::hours(-1)),
            ],
        ),
        t(
            "patch",
            "Internal announce",
            vec![],
            vec![at("support", business_days(-1))],
        ),
        t(
            "minor",
            "Demo + changelog",
            vec![
                m("Final QA", Offset::weeks(-1)),
                m("Post-launch review", Offset::weeks(1)),
            ],
            ids(&["support", "csm"]),
        ),
        t(
            "major",
            "Full launch plan",
            major_milestones,
            ids(&BUILTIN_GROUPS),
        ),
        t(
            "launch",
            "Marketing campaign",
            launch_milestones,
            ids(&BUILTIN_GROUPS),
        ),
    ])
}

/// `n` business days, as an offset.
const fn business_days(n: i64) -> Offset {
    Offset {
        amount: n,
        unit: crate::offset::OffsetUnit::BusinessDays,
    }
}

/// The built-in notification matrix (SPEC §2): business-day offsets, so
/// nobody is told on a weekend or holiday; support before any external group.
pub fn builtin_stakeholders() -> BTreeMap<String, StakeholderGroup> {
    let g = |id: &str,
             name: &str,
             (level, external): (Level, bool),
             at: i64,
             channel: &str,
             content: &str| {
        (
            id.to_string(),
            StakeholderGroup {
                id: id.into(),
                name: name.into(),
                level,
                external,
                at: business_days(at),
                channel: channel.into(),
                content: content.into(),
            },
        )
    };
    let inside = |level| (level, false);
    BTreeMap::from([
        g(
            "partners",
            "Integration partners",
            (Level::Critical, true),
            -5,
            "Technical docs site",
            "API changes, deprecation timeline, migration guides",
        ),
        g(
            "support",
            "Support",
            inside(Level::Critical),
            -5,
            "Support briefing",
            "Known issues, talk track, escalation path",
        ),
        g(
            "csm",
            "Customer success",
            inside(Level::Affected),
            -4,
            "CSM briefing",
            "What changes for customers, talking points, FAQ",
        ),
        g(
            "enterprise",
            "Enterprise customers",
            (Level::Critical, true),
            -3,
            "Account manager email",
            "Impact on their integration, timeline, contacts",
        ),
        g(
            "engineering",
            "Engineering",
            inside(Level::Affected),
            -3,
            "Engineering channel",
            "What ships, flags, dashboards to watch",
        ),
        g(
            "ops",
            "Operations and on-call",
            inside(Level::Critical),
            -1,
            "Ops channel",
            "Deploy window, rollback plan, on-call",
        ),
        g(
            "company",
            "Whole company",
            inside(Level::Informed),
            1,
            "Company announcement",
            "Summary after the release: what shipped, for whom, who to ask",
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_gives_spec_defaults() {
        let c = SiteConfig::parse("", Path::new(CONFIG_FILE)).unwrap();
        assert_eq!(c.title, "Releases");
        assert_eq!(c.base_url, "/");
        assert_eq!(c.uid_domain, "shipdate.local");
        assert_eq!(c.release_types.len(), 5);
        assert_eq!(c.release_types["major"].milestones.len(), 5);
        assert_eq!(c.release_types["launch"].milestones.len(), 6);
        assert_eq!(c.stakeholders["support"].at.to_string(), "T-5b");
        assert_eq!(c.dependency_margin.to_string(), "T+1b");
        assert_eq!(c.affected_lead, Offset::hours(72));
        assert_eq!(c.late_change_days, 7);
        assert_eq!(c.lockstep_limit, 3);
        assert!((c.thresholds.rollback_rate - 0.10).abs() < 1e-9);
    }

    /// The built-in matrix and type lists in docs/configuration.md are the code's.
    #[test]
    fn docs_tables_match_the_builtin_matrix_and_types() {
        let docs = include_str!("../docs/configuration.md");
        let row = |first: &str| {
            docs.lines()
                .find(|l| l.starts_with(&format!("| `{first}` |")))
                .unwrap_or_else(|| panic!("docs/configuration.md has no row for `{first}`"))
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| c.trim_matches('`').to_string())
                .collect::<Vec<_>>()
        };
        let c = SiteConfig::default();
        for id in BUILTIN_GROUPS {
            let g = &c.stakeholders[id];
            let level = serde_json::to_value(g.level).unwrap();
            let external = if g.external { "yes" } else { "no" };
            let want = [
                id,
                &g.name,
                level.as_str().unwrap(),
                external,
                &g.at.to_string(),
                &g.channel,
                &g.content,
            ];
            assert_eq!(row(id), want, "docs row of group `{id}`");
        }
        assert_eq!(c.stakeholders.len(), BUILTIN_GROUPS.len());
        for (id, t) in &c.release_types {
            let listed: Vec<String> = t
                .stakeholders
                .iter()
                .map(|s| match s.at {
                    Some(at) => format!("{} at {at}", s.id),
                    None => s.id.clone(),
                })
                .collect();
            assert_eq!(row(id)[3], listed.join(", "), "docs row of type `{id}`");
        }
    }

    #[test]
    fn stakeholder_entries_take_an_id_or_an_offset_and_leads_parse() {
        let c = SiteConfig::parse(
            "release_types:\n  patch:\n    stakeholders: [ops, {id: support, at: T-2h}]\ndependency_margin: 2b\naffected_lead: 1w\n",
            Path::new(CONFIG_FILE),
        )
        .unwrap();
        let list = &c.release_types["patch"].stakeholders;
        assert_eq!(list[0], StakeholderRef::id("ops"));
        assert_eq!(list[1].at, Some(Offset::hours(-2)));
        assert_eq!(c.dependency_margin.to_string(), "T+2b");
        assert_eq!(c.affected_lead, Offset::weeks(1));
        let errs = SiteConfig::parse("affected_lead: soon\n", Path::new(CONFIG_FILE)).unwrap_err();
        assert!(errs[0].message.contains("length of time"), "{errs:?}");
    }

    #[test]
    fn uid_domain_defaults_to_base_url_host_and_base_url_gets_a_slash() {
        let c = SiteConfig::parse(
            "base_url: https://acme.github.io/releases",
            Path::new(CONFIG_FILE),
        )
        .unwrap();
        assert_eq!(c.base_url, "https://acme.github.io/releases/");
        assert_eq!(c.uid_domain, "acme.github.io");
    }

    #[test]
    fn release_type_keys_replace_only_given_fields() {
        let c = SiteConfig::parse(
            "release_types:\n  major:\n    ceremony: Big\n",
            Path::new(CONFIG_FILE),
        )
        .unwrap();
        assert_eq!(c.release_types["major"].ceremony, "Big");
        assert_eq!(c.release_types["major"].milestones.len(), 5);
    }

    #[test]
    fn bad_timezone_is_located() {
        let errs = SiteConfig::parse("title: x\ntimezone: Mars/Base\n", Path::new(CONFIG_FILE))
            .unwrap_err();
        assert_eq!(errs[0].position.line, 2);
        assert!(errs[0].message.contains("Mars/Base"));
    }

    #[test]
    fn unknown_config_key_is_an_error() {
        let errs = SiteConfig::parse("titel: x\n", Path::new(CONFIG_FILE)).unwrap_err();
        assert_eq!(errs[0].rule, "unknown-key");
    }

    #[test]
    fn business_days_skip_weekends_holidays_and_freezes() {
        let c = SiteConfig::parse(
            "holidays: [2026-11-26]\nfreeze:\n  - {name: F, start: 2026-12-20, end: 2027-01-04}\n",
            Path::new(CONFIG_FILE),
        )
        .unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(c.is_non_business_day(d("2026-11-26")));
        assert!(c.is_non_business_day(d("2026-11-28")));
        assert!(c.is_non_business_day(d("2026-12-24")));
        assert!(!c.is_non_business_day(d("2026-11-27")));
    }
}
