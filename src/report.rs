//! Printing findings and build summaries.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use shipdate::diagnostic::{Diagnostic, JsonFinding, Severity};
use shipdate::{BuildError, BuildReport, Step};

/// Prints findings for people, rustc-style with the source line, then the
/// counts; colour only on a terminal.
pub fn human(findings: &[Diagnostic], root: &Path) {
    snippets(findings, root);
    counts(findings);
}

/// "2 error(s), 3 warning(s)", when there are any.
fn counts(findings: &[Diagnostic]) {
    let errors = findings.iter().filter(|d| d.is_error()).count();
    let warnings = findings.len() - errors;
    if !findings.is_empty() {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
}

/// Each finding rustc-style, with its source line.
fn snippets(findings: &[Diagnostic], root: &Path) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut sources: HashMap<&Path, Option<String>> = HashMap::new();
    for d in findings {
        let (level, code) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        eprintln!(
            "{}{}",
            paint(code, &format!("{level}[{}]", d.rule)),
            paint("1", &format!(": {}", escaped(&d.message)))
        );
        eprintln!("  {} {}", paint("1;34", "-->"), escaped(&d.location()));
        let text = sources
            .entry(&d.path)
            .or_insert_with(|| source_text(root, &d.path));
        let line = text
            .as_deref()
            .and_then(|t| t.lines().nth(d.position.line.max(1) as usize - 1));
        if let Some(line) = line {
            let number = d.position.line.max(1).to_string();
            let pad = " ".repeat(number.len());
            let caret = " ".repeat(
                line.chars()
                    .take(d.position.column.max(1) as usize - 1)
                    .map(|c| if c == '\t' { 4 } else { 1 })
                    .sum(),
            );
            eprintln!("{pad} {}", paint("1;34", "|"));
            eprintln!(
                "{} {} {}",
                paint("1;34", &number),
                paint("1;34", "|"),
                escaped(&line.replace('\t', "    "))
            );
            eprintln!("{pad} {} {caret}{}", paint("1;34", "|"), paint(code, "^"));
        }
        if let Some(hint) = &d.hint {
            eprintln!("  {} {}", paint("1;36", "= hint:"), escaped(hint));
        }
        eprintln!();
    }
}

/// The text of a file a finding points at, for its source line: only a
/// regular file inside the site, of a release file's size at most (a link
/// to `/proc/self/environ` must not print the environment).
fn source_text(root: &Path, path: &Path) -> Option<String> {
    let real = root.join(path).canonicalize().ok()?;
    let meta = std::fs::metadata(&real).ok()?;
    let inside = root.canonicalize().is_ok_and(|r| real.starts_with(r));
    if !inside || !meta.is_file() || meta.len() > shipdate::read::MAX_FILE_BYTES {
        return None;
    }
    std::fs::read_to_string(real).ok()
}

pub use shipdate::diagnostic::escaped;

/// Warnings a build prints in full before it sums up the rest by rule.
const BUILD_WARNINGS_SHOWN: usize = 20;

/// Prints the warnings of a successful build: the first
/// [`BUILD_WARNINGS_SHOWN`] in full and the rest counted by rule, unless
/// `all` (`--verbose`); `shipdate check` always lists every finding.
pub fn warnings(findings: &[Diagnostic], root: &Path, all: bool) {
    if all || findings.len() <= BUILD_WARNINGS_SHOWN {
        human(findings, root);
        return;
    }
    let (shown, rest) = findings.split_at(BUILD_WARNINGS_SHOWN);
    snippets(shown, root);
    let mut by_rule = shipdate::diagnostic::count_by_rule(rest);
    // Most frequent first; the sort is stable, so ties stay in rule order.
    by_rule.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    let listed: Vec<String> = by_rule.iter().map(|(r, n)| format!("{n} {r}")).collect();
    eprintln!(
        "... and {} more warning(s): {}; `shipdate check` (or `build --verbose`) lists them all",
        rest.len(),
        listed.join(", ")
    );
    counts(findings);
}

/// Prints the stage timings.
pub fn steps(steps: &[Step]) {
    for s in steps {
        eprintln!("  {:<10} {:>8.1} ms", s.name, s.took.as_secs_f64() * 1000.0);
    }
}

/// Things to know that are not findings, e.g. that git history is off.
pub fn notes(notes: &[String]) {
    for n in notes {
        eprintln!("note: {n}");
    }
}

/// How the git history walk went.
pub fn history(stats: &shipdate::history::WalkStats) {
    eprintln!(
        "  history: {} commits touch content/ ({} walked now, the rest cached), {} blobs read, {} in the last {} days",
        stats.commits,
        stats.walked,
        stats.blobs,
        stats.recent,
        shipdate::history::RECENT_DAYS
    );
    let phases: Vec<String> = stats
        .phases
        .iter()
        .map(|(name, ms)| format!("{name} {ms:.0} ms"))
        .collect();
    if !phases.is_empty() {
        eprintln!("  history: {}", phases.join(", "));
    }
}

/// "19 releases, 2 sites, 17 feeds in 84 ms"; `--verbose` adds pages, files and the folder.
pub fn summary(report: &BuildReport, took: Duration, verbose: bool) {
    eprintln!("{}", report.summary(took));
    if verbose {
        eprintln!(
            "  {} pages, {} feeds, {} other files → {}",
            report.stats.pages,
            report.stats.feeds,
            report.stats.files,
            report.output.display()
        );
    }
}

