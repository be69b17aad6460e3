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
        "error[unknown-key]: unknown field `titel`",
        "--> content/releases/a.md:6:1\n  |\n6 | titel: typo\n  | ^\n",
        "hint: did you mean `title`?",
        "error[unknown-type]: unknown release type `minr`",
        "--> content/releases/b.md:4:7\n  |\n4 | type: minr\n  |       ^\n",
        "hint: did you mean `minor`?",
        "error[invalid-date]",
        "--> content/releases/c.md:5:7",
        "error[missing-front-matter]",
        "--> content/releases/e.md:1:1",
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

/// What each file of `tests/fixtures/nasty/` must give: `None` = read
/// correctly, else the rule and the line of its (first) error.
const NASTY: &[(&str, Option<(&str, u64)>)] = &[
    ("bom.md", None),
    ("crlf.md", None),
    ("tabs-in-body.md", None),
    ("tabs-in-yaml.md", Some(("invalid-yaml", 3))), // the tab's own line
    ("empty-front-matter.md", Some(("missing-key", 2))),
    ("no-front-matter.md", Some(("missing-front-matter", 1))),
    ("no-closing-fence.md", Some(("unclosed-front-matter", 7))),
    ("invalid-utf8.md", Some(("invalid-utf8", 2))),
    ("nul-bytes.md", Some(("invalid-yaml", 2))),
    ("duplicate-keys.md", Some(("duplicate-key", 6))),
    ("alias-bomb.md", Some(("invalid-yaml", 12))),
    ("deep-nesting.md", Some(("invalid-yaml", 6))),
    ("deep-mapping.md", Some(("invalid-yaml", 70))),
    ("wrong-types.md", Some(("invalid-yaml", 2))),
    ("bad-values.md", Some(("invalid-offset", 7))),
    ("year-typo.md", Some(("invalid-date", 5))),
];

/// Every file of the nasty corpus, plus what is too big or too strange to
/// commit (a >4 MiB file, 1.5 MiB of front matter, a symlink loop), in one
/// build over a previous good one: each bad file gets its own located error
/// with a hint, the good ones are read, and the previous output stays as it
/// was, with no staging folder left behind.
#[test]
fn nasty_files_get_clear_errors_and_never_a_partial_site() {
    let site = SiteTest::new();
    site.release(
        "good",
        &common::shipped("Good", "2026-11-10"),
        "## New {.external}\nok\n",
    );
    site.build();
    let before = site.files("");

    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nasty");
    for (name, _) in NASTY {
        std::fs::copy(
            corpus.join(name),
            site.root().join("content/releases").join(name),
        )
        .unwrap();
    }
    let front = "---\ntitle: Huge\nteam: web\ntype: minor\ndate: 2026-12-01\n---\n";
    let mut huge = front.to_string();
    while huge.len() <= 4 << 20 {
        huge.push_str("A line of release notes that goes on and on.\n");
    }
    site.write("content/releases/huge.md", &huge);
    let blob = "x".repeat(3 << 19);
    site.write(
        "content/releases/huge-front-matter.md",
        &format!("---\ntitle: Big\nteam: web\ntype: minor\ndate: 2026-12-01\nextra: {{blob: {blob}}}\n---\n"),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/releases/loop"),
    )
    .unwrap();
    site.write("content/_drafts/ignored.md", "not a release");
    site.write("content/.hidden.md", "not a release");

    let errors = site.build_err();
    let first = |file: &str| errors.iter().find(|e| e.path.ends_with(file));
    for (name, expected) in NASTY {
        let got = first(name).map(|e| (e.rule, e.position.line));
        assert_eq!(got, *expected, "{name}: {errors:#?}");
    }
    assert_eq!(first("huge.md").map(|e| e.rule), Some("file-too-large"));
    let big = first("huge-front-matter.md").expect("huge front matter");
    assert!(big.message.contains("1 MiB limit"), "{big}");
    #[cfg(unix)]
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("symbolic link loop")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.path.ends_with("bad-values.md") && e.rule == "invalid-metric"),
        "every error of a file, not only the first"
    );
    for e in &errors {
        assert!(e.position.line >= 1 && e.position.column >= 1, "{e}");
        assert!(e.hint.is_some(), "no hint: {e}");
        assert!(
            !e.message.contains("DuplicateKeyPolicy") && !e.message.contains("budget breached"),
            "{e}"
        );
        let p = e.path.to_string_lossy();
        assert!(!p.contains("ignored") && !p.contains("hidden"), "{e}");
    }

    assert!(before == site.files(""), "the previous output is untouched");
    let mut left: Vec<String> = std::fs::read_dir(site.out(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [".shipdate-lock", "external", "internal"],
        "no staging folders left behind"
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

#[test]
fn a_root_that_is_not_a_site_is_a_usage_error_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("typo");
    for args in [["build"], ["check"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_shipdate"))
            .args(args)
            .arg("--root")
            .arg(&missing)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("no such folder") && err.contains("hint"),
            "{err}"
        );
        assert!(!missing.exists(), "a mistyped --root must not be created");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(["build", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a shipdate site"));
    assert!(!tmp.path().join("public").exists());
}

/// Two mistakes in one file are both reported, in words without YAML
/// library jargon, each naming its key.
#[test]
fn every_error_of_one_file_is_reported_in_plain_words() {
    let site = SiteTest::new();
    site.release(
        "two",
        "title: Two\nteam: web\ntype: patch\ndate: 2026-12-01\nstatus: [shipped]\ndraft: maybe",
        "",
    );
    let errors = site.build_err();
    let lines: Vec<u64> = errors.iter().map(|e| e.position.line).collect();
    assert_eq!(lines, [6, 7], "{errors:#?}");
    assert!(
        errors[0].message.starts_with("`status` must be one word"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1]
            .message
            .contains("`draft` must be `true` or `false`"),
        "{}",
        errors[1]
    );
    for e in &errors {
        for jargon in ["externally tagged", "scalar", "invalid boolean", "enum"] {
            assert!(!e.to_string().contains(jargon), "{e}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_reader_that_stops_early_ends_the_run_quietly_not_with_a_panic() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    // Enough errors to fill the pipe (`shipdate check 2>&1 | head -1`).
    let site = SiteTest::new();
    for i in 0..600 {
        site.release(
            &format!("r{i}"),
            "title: R\nteam: web\ntype: minr\ndate: 2026-12-01",
            "",
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(["check", "--now", common::NOW, "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stderr.take().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_ne!(status.code(), Some(101), "a panic: {status:?}");
    assert_eq!(status.signal(), Some(libc::SIGPIPE), "{status:?}");
}
