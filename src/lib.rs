//! shipdate: a static-site generator for release coordination.
//!
//! The build is a pipeline, one module per stage:
//! `config` → `content` → `history` → `checks` → `schedule` → `render` → `output`.
//! Only `content`, `history` (git) and `output` touch the file system;
//! `render` turns the model ([`site::Site`]) into bytes. `checks` and `render`
//! never import each other nor this root; both word dates through [`wording`].
//! [`build`] runs the stages in order, timing each.
#![warn(missing_docs)]

pub mod checks;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod diff;
pub mod history;
pub mod init;
pub mod metrics;
pub mod moment;
pub mod new;
pub mod now;
pub mod offset;
pub mod output;
pub mod read;
pub mod render;
pub mod schedule;
pub mod serve;
pub mod site;
pub mod timing;
pub mod triage;
pub mod wording;
mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::config::SiteConfig;
use crate::content::Content;
use crate::content::theme::ThemeSources;
use crate::diagnostic::Diagnostic;
use crate::render::Audience;
pub use crate::site::{FileFacts, Site};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (where `shipdate.yaml` and `content/` are).
    pub root: PathBuf,
    /// Output folder; defaults to the config's `output` under the root.
    pub output: Option<PathBuf>,
    /// Which sites to write.
    pub audience: Audience,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// The build's "now".
    pub now: DateTime<Utc>,
    /// Include drafts.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
}

impl BuildOptions {
    /// Options for building `root` at `now` with defaults otherwise.
    pub fn new(root: impl Into<PathBuf>, now: DateTime<Utc>) -> Self {
        Self {
            root: root.into(),
            output: None,
            audience: Audience::All,
            base_url: None,
            now,
            drafts: false,
            strict: false,
        }
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content or config problems; all of them, sorted.
    #[error("{} error(s) in the site", .0.iter().filter(|d| d.is_error()).count())]
    Content(Vec<Diagnostic>),
    /// A template failed.
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// The output could not be written.
    #[error(transparent)]
    Output(#[from] output::OutputError),
}

/// One timed stage of a build, for `--verbose`.
#[derive(Debug, Clone)]
pub struct Step {
    /// Stage name.
    pub name: &'static str,
    /// How long it took.
    pub took: Duration,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Releases built.
    pub releases: usize,
    /// Files written per kind.
    pub stats: render::RenderStats,
    /// Sites written (`internal`, `external`).
    pub sites: Vec<&'static str>,
    /// Warnings (they did not fail the build).
    pub warnings: Vec<Diagnostic>,
    /// Stage timings.
    pub steps: Vec<Step>,
    /// Things the user should know that are not findings (e.g. no git history).
    pub notes: Vec<String>,
    /// How the history walk went.
    pub history: history::WalkStats,
    /// Where the output went.
    pub output: PathBuf,
}

impl BuildReport {
    /// One line for people: "19 releases, 2 sites, 17 feeds in 84 ms".
    pub fn summary(&self, took: Duration) -> String {
        format!(
            "{}, {}, {} in {} ms",
            plural(self.releases, "release", "releases"),
            plural(self.sites.len(), "site", "sites"),
            plural(self.stats.feeds, "feed", "feeds"),
            took.as_millis()
        )
    }
}

/// "1 release", "2 releases".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn timed<T>(steps: &mut Vec<Step>, name: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = f();
    steps.push(Step {
        name,
        took: start.elapsed(),
    });
    value
}

/// Loads and checks a site: config, content, schedule, checks. Errors fail;
/// warnings come back in [`Site::findings`] (as errors too under `strict`).
pub fn load(options: &BuildOptions, steps: &mut Vec<Step>) -> Result<Site, Vec<Diagnostic>> {
    load_with(options, steps, None, None, |config| {
        content::load(&options.root, config, options.drafts)
    })
}

/// [`load`] with the content stage supplied by the caller (a cached one in
/// [`Session`]), the history walk kept in `memo` and the per-release
/// findings and events in `kept` between calls.
fn load_with(
    options: &BuildOptions,
    steps: &mut Vec<Step>,
    memo: Option<&history::Memo>,
    kept: Option<(&mut checks::Memo, &mut schedule::Memo)>,
    load_content: impl FnOnce(&SiteConfig) -> (Content, Vec<Diagnostic>),
) -> Result<Site, Vec<Diagnostic>> {
    let mut config = timed(steps, "config", || SiteConfig::load(&options.root))?;
    if let Some(base_url) = &options.base_url {
        config.base_url = if base_url.ends_with('/') {
            base_url.clone()
        } else {
            format!("{base_url}/")
        };
    }
    let (mut content, mut findings) = timed(steps, "content", || load_content(&config));
    let history = timed(steps, "history", || {
        history::load(&history::Input {
            root: &options.root,
            releases: &content.releases,
            config: &config,
            now: options.now,
            drafts: options.drafts,
            memo,
        })
    });
    // The releases as loaded: an unchanged file's stays the same `Arc` from one rebuild to the next.
    let loaded = kept.is_some().then(|| content.releases.clone());
    let (kept_findings, kept_events) = kept.unzip();
    history.apply(&mut content.releases);
    let mut findings = timed(steps, "checks", || {
        let input = checks::CheckInput {
            config: &config,
            releases: &content.releases,
            absent_ids: &content.absent_ids,
            history: &history,
            now: options.now,
        };
        match (kept_findings, &loaded) {
            (Some(kept), Some(loaded)) => kept.run(&input, loaded, findings),
            _ => {
                findings.extend(checks::run(&input));
                diagnostic::sort(&mut findings);
                findings
            }
        }
    });
    if options.strict {
        for f in &mut findings {
            f.severity = diagnostic::Severity::Error;
        }
    }
    if findings.iter().any(Diagnostic::is_error) {
        return Err(findings);
    }
    Ok(timed(steps, "schedule", || match (kept_events, &loaded) {
        (Some(kept), Some(loaded)) => {
            let events = kept.derive(&content.releases, loaded, &config);
            Site::with_events(config, content, findings, history, options.now, events)
        }
        _ => Site::new(config, content, findings, history, options.now),
    }))
}

/// Builds the site at `options.root` into its output folder, atomically.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let mut steps = Vec::new();
    let site = load(options, &mut steps).map_err(BuildError::Content)?;
    let theme = timed(&mut steps, "theme", || {
        content::theme::load(&options.root, site.config.theme.as_deref())
    })
    .map_err(BuildError::Content)?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output));
    let sites: Vec<&'static str> = [
        ("internal", options.audience.internal()),
        ("external", options.audience.external()),
    ]
    .into_iter()
    .filter_map(|(s, on)| on.then_some(s))
    .collect();
    let staging = output::Staging::new(&output, &options.root, &sites)?;
    let stats = timed(&mut steps, "render", || {
        render::render(&site, &theme, options.audience, &staging)
    })?;
    timed(&mut steps, "output", || staging.commit(&sites))?;
    Ok(BuildReport {
        releases: site.content.releases.len(),
        stats,
        sites,
        warnings: site.findings,
        steps,
        notes: site.history.notes,
        history: site.history.stats,
        output,
    })
}

