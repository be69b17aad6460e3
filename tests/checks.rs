//! `shipdate check`: every rule fires on a fixture that breaks it and stays
//! quiet on one that does not; formats, exit codes and rule configuration.

mod common;

use std::process::Command;

use common::SiteTest;
use shipdate::diagnostic::{Diagnostic, Severity};

const CONFIG: &str = "timezone: America/New_York\nteams:\n  - {id: web}\n  - {id: api}\nfreeze:\n  - {name: Year-end freeze, start: 2026-12-20, end: 2027-01-04}\n";

/// A clean major release, the base most fixtures start from.
const GOOD_MAJOR: &str = "team: web
type: major
date: 2027-02-10
summary: Customer text.
owner: Ann
on_call: Bob
risk: high
rollout:
  strategy: feature-flag
  phases:
    - {name: Canary, percent: 1, at: T}
    - {name: GA, percent: 100, at: T+1w}
rollback: {plan: Turn the flag off.}
announce: 2027-02-17
gates:
  - {name: Docs published, kind: docs, status: pending, due: T-3w}
  - {name: Security review, kind: review, status: pending, due: T-1w}
tags: [security]";

fn findings(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let site = SiteTest::with_config(CONFIG);
    for (name, front) in files {
        site.release(name, front, "## New {.external}\nx\n");
    }
    shipdate::check(&site.options())
}

fn rules(files: &[(&str, &str)]) -> Vec<&'static str> {
    findings(files).iter().map(|d| d.rule).collect()
}

fn assert_fires(rule: &str, files: &[(&str, &str)]) -> Diagnostic {
    let all = findings(files);
    all.iter()
        .find(|d| d.rule == rule)
        .cloned()
        .unwrap_or_else(|| panic!("{rule} did not fire: {all:?}"))
}

fn assert_quiet(rule: &str, files: &[(&str, &str)]) {
    let all = findings(files);
    assert!(all.iter().all(|d| d.rule != rule), "{rule} fired: {all:?}");
}

fn with(base: &str, extra: &str) -> String {
    format!("title: T\n{base}\n{extra}")
}

fn good() -> String {
    with(GOOD_MAJOR, "")
}

#[test]
fn the_good_fixture_is_clean() {
    assert_eq!(rules(&[("a", &good())]), Vec::<&str>::new());
}

#[test]
fn duplicate_id() {
    let d = assert_fires(
        "duplicate-id",
        &[("a", &good()), ("b", &with(GOOD_MAJOR, "id: a"))],
    );
    assert_eq!(d.severity, Severity::Error);
    assert_quiet("duplicate-id", &[("a", &good()), ("b", &good())]);
}

#[test]
fn unknown_team() {
    assert_fires(
        "unknown-team",
        &[("a", &good().replace("team: web", "team: mobile"))],
    );
    assert_fires(
        "unknown-team",
        &[("a", &with(GOOD_MAJOR, "teams: [web, data]"))],
    );
    assert_quiet("unknown-team", &[("a", &with(GOOD_MAJOR, "teams: [api]"))]);
}

