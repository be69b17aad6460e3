//! The HTTP side of `serve`: both sites from the last good build, rendered
//! from memory on request, an index page, the live-reload event stream and
//! the current errors.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use super::inject::{self, ERRORS_PATH, EVENTS_PATH, Problem};
use crate::Generation;
use crate::render::{Manifest, RenderError};

/// The sites a URL may start with.
const SITES: [&str; 2] = ["internal", "external"];

/// What live pages are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// A rebuild finished (or failed): reload.
    Reload,
    /// The server is stopping: end the event streams.
    Shutdown,
}

/// A good build being served: its model, and the files rendered from it so far.
#[derive(Debug)]
pub(crate) struct Live {
    generation: Generation,
    /// Rendered files by path; each build starts with an empty map.
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Live {
    pub(crate) fn new(generation: Generation) -> Self {
        Self {
            generation,
            rendered: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn generation(&self) -> &Generation {
        &self.generation
    }

    /// The bytes of the file at `path`, rendered on first use.
    fn file(&self, path: &str) -> Result<Option<Arc<Vec<u8>>>, RenderError> {
        let cached = self
            .rendered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(path)
            .cloned();
        if let Some(bytes) = cached {
            return Ok(Some(bytes));
        }
        // Rendered outside the lock: two requests for different pages render side by side.
        let Some(bytes) = self.generation.render(path)? else {
            return Ok(None);
        };
        let bytes = Arc::new(bytes);
        self.rendered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_string(), bytes.clone());
        Ok(Some(bytes))
    }
}

/// What is being served right now.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// The last good build.
    pub(crate) live: Option<Arc<Live>>,
    /// Problems of the latest build, empty when it succeeded.
    pub(crate) problems: Vec<Problem>,
    /// Counts finished builds, good or bad; pages carry it to detect missed reloads.
    pub(crate) generation: u64,
}

/// State shared by the handlers and the rebuild loop.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) snapshot: RwLock<Snapshot>,
    pub(crate) signals: broadcast::Sender<Signal>,
    /// Shown on the index page.
    pub(crate) root: String,
    pub(crate) drafts: bool,
    /// Where the server listens: requests must be addressed to it (`host.rs`).
    pub(crate) addr: std::net::SocketAddr,
}

impl Shared {
    pub(crate) fn new(root: String, drafts: bool, addr: std::net::SocketAddr) -> Arc<Self> {
        let (signals, _) = broadcast::channel(16);
        Arc::new(Self {
            snapshot: RwLock::new(Snapshot::default()),
            signals,
            root,
            drafts,
            addr,
        })
    }

    /// Copies what a request needs, holding the lock only briefly.
    fn view(&self) -> (Option<Arc<Live>>, Vec<Problem>, u64) {
        let s = self.snapshot.read().unwrap_or_else(|p| p.into_inner());
        (s.live.clone(), s.problems.clone(), s.generation)
    }
}

/// Every request goes through [`handle`]: the URL space is small and fixed.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !super::host::allowed(host, shared.addr) {
        return (
            StatusCode::FORBIDDEN,
            "shipdate serve answers only requests addressed to this machine (Host: localhost or the address it listens on)\n",
        )
            .into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
    }
    let path = uri.path();
    match path {
        EVENTS_PATH => events(&shared),
        ERRORS_PATH | "/__shipdate/errors.json" => {
            let json = path.ends_with(".json")
                || uri
                    .query()
                    .is_some_and(|q| q.split('&').any(|p| p == "format=json"))
                || headers
                    .get(header::ACCEPT)
                    .and_then(|a| a.to_str().ok())
                    .is_some_and(|a| a.contains("application/json"));
            errors(&shared, json)
        }
        "/" | "/index.html" => {
            let (live, problems, generation) = shared.view();
            html(
                StatusCode::OK,
                &index_page(&shared),
                generation,
                &problems,
                live.is_some(),
            )
        }
        _ => site_file(&shared, &uri).await,
    }
}

