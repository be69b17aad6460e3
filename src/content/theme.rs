//! Reads a theme's template overrides and the static files of theme and site.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Position};

/// Template and static files read from disk, layered over the built-in theme.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ThemeSources {
    /// `(name, text)` of templates in `themes/<name>/templates/`, names relative to that folder.
    pub templates: Vec<(String, String)>,
    /// `(path, bytes)` of static files: the theme's first, then the site's (which win).
    pub static_files: Vec<(String, Vec<u8>)>,
}

/// Reads `themes/<theme>/templates`, `themes/<theme>/static` and `static/` under `root`.
pub fn load(root: &Path, theme: Option<&str>) -> Result<ThemeSources, Vec<Diagnostic>> {
    let mut sources = ThemeSources::default();
    let mut errors = Vec::new();
    if let Some(theme) = theme {
        let dir = root.join("themes").join(theme);
        if !dir.is_dir() && theme != "default" {
            errors.push(
                Diagnostic::error(
                    "unknown-theme",
                    crate::config::CONFIG_FILE,
                    Position::new(1, 1),
                    format!("theme `{theme}` not found in themes/"),
                )
                .with_hint(
                    "create themes/<name>/templates/ or remove `theme:` to use the built-in theme",
                ),
            );
        }
        for (name, bytes) in read_tree(root, &dir.join("templates"), &mut errors) {
            match String::from_utf8(bytes) {
                Ok(text) => sources.templates.push((name, text)),
                Err(_) => errors.push(Diagnostic::error(
                    "invalid-utf8",
                    dir.join("templates").join(&name),
                    Position::new(1, 1),
                    "template is not valid UTF-8",
                )),
            }
        }
        sources
            .static_files
            .extend(read_tree(root, &dir.join("static"), &mut errors));
    }
    sources
        .static_files
        .extend(read_tree(root, &root.join("static"), &mut errors));
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

fn read_tree(root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::error(
                    "io",
                    super::relative(root, e.path().unwrap_or(dir)),
                    Position::new(1, 1),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel: PathBuf = entry
            .path()
            .strip_prefix(dir)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => out.push((name, bytes)),
            Err(e) => errors.push(Diagnostic::error(
                "io",
                super::relative(root, entry.path()),
                Position::new(1, 1),
                format!("cannot read: {e}"),
            )),
        }
    }
    out
}
