//! History stage (SPEC §4.3): what git knows about each release file, from
//! one walk of the history.
//!
//! A build runs a fixed handful of git processes, whatever the number of
//! files: `rev-parse` (twice), one walk of the commits touching `content/`
//! (`rev-list` then `diff-tree --stdin`, one per core for a long history;
//! only the commits since the last build, see [`cache`]), `git status` for
//! uncommitted edits (alongside the walk), and one `git cat-file --batch` for
//! the blobs whose text is needed. From that:
//!
//! - per file: created and last-modified commit times and the commit count
//!   (iCal `LAST-MODIFIED`/`DTSTAMP` and `SEQUENCE`), every change of `date`
//!   (slips) and the first planned date, and late scope changes;
//! - for the last [`RECENT_DAYS`] days: each version parsed with the content
//!   code, giving the schedule changes page and the tombstones of removed events.
//!
//! Uncommitted edits: the working tree is what gets built; a file that differs
//! from its last commit counts as changed now — `LAST-MODIFIED` is the build's
//! "now" and `SEQUENCE` is its commit count plus one, which is the value the
//! commit will give it, so committing never lowers a SEQUENCE.
//!
//! Cost, measured on a generated repository of 10,000 release files in one
//! folder and 50,000 commits (`bench/gen_history_repo.py`, 2 cores): see
//! `bench/README.md`; with the cache the stage takes about 0.2 s, the first
//! walk of such a repository over ten seconds.

mod cache;
mod facts;
mod files;
pub mod git;
pub mod log;
mod past;
mod reuse;
pub mod version;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rayon::prelude::*;
use serde::Serialize;

pub use facts::{FileHistory, LateChange, Slip, late_window};
pub use past::{Change, ChangeKind, EventChange, PastRelease, Tombstone};
pub(crate) use past::{event_changes, events_by_uid};

use crate::config::SiteConfig;
use crate::content::{CONTENT_DIR, Release};
use cache::Cache;
use git::{Git, GitError, RepoInfo};
use reuse::{Facts, Scope};

/// Days a removed event stays in the feeds as cancelled, and days of changes on the changes page.
pub const RECENT_DAYS: i64 = 30;

/// Whether history is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// No git history (no git, not a repository, or git failed).
    Off,
    /// The whole history.
    Complete,
    /// A shallow clone: older commits are missing, counts are too low.
    Shallow,
}

/// How the walk went, for `build --verbose` and the benchmark.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WalkStats {
    /// Commits touching `content/` in the history.
    pub commits: usize,
    /// Of those, walked by this build (the rest came from the cache).
    pub walked: usize,
    /// Blobs read with `git cat-file`.
    pub blobs: usize,
    /// Blobs of the last [`RECENT_DAYS`] days' versions.
    pub recent: usize,
    /// Milliseconds per phase: walk (with cache), status (run alongside the
    /// walk), blobs, files, recent, save.
    pub phases: Vec<(&'static str, f64)>,
}

/// What git knows about the site.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// Whether history is known.
    pub state: State,
    /// Lines for the build output (why history is off, cache problems).
    pub notes: Vec<String>,
    /// How the walk went.
    pub stats: WalkStats,
    /// Per release file, by path relative to the site root.
    files: HashMap<PathBuf, FileHistory>,
    /// Schedule changes of the last [`RECENT_DAYS`] days, newest first.
    pub changes: Vec<Change>,
    /// Events removed in the last [`RECENT_DAYS`] days and not back.
    pub tombstones: Vec<Tombstone>,
    /// Events removed in the last [`RECENT_DAYS`] days that are back, by
    /// (UID, external): the cancellation's SEQUENCE and time, which the
    /// live event must pass so calendars take it as newer.
    pub revived: HashMap<(String, bool), (u32, DateTime<Utc>)>,
}