#[test]
fn unknown_dependency() {
    let d = assert_fires(
        "unknown-dependency",
        &[
            ("a", &with(GOOD_MAJOR, "depends_on: [apii]")),
            ("api", &good().replace("2027-02-10", "2027-02-01")),
        ],
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `api`?"));
    assert_eq!(d.position.line, 21);
    assert_quiet(
        "unknown-dependency",
        &[
            ("a", &with(GOOD_MAJOR, "depends_on: [api]")),
            ("api", &good().replace("2027-02-10", "2027-02-01")),
        ],
    );
}

#[test]
fn dependency_cycle_prints_the_cycle() {
    let d = assert_fires(
        "dependency-cycle",
        &[
            ("a", &with(GOOD_MAJOR, "depends_on: [b]")),
            ("b", &with(GOOD_MAJOR, "depends_on: [c]")),
            ("c", &with(GOOD_MAJOR, "depends_on: [a]")),
        ],
    );
    assert!(d.message.contains("a → b → c → a"), "{}", d.message);
    assert_quiet(
        "dependency-cycle",
        &[
            ("a", &with(GOOD_MAJOR, "depends_on: [b]")),
            ("b", &good().replace("2027-02-10", "2027-02-01")),
        ],
    );
}

#[test]
fn dependency_order_names_both_dates() {
    // The API ships Thursday, the app that needs it Tuesday: reported on the app.
    let app = with(GOOD_MAJOR, "depends_on: [api]").replace("2027-02-10", "2027-02-09");
    let api = good().replace("2027-02-10", "2027-02-11");
    let d = assert_fires("dependency-order", &[("app", &app), ("api", &api)]);
    assert!(d.path.ends_with("app.md"));
    assert!(
        d.message.contains("Tue 9 Feb 2027") && d.message.contains("Thu 11 Feb 2027"),
        "{}",
        d.message
    );
    // Same day counts as a violation too.
    assert_fires(
        "dependency-order",
        &[
            ("app", &app.replace("2027-02-09", "2027-02-11")),
            ("api", &api),
        ],
    );
    // Same day, later time is fine.
    assert_quiet(
        "dependency-order",
        &[
            (
                "app",
                &app.replace("date: 2027-02-09", "date: 2027-02-11T15:00"),
            ),
            (
                "api",
                &api.replace("date: 2027-02-11", "date: 2027-02-11T09:00"),
            ),
        ],
    );
    assert_quiet(
        "dependency-order",
        &[
            ("app", &app.replace("2027-02-09", "2027-02-12")),
            ("api", &api),
        ],
    );
}

#[test]
fn freeze_window() {
    let d = assert_fires(
        "freeze-window",
        &[("a", &good().replace("2027-02-10", "2026-12-22"))],
    );
    assert!(d.message.contains("Year-end freeze"));
    assert_quiet(
        "freeze-window",
        &[("a", &good().replace("2027-02-10", "2027-01-05"))],
    );
}

#[test]
fn gate_evidence() {
    let done = good().replace("status: pending, due: T-3w", "status: done, due: T-3w");
    let d = assert_fires("gate-evidence", &[("a", &done)]);
    assert_eq!(d.position.line, 18);
    assert_quiet(
        "gate-evidence",
        &[(
            "a",
            &good().replace(
                "status: pending, due: T-3w",
                "status: done, evidence: \"https://x\", due: T-3w",
            ),
        )],
    );
}

#[test]
fn rollback_plan() {
    assert_fires(
        "rollback-plan",
        &[(
            "a",
            &good().replace("rollback: {plan: Turn the flag off.}", ""),
        )],
    );
    assert_quiet(
        "rollback-plan",
        &[(
            "a",
            &good()
                .replace("rollback: {plan: Turn the flag off.}", "")
                .replace("type: major", "type: minor"),
        )],
    );
}

#[test]
fn big_bang_rollout() {
    assert_fires(
        "big-bang-rollout",
        &[("a", &good().replace("feature-flag", "big-bang"))],
    );
    assert_quiet("big-bang-rollout", &[("a", &good())]);
}

#[test]
fn announce_before_rollout() {
    let d = assert_fires(
        "announce-before-rollout",
        &[(
            "a",
            &good().replace("announce: 2027-02-17", "announce: 2027-02-12"),
        )],
    );
    assert!(d.message.contains("100%"), "{}", d.message);
    assert_fires(
        "announce-before-rollout",
        &[(
            "a",
            &good().replace("announce: 2027-02-17", "announce: 2027-02-01"),
        )],
    );
    assert_quiet("announce-before-rollout", &[("a", &good())]);
    assert_quiet(
        "announce-before-rollout",
        &[(
            "a",
            &good().replace("announce: 2027-02-17", "announce: false"),
        )],
    );
}

#[test]
fn sensitive_review() {
    assert_fires(
        "sensitive-review",
        &[("a", &good().replace("kind: review", "kind: technical"))],
    );
    assert_quiet("sensitive-review", &[("a", &good())]);
    assert_quiet(
        "sensitive-review",
        &[(
            "a",
            &good()
                .replace("kind: review", "kind: technical")
                .replace("[security]", "[ui]"),
        )],
    );
}

#[test]
fn on_call() {
    assert_fires("on-call", &[("a", &good().replace("on_call: Bob", ""))]);
    assert_quiet(
        "on-call",
        &[(
            "a",
            &good()
                .replace("on_call: Bob", "")
                .replace("risk: high", "risk: low"),
        )],
    );
}

#[test]
fn gate_overdue() {
    // The build's now is 2026-11-23: a gate due T-3w of 2026-12-10 is overdue.
    let soon = good()
        .replace("2027-02-10", "2026-12-10")
        .replace("announce: 2027-02-17", "announce: 2026-12-17");
    let d = assert_fires("gate-overdue", &[("a", &soon)]);
    assert!(d.message.contains("Docs published"));
    assert_quiet("gate-overdue", &[("a", &good())]);
}

#[test]
fn post_launch_review() {
    let shipped = with(GOOD_MAJOR, "status: shipped")
        .replace("2027-02-10", "2026-10-01")
        .replace("announce: 2027-02-17", "announce: 2026-10-08");
    assert_fires("post-launch-review", &[("a", &shipped)]);
    assert_quiet(
        "post-launch-review",
        &[(
            "a",
            &format!("{shipped}\nmetrics:\n  - {{name: Adoption, target: \">= 5%\", actual: 7%}}"),
        )],
    );
    assert_quiet(
        "post-launch-review",
        &[(
            "a",
            &shipped
                .replace("2026-10-01", "2026-11-20")
                .replace("2026-10-08", "2026-11-27"),
        )],
    );
}

#[test]
fn lockstep() {
    let minor = |id: &str| format!("title: {id}\nteam: web\ntype: patch\ndate: 2027-02-10");
    let four: Vec<(String, String)> = ["a", "b", "c", "d"]
        .iter()
        .map(|id| (id.to_string(), minor(id)))
        .collect();
    let files: Vec<(&str, &str)> = four.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        findings(&files)
            .iter()
            .filter(|d| d.rule == "lockstep")
            .count(),
        4
    );
    assert_quiet("lockstep", &files[..3]);
}

