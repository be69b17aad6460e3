//! Per-file facts kept between the rebuilds of a `serve` session: while HEAD
//! stays put, a release file whose text did not change (the content cache
//! gives the same `Arc`) has the same facts and the same clean or dirty state
//! as at the previous rebuild, so `git status` asks only about the files that
//! changed and only their facts are worked out again. When HEAD moves (a
//! commit, a checkout) or the settings the facts read change, everything is
//! done again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono_tz::Tz;

use super::facts::FileHistory;
use super::git::RepoInfo;
use crate::config::SiteConfig;
use crate::content::Release;

/// Beyond this many changed files one `git status` of all of `content/` is simpler.
const MOST_PATHS: usize = 200;

/// The facts of the previous rebuild of a session.
#[derive(Debug)]
pub(super) struct Facts {
    key: Key,
    /// Paths (relative to the site root) that differed from HEAD.
    dirty: HashSet<PathBuf>,
    /// Each release file's facts, with the release as loaded.
    files: HashMap<PathBuf, (Arc<Release>, FileHistory)>,
}

/// What the facts were worked out at: the commit and the settings they read.
#[derive(Debug, PartialEq)]
pub(super) struct Key {
    head: String,
    prefix: String,
    late_days: u32,
    timezone: Tz,
}

impl Key {
    /// The key of a build at `info`'s HEAD; `None` before the first commit or in a shallow clone.
    pub(super) fn of(info: &RepoInfo, config: &SiteConfig) -> Option<Self> {
        let head = info.head.clone().filter(|_| info.shallow_cuts.is_empty())?;
        Some(Self {
            head,
            prefix: info.prefix.clone(),
            late_days: config.late_change_days,
            timezone: config.timezone,
        })
    }
}

/// Which files `git status` must look at this time.
pub(super) enum Scope {
    /// All of `content/`.
    All,
    /// Only these paths (relative to the site root); the rest is as before.
    Only(Vec<PathBuf>),
}

impl Facts {
    /// Facts to keep for the next rebuild.
    pub(super) fn new(
        key: Key,
        dirty: HashSet<PathBuf>,
        releases: &[Arc<Release>],
        files: &HashMap<PathBuf, FileHistory>,
    ) -> Self {
        let files = releases
            .iter()
            .filter_map(|r| Some((r.path.clone(), (r.clone(), files.get(&r.path)?.clone()))))
            .collect();
        Self { key, dirty, files }
    }

    /// The kept facts, if they were worked out at `key`.
    pub(super) fn at(self, key: Option<&Key>) -> Option<Self> {
        (Some(&self.key) == key).then_some(self)
    }

    /// What `git status` must look at: the release files whose text changed
    /// or that are new, and the ones that are gone.
    pub(super) fn scope(&self, releases: &[Arc<Release>]) -> Scope {
        let mut changed: Vec<PathBuf> = releases
            .iter()
            .filter(|r| !self.same(r))
            .map(|r| r.path.clone())
            .collect();
        let live: HashSet<&Path> = releases.iter().map(|r| r.path.as_path()).collect();
        changed.extend(
            self.files
                .keys()
                .filter(|p| !live.contains(p.as_path()))
                .cloned(),
        );
        if changed.len() > MOST_PATHS {
            Scope::All
        } else {
            Scope::Only(changed)
        }
    }

    /// The paths that differ from HEAD now, given what `git status` said of `asked`.
    pub(super) fn dirty(&self, asked: &[PathBuf], found: HashSet<PathBuf>) -> HashSet<PathBuf> {
        let asked: HashSet<&Path> = asked.iter().map(PathBuf::as_path).collect();
        let mut dirty: HashSet<PathBuf> = self
            .dirty
            .iter()
            .filter(|p| !asked.contains(p.as_path()))
            .cloned()
            .collect();
        dirty.extend(found);
        dirty
    }

    /// The kept facts of `r`'s file, when its text is unchanged and it was
    /// and is clean (a dirty file's facts read "now" and the working tree).
    pub(super) fn file(&self, r: &Release, dirty: bool) -> Option<&FileHistory> {
        let (loaded, facts) = self.files.get(&r.path)?;
        (std::ptr::eq(&**loaded, r) && !dirty && !facts.dirty).then_some(facts)
    }

    fn same(&self, r: &Arc<Release>) -> bool {
        self.files
            .get(&r.path)
            .is_some_and(|(loaded, _)| Arc::ptr_eq(loaded, r))
    }
}
