//! Site configuration (`shipdate.yaml`): SPEC §2 defaults as data, strict keys.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Position};
use crate::offset::Offset;
use crate::yaml;

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
    /// Stakeholder groups notified by default.
    pub stakeholders: Vec<String>,
}

/// How loudly a stakeholder group is notified.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Must know before it ships.
    Critical,
    /// Their work changes.
    Affected,
    /// Good to know.
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
    /// Where the notification goes.
    #[serde(default)]
    pub channel: String,
    /// What it says.
    #[serde(default)]
    pub content: String,
}

fn default_level() -> Level {
    Level::Informed
}

fn default_notify_at() -> Offset {
    Offset::days(-1)
}

/// A blackout window: nothing may ship between `start` and `end` (inclusive).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FreezeWindow {
    /// Display name.
    pub name: String,
    /// First frozen day.
    pub start: NaiveDate,
    /// Last frozen day.
    pub end: NaiveDate,
    /// Only these teams' releases are frozen; empty means every team.
    #[serde(default)]
    pub teams: Vec<String>,
    /// Release types that may ship inside; `None` means [`DEFAULT_FREEZE_ALLOW`].
    #[serde(default)]
    pub allow: Option<Vec<String>>,
}

/// Release types a freeze lets through unless it says `allow:`.
pub const DEFAULT_FREEZE_ALLOW: [&str; 1] = ["hotfix"];

impl FreezeWindow {
    /// True when `day` falls inside the window.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// True when the window applies to every team (no `teams:`).
    pub fn is_site_wide(&self) -> bool {
        self.teams.is_empty()
    }