/// What the stage reads besides git.
pub struct Input<'a> {
    /// Site root.
    pub root: &'a Path,
    /// Releases loaded from the working tree.
    pub releases: &'a [Arc<Release>],
    /// Site configuration.
    pub config: &'a SiteConfig,
    /// The build's "now".
    pub now: DateTime<Utc>,
    /// Drafts are built.
    pub drafts: bool,
    /// The walk of the previous build of this process (a `serve` session),
    /// used instead of the cache file when it is at HEAD.
    pub memo: Option<&'a Memo>,
}

/// The history walk kept in memory between the builds of one process, so a
/// rebuild at the same HEAD reads neither git's log nor the cache file, nor
/// regroups the walk by file; the per-file facts, so such a rebuild asks
/// `git status` about the changed files only (see `reuse.rs`); and the
/// parsed recent versions, so a rebuild reads and parses only versions it
/// has not seen (see `past::Kept`).
#[derive(Debug, Default)]
pub struct Memo(
    std::sync::Mutex<Option<Kept>>,
    std::sync::Mutex<Option<Facts>>,
    std::sync::Mutex<Option<past::Kept>>,
);

/// A walk and its changes grouped by file.
#[derive(Debug)]
struct Kept {
    cache: Cache,
    logs: Vec<files::FileLog>,
}

impl Memo {
    /// The kept walk, if it covers `scope`; the memo is empty until [`Memo::keep`].
    fn take(&self, scope: &str) -> Option<Kept> {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.take().filter(|k| k.cache.scope == scope)
    }

    /// Keeps `cache` and its `logs` for the next build.
    fn keep(&self, cache: Cache, logs: Vec<files::FileLog>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(Kept { cache, logs });
    }

    /// The kept per-file facts, if they were worked out at `key`.
    fn take_facts(&self, key: Option<&reuse::Key>) -> Option<Facts> {
        let mut kept = self.1.lock().unwrap_or_else(|p| p.into_inner());
        kept.take().and_then(|f| f.at(key))
    }

    /// Keeps the per-file facts for the next build.
    fn keep_facts(&self, facts: Facts) {
        *self.1.lock().unwrap_or_else(|p| p.into_inner()) = Some(facts);
    }

    /// The parsed recent versions of the previous build, if any.
    fn take_versions(&self) -> Option<past::Kept> {
        self.2.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// Keeps the parsed recent versions for the next build.
    fn keep_versions(&self, versions: past::Kept) {
        *self.2.lock().unwrap_or_else(|p| p.into_inner()) = Some(versions);
    }
}

/// "now"/0 facts for feeds: without git, every build is a new revision of nothing.
const OFF_HINT: &str = "calendar feeds use the build time for LAST-MODIFIED and 0 for SEQUENCE";

impl History {
    /// No history, with the reason for the build output.
    pub fn off(reason: impl Into<String>) -> Self {
        Self {
            state: State::Off,
            notes: vec![reason.into()],
            stats: WalkStats::default(),
            files: HashMap::new(),
            changes: Vec::new(),
            tombstones: Vec::new(),
            revived: HashMap::new(),
        }
    }

    /// The history of the release file at `path` (relative to the site root).
    pub fn file(&self, path: &Path) -> Option<&FileHistory> {
        self.files.get(path)
    }

    /// Copies slips and the first planned date onto the releases (for metrics and JSON).
    /// Releases may be shared with `serve`'s content cache, which must keep
    /// them as parsed: a release is copied (on write) only when its values
    /// differ, and a file without history gets what parsing gives.
    pub fn apply(&self, releases: &mut [Arc<Release>]) {
        for r in releases {
            let (slips, first) = self
                .files
                .get(&r.path)
                .map_or((0, None), |f| (f.slips.len(), f.first_date));
            if r.slips != slips || r.first_planned_date != first {
                let r = Arc::make_mut(r);
                r.slips = slips;
                r.first_planned_date = first;
            }
        }
    }

    /// Drops tombstones of events that exist again: `internal` and `external`
    /// are the UIDs the feeds publish now.
    pub fn settle(&mut self, internal: &HashSet<String>, external: &HashSet<String>) {
        let revived = &mut self.revived;
        self.tombstones.retain(|t| {
            let live = if t.external { external } else { internal };
            let back = live.contains(&t.uid);
            if back {
                revived.insert((t.uid.clone(), t.external), (t.sequence, t.removed_at));
            }
            !back
        });
    }

