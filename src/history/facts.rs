//! Facts about one release file from its changes: commit times and count,
//! every ship-date change (slips) and the late scope changes.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::cache::{ScopeDiff, pair};
use super::files::FileLog;
use super::log::{ChangeKind, RawChange, RawCommit};
use super::version::{DateFact, Shape};
use crate::content::Release;
use crate::moment::Moment;

/// A change of ship date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slip {
    /// The date before.
    pub from: Moment,
    /// The date after.
    pub to: Moment,
    /// Commit time.
    pub at: DateTime<Utc>,
    /// Commit author.
    pub author: String,
    /// Commit id.
    pub commit: String,
}

/// A commit close to the ship date that changed the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LateChange {
    /// Commit time (the build's "now" for uncommitted edits).
    pub at: DateTime<Utc>,
    /// Commit author; empty for uncommitted edits.
    pub author: String,
    /// Commit id; `None` for uncommitted edits in the working tree.
    pub commit: Option<String>,
    /// Front-matter keys it changed.
    pub keys: Vec<String>,
    /// Body sections (by heading) it changed.
    pub sections: Vec<String>,
}

/// What git knows about one release file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileHistory {
    /// Time of the commit that created it; `None` when a shallow clone cut it off.
    pub created: Option<DateTime<Utc>>,
    /// Author of the commit that created it; `None` when a shallow clone cut it off.
    pub created_by: Option<String>,
    /// Time of the last commit that changed it.
    pub modified: Option<DateTime<Utc>>,
    /// Commits that changed it (renames followed).
    pub commits: u32,
    /// The whole history is there (not cut by a shallow clone).
    pub complete: bool,
    /// The working tree differs from the last commit (or the file is not committed).
    pub dirty: bool,
    /// The ship date of the first commit.
    pub first_date: Option<Moment>,
    /// Every ship-date change, oldest first.
    pub slips: Vec<Slip>,
    /// Changes within `late_change_days` before the ship date, oldest first.
    pub late: Vec<LateChange>,
    /// The SEQUENCE the external feed must pass: its launch came back after a
    /// cancellation published with a SEQUENCE below this (an announcement
    /// withdrawn and made again, a file deleted and made anew), however long
    /// ago; 0 when it never did.
    pub public_floor: u32,
    /// When the launch last came back after such a cancellation.
    pub public_back: Option<DateTime<Utc>>,
}

/// Everything [`file_history`] reads besides the file's own log.
pub struct Context<'a> {
    /// The walk.
    pub commits: &'a [RawCommit],
    /// `date`/`timezone` per blob.
    pub dates: &'a HashMap<String, DateFact>,
    /// Texts of the blobs read this build.
    pub texts: &'a HashMap<String, String>,
    /// Scope changes by blob pair (see [`super::cache::pair`]).
    pub late: &'a HashMap<String, ScopeDiff>,
    /// Commits at which a shallow clone is cut.
    pub cuts: &'a [String],
    /// The site's time zone (for dates written without one).
    pub site_tz: Tz,
    /// `late_change_days`.
    pub late_days: u32,
    /// The build's "now".
    pub now: DateTime<Utc>,
}

/// The window in which a change to `r` is late: from `days` before the
/// ship date until it ships (the end of the day for all-day dates); an
/// undecided (`tbd`) release has none, so nothing about it is late.
pub fn late_window(r: &Release, days: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let Some(date) = r.date else {
        return (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MAX_UTC);
    };
    let start = date.start_utc(r.timezone);
    let end = match date {
        Moment::Day(d) => Moment::Day(d.succ_opt().unwrap_or(d)).start_utc(r.timezone),
        Moment::At(t) => t,
    };
    (start - Duration::days(i64::from(days)), end)
}

/// `(commit index, old blob, new blob)` of the commits inside `r`'s late
/// window (creations left out: planning a release is not changing it).
pub fn late_pairs<'a>(
    log: &FileLog,
    commits: &'a [RawCommit],
    r: &Release,
    days: u32,
) -> Vec<(usize, &'a str, &'a str)> {
    let (from, to) = late_window(r, days);
    log.changes
        .iter()
        .filter_map(|&(ci, xi)| {
            let change = &commits[ci].changes[xi];
            let t = time(&commits[ci]);
            if change.kind == ChangeKind::Added || t < from || t >= to {
                return None;
            }
            Some((ci, change.old_blob.as_deref()?, change.new_blob.as_deref()?))
        })
        .collect()
}

/// The last committed blob of a dirty file whose late window holds "now":
/// the uncommitted edits are compared with it.
pub fn dirty_base<'a>(
    log: &FileLog,
    commits: &'a [RawCommit],
    r: &Release,
    days: u32,
    now: DateTime<Utc>,
) -> Option<&'a str> {
    let (from, to) = late_window(r, days);
    let &(ci, xi) = log.changes.last()?;
    (now >= from && now < to)
        .then(|| commits[ci].changes[xi].new_blob.as_deref())
        .flatten()
}

fn time(c: &RawCommit) -> DateTime<Utc> {
    DateTime::from_timestamp(c.time, 0).unwrap_or_default()
}

fn moment(fact: Option<&DateFact>, site_tz: Tz) -> Option<Moment> {
    let fact = fact?;
    let tz = fact
        .timezone
        .as_deref()
        .and_then(|t| t.parse::<Tz>().ok())
        .unwrap_or(site_tz);
    Moment::parse(fact.date.as_deref()?, tz).ok()
}

