//! Render stage: the site model to bytes (HTML via tera, JSON, Atom, sitemap).
//! No file system access: everything goes to a [`Sink`].

mod agenda;
mod calendar;
mod calendar_feeds;
mod changelog;
mod changes;
mod dashboard;
mod external;
pub mod history_view;
pub mod ics;
mod internal;
pub mod labels;
mod metrics_page;
mod series;
mod support;
pub mod svg;
pub mod templates;
mod trains;
pub mod views;

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use tera::{Context, Tera};

use crate::content::theme::ThemeSources;
use crate::site::Site;
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

/// The kind of an output file: how it is counted and served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Kind {
    /// An HTML page.
    Page,
    /// An Atom or iCal feed.
    Feed,
    /// Anything else: JSON, sitemap, stylesheets, static files.
    File,
}

/// Which output paths a render produces. Every part asks before it builds
/// a file's data, so rendering one path costs little more than that file.
pub trait Select: Sync {
    /// True when the file at `path` (relative to the output root, as in
    /// `internal/index.html`) should be rendered.
    fn wants(&self, kind: Kind, path: &str) -> bool;

    /// False when no path starting with `prefix` is wanted: lets a part skip
    /// work shared by many paths. `true` is always a correct answer.
    fn wants_under(&self, prefix: &str) -> bool {
        let _ = prefix;
        true
    }
}

/// Every path: a full build.
#[derive(Debug, Clone, Copy, Default)]
pub struct All;

impl Select for All {
    fn wants(&self, _: Kind, _: &str) -> bool {
        true
    }
}

/// One path only.
#[derive(Debug, Clone, Copy)]
pub struct Only<'p>(pub &'p str);

impl Select for Only<'_> {
    fn wants(&self, _: Kind, path: &str) -> bool {
        path == self.0
    }

    fn wants_under(&self, prefix: &str) -> bool {
        self.0.starts_with(prefix)
    }
}

/// Templates and static files of a theme, compiled once and shared by every
/// render (`serve` renders each page on request with the same ones).
pub struct CompiledTheme {
    tera: Tera,
    static_files: Vec<(String, Vec<u8>)>,
}

impl std::fmt::Debug for CompiledTheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledTheme")
            .field("static_files", &self.static_files.len())
            .finish_non_exhaustive()
    }
}

impl CompiledTheme {
    /// Compiles the built-in templates with `theme`'s layered on top.
    pub fn compile(theme: &ThemeSources) -> Result<Self, RenderError> {
        let tera = templates::load(theme).map_err(|e| RenderError::Template {
            template: "(loading)".into(),
            source: e,
        })?;
        Ok(Self {
            tera,
            static_files: theme.static_files.clone(),
        })
    }
}

/// Shared state of one render: templates, selection, sink, counters.
pub(crate) struct Renderer<'a> {
    tera: &'a Tera,
    select: &'a dyn Select,
    sink: &'a dyn Sink,
    pages: AtomicUsize,
    feeds: AtomicUsize,
    files: AtomicUsize,
}

impl<'a> Renderer<'a> {
    /// True when the file at `path` is to be rendered; ask before building its data.
    pub(crate) fn wants(&self, kind: Kind, path: &str) -> bool {
        self.select.wants(kind, path)
    }

    /// False when no path under `prefix` is to be rendered.
    pub(crate) fn wants_under(&self, prefix: &str) -> bool {
        self.select.wants_under(prefix)
    }

    /// Renders `template` with `context` into `path`.
    pub(crate) fn page(
        &self,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<(), RenderError> {
        if !self.wants(Kind::Page, path) {
            return Ok(());
        }
        let html = self.template(template, context)?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, xml_safe(&html).as_bytes())
    }

    /// Renders a feed template.
    pub(crate) fn feed(
        &self,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<(), RenderError> {
        if !self.wants(Kind::Feed, path) {
            return Ok(());
        }
        let text = self.template(template, context)?;
        self.feeds.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, xml_safe(&text).as_bytes())
    }

    /// Renders a non-page template (a stylesheet) into `path`; counted as a file.
    pub(crate) fn asset(
        &self,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<(), RenderError> {
        if !self.wants(Kind::File, path) {
            return Ok(());
        }
        let text = self.template(template, context)?;
        self.file(path, text.as_bytes())
    }

    /// `template` rendered with `context`, its error named after the template.
    fn template(&self, template: &str, context: &Context) -> Result<String, RenderError> {
        self.tera
            .render(template, context)
            .map_err(|e| RenderError::Template {
                template: template.to_string(),
                source: e.into(),
            })
    }

    /// Writes an already-rendered feed (iCal text drops control characters itself).
    pub(crate) fn feed_bytes(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
        if !self.wants(Kind::Feed, path) {
            return Ok(());
        }
        self.feeds.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, bytes)
    }

    /// Writes any other file.
    pub(crate) fn file(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
        if !self.wants(Kind::File, path) {
            return Ok(());
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, bytes)
    }

