//! `shipdate new`: a release file from its type's template, so writing a plan
//! means filling in blanks rather than remembering a process.
//!
//! Templates are `templates/new/<type>.md` of the theme (built-in ones are
//! embedded, see [`crate::render::templates::NEW_TEMPLATES`]); a theme may
//! replace them or add templates for its own release types.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::config::{ReleaseType, SiteConfig, is_id};
use crate::content::{self, CONTENT_DIR};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::moment::Moment;
use crate::offset::Offset;
use crate::render::templates::{self, NEW_PREFIX, TemplateError};

/// Where `new` puts release files, under `content/`.
pub const RELEASES_DIR: &str = "releases";

/// Offsets whose dates every template can show as `dates["T-2w"]`.
const DATE_OFFSETS: &[&str] = &[
    "T-6w", "T-4w", "T-3w", "T-2w", "T-1w", "T-3d", "T-1d", "T", "T+1d", "T+2d", "T+1w", "T+2w",
    "T+4w",
];

/// What to create.
#[derive(Debug, Clone)]
pub struct NewRelease {
    /// Site root.
    pub root: PathBuf,
    /// Release title.
    pub title: String,
    /// Owning team id.
    pub team: String,
    /// Release type id.
    pub kind: String,
    /// Ship date, in any front-matter form.
    pub date: String,
    /// Explicit id; else the title's slug.
    pub id: Option<String>,
    /// Today, for templates.
    pub now: DateTime<Utc>,
}

/// A bad argument: which one, what is wrong, what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgProblem {
    /// The flag or argument (`--team`).
    pub arg: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

/// Why no file was written.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// `shipdate.yaml` has errors; fix them first.
    #[error("shipdate.yaml has errors")]
    Config(Vec<Diagnostic>),
    /// Arguments that do not fit the site (unknown team or type, bad date); all of them.
    #[error("{} invalid argument(s)", .0.len())]
    Invalid(Vec<ArgProblem>),
    /// The file exists; `new` never overwrites.
    #[error("{} already exists; shipdate new never overwrites a release", .0.display())]
    Exists(PathBuf),
    /// The type's template failed.
    #[error("template `{name}`: {source}")]
    Template {
        /// Template name.
        name: String,
        /// Why.
        source: TemplateError,
    },
    /// The theme's templates could not be read.
    #[error("the theme could not be read")]
    Theme(Vec<Diagnostic>),
    /// The file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// What `new` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    /// The new file, relative to the root.
    pub path: PathBuf,
    /// The release id.
    pub id: String,
    /// The template used.
    pub template: String,
}

/// The values every `new/*.md` template sees.
#[derive(Debug, Serialize)]
struct NewContext<'a> {
    title: &'a str,
    /// Only when given with `--id` (else it comes from the file name).
    id: Option<&'a str>,
    slug: &'a str,
    /// A feature-flag name derived from the id (`payments_v2`).
    flag: String,
    team: &'a str,
    team_name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    ceremony: &'a str,
    /// The ship date as it goes into the front matter.
    date: &'a str,
    /// The ship day, `YYYY-MM-DD`.
    day: String,
    /// The type's groups as YAML flow items: `support` or `{id: support, at: T-1h}`.
    stakeholders: Vec<String>,
    /// `"T-2w"` → "Tue 17 Nov 2026".
    dates: BTreeMap<&'static str, String>,
    /// `"T-2w"` → true when that moment has already begun at "now": a gate
    /// due then would be overdue the moment the file is written, so the
    /// templates leave it out and say so.
    past: BTreeMap<&'static str, bool>,
    today: String,
}

/// Validates the arguments against the site and writes the release file.
pub fn create(req: &NewRelease) -> Result<Created, NewError> {
    let config = SiteConfig::load(&req.root).map_err(NewError::Config)?;
    let mut problems = Vec::new();
    let title = req.title.trim();
    if title.is_empty() {
        problems.push(problem("TITLE", "the title is empty", None));
    }
    check_team(&config, &req.team, &mut problems);
    let release_type = check_type(&config, &req.kind, &mut problems);
    let date_text = req.date.trim().replacen(' ', "T", 1);
    let moment = parse_date(&config, &date_text, &mut problems);
    let slug = file_slug(req.id.as_deref(), title, &mut problems);
    let (Some(release_type), Some(moment), true) = (release_type, moment, problems.is_empty())
    else {
        return Err(NewError::Invalid(problems));
    };
    let day = moment.local_date(config.timezone);
    let (path, rel) = free_path(req, &config, day, &slug)?;
    let context = NewContext {
        title,
        id: req.id.as_deref(),
        slug: &slug,
        flag: slug.replace('-', "_"),
        team: &req.team,
        team_name: config
            .team(&req.team)
            .map(|t| t.name.as_str())
            .unwrap_or(&req.team),
        kind: &req.kind,
        ceremony: &release_type.ceremony,
        date: &date_text,
        day: day.to_string(),
        stakeholders: stakeholders(&config, release_type),
        dates: offset_dates(&config, moment),
        past: past_offsets(&config, moment, req.now),
        today: req
            .now
            .with_timezone(&config.timezone)
            .date_naive()
            .to_string(),
    };
    let (template, text) = render_new(req, &config, &context)?;
    write_new(&path, &rel, text.as_bytes())?;
    Ok(Created {
        path: rel,
        id: slug,
        template,
    })
}

