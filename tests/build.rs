//! End-to-end builds of small fixture sites: audiences, drafts, announce
//! dates, roadmap rounding, base_url, reproducibility, atomic failure.

mod common;

use common::{SiteTest, shipped};

#[test]
fn shipped_and_announced_release_reaches_both_sites() {
    let site = SiteTest::new();
    site.release(
        "2026-11-10-dark-mode",
        &shipped("Dark mode", "2026-11-10"),
        "## What's new {.external}\nA darker theme.\n\n## Support notes\nReset the cache.\n",
    );
    site.build();
    let internal = site.read("internal/releases/dark-mode/index.html");
    assert!(internal.contains("Dark mode") && internal.contains("Reset the cache"));
    let external = site.read("external/releases/dark-mode/index.html");
    assert!(external.contains("A darker theme"));
    assert!(!external.contains("Reset the cache"));
    assert!(site.read("external/index.html").contains("Dark mode"));
    assert!(
        site.read("external/feed.xml")
            .contains("<title>Dark mode</title>")
    );
    assert!(
        site.read("external/sitemap.xml")
            .contains("releases/dark-mode/")
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("external/releases.json")).unwrap();
    let keys: Vec<&str> = json[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "content_html",
            "date",
            "date_iso",
            "id",
            "labels",
            "permalink",
            "product",
            "status",
            "summary",
            "title",
            "url",
            "version"
        ]
    );
    assert_eq!(json[0]["url"], "releases/dark-mode/index.html");
    let permalink = json[0]["permalink"].as_str().unwrap();
    assert!(permalink.ends_with("/releases/dark-mode/"), "{permalink}");
    let internal: serde_json::Value =
        serde_json::from_str(&site.read("internal/releases.json")).unwrap();
    assert_eq!(internal[0]["url"], "releases/dark-mode/index.html");
    for file in ["internal/releases.json", "external/releases.json"] {
        let text = site.read(file);
        assert_eq!(
            text.lines().count(),
            1,
            "{file} is compact JSON on one line (indenting made it a third larger)"
        );
    }
    assert_eq!(internal[0]["permalink"], permalink, "internal_url unset");
}

#[test]
fn unannounced_releases_stay_internal() {
    let site = SiteTest::new();
    site.release(
        "planned",
        "title: Planned thing\nteam: web\ntype: minor\ndate: 2026-12-10\nsummary: Soon.",
        "",
    );
    site.release(
        "future-announce",
        &format!(
            "{}\nannounce: 2026-12-01",
            shipped("Quiet launch", "2026-11-10")
        ),
        "",
    );
    site.release(
        "never",
        &format!("{}\nannounce: false", shipped("Never told", "2026-11-10")),
        "",
    );
    site.release(
        "no-public-text",
        "title: Internal only\nteam: web\ntype: patch\nstatus: shipped\ndate: 2026-11-10",
        "## Notes\ninternal\n",
    );
    site.release(
        "rolled",
        &shipped("Rolled thing", "2026-11-10").replace("status: shipped", "status: rolled-back"),
        "",
    );
    site.build();
    for title in [
        "Planned thing",
        "Quiet launch",
        "Never told",
        "Internal only",
        "Rolled thing",
    ] {
        for (path, bytes) in site.files("external") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(title),
                "{title} leaked into {path}"
            );
        }
        assert!(
            site.files("internal")
                .iter()
                .any(|(_, b)| String::from_utf8_lossy(b).contains(title)),
            "{title} missing internally"
        );
    }
}

#[test]
fn announce_date_in_the_past_publishes() {
    let site = SiteTest::new();
    site.release(
        "a",
        &format!("{}\nannounce: 2026-11-20", shipped("Told", "2026-11-10")),
        "",
    );
    site.build();
    assert!(site.read("external/index.html").contains("Told"));
}

#[test]
fn drafts_are_built_only_with_the_flag() {
    let mut site = SiteTest::new();
    site.release(
        "d",
        &format!("{}\ndraft: true", shipped("Drafty", "2026-11-10")),
        "",
    );
    site.build();
    assert!(!site.exists("internal/releases/d/index.html"));
    site.drafts = true;
    site.build();
    assert!(
        site.read("internal/releases/d/index.html")
            .contains("draft")
    );
    assert!(
        !site.read("external/index.html").contains("Drafty"),
        "drafts never go out"
    );
}

