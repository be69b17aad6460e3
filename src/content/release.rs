//! The typed release model: front matter resolved against the site config.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Serialize;
use serde_saphyr::Spanned;

use super::frontmatter::{
    AnnounceField, FrontMatter, GateKind, GateStatus, NotifiedRecord, Outcome, RawGate, RawMetric,
    RawMilestone, RawRollout, RawSupport, Risk, RoadmapField, RoadmapPrecision, Rollback, Scalar,
    Status, Strategy,
};
use super::lifecycle::{self, LifeDate, SupportPhase};
use super::markdown::Body;
use crate::config::{ReleaseType, SiteConfig, StakeholderRef, is_id};
use crate::diagnostic::{Diagnostic, Position, did_you_mean};
use crate::metrics::target::{Bands, MetricError, MetricStatus, Quantity, Target};
use crate::moment::{Moment, Workdays};
use crate::offset::Offset;

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is in the release file.
    #[serde(skip)]
    pub position: Position,
}

/// A resolved milestone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    /// Name.
    pub name: String,
    /// When; `None` while undecided (`date: tbd`, or an offset of a `tbd` ship date).
    pub when: Option<Moment>,
    /// The offset it was given as, if any.
    pub offset: Option<Offset>,
    /// Exclusive end of a period (`until`): the day after an inclusive
    /// `until` date, or the instant a date-time `until` names.
    pub end: Option<Moment>,
    /// Who is responsible.
    pub owner: Option<String>,
    /// A link with the details.
    pub url: Option<String>,
    /// What it means.
    pub description: Option<String>,
    /// Comes from the release type's defaults.
    pub from_type: bool,
}

/// A planned stakeholder notification: which group, and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    /// The group's id.
    pub group: String,
    /// The offset from the ship date (the release's, the type's or the group's).
    pub offset: Offset,
    /// When the group is told.
    pub when: Moment,
}

/// A resolved rollout phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// Name.
    pub name: String,
    /// Share of users.
    pub percent: Option<f64>,
    /// Start; `None` while the ship date is `tbd`.
    pub start: Option<Moment>,
    /// End (start + duration), if a duration was given.
    pub end: Option<Moment>,
    /// Duration as written.
    pub duration: Option<String>,
    /// Who gets it.
    pub audience: Option<String>,
    /// Exit criteria.
    pub exit: Vec<String>,
}

/// A resolved rollout plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollout {
    /// Strategy.
    pub strategy: Option<Strategy>,
    /// Feature flag.
    pub flag: Option<String>,
    /// Phases in order.
    pub phases: Vec<Phase>,
    /// Where `rollout:` is.
    #[serde(skip)]
    pub position: Position,
}

/// A resolved readiness gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: GateKind,
    /// State.
    pub status: GateStatus,
    /// Proof.
    pub evidence: Option<String>,
    /// Due.
    pub due: Option<Moment>,
    /// Due as written.
    pub due_text: Option<String>,
    /// Responsible person.
    pub owner: Option<String>,
    /// Why it was waived.
    pub reason: Option<String>,
    /// Where the gate is.
    #[serde(skip)]
    pub position: Position,
}

/// A success criterion: as written, plus its status (SPEC §4.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// Name.
    pub name: String,
    /// Before.
    pub baseline: Option<String>,
    /// `OP VALUE[unit]`.
    pub target: Option<String>,
    /// After.
    pub actual: Option<String>,
    /// Alert threshold.
    pub alert: Option<String>,
    /// Pending, Exceeded, Met, Close or Missed.
    pub status: MetricStatus,
    /// Where the metric is.
    #[serde(skip)]
    pub position: Position,
}

/// One release, fully resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Release {
    /// Unique id, `[a-z0-9-]+`.
    pub id: String,
    /// Source file, relative to the site root.
    pub path: PathBuf,
    /// Title.
    pub title: String,
    /// Version.
    pub version: Option<String>,
    /// Owning team.
    pub team: String,
    /// Other teams involved.
    pub teams: Vec<String>,
    /// Release type id.
    #[serde(rename = "type")]
    pub kind: String,
    /// Status.
    pub status: Status,
    /// Ship date ("T"); `None` when `date: tbd` (no events, exempt from date rules).
    pub date: Option<Moment>,
    /// The release's time zone.
    #[serde(serialize_with = "ser_tz")]
    pub timezone: Tz,
    /// Risk.
    pub risk: Option<Risk>,
    /// Owner.
    pub owner: Option<String>,
    /// On-call engineer.
    pub on_call: Option<String>,
    /// Customer-facing one-liner.
    pub summary: Option<String>,
    /// Draft.
    pub draft: bool,
    /// Releases that must ship first.
    pub depends_on: Vec<Located<String>>,
    /// Tags.
    pub tags: Vec<String>,
    /// Milestones: the type's, then the release's own.
    pub milestones: Vec<Milestone>,
    /// Stakeholder groups notified.
    pub stakeholders: Vec<String>,
    /// When each of `stakeholders` is told, in the same order.
    pub notifications: Vec<Notification>,
    /// Notifications that happened, by group id (`notified:`).
    pub notified: BTreeMap<String, Located<NotifiedRecord>>,
    /// A breaking change for integrators.
    pub breaking: bool,
    /// External announcement; `None` means never announced.
    pub announce: Option<Moment>,
    /// Public roadmap precision.
    pub roadmap: Option<RoadmapPrecision>,
    /// Rollout plan.
    pub rollout: Option<Rollout>,
    /// Rollback plan.
    pub rollback: Option<Rollback>,
    /// Readiness gates.
    pub gates: Vec<Gate>,
    /// Success criteria.
    pub metrics: Vec<Metric>,
    /// Release line (`series:`), e.g. "3.14".
    pub series: Option<String>,
    /// The train it boards (`train:`, an id from `trains:`).
    pub train: Option<String>,
    /// Support phases after shipping, in order.
    pub support: Vec<SupportPhase>,
    /// End of all support.
    pub eol: Option<LifeDate>,
    /// Results.
    pub outcome: Option<Outcome>,
    /// Free-form template data.
    pub extra: serde_json::Value,
    /// How many times the ship date changed in git history (0 without git).
    pub slips: usize,
    /// The ship date of the file's first commit; `None` without git history
    /// (or when a shallow clone cut the commit that created the file).
    pub first_planned_date: Option<Moment>,
    /// Rendered body.
    #[serde(skip)]
    pub body: Body,
    /// Where each top-level front-matter key is written.
    #[serde(skip)]
    pub positions: BTreeMap<String, Position>,
}

