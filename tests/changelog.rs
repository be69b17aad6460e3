//! The public changelog: labels from section headings, heading levels,
//! product pages that are plain links, the upcoming section from the
//! roadmap, and the generator credit only when the site asks for it.

mod common;

use common::SiteTest;

const CONFIG: &str = "teams:\n  - {id: api, name: Platform team, product: Payments API}\n  - {id: web, name: Web team, product: Dashboard}\n  - {id: ops, name: Ops team}\n";

fn site(config: &str) -> SiteTest {
    let site = SiteTest::with_config(config);
    site.release(
        "2026-11-10-api-fixes",
        "title: API fixes\nteam: api\ntype: patch\nstatus: shipped\ndate: 2026-11-10\nsummary: Fixes.",
        "## Bug fixes {.external}\nRetries work.\n\n## Security {.external}\nTokens rotate.\n\n## Breaking changes {.internal}\nNot public.\n",
    );
    site.release(
        "2026-11-12-dashboard-filters",
        "title: Saved filters\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-11-12\nsummary: Filters.",
        "## What's new {.external}\nSave a filter.\n\n### Details\nEverywhere.\n\n## Improvements {.external}\nFaster.\n",
    );
    site.release(
        "2026-11-14-ops-tooling",
        "title: Ops tooling\nteam: ops\ntype: patch\nstatus: shipped\ndate: 2026-11-14\nsummary: Quieter pages.",
        "## Removed {.external}\nThe old status page.\n",
    );
    site.release(
        "2027-02-01-api-v4",
        "title: API v4\nteam: api\ntype: major\ndate: 2027-02-01\nsummary: A new API.\nroadmap: quarter",
        "",
    );
    site.release(
        "2027-03-01-dashboard-v2",
        "title: Dashboard v2\nteam: web\ntype: major\ndate: 2027-03-01\nsummary: A new dashboard.\nroadmap: month",
        "",
    );
    site
}

/// The labels shown on the entry whose heading id is `r-<id>`.
fn labels(page: &str, id: &str) -> Vec<String> {
    let start = page.find(&format!("id=\"r-{id}\"")).expect("entry");
    let entry = &page[start
        ..page[start..]
            .find("</article>")
            .map_or(page.len(), |e| start + e)];
    entry
        .split("class=\"label label-")
        .skip(1)
        .map(|s| s[s.find('>').unwrap() + 1..s.find('<').unwrap()].to_string())
        .collect()
}

#[test]
fn entries_carry_labels_from_their_public_headings() {
    let site = site(CONFIG);
    site.build();
    let page = site.read("external/index.html");
    assert_eq!(labels(&page, "api-fixes"), ["Fixed", "Security"]);
    assert_eq!(labels(&page, "dashboard-filters"), ["New", "Improved"]);
    assert_eq!(labels(&page, "ops-tooling"), ["Breaking"]);
    let json = site.read("external/releases.json");
    assert!(
        json.contains("\"security\""),
        "labels are in the public JSON too"
    );
}

#[test]
fn release_titles_are_h2_and_their_sections_h3_and_below() {
    let site = site(CONFIG);
    site.build();
    let page = site.read("external/index.html");
    assert!(page.contains("<h2 id=\"r-dashboard-filters\">"));
    assert!(page.contains("<h3 id=\"dashboard-filters-what-s-new\""));
    assert!(page.contains("<h4 id=\"dashboard-filters-details\""));
    assert!(!page.contains("<h2 id=\"dashboard-filters-"));
    // Each entry's title links to its own page: its permalink.
    assert!(page.contains("href=\"./releases/dashboard-filters/index.html\" rel=\"bookmark\""));
    // The release's own page keeps the sections at h2 below its h1.
    let own = site.read("external/releases/dashboard-filters/index.html");
    assert!(own.contains("<h2 id=\"what-s-new\""));
}

#[test]
fn each_product_has_its_own_changelog_of_plain_links() {
    let site = site(CONFIG);
    site.build();
    let index = site.read("external/index.html");
    assert!(index.contains("href=\"./products/payments-api/index.html\""));
    assert!(index.contains("href=\"./products/dashboard/index.html\""));
    let api = site.read("external/products/payments-api/index.html");
    assert!(api.contains("<h1>Payments API</h1>"));
    assert!(api.contains("API fixes") && !api.contains("Saved filters"));
    assert!(api.contains("href=\"../../index.html\">All products</a>"));
    assert!(api.contains("aria-current=\"page\">Payments API</a>"));
    // A team without `product:` has no page, and team names stay internal.
    assert!(!site.exists("external/products/ops-tooling"));
    for (path, bytes) in site.files("external") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Platform team") && !text.contains("Ops team"),
            "{path} names a team"
        );
    }
    let sitemap = site.read("external/sitemap.xml");
    assert!(sitemap.contains("products/dashboard/"));
}

#[test]
fn upcoming_lists_roadmap_items_on_the_first_page() {
    let site = site(CONFIG);
    site.build();
    let index = site.read("external/index.html");
    let upcoming = &index[index
        .find("id=\"upcoming-h\"")
        .expect("an Upcoming section")..];
    assert!(upcoming.contains("API v4") && upcoming.contains("Q1 2027"));
    assert!(upcoming.contains("Dashboard v2") && upcoming.contains("March 2027"));
    // Entries come first: the upcoming list follows them.
    assert!(index.find("r-api-fixes").unwrap() < index.find("id=\"upcoming-h\"").unwrap());
    let web = site.read("external/products/dashboard/index.html");
    assert!(web.contains("Dashboard v2") && !web.contains("API v4"));
}

#[test]
fn customer_pages_name_the_generator_only_when_asked() {
    let site = site(CONFIG);
    site.build();
    for path in [
        "external/index.html",
        "external/releases/api-fixes/index.html",
    ] {
        let page = site.read(path);
        assert!(
            !page.contains("Built ") && !page.contains("name=\"generator\""),
            "{path}"
        );
    }
    assert!(site.read("internal/index.html").contains("with shipdate"));

    let site = self::site(&format!("{CONFIG}generator_credit: true\n"));
    site.build();
    let page = site.read("external/index.html");
    assert!(page.contains("with shipdate") && page.contains("name=\"generator\""));
}
