//! The authoring loop through the real binary: `init` then `build`, `new` for
//! every release type then `check`, and `serve` rebuilding, reloading and
//! keeping the last good build when an edit breaks the site.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// 2026-11-18T00:00:00Z, so `init`'s example dates do not depend on the clock.
const EPOCH: &str = "1794960000";

fn shipdate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run shipdate")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path_arg(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// Errors and warnings of `check --format json`.
fn check_counts(root: &Path, now: &str) -> (u64, u64, String) {
    let out = shipdate(&[
        "check",
        "--root",
        path_arg(root),
        "--now",
        now,
        "--format",
        "json",
    ]);
    let stdout = text(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("check --format json: {e}\n{stdout}"));
    (
        report["errors"].as_u64().unwrap(),
        report["warnings"].as_u64().unwrap(),
        stdout,
    )
}

#[test]
fn init_then_build_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = shipdate(&["init", path_arg(&site)]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let workflow = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    assert!(workflow.contains("fetch-depth: 0"));
    assert!(workflow.contains("path: public/external"));
    assert!(workflow.contains("actions/upload-pages-artifact"));
    assert!(workflow.contains("actions/deploy-pages"));
    assert!(
        !workflow.contains("public/internal"),
        "the workflow must never publish the internal site"
    );
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .lines()
            .any(|l| l == "public/")
    );
    let releases: Vec<_> = std::fs::read_dir(site.join("content/releases"))
        .unwrap()
        .collect();
    assert_eq!(releases.len(), 3);

    let (errors, warnings, report) = check_counts(&site, "2026-11-18");
    assert_eq!((errors, warnings), (0, 0), "{report}");
    let out = shipdate(&["build", "--root", path_arg(&site)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stderr);
    assert!(
        summary.contains("3 releases, 2 sites,") && summary.contains(" feeds in "),
        "{summary}"
    );
    let internal = std::fs::read_to_string(site.join("public/internal/index.html")).unwrap();
    let external = std::fs::read_to_string(site.join("public/external/index.html")).unwrap();
    assert!(internal.contains("Saved payment methods"));
    assert!(
        external.contains("Dark mode"),
        "the shipped example is announced"
    );
    assert!(
        !external.contains("CSV exports"),
        "the hotfix example stays internal"
    );
}

