//! `Session`: a rebuild that re-reads only changed files, rendering files on
//! request, must give exactly what a fresh `build` writes.
mod common;

use std::collections::BTreeMap;

use common::{SiteTest, shipped};
use shipdate::{Generation, Session};

const CONFIG: &str = "paginate: 2\nteams:\n  - {id: web, name: Web}\n  - {id: api, name: API}\n";

fn site() -> SiteTest {
    let t = SiteTest::with_config(CONFIG);
    t.release(
        "2026-10-01-a",
        &shipped("Alpha", "2026-10-01"),
        "Alpha notes.\n",
    );
    t.release(
        "2026-10-05-b",
        &shipped("Bravo", "2026-10-05"),
        "Bravo notes.\n",
    );
    t.release(
        "2026-11-02-c",
        &shipped("Charlie", "2026-11-02"),
        "## Notes {.external}\n\nCharlie for everyone.\n",
    );
    t.release(
        "2026-12-14-d",
        "title: Delta\nteam: api\nteams: [web]\ntype: major\ndate: 2026-12-14T16:00\ntimezone: Europe/Berlin\nroadmap: month\ndepends_on: [a]",
        "Delta plan.\n",
    );
    t.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    t.write("static/robots.txt", "User-agent: *\n");
    t
}

fn rebuild(session: &mut Session, t: &SiteTest) -> Generation {
    match session.rebuild(t.options().now) {
        Ok(g) => g,
        Err(e) => panic!("rebuild failed: {e:?}"),
    }
}

/// Every file a generation serves, rendered on request.
fn rendered(g: &Generation) -> BTreeMap<String, Vec<u8>> {
    g.manifest
        .files()
        .map(|(path, _)| {
            let bytes = g
                .render(path)
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .unwrap_or_else(|| panic!("{path} is listed but renders nothing"));
            (path.to_string(), bytes)
        })
        .collect()
}

/// Asserts that `g` serves exactly what a fresh `build` of the site writes.
fn assert_same_as_build(g: &Generation, t: &SiteTest) {
    t.build();
    // The output stage's own files (lock, markers) are not rendered pages.
    let built: BTreeMap<String, Vec<u8>> = t
        .files("")
        .into_iter()
        .filter(|(path, _)| {
            !path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .starts_with(".shipdate-")
        })
        .collect();
    let served = rendered(g);
    let built_paths: Vec<&String> = built.keys().collect();
    let served_paths: Vec<&String> = served.keys().collect();
    assert_eq!(served_paths, built_paths, "same files");
    for (path, bytes) in &built {
        assert!(
            served[path] == *bytes,
            "{path} differs:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&served[path]),
            String::from_utf8_lossy(bytes)
        );
    }
    assert_eq!(
        g.report.stats.pages,
        built.keys().filter(|p| p.ends_with(".html")).count()
    );
}

fn text(g: &Generation, path: &str) -> String {
    String::from_utf8(g.render(path).unwrap().unwrap()).unwrap()
}

#[test]
fn a_session_serves_what_build_writes() {
    let t = site();
    let g = rebuild(&mut Session::new(t.options()), &t);
    assert!(g.manifest.len() > 20, "{} files", g.manifest.len());
    assert!(g.report.stats.feeds >= 4);
    assert_same_as_build(&g, &t);
    assert!(g.render("internal/nope.html").unwrap().is_none());
}

#[test]
fn a_group_nobody_notifies_has_no_feed_to_serve_either() {
    // Only support is told of anything: the other built-in groups get no
    // feed from a build, and a session must not list one it cannot render.
    let t = SiteTest::new();
    t.release(
        "2026-12-01-a",
        "title: A\nteam: web\ntype: patch\ndate: 2026-12-01\nsummary: A.",
        "",
    );
    let mut session = Session::new(t.options());
    let g = rebuild(&mut session, &t);
    assert!(
        g.manifest
            .kind("internal/stakeholders/support.ics")
            .is_some()
    );
    assert!(
        g.manifest
            .kind("internal/stakeholders/partners.ics")
            .is_none()
    );
    assert_same_as_build(&g, &t);
}