    /// Writes `value` as compact JSON (one line; indenting made `releases.json`
    /// about a third larger for readers that are programs).
    pub(crate) fn json<T: Serialize + ?Sized>(
        &self,
        path: &str,
        value: &T,
    ) -> Result<(), RenderError> {
        if !self.wants(Kind::File, path) {
            return Ok(());
        }
        let mut bytes =
            serde_json::to_vec(value).map_err(|e| RenderError::Json(format!("{path}: {e}")))?;
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
    render_selected(site, &CompiledTheme::compile(theme)?, audience, &All, sink)
}

/// Renders the files of the sites chosen by `audience` that `select` wants into `sink`.
pub fn render_selected(
    site: &Site,
    theme: &CompiledTheme,
    audience: Audience,
    select: &dyn Select,
    sink: &dyn Sink,
) -> Result<RenderStats, RenderError> {
    let renderer = Renderer {
        tera: &theme.tera,
        select,
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
    if audience.internal() && select.wants_under("internal/") {
        parts.extend([
            internal::render as Part,
            internal::render_json,
            metrics_page::render,
            calendar::render_internal,
            calendar_feeds::render_internal,
            changes::render,
            trains::render,
            series::render,
        ]);
    }
    if audience.external() && select.wants_under("external/") {
        parts.extend([
            external::render as Part,
            calendar::render_external,
            calendar_feeds::render_external,
            support::render,
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

/// Renders the single file at `path` (`internal/index.html`); `None` when
/// the sites have no such file.
pub fn render_path(
    site: &Site,
    theme: &CompiledTheme,
    audience: Audience,
    path: &str,
) -> Result<Option<Vec<u8>>, RenderError> {
    struct One(Mutex<Option<Vec<u8>>>);
    impl Sink for One {
        fn write(&self, _: &str, bytes: &[u8]) -> Result<(), RenderError> {
            let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
            *slot = Some(bytes.to_vec());
            Ok(())
        }
    }
    let sink = One(Mutex::new(None));
    render_selected(site, theme, audience, &Only(path), &sink)?;
    Ok(sink.0.into_inner().unwrap_or_else(|p| p.into_inner()))
}

/// Every path the sites would have, with its kind, found without rendering
/// anything: a render that wants nothing and writes down what it is asked about.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    files: HashMap<String, Kind>,
    dirs: HashSet<String>,
}

impl Manifest {
    /// Lists the files of the sites chosen by `audience`.
    pub fn of(site: &Site, theme: &CompiledTheme, audience: Audience) -> Result<Self, RenderError> {
        struct Listing(Mutex<HashMap<String, Kind>>);
        impl Select for Listing {
            fn wants(&self, kind: Kind, path: &str) -> bool {
                let mut files = self.0.lock().unwrap_or_else(|p| p.into_inner());
                if !files.contains_key(path) {
                    files.insert(path.to_string(), kind);
                }
                false
            }
        }
        struct Nowhere;
        impl Sink for Nowhere {
            fn write(&self, _: &str, _: &[u8]) -> Result<(), RenderError> {
                Ok(())
            }
        }
        let listing = Listing(Mutex::new(HashMap::new()));
        render_selected(site, theme, audience, &listing, &Nowhere)?;
        Ok(Self::from_files(
            listing.0.into_inner().unwrap_or_else(|p| p.into_inner()),
        ))
    }

    /// A manifest of the given files (paths relative to the output root).
    pub fn from_files(files: impl IntoIterator<Item = (String, Kind)>) -> Self {
        let files: HashMap<String, Kind> = files.into_iter().collect();
        let mut dirs = HashSet::new();
        for path in files.keys() {
            let mut rest = path.as_str();
            while let Some((parent, _)) = rest.rsplit_once('/') {
                if !dirs.insert(parent.to_string()) {
                    break;
                }
                rest = parent;
            }
        }
        Self { files, dirs }
    }

    /// The kind of the file at `path`, if there is one.
    pub fn kind(&self, path: &str) -> Option<Kind> {
        self.files.get(path).copied()
    }

    /// True when `path` is a folder (some file lies below it).
    pub fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path.trim_end_matches('/'))
    }

    /// Every file's path and kind, in no particular order.
    pub fn files(&self) -> impl Iterator<Item = (&str, Kind)> {
        self.files.iter().map(|(p, k)| (p.as_str(), *k))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// What a full render would write, counted by kind.
    pub fn stats(&self) -> RenderStats {
        let mut stats = RenderStats::default();
        for kind in self.files.values() {
            match kind {
                Kind::Page => stats.pages += 1,
                Kind::Feed => stats.feeds += 1,
                Kind::File => stats.files += 1,
            }
        }
        stats
    }
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
    /// Name the generator in the footer: always inside, on customer pages
    /// only with `generator_credit: true`.
    credit: bool,
    extra: &'a serde_json::Value,
    has_roadmap: bool,
    has_support: bool,
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
            credit: audience == "internal" || site.config.generator_credit,
            extra: &site.config.extra,
            has_roadmap: site
                .content
                .releases
                .iter()
                .any(|r| crate::timing::roadmap_precision(r, &site.config, site.now).is_some()),
            has_support: support::has_rows(site),
        }
    }
}

/// `text` without the characters XML 1.0 forbids (C0 controls other than
/// tab and line breaks, U+FFFE, U+FFFF): a colour code pasted into a title
/// must not make a feed unreadable, nor put a NUL into a page (a parse error
/// in HTML too). The last guard before a feed or a page is written.
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let forbidden = |c: char| {
        (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if text.contains(forbidden) {
        text.replace(forbidden, "").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_drops_what_xml_forbids() {
        assert_eq!(xml_safe("a\u{1b}[31mb\u{0}\tc\n\u{ffff}"), "a[31mb\tc\n");
        assert!(matches!(xml_safe("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "./");
        assert_eq!(root_prefix("releases/a/index.html"), "../../");
    }
}
