//! Recent past versions, parsed like the working tree: what each recent
//! commit did to the schedule (the changes page) and which events it removed
//! (tombstones, SPEC §4.1).
//!
//! Only commits of the last [`super::RECENT_DAYS`] days are parsed, so the
//! cost follows the recent commit rate, not the size of the history.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;
use serde::Serialize;

use super::files::FileLog;
use super::log::{RawChange, RawCommit};
use crate::config::SiteConfig;
use crate::content::{self, Release};
use crate::moment::Moment;
use crate::schedule::{self, Event, EventKind};

/// How one event changed in a commit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventChange {
    /// Kind of event.
    pub kind: EventKind,
    /// Its name, e.g. "Code freeze".
    pub name: String,
    /// Its calendar UID.
    pub uid: String,
    /// When it was before; `None` when the commit added it.
    pub from: Option<Moment>,
    /// When it is after; `None` when the commit removed it.
    pub to: Option<Moment>,
}

/// What a commit did to a release, as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The release appeared (new file, or it became readable or left draft).
    Created,
    /// The release disappeared (file deleted, unreadable, or made a draft).
    Deleted,
    /// Its id changed (file renamed): every event has a new UID.
    Renamed,
    /// Events moved, appeared or disappeared.
    Edited,
}

/// One commit's schedule change to one release, for the changes page and feed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Commit time.
    pub at: DateTime<Utc>,
    /// Commit author.
    pub author: String,
    /// Commit id.
    pub commit: String,
    /// What happened.
    pub kind: ChangeKind,
    /// Release id after the commit (before it, when deleted).
    pub release_id: String,
    /// Release id before a rename.
    pub renamed_from: Option<String>,
    /// Release title.
    pub title: String,
    /// The release's time zone, for showing moments.
    #[serde(skip)]
    pub timezone: Tz,
    /// Ship date after the commit (before it, when deleted); `None` while `tbd`.
    pub ship: Option<Moment>,
    /// Event changes, ship date first; empty for created, deleted and renamed releases.
    pub events: Vec<EventChange>,
}

/// The release an event belonged to, as last seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastRelease {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Version.
    pub version: Option<String>,
    /// Customer-facing summary.
    pub summary: Option<String>,
    /// Owning team.
    pub team: String,
    /// All teams.
    pub teams: Vec<String>,
    /// Release type.
    pub kind: String,
    /// Stakeholder groups notified.
    pub stakeholders: Vec<String>,
    /// Time zone.
    #[serde(skip)]
    pub timezone: Tz,
}

/// An event a commit removed: kept in the feeds as cancelled for a while.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tombstone {
    /// Its calendar UID.
    pub uid: String,
    /// Removed from the external feed (an announced launch); else from the internal ones.
    pub external: bool,
    /// The event as last published.
    pub event: Event,
    /// Its release as last published.
    pub release: PastRelease,
    /// When the removing commit was made.
    pub removed_at: DateTime<Utc>,
    /// Who made it.
    pub removed_by: String,
    /// The file's commit count at the removing commit: above any SEQUENCE the event had.
    pub sequence: u32,
}

/// What the recent-version pass reads.
pub struct Input<'a> {
    /// Every file's changes.
    pub logs: &'a [FileLog],
    /// The walk.
    pub commits: &'a [RawCommit],
    /// Text of every blob needed, by id.
    pub texts: &'a HashMap<String, String>,
    /// Site root relative to the repository top.
    pub prefix: &'a str,
    /// Site configuration.
    pub config: &'a SiteConfig,
    /// The build's "now".
    pub now: DateTime<Utc>,
    /// Drafts are built.
    pub drafts: bool,
    /// Commits before this are not looked at.
    pub since: i64,
}

/// One parsed version: its release, events by UID and the UIDs it publishes externally.
struct Version {
    parsed: Arc<Parsed>,
    external: Vec<String>,
}

/// What parsing a version gives, whatever "now" is: its release and events by UID.
#[derive(Debug)]
pub(super) struct Parsed {
    release: Release,
    events: BTreeMap<String, Event>,
}

/// The versions parsed by the previous build of a `serve` session, by (blob,
/// repository path): a blob's text never changes, so while the settings
/// parsing reads are the same only versions not parsed yet are read and
/// parsed (the commits since the previous rebuild), whether HEAD moved or not.
#[derive(Debug, Default)]
pub(super) struct Kept {
    /// The settings the versions were parsed with (configuration, drafts, prefix).
    key: String,
    versions: HashMap<(String, String), Option<Arc<Parsed>>>,
}

impl Kept {
    /// The kept versions, if they were parsed with these settings.
    pub(super) fn at(self, config: &SiteConfig, drafts: bool, prefix: &str) -> Option<Self> {
        (!self.key.is_empty() && self.key == key(config, drafts, prefix)).then_some(self)
    }

    fn get(&self, blob: &str, path: &str) -> Option<Option<Arc<Parsed>>> {
        self.versions
            .get(&(blob.to_string(), path.to_string()))
            .cloned()
    }
}