#[test]
fn silent_release() {
    assert_fires(
        "silent-release",
        &[("a", &with(GOOD_MAJOR, "stakeholders: []"))],
    );
    assert_quiet(
        "silent-release",
        &[(
            "a",
            &with(GOOD_MAJOR, "stakeholders: []").replace("type: major", "type: patch"),
        )],
    );
}

#[test]
fn support_not_notified() {
    assert_fires(
        "support-not-notified",
        &[("a", &with(GOOD_MAJOR, "stakeholders: [partners]"))],
    );
    assert_quiet(
        "support-not-notified",
        &[("a", &with(GOOD_MAJOR, "stakeholders: [partners, support]"))],
    );
}

#[test]
fn docs_gate() {
    assert_fires(
        "docs-gate",
        &[("a", &good().replace("kind: docs", "kind: technical"))],
    );
    let d = assert_fires(
        "docs-gate",
        &[("a", &good().replace("due: T-3w", "due: T-1w"))],
    );
    assert!(d.message.contains("later than T-2w"), "{}", d.message);
    // Past T-2w and not done.
    let soon = good()
        .replace("2027-02-10", "2026-12-01")
        .replace("announce: 2027-02-17", "announce: 2026-12-08");
    assert!(
        findings(&[("a", &soon)])
            .iter()
            .any(|d| d.rule == "docs-gate" && d.message.contains("has passed"))
    );
    assert_quiet("docs-gate", &[("a", &good())]);
}

#[test]
fn rules_config_turns_rules_off_or_up() {
    let site = SiteTest::with_config(&format!(
        "{CONFIG}rules: {{on-call: off, rollback-plan: error}}\n"
    ));
    site.release(
        "a",
        &good()
            .replace("on_call: Bob", "")
            .replace("rollback: {plan: Turn the flag off.}", ""),
        "",
    );
    let f = shipdate::check(&site.options());
    assert!(f.iter().all(|d| d.rule != "on-call"));
    assert_eq!(
        f.iter()
            .find(|d| d.rule == "rollback-plan")
            .unwrap()
            .severity,
        Severity::Error
    );
    let site = SiteTest::with_config(&format!("{CONFIG}rules: {{on-cal: off}}\n"));
    let f = shipdate::check(&site.options());
    assert_eq!(f[0].rule, "unknown-rule");
    assert_eq!(f[0].hint.as_deref(), Some("did you mean `on-call`?"));
}