fn ser_tz<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

impl Release {
    /// The file position of top-level key `key`, or the front matter's start.
    pub fn position_of(&self, key: &str) -> Position {
        self.positions
            .get(key)
            .copied()
            .unwrap_or(Position::new(1, 1))
    }

    /// All teams: the owner first, then the involved ones.
    pub fn all_teams(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.team.as_str()).chain(self.teams.iter().map(String::as_str))
    }

    /// Has reached users (shipped or rolled back).
    pub fn has_shipped(&self) -> bool {
        self.status.has_shipped()
    }

    /// Was rolled back (status or outcome).
    pub fn was_rolled_back(&self) -> bool {
        self.status == Status::RolledBack || self.outcome.as_ref().is_some_and(|o| o.rolled_back)
    }

    /// Has something to say to customers: a summary or external sections.
    pub fn is_customer_facing(&self) -> bool {
        self.summary
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty())
            || self.body.has_external()
    }

    /// Published on the external changelog at `now` (SPEC §3.2).
    pub fn is_announced(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        !self.draft
            && self.status == Status::Shipped
            && self.is_customer_facing()
            && self
                .announce
                .is_some_and(|a| a.start_utc(self.timezone) <= now)
    }

    /// Public at `now`: announced, or on the roadmap with its exact day
    /// (`roadmap: day`), which shows its date, support and end of life.
    pub fn is_public(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.is_announced(now) || self.on_roadmap() == Some(RoadmapPrecision::Day)
    }

    /// Shown on the public roadmap at `now`: opted in, not shipped, not cancelled.
    pub fn on_roadmap(&self) -> Option<RoadmapPrecision> {
        if self.draft || self.has_shipped() || self.status == Status::Cancelled {
            return None;
        }
        self.roadmap
    }

    /// Shipped on (or before) the day it was first planned for; `None` when
    /// it has not shipped or git history does not know the first plan.
    pub fn shipped_on_time(&self) -> Option<bool> {
        let first = self.first_planned_date?;
        let day = self.ship_day()?;
        self.has_shipped()
            .then(|| day <= first.local_date(self.timezone))
    }

    /// How many times the ship date changed in committed history (0 without git).
    pub fn slips(&self) -> usize {
        self.slips
    }

    /// The ship date's calendar day in the release's time zone; `None` while `tbd`.
    pub fn ship_day(&self) -> Option<chrono::NaiveDate> {
        self.date.map(|d| d.local_date(self.timezone))
    }
}

/// Where a release file's front matter is, to locate what it says.
#[derive(Clone, Copy)]
struct File<'a> {
    /// Path relative to the site root.
    path: &'a Path,
    /// First file line of the YAML.
    first_line: u64,
}

impl File<'_> {
    /// Converts a line inside the YAML (1-based) to a file position.
    fn at<T>(&self, spanned: &Spanned<T>) -> Position {
        Position::new(
            self.first_line + spanned.referenced.line().max(1) - 1,
            spanned.referenced.column().max(1),
        )
    }

    /// An error located in this file.
    fn error(&self, rule: &'static str, pos: Position, msg: String) -> Diagnostic {
        Diagnostic::error(rule, self.path, pos, msg)
    }
}

/// Everything needed to resolve one file's front matter.
pub struct Source<'a> {
    /// Path relative to the site root.
    pub path: &'a Path,
    /// File stem, for the default id.
    pub stem: &'a str,
    /// First file line of the YAML.
    pub first_line: u64,
    /// Top-level key positions.
    pub positions: BTreeMap<String, Position>,
}

/// The parts of a release worked out from its front matter; the rest is copied as written.
struct Parts {
    id: String,
    version: Option<String>,
    date: Option<Moment>,
    timezone: Tz,
    milestones: Vec<Milestone>,
    stakeholders: Vec<String>,
    notifications: Vec<Notification>,
    notified: BTreeMap<String, Located<NotifiedRecord>>,
    announce: Option<Moment>,
    rollout: Option<Rollout>,
    gates: Vec<Gate>,
    metrics: Vec<Metric>,
    series: Option<String>,
    train: Option<String>,
    support: Vec<SupportPhase>,
    eol: Option<LifeDate>,
}