/// The history of release `r`'s file; `worktree` is its text when it is
/// dirty; `inherited` commits of deleted files at its path count too (see
/// [`super::files::inherited`]).
pub fn file_history(
    log: Option<&FileLog>,
    inherited: u32,
    r: &Release,
    cx: &Context,
    dirty: bool,
    worktree: Option<&str>,
) -> FileHistory {
    let Some(log) = log.filter(|l| !l.changes.is_empty()) else {
        return FileHistory {
            dirty,
            ..FileHistory::default()
        };
    };
    let change = |&(ci, xi): &(usize, usize)| (&cx.commits[ci], &cx.commits[ci].changes[xi]);
    let (first_commit, first) = change(&log.changes[0]);
    let complete = first.kind == ChangeKind::Added && !cx.cuts.contains(&first_commit.id);
    let slips = slips(log, cx);
    let (_, last) = change(&log.changes[log.changes.len() - 1]);
    let late = late_changes(log, r, cx, last, dirty, worktree);
    let (public_floor, public_back) = comeback(log, inherited, cx);

    FileHistory {
        created: complete.then(|| time(first_commit)),
        created_by: complete.then(|| first_commit.author.clone()),
        // The newest commit time, not the last commit's: a commit with an
        // older date (a rebase, a skewed clock) must not move LAST-MODIFIED back.
        modified: log
            .changes
            .iter()
            .map(|&(ci, _)| time(&cx.commits[ci]))
            .max(),
        commits: u32::try_from(log.changes.len())
            .unwrap_or(u32::MAX)
            .saturating_add(inherited),
        complete,
        dirty,
        first_date: if complete {
            date_of(cx, &first.new_blob)
        } else {
            None
        },
        slips,
        late,
        public_floor,
        public_back,
    }
}

/// The external SEQUENCE floor and time of the last comeback (see
/// [`FileHistory::public_floor`]). A cancellation goes out one above the
/// file's count at the commit that made it (`past`); a release made anew
/// inherits the deleted files' counts, and a version that may be public
/// again after one that may not (`DateFact::may_be_public`) comes back.
fn comeback(log: &FileLog, inherited: u32, cx: &Context) -> (u32, Option<DateTime<Utc>>) {
    let created = log.changes.first().map(|&(ci, _)| time(&cx.commits[ci]));
    let (mut floor, mut back) = match inherited {
        0 => (0, None),
        n => (n.saturating_add(1), created),
    };
    let mut was_public = false;
    let mut withdrawn: Option<usize> = None;
    for (pos, &(ci, xi)) in log.changes.iter().enumerate() {
        let blob = cx.commits[ci].changes[xi].new_blob.as_deref();
        let public = blob
            .and_then(|b| cx.dates.get(b))
            .is_some_and(DateFact::may_be_public);
        match (was_public, public) {
            (true, false) => withdrawn = Some(pos),
            (false, true) => {
                if let Some(p) = withdrawn.take() {
                    let above = u32::try_from(p + 2).unwrap_or(u32::MAX);
                    floor = floor.max(above.saturating_add(inherited));
                    back = Some(time(&cx.commits[ci]));
                }
            }
            _ => {}
        }
        was_public = public;
    }
    (floor, back)
}

/// The ship date a stored version of the file gives, if known.
fn date_of(cx: &Context, blob: &Option<String>) -> Option<Moment> {
    moment(blob.as_deref().and_then(|b| cx.dates.get(b)), cx.site_tz)
}

/// Every commit that changed the file's ship date, oldest first.
fn slips(log: &FileLog, cx: &Context) -> Vec<Slip> {
    let mut slips = Vec::new();
    for &(ci, xi) in &log.changes {
        let (commit, ch) = (&cx.commits[ci], &cx.commits[ci].changes[xi]);
        if let (Some(from), Some(to)) = (date_of(cx, &ch.old_blob), date_of(cx, &ch.new_blob))
            && from != to
        {
            slips.push(Slip {
                from,
                to,
                at: time(commit),
                author: commit.author.clone(),
                commit: commit.id.clone(),
            });
        }
    }
    slips
}

/// The scope changes inside `r`'s late window: committed ones, then the
/// uncommitted edits (`worktree`, when dirty) against the `last` committed change.
fn late_changes(
    log: &FileLog,
    r: &Release,
    cx: &Context,
    last: &RawChange,
    dirty: bool,
    worktree: Option<&str>,
) -> Vec<LateChange> {
    let text = |blob: &Option<String>| blob.as_deref().and_then(|b| cx.texts.get(b));
    let mut late = Vec::new();
    for (ci, old, new) in late_pairs(log, cx.commits, r, cx.late_days) {
        let Some((keys, sections)) = cx.late.get(&pair(old, new)) else {
            continue;
        };
        if keys.is_empty() && sections.is_empty() {
            continue;
        }
        let commit = &cx.commits[ci];
        late.push(LateChange {
            at: time(commit),
            author: commit.author.clone(),
            commit: Some(commit.id.clone()),
            keys: keys.clone(),
            sections: sections.clone(),
        });
    }
    if dirty
        && dirty_base(log, cx.commits, r, cx.late_days, cx.now).is_some()
        && let (Some(head), Some(work)) = (text(&last.new_blob), worktree)
    {
        let (keys, sections) = Shape::of(head).scope_changes(&Shape::of(work));
        if !keys.is_empty() || !sections.is_empty() {
            late.push(LateChange {
                at: cx.now,
                author: String::new(),
                commit: None,
                keys,
                sections,
            });
        }
    }

    late
}