/// A site kept loaded between builds, for `serve`: each [`Session::rebuild`]
/// re-reads only the release files that changed since the previous one,
/// reuses the compiled theme while its files are unchanged, and renders
/// nothing up front; [`Generation::render`] renders one file on request.
#[derive(Debug)]
pub struct Session {
    options: BuildOptions,
    cache: content::Cache,
    history: history::Memo,
    findings: checks::Memo,
    events: schedule::Memo,
    theme: Option<(ThemeSources, Arc<render::CompiledTheme>)>,
}

/// The result of one successful [`Session::rebuild`]: the model, the compiled
/// theme and the list of files the sites have.
#[derive(Debug)]
pub struct Generation {
    /// The loaded and checked model.
    pub site: Site,
    /// The compiled templates and static files.
    pub theme: Arc<render::CompiledTheme>,
    /// Every file of the sites, with its kind.
    pub manifest: render::Manifest,
    /// Which sites there are.
    pub audience: Audience,
    /// What the rebuild did (`output` is empty: nothing was written).
    pub report: BuildReport,
}

impl Generation {
    /// Renders the file at `path` (`internal/index.html`); `None` when the sites have none there.
    pub fn render(&self, path: &str) -> Result<Option<Vec<u8>>, render::RenderError> {
        if self.manifest.kind(path).is_none() {
            return Ok(None);
        }
        render::render_path(&self.site, &self.theme, self.audience, path)
    }
}

impl Session {
    /// A session for the site `options` describe; `options.now` and
    /// `options.output` are not used (each rebuild gets its own "now").
    pub fn new(options: BuildOptions) -> Self {
        Self {
            options,
            cache: content::Cache::new(),
            history: history::Memo::default(),
            findings: checks::Memo::default(),
            events: schedule::Memo::default(),
            theme: None,
        }
    }

    /// Loads the site again at `now`, re-parsing only changed release files.
    pub fn rebuild(&mut self, now: DateTime<Utc>) -> Result<Generation, BuildError> {
        self.options.now = now;
        let mut steps = Vec::new();
        let (options, cache) = (&self.options, &mut self.cache);
        let site = load_with(
            options,
            &mut steps,
            Some(&self.history),
            Some((&mut self.findings, &mut self.events)),
            |config| cache.load(&options.root, config, options.drafts),
        )
        .map_err(BuildError::Content)?;
        let sources = timed(&mut steps, "theme", || {
            content::theme::load(&options.root, site.config.theme.as_deref())
        })
        .map_err(BuildError::Content)?;
        let theme = match &self.theme {
            Some((old, compiled)) if *old == sources => compiled.clone(),
            _ => {
                let compiled = Arc::new(timed(&mut steps, "templates", || {
                    render::CompiledTheme::compile(&sources)
                })?);
                self.theme = Some((sources, compiled.clone()));
                compiled
            }
        };
        let audience = self.options.audience;
        let manifest = timed(&mut steps, "manifest", || {
            render::Manifest::of(&site, &theme, audience)
        })?;
        let sites: Vec<&'static str> = [
            ("internal", audience.internal()),
            ("external", audience.external()),
        ]
        .into_iter()
        .filter_map(|(s, on)| on.then_some(s))
        .collect();
        let report = BuildReport {
            releases: site.content.releases.len(),
            stats: manifest.stats(),
            sites,
            warnings: site.findings.clone(),
            steps,
            notes: site.history.notes.clone(),
            history: site.history.stats.clone(),
            output: PathBuf::new(),
        };
        Ok(Generation {
            site,
            theme,
            manifest,
            audience,
            report,
        })
    }
}

/// Runs only the checks (the `check` command): every finding, errors and warnings.
pub fn check(options: &BuildOptions) -> Vec<Diagnostic> {
    let mut steps = Vec::new();
    match load(options, &mut steps) {
        Ok(site) => site.findings,
        Err(findings) => findings,
    }
}

/// The site root's path relative to the current directory, for messages.
pub fn display_root(root: &Path) -> String {
    root.display().to_string()
}
