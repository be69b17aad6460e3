//! SPEC §5.1, each finding of issue 14 as a fixture: a build touches only
//! its own output, reads only the site's own files, publishes nothing
//! internal whatever the markup, and lets no bad value or control
//! character through.

mod common;

use std::path::Path;
use std::process::Command;

use common::SiteTest;
use shipdate::BuildError;
use shipdate::output::OutputError;

const CONFIG: &str = "teams:\n  - {id: web}\n";
const FRONT: &str = "title: A\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-11-10\nsummary: A.\nstakeholders: [support]";

fn site() -> SiteTest {
    let site = SiteTest::with_config(CONFIG);
    site.release("a", FRONT, "## New {.external}\nPublic.\n");
    site
}

fn errors(site: &SiteTest) -> Vec<String> {
    site.build_err().iter().map(|d| d.to_string()).collect()
}

fn output_error(site: &SiteTest, output: Option<&Path>) -> OutputError {
    let mut options = site.options();
    options.output = output.map(Path::to_path_buf);
    match shipdate::build(&options) {
        Err(BuildError::Output(e)) => e,
        Ok(_) => panic!("the build wrote its output"),
        Err(e) => panic!("another error: {e}"),
    }
}

#[cfg(unix)]
#[test]
fn finding_1_a_linked_site_folder_is_refused_and_its_target_kept() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(elsewhere.path().join("sub")).unwrap();
    std::fs::write(elsewhere.path().join("top.txt"), "keep").unwrap();
    std::fs::write(elsewhere.path().join("sub/b.txt"), "keep").unwrap();
    std::fs::create_dir_all(site.out("")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.out("internal")).unwrap();
    let e = output_error(&site, None);
    assert!(matches!(e, OutputError::Refused { .. }), "{e}");
    assert!(elsewhere.path().join("top.txt").exists());
    assert!(elsewhere.path().join("sub/b.txt").exists());
}

#[test]
fn finding_2_folders_shipdate_did_not_write_and_dangerous_outputs_are_refused() {
    let site = site();
    site.write("public/external/CNAME", "releases.example\n");
    let e = output_error(&site, None);
    assert!(e.hint().is_some(), "{e}");
    assert!(site.exists("external/CNAME"));
    for output in [Path::new("/"), site.root(), site.root().parent().unwrap()] {
        let e = output_error(&site, Some(output));
        assert!(
            matches!(e, OutputError::Refused { .. }),
            "{}: {e}",
            output.display()
        );
    }
    // Once shipdate has written them, it replaces them build after build.
    std::fs::remove_dir_all(site.out("external")).unwrap();
    site.build();
    site.build();
    assert!(site.exists(&format!("external/{}", shipdate::output::MARKER)));
}

#[test]
fn finding_3_and_4_no_comment_or_marker_form_publishes_internal_text() {
    let site = SiteTest::with_config(CONFIG);
    site.release(
        "a",
        FRONT,
        "## New {.external}\nPublic.\n<div>\n<!--\n\n[runbook](https://internal.example/canary)\n\n-->\n</div>\n\n\
         ## Both {.internal .external}\ncanary both\n\n## Escaped \\{.external}\ncanary escaped\n\n\
         ## Notes {.internal}\n### Public {.external}\ncanary nested\n",
    );
    site.build();
    for (path, bytes) in site.files("external") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("canary"), "{path}");
    }
    assert!(
        site.read("external/releases/a/index.html")
            .contains("Public.")
    );
}

#[test]
fn also_code_running_links_are_not_published() {
    let site = SiteTest::with_config(CONFIG);
    site.release("a", FRONT, "## New {.external}\n[Try it](javascript:alert(document.cookie)) and [docs](https://docs.example/).\n");
    site.build();
    let page = site.read("external/releases/a/index.html");
    assert!(!page.contains("javascript:"), "{page}");
    assert!(page.contains("Try it") && page.contains("https://docs.example/"));
}

#[cfg(unix)]
#[test]
fn finding_6_content_outside_the_site_is_an_error_and_never_shown() {
    let site = site();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("env");
    std::fs::write(&secret, "---\ntitle: AWS_SECRET=hunter2\n").unwrap();
    std::os::unix::fs::symlink(&secret, site.root().join("content/releases/x.md")).unwrap();
    std::os::unix::fs::symlink(
        "/proc/self/environ",
        site.root().join("content/releases/y.md"),
    )
    .unwrap();
    let found = errors(&site);
    let text = found.join("\n");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(
        text.contains("content/releases/x.md:1:1") && text.contains("outside the site"),
        "{text}"
    );
    assert!(text.contains("content/releases/y.md:1:1"), "{text}");
    assert!(!site.exists("internal"));
}