/// The settings parsing a version reads; empty when the configuration cannot be written out.
fn key(config: &SiteConfig, drafts: bool, prefix: &str) -> String {
    serde_json::to_string(config).map_or_else(
        |_| String::new(),
        |config| format!("{drafts}\n{prefix}\n{config}"),
    )
}

/// A change to look at: (file, position in its log, commit, change).
type Recent = (usize, usize, usize, usize);

/// The blobs whose text the recent pass needs, leaving out the versions
/// parsed already (`kept`).
pub fn wanted<'a>(
    logs: &'a [FileLog],
    commits: &'a [RawCommit],
    since: i64,
    kept: Option<&Kept>,
) -> Vec<&'a str> {
    let parsed = |blob: &str, path: &str| kept.is_some_and(|k| k.get(blob, path).is_some());
    let mut out = Vec::new();
    for (_, _, ci, xi) in recent(logs, commits, since) {
        for (blob, path) in versions_of(&commits[ci].changes[xi]) {
            if !parsed(blob, path) {
                out.push(blob);
            }
        }
    }
    out
}

/// The versions before and after `change`: (blob, repository path).
fn versions_of(change: &RawChange) -> impl Iterator<Item = (&str, &str)> {
    let before = change
        .old_blob
        .as_deref()
        .map(|b| (b, change.old_path.as_deref().unwrap_or(&change.path)));
    let after = change
        .new_blob
        .as_deref()
        .map(|b| (b, change.path.as_str()));
    before.into_iter().chain(after)
}

fn recent<'a>(
    logs: &'a [FileLog],
    commits: &'a [RawCommit],
    since: i64,
) -> impl Iterator<Item = Recent> + 'a {
    logs.iter().enumerate().flat_map(move |(fi, log)| {
        log.changes
            .iter()
            .enumerate()
            .filter(move |(_, (ci, _))| commits[*ci].time >= since)
            .map(move |(pos, &(ci, xi))| (fi, pos, ci, xi))
    })
}

/// Schedule changes (newest first) and tombstone candidates of the recent
/// commits, and the parsed versions to keep for the next build. A version
/// in `kept` is not parsed again.
pub fn scan(input: &Input, kept: Option<Kept>) -> (Vec<Change>, Vec<Tombstone>, Kept) {
    let recent: Vec<Recent> = recent(input.logs, input.commits, input.since).collect();
    // Every (blob, path) once, parsed in parallel: the id depends on the path.
    let keys: HashSet<(&str, &str)> = recent
        .iter()
        .flat_map(|&(_, _, ci, xi)| versions_of(&input.commits[ci].changes[xi]))
        .collect();
    let keys: Vec<(&str, &str)> = keys.into_iter().collect();
    let kept = kept.and_then(|k| k.at(input.config, input.drafts, input.prefix));
    let parsed: Vec<Option<Arc<Parsed>>> = keys
        .par_iter()
        .map(|&(blob, path)| {
            kept.as_ref()
                .and_then(|k| k.get(blob, path))
                .unwrap_or_else(|| parse(input, blob, path).map(Arc::new))
        })
        .collect();
    let versions: HashMap<(&str, &str), Version> = keys
        .iter()
        .zip(&parsed)
        .filter_map(|(&k, p)| Some((k, version(input, p.clone()?))))
        .collect();
    let keep = Kept {
        key: key(input.config, input.drafts, input.prefix),
        versions: keys
            .iter()
            .map(|&(b, p)| (b.to_string(), p.to_string()))
            .zip(parsed)
            .collect(),
    };

    let mut changes = Vec::new();
    let mut tombstones: HashMap<(String, bool), Tombstone> = HashMap::new();
    for (_, pos, ci, xi) in recent {
        let commit = &input.commits[ci];
        let change = &commit.changes[xi];
        let before = change
            .old_blob
            .as_deref()
            .and_then(|b| versions.get(&(b, change.old_path.as_deref().unwrap_or(&change.path))));
        let after = change
            .new_blob
            .as_deref()
            .and_then(|b| versions.get(&(b, change.path.as_str())));
        let at = DateTime::from_timestamp(commit.time, 0).unwrap_or_default();
        let removed = |uid: &String, external: bool, v: &Version| Tombstone {
            uid: uid.clone(),
            external,
            event: v.parsed.events[uid].clone(),
            release: past_release(&v.parsed.release),
            removed_at: at,
            removed_by: commit.author.clone(),
            sequence: u32::try_from(pos + 1).unwrap_or(u32::MAX),
        };
        if let Some(b) = before {
            let gone = |uid: &String| after.is_none_or(|a| !a.parsed.events.contains_key(uid));
            for uid in b.parsed.events.keys().filter(|u| gone(u)) {
                let t = removed(uid, false, b);
                tombstones.insert((uid.clone(), false), t);
            }
            // Public only if that version was public while it was live: a
            // release removed before its announce date never went out.
            let when = at.min(input.now);
            for uid in &b.external {
                if schedule::is_public(&b.parsed.events[uid], &b.parsed.release, when)
                    && after.is_none_or(|a| !a.external.contains(uid))
                {
                    tombstones.insert((uid.clone(), true), removed(uid, true, b));
                }
            }
        }
        if let Some(entry) = entry(before, after, commit, at) {
            changes.push(entry);
        }
    }
    changes.sort_by(|a, b| (b.at, &a.release_id, &a.commit).cmp(&(a.at, &b.release_id, &b.commit)));
    let mut tombstones: Vec<Tombstone> = tombstones.into_values().collect();
    tombstones.sort_by(|a, b| (&a.uid, a.external).cmp(&(&b.uid, b.external)));
    (changes, tombstones, keep)
}