#[test]
fn an_edit_is_picked_up_and_equals_a_fresh_build() {
    let t = site();
    let mut session = Session::new(t.options());
    let before = rebuild(&mut session, &t);
    assert!(text(&before, "internal/releases/b/index.html").contains("Bravo notes."));

    t.release(
        "2026-10-05-b",
        &shipped("Bravo Two", "2026-10-20"),
        "Bravo notes, longer now.\n",
    );
    let after = rebuild(&mut session, &t);
    let page = text(&after, "internal/releases/b/index.html");
    assert!(page.contains("Bravo notes, longer now."), "{page}");
    assert!(text(&after, "internal/teams/web/index.html").contains("Bravo Two"));
    assert_same_as_build(&after, &t);
    let fresh = rebuild(&mut Session::new(t.options()), &t);
    assert_eq!(rendered(&after), rendered(&fresh));
}

#[test]
fn a_same_size_rewrite_within_one_timestamp_is_seen() {
    let t = site();
    let mut session = Session::new(t.options());
    rebuild(&mut session, &t);
    let file = t.root().join("content/releases/2026-10-01-a.md");
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    let old = std::fs::read_to_string(&file).unwrap();
    let new = old.replace("Alpha notes.", "Alpha NOTES.");
    assert_eq!(old.len(), new.len());
    std::fs::write(&file, new).unwrap();
    // Same size and time as before: only the content tells them apart.
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let g = rebuild(&mut session, &t);
    assert!(text(&g, "internal/releases/a/index.html").contains("Alpha NOTES."));
}

#[test]
fn deleted_and_added_files_are_followed() {
    let t = site();
    let mut session = Session::new(t.options());
    let before = rebuild(&mut session, &t);
    assert!(
        before
            .manifest
            .kind("internal/releases/c/index.html")
            .is_some()
    );

    t.remove_release("2026-11-02-c");
    t.release(
        "2026-11-09-e",
        &shipped("Echo", "2026-11-09"),
        "Echo notes.\n",
    );
    let after = rebuild(&mut session, &t);
    assert!(
        after
            .render("internal/releases/c/index.html")
            .unwrap()
            .is_none()
    );
    assert!(text(&after, "internal/releases/e/index.html").contains("Echo notes."));
    assert!(!text(&after, "internal/index.html").contains("Charlie"));
    std::fs::remove_dir_all(t.root().join("public")).ok();
    assert_same_as_build(&after, &t);
}

#[test]
fn a_broken_file_fails_and_its_fix_recovers() {
    let t = site();
    let mut session = Session::new(t.options());
    rebuild(&mut session, &t);
    t.release("2026-10-01-a", "title: Alpha\nteam: web\ntitel: typo", "");
    match session.rebuild(t.options().now) {
        Err(shipdate::BuildError::Content(d)) => {
            assert!(d.iter().any(|d| d.rule == "unknown-key"), "{d:?}")
        }
        other => panic!("expected content errors, got {other:?}"),
    }
    t.release("2026-10-01-a", &shipped("Alpha again", "2026-10-01"), "");
    let g = rebuild(&mut session, &t);
    assert!(text(&g, "internal/releases/a/index.html").contains("Alpha again"));
}

#[test]
fn a_config_change_drops_the_cache() {
    let t = site();
    let mut session = Session::new(t.options());
    let before = rebuild(&mut session, &t);
    // The default time zone is resolved into each release when it is parsed.
    assert!(text(&before, "internal/releases/a/index.html").contains("UTC"));
    t.write(
        "shipdate.yaml",
        &format!("{CONFIG}timezone: America/New_York\n"),
    );
    let after = rebuild(&mut session, &t);
    let page = text(&after, "internal/releases/a/index.html");
    assert!(page.contains("America/New_York"), "{page}");
    assert_same_as_build(&after, &t);
}