/// Resolves parsed front matter and body into a [`Release`], collecting every problem.
pub fn resolve(
    fm: FrontMatter,
    body: Body,
    src: Source<'_>,
    config: &SiteConfig,
) -> Result<Release, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let file = File {
        path: src.path,
        first_line: src.first_line,
    };
    let id = resolve_id(fm.id.as_ref(), src.stem, file, &mut errors);
    let timezone = resolve_timezone(fm.timezone.as_ref(), file, config, &mut errors);
    // Every offset counts from the ship date: without it nothing else resolves.
    let Ok(date) = resolve_date(&fm.date, fm.status, timezone, file, &mut errors) else {
        return Err(errors);
    };
    let version = resolve_text_scalar("version", "version", fm.version.as_ref(), file, &mut errors);
    let team = fm.team.value.clone();
    let resolver = Resolver {
        date,
        timezone,
        config,
        team: &team,
        file,
    };
    let release_type = release_type(&fm.kind, file, config, &mut errors);
    let refs = resolve_stakeholders(
        fm.stakeholders.as_deref(),
        release_type,
        &resolver,
        &mut errors,
    );
    let notifications = notifications(&refs, &resolver);
    let parts = Parts {
        id,
        version,
        date,
        timezone,
        milestones: resolve_milestones(release_type, &fm.milestones, &resolver, &mut errors),
        stakeholders: refs.into_iter().map(|s| s.id).collect(),
        notifications,
        notified: resolve_notified(&fm.notified, &resolver, &mut errors),
        announce: resolve_announce(fm.announce.as_ref(), &resolver, &mut errors),
        rollout: fm
            .rollout
            .as_ref()
            .map(|r| resolve_rollout(&r.value, file.at(r), &resolver, &mut errors)),
        gates: resolve_gates(&fm.gates, &resolver, &mut errors),
        metrics: resolve_metrics(&fm.metrics, &resolver, &mut errors),
        series: resolve_text_scalar(
            "series",
            "release line",
            fm.series.as_ref(),
            file,
            &mut errors,
        ),
        train: resolve_train(fm.train.as_ref(), file, config, &mut errors),
        support: resolve_support(&fm.support, &resolver, &mut errors),
        eol: fm.eol.as_ref().and_then(|e| {
            life_date(
                &e.value.clone().into_text(),
                file.at(e),
                &resolver,
                &mut errors,
            )
        }),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(assemble(fm, body, src, parts))
}

/// `id:` as written, or the file name's; an invalid one is an error.
fn resolve_id(
    written: Option<&Spanned<String>>,
    stem: &str,
    file: File<'_>,
    errors: &mut Vec<Diagnostic>,
) -> String {
    match written {
        Some(id) => {
            if !is_id(&id.value) {
                errors.push(
                    file.error(
                        "invalid-id",
                        file.at(id),
                        format!("`{}` is not a valid release id", id.value),
                    )
                    .with_hint(
                        "ids use lowercase letters, digits and `-` only, at most 100 characters",
                    ),
                );
            }
            id.value.clone()
        }
        None => {
            let derived = default_id(stem);
            if !is_id(&derived) {
                errors.push(
                    file.error(
                        "invalid-id",
                        Position::new(1, 1),
                        format!("the file name gives the id `{derived}`, which is not a valid id"),
                    )
                    .with_hint(
                        "rename the file to lowercase letters, digits and `-` (at most 100 characters), or set `id:`",
                    ),
                );
            }
            derived
        }
    }
}

/// `timezone:`, or the site's; an unknown name is an error (and the site's is used).
fn resolve_timezone(
    written: Option<&Spanned<String>>,
    file: File<'_>,
    config: &SiteConfig,
    errors: &mut Vec<Diagnostic>,
) -> Tz {
    let Some(tz) = written else {
        return config.timezone;
    };
    tz.value.parse::<Tz>().unwrap_or_else(|_| {
        errors.push(
            file.error(
                "invalid-value",
                file.at(tz),
                format!("unknown time zone `{}`", tz.value),
            )
            .with_hint("use an IANA name such as `Europe/Berlin`"),
        );
        config.timezone
    })
}

