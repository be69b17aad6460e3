//! `shipdate init`: a new site from the scaffold embedded in the binary
//! (`themes/default/scaffold/`): config, example releases, `.gitignore`, and a
//! GitHub Actions workflow that publishes only the external site. With
//! `--example`, [`example`] writes the full example site as a git repository.

pub mod example;
mod import;
mod replay;
mod script;

pub use replay::ScriptError;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};

macro_rules! scaffold {
    ($($target:literal <= $source:literal),* $(,)?) => {
        &[$(($target, include_str!(concat!("../themes/default/scaffold/", $source)))),*]
    };
}

/// Files copied as they are: `(path in the new site, text)`. Names that start
/// with a dot are stored without it, so they do not act inside this repository.
const FILES: &[(&str, &str)] = scaffold![
    "shipdate.yaml" <= "shipdate.yaml",
    "content/_index.md" <= "content/_index.md",
];

/// Files every new site gets, the example too.
const COMMON: &[(&str, &str)] =
    scaffold![".github/workflows/pages.yml" <= "github/workflows/pages.yml"];

/// Example releases, rendered with dates around "now" so the new site has a
/// past, a present and a future: `(file name after the date, template)`.
const EXAMPLES: &[(&str, Example, &str)] = &[
    (
        "dark-mode.md",
        Example::Shipped,
        include_str!("../themes/default/scaffold/content/releases/shipped-minor.md"),
    ),
    (
        "csv-export-timeouts.md",
        Example::Hotfix,
        include_str!("../themes/default/scaffold/content/releases/hotfix.md"),
    ),
    (
        "saved-payment-methods.md",
        Example::Planned,
        include_str!("../themes/default/scaffold/content/releases/planned-major.md"),
    ),
];

/// Stands for this shipdate's version in the scaffold: the workflow
/// installs the release that wrote it.
const VERSION: &str = "@SHIPDATE_VERSION@";

/// Lines the site's `.gitignore` must have (merged into an existing one).
const GITIGNORE: &str = include_str!("../themes/default/scaffold/gitignore");

#[derive(Debug, Clone, Copy)]
enum Example {
    Shipped,
    Hotfix,
    Planned,
}

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder has files and `--force` was not given.
    #[error("{} is not empty ({})", .dir.display(), .entries.join(", "))]
    NotEmpty {
        /// The folder.
        dir: PathBuf,
        /// Some of what is in it.
        entries: Vec<String>,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An example template failed (a bug in the scaffold).
    #[error("scaffold template {name}: {message}")]
    Template {
        /// Which example.
        name: &'static str,
        /// Why.
        message: String,
    },
    /// `--example` into a folder that already holds a git repository.
    #[error("{} is already a git repository", .dir.display())]
    Repository {
        /// The folder.
        dir: PathBuf,
    },
    /// `--example` without a `git` to run.
    #[error("{}: --example needs git, and {source}", .dir.display())]
    NoGit {
        /// The folder.
        dir: PathBuf,
        /// Why git did not run.
        source: crate::history::git::GitError,
    },
    /// git failed while writing the example's history.
    #[error("{}: {source}", .dir.display())]
    Git {
        /// The folder.
        dir: PathBuf,
        /// What git said.
        source: crate::history::git::GitError,
    },
    /// The example's scripted history does not fit its content (a bug in
    /// `init/script.rs`, caught by its tests).
    #[error("the example's history does not fit its content: {0}")]
    Script(#[source] replay::ScriptError),
}

/// What `init` wrote, relative to the site folder.
#[derive(Debug, Clone, Default)]
pub struct Initialized {
    /// Files created or replaced.
    pub written: Vec<PathBuf>,
    /// Files that existed and were extended (`.gitignore`).
    pub merged: Vec<PathBuf>,
    /// Commits of scripted history (`--example`); 0 otherwise.
    pub commits: usize,
}

/// Creates a site in `dir`. Refuses a folder with visible entries unless
/// `force`; hidden ones (`.git`, an editor's folder) do not count, so `git
/// init` or a fresh clone can come first. With `force`, scaffold files are
/// replaced and nothing else is touched; `.gitignore` is always merged.
pub fn init(dir: &Path, force: bool, now: DateTime<Utc>) -> Result<Initialized, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    refuse_non_empty(dir, force, false)?;

    let files = scaffold_files(now.date_naive())?;
    let mut done = Initialized::default();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
        done.written.push(rel);
    }
    let gitignore = dir.join(".gitignore");
    match std::fs::read_to_string(&gitignore) {
        Ok(existing) => {
            let merged = merge_gitignore(&existing);
            if merged != existing {
                std::fs::write(&gitignore, merged).map_err(io(&gitignore))?;
                done.merged.push(PathBuf::from(".gitignore"));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::write(&gitignore, GITIGNORE).map_err(io(&gitignore))?;
            done.written.push(PathBuf::from(".gitignore"));
        }
        Err(e) => return Err(io(&gitignore)(e)),
    }
    Ok(done)
}

