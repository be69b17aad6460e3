//! `shipdate diff` (SPEC §5.3): what a change to the plan does to everyone
//! else, for a pull request or before a push.
//!
//! The plan at a base commit is read from git's blobs in memory (nothing is
//! checked out or written), parsed by the same code as the work tree, and the
//! two plans are compared event by event (by calendar UID): what moved, by
//! how many business days, which dependents now break, which teams are
//! involved, which stakeholder groups were already told the old date, and
//! which check findings are new or resolved. The renderers
//! ([`markdown`], [`json`], [`github`]) turn the result into text.

mod base;
mod compare;
mod findings;
pub mod github;
mod impact;
pub mod json;
pub mod markdown;
mod plan;
mod summary;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::diagnostic::{Diagnostic, Position};
use crate::history::git::{Git, GitError};
use crate::moment::Moment;
use crate::schedule::EventKind;

/// What to compare.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Site root (where `shipdate.yaml` and `content/` are).
    pub root: PathBuf,
    /// The base revision; `None`: the merge base with the default branch.
    pub base: Option<String>,
    /// "Now": which notifications have already happened, and the checks' "now".
    pub now: DateTime<Utc>,
}

/// Why there is no diff.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// git failed or the site is not in a repository.
    #[error(transparent)]
    Git(#[from] GitError),
    /// `BASE` names no commit.
    #[error("`{0}` is not a commit of this repository")]
    UnknownBase(String),
    /// None of the default branches exists.
    #[error("no default branch to compare with: neither origin/HEAD, main nor master exists")]
    NoDefaultBranch,
    /// The work tree has no commit to find a merge base from.
    #[error("cannot find where this branch left {0}: {1}")]
    NoMergeBase(String, String),
}

impl DiffError {
    /// What to do about it, in plain words.
    pub fn hint(&self) -> &'static str {
        match self {
            DiffError::Git(GitError::NotARepository) => {
                "run `shipdate diff` inside the git repository that holds the site"
            }
            DiffError::Git(_) => "check that git is installed and the repository is readable",
            DiffError::UnknownBase(_) => {
                "name a branch, tag or commit, e.g. `shipdate diff origin/main`; in a shallow clone, fetch it first"
            }
            DiffError::NoDefaultBranch | DiffError::NoMergeBase(..) => {
                "name the base to compare with, e.g. `shipdate diff origin/main` (fetch it first in CI)"
            }
        }
    }
}

/// Whether an event was moved, added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// At another time than at the base.
    Moved,
    /// Not in the plan at the base.
    Added,
    /// In the plan at the base, not any more.
    Removed,
}

/// Why a dependent breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// It now ships before (or with) the release it depends on.
    Order,
    /// It now ships less than the dependency margin after it.
    Margin,
}

/// A release that depends on a moved one and whose plan now breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    /// Its id.
    pub id: String,
    /// How it breaks.
    pub breaks: Breaks,
}

/// One moved, added or removed event.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Release id.
    pub release: String,
    /// Release title.
    pub title: String,
    /// The release file (in the work tree; at the base for a removed release).
    pub path: PathBuf,
    /// Where in the file the event is defined, for annotations.
    pub position: Position,
    /// The release's time zone, for showing times.
    pub timezone: Tz,
    /// Moved, added or removed.
    pub kind: ChangeKind,
    /// Launch, milestone, notification…
    pub event_kind: EventKind,
    /// The event's name ("Code freeze").
    pub name: String,
    /// The event's calendar UID.
    pub event: String,
    /// When it was at the base; `None` when added.
    pub from: Option<Moment>,
    /// When it is now; `None` when removed.
    pub to: Option<Moment>,
    /// Business days moved (negative: earlier); `None` unless moved.
    pub business_days: Option<i64>,
    /// Releases depending on a moved launch whose order or margin now breaks.
    pub dependents: Vec<Dependent>,
    /// The release's owner and involved teams.
    pub teams: Vec<String>,
    /// Stakeholder groups already told the old time who must be told again.
    pub renotify: Vec<String>,
}

/// Findings of the checks that the change brings and removes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// In the work tree, not at the base.
    pub new: Vec<Diagnostic>,
    /// At the base, not in the work tree.
    pub resolved: Vec<Diagnostic>,
}

/// What a change does to the plan.
#[derive(Debug, Clone)]
pub struct Diff {
    /// The base commit id.
    pub base: String,
    /// Every moved, added and removed event, grouped by release.
    pub changes: Vec<Change>,
    /// New and resolved findings.
    pub findings: Findings,
    /// Display names of the teams and stakeholder groups named in `changes`.
    pub names: BTreeMap<String, String>,
    /// The dependency margin, in words ("1 business day").
    pub margin: String,
    /// The "now" it was computed at (which notifications had happened).
    pub now: DateTime<Utc>,
}

impl Diff {
    /// True when the change brings a new error (the command then exits 1).
    pub fn has_new_error(&self) -> bool {
        self.findings.new.iter().any(Diagnostic::is_error)
    }

    /// A team's or group's display name (its id when it has none).
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }
}

/// Compares the plan at the base with the work tree. Writes nothing.
pub fn run(options: &DiffOptions) -> Result<Diff, DiffError> {
    let git = Git::new(&options.root);
    let info = git.info()?;
    let base = base::resolve(&git, options.base.as_deref())?;
    let before = plan::at_commit(&git, &info.prefix, &base, options.now)?;
    let after = plan::work_tree(&options.root, options.now);
    Ok(compare::diff(base, &before, &after, options.now))
}
