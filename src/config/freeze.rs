//! Freeze windows (`freeze:`): reading, checking, and asking whether a moment is frozen.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::SiteConfig;
use crate::diagnostic::{Diagnostic, Position};
use crate::moment::Moment;

/// A blackout window: nothing may ship between `start` and `end` (inclusive).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FreezeWindow {
    /// Display name.
    pub name: String,
    /// First frozen day (in the site's time zone).
    pub start: NaiveDate,
    /// Last frozen day (in the site's time zone).
    pub end: NaiveDate,
    /// The instant the freeze begins, when `start` has a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_at: Option<DateTime<Utc>>,
    /// The last frozen instant, when `end` has a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_at: Option<DateTime<Utc>>,
    /// Only these teams' releases are frozen; empty means every team.
    pub teams: Vec<String>,
    /// Release types that may ship inside; `None` means [`DEFAULT_FREEZE_ALLOW`].
    pub allow: Option<Vec<String>>,
}

/// A freeze window as written: bounds are text until the site's zone is known.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFreezeWindow {
    name: String,
    start: Spanned<String>,
    end: Spanned<String>,
    #[serde(default)]
    teams: Vec<String>,
    #[serde(default)]
    allow: Option<Vec<String>>,
}

/// Release types a freeze lets through unless it says `allow:`.
pub const DEFAULT_FREEZE_ALLOW: [&str; 1] = ["hotfix"];

impl FreezeWindow {
    /// True when `day` falls inside the window (wholly or in part).
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// True when a bound has a time of day.
    pub fn is_timed(&self) -> bool {
        self.start_at.is_some() || self.end_at.is_some()
    }

    /// True when a release at `when` (on the local `day`) ships inside the
    /// window: a timed release is compared by instant with a timed window,
    /// whose date-only bound covers its whole day in `site_tz`.
    pub fn covers(&self, when: &Moment, day: NaiveDate, site_tz: Tz) -> bool {
        match when {
            Moment::At(t) if self.is_timed() => {
                *t >= self.start_instant(site_tz) && *t < self.end_instant(site_tz)
            }
            _ => self.contains(day),
        }
    }

    /// The first frozen instant.
    pub fn start_instant(&self, site_tz: Tz) -> DateTime<Utc> {
        self.start_at
            .unwrap_or_else(|| Moment::Day(self.start).start_utc(site_tz))
    }

    /// The instant the freeze lifts (exclusive): after `end`'s time, or
    /// after the whole last day.
    pub fn end_instant(&self, site_tz: Tz) -> DateTime<Utc> {
        match self.end_at {
            Some(t) => t + chrono::Duration::seconds(1),
            None => Moment::Day(self.end.succ_opt().unwrap_or(self.end)).start_utc(site_tz),
        }
    }

    /// The first bound as written for people: a day, or a day and a time.
    pub fn start_text(&self, site_tz: Tz) -> String {
        bound_text(self.start, self.start_at, site_tz)
    }

    /// The last bound as written for people: a day, or a day and a time.
    pub fn end_text(&self, site_tz: Tz) -> String {
        bound_text(self.end, self.end_at, site_tz)
    }

    /// True when the window applies to every team (no `teams:`).
    pub fn is_site_wide(&self) -> bool {
        self.teams.is_empty()
    }

    /// True when the window applies to `team` (`None`: to everyone, which
    /// only a site-wide window does).
    pub fn scopes(&self, team: Option<&str>) -> bool {
        self.is_site_wide() || team.is_some_and(|team| self.teams.iter().any(|t| t == team))
    }

    /// True when a release of `team` and type `kind` may not ship inside.
    pub fn binds(&self, team: &str, kind: &str) -> bool {
        let in_scope = self.scopes(Some(team));
        let allowed = match &self.allow {
            Some(list) => list.iter().any(|k| k == kind),
            None => DEFAULT_FREEZE_ALLOW.contains(&kind),
        };
        in_scope && !allowed
    }
}

fn bound_text(day: NaiveDate, at: Option<DateTime<Utc>>, tz: Tz) -> String {
    match at {
        Some(t) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
        None => day.to_string(),
    }
}

/// Reads one bound in the site's zone: its local day and, when timed, its instant.
fn bound(
    written: &Spanned<String>,
    key: &str,
    name: &str,
    tz: Tz,
    path: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<(NaiveDate, Option<DateTime<Utc>>)> {
    match Moment::parse(&written.value, tz) {
        Ok(Moment::Day(d)) => Some((d, None)),
        Ok(m @ Moment::At(t)) => Some((m.local_date(tz), Some(t))),
        Err(e) => {
            let at = Position::new(
                written.referenced.line().max(1),
                written.referenced.column().max(1),
            );
            errors.push(
                Diagnostic::error(
                    "invalid-value",
                    path,
                    at,
                    format!("freeze window `{name}` has a bad `{key}`: {e}"),
                )
                .with_hint(
                    "write a date like `2027-03-01` or a date and time like `2027-03-01T12:00Z`",
                ),
            );
            None
        }
    }
}

/// Reads and checks `freeze:` against the teams, types and zone in `config`.
pub(super) fn resolve(
    written: Vec<RawFreezeWindow>,
    config: &SiteConfig,
    path: &Path,
    at: Position,
    errors: &mut Vec<Diagnostic>,
) -> Vec<FreezeWindow> {
    let tz = config.timezone;
    let mut windows = Vec::new();
    for raw in written {
        let start = bound(&raw.start, "start", &raw.name, tz, path, errors);
        let end = bound(&raw.end, "end", &raw.name, tz, path, errors);
        let (Some((start, start_at)), Some((end, end_at))) = (start, end) else {
            continue;
        };
        let window = FreezeWindow {
            name: raw.name,
            start,
            end,
            start_at,
            end_at,
            teams: raw.teams,
            allow: raw.allow,
        };
        if window.end < window.start || window.end_instant(tz) <= window.start_instant(tz) {
            // At the window's own `end`, not the `freeze:` key: a list of
            // windows says which one.
            let at = Position::new(
                raw.end.referenced.line().max(1),
                raw.end.referenced.column().max(1),
            );
            errors.push(
                Diagnostic::error(
                    "invalid-value",
                    path,
                    at,
                    format!("freeze window `{}` ends before it starts", window.name),
                )
                .with_hint("swap `start` and `end`"),
            );
        }
        windows.push(window);
    }
    check(&windows, config, path, at, errors);
    windows
}

/// A freeze window must name known teams and types.
fn check(
    windows: &[FreezeWindow],
    config: &SiteConfig,
    path: &Path,
    at: Position,
    errors: &mut Vec<Diagnostic>,
) {
    for w in windows {
        for t in &w.teams {
            if !config.teams.is_empty() && config.team(t).is_none() {
                errors.push(
                    Diagnostic::error(
                        "unknown-team",
                        path,
                        at,
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
                        at,
                        format!(
                            "freeze window `{}` allows unknown release type `{k}`",
                            w.name
                        ),
                    )
                    .with_hint(
                        "use a type from `release_types:` (hotfix, patch, minor, major, launch)",
                    ),
                );
            }
        }
    }
}