/// The scaffold's files and the three example releases, dated around `today`.
fn scaffold_files(today: NaiveDate) -> Result<Vec<(PathBuf, String)>, InitError> {
    let mut files: Vec<(PathBuf, String)> = FILES
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .chain(
            common_files()
                .into_iter()
                .filter(|(p, _)| p != ".gitignore"),
        )
        .map(|(path, text)| (PathBuf::from(path), text))
        .collect();
    for (name, example, template) in EXAMPLES {
        let day = example_day(*example, today);
        let text = template.replace(
            match example {
                Example::Shipped => "{{ shipped }}",
                Example::Hotfix => "{{ hotfix }}",
                Example::Planned => "{{ planned }}",
            },
            &day.to_string(),
        );
        if text.contains("{{") {
            return Err(InitError::Template {
                name,
                message: "a placeholder was left unfilled".into(),
            });
        }
        files.push((
            Path::new("content/releases").join(format!("{day}-{name}")),
            text,
        ));
    }

    Ok(files)
}

/// `existing` with each line of our `.gitignore` it lacks added at the end.
fn merge_gitignore(existing: &str) -> String {
    let mut merged = existing.to_string();
    for line in GITIGNORE.lines().filter(|l| !l.starts_with('#')) {
        if !existing.lines().any(|l| l.trim() == line.trim()) {
            if !merged.is_empty() && !merged.ends_with('\n') {
                merged.push('\n');
            }
            merged.push_str(line);
            merged.push('\n');
        }
    }
    merged
}

/// Refuses a folder with entries unless `force` (a folder that does not
/// exist yet is fine). Hidden entries (`.git`, an editor's folder) count
/// only with `count_hidden`.
fn refuse_non_empty(dir: &Path, force: bool, count_hidden: bool) -> Result<(), InitError> {
    if force || !dir.exists() {
        return Ok(());
    }
    let mut entries: Vec<String> = std::fs::read_dir(dir)
        .map_err(|source| InitError::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| count_hidden || !name.starts_with('.'))
        .collect();
    entries.sort();
    if entries.is_empty() {
        return Ok(());
    }
    entries.truncate(5);
    Err(InitError::NotEmpty {
        dir: dir.to_path_buf(),
        entries,
    })
}

/// The files every new site gets, example or not: the Pages workflow (with
/// this shipdate's version) and `.gitignore`, as `(path, text)`.
fn common_files() -> Vec<(String, String)> {
    COMMON
        .iter()
        .map(|(path, text)| {
            (
                path.to_string(),
                text.replace(VERSION, env!("CARGO_PKG_VERSION")),
            )
        })
        .chain([(".gitignore".to_string(), GITIGNORE.to_string())])
        .collect()
}

/// Ship days of the examples, on weekdays: a minor ten days ago, a hotfix
/// two days ago, a major six weeks out.
fn example_day(example: Example, today: NaiveDate) -> NaiveDate {
    let (days_back, days_ahead) = match example {
        Example::Shipped => (10, 0),
        Example::Hotfix => (2, 0),
        Example::Planned => (0, 42),
    };
    let mut day = today
        .checked_sub_days(Days::new(days_back))
        .and_then(|d| d.checked_add_days(Days::new(days_ahead)))
        .unwrap_or(today);
    // Nobody ships on a weekend: go back to Friday for the past, on to Tuesday ahead.
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = if days_ahead > 0 {
            day.succ_opt().unwrap_or(day)
        } else {
            day.pred_opt().unwrap_or(day)
        };
    }
    if days_ahead > 0 && day.weekday() == Weekday::Mon {
        day = day.succ_opt().unwrap_or(day);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_fall_on_weekdays() {
        let mut day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        for _ in 0..14 {
            for e in [Example::Shipped, Example::Hotfix, Example::Planned] {
                let d = example_day(e, day);
                assert!(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun), "{d}");
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn merges_gitignore_and_refuses_a_non_empty_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let now = crate::now::parse("2026-11-23").unwrap();
        std::fs::write(tmp.path().join(".gitignore"), "target/").unwrap();
        let done = init(tmp.path(), false, now).unwrap();
        assert_eq!(done.merged, [PathBuf::from(".gitignore")]);
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(".gitignore")).unwrap(),
            "target/\npublic/\n"
        );
        assert!(matches!(
            init(tmp.path(), false, now),
            Err(InitError::NotEmpty { .. })
        ));
        assert!(init(tmp.path(), true, now).unwrap().merged.is_empty());
    }
}