    /// SEQUENCE and time of an event that came back after a cancellation:
    /// above the cancellation's, whatever the event's own facts say (a
    /// public view that did not change since, a file made anew).
    pub fn past_cancellation(
        &self,
        uid: &str,
        external: bool,
        sequence: u32,
        modified: DateTime<Utc>,
    ) -> (u32, DateTime<Utc>) {
        match self.revived.get(&(uid.to_string(), external)) {
            Some(&(seq, at)) => (
                sequence.max(seq.saturating_add(1)),
                modified.max(at + Duration::seconds(1)),
            ),
            None => (sequence, modified),
        }
    }
}

/// Runs the stage; never fails the build (history off, with a note, instead).
pub fn load(input: &Input) -> History {
    match try_load(input) {
        Ok(history) => history,
        Err(GitError::NotARepository) => History::off(format!(
            "no git history: the site is not in a git work tree; {OFF_HINT}"
        )),
        Err(GitError::NotInstalled) => History::off(format!(
            "no git history: git is not installed (not found on PATH); {OFF_HINT}"
        )),
        Err(e) => History::off(format!("no git history: {e}; {OFF_HINT}")),
    }
}

/// Milliseconds since `start`, restarting it.
fn lap(start: &mut std::time::Instant) -> f64 {
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    *start = std::time::Instant::now();
    ms
}

fn try_load(input: &Input) -> Result<History, GitError> {
    let mut clock = std::time::Instant::now();
    let mut phases = Vec::new();
    let git = Git::new(input.root);
    let info = git.info()?;
    let shallow = !info.shallow_cuts.is_empty();
    let key = reuse::Key::of(&info, input.config);
    let kept = input.memo.and_then(|m| m.take_facts(key.as_ref()));
    let scope = kept
        .as_ref()
        .map_or(Scope::All, |k| k.scope(input.releases));
    let (mut walk, status_ms) = walk_with_status(&git, &info, input.memo, (&scope, kept.as_ref()))?;
    phases.push(("walk", lap(&mut clock)));
    // Ran alongside the walk; its own time, not added to the stage's.
    phases.push(("status (parallel)", status_ms));

    let live = live_logs(input.releases, &walk.logs, &info.prefix);
    // The files whose facts are worked out again; a kept file's blobs were read when its facts were made.
    let redo: Vec<(&Release, &files::FileLog)> = live
        .iter()
        .copied()
        .filter(|(r, _)| {
            let dirty = walk.dirty.contains(r.path.as_path());
            kept.as_ref().is_none_or(|k| k.file(r, dirty).is_none())
        })
        .collect();
    let since = (input.now - Duration::days(RECENT_DAYS)).timestamp();
    let late_days = input.config.late_change_days;
    let versions = input
        .memo
        .and_then(Memo::take_versions)
        .and_then(|v| v.at(input.config, input.drafts, &info.prefix));
    let (texts, blobs) = {
        let wanted = wanted_blobs(&redo, &walk, input, since, versions.as_ref());
        (read_texts(&git, &wanted)?, wanted.len())
    };
    let learned = learn(&mut walk.cache, &texts, &redo, late_days);
    phases.push(("blobs", lap(&mut clock)));

    let files = file_histories(input, &info, &walk, &live, &texts, kept.as_ref());
    phases.push(("files", lap(&mut clock)));
    let (changes, tombstones, versions) = past::scan(
        &past::Input {
            logs: &walk.logs,
            commits: &walk.cache.commits,
            texts: &texts,
            prefix: &info.prefix,
            config: input.config,
            now: input.now,
            drafts: input.drafts,
            since,
        },
        versions,
    );
    phases.push(("recent", lap(&mut clock)));
    let mut notes = Vec::new();
    if !shallow && (walk.walked > 0 || learned) {
        notes.extend(save(&info, &walk.cache));
    }
    phases.push(("save", lap(&mut clock)));
    let stats = WalkStats {
        commits: walk.cache.commits.len(),
        walked: walk.walked,
        blobs,
        recent: past::wanted(&walk.logs, &walk.cache.commits, since, None).len(),
        phases,
    };
    if let Some(memo) = input.memo
        && !shallow
    {
        memo.keep_versions(versions);
        memo.keep(walk.cache, walk.logs);
        if let Some(key) = key {
            memo.keep_facts(Facts::new(key, walk.dirty, input.releases, &files));
        }
    }
    Ok(History {
        state: if shallow {
            State::Shallow
        } else {
            State::Complete
        },
        notes,
        stats,
        files,
        changes,
        tombstones,
        revived: HashMap::new(),
    })
}

/// The history of `content/` and the files with uncommitted edits.
struct Walked {
    /// The commits touching `content/`, with what is known about their blobs.
    cache: Cache,
    /// How many commits this build walked (the rest came from the cache).
    walked: usize,
    /// The walk grouped by file, following renames.
    logs: Vec<files::FileLog>,
    /// Paths (relative to the site root) that differ from HEAD.
    dirty: HashSet<PathBuf>,
}

/// The walk (see [`walk`]) with `git status` run alongside it: status stats
/// every file under `content/` while the walk (or the cache) is read, and the
/// two do not depend on each other. Also returns status's own milliseconds.
///
/// With facts kept from the previous rebuild at this HEAD, status looks at
/// the files of `status` only and the others keep their state.
fn walk_with_status(
    git: &Git,
    info: &RepoInfo,
    memo: Option<&Memo>,
    status: (&Scope, Option<&Facts>),
) -> Result<(Walked, f64), GitError> {
    let scope = format!("{}{CONTENT_DIR}/", info.prefix);
    let (walk_result, status_result) = std::thread::scope(|s| {
        let status = s.spawn(|| {
            let start = std::time::Instant::now();
            let dirty = match status {
                // Nothing changed since the previous rebuild: no status at all.
                (Scope::Only(paths), Some(kept)) if paths.is_empty() => {
                    Ok(kept.dirty(paths, HashSet::new()))
                }
                (Scope::Only(paths), Some(kept)) => {
                    dirty_files(git, &info.prefix, paths).map(|found| kept.dirty(paths, found))
                }
                _ => dirty_files(git, &info.prefix, &[]),
            };
            (dirty, start.elapsed().as_secs_f64() * 1000.0)
        });
        let walk_result = walk(git, info, &scope, memo);
        let status_result = status
            .join()
            .unwrap_or_else(|_| (Err(GitError::Io("git status thread panicked".into())), 0.0));
        (walk_result, status_result)
    });
    let (cache, walked, kept_logs) = walk_result?;
    let logs = kept_logs.unwrap_or_else(|| files::follow(&cache.commits));
    let (dirty, status_ms) = status_result;
    let walked = Walked {
        cache,
        walked,
        logs,
        dirty: dirty?,
    };
    Ok((walked, status_ms))
}

/// Each release of the working tree that git has a history for, with that
/// history (`logs` paths are relative to the repository, under `prefix`).
fn live_logs<'a>(
    releases: &'a [Arc<Release>],
    logs: &'a [files::FileLog],
    prefix: &str,
) -> Vec<(&'a Release, &'a files::FileLog)> {
    let by_path: HashMap<&Path, &Release> = releases
        .iter()
        .map(|r| (r.path.as_path(), r.as_ref()))
        .collect();
    logs.iter()
        .filter(|l| !l.deleted)
        .filter_map(|l| {
            let rel = l.path.strip_prefix(prefix)?;
            Some((*by_path.get(Path::new(rel))?, l))
        })
        .collect()
}