#[test]
fn a_theme_change_is_picked_up() {
    let t = site();
    let mut session = Session::new(t.options());
    rebuild(&mut session, &t);
    t.write("shipdate.yaml", &format!("{CONFIG}theme: mine\n"));
    t.write(
        "themes/mine/templates/internal/release.html",
        "custom {{ release.title }}",
    );
    let g = rebuild(&mut session, &t);
    assert_eq!(text(&g, "internal/releases/a/index.html"), "custom Alpha");
    t.write(
        "themes/mine/templates/internal/release.html",
        "changed {{ release.title }}",
    );
    let g = rebuild(&mut session, &t);
    assert_eq!(text(&g, "internal/releases/a/index.html"), "changed Alpha");
}

/// Releases whose findings come from every kind of rule: per-release ones
/// (placeholders, notifications due, rollout), ones that read other releases
/// (lockstep, dependencies, duplicate ids) and ones that depend on "now".
fn busy_site() -> SiteTest {
    let t = SiteTest::with_config(CONFIG);
    let planned = |title: &str, date: &str, extra: &str| {
        format!(
            "title: {title}\nteam: web\ntype: major\nstatus: planned\ndate: {date}\nstakeholders: [support, csm, enterprise]\n{extra}"
        )
    };
    for (id, title, date, extra) in [
        ("2026-11-25-p", "Papa", "2026-11-25", "owner: TBD"),
        ("2026-11-25-q", "Quebec", "2026-11-25", "depends_on: [a]"),
        (
            "2026-11-25-o",
            "Oscar",
            "2026-11-25",
            "rollout: {strategy: big-bang}",
        ),
        (
            "2026-11-25-r",
            "Romeo",
            "2026-11-25T23:30",
            "timezone: Asia/Tokyo",
        ),
        ("2026-12-03-s", "Sierra", "2026-12-03", "depends_on: [p]"),
        (
            "2026-12-20-t",
            "Tango",
            "2026-12-20",
            "rollout: {strategy: big-bang}",
        ),
    ] {
        t.release(id, &planned(title, date, extra), &format!("{title}.\n"));
    }
    t.release(
        "2026-10-01-a",
        &shipped("Alpha", "2026-10-01"),
        "Alpha notes.\n",
    );
    // Every group is told of something, so every group feed the manifest lists has events.
    let all = "company, csm, engineering, enterprise, ops, partners, support";
    t.release(
        "2026-09-01-z",
        &format!("title: Zulu\nteam: api\ntype: patch\nstatus: shipped\ndate: 2026-09-01\nsummary: Z.\nstakeholders: [{all}]"),
        "Zulu.\n",
    );
    t
}

/// The session's findings are a fresh `check`'s, and its pages a fresh build's.
fn assert_fresh(session: &mut Session, t: &SiteTest) -> Vec<shipdate::diagnostic::Diagnostic> {
    let g = rebuild(session, t);
    let fresh = shipdate::check(&t.options());
    assert_eq!(g.site.findings, fresh, "findings at {}", t.now);
    std::fs::remove_dir_all(t.root().join("public")).ok();
    assert_same_as_build(&g, t);
    fresh
}

fn count(findings: &[shipdate::diagnostic::Diagnostic], rule: &str) -> usize {
    findings.iter().filter(|d| d.rule == rule).count()
}