#[test]
fn init_refuses_a_non_empty_folder_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();

    let out = shipdate(&["init", path_arg(dir)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("is not empty") && stderr.contains("notes.txt"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(!dir.join("shipdate.yaml").exists(), "nothing was written");

    let out = shipdate(&["init", path_arg(dir), "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("shipdate.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );

    // A fresh clone (only hidden entries) is fine without --force.
    let clone = tmp.path().join("clone");
    std::fs::create_dir_all(clone.join(".git")).unwrap();
    let out = shipdate(&["init", path_arg(&clone)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

const TEAMS: &str = "teams:\n  - {id: checkout, name: Checkout}\n  - {id: web, name: Web}\n";

#[test]
fn new_for_every_type_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("shipdate.yaml"), TEAMS).unwrap();
    let types = ["hotfix", "patch", "minor", "major", "launch"];
    for (i, kind) in types.into_iter().enumerate() {
        // At most `lockstep_limit` (3) releases of one team per day.
        let date = if i < 2 { "2027-03-02" } else { "2027-03-03" };
        let title = format!("Saved cards: {kind} edition");
        let out = shipdate(&[
            "new",
            &title,
            "--team",
            "checkout",
            "--type",
            kind,
            "--date",
            date,
            "--root",
            path_arg(root),
        ]);
        assert!(out.status.success(), "{kind}: {}", text(&out.stderr));
        let written = PathBuf::from(text(&out.stdout).trim());
        assert!(
            written.ends_with(format!(
                "content/releases/{date}-saved-cards-{kind}-edition.md"
            )),
            "{}",
            written.display()
        );
        let file = std::fs::read_to_string(&written).unwrap();
        assert!(file.contains(&format!("type: {kind}\n")), "{file}");
        // The body holds offsets, never dates that go stale when `date:` moves.
        let body = file.splitn(3, "---\n").nth(2).unwrap();
        for stale in [date, "2027", "Mar "] {
            assert!(!body.contains(stale), "{kind} body names `{stale}`: {body}");
        }
    }
    let out = shipdate(&[
        "new",
        "Datetime with id",
        "--team",
        "web",
        "--type",
        "minor",
        "--date",
        "2027-03-03T14:00",
        "--id",
        "custom-id",
        "--root",
        path_arg(root),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        root.join("content/releases/2027-03-03-custom-id.md")
            .exists()
    );

    // Well before the ship date nothing is overdue: no errors, and the only
    // warnings are the placeholders `new` marks for the author to fill in,
    // at least one in every file.
    let (errors, warnings, report) = check_counts(root, "2027-01-04");
    assert_eq!(errors, 0, "{report}");
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len() as u64, warnings);
    for f in findings {
        assert_eq!(f["rule"], "placeholder", "{report}");
    }
    for kind in ["hotfix", "patch", "minor", "major", "launch"] {
        assert!(
            findings.iter().any(|f| f["path"]
                .as_str()
                .unwrap()
                .contains(&format!("{kind}-edition"))),
            "{kind}: no placeholder marked: {report}"
        );
    }
    let out = shipdate(&["build", "--root", path_arg(root), "--now", "2027-01-04"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let major = std::fs::read_to_string(
        root.join("public/internal/releases/saved-cards-major-edition/index.html"),
    )
    .unwrap();
    for part in [
        "Pre-development",
        "Development complete",
        "Documentation",
        "Marketing and comms",
        "Sales enablement",
        "Support preparation",
        "Launch day",
        "Post-launch",
        "Rollback decision points",
        "T+15m",
        "T+24h",
        "Cross-functional responsibilities",
        "Risks",
        "Internal announcement",
        "Why we built this",
        "How to get started",
    ] {
        assert!(major.contains(part), "major plan lacks {part}");
    }
}

/// A major created on 18 Nov for 1 Dec: the gates due at T-4w and T-2w have
/// passed, so `new` leaves them out and says so in the file; the others stay.
#[test]
fn new_never_writes_a_gate_that_is_already_overdue() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("shipdate.yaml"), TEAMS).unwrap();
    let out = shipdate(&[
        "new",
        "Late major",
        "--team",
        "checkout",
        "--type",
        "major",
        "--date",
        "2026-12-01",
        "--root",
        path_arg(root),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file =
        std::fs::read_to_string(root.join("content/releases/2026-12-01-late-major.md")).unwrap();
    assert!(
        file.contains("# Skipped gate \"Technical design and security review\": due T-4w"),
        "{file}"
    );
    assert!(
        file.contains("# Skipped gate \"Docs: help centre"),
        "{file}"
    );
    assert!(
        file.contains("{name: Go/no-go sign-off, kind: review"),
        "{file}"
    );
    assert!(file.contains("due: T-1w}"), "{file}");
    // Checked at the same "now" (SOURCE_DATE_EPOCH) the file was written.
    let out = shipdate(&["check", "--root", path_arg(root), "--format", "json"]);
    let report = text(&out.stdout);
    assert!(report.contains("\"errors\": 0"), "{report}");
    assert!(!report.contains("gate-overdue"), "{report}");
}

#[test]
fn new_rejects_unknown_team_type_and_date_with_hints() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("shipdate.yaml"), TEAMS).unwrap();
    let new = |team: &str, kind: &str, date: &str| {
        shipdate(&[
            "new",
            "Payments",
            "--team",
            team,
            "--type",
            kind,
            "--date",
            date,
            "--root",
            path_arg(root),
        ])
    };

    let out = new("chekout", "major", "2027-03-02");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--team: unknown team `chekout`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `checkout`?"), "{stderr}");

    let out = new("checkout", "majr", "2027-03-02");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `major`?"));

    let out = new("checkout", "major", "2027-02-30");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--date"));
    assert!(
        !root.join("content").exists(),
        "nothing is written for bad arguments"
    );

    assert!(new("checkout", "major", "2027-03-02").status.success());
    let file = root.join("content/releases/2027-03-02-payments.md");
    std::fs::write(&file, "edited").unwrap();
    let out = new("checkout", "minor", "2027-03-02");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "edited");
}

#[test]
fn new_uses_the_theme_template_when_there_is_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("shipdate.yaml"), "theme: acme\n").unwrap();
    let dir = root.join("themes/acme/templates/new");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("hotfix.md"),
        "---\ntitle: {{ title | yaml }}\nteam: {{ team }}\ntype: {{ type }}\ndate: {{ date }}\n---\nAcme hotfix form.\n",
    )
    .unwrap();
    let out = shipdate(&[
        "new",
        "Urgent: fix",
        "--team",
        "ops",
        "--type",
        "hotfix",
        "--date",
        "2027-03-02",
        "--root",
        path_arg(root),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file =
        std::fs::read_to_string(root.join("content/releases/2027-03-02-urgent-fix.md")).unwrap();
    assert!(file.contains("title: \"Urgent: fix\"") && file.contains("Acme hotfix form."));
    let out = shipdate(&["build", "--root", path_arg(root), "--now", "2027-01-04"]);
    assert!(
        out.status.success(),
        "release-file templates stay out of the site build: {}",
        text(&out.stderr)
    );
}

// ---------------------------------------------------------------- serve

/// The running server; killed on drop so a failing test leaves nothing behind.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    fn start(root: &Path, log: PathBuf) -> Self {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_shipdate"))
            .args(["serve", "--root", path_arg(root), "--now", "2026-11-23"])
            .args(["--port", &port.to_string()])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start shipdate serve");
        Self { child, port, log }
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `GET path`: status and body, or `None` when the server does not answer.
    fn get(&self, path: &str) -> Option<(u16, String)> {
        self.get_as(path, &format!("127.0.0.1:{}", self.port))
    }

    /// `GET path` with the `Host` header `host`.
    fn get_as(&self, path: &str, host: &str) -> Option<(u16, String)> {
        let mut stream = TcpStream::connect_timeout(&self.addr(), Duration::from_secs(2)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        stream
            .set_write_timeout(Some(Duration::from_secs(5)))
            .ok()?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).ok()?;
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n")?;
        let status = head.split(' ').nth(1)?.parse().ok()?;
        Some((status, body.to_string()))
    }

    /// Polls `GET path` until `pred` holds (about 10 s at most); the last response.
    fn wait_for(&self, path: &str, what: &str, pred: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = None;
        while Instant::now() < deadline {
            if let Some((status, body)) = self.get(path) {
                if pred(status, &body) {
                    return body;
                }
                last = Some((status, body));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "timed out waiting for {what} at {path}; last response: {last:?}\nserver log:\n{}",
            self.log()
        );
    }

    /// Ctrl-C, then a bounded wait for a clean exit.
    fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "could not send SIGINT");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("serve did not stop within 10 s of Ctrl-C\n{}", self.log());
    }
}