/// Every blob whose text this build needs, sorted, to be read in one go:
/// versions whose date is not cached yet, late-window versions not compared
/// yet, the base of a dirty file in its late window, and the versions of
/// the commits since `since`.
///
/// `live` are the files whose facts are worked out (not kept from the
/// previous rebuild); a recent version parsed already (`versions`) wants nothing.
fn wanted_blobs<'a>(
    live: &[(&Release, &files::FileLog)],
    walk: &'a Walked,
    input: &Input,
    since: i64,
    versions: Option<&past::Kept>,
) -> Vec<&'a str> {
    let cache = &walk.cache;
    let late_days = input.config.late_change_days;
    let mut wanted: HashSet<&str> = HashSet::new();
    for (r, log) in live {
        let dirty = walk.dirty.contains(r.path.as_path());
        for &(ci, xi) in &log.changes {
            let change = &cache.commits[ci].changes[xi];
            for blob in [&change.old_blob, &change.new_blob].into_iter().flatten() {
                if !cache.dates.contains_key(blob) {
                    wanted.insert(blob);
                }
            }
        }
        for (_, old, new) in facts::late_pairs(log, &cache.commits, r, late_days) {
            if !cache.late.contains_key(&cache::pair(old, new)) {
                wanted.extend([old, new]);
            }
        }
        if dirty {
            wanted.extend(facts::dirty_base(
                log,
                &cache.commits,
                r,
                late_days,
                input.now,
            ));
        }
    }
    // The last version of each deleted file: its release id (see `files::inherited`).
    for l in walk.logs.iter().filter(|l| l.deleted) {
        if let Some(&(ci, xi)) = l.changes.last()
            && let Some(blob) = &cache.commits[ci].changes[xi].old_blob
            && !cache.dates.contains_key(blob)
        {
            wanted.insert(blob);
        }
    }
    wanted.extend(past::wanted(&walk.logs, &cache.commits, since, versions));
    let mut wanted: Vec<&str> = wanted.into_iter().collect();
    wanted.sort_unstable();
    wanted
}

