//! `shipdate diff` (SPEC §5.3) over temporary git repositories with
//! scripted commits: moved dates with their broken dependents and the groups
//! to tell again, removed milestones, new and old errors and the exit code,
//! the default base, the pull-request comment and the JSON schema.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use common::SiteTest;
use serde_json::Value;

/// Groups with fixed offsets, so which ones were told by "now" is plain.
const CONFIG: &str = "\
teams:
  - {id: web, name: Web}
  - {id: mobile, name: Mobile}
stakeholders:
  - {id: support, name: Support, level: critical, at: T-5b}
  - {id: partners, name: Integration partners, level: critical, at: T-5b}
  - {id: ops, name: Operations, level: critical, at: T-1b}
";

/// Tuesday 1 Dec minus 5 business days is Tuesday 24 Nov (told by now);
/// minus 1 is Monday 30 Nov (not yet).
const NOW: &str = "2026-11-25T12:00:00Z";

const API: &str = "title: API v3\nteam: web\nteams: [mobile]\ntype: patch\ndate: 2026-12-01\nstakeholders: [support, partners, ops]\nmilestones:\n  - {name: Partner sandbox, at: T-10d}\nnotified: {support: 2026-11-24, partners: 2026-11-24}";
const APP: &str = "title: Mobile app\nteam: mobile\ntype: patch\ndate: 2026-12-03\ndepends_on: [api]\nstakeholders: [support]\nnotified: {support: 2026-11-23}";
const DASH: &str = "title: Dashboard\nteam: web\ntype: patch\ndate: 2026-12-08T16:00Z\ndepends_on: [api]\nstakeholders: [support]";
const DOCS: &str = "title: Docs\nteam: web\ntype: patch\ndate: 2026-12-15\ndepends_on: [api]\nstakeholders: [support]";

/// A site in a fresh git repository on branch `main`, every commit with a
/// fixed identity and date (this file's own helper; see tests/history.rs).
struct Repo {
    site: SiteTest,
}

impl Repo {
    fn new(config: &str) -> Self {
        let repo = Self {
            site: SiteTest::with_config(config),
        };
        repo.git(&["init", "-q"]);
        repo
    }

    fn git(&self, args: &[&str]) -> String {
        common::git::git_in(self.site.root(), args, "Dana", "2026-11-20T10:00:00Z")
    }

    /// Stages everything and commits it.
    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    fn release(&self, id: &str, front: &str) {
        self.site.release(id, front, "Notes.\n");
    }

    /// On a new branch `pr`, rewrites release `id` and commits it.
    fn pr_edit(&self, id: &str, front: &str, message: &str) {
        self.git(&["checkout", "-q", "-b", "pr"]);
        self.release(id, front);
        self.commit(message);
    }

    /// Runs `shipdate diff ARGS --now NOW` in the site.
    fn diff(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_shipdate"))
            .arg("diff")
            .args(args)
            .args(["--now", NOW, "--root"])
            .arg(self.site.root())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("shipdate runs")
    }

    /// The JSON diff and the exit code.
    fn json(&self, args: &[&str]) -> (Value, i32) {
        let mut all = vec!["--format", "json"];
        all.extend(args);
        let out = self.diff(&all);
        let text = String::from_utf8_lossy(&out.stdout);
        let value = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {text}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (value, out.status.code().unwrap_or(-1))
    }
}

/// The plan on `main`, then a branch `pr` that moves API v3 from Tuesday
/// 1 Dec to Tuesday 8 Dec 10:00 UTC.
fn moved_api() -> Repo {
    let repo = Repo::new(CONFIG);
    repo.release("2026-12-01-api", API);
    repo.release("2026-12-03-app", APP);
    repo.release("2026-12-08-dash", DASH);
    repo.release("2026-12-15-docs", DOCS);
    repo.commit("plan");
    repo.pr_edit(
        "2026-12-01-api",
        &API.replace("date: 2026-12-01", "date: 2026-12-08T10:00Z"),
        "api slips a week",
    );
    repo
}