/// The ship date ("T") in the release's time zone; `None` (and an error) when it does not parse.
/// `Ok(None)` for `tbd`, which only a planned release may have
/// (`tbd-not-planned`); `Err` (and an error) when it does not parse.
fn resolve_date(
    written: &Spanned<String>,
    status: Status,
    timezone: Tz,
    file: File<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Result<Option<Moment>, ()> {
    if is_tbd(&written.value) {
        if status != Status::Planned {
            errors.push(
                file.error(
                    "tbd-not-planned",
                    file.at(written),
                    format!("the date is `tbd` but the status is `{}`", status.as_str()),
                )
                .with_hint("only a planned release may have an undecided date: set the date, or `status: planned`"),
            );
        }
        return Ok(None);
    }
    Moment::parse(&written.value, timezone)
        .map(Some)
        .map_err(|e| {
            errors.push(
                file.error("invalid-date", file.at(written), e.to_string())
                    .with_hint(
                    "write the date as `2026-12-01`, `2026-12-01T14:00` or `2026-12-01T14:00:00Z` (or `tbd` while undecided)",
                ),
            );
        })
}

/// `version:` or `series:` (`key`, with an `example` hint) as text; a
/// number there (`3.10` reads as 3.1) is an error.
fn resolve_text_scalar(
    key: &str,
    example: &str,
    written: Option<&Spanned<Scalar>>,
    file: File<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let v = written?;
    if v.value.is_not_text() {
        errors.push(
            file.error(
                "version-not-text",
                file.at(v),
                format!("`{key}` is read as a number, not as text"),
            )
            .with_hint(format!(
                "put the {example} in quotes, e.g. `{key}: \"3.10\"`: unquoted, 3.10 is the number 3.1"
            )),
        );
    }
    Some(v.value.clone().into_text())
}

/// `train:` names a configured train; an unknown one is an error.
fn resolve_train(
    written: Option<&Spanned<String>>,
    file: File<'_>,
    config: &SiteConfig,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let t = written?;
    if config.train(&t.value).is_none() {
        let known = config.trains.iter().map(|t| t.id.as_str());
        let hint = match did_you_mean(&t.value, known.clone()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if config.trains.is_empty() => {
                "add the train under `trains:` in shipdate.yaml".to_string()
            }
            None => format!("use one of: {}", known.collect::<Vec<_>>().join(", ")),
        };
        errors.push(
            file.error(
                "unknown-train",
                file.at(t),
                format!("unknown train `{}`", t.value),
            )
            .with_hint(hint),
        );
    }
    Some(t.value.clone())
}

/// A lifecycle date (`2028-04-30`, `2028-04`, or an offset from the ship
/// date such as `T+14mo`, the day it lands on); anything else is an error.
fn life_date(
    text: &str,
    pos: Position,
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<LifeDate> {
    let file = resolver.file;
    if text.trim_start().starts_with('T') {
        let Some((Some(moment), _)) = resolver.when(text, pos, errors) else {
            if resolver.date.is_none() {
                errors.push(
                    file.error("invalid-date", pos, format!("`{text}` counts from the ship date, which is `tbd`"))
                        .with_hint("write a day like `2028-04-30` or a month like `2028-04` until the ship date is decided"),
                );
            }
            return None;
        };
        return Some(LifeDate {
            day: moment.local_date(resolver.timezone),
            approximate: false,
        });
    }
    LifeDate::parse(text)
        .map_err(|msg| {
            errors.push(
                file.error("invalid-date", pos, msg)
                    .with_hint("write a day like `2028-04-30`, a month like `2028-04` when only the month is known, or an offset from the ship date like `T+14mo`"),
            );
        })
        .ok()
}

/// `support:` phases in order, each starting where the previous one ends;
/// a phase ending before the previous one is an error.
fn resolve_support(
    written: &[Spanned<RawSupport>],
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<SupportPhase> {
    let file = resolver.file;
    let mut phases: Vec<(String, LifeDate)> = Vec::new();
    for s in written {
        let Some(until) = life_date(&s.value.until, file.at(s), resolver, errors) else {
            continue;
        };
        if let Some((prev, prev_until)) = phases.last()
            && prev_until.day >= until.day
        {
            errors.push(
                file.error(
                    "invalid-value",
                    file.at(s),
                    format!(
                        "support phase `{}` ends on {}, not after `{prev}` ({})",
                        s.value.name,
                        until.label(),
                        prev_until.label()
                    ),
                )
                .with_hint("list support phases in order, each ending after the one before"),
            );
            continue;
        }
        phases.push((s.value.name.clone(), until));
    }
    let ship = resolver.date.map(|d| d.local_date(resolver.timezone));
    lifecycle::with_starts(ship, phases)
}

/// The configured release type named by `type:`; an unknown one is an error.
fn release_type<'c>(
    kind: &Spanned<String>,
    file: File<'_>,
    config: &'c SiteConfig,
    errors: &mut Vec<Diagnostic>,
) -> Option<&'c ReleaseType> {
    let found = config.release_types.get(&kind.value);
    if found.is_none() {
        let known: Vec<&str> = config.release_types.keys().map(String::as_str).collect();
        let hint = match did_you_mean(&kind.value, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of: {}", known.join(", ")),
        };
        errors.push(
            file.error(
                "unknown-type",
                file.at(kind),
                format!("unknown release type `{}`", kind.value),
            )
            .with_hint(hint),
        );
    }
    found
}

/// The type's default milestones, replaced by same-named ones from the release, then its additions.
fn resolve_milestones(
    release_type: Option<&ReleaseType>,
    written: &[Spanned<RawMilestone>],
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Milestone> {
    let mut milestones = type_milestones(release_type, resolver);
    let mut own_names = std::collections::HashSet::new();
    for sm in written {
        let name = sm.value.name.as_str();
        if !own_names.insert(name) {
            errors.push(
                resolver
                    .file
                    .error(
                        "duplicate-milestone",
                        resolver.file.at(sm),
                        format!("milestone `{name}` is listed twice"),
                    )
                    .with_hint("give each milestone its own name, or remove one of them"),
            );
            continue;
        }
        if let Some(m) = written_milestone(sm, resolver, errors) {
            match milestones.iter_mut().find(|x| x.name == name) {
                Some(existing) => *existing = m,
                None => milestones.push(m),
            }
        }
    }
    milestones
}

/// The release type's milestones at their offsets from the ship date.
fn type_milestones(release_type: Option<&ReleaseType>, resolver: &Resolver<'_>) -> Vec<Milestone> {
    let Some(t) = release_type else {
        return Vec::new();
    };
    t.milestones
        .iter()
        .map(|m| Milestone {
            name: m.name.clone(),
            when: resolver
                .date
                .map(|d| d.offset_by(m.at, resolver.timezone, resolver.workdays())),
            offset: Some(m.at),
            end: None,
            owner: None,
            url: None,
            description: None,
            from_type: true,
        })
        .collect()
}

/// One milestone of the release: exactly one of `at` or `date`, and an
/// `until` after its start; `None` (with an error) when it cannot resolve.
fn written_milestone(
    sm: &Spanned<RawMilestone>,
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Milestone> {
    let file = resolver.file;
    let pos = file.at(sm);
    let RawMilestone {
        name,
        at: offset,
        date: day,
        until,
        owner,
        url,
        description,
    } = &sm.value;
    let text = match (offset, day) {
        (Some(o), None) => o,
        (None, Some(d)) => d,
        _ => {
            errors.push(
                file.error(
                    "invalid-milestone",
                    pos,
                    format!("milestone `{name}` needs exactly one of `at` or `date`"),
                )
                .with_hint("write `{name: X, at: T-1w}` or `{name: X, date: 2026-11-20}`"),
            );
            return None;
        }
    };
    let (when, offset) = resolver.when(text, pos, errors)?;
    let end = until.as_deref().and_then(|u| {
        let (until, _) = resolver.when(u, pos, errors)?;
        let end = period_end(when?, until?, resolver.timezone);
        if end.is_none() {
            errors.push(
                file.error(
                    "invalid-milestone",
                    pos,
                    format!("milestone `{name}` ends (`until: {u}`) before it starts"),
                )
                .with_hint("`until` is the last day of the period (or the instant it ends): put it after the start"),
            );
        }
        end
    });
    Some(Milestone {
        name: name.clone(),
        when,
        offset,
        end,
        owner: owner.clone(),
        url: url.clone(),
        description: description.clone(),
        from_type: false,
    })
}

/// `stakeholders:` as written (each must be a configured group), or the type's list.
fn resolve_stakeholders(
    written: Option<&[Spanned<StakeholderRef>]>,
    release_type: Option<&ReleaseType>,
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<StakeholderRef> {
    let Some(list) = written else {
        return release_type
            .map(|t| t.stakeholders.clone())
            .unwrap_or_default();
    };
    for s in list {
        if !resolver.config.stakeholders.contains_key(&s.value.id) {
            errors.push(unknown_group(resolver, resolver.file.at(s), &s.value.id));
        }
    }
    list.iter().map(|s| s.value.clone()).collect()
}

/// `notified:` records, located; each key must be a configured group.
fn resolve_notified(
    written: &BTreeMap<String, Spanned<NotifiedRecord>>,
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Located<NotifiedRecord>> {
    written
        .iter()
        .map(|(group, rec)| {
            let position = resolver.file.at(rec);
            if !resolver.config.stakeholders.contains_key(group) {
                errors.push(unknown_group(resolver, position, group));
            }
            let value = rec.value.clone();
            (group.clone(), Located { value, position })
        })
        .collect()
}

fn unknown_group(resolver: &Resolver<'_>, pos: Position, id: &str) -> Diagnostic {
    let known: Vec<&str> = resolver
        .config
        .stakeholders
        .keys()
        .map(String::as_str)
        .collect();
    let hint = match did_you_mean(id, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!(
            "known groups: {}; add new ones under `stakeholders:` in shipdate.yaml",
            known.join(", ")
        ),
    };
    resolver
        .file
        .error(
            "unknown-stakeholder",
            pos,
            format!("unknown stakeholder group `{id}`"),
        )
        .with_hint(hint)
}

/// When each listed group is told: its own offset in the list, else the group's.
fn notifications(refs: &[StakeholderRef], resolver: &Resolver<'_>) -> Vec<Notification> {
    let Resolver {
        date,
        timezone,
        config,
        ..
    } = *resolver;
    let days = resolver.workdays();
    // A `tbd` release has no events yet: its offsets are undecided.
    let Some(date) = date else {
        return Vec::new();
    };
    refs.iter()
        .filter_map(|s| {
            let offset =
                s.at.or_else(|| config.stakeholders.get(&s.id).map(|g| g.at))?;
            Some(Notification {
                group: s.id.clone(),
                offset,
                when: date.offset_by(offset, timezone, days),
            })
        })
        .collect()
}

/// When the release is announced externally: at T unless `announce:` says
/// otherwise; `None` for never.
fn resolve_announce(
    written: Option<&Spanned<AnnounceField>>,
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Moment> {
    let Some(a) = written else {
        return resolver.date;
    };
    match &a.value {
        AnnounceField::Flag(false) => None,
        AnnounceField::Flag(true) => resolver.date,
        AnnounceField::Date(text) => resolver
            .when(text, resolver.file.at(a), errors)
            .and_then(|(m, _)| m),
    }
}

/// How precisely the public roadmap shows the release; `None` keeps it off.
fn roadmap_precision(written: Option<RoadmapField>) -> Option<RoadmapPrecision> {
    match written {
        None | Some(RoadmapField::Flag(false)) => None,
        Some(RoadmapField::Flag(true)) => Some(RoadmapPrecision::Quarter),
        Some(RoadmapField::Precision(p)) => Some(p),
    }
}

/// Readiness gates with their due dates resolved.
fn resolve_gates(
    written: &[Spanned<RawGate>],
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Gate> {
    written
        .iter()
        .map(|g| {
            let pos = resolver.file.at(g);
            let RawGate {
                name,
                kind,
                status,
                evidence,
                due,
                owner,
                reason,
            } = g.value.clone();
            let due_at = due
                .as_deref()
                .and_then(|d| resolver.when(d, pos, errors))
                .and_then(|(m, _)| m);
            Gate {
                name,
                kind,
                status,
                evidence,
                due: due_at,
                due_text: due,
                owner,
                reason,
                position: pos,
            }
        })
        .collect()
}

/// Success criteria with their status worked out.
fn resolve_metrics(
    written: &[Spanned<RawMetric>],
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Metric> {
    written
        .iter()
        .map(|m| {
            let position = resolver.file.at(m);
            let status = metric_status(
                &m.value,
                resolver.config,
                position,
                resolver.file.path,
                errors,
            );
            let RawMetric {
                name,
                baseline,
                target,
                actual,
                alert,
            } = m.value.clone();
            Metric {
                name,
                baseline,
                target,
                actual,
                alert,
                status,
                position,
            }
        })
        .collect()
}

/// The release: the resolved parts, and the rest of the front matter as written.
fn assemble(fm: FrontMatter, body: Body, src: Source<'_>, parts: Parts) -> Release {
    let file = File {
        path: src.path,
        first_line: src.first_line,
    };
    Release {
        id: parts.id,
        path: src.path.to_path_buf(),
        title: fm.title,
        version: parts.version,
        team: fm.team.value,
        teams: fm.teams.into_iter().map(|t| t.value).collect(),
        kind: fm.kind.value,
        status: fm.status,
        date: parts.date,
        timezone: parts.timezone,
        risk: fm.risk,
        owner: fm.owner,
        on_call: fm.on_call,
        summary: fm.summary,
        draft: fm.draft,
        depends_on: fm
            .depends_on
            .iter()
            .map(|d| Located {
                value: d.value.clone(),
                position: file.at(d),
            })
            .collect(),
        tags: fm.tags,
        milestones: parts.milestones,
        stakeholders: parts.stakeholders,
        notifications: parts.notifications,
        notified: parts.notified,
        breaking: fm.breaking,
        announce: parts.announce,
        roadmap: roadmap_precision(fm.roadmap),
        rollout: parts.rollout,
        rollback: fm.rollback,
        gates: parts.gates,
        metrics: parts.metrics,
        series: parts.series,
        train: parts.train,
        support: parts.support,
        eol: parts.eol,
        outcome: fm.outcome,
        extra: fm.extra,
        slips: 0,
        first_planned_date: None,
        body,
        positions: src.positions,
    }
}

/// A rollout plan: each phase starts at its `at`, or where the previous one
/// ends (at T for the first).
fn resolve_rollout(
    raw: &RawRollout,
    pos: Position,
    resolver: &Resolver,
    errors: &mut Vec<Diagnostic>,
) -> Rollout {
    let mut phases: Vec<Phase> = Vec::new();
    for p in &raw.phases {
        let start = match &p.at {
            Some(text) => match resolver.when(text, pos, errors) {
                Some((m, _)) => m,
                None => continue,
            },
            // After the previous phase: at its end, or at its start when
            // it has no duration; the first phase starts at T (undecided while `tbd`).
            None => match phases.last() {
                Some(prev) => prev.end.or(prev.start),
                None => resolver.date,
            },
        };
        let end = p
            .duration
            .as_deref()
            .zip(start)
            .and_then(|(d, start)| phase_end(&p.name, start, d, pos, resolver, errors));
        if let Some(percent) = p.percent
            && !(0.0..=100.0).contains(&percent)
        {
            errors.push(
                resolver
                    .file
                    .error(
                        "invalid-value",
                        pos,
                        format!("phase `{}`: percent {percent} is outside 0–100", p.name),
                    )
                    .with_hint("use a share of users between 0 and 100"),
            );
        }
        phases.push(Phase {
            name: p.name.clone(),
            percent: p.percent,
            start,
            end,
            duration: p.duration.clone(),
            audience: p.audience.clone(),
            exit: p.exit.clone(),
        });
    }
    Rollout {
        strategy: raw.strategy,
        flag: raw.flag.clone(),
        phases,
        position: pos,
    }
}

/// The end of phase `name` that starts at `start` and lasts `duration`
/// (`4h`, `2d`, `5b`); anything else is an error.
fn phase_end(
    name: &str,
    start: Moment,
    duration: &str,
    pos: Position,
    resolver: &Resolver<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Moment> {
    match Offset::parse(&format!("T+{}", duration.trim())) {
        Ok(o) if o.amount > 0 => Some(start.offset_by(o, resolver.timezone, resolver.workdays())),
        _ => {
            errors.push(
                resolver
                    .file
                    .error(
                        "invalid-duration",
                        pos,
                        format!("phase `{name}`: `{duration}` is not a duration"),
                    )
                    .with_hint("write durations like `30m`, `4h`, `2d`, `1w` or `5b`"),
            );
            None
        }
    }
}

/// Validates a metric's values and works out its status; problems become
/// located errors (a bad target must not silently read as "Pending").
fn metric_status(
    m: &RawMetric,
    config: &SiteConfig,
    position: Position,
    path: &Path,
    errors: &mut Vec<Diagnostic>,
) -> MetricStatus {
    let mut fail = |what: &str, e: MetricError| {
        errors.push(
            Diagnostic::error(
                "invalid-metric",
                path,
                position,
                format!("metric `{}`: {what}: {e}", m.name),
            )
            .with_hint(e.hint()),
        );
    };
    let target = m.target.as_deref().map(Target::parse).transpose();
    let actual = m.actual.as_deref().map(Quantity::parse).transpose();
    for (what, text) in [("baseline", &m.baseline)] {
        if let Some(Err(e)) = text.as_deref().map(Quantity::parse) {
            fail(what, e);
        }
    }
    if let Some(Err(e)) = m.alert.as_deref().map(|a| {
        Target::parse(a)
            .map(|_| ())
            .or_else(|_| Quantity::parse(a).map(|_| ()))
    }) {
        fail("alert", e);
    }
    match (target, actual) {
        (Err(e), _) => fail("target", e),
        (_, Err(e)) => fail("actual", e),
        (Ok(None), Ok(Some(_))) => errors.push(
            Diagnostic::error(
                "invalid-metric",
                path,
                position,
                format!("metric `{}` has an actual but no target", m.name),
            )
            .with_hint("add `target:` such as `\">= 25%\"` so the result can be judged"),
        ),
        (Ok(Some(target)), Ok(actual)) => {
            let bands = Bands {
                exceeded_by: config.metrics.exceeded_by,
                close_within: config.metrics.close_within,
            };
            match target.status(actual.as_ref(), &bands) {
                Ok(status) => return status,
                Err(e) => fail("actual", e),
            }
        }
        (Ok(None), Ok(None)) => {}
    }
    MetricStatus::Pending
}

/// Turns offsets (`T-2w`) and dates written in a release into moments.
#[derive(Clone, Copy)]
struct Resolver<'a> {
    /// The ship date; `None` while `tbd`, which leaves offsets undecided.
    date: Option<Moment>,
    timezone: Tz,
    config: &'a SiteConfig,
    /// The owning team, whose scoped freezes `b` offsets skip.
    team: &'a str,
    file: File<'a>,
}

impl<'a> Resolver<'a> {
    /// The business days `b` offsets of this release count.
    fn workdays(&self) -> Workdays<'a> {
        Workdays::of_team(self.config, self.team)
    }

    /// An offset from the ship date, an absolute date or `tbd`; errors are
    /// pushed, located at `pos`, and give `None`. The moment is `None` while
    /// undecided (`tbd`, or an offset of a `tbd` ship date).
    fn when(
        &self,
        text: &str,
        pos: Position,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<(Option<Moment>, Option<Offset>)> {
        let err = |rule: &'static str, msg: String| self.file.error(rule, pos, msg);
        if is_tbd(text) {
            return Some((None, None));
        }
        if text.trim_start().starts_with('T') {
            match Offset::parse(text) {
                Ok(o) => Some((
                    self.date
                        .map(|d| d.offset_by(o, self.timezone, self.workdays())),
                    Some(o),
                )),
                Err(e) => {
                    errors.push(err("invalid-offset", e.to_string()).with_hint("offsets count from the ship date: `T-2w`, `T+3d`, `T-10b` (business days), `T+4h`"));
                    None
                }
            }
        } else {
            match Moment::parse(text, self.timezone) {
                Ok(m) => Some((Some(m), None)),
                Err(e) => {
                    errors.push(
                        err("invalid-date", e.to_string())
                            .with_hint("use a date like `2026-11-20` or an offset like `T-1w`"),
                    );
                    None
                }
            }
        }
    }
}

/// The exclusive end of a period from `start` to `until` (SPEC §3.1): an
/// `until` date is the last day (the period ends the next day, at local
/// midnight when the start is timed); a date-time `until` is the end itself.
/// `None` when the period would end before it starts.
pub fn period_end(start: Moment, until: Moment, tz: Tz) -> Option<Moment> {
    let end = match (start, until) {
        (Moment::Day(_), Moment::Day(d)) => Moment::Day(d.succ_opt()?),
        (Moment::At(_), Moment::Day(d)) => Moment::At(Moment::Day(d.succ_opt()?).start_utc(tz)),
        // An all-day start with a timed end: the days it touches.
        (Moment::Day(_), Moment::At(t)) => {
            Moment::Day(t.with_timezone(&tz).date_naive().succ_opt()?)
        }
        (Moment::At(_), Moment::At(t)) => Moment::At(t),
    };
    (end.start_utc(tz) > start.start_utc(tz)).then_some(end)
}

/// `tbd` (any case): a date not decided yet.
pub fn is_tbd(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("tbd")
}

/// The file stem minus a leading `YYYY-MM-DD-`.
pub fn default_id(stem: &str) -> String {
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b[10] == b'-';
    if dated {
        stem[11..].to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> File<'static> {
        File {
            path: Path::new("content/x.md"),
            first_line: 2,
        }
    }

    /// A value as the front matter parser gives it, written on the YAML's first line.
    fn spanned<T: serde::de::DeserializeOwned>(yaml: &str) -> Spanned<T> {
        crate::yaml::parse(yaml, file().path, file().first_line).expect("test YAML parses")
    }

    fn day(text: &str) -> Moment {
        Moment::parse(text, Tz::UTC).expect("test date parses")
    }

    fn resolver(config: &SiteConfig) -> Resolver<'_> {
        Resolver {
            date: Some(day("2026-12-01")),
            timezone: Tz::UTC,
            config,
            team: "web",
            file: file(),
        }
    }

    fn rules(errors: &[Diagnostic]) -> Vec<&str> {
        errors.iter().map(|e| e.rule).collect()
    }

    #[test]
    fn id_comes_from_the_file_name_unless_written() {
        let mut errors = Vec::new();
        let written = spanned::<String>("payments");
        assert_eq!(
            resolve_id(Some(&written), "2026-12-01-x", file(), &mut errors),
            "payments"
        );
        assert_eq!(resolve_id(None, "2026-12-01-x", file(), &mut errors), "x");
        assert!(errors.is_empty());
        resolve_id(Some(&spanned("Pay_ments")), "x", file(), &mut errors);
        resolve_id(None, "Bad Name", file(), &mut errors);
        assert_eq!(rules(&errors), ["invalid-id", "invalid-id"]);
        assert_eq!(errors[0].position, Position::new(2, 1));
        assert_eq!(errors[1].position, Position::new(1, 1));
    }

    #[test]
    fn an_unknown_time_zone_is_an_error_and_falls_back_to_the_sites() {
        let config = SiteConfig::default();
        let mut errors = Vec::new();
        let berlin = spanned::<String>("Europe/Berlin");
        assert_eq!(
            resolve_timezone(Some(&berlin), file(), &config, &mut errors),
            chrono_tz::Europe::Berlin
        );
        assert_eq!(
            resolve_timezone(None, file(), &config, &mut errors),
            Tz::UTC
        );
        assert!(errors.is_empty());
        let mars = spanned::<String>("Mars/Base");
        assert_eq!(
            resolve_timezone(Some(&mars), file(), &config, &mut errors),
            Tz::UTC
        );
        assert_eq!(rules(&errors), ["invalid-value"]);
    }

    #[test]
    fn a_ship_date_that_does_not_parse_is_an_error() {
        let mut errors = Vec::new();
        let good = spanned::<String>("2026-12-01");
        let planned = Status::Planned;
        assert_eq!(
            resolve_date(&good, planned, Tz::UTC, file(), &mut errors),
            Ok(Some(day("2026-12-01")))
        );
        let tbd = spanned::<String>("TBD");
        assert_eq!(
            resolve_date(&tbd, planned, Tz::UTC, file(), &mut errors),
            Ok(None)
        );
        let bad = spanned::<String>("next tuesday");
        assert_eq!(
            resolve_date(&bad, planned, Tz::UTC, file(), &mut errors),
            Err(())
        );
        assert_eq!(rules(&errors), ["invalid-date"]);
        let shipped = Status::Shipped;
        assert_eq!(
            resolve_date(&tbd, shipped, Tz::UTC, file(), &mut errors),
            Ok(None)
        );
        assert_eq!(rules(&errors), ["invalid-date", "tbd-not-planned"]);
    }

    #[test]
    fn an_unknown_release_type_suggests_the_closest() {
        let config = SiteConfig::default();
        let mut errors = Vec::new();
        assert!(release_type(&spanned("minor"), file(), &config, &mut errors).is_some());
        assert!(release_type(&spanned("minr"), file(), &config, &mut errors).is_none());
        assert_eq!(rules(&errors), ["unknown-type"]);
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `minor`?"));
    }

    #[test]
    fn milestones_replace_the_types_by_name_then_add() {
        let config = SiteConfig::default();
        let minor = config.release_types.get("minor");
        let written = vec![
            spanned("{name: Final QA, date: 2026-11-20}"),
            spanned("{name: Demo, at: T+1d}"),
            spanned("{name: Both, at: T-1d, date: 2026-11-20}"),
        ];
        let mut errors = Vec::new();
        let got = resolve_milestones(minor, &written, &resolver(&config), &mut errors);
        let names: Vec<(&str, Option<Moment>, bool)> = got
            .iter()
            .map(|m| (m.name.as_str(), m.when, m.from_type))
            .collect();
        assert_eq!(
            names,
            [
                ("Final QA", Some(day("2026-11-20")), false),
                ("Post-launch review", Some(day("2026-12-08")), true),
                ("Demo", Some(day("2026-12-02")), false),
            ]
        );
        assert_eq!(rules(&errors), ["invalid-milestone"]);
    }

    #[test]
    fn stakeholders_default_to_the_types_and_must_be_known() {
        let config = SiteConfig::default();
        let minor = config.release_types.get("minor");
        let mut errors = Vec::new();
        let r = resolver(&config);
        let ids = |refs: Vec<StakeholderRef>| refs.into_iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(
            ids(resolve_stakeholders(None, minor, &r, &mut errors)),
            ["support", "csm"]
        );
        let written = [
            spanned::<StakeholderRef>("support"),
            spanned("{id: suport-team, at: T-1h}"),
        ];
        assert_eq!(
            ids(resolve_stakeholders(Some(&written), minor, &r, &mut errors)),
            ["support", "suport-team"]
        );
        assert_eq!(rules(&errors), ["unknown-stakeholder"]);
    }

    #[test]
    fn announce_is_at_t_unless_turned_off_or_moved() {
        let config = SiteConfig::default();
        let r = resolver(&config);
        let mut errors = Vec::new();
        assert_eq!(resolve_announce(None, &r, &mut errors), r.date);
        let off = spanned::<AnnounceField>("false");
        assert_eq!(resolve_announce(Some(&off), &r, &mut errors), None);
        let early = spanned::<AnnounceField>("T-1d");
        assert_eq!(
            resolve_announce(Some(&early), &r, &mut errors),
            Some(day("2026-11-30"))
        );
        assert!(errors.is_empty());
    }

    #[test]
    fn roadmap_true_means_quarter() {
        assert_eq!(roadmap_precision(None), None);
        assert_eq!(roadmap_precision(Some(RoadmapField::Flag(false))), None);
        assert_eq!(
            roadmap_precision(Some(RoadmapField::Flag(true))),
            Some(RoadmapPrecision::Quarter)
        );
    }

    #[test]
    fn phases_follow_one_another_from_t() {
        let config = SiteConfig::default();
        let raw: RawRollout = spanned::<RawRollout>(
            "phases: [{name: a, duration: 2d}, {name: b}, {name: c, duration: soon, percent: 120}]",
        )
        .value;
        let mut errors = Vec::new();
        let got = resolve_rollout(&raw, Position::new(3, 1), &resolver(&config), &mut errors);
        let spans: Vec<(Option<Moment>, Option<Moment>)> =
            got.phases.iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(
            spans,
            [
                (Some(day("2026-12-01")), Some(day("2026-12-03"))),
                (Some(day("2026-12-03")), None),
                (Some(day("2026-12-03")), None),
            ]
        );
        assert_eq!(rules(&errors), ["invalid-duration", "invalid-value"]);
    }

    #[test]
    fn gate_due_dates_and_metric_statuses_resolve() {
        let config = SiteConfig::default();
        let r = resolver(&config);
        let mut errors = Vec::new();
        let gates = [spanned("{name: QA, kind: technical, due: T-1w}")];
        let got = resolve_gates(&gates, &r, &mut errors);
        assert_eq!(got[0].due, Some(day("2026-11-24")));
        assert_eq!(got[0].due_text.as_deref(), Some("T-1w"));
        let metrics = [
            spanned("{name: a, target: \">= 10%\", actual: 12%}"),
            spanned("{name: b, actual: 12%}"),
        ];
        let got = resolve_metrics(&metrics, &r, &mut errors);
        assert_ne!(got[0].status, MetricStatus::Pending);
        assert_eq!(got[1].status, MetricStatus::Pending);
        assert_eq!(rules(&errors), ["invalid-metric"]);
    }

    #[test]
    fn default_id_strips_a_date_prefix() {
        assert_eq!(default_id("2026-12-01-payments-v2"), "payments-v2");
        assert_eq!(default_id("payments-v2"), "payments-v2");
        assert_eq!(default_id("2026-12-01"), "2026-12-01");
    }
}