#[test]
fn content_errors_and_rule_findings_come_in_one_run_sorted() {
    let f = findings(&[
        ("b-broken", "title: X\nteam: web\ntype: major\ndate: nope"),
        (
            "a",
            &good()
                .replace("team: web", "team: mobile")
                .replace("on_call: Bob", ""),
        ),
        ("c", &with(GOOD_MAJOR, "depends_on: [b-broken]")),
    ]);
    let got: Vec<(String, &str)> = f
        .iter()
        .map(|d| {
            (
                d.path.file_name().unwrap().to_string_lossy().to_string(),
                d.rule,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a.md".to_string(), "unknown-team"),
            ("a.md".to_string(), "on-call"),
            ("b-broken.md".to_string(), "invalid-date")
        ]
        .iter()
        .map(|(a, b)| (a.clone(), *b))
        .collect::<Vec<_>>(),
        "no unknown-dependency for a broken file"
    );
}

fn run(site: &SiteTest, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .arg("--now")
        .arg(common::NOW)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn exit_codes_follow_severity_and_strict() {
    let site = SiteTest::with_config(CONFIG);
    site.release("a", &good().replace("on_call: Bob", ""), "");
    assert_eq!(
        run(&site, &["check"]).status.code(),
        Some(0),
        "warnings only"
    );
    assert_eq!(run(&site, &["check", "--strict"]).status.code(), Some(1));
    assert_eq!(run(&site, &["build", "--strict"]).status.code(), Some(1));
    let out = run(&site, &["build"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning[on-call]"),
        "build prints warnings"
    );
    assert!(
        site.read("internal/index.html").contains("on-call"),
        "dashboard shows findings"
    );
    assert!(
        site.read("internal/releases/a/index.html")
            .contains("has nobody on call"),
        "release page shows its findings"
    );
    site.release("b", &good().replace("2027-02-10", "2026-12-24"), "");
    assert_eq!(run(&site, &["check"]).status.code(), Some(1));
    assert_eq!(
        run(&site, &["check", "--format", "yaml"]).status.code(),
        Some(2)
    );
}

#[test]
fn json_format_follows_the_documented_schema() {
    let site = SiteTest::with_config(CONFIG);
    site.release("a", &good().replace("on_call: Bob", ""), "");
    site.release("b", &good().replace("2027-02-10", "2026-12-24"), "");
    let out = run(&site, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 1);
    let first = &v["findings"][0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "column", "hint", "line", "message", "path", "rule", "severity"
        ]
    );
    assert_eq!(first["path"], "content/releases/a.md");
    assert_eq!(first["severity"], "warning");
    assert!(first["line"].as_u64().unwrap() >= 1);
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md")).unwrap();
    for key in keys {
        assert!(
            docs.contains(&format!("`{key}`")),
            "docs/checks.md does not document `{key}`"
        );
    }
}

#[test]
fn github_format_emits_workflow_commands() {
    let site = SiteTest::with_config(CONFIG);
    site.release("a", &good().replace("on_call: Bob", ""), "");
    let out = String::from_utf8(run(&site, &["check", "--format", "github"]).stdout).unwrap();
    assert!(out.starts_with("::warning file=content/releases/a.md,line=9,col=1,title=on-call::high-risk release `a` has nobody on call%0Ahint: "), "{out}");
}

#[test]
fn build_lists_twenty_warnings_and_counts_the_rest_but_check_lists_all() {
    let site = SiteTest::with_config(CONFIG);
    for i in 0..25 {
        site.release(
            &format!("r{i:02}"),
            &good()
                .replace("on_call: Bob", "")
                .replace("id: good", &format!("id: r{i:02}")),
            "",
        );
    }
    let text = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    let check = text(&run(&site, &["check"]));
    let all = check.matches("warning[").count();
    assert!(
        all >= 25,
        "one on-call warning per release at least: {check}"
    );
    let build = text(&run(&site, &["build"]));
    assert_eq!(build.matches("warning[").count(), 20, "{build}");
    assert!(
        build.contains(&format!("... and {} more warning(s): ", all - 20)),
        "{build}"
    );
    assert!(build.contains("on-call"), "{build}");
    assert!(
        build.contains(&format!("0 error(s), {all} warning(s)")),
        "{build}"
    );
    let verbose = text(&run(&site, &["build", "--verbose"]));
    assert_eq!(verbose.matches("warning[").count(), all, "{verbose}");
}