/// The texts of `blobs`, line endings normalized, by blob id.
fn read_texts(git: &Git, blobs: &[&str]) -> Result<HashMap<String, String>, GitError> {
    Ok(git
        .blobs(blobs)?
        .into_iter()
        .map(|(id, bytes)| (id, version::normalize(&bytes)))
        .collect())
}

/// Adds to the cache what `texts` tell that it did not know: the date of each
/// version, and the scope changes of each late pair. True when it learned something.
fn learn(
    cache: &mut Cache,
    texts: &HashMap<String, String>,
    live: &[(&Release, &files::FileLog)],
    late_days: u32,
) -> bool {
    let mut new_dates = HashMap::new();
    for (id, text) in texts {
        if !cache.dates.contains_key(id) {
            new_dates.insert(id.clone(), version::date_fact(text));
        }
    }
    let mut new_late = HashMap::new();
    for (r, log) in live {
        for (_, old, new) in facts::late_pairs(log, &cache.commits, r, late_days) {
            let key = cache::pair(old, new);
            if let (false, Some(a), Some(b)) = (
                cache.late.contains_key(&key),
                texts.get(old),
                texts.get(new),
            ) {
                new_late.insert(
                    key,
                    version::Shape::of(a).scope_changes(&version::Shape::of(b)),
                );
            }
        }
    }
    let learned = !new_dates.is_empty() || !new_late.is_empty();
    cache.dates.extend(new_dates);
    cache.late.extend(new_late);
    learned
}