    /// True when a release of `team` and type `kind` may not ship inside.
    pub fn binds(&self, team: &str, kind: &str) -> bool {
        let in_scope = self.is_site_wide() || self.teams.iter().any(|t| t == team);
        let allowed = match &self.allow {
            Some(list) => list.iter().any(|k| k == kind),
            None => DEFAULT_FREEZE_ALLOW.contains(&kind),
        };
        in_scope && !allowed
    }
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
    /// Releases per page of the external changelog.
    pub paginate: usize,
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
    freeze: Vec<FreezeWindow>,
    holidays: Vec<NaiveDate>,
    thresholds: Thresholds,
    metrics: MetricBands,
    late_change_days: Option<u32>,
    lockstep_limit: Option<u32>,
    paginate: Option<usize>,
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
    stakeholders: Option<Vec<String>>,
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
            holidays: Vec::new(),
            thresholds: Thresholds::default(),
            metrics: MetricBands::default(),
            late_change_days: 7,
            lockstep_limit: 3,
            paginate: 20,
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
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    "io",
                    CONFIG_FILE,
                    Position::new(1, 1),
                    format!("cannot read {}: {e}", path.display()),
                )]);
            }
        };
        Self::parse(&text, Path::new(CONFIG_FILE))
    }

    /// Parses configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, Vec<Diagnostic>> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let raw: RawConfig = yaml::parse(text, path, 1).map_err(|d| vec![d])?;
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
            config.base_url = if base_url.ends_with('/') {
                base_url
            } else {
                format!("{base_url}/")
            };
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
        config.internal_url = raw
            .internal_url
            .map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
        config.uid_domain = raw.uid_domain.unwrap_or_else(|| {
            host_of(&config.base_url)
                .unwrap_or("shipdate.local")
                .to_string()
        });
        if let Some(output) = raw.output {
            config.output = output;
        }
        config.theme = raw.theme;
        for (i, team) in raw.teams.iter().enumerate() {
            if !is_id(&team.id) {
                errors.push(invalid_id(path, at_key("teams"), &team.id));
            }
            if raw.teams[..i].iter().any(|t| t.id == team.id) {
                errors.push(Diagnostic::error(
                    "duplicate-id",
                    path,
                    at_key("teams"),
                    format!("team `{}` is listed twice", team.id),
                ));
            }
        }
        config.teams = raw
            .teams
            .into_iter()
            .map(|mut t| {
                if t.name.is_empty() {
                    t.name = t.id.clone();
                }
                t
            })
            .collect();
        for (id, over) in raw.release_types {
            let entry = config
                .release_types
                .entry(id.clone())
                .or_insert_with(|| ReleaseType {
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
        for group in raw.stakeholders {
            let mut group = group;
            if group.name.is_empty() {
                group.name = group.id.clone();
            }
            config.stakeholders.insert(group.id.clone(), group);
        }
        for rtype in config.release_types.values() {
            for s in &rtype.stakeholders {
                if !config.stakeholders.contains_key(s) {
                    errors.push(
                        Diagnostic::error(
                            "unknown-stakeholder",
                            path,
                            at_key("release_types"),
                            format!(
                                "release type `{}` names unknown stakeholder group `{s}`",
                                rtype.id
                            ),
                        )
                        .with_hint(
                            "add the group under `stakeholders:` or remove it from the type",
                        ),
                    );
                }
            }
        }
        for w in &raw.freeze {
            if w.end < w.start {
                errors.push(
                    Diagnostic::error(
                        "invalid-value",
                        path,
                        at_key("freeze"),
                        format!("freeze window `{}` ends before it starts", w.name),
                    )
                    .with_hint("swap `start` and `end`"),
                );
            }
            for t in &w.teams {
                if !config.teams.is_empty() && config.team(t).is_none() {
                    errors.push(
                        Diagnostic::error(
                            "unknown-team",
                            path,
                            at_key("freeze"),
                            format!("freeze window `{}` names unknown team `{t}`", w.name),
                        )
                        .with_hint("use a team id from `teams:`"),
                    );
                }
            }
            for k in w.allow.iter().flatten() {
                if !config.release_types.contains_key(k) {
                    errors.push(
                        Diagnostic::error(
                            "unknown-type",
                            path,
                            at_key("freeze"),
                            format!("freeze window `{}` allows unknown release type `{k}`", w.name),
                        )
                        .with_hint("use a type from `release_types:` (hotfix, patch, minor, major, launch)"),
                    );
                }
            }
        }
        config.freeze = raw.freeze;
        config.holidays = raw.holidays;
        config.holidays.sort();
        config.thresholds = raw.thresholds;
        config.metrics = raw.metrics;
        config.late_change_days = raw.late_change_days.unwrap_or(config.late_change_days);
        config.lockstep_limit = raw.lockstep_limit.unwrap_or(config.lockstep_limit);
        config.paginate = raw.paginate.unwrap_or(config.paginate).max(1);
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
        use chrono::Datelike;
        matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
            || self.holidays.binary_search(&day).is_ok()
            || self
                .freeze
                .iter()
                .any(|w| w.is_site_wide() && w.contains(day))
    }

    /// The freeze window containing `day`, if any (for shading calendars).
    pub fn freeze_at(&self, day: NaiveDate) -> Option<&FreezeWindow> {
        self.freeze.iter().find(|w| w.contains(day))
    }

    /// The freeze window that stops a release of `team` and type `kind` on `day`.
    pub fn freeze_for(&self, day: NaiveDate, team: &str, kind: &str) -> Option<&FreezeWindow> {
        self.freeze
            .iter()
            .find(|w| w.contains(day) && w.binds(team, kind))
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

/// True for ids of the form `[a-z0-9-]+`.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn invalid_id(path: &Path, position: Position, id: &str) -> Diagnostic {
    Diagnostic::error(
        "invalid-id",
        path,
        position,
        format!("`{id}` is not a valid id"),
    )
    .with_hint("ids use lowercase letters, digits and `-` only")
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
    // "all" in SPEC §2: every built-in stakeholder group.
    let all: Vec<String> = builtin_stakeholders().into_keys().collect();
    let t =
        |id: &str, ceremony: &str, milestones: Vec<MilestoneTemplate>, stakeholders: &[&str]| {
            (
                id.to_string(),
                ReleaseType {
                    id: id.into(),
                    ceremony: ceremony.into(),
                    milestones,
                    stakeholders: stakeholders.iter().map(|s| s.to_string()).collect(),
                },
            )
        };
    let all_refs: Vec<&str> = all.iter().map(String::as_str).collect();
    BTreeMap::from([
        t("hotfix", "None", vec![], &["support"]),
        t("patch", "Internal announce", vec![], &["support"]),
        t(
            "minor",
            "Demo + changelog",
            vec![
                m("Final QA", Offset::weeks(-1)),
                m("Post-launch review", Offset::weeks(1)),
            ],
            &["support", "csm"],
        ),
        t("major", "Full launch plan", major_milestones, &all_refs),
        t("launch", "Marketing campaign", launch_milestones, &all_refs),
    ])
}

fn builtin_stakeholders() -> BTreeMap<String, StakeholderGroup> {
    let g = |id: &str, name: &str, level: Level, at: Offset, channel: &str, content: &str| {
        (
            id.to_string(),
            StakeholderGroup {
                id: id.into(),
                name: name.into(),
                level,
                at,
                channel: channel.into(),
                content: content.into(),
            },
        )
    };
    BTreeMap::from([
        g(
            "partners",
            "Integration partners",
            Level::Critical,
            Offset::days(-7),
            "Technical docs site",
            "API changes, deprecation timeline, migration guides",
        ),
        g(
            "csm",
            "Customer success",
            Level::Affected,
            Offset::days(-5),
            "CSM briefing",
            "What changes for customers, talking points, FAQ",
        ),
        g(
            "enterprise",
            "Enterprise customers",
            Level::Critical,
            Offset::days(-3),
            "Account manager email",
            "Impact on their integration, timeline, contacts",
        ),
        g(
            "ops",
            "Operations",
            Level::Informed,
            Offset::days(-1),
            "Ops channel",
            "Deploy window, rollback plan, on-call",
        ),
        g(
            "support",
            "Support",
            Level::Critical,
            Offset::hours(-2),
            "Support briefing",
            "Known issues, talk track, escalation path",
        ),
        g(
            "engineering",
            "Engineering",
            Level::Affected,
            Offset::hours(-24),
            "Engineering channel",
            "What ships, flags, dashboards to watch",
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
        assert_eq!(c.stakeholders["support"].at, Offset::hours(-2));
        assert_eq!(c.late_change_days, 7);
        assert_eq!(c.lockstep_limit, 3);
        assert!((c.thresholds.rollback_rate - 0.10).abs() < 1e-9);
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
