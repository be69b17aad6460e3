//! `shipdate init --example` through the real binary: the example site as a
//! git repository whose scripted history makes every history feature show
//! when it is built as of 2026-11-23 (slips, late scope changes, tombstones,
//! the changes page and feed, the on-time rate); its last commit is the
//! example exactly; two runs give the same commit ids; and it fails cleanly
//! (exit 2, nothing written) without git or into a non-empty folder.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{SiteTest, page_text};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn shipdate(args: &[&str], path: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shipdate"));
    cmd.args(args).env("NO_COLOR", "1");
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    cmd.output().expect("run shipdate")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// `shipdate init DIR --example`, which must succeed.
fn init_example(dir: &Path) {
    let out = shipdate(&["init", arg(dir), "--example"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// git's standard output in `dir`, which must succeed.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// The example's own files in this repository: `shipdate.yaml` and every
/// Markdown file under `content/`, `/`-separated, sorted.
fn example_files() -> Vec<String> {
    let mut files = vec!["shipdate.yaml".to_string()];
    for entry in walkdir::WalkDir::new(Path::new(REPO).join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(REPO).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_file() && rel.ends_with(".md") {
            files.push(rel);
        }
    }
    files.sort();
    files
}

#[test]
fn the_example_built_as_of_its_day_shows_every_history_feature() {
    let site = SiteTest::new();
    init_example(site.root());
    site.build();

    // Slips: Payments API v3 moved twice, each row on its release page.
    let releases: serde_json::Value =
        serde_json::from_str(&site.read("internal/releases.json")).expect("releases.json is JSON");
    let list = releases
        .as_array()
        .or_else(|| releases["releases"].as_array())
        .expect("a list of releases");
    let api = list
        .iter()
        .find(|r| r["id"] == "payments-api-v3")
        .expect("payments-api-v3 is listed");
    assert_eq!(api["slips"], 2, "{api}");
    let page = page_text(&site.read("internal/releases/payments-api-v3/index.html"));
    assert!(page.contains("Ship-date history"), "{page}");
    assert_eq!(page.matches("7 days later").count(), 2, "{page}");
    assert!(page.contains("First planned for Tue 17 Nov 2026"), "{page}");

    // Late scope changes: Apple Pay's added team and milestone, five days out.
    let page = page_text(&site.read("internal/releases/apple-pay-web/index.html"));
    let late = &page[page
        .find("Late scope changes")
        .expect("a late-changes block")..];
    assert!(
        late.contains("Dana Lee") && late.contains("teams") && late.contains("milestones"),
        "{late}"
    );

    // Tombstones: the deleted release and the removed milestone are cancelled.
    let events = common::vevents(&site.read("internal/calendar.ics"));
    for uid in [
        "instant-payouts.launch.",
        "velocity-limits.milestone.merchant-beta-opens",
    ] {
        let event = common::vevent(&events, uid).unwrap_or_else(|| panic!("no {uid} event"));
        assert_eq!(event["STATUS"], "CANCELLED", "{uid}: {event:?}");
    }

    // The changes page and its feed list the last 30 days' moves and removals.
    let changes = page_text(&site.read("internal/changes/index.html"));
    assert!(
        changes.contains("Instant payouts to debit cards: removed from the plan"),
        "{changes}"
    );
    assert!(
        changes.contains("Merchant beta opens: removed"),
        "{changes}"
    );
    assert!(
        changes.contains("ship date moved from Tue 15 Dec 2026 to Wed 13 Jan 2027"),
        "{changes}"
    );
    let feed = site.read("internal/changes.xml");
    let doc = roxmltree::Document::parse(&feed).expect("well-formed Atom");
    let entries = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .count();
    assert!(entries >= 8, "{entries} entries in changes.xml");

    // On time: some shipped late, so the rate is neither 0% nor 100%.
    let metrics: serde_json::Value =
        serde_json::from_str(&site.read("internal/metrics.json")).unwrap();
    let overall = &metrics["overall"];
    let (on_time, known) = (
        overall["on_time"].as_u64().unwrap(),
        overall["on_time_known"].as_u64().unwrap(),
    );
    assert!(0 < on_time && on_time < known, "{overall}");
    let page = page_text(&site.read("internal/metrics/index.html"));
    assert!(
        page.contains(&format!("{on_time} of {known} on their first planned date")),
        "{page}"
    );
}

#[test]
fn the_last_commit_is_the_example_and_two_runs_give_the_same_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    init_example(&a);
    init_example(&b);
    let log = git(&a, &["log", "--format=%H %an %aI %cI"]);
    assert_eq!(log, git(&b, &["log", "--format=%H %an %aI %cI"]));
    assert!(log.lines().count() >= 10, "{log}");
    assert!(
        log.lines()
            .all(|l| l.ends_with('Z') && l.contains(" 2026-")),
        "fixed dates in 2026: {log}"
    );
    assert_eq!(git(&a, &["status", "--porcelain"]), "", "a clean work tree");
    assert_eq!(git(&a, &["branch", "--show-current"]).trim(), "main");

    // The last commit holds the example as this repository has it, byte for byte.
    let tree = git(&a, &["ls-tree", "-r", "--name-only", "HEAD"]);
    let in_content: Vec<&str> = tree.lines().filter(|p| p.starts_with("content/")).collect();
    let expected = example_files();
    assert_eq!(
        in_content,
        expected[..]
            .iter()
            .filter(|p| p.starts_with("content/"))
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    for path in &expected {
        let ours = std::fs::read_to_string(Path::new(REPO).join(path)).unwrap();
        assert_eq!(git(&a, &["show", &format!("HEAD:{path}")]), ours, "{path}");
        assert_eq!(
            std::fs::read_to_string(a.join(path)).unwrap(),
            ours,
            "{path}"
        );
    }
    for extra in [".gitignore", ".github/workflows/pages.yml"] {
        assert!(tree.lines().any(|p| p == extra), "{extra} in {tree}");
    }
}

#[test]
fn into_a_non_empty_folder_or_a_repository_is_a_usage_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join(".gitignore"), "mine\n").unwrap();
    let out = shipdate(&["init", arg(dir), "--example"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(arg(dir)) && stderr.contains("is not empty") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!dir.join(".git").exists() && !dir.join("content").exists());

    // With --force the site goes in beside what is there, which stays untracked.
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = shipdate(&["init", arg(dir), "--example", "--force"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(git(dir, &["status", "--porcelain"]), "?? notes.txt\n");

    // A folder that is a repository already is refused even with --force.
    let out = shipdate(&["init", arg(dir), "--example", "--force"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("already a git repository") && stderr.contains("hint"),
        "{stderr}"
    );
}

#[test]
fn without_git_it_is_a_usage_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let empty_path = tmp.path().join("bin");
    std::fs::create_dir(&empty_path).unwrap();
    let dir = tmp.path().join("site");
    let out = shipdate(&["init", arg(&dir), "--example"], Some(&empty_path));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(arg(&dir))
            && stderr.contains("needs git")
            && stderr.contains("install git"),
        "{stderr}"
    );
    assert!(!dir.exists(), "nothing was written");
}

#[cfg(unix)]
#[test]
fn a_symlink_in_the_folder_does_not_lead_writes_outside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, outside) = (tmp.path().join("site"), tmp.path().join("outside"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("content")).unwrap();
    let out = shipdate(&["init", arg(&dir), "--example", "--force"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    assert!(dir.join("content/_index.md").is_file());
    assert_eq!(git(&dir, &["status", "--porcelain"]), "");
}
