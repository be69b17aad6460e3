//! `shipdate init --example`: this repository's example site (its
//! `shipdate.yaml` and `content/`, embedded at compile time by `build.rs`)
//! written as a git repository whose scripted history (`script.rs`) ends
//! with it, so slips, late changes, tombstones, the changes page and the
//! on-time rate all show as of the example's "now".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{InitError, Initialized, import, replay, script};
use crate::history::git::{Git, GitError};

/// The example's files: `(path in the site, text)`, sorted by path.
pub const SITE: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/example_site.rs"));

/// The day the example is written for: build it with `--now 2026-11-23`.
pub const NOW: &str = "2026-11-23";

/// Writes the example site into `dir` as a new git repository. `dir` must
/// be new or empty (hidden entries count: the history is the example's
/// own), or `force` given; a folder that already holds a repository is
/// refused either way. Needs `git` on the PATH; git writes only inside `dir`.
pub fn init(dir: &Path, force: bool) -> Result<Initialized, InitError> {
    if dir.join(".git").symlink_metadata().is_ok() {
        return Err(InitError::Repository {
            dir: dir.to_path_buf(),
        });
    }
    super::refuse_non_empty(dir, force, true)?;
    // Before anything is written: without git there is nothing to do.
    match Git::isolated(Path::new(".")).run(&["--version"]) {
        Ok(_) => {}
        Err(source @ (GitError::NotInstalled | GitError::Io(_))) => {
            return Err(InitError::NoGit {
                dir: dir.to_path_buf(),
                source,
            });
        }
        Err(source) => return Err(git_error(dir, source)),
    }
    let files = site_files();
    let commits = replay::commits(script::STEPS, &files).map_err(InitError::Script)?;
    std::fs::create_dir_all(dir).map_err(|source| InitError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    import::write_repository(dir, &commits).map_err(|source| git_error(dir, source))?;
    Ok(Initialized {
        written: files.keys().map(PathBuf::from).collect(),
        merged: Vec::new(),
        commits: commits.len(),
    })
}

fn git_error(dir: &Path, source: GitError) -> InitError {
    InitError::Git {
        dir: dir.to_path_buf(),
        source,
    }
}

/// What the last commit holds: the example plus the files every new site
/// gets (`.gitignore`, the Pages workflow).
pub fn site_files() -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> = super::common_files().into_iter().collect();
    files.extend(SITE.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    #[test]
    fn embeds_the_example_config_and_releases() {
        assert!(SITE.iter().any(|(p, _)| *p == "shipdate.yaml"));
        assert!(SITE.iter().any(|(p, _)| *p == "content/_index.md"));
        assert!(
            SITE.iter()
                .filter(|(p, _)| p.starts_with("content/releases/"))
                .count()
                > 10
        );
        assert!(SITE.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// Every step still fits the example, and every version of every release
    /// file parses with the example's config (a version that does not would
    /// count as a removed release in the history).
    #[test]
    fn the_script_fits_the_example_and_every_version_parses() {
        let files = site_files();
        let commits = replay::commits(script::STEPS, &files).unwrap_or_else(|e| panic!("{e}"));
        let config = SiteConfig::parse(&files["shipdate.yaml"], Path::new("shipdate.yaml"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut state = BTreeMap::new();
        for commit in &commits {
            for (path, text) in &commit.files {
                match text {
                    Some(text) => state.insert(path.clone(), text.clone()),
                    None => state.remove(path),
                };
            }
            for (path, text) in &state {
                if !crate::content::is_release_path(path) {
                    continue;
                }
                if let Err(errors) = crate::content::parse_release(Path::new(path), text, &config) {
                    panic!("{path} at \"{}\": {errors:?}", commit.message);
                }
            }
            assert!(
                commit.at < crate::now::parse(NOW).unwrap(),
                "{}",
                commit.message
            );
        }
        assert_eq!(state, files.into_iter().collect::<BTreeMap<_, _>>());
    }
}