#[test]
fn kept_findings_equal_a_full_check_across_edits_and_time() {
    let mut t = busy_site();
    let mut session = Session::new(t.options());
    let first = assert_fresh(&mut session, &t);
    assert!(
        count(&first, "lockstep") > 0 && count(&first, "placeholder") > 0,
        "{first:#?}"
    );

    // Edit, add, rename (same content, new path) and delete, one rebuild each.
    t.release("2026-11-25-p", "title: Papa\nteam: web\ntype: major\nstatus: planned\ndate: 2026-11-26\nowner: Dana\nstakeholders: [support]", "Papa.\n");
    assert_fresh(&mut session, &t);
    t.release(
        "2026-11-25-u",
        "title: Uniform\nteam: web\ntype: minor\ndate: 2026-11-25\nsummary: ???",
        "Uniform.\n",
    );
    assert_fresh(&mut session, &t);
    let renamed =
        std::fs::read_to_string(t.root().join("content/releases/2026-12-03-s.md")).unwrap();
    t.remove_release("2026-12-03-s");
    t.write("content/releases/2026-12-04-s.md", &renamed);
    assert_fresh(&mut session, &t);
    t.remove_release("2026-11-25-q");
    let before = assert_fresh(&mut session, &t);

    // "Now" moves: past notification times, past midnight in Tokyo, then back.
    let mut seen = vec![count(&before, "notification-overdue")];
    for now in [
        "2026-11-23T15:30:00Z",
        "2026-11-27T12:00:00Z",
        "2026-12-18T12:00:00Z",
        "2026-11-23T12:00:00Z",
    ] {
        t.now = now.into();
        let f = assert_fresh(&mut session, &t);
        seen.push(count(&f, "notification-overdue"));
    }
    assert!(
        seen.windows(2).any(|w| w[0] != w[1]),
        "the clock changed nothing: {seen:?}"
    );

    // A configuration change (a rule turned off) drops what was kept.
    t.write(
        "shipdate.yaml",
        &format!("{CONFIG}rules:\n  placeholder: off\n"),
    );
    let off = assert_fresh(&mut session, &t);
    assert_eq!(count(&off, "placeholder"), 0);
}

/// The session's git facts of every release file are a fresh load's.
fn assert_same_history(g: &Generation, t: &SiteTest) {
    let fresh = shipdate::load(&t.options(), &mut Vec::new()).expect("the site loads");
    assert_eq!(g.site.content.releases.len(), fresh.content.releases.len());
    for r in &fresh.content.releases {
        assert_eq!(
            g.site.history.file(&r.path),
            fresh.history.file(&r.path),
            "history of {}",
            r.path.display()
        );
    }
    assert_eq!(g.site.history.changes, fresh.history.changes, "changes");
    assert_eq!(
        g.site.history.tombstones, fresh.history.tombstones,
        "tombstones"
    );
}