impl Drop for Server {
    /// After a failed assertion: Ctrl-C first, so the server removes its
    /// temporary folder, and a hard kill only if it does not stop in time.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A port that was free a moment ago (the CLI cannot bind port 0 and report it).
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.local_addr().unwrap().port()
}

/// Opens the live-reload stream and returns its reader once the greeting arrived.
fn subscribe(server: &Server) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect_timeout(&server.addr(), Duration::from_secs(2)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__shipdate/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    wait_for_line(&mut reader, "event: hello");
    reader
}

/// Reads SSE lines until one equals `want`; bounded by the read timeout and a line budget.
fn wait_for_line(reader: &mut BufReader<TcpStream>, want: &str) {
    let mut line = String::new();
    for _ in 0..200 {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => panic!("event stream closed before `{want}`"),
            Ok(_) if line.trim_end() == want => return,
            Ok(_) => {}
            Err(e) => panic!("no `{want}` on the event stream: {e}"),
        }
    }
    panic!("no `{want}` within 200 lines of the event stream");
}

const RELEASE: &str = "---\ntitle: Dark mode\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-11-10\nsummary: Darker.\n---\n## What's new {.external}\nA darker theme.\n";

#[test]
fn serve_rebuilds_reloads_and_keeps_the_last_good_build_on_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let releases = root.join("content/releases");
    std::fs::create_dir_all(&releases).unwrap();
    std::fs::write(root.join("shipdate.yaml"), "teams:\n  - {id: web}\n").unwrap();
    let file = releases.join("2026-11-10-dark-mode.md");
    std::fs::write(&file, RELEASE).unwrap();
    std::fs::write(
        releases.join("2026-12-01-secret.md"),
        "---\ntitle: Secret project\nteam: web\ntype: minor\ndate: 2026-12-01\ndraft: true\n---\n",
    )
    .unwrap();

    let server = Server::start(&root, tmp.path().join("serve.log"));
    let page = server.wait_for("/internal/index.html", "the first build", |s, _| s == 200);
    assert!(page.contains("Dark mode"));
    assert!(page.contains("Secret project"), "drafts are served");
    let draft = server.get("/internal/releases/secret/").unwrap().1;
    assert!(draft.contains("badge-draft"), "with their badge");
    assert!(
        page.contains("data-shipdate-serve") && page.contains("/__shipdate/events"),
        "served HTML carries the live-reload script"
    );
    assert!(!page.contains("shipdate-errors"));
    let (status, index) = server.get("/").unwrap();
    assert_eq!(status, 200);
    assert!(index.contains("href=\"/internal/\"") && index.contains("href=\"/external/\""));
    assert_eq!(server.get("/internal").unwrap().0, 301);
    assert_eq!(server.get("/internal/../shipdate.yaml").unwrap().0, 404);
    let external = server.get("/external/").unwrap().1;
    assert!(external.contains("A darker theme"));
    assert!(
        !root.join("public").exists(),
        "serve writes nothing into the site"
    );
    // Every kind of file is rendered on request; folders need their slash.
    let (status, feed) = server.get("/internal/calendar.ics").unwrap();
    assert_eq!(status, 200);
    assert!(feed.starts_with("BEGIN:VCALENDAR") && feed.contains("Dark mode"));
    assert!(
        !feed.contains("data-shipdate-serve"),
        "only HTML gets the script"
    );
    let (status, css) = server.get("/internal/assets/shipdate.css").unwrap();
    assert_eq!(status, 200);
    assert!(!css.is_empty());
    assert!(
        server
            .get("/internal/releases.json")
            .unwrap()
            .1
            .contains("\"dark-mode\"")
    );
    assert_eq!(server.get("/internal/releases/dark-mode").unwrap().0, 301);
    assert_eq!(server.get("/internal/releases/nope/").unwrap().0, 404);

    // An edit is rebuilt and open pages are told to reload.
    let mut events = subscribe(&server);
    std::fs::write(&file, RELEASE.replace("Dark mode", "Midnight mode")).unwrap();
    wait_for_line(&mut events, "data: reload");
    server.wait_for("/internal/index.html", "the edit", |s, b| {
        s == 200 && b.contains("Midnight mode")
    });

    // A broken edit keeps the last good build and shows where the error is.
    std::fs::write(
        &file,
        RELEASE.replace("team: web", "team: web\ntitel: typo"),
    )
    .unwrap();
    let errors = server.wait_for("/__shipdate/errors", "the error report", |s, b| {
        s == 200 && b.contains("unknown-key")
    });
    assert!(
        errors.contains("content/releases/2026-11-10-dark-mode.md:4:1"),
        "{errors}"
    );
    assert!(errors.contains("hint: did you mean `title`?"), "{errors}");
    let page = server.get("/internal/index.html").unwrap().1;
    assert!(
        page.contains("Midnight mode"),
        "the last good build is served"
    );
    assert!(page.contains("id=\"shipdate-errors\""), "with the overlay");
    assert!(page.contains("content/releases/2026-11-10-dark-mode.md:4:1"));
    let json = server.get("/__shipdate/errors?format=json").unwrap().1;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"][0]["rule"], "unknown-key");

    // Fixing it brings the site back without the overlay.
    std::fs::write(&file, RELEASE.replace("Dark mode", "Night mode")).unwrap();
    let page = server.wait_for("/internal/index.html", "the fix", |s, b| {
        s == 200 && b.contains("Night mode")
    });
    assert!(!page.contains("id=\"shipdate-errors\""));
    assert!(
        server
            .get("/__shipdate/errors")
            .unwrap()
            .1
            .contains("no errors")
    );

    let status = server.interrupt();
    assert!(status.success(), "clean exit on Ctrl-C: {status:?}");
}

#[test]
fn serve_answers_only_requests_addressed_to_this_machine() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = shipdate(&["init", path_arg(&root)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let server = Server::start(&root, tmp.path().join("serve.log"));
    server.wait_for("/internal/", "the first build", |s, _| s == 200);
    let port = server.port;
    for host in [format!("localhost:{port}"), format!("[::1]:{port}")] {
        let (status, _) = server.get_as("/internal/", &host).expect("an answer");
        assert_eq!(status, 200, "{host}");
    }
    // DNS rebinding: a page on attacker.example whose name now points here.
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".into(),
    ] {
        let (status, body) = server.get_as("/internal/", &host).expect("an answer");
        assert_eq!(status, 403, "{host}: {body}");
        assert!(!body.contains("<html"), "{body}");
    }
}