/// The facts of every release file of the working tree, worked out in
/// parallel (or taken from `kept`); a dirty file is read from the working
/// tree to compare its edits.
fn file_histories(
    input: &Input,
    info: &RepoInfo,
    walk: &Walked,
    live: &[(&Release, &files::FileLog)],
    texts: &HashMap<String, String>,
    kept: Option<&Facts>,
) -> HashMap<PathBuf, FileHistory> {
    let cache = &walk.cache;
    let cx = facts::Context {
        commits: &cache.commits,
        dates: &cache.dates,
        texts,
        late: &cache.late,
        cuts: &info.shallow_cuts,
        site_tz: input.config.timezone,
        late_days: input.config.late_change_days,
        now: input.now,
    };
    let id_of = |path: &str, last: Option<&str>| {
        last.and_then(|b| cache.dates.get(b))
            .and_then(|f| f.id.clone())
            .unwrap_or_else(|| {
                let stem = Path::new(path).file_stem().and_then(|s| s.to_str());
                crate::content::release::default_id(stem.unwrap_or_default())
            })
    };
    let deleted = files::deleted(&walk.logs, &cache.commits, id_of);
    let logs_by_path: HashMap<&Path, &files::FileLog> =
        live.iter().map(|(r, l)| (r.path.as_path(), *l)).collect();
    input
        .releases
        .par_iter()
        .map(|r| {
            let is_dirty = walk.dirty.contains(r.path.as_path());
            if let Some(h) = kept.and_then(|k| k.file(r, is_dirty)) {
                return (r.path.clone(), h.clone());
            }
            let log = logs_by_path.get(r.path.as_path()).copied();
            let worktree = if is_dirty {
                std::fs::read(input.root.join(&r.path))
                    .ok()
                    .map(|b| version::normalize(&b))
            } else {
                None
            };
            let inherited = log.map_or(0, |l| files::inherited(l, &r.id, &deleted, &cache.commits));
            let h = facts::file_history(log, inherited, r, &cx, is_dirty, worktree.as_deref());
            (r.path.clone(), h)
        })
        .collect()
}

/// Writes the cache for the next build; a note when it could not.
fn save(info: &RepoInfo, cache: &Cache) -> Option<String> {
    cache::write(&cache::path(&info.common_dir), cache)
        .err()
        .map(|e| {
            format!("git history cache not saved ({e}); the next build walks the history again")
        })
}

/// The commits touching `content/`, newest first: from the cache when it is
/// at HEAD, the cache plus `cached..HEAD` when HEAD moved on, else a full walk.
/// Returns how many commits this build walked, and the walk grouped by file
/// when the memo had it for this very walk.
fn walk(
    git: &Git,
    info: &RepoInfo,
    scope: &str,
    memo: Option<&Memo>,
) -> Result<(Cache, usize, Option<Vec<files::FileLog>>), GitError> {
    let Some(head) = &info.head else {
        return Ok((Cache::new(scope, ""), 0, None));
    };
    // A shallow clone's history changes under the same HEAD (`fetch --deepen`): no cache.
    let (cached, logs) = if !info.shallow_cuts.is_empty() {
        (None, None)
    } else {
        match memo.and_then(|m| m.take(scope)) {
            Some(kept) => (Some(kept.cache), Some(kept.logs)),
            None => (cache::read(&cache::path(&info.common_dir), scope), None),
        }
    };
    if let Some(mut cached) = cached {
        if cached.head == *head {
            return Ok((cached, 0, logs));
        }
        if git
            .run(&["merge-base", "--is-ancestor", &cached.head, head])
            .is_ok()
        {
            let new = log(git, &format!("{}..{head}", cached.head))?;
            let walked = new.len();
            cached.commits.splice(0..0, new);
            cached.head = head.clone();
            return Ok((cached, walked, None));
        }
    }
    let commits = log(git, head)?;
    let walked = commits.len();
    let mut fresh = Cache::new(scope, head);
    fresh.commits = commits;
    Ok((fresh, walked, None))
}

/// Below this many commits one process does the whole walk.
const PARALLEL_FROM: usize = 2_000;

/// The commits of `range` that change `content/`, newest first, as
/// `git log --no-merges --raw -M range -- content/` would list them (merges
/// left out: their changes are in the commits they merge).
///
/// Diffing the `content/` tree at each commit is the whole cost of a first
/// walk (about 0.5 ms a commit with 10,000 files in one folder), and each
/// commit is diffed against its parent alone. So `rev-list` (no diffs, fast)
/// lists the commits and `diff-tree --stdin` diffs them in one process per
/// core, each over a contiguous slice; the slices' outputs joined in order
/// are byte for byte what `git log` prints.
fn log(git: &Git, range: &str) -> Result<Vec<log::RawCommit>, GitError> {
    let revs = git.run(&["rev-list", "--no-merges", range])?;
    let ids: Vec<&[u8]> = revs
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let parts = if ids.len() < PARALLEL_FROM {
        1
    } else {
        cores.clamp(1, 8)
    };
    diff_in_parts(git, &ids, parts)
}

