//! `shipdate serve`: load the site into memory, serve both sites with every
//! page rendered on request, rebuild on change and live-reload open pages.
//! A rebuild re-parses only the release files that changed
//! ([`crate::Session`]) and writes nothing to disk. A failed rebuild keeps the
//! last good build online and shows its errors over every page until they are
//! fixed.
//!
//! - [`server`]: the HTTP routes (axum);
//! - [`watch`]: file watching (notify, debounced);
//! - [`inject`]: the live-reload script and error overlay added to served HTML.

mod host;
pub mod inject;
mod server;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use crate::{BuildError, BuildOptions, BuildReport, Session};
pub use inject::Problem;
use server::{Live, Shared, Signal};

/// How long open connections get to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Address to listen on (127.0.0.1:1111 by default in the CLI).
    pub addr: SocketAddr,
    /// Include drafts (the CLI's default).
    pub drafts: bool,
    /// A fixed "now"; `None` reads the clock at every rebuild.
    pub now: Option<DateTime<Utc>>,
}

/// Why `serve` could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site root is missing.
    #[error("{}: {source}", .root.display())]
    Root {
        /// The root.
        root: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The address is taken or not allowed.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The async runtime could not be set up.
    #[error("cannot start: {0}")]
    Setup(std::io::Error),
    /// The file watcher could not start.
    #[error("cannot watch the site for changes: {0}")]
    Watch(#[from] notify_debouncer_full::notify::Error),
}

/// What `serve` tells the person running it; the CLI prints, tests may record.
pub trait Reporter: Send + Sync {
    /// The server is up at `url`.
    fn listening(&self, url: &str, addr: SocketAddr);
    /// A build succeeded; `changed` is empty for the first one.
    fn built(&self, report: &BuildReport, took: Duration, changed: &[PathBuf]);
    /// A build failed; the previous good build is still served.
    fn failed(&self, error: &BuildError, changed: &[PathBuf]);
    /// Ctrl-C: the server stopped.
    fn stopped(&self);
}

/// Runs the server until Ctrl-C (or SIGTERM). Blocks the calling thread.
pub fn run(options: ServeOptions, reporter: Arc<dyn Reporter>) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .map_err(|source| ServeError::Root {
            root: options.root.clone(),
            source,
        })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Setup)?;
    let result = runtime.block_on(serve(root, options, reporter));
    // A rebuild may still be running on a blocking thread; do not wait long for it.
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}

async fn serve(
    root: PathBuf,
    options: ServeOptions,
    reporter: Arc<dyn Reporter>,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: options.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Setup)?;
    let shared = Shared::new(crate::display_root(&options.root), options.drafts, addr);
    let mut site = BuildOptions::new(&root, options.now.unwrap_or_else(Utc::now));
    site.drafts = options.drafts;
    let mut builds = Builds {
        session: Arc::new(Mutex::new(Session::new(site))),
        now: options.now,
        generation: 0,
    };

    // Watch before the first build, so an edit made during it is not lost.
    let (changes_tx, mut changes) = mpsc::unbounded_channel();
    let mut watcher = watch::Watcher::start(&root, changes_tx)?;
    builds.run(&shared, reporter.as_ref(), &[]).await;

    let (stop_tx, mut stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let server = {
        let shared = shared.clone();
        let mut stop = stop.clone();
        axum::serve(listener, server::router(shared.clone())).with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
            // End the event streams, or graceful shutdown would wait for them forever.
            let _ = shared.signals.send(Signal::Shutdown);
        })
    };
    let server = tokio::spawn(async move { server.await });
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
    } else {
        addr
    };
    reporter.listening(&format!("http://{shown}/"), addr);

    loop {
        tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            batch = changes.recv() => {
                let Some(mut changed) = batch else { break };
                while let Ok(more) = changes.try_recv() {
                    changed.extend(more);
                }
                changed.sort();
                changed.dedup();
                watcher.refresh();
                builds.run(&shared, reporter.as_ref(), &changed).await;
            }
        }
    }
    let _ = shared.signals.send(Signal::Shutdown);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, server).await;
    drop(watcher);
    reporter.stopped();
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix (what `kill` and process managers send).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Successive builds of one [`Session`]; each good one replaces the served one whole.
struct Builds {
    session: Arc<Mutex<Session>>,
    now: Option<DateTime<Utc>>,
    generation: u64,
}

impl Builds {
    /// Builds once and publishes the result (or the errors) to the server and open pages.
    async fn run(&mut self, shared: &Shared, reporter: &dyn Reporter, changed: &[PathBuf]) {
        self.generation += 1;
        let now = self.now.unwrap_or_else(Utc::now);
        let session = self.session.clone();
        let started = Instant::now();
        let result = tokio::task::spawn_blocking(move || {
            session
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .rebuild(now)
        })
        .await;
        let (live, problems) = match result {
            Ok(Ok(generation)) => (Some(Arc::new(Live::new(generation))), Vec::new()),
            Ok(Err(error)) => {
                reporter.failed(&error, changed);
                (None, Problem::from_build_error(&error))
            }
            Err(join) => (
                None,
                vec![Problem {
                    location: None,
                    rule: None,
                    message: format!("the build crashed: {join}"),
                    hint: Some("this is a bug in shipdate; please report it".into()),
                }],
            ),
        };
        let replaced = {
            let mut snapshot = shared.snapshot.write().unwrap_or_else(|p| p.into_inner());
            snapshot.problems = problems;
            snapshot.generation = self.generation;
            match &live {
                Some(live) => snapshot.live.replace(live.clone()),
                None => None,
            }
        };
        // The time until requests see the new build: what the person waits for.
        let took = started.elapsed();
        // Freeing the previous build takes a while on large sites: not here.
        if let Some(old) = replaced {
            tokio::task::spawn_blocking(move || drop(old));
        }
        if let Some(live) = live {
            reporter.built(&live.generation().report, took, changed);
        }
        let _ = shared.signals.send(Signal::Reload);
    }
}