fn events(shared: &Shared) -> Response {
    let rx = shared.signals.subscribe();
    let (_, _, generation) = shared.view();
    let hello = Event::default().event("hello").data(generation.to_string());
    let updates = futures_util::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            // A lagging page missed reloads: one reload covers them all.
            Ok(Signal::Reload) | Err(broadcast::error::RecvError::Lagged(_)) => {
                Some((Ok::<_, Infallible>(Event::default().data("reload")), rx))
            }
            Ok(Signal::Shutdown) | Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    let stream = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, Infallible>(hello) }),
        updates,
    );
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    no_store(&mut response);
    response
}

fn errors(shared: &Shared, json: bool) -> Response {
    let (_, problems, generation) = shared.view();
    let mut response = if json {
        #[derive(serde::Serialize)]
        struct Report<'a> {
            ok: bool,
            generation: u64,
            errors: &'a [Problem],
        }
        let body = serde_json::to_string_pretty(&Report {
            ok: problems.is_empty(),
            generation,
            errors: &problems,
        })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        ([(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            inject::problems_text(&problems),
        )
            .into_response()
    };
    no_store(&mut response);
    response
}

async fn site_file(shared: &Shared, uri: &Uri) -> Response {
    let (live, problems, generation) = shared.view();
    let Some(live) = live else {
        let page = simple_page(
            "No successful build yet",
            "<p>The site has errors and has never built. Fix them and this page reloads.</p>",
        );
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            &page,
            generation,
            &problems,
            false,
        );
    };
    match resolve(&live.generation().manifest, uri.path()) {
        Resolved::Redirect(mut to) => {
            if let Some(q) = uri.query() {
                to.push('?');
                to.push_str(q);
            }
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::File(path) => {
            let rendered = {
                let (live, path) = (live.clone(), path.clone());
                tokio::task::spawn_blocking(move || live.file(&path)).await
            };
            match rendered {
                Ok(Ok(Some(bytes))) => {
                    let kind = content_type(Path::new(&path));
                    if kind.starts_with("text/html") {
                        let text = String::from_utf8_lossy(&bytes);
                        html(StatusCode::OK, &text, generation, &problems, true)
                    } else {
                        let mut response = Response::new(Body::from(bytes.as_ref().clone()));
                        response
                            .headers_mut()
                            .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
                        no_store(&mut response);
                        response
                    }
                }
                Ok(Ok(None)) => not_found(uri.path(), generation, &problems),
                Ok(Err(error)) => render_failed(&path, &error.to_string(), generation),
                Err(join) => {
                    render_failed(&path, &format!("rendering crashed: {join}"), generation)
                }
            }
        }
        Resolved::NotFound => not_found(uri.path(), generation, &problems),
    }
}

/// A template failed on this page only: show why, over an error page.
fn render_failed(path: &str, message: &str, generation: u64) -> Response {
    let problems = [Problem {
        location: None,
        rule: None,
        message: format!("{path}: {message}"),
        hint: Some("fix the template; the page reloads when you save".into()),
    }];
    let page = simple_page(
        "This page could not be rendered",
        &format!("<pre>{}</pre>", inject::escape(message)),
    );
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        &page,
        generation,
        &problems,
        false,
    )
}

fn not_found(path: &str, generation: u64, problems: &[Problem]) -> Response {
    let page = simple_page(
        "Not found",
        &format!(
            "<p><code>{}</code> is not part of the last good build.</p>",
            inject::escape(path)
        ),
    );
    html(StatusCode::NOT_FOUND, &page, generation, problems, true)
}

/// An HTML response with the live-reload script and, if any, the error overlay.
fn html(
    status: StatusCode,
    page: &str,
    generation: u64,
    problems: &[Problem],
    stale: bool,
) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        // Any page served while there are problems is from the last good build,
        // except the "no build yet" page, which has nothing older to show.
        inject::inject(page, generation, problems, stale),
    )
        .into_response();
    no_store(&mut response);
    response
}