#[test]
fn roadmap_rounds_dates_and_hides_everything_else() {
    let site = SiteTest::new();
    site.release(
        "q",
        "title: Quarterly\nteam: web\ntype: major\ndate: 2027-02-17\nsummary: Big thing.\nroadmap: quarter\nowner: Secret Owner",
        "## Plan\nPLAN-TEXT\n",
    );
    site.release("m", "title: Monthly\nteam: web\ntype: minor\ndate: 2026-12-09\nsummary: Small thing.\nroadmap: month", "");
    site.build();
    let roadmap = site.read("external/roadmap/index.html");
    assert!(
        roadmap.contains("Q1 2027")
            && roadmap.contains("Quarterly")
            && roadmap.contains("Big thing.")
    );
    assert!(roadmap.contains("December 2026") && roadmap.contains("Monthly"));
    for leaked in ["2027-02-17", "17 Feb", "Secret Owner", "PLAN-TEXT"] {
        assert!(!roadmap.contains(leaked), "{leaked} on the roadmap");
    }
    assert!(!site.exists("external/releases/q/index.html"));
}

#[test]
fn no_roadmap_page_without_opt_in() {
    let site = SiteTest::new();
    site.release("a", &shipped("A", "2026-11-10"), "");
    site.build();
    assert!(!site.exists("external/roadmap/index.html"));
    assert!(!site.read("external/index.html").contains("roadmap/"));
}

