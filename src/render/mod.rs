//! Render stage: the site model to bytes (HTML via tera, JSON, Atom, sitemap).
//! No file system access: everything goes to a [`Sink`].

mod calendar;
mod calendar_feeds;
mod changes;
mod external;
pub mod format;
pub mod history_view;
pub mod ics;
mod internal;
mod metrics_page;
pub mod svg;
pub mod templates;
pub mod views;

use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use tera::{Context, Tera};

use crate::Site;
use crate::content::theme::ThemeSources;
pub use templates::TemplateError;

/// Where rendered files go; `path` is relative to the output root (`internal/index.html`).
pub trait Sink: Sync {
    /// Stores one file.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError>;
}

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed.
    #[error("template `{template}`: {source}")]
    Template {
        /// Template name.
        template: String,
        /// The error chain.
        source: TemplateError,
    },
    /// The sink could not store a file.
    #[error("cannot write {path}: {message}")]
    Write {
        /// Output path.
        path: String,
        /// Why.
        message: String,
    },
    /// JSON serialisation failed.
    #[error("cannot serialise {0}")]
    Json(String),
}

/// Which sites to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Both sites.
    #[default]
    All,
    /// Only `internal/`.
    Internal,
    /// Only `external/`.
    External,
}

impl Audience {
    /// Renders the internal site.
    pub fn internal(self) -> bool {
        matches!(self, Audience::All | Audience::Internal)
    }

    /// Renders the external site.
    pub fn external(self) -> bool {
        matches!(self, Audience::All | Audience::External)
    }
}

/// What a render produced.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct RenderStats {
    /// HTML pages written.
    pub pages: usize,
    /// Feeds (Atom, iCal) written.
    pub feeds: usize,
    /// Other files (JSON, sitemap, static).
    pub files: usize,
}

/// Shared state of one render: templates, sink, counters.
pub(crate) struct Renderer<'a> {
    tera: Tera,
    sink: &'a dyn Sink,
    pages: AtomicUsize,
    feeds: AtomicUsize,
    files: AtomicUsize,
}

impl<'a> Renderer<'a> {
    /// Renders `template` with `context` into `path`.
    pub(crate) fn page(
        &self,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<(), RenderError> {
        let html = self
            .tera
            .render(template, context)
            .map_err(|e| RenderError::Template {
                template: template.to_string(),
                source: e.into(),
            })?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, html.as_bytes())
    }

    /// Renders a feed template.
    pub(crate) fn feed(
        &self,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<(), RenderError> {
        let text = self
            .tera
            .render(template, context)
            .map_err(|e| RenderError::Template {
                template: template.to_string(),
                source: e.into(),
            })?;
        self.feeds.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, text.as_bytes())
    }

    /// Renders a non-page template (a stylesheet) into `path`; counted as a file.
    pub(crate) fn asset(
        &self,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<(), RenderError> {
        let text = self
            .tera
            .render(template, context)
            .map_err(|e| RenderError::Template {
                template: template.to_string(),
                source: e.into(),
            })?;
        self.file(path, text.as_bytes())
    }

    /// Writes an already-rendered feed.
    pub(crate) fn feed_bytes(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
        self.feeds.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, bytes)
    }

    /// Writes any other file.
    pub(crate) fn file(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, bytes)
    }

    /// Writes `value` as pretty JSON.
    pub(crate) fn json<T: Serialize + ?Sized>(
        &self,
        path: &str,
        value: &T,
    ) -> Result<(), RenderError> {
        let mut bytes = serde_json::to_vec_pretty(value)
            .map_err(|e| RenderError::Json(format!("{path}: {e}")))?;
        bytes.push(b'\n');
        self.file(path, &bytes)
    }
}

/// The relative prefix from a page at `path` back to its site root (`../../`).
pub fn root_prefix(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// A page context: the common keys plus the page's own data.
pub(crate) fn context<T: Serialize>(site_path: &str, page: &T) -> Result<Context, RenderError> {
    let mut ctx = Context::from_serialize(page)
        .map_err(|e| RenderError::Json(format!("{site_path}: {e}")))?;
    ctx.insert("root", &root_prefix(site_path));
    ctx.insert("page_path", site_path);
    Ok(ctx)
}

/// One independent part of a site's output.
type Part = fn(&Site, &Renderer) -> Result<(), RenderError>;

/// Renders the sites chosen by `audience` into `sink`.
pub fn render(
    site: &Site,
    theme: &ThemeSources,
    audience: Audience,
    sink: &dyn Sink,
) -> Result<RenderStats, RenderError> {
    let tera = templates::load(theme).map_err(|e| RenderError::Template {
        template: "(loading)".into(),
        source: e,
    })?;
    let renderer = Renderer {
        tera,
        sink,
        pages: AtomicUsize::new(0),
        feeds: AtomicUsize::new(0),
        files: AtomicUsize::new(0),
    };
    for (prefix, enabled) in [
        ("internal", audience.internal()),
        ("external", audience.external()),
    ] {
        if !enabled {
            continue;
        }
        for (path, bytes) in templates::BUILTIN_STATIC {
            renderer.file(&format!("{prefix}/{path}"), bytes)?;
        }
        for (path, bytes) in &theme.static_files {
            renderer.file(&format!("{prefix}/{path}"), bytes)?;
        }
    }
    // Independent parts run side by side: the big sequential writers (JSON,
    // whole-site feeds) overlap with the parallel page renders.
    let mut parts: Vec<Part> = Vec::new();
    if audience.internal() {
        parts.extend([
            internal::render as Part,
            internal::render_json,
            metrics_page::render,
            calendar::render_internal,
            calendar_feeds::render_internal,
            changes::render,
        ]);
    }
    if audience.external() {
        parts.extend([
            external::render as Part,
            calendar::render_external,
            calendar_feeds::render_external,
        ]);
    }
    parts
        .into_par_iter()
        .try_for_each(|part| part(site, &renderer))?;
    Ok(RenderStats {
        pages: renderer.pages.into_inner(),
        feeds: renderer.feeds.into_inner(),
        files: renderer.files.into_inner(),
    })
}

/// The home page's front matter (`content/_index.md`), for both index pages.
#[derive(Serialize)]
pub(crate) struct HomeView<'a> {
    title: Option<&'a str>,
    extra: &'a serde_json::Value,
}

impl<'a> HomeView<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        Self {
            title: site.content.home.title.as_deref(),
            extra: &site.content.home.extra,
        }
    }
}

/// Site-wide values every template sees as `site`.
#[derive(Debug, Serialize)]
pub(crate) struct SiteView<'a> {
    title: &'a str,
    base_url: &'a str,
    absolute: bool,
    audience: &'static str,
    now: String,
    now_day: String,
    generator: &'static str,
    extra: &'a serde_json::Value,
    has_roadmap: bool,
}

impl<'a> SiteView<'a> {
    pub(crate) fn new(site: &'a Site, audience: &'static str) -> Self {
        Self {
            title: &site.config.title,
            base_url: &site.config.base_url,
            absolute: site.config.base_url.contains("://"),
            audience,
            now: site.now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            now_day: site.today().to_string(),
            generator: concat!("shipdate ", env!("CARGO_PKG_VERSION")),
            extra: &site.config.extra,
            has_roadmap: site
                .content
                .releases
                .iter()
                .any(|r| r.on_roadmap().is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "./");
        assert_eq!(root_prefix("releases/a/index.html"), "../../");
    }
}