/// The configured release type `kind`; unknown, a problem with a suggestion.
fn check_type<'c>(
    config: &'c SiteConfig,
    kind: &str,
    problems: &mut Vec<ArgProblem>,
) -> Option<&'c ReleaseType> {
    let release_type = config.release_types.get(kind);
    if release_type.is_none() {
        let known: Vec<&str> = config.release_types.keys().map(String::as_str).collect();
        problems.push(problem(
            "--type",
            format!("unknown release type `{kind}`"),
            Some(match did_you_mean(kind, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("use one of: {}", known.join(", ")),
            }),
        ));
    }
    release_type
}

/// The ship date, in the site's time zone unless it says otherwise.
fn parse_date(
    config: &SiteConfig,
    date_text: &str,
    problems: &mut Vec<ArgProblem>,
) -> Option<Moment> {
    Moment::parse(date_text, config.timezone)
        .map_err(|e| {
            problems.push(problem(
                "--date",
                e.to_string(),
                Some("write the ship date as `2026-12-01`, `2026-12-01T14:00` (site time zone) or `2026-12-01T14:00:00Z`".into()),
            ));
        })
        .ok()
}

/// The release id that names the file: `--id`, else the title slugged.
fn file_slug(id: Option<&str>, title: &str, problems: &mut Vec<ArgProblem>) -> String {
    match id {
        Some(id) if !is_id(id) => {
            problems.push(problem(
                "--id",
                format!("`{id}` is not a valid release id"),
                Some("ids use lowercase letters, digits and `-` only".into()),
            ));
            String::new()
        }
        Some(id) => id.to_string(),
        None => {
            let slug = slug::slugify(title);
            if slug.is_empty() && !title.is_empty() {
                problems.push(problem(
                    "TITLE",
                    format!("`{title}` has no letters or digits to name the file after"),
                    Some("pass `--id some-name`".into()),
                ));
            }
            slug
        }
    }
}

/// `content/releases/<day>-<slug>.md` (full path and relative to the root),
/// refused when the file or a release with that id exists.
fn free_path(
    req: &NewRelease,
    config: &SiteConfig,
    day: NaiveDate,
    slug: &str,
) -> Result<(PathBuf, PathBuf), NewError> {
    let rel = Path::new(CONTENT_DIR)
        .join(RELEASES_DIR)
        .join(format!("{day}-{slug}.md"));
    let path = req.root.join(&rel);
    if path.exists() {
        return Err(NewError::Exists(rel));
    }
    if let Some(other) = existing_release(&req.root, config, slug) {
        return Err(NewError::Invalid(vec![problem(
            if req.id.is_some() { "--id" } else { "TITLE" },
            format!(
                "a release with id `{slug}` already exists: {}",
                other.display()
            ),
            Some("ids must be unique; pass `--id` with another one".into()),
        )]));
    }
    Ok((path, rel))
}

/// The type's stakeholder groups, plus support when the site has it.
fn stakeholders(config: &SiteConfig, release_type: &ReleaseType) -> Vec<String> {
    let mut stakeholders: Vec<String> = release_type
        .stakeholders
        .iter()
        .map(|s| match s.at {
            Some(at) => format!("{{id: {}, at: {at}}}", s.id),
            None => s.id.clone(),
        })
        .collect();
    // Support should never learn about a change from a customer (SPEC §5.2).
    if !release_type.stakeholders.iter().any(|s| s.id == "support")
        && config.stakeholders.contains_key("support")
    {
        stakeholders.push("support".into());
    }
    stakeholders
}

/// Each of [`DATE_OFFSETS`] from the ship date, as a day ("Tue 17 Nov 2026").
fn offset_dates(config: &SiteConfig, moment: Moment) -> BTreeMap<&'static str, String> {
    DATE_OFFSETS
        .iter()
        .filter_map(|text| {
            let offset = Offset::parse(text).ok()?;
            let when = moment.offset_by(offset, config.timezone, config);
            Some((
                *text,
                when.local_date(config.timezone)
                    .format("%a %-d %b %Y")
                    .to_string(),
            ))
        })
        .collect()
}

/// Each of [`DATE_OFFSETS`] from the ship date: already past at `now`?
/// (`new` leaves out gates that would be overdue the moment it writes them.)
fn past_offsets(
    config: &SiteConfig,
    moment: Moment,
    now: DateTime<Utc>,
) -> BTreeMap<&'static str, bool> {
    DATE_OFFSETS
        .iter()
        .filter_map(|text| {
            let offset = Offset::parse(text).ok()?;
            let when = moment.offset_by(offset, config.timezone, config);
            Some((*text, when.start_utc(config.timezone) < now))
        })
        .collect()
}