/// Every response is fresh: the site changes under the browser.
fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn index_page(shared: &Shared) -> String {
    let drafts = if shared.drafts {
        "Drafts are included and marked with a <em>draft</em> badge."
    } else {
        "Drafts are left out (<code>--no-drafts</code>)."
    };
    simple_page(
        "shipdate serve",
        &format!(
            concat!(
                "<p>Serving <code>{root}</code>. Pages rebuild and reload when you save.</p>",
                "<ul><li><a href=\"/internal/\">Internal site</a>: plans, calendar, gates, metrics</li>",
                "<li><a href=\"/external/\">External site</a>: what customers see</li></ul>",
                "<p>{drafts} Build errors: <a href=\"{errors}\">text</a>, ",
                "<a href=\"{errors}?format=json\">JSON</a>.</p>"
            ),
            root = inject::escape(&shared.root),
            drafts = drafts,
            errors = ERRORS_PATH
        ),
    )
}

fn simple_page(title: &str, body: &str) -> String {
    format!(
        concat!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>{title}</title>",
            "<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}}</style>",
            "</head><body><h1>{title}</h1>{body}</body></html>"
        ),
        title = inject::escape(title),
        body = body
    )
}

/// Where a URL path leads among a build's files.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// Serve this file (its path relative to the output root).
    File(String),
    /// A folder asked for without its trailing slash: relative links need it.
    Redirect(String),
    /// Nothing there, or a path that tries to leave the sites.
    NotFound,
}

/// Maps `/internal/...` and `/external/...` to files; folders to `index.html`.
pub(crate) fn resolve(manifest: &Manifest, url_path: &str) -> Resolved {
    let Some(decoded) = percent_decode(url_path) else {
        return Resolved::NotFound;
    };
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    let safe = segments
        .iter()
        .all(|s| *s != ".." && *s != "." && !s.contains(['\\', '\0', ':']));
    if !safe || !segments.first().is_some_and(|s| SITES.contains(s)) {
        return Resolved::NotFound;
    }
    let path = segments.join("/");
    if manifest.is_dir(&path) {
        if !url_path.ends_with('/') {
            // One leading slash: `//internal/x` would send the browser to
            // the host `internal`.
            return Resolved::Redirect(format!("/{}/", url_path.trim_start_matches('/')));
        }
        let index = format!("{path}/index.html");
        return if manifest.kind(&index).is_some() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if manifest.kind(&path).is_some() {
        Resolved::File(path)
    } else {
        Resolved::NotFound
    }
}

/// Decodes `%XX` escapes; `None` for malformed escapes or non-UTF-8 results.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_files_folders_and_refuses_escapes() {
        use crate::render::Kind;
        let m = Manifest::from_files(
            ["internal/index.html", "internal/releases/a b/index.html"]
                .map(|p| (p.to_string(), Kind::Page)),
        );
        assert_eq!(
            resolve(&m, "/internal/"),
            Resolved::File("internal/index.html".into())
        );
        assert_eq!(
            resolve(&m, "/internal"),
            Resolved::Redirect("/internal/".into())
        );
        assert_eq!(
            resolve(&m, "//internal"),
            Resolved::Redirect("/internal/".into()),
            "never `//internal/`: a browser reads it as the host `internal`"
        );
        assert_eq!(
            resolve(&m, "/internal/releases/a%20b/"),
            Resolved::File("internal/releases/a b/index.html".into())
        );
        assert_eq!(
            resolve(&m, "/internal/releases/a%20b/index.html"),
            Resolved::File("internal/releases/a b/index.html".into())
        );
        assert_eq!(resolve(&m, "/internal/releases/"), Resolved::NotFound);
        for bad in [
            "/internal/../internal/index.html",
            "/internal/%2e%2e/internal/index.html",
            "/index.html",
            "/internal/%zz",
            "/internal/missing.html",
        ] {
            assert_eq!(resolve(&m, bad), Resolved::NotFound, "{bad}");
        }
    }
}
