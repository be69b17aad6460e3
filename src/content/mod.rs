//! Content stage: walk `content/`, split front matter, parse releases in parallel.

mod cache;
pub mod frontmatter;
pub mod lifecycle;
pub mod markdown;
pub mod placeholder;
pub mod public;
pub mod release;
mod source;
pub mod theme;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Position};
pub use cache::Cache;
pub use frontmatter::Status;
pub use markdown::Body;
pub use release::Release;
pub use source::split_front_matter;

/// The content folder's name under the site root.
pub const CONTENT_DIR: &str = "content";
/// The optional home-page file.
pub const HOME_FILE: &str = "_index.md";

/// The home page intro (`content/_index.md`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Home {
    /// Optional title.
    pub title: Option<String>,
    /// Rendered body: internal HTML has all of it, external only `.external` sections.
    pub body: Body,
    /// Free-form template data.
    pub extra: serde_json::Value,
}

/// Everything loaded from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Releases, sorted by ship date then id; shared with the content cache
    /// of `serve`, so a rebuild does not copy the unchanged ones.
    pub releases: Vec<Arc<Release>>,
    /// Home page intro.
    pub home: Home,
    /// Ids of release files that failed to load or were left out (drafts).
    pub absent_ids: std::collections::HashSet<String>,
}

/// Loads every release under `root/content`, collecting all errors of all files.
pub fn load(root: &Path, config: &SiteConfig, include_drafts: bool) -> (Content, Vec<Diagnostic>) {
    let dir = root.join(CONTENT_DIR);
    let (files, errors) = release_files(root, &dir);
    let parsed: Vec<Result<Arc<Release>, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|path| load_release(root, path, config).map(Arc::new))
        .collect();
    assemble(root, &files, parsed, errors, include_drafts)
}

/// Sorts parsed files into releases and errors, adds the home page, leaves
/// out drafts unless asked for them.
fn assemble(
    root: &Path,
    files: &[PathBuf],
    parsed: Vec<Result<Arc<Release>, Vec<Diagnostic>>>,
    mut errors: Vec<Diagnostic>,
    include_drafts: bool,
) -> (Content, Vec<Diagnostic>) {
    let (releases, absent_ids) = sort_parsed(files, parsed, &mut errors, include_drafts);
    let home = match load_home(root, &root.join(CONTENT_DIR).join(HOME_FILE)) {
        Ok(home) => home,
        Err(e) => {
            errors.push(e);
            Home::default()
        }
    };
    (
        Content {
            releases,
            home,
            absent_ids,
        },
        errors,
    )
}

/// Releases parsed from texts that are not files of the work tree (the plan
/// at a past commit, for `shipdate diff`): `(path relative to the site
/// root, text)`. No home page.
pub fn from_texts(
    texts: &[(PathBuf, String)],
    config: &SiteConfig,
    include_drafts: bool,
) -> (Content, Vec<Diagnostic>) {
    let files: Vec<PathBuf> = texts.iter().map(|(p, _)| p.clone()).collect();
    let parsed = texts
        .par_iter()
        .map(|(rel, text)| parse_release(rel, text, config).map(Arc::new))
        .collect();
    let mut errors = Vec::new();
    let (releases, absent_ids) = sort_parsed(&files, parsed, &mut errors, include_drafts);
    let content = Content {
        releases,
        home: Home::default(),
        absent_ids,
    };
    (content, errors)
}

/// The releases that parsed, sorted by ship date then id, and the ids of
/// the files that did not (or are drafts left out).
fn sort_parsed(
    files: &[PathBuf],
    parsed: Vec<Result<Arc<Release>, Vec<Diagnostic>>>,
    errors: &mut Vec<Diagnostic>,
    include_drafts: bool,
) -> (Vec<Arc<Release>>, std::collections::HashSet<String>) {
    let mut releases = Vec::with_capacity(parsed.len());
    let mut absent_ids = std::collections::HashSet::new();
    for (path, result) in files.iter().zip(parsed) {
        match result {
            Ok(r) => releases.push(r),
            Err(e) => {
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                absent_ids.insert(release::default_id(stem));
                errors.extend(e);
            }
        }
    }
    if !include_drafts {
        absent_ids.extend(releases.iter().filter(|r| r.draft).map(|r| r.id.clone()));
        releases.retain(|r| !r.draft);
    }
    // The key converts time zones: compute it once per release, not per comparison.
    // Undecided (`tbd`) releases sort last.
    releases.sort_by_cached_key(|r| {
        let start = r.date.map(|d| d.start_utc(r.timezone));
        (start.is_none(), start, r.id.clone())
    });
    (releases, absent_ids)
}

/// Every `*.md` below `dir`, skipping names that start with `_` or `.`; sorted.
fn release_files(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    if !dir.is_dir() {
        return (files, errors);
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                files.push(e.into_path());
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop in content/".to_string()
                } else {
                    format!("cannot read: {e}")
                };
                errors.push(
                    Diagnostic::error("io", path, Position::new(1, 1), message)
                        .with_hint("remove the link or fix the file's permissions"),
                );
            }
        }
    }
    (files, errors)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('_') || n.starts_with('.'))
}

/// `path` relative to `root`, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn load_release(root: &Path, path: &Path, config: &SiteConfig) -> Result<Release, Vec<Diagnostic>> {
    let rel = relative(root, path);
    let text = source::read_text(root, path, &rel).map_err(|d| vec![d])?;
    parse_release(&rel, &text, config)
}

/// Parses the text of a release file at `rel` (relative to the site root;
/// its stem gives the default id). The history stage reads past versions
/// through here too, so they resolve exactly like the working tree.
pub fn parse_release(
    rel: &Path,
    text: &str,
    config: &SiteConfig,
) -> Result<Release, Vec<Diagnostic>> {
    let split = split_front_matter(text, rel).map_err(|d| vec![d])?;
    // An empty block is an empty mapping, so the error names the missing keys.
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    let fm: frontmatter::FrontMatter = crate::yaml::parse_all(yaml, rel, split.first_line)?;
    let mut body = markdown::render(split.body);
    body.first_line = text[..text.len() - split.body.len()].matches('\n').count() as u64 + 1;
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let src = release::Source {
        path: rel,
        stem,
        first_line: split.first_line,
        positions: source::key_positions(split.yaml, split.first_line),
    };
    release::resolve(fm, body, src, config)
}

/// True for a path (relative to the site root, `/`-separated) that `load`
/// reads as a release: a `*.md` under `content/` with no part starting with `_` or `.`.
pub fn is_release_path(rel: &str) -> bool {
    let Some(rest) = rel
        .strip_prefix(CONTENT_DIR)
        .and_then(|r| r.strip_prefix('/'))
    else {
        return false;
    };
    rest.ends_with(".md")
        && rest
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with(['_', '.']))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct HomeFront {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    extra: serde_json::Value,
}

fn load_home(root: &Path, path: &Path) -> Result<Home, Diagnostic> {
    if !path.is_file() {
        return Ok(Home::default());
    }
    let rel = relative(root, path);
    let text = source::read_text(root, path, &rel)?;
    let (front, body) = if text.starts_with("---") {
        let split = split_front_matter(&text, &rel)?;
        let front: HomeFront = if split.yaml.trim().is_empty() {
            HomeFront::default()
        } else {
            crate::yaml::parse(split.yaml, &rel, split.first_line)?
        };
        (front, split.body)
    } else {
        (HomeFront::default(), text.as_str())
    };
    Ok(Home {
        title: front.title,
        body: markdown::render_with_internal_only(body),
        extra: front.extra,
    })
}