#[test]
fn kept_git_facts_equal_a_fresh_walk_across_edits_and_commits() {
    let front = |title: &str, date: &str| {
        format!(
            "title: {title}\nteam: web\ntype: minor\nstatus: planned\ndate: {date}\nsummary: {title}.\nstakeholders: [support]"
        )
    };
    let repo = common::git::GitSite::new(CONFIG);
    repo.write(".gitignore", "public/\n")
        .release("a", &front("Alpha", "2026-11-26"), "Alpha.\n")
        .release("b", &front("Bravo", "2026-12-01"), "Bravo.\n")
        .release("c", &front("Charlie", "2026-12-20"), "Charlie.\n")
        .commit("Dana Lee", "2026-10-01T09:00:00Z", "Plan");
    repo.release("a", &front("Alpha", "2026-11-27"), "Alpha, later.\n")
        .commit("Sam Ortiz", "2026-11-21T09:00:00Z", "Slip alpha, late");
    let t = &repo.site;
    let mut session = Session::new(t.options());
    let mut step = |what: &str| {
        let g = rebuild(&mut session, t);
        assert_same_history(&g, t);
        assert_eq!(g.site.findings, shipdate::check(&t.options()));
        std::fs::remove_dir_all(t.root().join("public")).ok();
        t.build();
        // The files that carry the facts: every release page, the calendar, the changes page.
        for (path, kind) in g.manifest.files() {
            if path.starts_with("internal/releases/")
                || path.starts_with("internal/changes")
                || path == "internal/calendar.ics"
            {
                let served = g
                    .render(path)
                    .unwrap()
                    .unwrap_or_else(|| panic!("{path} renders nothing"));
                assert!(
                    served == std::fs::read(t.out(path)).unwrap(),
                    "{path} ({kind:?}) differs from a fresh build"
                );
            }
        }
        g.site
            .history
            .file(std::path::Path::new(&format!("content/releases/{what}.md")))
            .map(|h| h.dirty)
    };
    assert_eq!(step("a"), Some(false));
    // An uncommitted edit, then the committed text back.
    let committed = std::fs::read_to_string(t.root().join("content/releases/a.md")).unwrap();
    repo.release("a", &front("Alpha", "2026-11-28"), "Alpha, later still.\n");
    assert_eq!(step("a"), Some(true));
    t.write("content/releases/a.md", &committed);
    assert_eq!(step("a"), Some(false));
    // A new untracked file, a deleted committed one.
    repo.release("d", &front("Delta", "2026-12-02"), "Delta.\n");
    assert_eq!(step("d"), Some(true));
    repo.remove("b");
    assert_eq!(step("b"), None);
    // HEAD moves: everything is looked at again.
    repo.commit("Dana Lee", "2026-11-22T09:00:00Z", "Add delta, drop bravo");
    assert_eq!(step("d"), Some(false));
    repo.release("c", &front("Charlie", "2026-12-21"), "Charlie moved.\n");
    assert_eq!(step("c"), Some(true));
}

#[test]
fn kept_past_versions_equal_a_fresh_parse_across_commits_and_settings() {
    let front = |title: &str, date: &str, freeze: &str| {
        format!(
            "title: {title}\nteam: web\ntype: minor\nstatus: planned\ndate: {date}\nsummary: {title}.\nmilestones:\n  - {{name: Code freeze, date: {freeze}}}"
        )
    };
    let repo = common::git::GitSite::new(CONFIG);
    repo.write(".gitignore", "public/\n")
        .release("a", &front("Alpha", "2026-12-10", "2026-12-01"), "Alpha.\n")
        .release("b", &front("Bravo", "2026-12-12", "2026-12-02"), "Bravo.\n")
        .commit("Dana Lee", "2026-10-01T09:00:00Z", "Plan");
    repo.release("a", &front("Alpha", "2026-12-11", "2026-12-03"), "Alpha.\n")
        .commit("Sam Ortiz", "2026-11-20T09:00:00Z", "Slip alpha");
    let t = &repo.site;
    let mut session = Session::new(t.options());
    let mut step = || {
        let g = rebuild(&mut session, t);
        assert_same_history(&g, t);
        g.site.history.changes.len()
    };
    assert_eq!(step(), 1);
    // An edit of a file with recent history, then its commit: a new version.
    repo.release("a", &front("Alpha", "2026-12-14", "2026-12-04"), "Alpha.\n");
    assert_eq!(step(), 1);
    repo.commit("Sam Ortiz", "2026-11-21T09:00:00Z", "Slip alpha again");
    assert_eq!(step(), 2);
    // A removed release: its events become tombstones.
    repo.remove("b")
        .commit("Dana Lee", "2026-11-22T09:00:00Z", "Drop bravo");
    assert_eq!(step(), 3);
    // Settings the versions are parsed with: every UID changes.
    repo.write(
        "shipdate.yaml",
        &format!("{CONFIG}uid_domain: releases.example.org\n"),
    );
    assert_eq!(step(), 3);
    // The same text under another name: another release id.
    let text = std::fs::read_to_string(t.root().join("content/releases/a.md")).unwrap();
    repo.remove("a")
        .write("content/releases/alpha.md", &text)
        .commit("Dana Lee", "2026-11-22T10:00:00Z", "Rename alpha");
    assert_eq!(step(), 4);
}
