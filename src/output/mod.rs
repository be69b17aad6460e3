//! Output stage: write into a staging folder, then swap it in, so a failed
//! build never touches the previous output. The only module that writes the site.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::render::{RenderError, Sink};

pub mod guard;

pub use guard::MARKER;

/// The lock file in the output folder: one build at a time writes there.
pub const LOCK: &str = ".shipdate-lock";
/// Name prefix of a build's staging folder, `.shipdate-staging-<pid>`.
const STAGING: &str = ".shipdate-staging-";
/// Name prefix of a replaced site on its way out, `.shipdate-old-<site>-<pid>`.
const OLD: &str = ".shipdate-old-";

/// A staging folder inside the output folder (same file system, so renames
/// are atomic), holding the output folder's lock until it is dropped.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
    _lock: File,
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file operation failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The output folder, or a site folder in it, is not one a build may replace.
    #[error("{}: {message}", path.display())]
    Refused {
        /// The folder.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
        /// What to do.
        hint: String,
    },
    /// Another build holds the output folder's lock.
    #[error("{}: another shipdate build is writing this output folder", path.display())]
    Busy {
        /// The lock file.
        path: PathBuf,
    },
}

impl OutputError {
    /// What to do about it, in plain words.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Self::Io { .. } => None,
            Self::Refused { hint, .. } => Some(hint),
            Self::Busy { .. } => Some("wait for the other build to finish, then build again"),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Staging {
    /// Checks that a build may write `sites` (`internal`, `external`) into
    /// `output` for the site at `root`, takes the output folder's lock,
    /// removes what crashed builds left, and creates
    /// `<output>/.shipdate-staging-<pid>/`.
    pub fn new(output: &Path, root: &Path, sites: &[&str]) -> Result<Self, OutputError> {
        guard::check_location(output, root)?;
        std::fs::create_dir_all(output).map_err(io(output))?;
        for site in sites {
            guard::check_replaceable(&output.join(site))?;
        }
        let lock = lock(output)?;
        remove_leftovers(output)?;
        let dir = output.join(format!("{STAGING}{}", std::process::id()));
        std::fs::create_dir(&dir).map_err(io(&dir))?;
        Ok(Self {
            output: output.to_path_buf(),
            dir,
            committed: false,
            _lock: lock,
        })
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swaps each staged top-level folder in `sites` (`internal`, `external`) into the output.
    pub fn commit(mut self, sites: &[&str]) -> Result<(), OutputError> {
        let mut replaced = Vec::new();
        for site in sites {
            let staged = self.dir.join(site);
            if !staged.exists() {
                continue;
            }
            let marker = staged.join(MARKER);
            std::fs::write(&marker, guard::MARKER_TEXT).map_err(io(&marker))?;
            let live = self.output.join(site);
            guard::check_replaceable(&live)?;
            let old = self
                .output
                .join(format!("{OLD}{site}-{}", std::process::id()));
            let had_live = std::fs::symlink_metadata(&live).is_ok();
            if had_live {
                std::fs::rename(&live, &old).map_err(io(&live))?;
            }
            if let Err(e) = std::fs::rename(&staged, &live) {
                // Put the previous site back before reporting.
                if had_live {
                    let _ = std::fs::rename(&old, &live);
                }
                return Err(OutputError::Io {
                    path: live,
                    source: e,
                });
            }
            if had_live {
                replaced.push(old);
            }
        }
        self.committed = true;
        for old in &replaced {
            remove_tree(old).map_err(io(old))?;
        }
        std::fs::remove_dir_all(&self.dir).map_err(io(&self.dir))
    }
}

/// Opens and locks `<output>/.shipdate-lock` (never through a symlink),
/// waiting up to [`LOCK_WAIT`] for another holder to let go.
fn lock(output: &Path) -> Result<File, OutputError> {
    let path = output.join(LOCK);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(OutputError::Refused {
            path,
            message: "is not a regular file".into(),
            hint: "delete it; shipdate creates its lock file itself".into(),
        });
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    // A short wait: a process started elsewhere in this program may hold a
    // copy of a just-closed lock between its fork and its exec.
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(OutputError::Busy { path }),
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
        }
    }
}

