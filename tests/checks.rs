//! `shipdate check`: every rule fires on a fixture that breaks it and stays
//! quiet on one that does not; formats, exit codes and rule configuration.

mod common;

use std::process::Command;

use common::SiteTest;
use shipdate::diagnostic::{Diagnostic, Severity};

const CONFIG: &str = "timezone: America/New_York\nteams:\n  - {id: web}\n  - {id: api}\nfreeze:\n  - {name: Year-end freeze, start: 2026-12-20, end: 2027-01-04}\n";

/// The rollback line of [`GOOD_MAJOR`].
const ROLLBACK: &str = "rollback: {plan: Turn the flag off., triggers: [Error rate above 2%]}";

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
    - {name: Canary, percent: 1, at: T, exit: [No P1 bugs]}
    - {name: GA, percent: 100, at: T+1w}
rollback: {plan: Turn the flag off., triggers: [Error rate above 2%]}
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
    assert_fires("rollback-plan", &[("a", &good().replace(ROLLBACK, ""))]);
    assert_quiet(
        "rollback-plan",
        &[(
            "a",
            &good()
                .replace(ROLLBACK, "")
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
    let measured = format!("{shipped}\nmetrics:\n  - {{name: Adoption, target: \">= 5%\"}}");
    assert_fires("post-launch-review", &[("a", &measured)]);
    // SPEC §5.2: only a release that defines metrics has results to record.
    assert_quiet("post-launch-review", &[("a", &shipped)]);
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
            &measured
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
        &good().replace("on_call: Bob", "").replace(ROLLBACK, ""),
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

/// A finding at `line` with a hint, as every rule gives.
fn assert_at(d: &Diagnostic, file: &str, line: u64) {
    assert!(d.path.ends_with(format!("{file}.md")), "{d:?}");
    assert_eq!(d.position.line, line, "{d:?}");
    assert!(d.position.column >= 1, "{d:?}");
    assert!(d.hint.as_deref().is_some_and(|h| !h.is_empty()), "{d:?}");
}

#[test]
fn waived_without_reason() {
    let waived = good().replace("status: pending, due: T-3w", "status: waived, due: T-3w");
    let d = assert_fires("waived-without-reason", &[("a", &waived)]);
    assert_eq!(d.severity, Severity::Error);
    assert_at(&d, "a", 18);
    assert_quiet(
        "waived-without-reason",
        &[(
            "a",
            &waived.replace("waived,", "waived, reason: \"Docs unchanged\","),
        )],
    );
}

#[test]
fn stale_status() {
    // Thursday's release is still planned on Monday: more than one business day.
    let stale = with(GOOD_MAJOR, "status: in-progress").replace("2027-02-10", "2026-11-19");
    let d = assert_fires("stale-status", &[("a", &stale)]);
    assert_at(&d, "a", 21);
    assert!(d.message.contains("in-progress"), "{}", d.message);
    // Friday's: one business day later is Monday 09:00 New York, after "now" (12:00Z).
    assert_quiet(
        "stale-status",
        &[("a", &stale.replace("2026-11-19", "2026-11-20"))],
    );
    assert_quiet(
        "stale-status",
        &[("a", &stale.replace("in-progress", "shipped"))],
    );
}

#[test]
fn stale_releases_leave_the_roadmap() {
    let site = SiteTest::with_config(CONFIG);
    let front = |date: &str| {
        format!(
            "title: Roadmap {date}\nteam: web\ntype: patch\ndate: {date}\nsummary: S.\nroadmap: month"
        )
    };
    site.release("stale", &front("2026-11-10"), "");
    site.release("coming", &front("2026-12-08"), "");
    site.build();
    let roadmap = site.read("external/roadmap/index.html");
    assert!(roadmap.contains("Roadmap 2026-12-08"), "{roadmap}");
    assert!(!roadmap.contains("Roadmap 2026-11-10"), "{roadmap}");
}

#[test]
fn placeholder() {
    let d = assert_fires(
        "placeholder",
        &[("a", &good().replace("owner: Ann", "owner: TBD"))],
    );
    assert_at(&d, "a", 7);
    assert!(d.message.contains("TBD"), "{}", d.message);
    let site = SiteTest::with_config(CONFIG);
    site.release(
        "a",
        &good(),
        "Intro.\n\n## New {.external}\nTODO: what customers can do now\n",
    );
    let all = shipdate::check(&site.options());
    let d = all
        .iter()
        .find(|d| d.rule == "placeholder")
        .expect("external placeholder");
    // `---`, 20 front-matter lines (the last blank), `---`, then the body: its line 4.
    assert_at(d, "a", 26);
    assert_quiet("placeholder", &[("a", &good())]);
}

#[test]
fn support_after_customers() {
    let late = with(
        GOOD_MAJOR,
        "stakeholders: [partners, {id: support, at: T-2b}]",
    );
    let d = assert_fires("support-after-customers", &[("a", &late)]);
    assert_at(&d, "a", 21);
    assert!(d.message.contains("Integration partners"), "{}", d.message);
    // The announcement counts as customers hearing, too.
    let announced = with(GOOD_MAJOR, "stakeholders: [{id: support, at: T+1b}]")
        .replace("announce: 2027-02-17", "announce: 2027-02-10");
    assert_fires("support-after-customers", &[("a", &announced)]);
    assert_quiet("support-after-customers", &[("a", &good())]);
}

#[test]
fn affected_too_late() {
    let late = with(GOOD_MAJOR, "stakeholders: [support, {id: csm, at: T-2b}]");
    let d = assert_fires("affected-too-late", &[("a", &late)]);
    assert_at(&d, "a", 21);
    assert!(d.message.contains("72h"), "{}", d.message);
    assert_quiet("affected-too-late", &[("a", &late.replace("T-2b", "T-3b"))]);
}

#[test]
fn off_day() {
    // Saturday 13 February.
    let d = assert_fires(
        "off-day",
        &[("a", &good().replace("2027-02-10", "2027-02-13"))],
    );
    assert_at(&d, "a", 5);
    assert!(d.message.contains("weekend"), "{}", d.message);
    // A calendar-day offset lands support on Sunday 7 February.
    let d = assert_fires(
        "off-day",
        &[(
            "a",
            &with(GOOD_MAJOR, "stakeholders: [{id: support, at: T-3d}]"),
        )],
    );
    assert_at(&d, "a", 21);
    assert_quiet("off-day", &[("a", &good())]);
}

#[test]
fn notification_overdue() {
    // Wed 25 Nov: partners and support were due Wed 18 Nov, csm Thu 19 Nov.
    let soon = good().replace("2027-02-10", "2026-11-25");
    let d = assert_fires("notification-overdue", &[("a", &soon)]);
    assert_at(&d, "a", 4);
    let told = format!(
        "{soon}\nnotified:\n  partners: 2026-11-18\n  support: {{date: 2026-11-18, evidence: \"https://wiki/x\"}}\n  csm: 2026-11-19"
    );
    assert_quiet("notification-overdue", &[("a", &told)]);
}

#[test]
fn dependency_not_ready() {
    let app = with(GOOD_MAJOR, "depends_on: [api]");
    for status in ["delayed", "cancelled", "rolled-back"] {
        let api =
            with(GOOD_MAJOR, &format!("status: {status}")).replace("2027-02-10", "2027-02-01");
        let d = assert_fires("dependency-not-ready", &[("app", &app), ("api", &api)]);
        assert_at(&d, "app", 21);
        assert!(d.message.contains(status), "{}", d.message);
    }
    let stale = good().replace("2027-02-10", "2026-11-10");
    assert_fires("dependency-not-ready", &[("app", &app), ("api", &stale)]);
    let tbd = good().replace("2027-02-10", "tbd");
    let d = assert_fires("dependency-not-ready", &[("app", &app), ("api", &tbd)]);
    assert!(d.message.contains("tbd"), "{}", d.message);
    let api = good().replace("2027-02-10", "2027-02-01");
    assert_quiet("dependency-not-ready", &[("app", &app), ("api", &api)]);
}

#[test]
fn dependency_margin() {
    let app = |date: &str| with(GOOD_MAJOR, "depends_on: [api]").replace("2027-02-10", date);
    let api = |date: &str| good().replace("2027-02-10", date);
    // Same day, six hours later: in order, but lock-step.
    let d = assert_fires(
        "dependency-margin",
        &[
            ("app", &app("2027-02-10T15:00")),
            ("api", &api("2027-02-10T09:00")),
        ],
    );
    assert_at(&d, "app", 21);
    assert!(d.message.contains("1 business day"), "{}", d.message);
    // All-day the next day counts as 09:00: after a 15:00 dependency, too soon…
    assert_fires(
        "dependency-margin",
        &[
            ("app", &app("2027-02-11")),
            ("api", &api("2027-02-10T15:00")),
        ],
    );
    // …after an all-day one, exactly one business day: enough.
    assert_quiet(
        "dependency-margin",
        &[("app", &app("2027-02-11")), ("api", &api("2027-02-10"))],
    );
}

#[test]
fn missing_rollout() {
    let start = good().find("rollout:").unwrap();
    let end = good().find("rollback:").unwrap();
    let none = format!("{}{}", &good()[..start], &good()[end..]);
    let d = assert_fires("missing-rollout", &[("a", &none)]);
    assert_at(&d, "a", 4);
    assert_quiet(
        "missing-rollout",
        &[("a", &none.replace("type: major", "type: minor"))],
    );
}

#[test]
fn phase_exit() {
    let d = assert_fires(
        "phase-exit",
        &[("a", &good().replace(", exit: [No P1 bugs]", ""))],
    );
    // The `rollout:` plan's first line.
    assert_at(&d, "a", 11);
    assert!(d.message.contains("Canary"), "{}", d.message);
    assert_quiet("phase-exit", &[("a", &good())]);
}

#[test]
fn rollback_triggers() {
    let d = assert_fires(
        "rollback-triggers",
        &[(
            "a",
            &good().replace(ROLLBACK, "rollback: {plan: Turn the flag off.}"),
        )],
    );
    assert_at(&d, "a", 15);
    assert_quiet("rollback-triggers", &[("a", &good())]);
}

#[test]
fn breaking_change_notice() {
    let late = with(
        GOOD_MAJOR,
        "breaking: true\nstakeholders: [support, {id: partners, at: T-3b}]",
    );
    let d = assert_fires("breaking-change-notice", &[("a", &late)]);
    assert_at(&d, "a", 21);
    assert!(d.message.contains("later than T-7d"), "{}", d.message);
    let no_docs = with(GOOD_MAJOR, "breaking: true").replace("kind: docs", "kind: technical");
    assert_fires("breaking-change-notice", &[("a", &no_docs)]);
    // Partners at T-5b from Wednesday is Wednesday a week before: "by T-7d" includes it.
    assert_quiet(
        "breaking-change-notice",
        &[("a", &with(GOOD_MAJOR, "breaking: true"))],
    );
}

#[test]
fn postmortem_missing() {
    let rolled = with(GOOD_MAJOR, "status: rolled-back").replace("2027-02-10", "2026-11-10");
    let d = assert_fires("postmortem-missing", &[("a", &rolled)]);
    assert_at(&d, "a", 21);
    let incident = with(
        GOOD_MAJOR,
        "status: shipped\noutcome:\n  incidents: [{severity: P1, summary: Checkout down}]",
    )
    .replace("2027-02-10", "2026-11-10");
    let d = assert_fires("postmortem-missing", &[("a", &incident)]);
    assert_at(&d, "a", 22);
    assert!(d.message.contains("P1"), "{}", d.message);
    assert_quiet(
        "postmortem-missing",
        &[(
            "a",
            &format!("{rolled}\noutcome: {{postmortem: \"https://wiki/pm/1\"}}"),
        )],
    );
    // Two business days after Thursday is Monday 09:00 New York: not yet.
    assert_quiet(
        "postmortem-missing",
        &[("a", &rolled.replace("2026-11-10", "2026-11-19"))],
    );
}

#[test]
fn action_overdue() {
    let shipped = |action: &str| {
        with(
            GOOD_MAJOR,
            &format!("status: shipped\noutcome:\n  postmortem: https://wiki/pm/1\n  actions:\n    - {action}"),
        )
        .replace("2027-02-10", "2026-11-10")
    };
    let d = assert_fires(
        "action-overdue",
        &[(
            "a",
            &shipped("{what: Fix tax config, owner: Sam, due: 2026-11-20}"),
        )],
    );
    assert_at(&d, "a", 22);
    assert!(
        d.message.contains("Fix tax config") && d.message.contains("Sam"),
        "{}",
        d.message
    );
    assert_quiet(
        "action-overdue",
        &[(
            "a",
            &shipped("{what: Fix, owner: Sam, due: 2026-11-20, done: true}"),
        )],
    );
    assert_quiet(
        "action-overdue",
        &[("a", &shipped("{what: Fix, owner: Sam, due: 2026-11-23}"))],
    );
}

#[test]
fn support_not_notified_before_shipping() {
    let d = assert_fires(
        "support-not-notified",
        &[(
            "a",
            &with(GOOD_MAJOR, "stakeholders: [partners, {id: support, at: T}]"),
        )],
    );
    assert!(d.message.contains("already shipped"), "{}", d.message);
    assert_quiet("support-not-notified", &[("a", &good())]);
}

#[test]
fn cancelled_releases_are_exempt_from_every_warning() {
    let messy = with(
        GOOD_MAJOR,
        "status: cancelled\nbreaking: true\nstakeholders: [partners, {id: support, at: T+1d}, {id: csm, at: T}]",
    )
    .replace("2027-02-10", "2026-11-14")
    .replace("owner: Ann", "owner: TBD")
    .replace(", exit: [No P1 bugs]", "");
    let all = findings(&[("a", &messy)]);
    assert!(all.iter().all(|d| d.severity == Severity::Error), "{all:?}");
}

/// One well-planned release of every type: silent, so `--strict` passes.
#[test]
fn a_well_planned_release_of_each_type_is_silent() {
    let site = SiteTest::with_config(CONFIG);
    site.release(
        "hotfix",
        "title: Fix login\nteam: api\ntype: hotfix\ndate: 2026-11-24T15:00\nowner: Ann\non_call: Bob\nrollback: {plan: Revert., triggers: [Errors return]}",
        "## Fixed\nx\n",
    );
    site.release(
        "patch",
        "title: Patch\nteam: api\ntype: patch\ndate: 2026-12-01\nowner: Ann\nsummary: Faster exports.",
        "## Fixed {.external}\nx\n",
    );
    site.release(
        "minor",
        "title: Minor\nteam: web\ntype: minor\ndate: 2026-12-02\nowner: Ann\nsummary: Saved filters.\nrollout:\n  strategy: feature-flag\n  phases:\n    - {name: Beta, percent: 10, at: T, exit: [No P1 bugs]}\n    - {name: GA, percent: 100, at: T+2b}\nannounce: T+2b",
        "## New {.external}\nx\n",
    );
    site.release("major", &good(), "## New {.external}\nx\n");
    site.release(
        "launch",
        &with(GOOD_MAJOR, "breaking: true")
            .replace("type: major", "type: launch")
            .replace("team: web", "team: api")
            .replace("2027-02-10", "2027-02-16")
            .replace("2027-02-17", "2027-02-23"),
        "## New {.external}\nx\n",
    );
    let all = shipdate::check(&site.options());
    assert_eq!(all, Vec::<Diagnostic>::new());
}

#[test]
fn json_lists_the_new_rule_ids() {
    let site = SiteTest::with_config(CONFIG);
    site.release(
        "a",
        &with(GOOD_MAJOR, "status: delayed\nstakeholders: [partners, {id: support, at: T-2b}, {id: csm, at: T-1b}]")
            .replace("2027-02-10", "2026-11-14")
            .replace("owner: Ann", "owner: TBD")
            .replace(", exit: [No P1 bugs]", ""),
        "",
    );
    let out = run(&site, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for id in [
        "stale-status",
        "placeholder",
        "phase-exit",
        "off-day",
        "notification-overdue",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn the_dashboard_shows_placeholders_instead_of_all_checks_pass() {
    let site = SiteTest::with_config(CONFIG);
    site.release("a", &good().replace("owner: Ann", "owner: TBD"), "");
    site.build();
    let dashboard = site.read("internal/index.html");
    assert!(!dashboard.contains("All checks pass"), "{dashboard}");
    assert!(
        dashboard.contains("<code>placeholder</code>"),
        "{dashboard}"
    );
}

#[test]
fn triage_lists_stale_releases_overdue_gates_notifications_and_dependency_risks() {
    let site = SiteTest::with_config(CONFIG);
    // Stale: Thursday's release still planned on Monday.
    site.release("old", &good().replace("2027-02-10", "2026-11-19"), "");
    // Ships Wed 25 Nov: partners and support were due Wed 18 Nov (support
    // recorded), csm Thu 19 Nov; enterprise and engineering Fri 20 Nov are
    // overdue only from Mon 23 Nov 09:00 New York (after "now", 12:00Z).
    site.release(
        "soon",
        &format!(
            "{}\ndepends_on: [old]\nnotified: {{support: 2026-11-18}}",
            good()
                .replace("2027-02-10", "2026-11-25")
                .replace("due: T-1w}", "due: T-1w, owner: Cy}")
        ),
        "",
    );
    let mut steps = Vec::new();
    let model = shipdate::load(&site.options(), &mut steps).unwrap();
    let t = shipdate::triage::triage(
        &model.content.releases,
        &model.findings,
        &model.config,
        model.now,
        7,
    );
    let ids = |list: &[&shipdate::content::Release]| {
        list.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&t.stale), ["old"]);
    let gates: Vec<(&str, Option<&str>)> = t
        .overdue_gates
        .iter()
        .map(|(r, g)| (r.id.as_str(), g.owner.as_deref()))
        .collect();
    assert_eq!(
        gates,
        [
            ("old", None),
            ("old", None),
            ("soon", None),
            ("soon", Some("Cy"))
        ]
    );
    let due: Vec<(&str, bool, bool)> = t
        .notifications_due
        .iter()
        .filter(|n| n.release.id == "soon")
        .map(|n| {
            (
                n.notification.group.as_str(),
                n.notified.is_some(),
                n.overdue,
            )
        })
        .collect();
    assert!(due.contains(&("partners", false, true)), "{due:?}");
    assert!(due.contains(&("csm", false, true)), "{due:?}");
    assert!(due.contains(&("enterprise", false, false)), "{due:?}");
    assert!(due.contains(&("ops", false, false)), "{due:?}");
    assert!(
        !due.iter().any(|d| d.0 == "support"),
        "recorded and past: {due:?}"
    );
    let risks: Vec<&str> = t.dependency_risks.iter().map(|d| d.rule).collect();
    assert_eq!(risks, ["dependency-not-ready"]);
}

/// The example quarter (content/, shipdate.yaml) is well planned: at the day
/// it was written, only its deliberate findings remain, no errors.
#[test]
fn the_example_site_has_only_its_deliberate_findings() {
    let out = Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(["check", "--format", "json", "--now", "2026-11-23", "--root"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"], 0, "{json:#}");
    let mut rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .filter(|r| *r != "late-scope-change") // depends on when the files were committed
        .collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        [
            "action-overdue",
            "dependency-not-ready",
            "gate-overdue",
            "notification-overdue",
            "on-call",
            "sensitive-review",
        ],
        "{json:#}"
    );
}

#[test]
fn far_future() {
    let patch = |date: &str, extra: &str| {
        with(
            &format!("team: web\ntype: patch\ndate: {date}\nsummary: S"),
            extra,
        )
    };
    // "Now" is 2026-11-23: five years on is 2031-11-23.
    let d = assert_fires("far-future", &[("a", &patch("2032-02-10", ""))]);
    assert_at(&d, "a", 5);
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("Tue 10 Feb 2032"), "{}", d.message);
    let d = assert_fires(
        "far-future",
        &[(
            "a",
            &patch(
                "2027-02-10",
                "milestones:\n  - {name: Sunset review, date: 2031-12-01}",
            ),
        )],
    );
    assert_at(&d, "a", 7);
    assert!(d.message.contains("Sunset review"), "{}", d.message);
    assert_quiet(
        "far-future",
        &[(
            "a",
            &patch(
                "2031-11-21",
                "support:\n  - {name: LTS, until: 2038-04-30}\neol: 2040-04",
            ),
        )],
    );
}
