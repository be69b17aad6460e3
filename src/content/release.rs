//! The typed release model: front matter resolved against the site config.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Serialize;
use serde_saphyr::Spanned;

use super::frontmatter::{
    AnnounceField, FrontMatter, GateKind, GateStatus, Outcome, RawGate, RawMetric, RawMilestone,
    RawRollout, Risk, RoadmapField, RoadmapPrecision, Rollback, Status, Strategy,
};
use super::markdown::Body;
use crate::config::{SiteConfig, is_id};
use crate::diagnostic::{Diagnostic, Position, did_you_mean};
use crate::metrics::target::{Bands, MetricError, MetricStatus, Quantity, Target};
use crate::moment::Moment;
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
    /// When.
    pub when: Moment,
    /// The offset it was given as, if any.
    pub offset: Option<Offset>,
    /// Comes from the release type's defaults.
    pub from_type: bool,
}

/// A resolved rollout phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// Name.
    pub name: String,
    /// Share of users.
    pub percent: Option<f64>,
    /// Start.
    pub start: Moment,
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
    /// Ship date ("T").
    pub date: Moment,
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
        self.has_shipped()
            .then(|| self.ship_day() <= first.local_date(self.timezone))
    }

    /// How many times the ship date changed in committed history (0 without git).
    pub fn slips(&self) -> usize {
        self.slips
    }

    /// The ship date's calendar day in the release's time zone.
    pub fn ship_day(&self) -> chrono::NaiveDate {
        self.date.local_date(self.timezone)
    }
}