/// `git diff-tree` of the commits `ids` (newest first) in `parts` processes at once.
fn diff_in_parts(git: &Git, ids: &[&[u8]], parts: usize) -> Result<Vec<log::RawCommit>, GitError> {
    let size = ids.len().div_ceil(parts.max(1)).max(1);
    let pathspec = format!("{CONTENT_DIR}/");
    let args = [
        "diff-tree",
        "--stdin",
        "--root",
        "-r",
        "-z",
        "--raw",
        "--no-abbrev",
        "-M",
        log::LOG_FORMAT,
        "--",
        &pathspec,
    ];
    let outputs: Vec<Result<Vec<log::RawCommit>, GitError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .chunks(size)
            .map(|chunk| {
                let args = &args;
                scope.spawn(move || {
                    let mut input = chunk.join(&b'\n');
                    input.push(b'\n');
                    let out = git.run_with_input(args, &input)?;
                    log::parse(&out).map_err(|e| GitError::Io(e.to_string()))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(GitError::Io("git diff-tree thread panicked".into())))
            })
            .collect()
    });
    let mut commits = Vec::new();
    for part in outputs {
        commits.extend(part?);
    }
    Ok(commits)
}

/// Paths (relative to the site root) under `content/` that differ from HEAD or are untracked.
///
/// Only the files `only` names (relative to the site root) when it names any.
fn dirty_files(git: &Git, prefix: &str, only: &[PathBuf]) -> Result<HashSet<PathBuf>, GitError> {
    let pathspecs: Vec<String> = if only.is_empty() {
        vec![format!("{CONTENT_DIR}/")]
    } else {
        only.iter()
            .map(|p| format!(":(literal){}", p.to_string_lossy().replace('\\', "/")))
            .collect()
    };
    let mut args = vec![
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--",
    ];
    args.extend(pathspecs.iter().map(String::as_str));
    let out = git.run(&args)?;
    Ok(out
        .split(|&b| b == 0)
        .filter(|entry| entry.len() > 3)
        .filter_map(|entry| {
            let path = String::from_utf8_lossy(&entry[3..]);
            path.strip_prefix(prefix).map(PathBuf::from)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str], date: &str) {
        let ok = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }

    fn release(path: &str, date: &str) -> Arc<Release> {
        let text = format!("---\ntitle: A\nteam: web\ntype: patch\ndate: {date}\n---\n");
        Arc::new(
            crate::content::parse_release(Path::new(path), &text, &SiteConfig::default()).unwrap(),
        )
    }

    /// One commit at `time` (seconds) changing `path` from blob `old` to `new`.
    fn commit(time: i64, path: &str, old: &str, new: &str) -> log::RawCommit {
        log::RawCommit {
            id: format!("c{time}"),
            time,
            author: "A".into(),
            root: false,
            changes: vec![log::RawChange {
                kind: log::ChangeKind::Modified,
                old_path: None,
                path: path.into(),
                old_blob: Some(old.into()),
                new_blob: Some(new.into()),
            }],
        }
    }

    fn file_log(path: &str, deleted: bool, changes: Vec<(usize, usize)>) -> files::FileLog {
        files::FileLog {
            path: path.into(),
            deleted,
            changes,
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn live_logs_pair_releases_with_their_history_under_the_prefix() {
        let releases = [release("content/a.md", "2026-12-08")];
        let logs = [
            file_log("site/content/a.md", false, vec![]),
            file_log("site/content/gone.md", false, vec![]),
            file_log("site/content/a.md", true, vec![]),
            file_log("other/content/a.md", false, vec![]),
        ];
        let live = live_logs(&releases, &logs, "site/");
        assert_eq!(live.len(), 1);
        assert!(std::ptr::eq(live[0].1, &logs[0]));
        assert_eq!(live[0].0.id, "a");
    }

    #[test]
    fn only_unknown_versions_and_late_pairs_are_read_and_learned() {
        let config = SiteConfig::default();
        let releases = [release("content/a.md", "2026-12-08")];
        let late = at("2026-12-05T10:00:00Z").timestamp();
        let early = at("2026-10-01T10:00:00Z").timestamp();
        let mut cache = Cache::new("content/", "head");
        cache.commits = vec![
            commit(late, "content/a.md", "b2", "b3"),
            commit(early, "content/a.md", "b1", "b2"),
        ];
        cache
            .dates
            .insert("b1".into(), version::DateFact::default());
        let walk = Walked {
            cache,
            walked: 0,
            logs: vec![file_log("content/a.md", false, vec![(1, 0), (0, 0)])],
            dirty: HashSet::new(),
        };
        let input = Input {
            root: Path::new("."),
            releases: &releases,
            config: &config,
            now: at("2026-11-01T00:00:00Z"),
            drafts: false,
            memo: None,
        };
        let live = live_logs(&releases, &walk.logs, "");
        // b1's date is known and nothing is recent: b2 and b3 for their dates and the late pair.
        let since = at("2026-10-30T00:00:00Z").timestamp();
        assert_eq!(
            wanted_blobs(&live, &walk, &input, since, None),
            ["b2", "b3"]
        );

        let text = |date: &str, extra: &str| format!("---\ndate: {date}\n{extra}---\n");
        let texts: HashMap<String, String> = [
            ("b2".to_string(), text("2026-12-01", "")),
            ("b3".to_string(), text("2026-12-08", "owner: Kim\n")),
        ]
        .into();
        let mut cache = walk.cache;
        assert!(learn(&mut cache, &texts, &live, config.late_change_days));
        assert_eq!(cache.dates["b3"].date.as_deref(), Some("2026-12-08"));
        assert!(cache.late.contains_key(&cache::pair("b2", "b3")));
        assert!(!learn(&mut cache, &texts, &live, config.late_change_days));
    }

    #[test]
    fn the_walk_in_parts_is_what_git_log_prints() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q"], "2026-01-01T00:00:00Z");
        std::fs::create_dir_all(root.join("content/r")).unwrap();
        for i in 0..9 {
            let date = format!("2026-01-0{}T10:00:00Z", i + 1);
            std::fs::write(
                root.join(format!("content/r/f{}.md", i % 4)),
                format!("v{i}\n"),
            )
            .unwrap();
            if i == 5 {
                git(root, &["mv", "content/r/f0.md", "content/r/g0.md"], &date);
            }
            if i == 7 {
                std::fs::write(root.join("other.txt"), "not content").unwrap();
            }
            git(root, &["add", "-A"], &date);
            git(root, &["commit", "-q", "-m", "c"], &date);
        }
        let g = Git::new(root);
        let expected = log::parse(
            &g.run(&[
                "log",
                "--no-merges",
                log::LOG_FORMAT,
                "-z",
                "--raw",
                "--no-abbrev",
                "-M",
                "HEAD",
                "--",
                "content/",
            ])
            .unwrap(),
        )
        .unwrap();
        assert!(expected.len() >= 8);
        assert!(
            expected
                .iter()
                .any(|c| c.changes.iter().any(|x| x.kind == log::ChangeKind::Renamed))
        );
        let revs = g.run(&["rev-list", "--no-merges", "HEAD"]).unwrap();
        let ids: Vec<&[u8]> = revs
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        for parts in [1, 2, 3, 20] {
            assert_eq!(
                diff_in_parts(&g, &ids, parts).unwrap(),
                expected,
                "{parts} parts"
            );
        }
        assert_eq!(log(&g, "HEAD").unwrap(), expected);
    }
}
