//! Series pages (SPEC §4): `internal/series/<slug>/index.html` lists a
//! release line's pre-releases, final and bugfixes by date, and its support
//! phases; release pages link to it.

mod common;

use common::SiteTest;

fn release(version: &str, date: &str, series: &str, extra: &str) -> String {
    format!(
        "title: App {version}\nversion: {version}\nteam: web\ntype: patch\nstatus: shipped\ndate: {date}\nseries: \"{series}\"\n{extra}"
    )
}

#[test]
fn a_series_page_lists_the_line_by_date_with_roles_and_support() {
    let site = SiteTest::new();
    // Written out of order: the page sorts by date.
    site.release(
        "2026-11-30-app-4-0-1",
        &release("4.0.1", "2026-11-30", "4.0", ""),
        "",
    );
    site.release(
        "2026-11-16-app-4-0-0",
        &release(
            "4.0.0",
            "2026-11-16",
            "4.0",
            "support:\n  - {name: Active support, until: 2027-05-31}\neol: 2027-11",
        ),
        "",
    );
    site.release(
        "2026-11-02-app-4-0-beta",
        &release("4.0.0-beta.1", "2026-11-02", "4.0", ""),
        "",
    );
    site.release(
        "2026-10-01-app-3-9",
        &release("3.9.0", "2026-10-01", "3.9", ""),
        "",
    );
    site.build();
    let page = site.read("internal/series/4-0/index.html");
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing from {page}"))
    };
    assert!(at("App 4.0.0-beta.1") < at("App 4.0.0<") && at("App 4.0.0<") < at("App 4.0.1"));
    let row = |title: &str| {
        let start = page[..at(title)].rfind("<tr").unwrap();
        let end = start + page[start..].find("</tr>").unwrap();
        page[start..end].to_string()
    };
    assert!(row("App 4.0.0-beta.1").contains("<td>pre-release</td>"));
    assert!(row("App 4.0.0<").contains("<td>final</td>"));
    assert!(row("App 4.0.1").contains("<td>bugfix</td>"));
    assert!(!page.contains("App 3.9.0"), "another line");
    assert!(page.contains("Active support"));
    assert!(
        page.contains("Mon 16 Nov 2026"),
        "the phase starts on the ship date"
    );
    assert!(page.contains("Mon 31 May 2027"));
    assert!(
        page.contains("End of life") && page.contains("November 2027"),
        "{page}"
    );
    assert!(site.exists("internal/series/3-9/index.html"));
    assert!(
        site.read("internal/releases/app-4-0-1/index.html")
            .contains("href=\"../../series/4-0/index.html\">4.0</a>")
    );
    assert!(
        site.files("external")
            .iter()
            .all(|(p, _)| !p.contains("series")),
        "series pages are internal"
    );
}

#[test]
fn a_series_page_table_scrolls_in_its_own_box_not_the_page() {
    let site = SiteTest::new();
    site.release(
        "a",
        &release(
            "1.32.0",
            "2024-12-11",
            "1.32",
            "support:\n  - {name: Standard support, until: 2025-12-28}\neol: 2026-02",
        ),
        "",
    );
    site.build();
    let page = site.read("internal/series/1-32/index.html");
    assert_eq!(page.matches("<table").count(), 2, "{page}");
    assert_eq!(
        page.matches("<div class=\"table-wrap\"><table").count(),
        2,
        "a wide table made the page 407 px wide at 390 px: {page}"
    );
}