/// Asserts that every change in `diff` is to the `api` release.
fn only_api_changed(diff: &Value) {
    assert!(
        diff["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["release"] == "api"),
        "{diff:#}"
    );
}

fn change<'a>(diff: &'a Value, event: &str) -> &'a Value {
    diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["event"] == event)
        .unwrap_or_else(|| panic!("no change of {event} in {diff:#}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn a_moved_date_lists_its_broken_dependents_and_the_groups_to_tell_again() {
    let repo = moved_api();
    let (diff, code) = repo.json(&[]);
    let launch = change(&diff, "api.launch.ship@shipdate.local");
    assert_eq!(launch["release"], "api");
    assert_eq!(launch["kind"], "moved");
    assert_eq!(launch["from"], "2026-12-01");
    assert_eq!(launch["to"], "2026-12-08T10:00:00Z");
    assert_eq!(launch["business_days"], 5);
    // The app now ships before the API (order); the dashboard on the same
    // day, after it but inside the 1-business-day margin; the docs are fine.
    assert_eq!(strings(&launch["dependents"]), ["app", "dash"]);
    assert_eq!(strings(&launch["teams"]), ["web", "mobile"]);
    // Support and partners were told on Tue 24 Nov; ops is told on Mon 30 Nov.
    assert_eq!(strings(&launch["renotify"]), ["support", "partners"]);
    // Every moved event is its own entry; only the launch carries dependents.
    let sandbox = change(&diff, "api.milestone.partner-sandbox@shipdate.local");
    assert_eq!(sandbox["kind"], "moved");
    assert_eq!(sandbox["business_days"], 5);
    assert_eq!(strings(&sandbox["dependents"]), Vec::<&str>::new());
    assert_eq!(strings(&sandbox["renotify"]), Vec::<&str>::new());
    let ops = change(&diff, "api.notification.ops@shipdate.local");
    assert_eq!(ops["from"], "2026-11-30");
    // Nothing of the releases that did not change.
    only_api_changed(&diff);
    // The app shipping first is a new error: exit 1.
    let new: Vec<&str> = diff["findings"]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // The dashboard now ships inside the margin: a new warning too.
    assert_eq!(new, ["dependency-order", "dependency-margin"]);
    assert_eq!(code, 1);
}

#[test]
fn a_move_earlier_counts_negative_business_days_and_breaks_nobody() {
    let repo = Repo::new(CONFIG);
    repo.release("2026-12-01-api", API);
    repo.release("2026-12-03-app", APP);
    repo.commit("plan");
    repo.release(
        "2026-12-01-api",
        &API.replace("date: 2026-12-01", "date: 2026-11-27"),
    );
    // An uncommitted edit: the work tree is what is compared.
    let (diff, code) = repo.json(&["HEAD"]);
    let launch = change(&diff, "api.launch.ship@shipdate.local");
    assert_eq!(launch["business_days"], -2);
    assert_eq!(strings(&launch["dependents"]), Vec::<&str>::new());
    assert_eq!(code, 0, "{diff:#}");
}

#[test]
fn a_removed_milestone_is_its_own_entry() {
    let repo = Repo::new(CONFIG);
    repo.release("2026-12-01-api", API);
    repo.commit("plan");
    repo.pr_edit(
        "2026-12-01-api",
        &API.replace("\nmilestones:\n  - {name: Partner sandbox, at: T-10d}", ""),
        "no sandbox",
    );
    let (diff, code) = repo.json(&[]);
    let changes = diff["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{diff:#}");
    let removed = &changes[0];
    assert_eq!(removed["kind"], "removed");
    assert_eq!(
        removed["event"],
        "api.milestone.partner-sandbox@shipdate.local"
    );
    assert_eq!(removed["from"], "2026-11-21");
    assert!(removed["to"].is_null());
    assert!(removed["business_days"].is_null());
    assert_eq!(code, 0);

    let text = String::from_utf8(repo.diff(&[]).stdout).unwrap();
    assert!(
        text.contains("Milestone “Partner sandbox” removed (was Sat 21 Nov 2026)"),
        "{text}"
    );
}

#[test]
fn a_new_release_and_a_deleted_one_are_added_and_removed_events() {
    let repo = Repo::new(CONFIG);
    repo.release("2026-12-01-api", API);
    repo.commit("plan");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    std::fs::remove_file(repo.site.root().join("content/releases/2026-12-01-api.md")).unwrap();
    repo.release("2026-12-15-docs", &DOCS.replace("\ndepends_on: [api]", ""));
    repo.commit("swap");
    let (diff, _) = repo.json(&[]);
    let gone = change(&diff, "api.launch.ship@shipdate.local");
    assert_eq!(gone["kind"], "removed");
    // Removing a release is news for everyone already told about it.
    assert_eq!(strings(&gone["renotify"]), ["support", "partners"]);
    let new = change(&diff, "docs.launch.ship@shipdate.local");
    assert_eq!(new["kind"], "added");
    assert!(new["from"].is_null());
    assert_eq!(new["to"], "2026-12-15");
    assert_eq!(strings(&new["renotify"]), Vec::<&str>::new());
}

#[test]
fn an_error_the_base_already_had_is_not_new() {
    let repo = Repo::new(CONFIG);
    repo.release("2026-12-01-api", API);
    // Already broken at the base: the app ships before the API.
    repo.release(
        "2026-12-03-app",
        &APP.replace("date: 2026-12-03", "date: 2026-11-30"),
    );
    repo.commit("plan");
    repo.pr_edit(
        "2026-12-01-api",
        &API.replace("date: 2026-12-01", "date: 2026-12-02"),
        "api a day later",
    );
    let (diff, code) = repo.json(&[]);
    assert_eq!(diff["findings"]["new"], Value::Array(vec![]), "{diff:#}");
    assert_eq!(code, 0);
    // Fixing it resolves it.
    repo.release("2026-12-03-app", APP);
    let (diff, code) = repo.json(&[]);
    let resolved = diff["findings"]["resolved"].as_array().unwrap();
    assert_eq!(resolved.len(), 1, "{diff:#}");
    assert_eq!(resolved[0]["rule"], "dependency-order");
    assert_eq!(code, 0);
}

#[test]
fn the_default_base_is_the_merge_base_with_main() {
    let repo = moved_api();
    // main moves on after the branch left it: not this branch's change.
    repo.git(&["checkout", "-q", "main"]);
    repo.release(
        "2026-12-15-docs",
        &DOCS.replace("date: 2026-12-15", "date: 2026-12-16"),
    );
    repo.commit("docs a day later");
    repo.git(&["checkout", "-q", "pr"]);
    let fork = repo.git(&["merge-base", "HEAD", "main"]);
    let (diff, _) = repo.json(&[]);
    assert_eq!(diff["base"], fork.as_str());
    only_api_changed(&diff);
    // Named explicitly, main's own change shows (backwards, from main's view).
    let (diff, _) = repo.json(&["main"]);
    change(&diff, "docs.launch.ship@shipdate.local");
}

#[test]
fn bad_bases_and_folders_outside_git_are_usage_errors() {
    let repo = moved_api();
    let out = repo.diff(&["no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`no-such-branch` is not a commit"),
        "{stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
    assert_eq!(repo.diff(&["--format", "yaml"]).status.code(), Some(2));

    let plain = SiteTest::with_config(CONFIG);
    let out = Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(["diff", "--root"])
        .arg(plain.root())
        .env("GIT_CEILING_DIRECTORIES", plain.root().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("git"));
}

/// Every file under `dir` (the repository included) with its size and time.
fn snapshot(dir: &Path) -> BTreeSet<(String, u64, std::time::SystemTime)> {
    walkdir(dir)
}

fn walkdir(dir: &Path) -> BTreeSet<(String, u64, std::time::SystemTime)> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            out.extend(walkdir(&entry.path()));
        } else {
            out.insert((
                entry.path().display().to_string(),
                meta.len(),
                meta.modified().unwrap(),
            ));
        }
    }
    out
}