#[test]
fn links_are_relative_and_feeds_use_base_url_with_a_path_prefix() {
    let mut site = SiteTest::new();
    site.base_url = Some("https://acme.github.io/releases".into());
    site.release(
        "2026-11-10-a",
        &shipped("A", "2026-11-10"),
        "## New {.external}\nx\n",
    );
    site.build();
    let page = site.read("external/releases/a/index.html");
    assert!(
        page.contains(r#"href="../../assets/shipdate.css""#),
        "assets are relative so pages open from disk"
    );
    assert!(page.contains(r#"href="../../index.html""#));
    assert!(
        !page.contains(r#"href="/"#),
        "no root-absolute links: they break under a path prefix"
    );
    let feed = site.read("external/feed.xml");
    assert!(feed.contains("https://acme.github.io/releases/releases/a/"));
    assert!(
        site.read("external/sitemap.xml")
            .contains("<loc>https://acme.github.io/releases/releases/a/</loc>")
    );
}

#[test]
fn every_relative_link_resolves_to_a_file() {
    let site = SiteTest::new();
    site.write(
        "shipdate.yaml",
        "teams:\n  - {id: web, name: Web}\n  - {id: api, name: API}\n",
    );
    site.release(
        "up",
        "title: Up\nteam: api\ntype: minor\ndate: 2026-11-30\nsummary: s\nstakeholders: [support]",
        "",
    );
    site.release("down", "title: Down\nteam: web\nteams: [api]\ntype: minor\ndate: 2026-12-02\ndepends_on: [up]\nsummary: s\nstakeholders: [support]", "");
    site.release(
        "old",
        &shipped("Old", "2026-11-02"),
        "## New {.external}\nx\n",
    );
    site.build();
    let mut checked = 0;
    for (path, bytes) in site.files("") {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = site.out(&path).parent().unwrap().to_path_buf();
        for link in html
            .split("href=\"")
            .skip(1)
            .chain(html.split("src=\"").skip(1))
        {
            let target = &link[..link.find('"').unwrap()];
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            assert!(dir.join(file).exists(), "{path}: broken link {target}");
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

#[test]
fn same_input_and_now_give_identical_bytes() {
    let site = SiteTest::new();
    site.release("a", &shipped("A", "2026-11-10"), "## New {.external}\nx\n");
    site.release(
        "b",
        "title: B\nteam: api\ntype: major\ndate: 2026-12-10\nsummary: s",
        "- [ ] task\n",
    );
    // Maps the templates loop over (incidents by severity) must keep their order.
    site.release(
        "c",
        &(shipped("C", "2026-11-12")
            + "\noutcome:\n  incidents:\n    - {severity: P3, summary: a, root_cause: other}\n    - {severity: P1, summary: b, root_cause: configuration-drift}\n    - {severity: P2, summary: c, root_cause: timing-misalignment}\n    - {severity: P4, summary: d, root_cause: communication-gap}"),
        "",
    );
    site.build();
    let first = site.files("");
    for _ in 0..4 {
        site.build();
        let differing: Vec<&str> = first
            .iter()
            .zip(site.files(""))
            .filter(|((path, bytes), (_, again))| bytes != again || path.is_empty())
            .map(|((path, _), _)| path.as_str())
            .collect();
        assert_eq!(first.len(), site.files("").len());
        assert!(differing.is_empty(), "differ between builds: {differing:?}");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = SiteTest::new();
    site.release("a", &shipped("A", "2026-11-10"), "");
    site.build();
    let before = site.files("");
    site.release(
        "b",
        "title: Broken\nteam: web\ntype: minor\ndate: not-a-date",
        "",
    );
    let errors = site.build_err();
    assert_eq!(errors[0].rule, "invalid-date");
    assert_eq!(
        before,
        site.files(""),
        "output changed after a failed build"
    );
    let mut leftovers: Vec<_> = std::fs::read_dir(site.root().join("public"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        [".shipdate-lock", "external", "internal"],
        "staging folders left behind"
    );
}

#[test]
fn theme_templates_override_built_ins_and_static_files_are_copied() {
    let site = SiteTest::with_config("theme: mine\n");
    site.write(
        "themes/mine/templates/external/index.html",
        "CUSTOM {{ releases | length }}",
    );
    site.write("themes/mine/static/logo.svg", "<svg/>");
    site.write("static/robots.txt", "User-agent: *");
    site.release("a", &shipped("A", "2026-11-10"), "");
    site.build();
    assert_eq!(site.read("external/index.html"), "CUSTOM 1");
    assert!(
        site.read("internal/index.html").contains("Dashboard"),
        "other templates stay built-in"
    );
    assert_eq!(site.read("internal/logo.svg"), "<svg/>");
    assert_eq!(site.read("external/robots.txt"), "User-agent: *");
}

#[test]
fn home_page_external_sections_go_out_and_the_rest_stays_in() {
    let site = SiteTest::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Northwind releases\nextra: {tagline: What ships when}\n---\nINSIDE-ONLY\n\n## About {.external}\nPUBLIC-INTRO\n",
    );
    site.build();
    let ext = site.read("external/index.html");
    assert!(ext.contains("PUBLIC-INTRO") && !ext.contains("INSIDE-ONLY"));
    let int = site.read("internal/index.html");
    assert!(int.contains("INSIDE-ONLY") && !int.contains("PUBLIC-INTRO"));
    // Its title heads both index pages.
    assert!(ext.contains("<h1>Northwind releases</h1>"), "{ext}");
    assert!(int.contains("<h1>Northwind releases</h1>"), "{int}");
}

#[test]
fn home_page_extra_reaches_theme_templates() {
    let site = SiteTest::with_config("theme: mine\n");
    site.write(
        "content/_index.md",
        "---\nextra: {tagline: What ships when}\n---\n",
    );
    site.write(
        "themes/mine/templates/external/index.html",
        "TAGLINE {{ home.extra.tagline }}",
    );
    site.build();
    assert_eq!(site.read("external/index.html"), "TAGLINE What ships when");
}

#[test]
fn audience_flag_builds_one_site_and_keeps_the_other() {
    let site = SiteTest::new();
    site.release("a", &shipped("A", "2026-11-10"), "");
    site.build();
    let external_before = site.files("external");
    let mut options = site.options();
    options.audience = shipdate::render::Audience::Internal;
    site.release("b", &shipped("B", "2026-11-11"), "");
    shipdate::build(&options).unwrap();
    assert!(site.exists("internal/releases/b/index.html"));
    assert_eq!(external_before, site.files("external"));
}

#[test]
fn release_page_shows_the_plan() {
    let site = SiteTest::with_config(
        "timezone: America/New_York\nteams:\n  - {id: checkout, name: Checkout}\n  - {id: mobile, name: Mobile Apps}\n",
    );
    site.release(
        "2026-12-01-payments-v2",
        r#"title: Payments v2
version: 2.0.0
team: checkout
teams: [mobile]
type: major
date: 2026-12-01T14:00
risk: high
owner: Dana Lee
on_call: Sam Ortiz
summary: Faster checkout.
rollout:
  strategy: feature-flag
  flag: payments_v2
  phases:
    - {name: Canary, percent: 1, at: T, duration: 2d, exit: ["No P0/P1 bugs"]}
    - {name: GA, percent: 100, at: T+2w}
rollback:
  plan: Disable flag payments_v2.
  triggers:
    - {metric: error_rate, above: 5%, for: 5m}
gates:
  - {name: Rollback rehearsed, kind: technical, status: done, evidence: "https://ci.example/4411"}
  - {name: Docs, kind: docs, status: pending, due: T-2w}
metrics:
  - {name: Adoption, baseline: 0%, target: ">= 25%"}"#,
        "## Checklist\n- [x] one\n- [ ] two\n- [ ] three\n",
    );
    site.build();
    let page = site.read("internal/releases/payments-v2/index.html");
    for needle in [
        "Dana Lee",
        "Sam Ortiz",
        "Mobile Apps",
        "payments_v2",
        "Canary",
        "No P0/P1 bugs",
        "Disable flag payments_v2.",
        "error_rate",
        "Rollback rehearsed",
        "https://ci.example/4411",
        "Adoption",
        "&gt;= 25%",
        "1/3",
        "Tue 1 Dec 2026, 14:00 EST",
        "Code freeze",
        "Notify Integration partners",
    ] {
        assert!(page.contains(needle), "release page lacks {needle}");
    }
    assert!(
        site.read("internal/teams/mobile/index.html")
            .contains("Payments v2"),
        "involved team's page lists it"
    );
}

#[test]
fn changelog_is_paginated_newest_first() {
    let site = SiteTest::with_config("paginate: 2\n");
    for day in 1..=5 {
        site.release(
            &format!("2026-11-0{day}-r{day}"),
            &shipped(&format!("Release {day}"), &format!("2026-11-0{day}")),
            "",
        );
    }
    site.build();
    let first = site.read("external/index.html");
    assert!(
        first.contains("Release 5") && first.contains("Release 4") && !first.contains("Release 3")
    );
    assert!(
        first.find("Release 5") < first.find("Release 4"),
        "newest first"
    );
    assert!(first.contains(r#"href="./page/2/index.html" rel="next""#));
    let second = site.read("external/page/2/index.html");
    assert!(
        second.contains("Release 3") && second.contains(r#"href="../../index.html" rel="prev""#)
    );
    assert!(second.contains(r#"href="../../assets/shipdate.css""#));
    assert!(
        site.read("external/page/3/index.html")
            .contains("Release 1")
    );
    assert!(!site.exists("external/page/4/index.html"));
    assert!(site.read("external/sitemap.xml").contains("page/3/"));
}

/// Findings and rollback plans mention keys and flags in backticks; pages
/// show them as code, not as raw Markdown ticks.
#[test]
fn findings_and_rollback_plans_show_inline_code_without_backticks() {
    let site = SiteTest::new();
    site.release(
        "flagged",
        "title: Flagged\nteam: web\ntype: minor\ndate: 2026-12-01\ntags: [security]\nrollback:\n  plan: Turn `new_checkout` off; revert <deploy> 12.",
        "",
    );
    site.build();
    let page = site.read("internal/releases/flagged/index.html");
    assert!(page.contains("Turn <code>new_checkout</code> off; revert &lt;deploy&gt; 12."));
    let findings = &page[page.find("id=\"findings-h\"").expect("findings")..];
    let findings = &findings[..findings.find("</section>").unwrap()];
    assert!(findings.contains("<code>"), "{findings}");
    assert!(!findings.contains('`'), "{findings}");
    assert!(!site.read("internal/index.html").contains('`'));
}
