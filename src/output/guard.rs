//! Where a build may write (SPEC §5.1): never `/`, the home folder, the site
//! root or a folder above it; never through a symlink; never over an
//! `internal/` or `external/` folder that shipdate did not write.

use std::path::{Component, Path, PathBuf};

use super::OutputError;

/// The file shipdate leaves in every site folder it writes; a folder with
/// it may be replaced by the next build, a non-empty one without it may not.
pub const MARKER: &str = ".shipdate-output";

/// What the marker file says to whoever opens it.
pub const MARKER_TEXT: &str =
    "Written by `shipdate build`, which replaces this folder on every build.\n";

/// Refuses an output folder whose replacement could delete what the user
/// keeps: `/`, the home folder, the site root or one of its ancestors.
pub fn check_location(output: &Path, root: &Path) -> Result<(), OutputError> {
    let out = resolve(output);
    let site = resolve(root);
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| resolve(Path::new(&h)));
    let why = if out.parent().is_none() {
        Some("is the file system's root")
    } else if home.as_deref() == Some(out.as_path()) {
        Some("is your home folder")
    } else if out == site {
        Some("is the site's own folder")
    } else if site.starts_with(&out) {
        Some("holds the site's folder")
    } else {
        None
    };
    match why {
        Some(why) => Err(OutputError::Refused {
            path: output.to_path_buf(),
            message: format!("the output folder {why}; a build replaces folders in it"),
            hint: "pass a folder of its own with --output (or `output:` in shipdate.yaml), such as public/".into(),
        }),
        None => Ok(()),
    }
}

/// Refuses to replace `live` unless it is absent, an empty folder, or a
/// folder with the [`MARKER`]; a symlink is refused whatever it points at.
pub fn check_replaceable(live: &Path) -> Result<(), OutputError> {
    let meta = match std::fs::symlink_metadata(live) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(super::io(live)(e)),
    };
    let refuse = |message: &str, hint: &str| OutputError::Refused {
        path: live.to_path_buf(),
        message: message.into(),
        hint: hint.into(),
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            "is a symbolic link; a build never writes or deletes through one",
            "remove the link (the folder it points to is left alone) or pass another --output",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            "is not a folder, so shipdate did not write it",
            "move the file away or pass another --output",
        ));
    }
    let marked = std::fs::symlink_metadata(live.join(MARKER)).is_ok_and(|m| m.is_file());
    let empty = std::fs::read_dir(live)
        .map_err(super::io(live))?
        .next()
        .is_none();
    if marked || empty {
        Ok(())
    } else {
        Err(refuse(
            &format!(
                "was not written by shipdate (it has no {MARKER} file), so a build will not replace it"
            ),
            "move its contents elsewhere or pass another --output; if shipdate wrote it before this check existed, delete the folder once",
        ))
    }
}

/// `path` made absolute with symlinks resolved as far as it exists, and
/// `.`/`..` applied to the rest.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(n) => out.push(n),
                    _ => {}
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_root_the_site_and_its_ancestors() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        for bad in [
            PathBuf::from("/"),
            site.clone(),
            tmp.path().to_path_buf(),
            site.join("sub/../.."),
        ] {
            assert!(
                matches!(
                    check_location(&bad, &site),
                    Err(OutputError::Refused { .. })
                ),
                "{}",
                bad.display()
            );
        }
        assert!(check_location(&site.join("public"), &site).is_ok());
        assert!(check_location(&tmp.path().join("elsewhere/out"), &site).is_ok());
    }

    #[test]
    fn replaces_only_marked_or_empty_folders_never_links() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert!(check_replaceable(&dir.join("absent")).is_ok());
        std::fs::create_dir(dir.join("empty")).unwrap();
        assert!(check_replaceable(&dir.join("empty")).is_ok());
        std::fs::create_dir(dir.join("mine")).unwrap();
        std::fs::write(dir.join("mine").join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_replaceable(&dir.join("mine")).is_ok());
        std::fs::create_dir(dir.join("theirs")).unwrap();
        std::fs::write(dir.join("theirs/keep.txt"), "x").unwrap();
        assert!(check_replaceable(&dir.join("theirs")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("mine"), dir.join("link")).unwrap();
            assert!(check_replaceable(&dir.join("link")).is_err());
        }
    }
}
