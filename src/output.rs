//! Output stage: write into a staging folder, then swap it in, so a failed
//! build never touches the previous output. The only module that writes the site.

use std::path::{Path, PathBuf};

use crate::render::{RenderError, Sink};

/// A staging folder inside the output folder (same file system, so renames are atomic).
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct OutputError {
    /// The path that failed.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError {
        path: path.to_path_buf(),
        source,
    }
}

impl Staging {
    /// Creates `<output>/.shipdate-staging-<pid>/`.
    pub fn new(output: &Path) -> Result<Self, OutputError> {
        std::fs::create_dir_all(output).map_err(io(output))?;
        let dir = output.join(format!(".shipdate-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Self {
            output: output.to_path_buf(),
            dir,
            committed: false,
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
            let live = self.output.join(site);
            let old = self
                .output
                .join(format!(".{site}.old-{}", std::process::id()));
            if live.exists() {
                std::fs::rename(&live, &old).map_err(io(&live))?;
            }
            if let Err(e) = std::fs::rename(&staged, &live) {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&old, &live);
                return Err(OutputError {
                    path: live,
                    source: e,
                });
            }
            if old.exists() {
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

/// Removes a folder tree, the entries two levels down in parallel: a site
/// has thousands of page folders under `releases/`, and unlinking them one by
/// one is a visible part of a large build.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
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

    #[test]
    fn commit_swaps_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("internal")).unwrap();
        std::fs::write(out.join("internal/old.html"), "old").unwrap();

        let staging = Staging::new(&out).unwrap();
        staging.write("internal/new.html", b"new").unwrap();
        drop(staging);
        assert!(
            out.join("internal/old.html").exists(),
            "an abandoned build leaves the old output"
        );

        let staging = Staging::new(&out).unwrap();
        staging.write("internal/new.html", b"new").unwrap();
        staging.commit(&["internal", "external"]).unwrap();
        assert!(!out.join("internal/old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("internal/new.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            1,
            "no staging or old folders are left"
        );
    }

    #[test]
    fn refuses_paths_outside_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(tmp.path()).unwrap();
        assert!(staging.write("../evil", b"x").is_err());
    }
}