/// A spinner on stderr for builds that take more than a second; silent when
/// stderr is not a terminal, so logs and pipes never see it.
pub struct Progress {
    done: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts watching; nothing is printed during the first second.
    pub fn start(label: &'static str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self {
                done: None,
                thread: None,
            };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            if rx.recv_timeout(Duration::from_secs(1)) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let frames = ['|', '/', '-', '\\'];
            let mut frame = 0;
            loop {
                eprint!(
                    "\r{} {label}… {:.1} s",
                    frames[frame % frames.len()],
                    started.elapsed().as_secs_f64()
                );
                frame += 1;
                if rx.recv_timeout(Duration::from_millis(120)) != Err(RecvTimeoutError::Timeout) {
                    // Clear the line so the summary starts clean.
                    eprint!("\r\x1b[2K");
                    return;
                }
            }
        });
        Self {
            done: Some(tx),
            thread: Some(thread),
        }
    }

    /// Stops the spinner and clears its line.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.done.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The stable JSON schema of `check --format json` (documented in docs/checks.md).
pub fn json(findings: &[Diagnostic]) {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        version: u32,
        errors: usize,
        warnings: usize,
        findings: Vec<JsonFinding<'a>>,
    }
    let errors = findings.iter().filter(|d| d.is_error()).count();
    let report = Report {
        version: 1,
        errors,
        warnings: findings.len() - errors,
        findings: findings.iter().map(JsonFinding::from).collect(),
    };
    match serde_json::to_string_pretty(&report) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: {e}"),
    }
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
pub fn github(findings: &[Diagnostic]) {
    for d in findings {
        println!("{}", d.to_github());
    }
}

/// What `init` did, and what to do next.
pub fn initialized(dir: &Path, done: &shipdate::init::Initialized) {
    if done.commits > 0 {
        return example_initialized(dir, done);
    }
    for path in &done.written {
        eprintln!("  created {}", dir.join(path).display());
    }
    for path in &done.merged {
        eprintln!("  updated {}", dir.join(path).display());
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    eprintln!("New site in {}. Next:", dir.display());
    eprintln!("  {cd}shipdate serve          preview both sites at http://127.0.0.1:1111/");
    eprintln!("  shipdate new \"Title\" --team web --type minor --date YYYY-MM-DD   add a release");
    eprintln!(
        "  git init, push to GitHub, and set Settings → Pages → Source to \"GitHub Actions\""
    );
}

/// `init --example`: the repository and how to see it as of its "now".
fn example_initialized(dir: &Path, done: &shipdate::init::Initialized) {
    let now = shipdate::init::example::NOW;
    eprintln!(
        "The example site in {}: {} files in a git repository of {} commits (see `git log --stat`).",
        dir.display(),
        done.written.len(),
        done.commits
    );
    eprintln!("It is written as of {now}; show it as of that day:");
    eprintln!("  cd {} && shipdate serve --now {now}", dir.display());
    eprintln!("  shipdate build --now {now}          into public/");
}

/// Prints what `serve` does; opens a browser with `--open`.
pub struct ServeReporter {
    /// Open the internal site once listening.
    pub open: bool,
    /// The site root, to quote source lines in findings.
    pub root: PathBuf,
}

fn changed_list(changed: &[PathBuf]) -> String {
    match changed {
        [] => String::new(),
        [one] => format!(" ({} changed)", one.display()),
        [first, rest @ ..] => format!(" ({} and {} more changed)", first.display(), rest.len()),
    }
}

impl shipdate::serve::Reporter for ServeReporter {
    fn listening(&self, url: &str, addr: SocketAddr) {
        eprintln!("Serving at {url}  (internal: {url}internal/, external: {url}external/)");
        if !addr.ip().is_loopback() {
            eprintln!(
                "warning: listening on {addr}: anyone on this network can read the internal site"
            );
        }
        eprintln!("Watching content/, themes/, static/ and shipdate.yaml. Press Ctrl-C to stop.");
        if self.open {
            open_browser(&format!("{url}internal/"));
        }
    }

    fn built(&self, report: &BuildReport, took: Duration, changed: &[PathBuf]) {
        if changed.is_empty() {
            warnings(&report.warnings, &self.root, false);
        }
        let warned = if report.warnings.is_empty() || changed.is_empty() {
            String::new()
        } else {
            format!(", {} warning(s)", report.warnings.len())
        };
        eprintln!(
            "built{}: {}{warned}",
            changed_list(changed),
            report.summary(took)
        );
    }

    fn failed(&self, error: &BuildError, changed: &[PathBuf]) {
        eprintln!(
            "build failed{}; still serving the last good build",
            changed_list(changed)
        );
        match error {
            BuildError::Content(diagnostics) => human(diagnostics, &self.root),
            other => eprintln!("error: {other}"),
        }
    }

    fn stopped(&self) {
        eprintln!("Stopped.");
    }
}

/// Opens `url` with the platform's opener, or just says where to go.
fn open_browser(url: &str) {
    let opener: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let spawned = std::process::Command::new(opener[0])
        .args(&opener[1..])
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("Open {url} in your browser.");
    }
}
