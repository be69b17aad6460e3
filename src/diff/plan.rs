//! A whole plan, checked: from the work tree, or from a commit's blobs
//! read into memory with one `git ls-tree` and one `git cat-file --batch`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::DiffError;
use crate::checks::{self, CheckInput};
use crate::config::{CONFIG_FILE, SiteConfig};
use crate::content::{self, CONTENT_DIR, Content, Release};
use crate::diagnostic::{self, Diagnostic};
use crate::history::git::Git;
use crate::history::{History, version};

/// One side of the comparison.
pub(super) struct Plan {
    /// Its configuration (the defaults when it could not be read).
    pub config: SiteConfig,
    /// Its releases (drafts left out, as `check` does).
    pub releases: Vec<Arc<Release>>,
    /// Every finding of `check`, sorted.
    pub findings: Vec<Diagnostic>,
    /// False when `shipdate.yaml` failed: its events mean nothing.
    pub readable: bool,
}

/// The plan in the work tree.
pub(super) fn work_tree(root: &Path, now: DateTime<Utc>) -> Plan {
    match SiteConfig::load(root) {
        Ok(config) => {
            let (content, errors) = content::load(root, &config, false);
            checked(config, content, errors, now)
        }
        Err(errors) => unreadable(errors),
    }
}

/// The plan at `commit`; `prefix` is the site's folder in the repository.
pub(super) fn at_commit(
    git: &Git,
    prefix: &str,
    commit: &str,
    now: DateTime<Utc>,
) -> Result<Plan, DiffError> {
    let config_path = format!("{prefix}{CONFIG_FILE}");
    let content_path = format!("{prefix}{CONTENT_DIR}/");
    let listing = git.run(&[
        "ls-tree",
        "-r",
        "-z",
        "--full-tree",
        commit,
        "--",
        &config_path,
        &content_path,
    ])?;
    let files = tree_entries(&listing, prefix);
    let ids: Vec<&str> = files.iter().map(|(_, id)| id.as_str()).collect();
    let blobs = git.blobs(&ids)?;
    let text = |id: &str| blobs.get(id).map(|bytes| version::normalize(bytes));
    let config = match files.iter().find(|(path, _)| path == CONFIG_FILE) {
        Some((_, id)) => SiteConfig::parse(&text(id).unwrap_or_default(), Path::new(CONFIG_FILE)),
        None => Ok(SiteConfig::default()),
    };
    let config = match config {
        Ok(config) => config,
        Err(errors) => return Ok(unreadable(errors)),
    };
    let texts: Vec<(PathBuf, String)> = files
        .iter()
        .filter(|(path, _)| content::is_release_path(path))
        .filter_map(|(path, id)| Some((PathBuf::from(path), text(id)?)))
        .collect();
    let (content, errors) = content::from_texts(&texts, &config, false);
    Ok(checked(config, content, errors, now))
}

/// `(path relative to the site root, blob id)` of the regular files in
/// `ls-tree -r -z` output (`<mode> <type> <id>\t<path>\0`).
fn tree_entries(listing: &[u8], prefix: &str) -> Vec<(String, String)> {
    listing
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let entry = std::str::from_utf8(entry).ok()?;
            let (meta, path) = entry.split_once('\t')?;
            let mut fields = meta.split(' ');
            let (mode, kind, id) = (fields.next()?, fields.next()?, fields.next()?);
            // Symbolic links (120000) and submodules are not release files.
            if kind != "blob" || mode == "120000" {
                return None;
            }
            let path = path.strip_prefix(prefix)?;
            Some((path.to_string(), id.to_string()))
        })
        .collect()
}

/// Runs the checks over a loaded plan. Without history: two plans have no
/// commits between them, so `late-scope-change` is left to `check`.
fn checked(
    config: SiteConfig,
    content: Content,
    mut findings: Vec<Diagnostic>,
    now: DateTime<Utc>,
) -> Plan {
    let history = History::off("shipdate diff compares plans, not commits");
    findings.extend(checks::run(&CheckInput {
        config: &config,
        releases: &content.releases,
        absent_ids: &content.absent_ids,
        history: &history,
        now,
    }));
    diagnostic::sort(&mut findings);
    Plan {
        config,
        releases: content.releases,
        findings,
        readable: true,
    }
}

fn unreadable(findings: Vec<Diagnostic>) -> Plan {
    Plan {
        config: SiteConfig::default(),
        releases: Vec::new(),
        findings,
        readable: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blobs_of_the_site_folder_only() {
        let listing = b"100644 blob aaa\tsite/content/releases/a.md\0\
120000 blob bbb\tsite/content/link.md\0\
160000 commit ccc\tsite/content/sub\0\
100644 blob ddd\tsite/shipdate.yaml\0\
100644 blob eee\tother/content/x.md\0";
        assert_eq!(
            tree_entries(listing, "site/"),
            vec![
                ("content/releases/a.md".to_string(), "aaa".to_string()),
                ("shipdate.yaml".to_string(), "ddd".to_string()),
            ]
        );
    }
}