/// Renders the `new/` template for the type (else `default.md`, else
/// `minor.md`) of the site's theme; returns its name and the text.
fn render_new(
    req: &NewRelease,
    config: &SiteConfig,
    context: &NewContext,
) -> Result<(String, String), NewError> {
    let theme =
        content::theme::load(&req.root, config.theme.as_deref()).map_err(NewError::Theme)?;
    let tera = templates::load_new(&theme).map_err(|source| NewError::Template {
        name: format!("{NEW_PREFIX}*.md"),
        source,
    })?;
    let name = [
        format!("{NEW_PREFIX}{}.md", req.kind),
        format!("{NEW_PREFIX}default.md"),
        format!("{NEW_PREFIX}minor.md"),
    ]
    .into_iter()
    .find(|n| tera.get_template_names().any(|t| t == n))
    .unwrap_or_else(|| format!("{NEW_PREFIX}{}.md", req.kind));
    let ctx = tera::Context::from_serialize(context).map_err(|e| NewError::Template {
        name: name.clone(),
        source: e.into(),
    })?;
    let text = tera.render(&name, &ctx).map_err(|e| NewError::Template {
        name: name.clone(),
        source: e.into(),
    })?;
    Ok((name, text))
}

fn problem(arg: &'static str, message: impl Into<String>, hint: Option<String>) -> ArgProblem {
    ArgProblem {
        arg,
        message: message.into(),
        hint,
    }
}

fn check_team(config: &SiteConfig, team: &str, problems: &mut Vec<ArgProblem>) {
    if config.teams.is_empty() {
        if !is_id(team) {
            problems.push(problem(
                "--team",
                format!("`{team}` is not a valid team id"),
                Some("team ids use lowercase letters, digits and `-` only".into()),
            ));
        }
        return;
    }
    if config.team(team).is_some() {
        return;
    }
    let known: Vec<&str> = config.teams.iter().map(|t| t.id.as_str()).collect();
    problems.push(problem(
        "--team",
        format!("unknown team `{team}`"),
        Some(match did_you_mean(team, known.iter().copied()) {
            Some(t) => format!("did you mean `{t}`?"),
            None => format!(
                "teams in shipdate.yaml: {}; add new ones under `teams:`",
                known.join(", ")
            ),
        }),
    ));
}

/// The file of an existing release with `id` among those that load; errors
/// in other files are not `new`'s business (`check` reports them).
fn existing_release(root: &Path, config: &SiteConfig, id: &str) -> Option<PathBuf> {
    let (content, _errors) = content::load(root, config, true);
    content
        .releases
        .into_iter()
        .find(|r| r.id == id)
        .map(|r| r.path.clone())
}

/// Writes a file that must not exist yet (no race with a concurrent `new`).
fn write_new(path: &Path, rel: &Path, bytes: &[u8]) -> Result<(), NewError> {
    let io = |source| NewError::Io {
        path: rel.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                NewError::Exists(rel.to_path_buf())
            } else {
                io(e)
            }
        })?;
    file.write_all(bytes).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(root: &Path, kind: &str) -> NewRelease {
        NewRelease {
            root: root.to_path_buf(),
            title: "Payments v2: saved cards".into(),
            team: "checkout".into(),
            kind: kind.into(),
            date: "2027-03-02".into(),
            id: None,
            now: crate::now::parse("2027-01-04").unwrap(),
        }
    }

    #[test]
    fn writes_a_dated_slugged_file_with_quoted_title() {
        let tmp = tempfile::tempdir().unwrap();
        let created = create(&request(tmp.path(), "hotfix")).unwrap();
        assert_eq!(
            created.path,
            Path::new("content/releases/2027-03-02-payments-v2-saved-cards.md")
        );
        let text = std::fs::read_to_string(tmp.path().join(&created.path)).unwrap();
        assert!(
            text.contains("title: \"Payments v2: saved cards\"\n"),
            "{text}"
        );
        assert!(text.contains("type: hotfix\n"));
    }

    #[test]
    fn reports_every_bad_argument_with_hints() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("shipdate.yaml"),
            "teams:\n  - {id: checkout}\n",
        )
        .unwrap();
        let mut req = request(tmp.path(), "majr");
        req.team = "chekout".into();
        req.date = "2027-02-30".into();
        let Err(NewError::Invalid(problems)) = create(&req) else {
            panic!("expected invalid arguments")
        };
        let args: Vec<&str> = problems.iter().map(|p| p.arg).collect();
        assert_eq!(args, ["--team", "--type", "--date"]);
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `checkout`?")
        );
        assert_eq!(problems[1].hint.as_deref(), Some("did you mean `major`?"));
    }

    #[test]
    fn never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        create(&request(tmp.path(), "minor")).unwrap();
        assert!(matches!(
            create(&request(tmp.path(), "minor")),
            Err(NewError::Exists(_))
        ));
    }
}