/// The version of the file at `repo_path` whose text is `blob`; `None` when
/// it is not a release file, does not parse or is a draft not built.
fn parse(input: &Input, blob: &str, repo_path: &str) -> Option<Parsed> {
    let rel = repo_path.strip_prefix(input.prefix)?;
    if !content::is_release_path(rel) {
        return None;
    }
    let text = input.texts.get(blob)?;
    let release = content::parse_release(Path::new(rel), text, input.config).ok()?;
    if release.draft && !input.drafts {
        return None;
    }
    let events = events_by_uid(&release, input.config, &input.config.uid_domain);
    Some(Parsed { release, events })
}

/// A parsed version with what the external feed carries at "now" (SPEC
/// §4.1): the launch, the support ends and the end of life of a public release.
fn version(input: &Input, parsed: Arc<Parsed>) -> Version {
    let external = parsed
        .events
        .iter()
        .filter(|(_, e)| schedule::is_public(e, &parsed.release, input.now))
        .map(|(uid, _)| uid.clone())
        .collect();
    Version { parsed, external }
}

/// The events of `release` by their UID under `uid_domain`: what a version
/// publishes, for comparing two versions (here and in `shipdate diff`).
pub(crate) fn events_by_uid(
    release: &Release,
    config: &SiteConfig,
    uid_domain: &str,
) -> BTreeMap<String, Event> {
    schedule::release_events(0, release, config)
        .into_iter()
        .map(|e| (e.uid(uid_domain), e))
        .collect()
}

fn past_release(r: &Release) -> PastRelease {
    PastRelease {
        id: r.id.clone(),
        title: r.title.clone(),
        version: r.version.clone(),
        summary: r.summary.clone(),
        team: r.team.clone(),
        teams: r.teams.clone(),
        kind: r.kind.clone(),
        stakeholders: r.stakeholders.clone(),
        timezone: r.timezone,
    }
}

fn entry(
    before: Option<&Version>,
    after: Option<&Version>,
    commit: &RawCommit,
    at: DateTime<Utc>,
) -> Option<Change> {
    let (kind, shown, renamed_from, events) = match (before, after) {
        (None, None) => return None,
        (None, Some(a)) => (ChangeKind::Created, a, None, Vec::new()),
        (Some(b), None) => (ChangeKind::Deleted, b, None, Vec::new()),
        (Some(b), Some(a)) if b.parsed.release.id != a.parsed.release.id => (
            ChangeKind::Renamed,
            a,
            Some(b.parsed.release.id.clone()),
            Vec::new(),
        ),
        (Some(b), Some(a)) => {
            let events = event_changes(&b.parsed.events, &a.parsed.events);
            if events.is_empty() {
                return None;
            }
            (ChangeKind::Edited, a, None, events)
        }
    };
    Some(Change {
        at,
        author: commit.author.clone(),
        commit: commit.id.clone(),
        kind,
        release_id: shown.parsed.release.id.clone(),
        renamed_from,
        title: shown.parsed.release.title.clone(),
        timezone: shown.parsed.release.timezone,
        ship: shown.parsed.release.date,
        events,
    })
}

/// Moved, removed and added events between two versions' events (by UID):
/// the launch first, then by time.
pub(crate) fn event_changes(
    before: &BTreeMap<String, Event>,
    after: &BTreeMap<String, Event>,
) -> Vec<EventChange> {
    let mut out: Vec<(DateTime<Utc>, EventChange)> = Vec::new();
    let mut push = |uid: &String, e: &Event, from: Option<Moment>, to: Option<Moment>| {
        out.push((
            e.sort_key,
            EventChange {
                kind: e.kind,
                name: e.name.clone(),
                uid: uid.clone(),
                from,
                to,
            },
        ));
    };
    for (uid, b) in before {
        match after.get(uid) {
            Some(a) if a.start != b.start || a.end != b.end => {
                push(uid, a, Some(b.start), Some(a.start));
            }
            Some(_) => {}
            None => push(uid, b, Some(b.start), None),
        }
    }
    for (uid, a) in after {
        if !before.contains_key(uid) {
            push(uid, a, None, Some(a.start));
        }
    }
    out.sort_by(|(ta, a), (tb, b)| {
        (a.kind != EventKind::Launch, ta, &a.uid).cmp(&(b.kind != EventKind::Launch, tb, &b.uid))
    });
    out.into_iter().map(|(_, e)| e).collect()
}