/// How long a build waits for the output folder's lock before it gives up.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Removes the staging and replaced folders of builds that did not finish
/// (killed, out of power); with the lock held, none of them is in use.
/// Links are removed, never followed. `.internal.old-N`/`.external.old-N`
/// are the names older versions used.
fn remove_leftovers(output: &Path) -> Result<(), OutputError> {
    let entries = std::fs::read_dir(output).map_err(io(output))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let leftover = name.starts_with(STAGING)
            || name.starts_with(OLD)
            || name.starts_with(".internal.old-")
            || name.starts_with(".external.old-");
        if leftover {
            let path = entry.path();
            remove_tree(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// Removes a folder tree, the entries two levels down in parallel: a site
/// has thousands of page folders under `releases/`, and unlinking them one by
/// one is a visible part of a large build.
/// A symlink is removed itself, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    if !std::fs::symlink_metadata(dir)?.is_dir() {
        return std::fs::remove_file(dir);
    }
    let entries: Vec<(PathBuf, bool)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.depth() == 2 || !e.file_type().is_dir())
        .map(|e| {
            let is_dir = e.file_type().is_dir();
            (e.into_path(), is_dir)
        })
        .collect();
    entries.par_iter().try_for_each(|(path, is_dir)| {
        if *is_dir {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        }
    })?;
    std::fs::remove_dir_all(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
        if path.split('/').any(|c| c == ".." || c.is_empty()) {
            return Err(RenderError::Write {
                path: path.into(),
                message: "path leaves the output folder".into(),
            });
        }
        let target = self.dir.join(path);
        let err = |e: std::io::Error| RenderError::Write {
            path: path.into(),
            message: e.to_string(),
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(err)?;
        }
        std::fs::write(&target, bytes).map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITES: &[&str] = &["internal", "external"];

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        (tmp, out)
    }

    #[test]
    fn commit_swaps_and_drop_discards() {
        let (tmp, out) = site();
        std::fs::create_dir_all(out.join("internal")).unwrap();
        std::fs::write(out.join("internal/old.html"), "old").unwrap();
        std::fs::write(out.join("internal").join(MARKER), "").unwrap();

        let staging = Staging::new(&out, tmp.path(), SITES).unwrap();
        staging.write("internal/new.html", b"new").unwrap();
        drop(staging);
        assert!(
            out.join("internal/old.html").exists(),
            "an abandoned build leaves the old output"
        );

        let staging = Staging::new(&out, tmp.path(), SITES).unwrap();
        staging.write("internal/new.html", b"new").unwrap();
        staging.commit(SITES).unwrap();
        assert!(!out.join("internal/old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("internal/new.html")).unwrap(),
            "new"
        );
        assert!(out.join("internal").join(MARKER).is_file());
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [LOCK, "internal"],
            "no staging or old folders are left"
        );
    }

    #[test]
    fn refuses_paths_outside_the_output() {
        let (tmp, out) = site();
        let staging = Staging::new(&out, tmp.path(), SITES).unwrap();
        assert!(staging.write("../evil", b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_site_folder_is_refused_and_its_target_untouched() {
        let (tmp, out) = site();
        let elsewhere = tmp.path().join("x");
        std::fs::create_dir_all(elsewhere.join("sub")).unwrap();
        std::fs::write(elsewhere.join("top.txt"), "keep").unwrap();
        std::fs::write(elsewhere.join(MARKER), "").unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("internal")).unwrap();
        let err = Staging::new(&out, tmp.path(), SITES).unwrap_err();
        assert!(matches!(err, OutputError::Refused { .. }), "{err}");
        assert!(elsewhere.join("top.txt").exists());
        assert!(elsewhere.join("sub").exists());
    }

    #[test]
    fn an_unmarked_site_folder_is_refused() {
        let (tmp, out) = site();
        std::fs::create_dir_all(out.join("external")).unwrap();
        std::fs::write(out.join("external/mine.txt"), "keep").unwrap();
        let err = Staging::new(&out, tmp.path(), SITES).unwrap_err();
        assert!(err.hint().is_some_and(|h| h.contains("--output")), "{err}");
        assert!(out.join("external/mine.txt").exists());
    }

    #[test]
    fn leftovers_of_crashed_builds_are_removed_and_never_in_the_way() {
        let (tmp, out) = site();
        let pid = std::process::id();
        for left in [
            format!("{STAGING}{pid}"),
            format!("{STAGING}1"),
            format!(".internal.old-{pid}"),
            format!("{OLD}internal-{pid}"),
        ] {
            std::fs::create_dir_all(out.join(&left).join("deep")).unwrap();
            std::fs::write(out.join(&left).join("deep/f"), "x").unwrap();
        }
        std::fs::create_dir_all(out.join("internal")).unwrap();
        std::fs::write(out.join("internal").join(MARKER), "").unwrap();
        let staging = Staging::new(&out, tmp.path(), SITES).unwrap();
        staging.write("internal/a.html", b"a").unwrap();
        staging.commit(SITES).unwrap();
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_second_build_cannot_take_the_lock() {
        let (tmp, out) = site();
        let first = Staging::new(&out, tmp.path(), SITES).unwrap();
        let second = Staging::new(&out, tmp.path(), SITES).unwrap_err();
        assert!(matches!(second, OutputError::Busy { .. }), "{second}");
        assert!(
            first.dir().exists(),
            "the first build's staging is untouched"
        );
        drop(first);
        assert!(Staging::new(&out, tmp.path(), SITES).is_ok());
    }
}