#[test]
fn the_diff_writes_nothing() {
    let repo = moved_api();
    let before = snapshot(repo.site.root());
    for format in ["markdown", "json", "github"] {
        repo.diff(&["--format", format]);
    }
    assert_eq!(snapshot(repo.site.root()), before);
}

#[test]
fn json_has_exactly_the_spec_keys() {
    let repo = moved_api();
    let (diff, _) = repo.json(&[]);
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&diff), ["base", "changes", "findings"]);
    assert_eq!(keys(&diff["findings"]), ["new", "resolved"]);
    assert_eq!(diff["base"].as_str().unwrap().len(), 40);
    for c in diff["changes"].as_array().unwrap() {
        assert_eq!(
            keys(c),
            [
                "business_days",
                "dependents",
                "event",
                "from",
                "kind",
                "release",
                "renotify",
                "teams",
                "to"
            ]
        );
    }
    // Findings as `check --format json` writes them.
    let check = Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(["check", "--format", "json", "--now", NOW, "--root"])
        .arg(repo.site.root())
        .output()
        .unwrap();
    let check: Value = serde_json::from_slice(&check.stdout).unwrap();
    let from_check = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "dependency-order")
        .unwrap();
    assert_eq!(&diff["findings"]["new"][0], from_check);
}

#[test]
fn github_format_annotates_the_moved_release_and_the_new_error() {
    let repo = moved_api();
    let out = repo.diff(&["--format", "github"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with(
            "::warning file=content/releases/2026-12-01-api.md,line=6,col=1,title=shipdate diff%3A api::API v3 ships 5 business days later"
        ),
        "{text}"
    );
    assert!(lines[0].contains("%0ATell again: Support, Integration partners"));
    assert!(lines[1].starts_with("::error file=content/releases/2026-12-03-app.md"));
    assert!(lines[2].starts_with(
        "::warning file=content/releases/2026-12-08-dash.md,line=6,col=14,title=dependency-margin::"
    ));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_pull_request_comment() {
    let repo = moved_api();
    let out = repo.diff(&[]);
    assert_eq!(out.status.code(), Some(1));
    let base = repo.git(&["rev-parse", "main"]);
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .replace(&base[..12], "BASE");
    let expected = "\
<!-- shipdate-diff -->
### shipdate diff: 1 release changes · 1 new error · 1 new warning

**API v3** (`api`) ships 5 business days later: Tue 1 Dec 2026 → Tue 8 Dec 2026, 10:00 UTC
- **Breaks:** `app` now ships before it (or with it); `dash` now ships less than 1 business day after it
- **Tell again:** Support, Integration partners (already told the old date)
- **Teams:** Web, Mobile
- and 4 other events with it (see every change below)

**New findings**
- error `dependency-order` `content/releases/2026-12-03-app.md:6:14`: \\`app\\` ships Thu 3 Dec 2026 but depends on \\`api\\`, which ships Tue 8 Dec 2026, 10:00 UTC
- warning `dependency-margin` `content/releases/2026-12-08-dash.md:6:14`: \\`dash\\` ships Tue 8 Dec 2026, 16:00 UTC, less than 1 business day after \\`api\\` (Tue 8 Dec 2026, 10:00 UTC)

<details><summary>Every change (5)</summary>

| release | event | change | from | to | business days |
|---|---|---|---|---|---|
| `api` | Launch: Ship: API v3 | moved | Tue 1 Dec 2026 | Tue 8 Dec 2026, 10:00 UTC | +5 |
| `api` | Milestone: Partner sandbox | moved | Sat 21 Nov 2026 | Sat 28 Nov 2026, 10:00 UTC | +5 |
| `api` | Notification: Notify Integration partners | moved | Tue 24 Nov 2026 | Tue 1 Dec 2026, 10:00 UTC | +5 |
| `api` | Notification: Notify Support | moved | Tue 24 Nov 2026 | Tue 1 Dec 2026, 10:00 UTC | +5 |
| `api` | Notification: Notify Operations | moved | Mon 30 Nov 2026 | Mon 7 Dec 2026, 10:00 UTC | +5 |

</details>

<sub>Compared with `BASE` at 2026-11-25 12:00 UTC by `shipdate diff`.</sub>
";
    assert_eq!(text, expected);
}

#[test]
fn no_change_says_so() {
    let repo = moved_api();
    let out = repo.diff(&["HEAD"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("<!-- shipdate-diff -->\n### shipdate diff: no change to the schedule\n"),
        "{text}"
    );
    assert!(text.contains("No event moves"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}