#[test]
fn finding_7_control_characters_never_reach_a_feed() {
    let site = SiteTest::with_config(CONFIG);
    site.release(
        "a",
        &FRONT.replace("title: A", "title: \"Red \\e[31malert\\e[0m\""),
        "## New {.external}\n```\n\u{1b}[1mbold\u{1b}[0m\n```\n",
    );
    site.build();
    for path in ["external/feed.xml", "external/sitemap.xml"] {
        let text = site.read(path);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    assert!(site.read("external/feed.xml").contains("Red [31malert"));
}

#[test]
fn control_characters_never_reach_a_page_either() {
    // A NUL or an escape code is a parse error in HTML as in XML.
    let site = SiteTest::with_config(CONFIG);
    site.release(
        "a",
        &FRONT.replace("title: A", "title: \"Nul\\0 and \\e[31mred\""),
        "## New {.external}\n```\n\u{1b}[1mbold\u{0}\n```\n",
    );
    site.build();
    for (path, text) in site.files("") {
        if path.ends_with(".html") {
            let text = String::from_utf8_lossy(&text);
            assert!(
                !text.contains(['\0', '\u{1b}']),
                "{path} holds a control character"
            );
        }
    }
    assert!(site.read("external/index.html").contains("Nul and [31mred"));
}

#[test]
fn finding_8_leftovers_of_killed_builds_are_cleaned_and_never_in_the_way() {
    let site = site();
    site.build();
    for left in [
        ".shipdate-staging-1/internal/x.html",
        ".internal.old-1/x.html",
        ".shipdate-old-external-7/x",
    ] {
        site.write(&format!("public/{left}"), "big");
    }
    site.build();
    let mut names: Vec<_> = std::fs::read_dir(site.out(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [".shipdate-lock", "external", "internal"]);
}

#[test]
fn finding_9_a_second_build_waits_its_turn_and_touches_nothing() {
    let site = site();
    site.build();
    let before = site.files("");
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(site.out(".shipdate-lock"))
        .unwrap();
    lock.try_lock().unwrap();
    site.release("b", &FRONT.replace("title: A", "title: B"), "");
    let e = output_error(&site, None);
    assert!(matches!(e, OutputError::Busy { .. }), "{e}");
    assert_eq!(site.files(""), before, "the output is untouched");
    drop(lock);
    site.build();
}

#[test]
fn finding_11_team_and_release_ids_are_checked_without_a_teams_list() {
    for team in ["../../x", "a/b", ".", "Web"] {
        let site = SiteTest::new();
        site.release(
            "a",
            &FRONT.replace("team: web", &format!("team: \"{team}\"")),
            "",
        );
        let found = errors(&site);
        assert!(
            found
                .iter()
                .any(|e| e.starts_with("content/releases/a.md:3:1") && e.contains("invalid-id")),
            "{team}: {found:?}"
        );
        assert!(!site.exists("internal"));
    }
    let site = SiteTest::new();
    site.release(&"a".repeat(200), &FRONT.replace("team: web", "team: b"), "");
    site.release("c", &format!("{FRONT}\nid: {}", "c".repeat(300)), "");
    let found = errors(&site);
    assert!(
        found.iter().any(|e| e.contains(":1:1: error[invalid-id]")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|e| e.starts_with("content/releases/c.md:9:") && e.contains("invalid-id")),
        "{found:?}"
    );
}

#[test]
fn stakeholder_group_ids_are_checked_where_they_are_written() {
    for id in ["../../s", "a/b", "Ops"] {
        let site = SiteTest::with_config(&format!(
            "{CONFIG}stakeholders:\n  - {{id: \"{id}\", name: S, at: T-1d}}\n"
        ));
        site.release("a", &FRONT.replace("[support]", &format!("[\"{id}\"]")), "");
        let found = errors(&site);
        assert!(
            found.iter().any(|e| e.starts_with("shipdate.yaml:3:1")
                && e.contains("invalid-id")
                && e.contains("hint")),
            "{id}: {found:?}"
        );
        assert!(!site.exists("internal"));
    }
}

#[test]
fn finding_12_escape_sequences_are_shown_escaped() {
    let site = site();
    site.release(
        "b",
        &FRONT.replace("type: minor", "type: \"\\e]0;pwned\\a\\e[2J\""),
        "",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}]0;pwned"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn finding_13_a_config_that_is_not_a_regular_file_is_an_error() {
    let site = site();
    let config = site.root().join("shipdate.yaml");
    std::fs::remove_file(&config).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
    let found = errors(&site);
    assert!(
        found.iter().any(|e| e.starts_with("shipdate.yaml:1:1")),
        "{found:?}"
    );
    std::fs::remove_file(&config).unwrap();
    let made = Command::new("mkfifo").arg(&config).status();
    if made.is_ok_and(|s| s.success()) {
        let found = errors(&site);
        assert!(
            found.iter().any(|e| e.contains("not a regular file")),
            "{found:?}"
        );
    }
}

#[test]
fn finding_14_a_far_date_adds_one_month_page_not_thousands() {
    let site = site();
    site.release(
        "far",
        &FRONT
            .replace("2026-11-10", "2199-12-31")
            .replace("shipped", "planned"),
        "",
    );
    site.build();
    let months = std::fs::read_dir(site.out("internal/calendar"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_dir())
        .count();
    assert!(months < 130, "{months} month pages");
    assert!(site.exists("internal/calendar/2199-12/index.html"));
}

#[test]
fn finding_15_values_the_model_cannot_hold_are_located_errors() {
    let with = |extra: &str| format!("{FRONT}\n{extra}");
    for (front, line, says) in [
        (
            with("outcome:\n  coordination_hours: .nan"),
            9,
            "coordination_hours",
        ),
        (
            with("outcome:\n  coordination_hours: .inf"),
            9,
            "coordination_hours",
        ),
        (
            with("outcome:\n  coordination_hours: -5"),
            9,
            "coordination_hours",
        ),
        (with("outcome:\n  rollback_level: 99"), 9, "rollback_level"),
        (FRONT.replace("date: 2026-11-10", "date: ~"), 6, "empty"),
        (
            FRONT.replace("date: 2026-11-10", "date: 2026-11-10T14:00+0200"),
            6,
            "+02:00",
        ),
        (FRONT.replace("\nsummary", "\n\tsummary"), 7, "tab"),
    ] {
        let site = SiteTest::with_config(CONFIG);
        site.release("a", &front, "");
        let found = errors(&site);
        assert!(
            found
                .iter()
                .any(|e| e.starts_with(&format!("content/releases/a.md:{line}:"))
                    && e.contains(says)
                    && e.contains("hint")),
            "{front}: {found:?}"
        );
        assert!(!found.iter().any(|e| e.contains("Option<")), "{found:?}");
    }
}
