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