/// Converts a file line inside the YAML (1-based) to a file position.
fn at<T>(spanned: &Spanned<T>, first_line: u64) -> Position {
    Position::new(
        first_line + spanned.referenced.line().max(1) - 1,
        spanned.referenced.column().max(1),
    )
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

/// Resolves parsed front matter and body into a [`Release`], collecting every problem.
pub fn resolve(
    fm: FrontMatter,
    body: Body,
    src: Source<'_>,
    config: &SiteConfig,
) -> Result<Release, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let path = src.path;
    let err =
        |rule: &'static str, pos: Position, msg: String| Diagnostic::error(rule, path, pos, msg);

    let id = match &fm.id {
        Some(id) => {
            if !is_id(&id.value) {
                errors.push(
                    err(
                        "invalid-id",
                        at(id, src.first_line),
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
            let derived = default_id(src.stem);
            if !is_id(&derived) {
                errors.push(
                    err(
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
    };

    let timezone = match &fm.timezone {
        Some(tz) => tz.value.parse::<Tz>().unwrap_or_else(|_| {
            errors.push(
                err(
                    "invalid-value",
                    at(tz, src.first_line),
                    format!("unknown time zone `{}`", tz.value),
                )
                .with_hint("use an IANA name such as `Europe/Berlin`"),
            );
            config.timezone
        }),
        None => config.timezone,
    };

    let date_pos = at(&fm.date, src.first_line);
    let date = match Moment::parse(&fm.date.value, timezone) {
        Ok(m) => m,
        Err(e) => {
            errors.push(err("invalid-date", date_pos, e.to_string()).with_hint(
                "write the date as `2026-12-01`, `2026-12-01T14:00` or `2026-12-01T14:00:00Z`",
            ));
            return Err(errors);
        }
    };
    let resolver = Resolver {
        date,
        timezone,
        config,
        path,
    };
    let resolve_when =
        |text: &str, pos: Position, errors: &mut Vec<Diagnostic>| resolver.when(text, pos, errors);

    let kind = fm.kind.value.clone();
    let release_type = config.release_types.get(&kind);
    if release_type.is_none() {
        let known: Vec<&str> = config.release_types.keys().map(String::as_str).collect();
        let hint = match did_you_mean(&kind, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of: {}", known.join(", ")),
        };
        errors.push(
            err(
                "unknown-type",
                at(&fm.kind, src.first_line),
                format!("unknown release type `{kind}`"),
            )
            .with_hint(hint),
        );
    }

    // Milestones: the type's defaults, replaced by same-named ones, then additions.
    let mut milestones: Vec<Milestone> = release_type
        .map(|t| {
            t.milestones
                .iter()
                .map(|m| Milestone {
                    name: m.name.clone(),
                    when: date.offset_by(m.at, timezone, config),
                    offset: Some(m.at),
                    from_type: true,
                })
                .collect()
        })
        .unwrap_or_default();
    for sm in &fm.milestones {
        let pos = at(sm, src.first_line);
        let RawMilestone {
            name,
            at: offset,
            date: day,
        } = &sm.value;
        let text = match (offset, day) {
            (Some(o), None) => o,
            (None, Some(d)) => d,
            _ => {
                errors.push(
                    err(
                        "invalid-milestone",
                        pos,
                        format!("milestone `{name}` needs exactly one of `at` or `date`"),
                    )
                    .with_hint("write `{name: X, at: T-1w}` or `{name: X, date: 2026-11-20}`"),
                );
                continue;
            }
        };
        if let Some((when, offset)) = resolve_when(text, pos, &mut errors) {
            let m = Milestone {
                name: name.clone(),
                when,
                offset,
                from_type: false,
            };
            match milestones.iter_mut().find(|x| x.name == *name) {
                Some(existing) => *existing = m,
                None => milestones.push(m),
            }
        }
    }

    let stakeholders: Vec<String> = match &fm.stakeholders {
        Some(list) => {
            for s in list {
                if !config.stakeholders.contains_key(&s.value) {
                    let known: Vec<&str> = config.stakeholders.keys().map(String::as_str).collect();
                    let hint = match did_you_mean(&s.value, known.iter().copied()) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!(
                            "known groups: {}; add new ones under `stakeholders:` in shipdate.yaml",
                            known.join(", ")
                        ),
                    };
                    errors.push(
                        err(
                            "unknown-stakeholder",
                            at(s, src.first_line),
                            format!("unknown stakeholder group `{}`", s.value),
                        )
                        .with_hint(hint),
                    );
                }
            }
            list.iter().map(|s| s.value.clone()).collect()
        }
        None => release_type
            .map(|t| t.stakeholders.clone())
            .unwrap_or_default(),
    };

    let announce = match &fm.announce {
        None => Some(date),
        Some(a) => match &a.value {
            AnnounceField::Flag(false) => None,
            AnnounceField::Flag(true) => Some(date),
            AnnounceField::Date(text) => {
                resolve_when(text, at(a, src.first_line), &mut errors).map(|(m, _)| m)
            }
        },
    };

    let roadmap = match fm.roadmap {
        None | Some(RoadmapField::Flag(false)) => None,
        Some(RoadmapField::Flag(true)) => Some(RoadmapPrecision::Quarter),
        Some(RoadmapField::Precision(p)) => Some(p),
    };

    let rollout = fm.rollout.as_ref().map(|r| {
        let pos = at(r, src.first_line);
        resolve_rollout(&r.value, pos, &resolver, &mut errors)
    });

    let gates = fm
        .gates
        .iter()
        .map(|g| {
            let pos = at(g, src.first_line);
            let RawGate {
                name,
                kind,
                status,
                evidence,
                due,
                owner,
            } = g.value.clone();
            let due_at = due
                .as_deref()
                .and_then(|d| resolve_when(d, pos, &mut errors))
                .map(|(m, _)| m);
            Gate {
                name,
                kind,
                status,
                evidence,
                due: due_at,
                due_text: due,
                owner,
                position: pos,
            }
        })
        .collect();

    let metrics = fm
        .metrics
        .iter()
        .map(|m| {
            let position = at(m, src.first_line);
            let status = metric_status(&m.value, config, position, path, &mut errors);
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
        .collect();

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Release {
        id,
        path: path.to_path_buf(),
        title: fm.title,
        version: fm.version,
        team: fm.team.value,
        teams: fm.teams.into_iter().map(|t| t.value).collect(),
        kind,
        status: fm.status,
        date,
        timezone,
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
                position: at(d, src.first_line),
            })
            .collect(),
        tags: fm.tags,
        milestones,
        stakeholders,
        announce,
        roadmap,
        rollout,
        rollback: fm.rollback,
        gates,
        metrics,
        outcome: fm.outcome,
        extra: fm.extra,
        slips: 0,
        first_planned_date: None,
        body,
        positions: src.positions,
    })
}

fn resolve_rollout(
    raw: &RawRollout,
    pos: Position,
    resolver: &Resolver,
    errors: &mut Vec<Diagnostic>,
) -> Rollout {
    let Resolver {
        date,
        timezone,
        config,
        path,
    } = *resolver;
    let mut phases: Vec<Phase> = Vec::new();
    for p in &raw.phases {
        let start = match &p.at {
            Some(text) => resolver.when(text, pos, errors).map(|(m, _)| m),
            // After the previous phase: at its end, or at its start when
            // it has no duration; the first phase starts at T.
            None => Some(
                phases
                    .last()
                    .map(|prev| prev.end.unwrap_or(prev.start))
                    .unwrap_or(date),
            ),
        };
        let Some(start) = start else { continue };
        let end =
            p.duration
                .as_deref()
                .and_then(|d| match Offset::parse(&format!("T+{}", d.trim())) {
                    Ok(o) if o.amount > 0 => Some(start.offset_by(o, timezone, config)),
                    _ => {
                        errors.push(
                            Diagnostic::error(
                                "invalid-duration",
                                path,
                                pos,
                                format!("phase `{}`: `{d}` is not a duration", p.name),
                            )
                            .with_hint("write durations like `30m`, `4h`, `2d`, `1w` or `5b`"),
                        );
                        None
                    }
                });
        if let Some(percent) = p.percent
            && !(0.0..=100.0).contains(&percent)
        {
            errors.push(
                Diagnostic::error(
                    "invalid-value",
                    path,
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
    date: Moment,
    timezone: Tz,
    config: &'a SiteConfig,
    path: &'a Path,
}

impl Resolver<'_> {
    /// An offset from the ship date or an absolute date; errors are pushed, located at `pos`.
    fn when(
        &self,
        text: &str,
        pos: Position,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<(Moment, Option<Offset>)> {
        let err = |rule: &'static str, msg: String| Diagnostic::error(rule, self.path, pos, msg);
        if text.trim_start().starts_with('T') {
            match Offset::parse(text) {
                Ok(o) => Some((self.date.offset_by(o, self.timezone, self.config), Some(o))),
                Err(e) => {
                    errors.push(err("invalid-offset", e.to_string()).with_hint("offsets count from the ship date: `T-2w`, `T+3d`, `T-10b` (business days), `T+4h`"));
                    None
                }
            }
        } else {
            match Moment::parse(text, self.timezone) {
                Ok(m) => Some((m, None)),
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

    #[test]
    fn default_id_strips_a_date_prefix() {
        assert_eq!(default_id("2026-12-01-payments-v2"), "payments-v2");
        assert_eq!(default_id("payments-v2"), "payments-v2");
        assert_eq!(default_id("2026-12-01"), "2026-12-01");
    }
}
