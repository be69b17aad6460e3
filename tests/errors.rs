//! Bad input: every error located as path:line:column with a hint, all of a
//! run reported together, the right exit codes, never a panic.

mod common;

use std::process::Command;

use common::SiteTest;

fn shipdate(site: &SiteTest, args: &[&str]) -> std::process::Output {
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
fn all_errors_of_all_files_are_reported_with_locations_and_hints() {
    let site = SiteTest::with_config("teams:\n  - {id: web}\n");
    site.release(
        "a",
        "title: A\nteam: web\ntype: minor\ndate: 2026-12-01\ntitel: typo",
        "",
    );
    site.release("b", "title: B\nteam: web\ntype: minr\ndate: 2026-12-01", "");
    site.release(
        "c",
        "title: C\nteam: web\ntype: minor\ndate: 2026-13-01",
        "",
    );
    site.release(
        "d",
        "title: D\nteam: wbe\ntype: minor\ndate: 2026-12-01",
        "",
    );
    site.write("content/releases/e.md", "no front matter\n");
    let out = shipdate(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "content/releases/a.md:6:1: error[unknown-key]: unknown field `titel`",
        "hint: did you mean `title`?",
        "content/releases/b.md:4:7: error[unknown-type]: unknown release type `minr`",
        "hint: did you mean `minor`?",
        "content/releases/c.md:5:7: error[invalid-date]",
        "content/releases/e.md:1:1: error[missing-front-matter]",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in:\n{stderr}"
        );
    }
    assert!(!site.exists("internal"), "nothing is written on failure");
}

#[test]
fn unknown_team_is_reported_after_parsing_with_a_suggestion() {
    let site = SiteTest::with_config("teams:\n  - {id: web}\n");
    site.release(
        "d",
        "title: D\nteam: wbe\ntype: minor\ndate: 2026-12-01",
        "",
    );
    let errors = site.build_err();
    let e = errors
        .iter()
        .find(|e| e.rule == "unknown-team")
        .expect("unknown-team");
    assert_eq!(e.location(), "content/releases/d.md:3:1");
    assert_eq!(e.hint.as_deref(), Some("did you mean `web`?"));
}

#[test]
fn missing_required_keys_and_bad_values_are_located() {
    let site = SiteTest::new();
    site.release("a", "title: A\nteam: web\ndate: 2026-12-01", "");
    site.release(
        "b",
        "title: B\nteam: web\ntype: minor\ndate: 2026-12-01\nstatus: done",
        "",
    );
    site.release(
        "c",
        "title: C\nteam: web\ntype: minor\ndate: 2026-12-01\nmilestones:\n  - {name: X, at: T+2x}",
        "",
    );
    site.release(
        "d",
        "title: D\nteam: web\ntype: minor\ndate: 2026-12-01\ntitle: again",
        "",
    );
    let errors = site.build_err();
    let find = |file: &str| {
        errors
            .iter()
            .find(|e| e.path.ends_with(file))
            .unwrap_or_else(|| panic!("no error for {file}: {errors:?}"))
    };
    assert_eq!(find("a.md").rule, "missing-key");
    assert_eq!(find("b.md").position.line, 6);
    assert_eq!(find("c.md").rule, "invalid-offset");
    assert_eq!(find("c.md").position.line, 7);
    assert_eq!(find("d.md").rule, "duplicate-key");
    assert!(
        errors.iter().all(|e| e.hint.is_some()),
        "every error has a hint: {errors:?}"
    );
}

#[test]
fn nasty_files_get_clear_errors_or_are_read_correctly() {
    let site = SiteTest::new();
    site.write("content/releases/bom-crlf.md", "\u{feff}---\r\ntitle: Bom\r\nteam: web\r\ntype: minor\r\ndate: 2026-12-01\r\n---\r\n## Hi {.external}\r\nok\r\n");
    site.write("content/releases/unclosed.md", "---\ntitle: U\nteam: web\n");
    site.write("content/releases/empty.md", "---\n---\n");
    site.write(
        "content/releases/tabs.md",
        "---\ntitle: T\n\tteam: web\n---\n",
    );
    std::fs::write(
        site.root().join("content/releases/binary.md"),
        b"---\ntitle: \xff\xfe\n---\n",
    )
    .unwrap();
    site.write("content/_drafts/ignored.md", "not a release");
    site.write("content/.hidden.md", "not a release");
    let errors = site.build_err();
    let rule = |file: &str| {
        errors
            .iter()
            .find(|e| e.path.ends_with(file))
            .map(|e| e.rule)
    };
    assert_eq!(
        rule("bom-crlf.md"),
        None,
        "BOM and CRLF are fine: {errors:?}"
    );
    assert_eq!(rule("unclosed.md"), Some("unclosed-front-matter"));
    assert_eq!(rule("empty.md"), Some("missing-key"));
    assert!(rule("tabs.md").is_some());
    assert_eq!(rule("binary.md"), Some("invalid-utf8"));
    let binary = errors
        .iter()
        .find(|e| e.path.ends_with("binary.md"))
        .unwrap();
    assert_eq!((binary.position.line, binary.position.column), (2, 8));
    assert!(
        errors
            .iter()
            .all(|e| !e.path.to_string_lossy().contains("ignored")
                && !e.path.to_string_lossy().contains("hidden"))
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_in_content_are_errors_not_hangs() {
    let site = SiteTest::new();
    site.release(
        "a",
        "title: A\nteam: web\ntype: minor\ndate: 2026-12-01",
        "",
    );
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/releases/loop"),
    )
    .unwrap();
    let errors = site.build_err();
    assert!(
        errors.iter().any(|e| e.message.contains("loop")),
        "{errors:?}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let site = SiteTest::new();
    let out = shipdate(&site, &["build", "--audience", "everyone"]);
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(["build", "--now", "soon", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_good_site_exits_0_and_prints_a_summary() {
    let site = SiteTest::new();
    site.release(
        "a",
        "title: A\nteam: web\ntype: patch\ndate: 2026-12-01",
        "",
    );
    let out = shipdate(&site, &["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 release, 2 sites, ") && stderr.contains(" feeds in "),
        "{stderr}"
    );
}
