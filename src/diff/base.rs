//! Which commit to compare with: the one named, or the merge base with the
//! default branch.

use super::DiffError;
use crate::history::git::{Git, GitError};

/// The default branch, in the order SPEC §5.3 gives; the remote-tracking
/// `main` and `master` last, for CI clones that have no local branches.
const DEFAULT_BRANCHES: [&str; 5] = [
    "origin/HEAD",
    "main",
    "master",
    "origin/main",
    "origin/master",
];

/// The commit id of `base`, or of the merge base of HEAD with the default branch.
pub(super) fn resolve(git: &Git, base: Option<&str>) -> Result<String, DiffError> {
    if let Some(rev) = base {
        // A revision starting with `-` would be read as an option.
        if rev.starts_with('-') || rev.trim().is_empty() {
            return Err(DiffError::UnknownBase(rev.to_string()));
        }
        return commit_of(git, rev)?.ok_or_else(|| DiffError::UnknownBase(rev.to_string()));
    }
    let mut branch = None;
    for candidate in DEFAULT_BRANCHES {
        if commit_of(git, candidate)?.is_some() {
            branch = Some(candidate);
            break;
        }
    }
    let branch = branch.ok_or(DiffError::NoDefaultBranch)?;
    match git.run(&["merge-base", "HEAD", branch]) {
        Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
        Err(GitError::Failed { message, .. }) => {
            Err(DiffError::NoMergeBase(branch.to_string(), message))
        }
        Err(e) => Err(e.into()),
    }
}

/// The commit `rev` names; `None` when it names none.
fn commit_of(git: &Git, rev: &str) -> Result<Option<String>, GitError> {
    match git.run(&["rev-parse", "-q", "--verify", &format!("{rev}^{{commit}}")]) {
        Ok(out) => Ok(Some(String::from_utf8_lossy(&out).trim().to_string())),
        Err(GitError::Failed { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
