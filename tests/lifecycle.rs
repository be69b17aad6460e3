//! Release lifecycles (SPEC §3.1, §4, §4.1): undecided dates, month and year
//! offsets, periods, support and end of life, series, trains, the feed window.

mod common;

use common::{SiteTest, vevent, vevents};

fn rules(errors: &[shipdate::diagnostic::Diagnostic]) -> Vec<&str> {
    errors.iter().map(|d| d.rule).collect()
}

#[test]
fn a_tbd_release_is_listed_as_undecided_and_in_no_feed() {
    let site = SiteTest::new();
    site.release(
        "someday",
        "title: Someday\nteam: web\ntype: major\ndate: tbd\nsummary: Later.\nroadmap: quarter\nmilestones:\n  - {name: Kickoff, date: 2026-12-02}",
        "## New {.external}\nx",
    );
    site.release(
        "2026-12-01-dated",
        "title: Dated\nteam: web\ntype: minor\ndate: 2026-12-01\nsummary: S\nmilestones:\n  - {name: Docs deadline, date: tbd}",
        "",
    );
    site.build();
    let page = site.read("internal/releases/someday/index.html");
    assert!(page.contains("date to be decided"), "{page}");
    assert!(
        site.read("internal/teams/web/index.html")
            .contains("Someday")
    );
    let dated = site.read("internal/releases/dated/index.html");
    assert!(
        dated.contains("Docs deadline"),
        "an undecided milestone is listed"
    );
    for feed in [
        "internal/calendar.ics",
        "internal/teams/web.ics",
        "external/calendar.ics",
    ] {
        let text = site.read(feed);
        assert!(
            !text.contains("someday."),
            "{feed} has no event of a tbd release"
        );
        assert!(
            !text.contains("docs-deadline"),
            "{feed} has no undecided milestone"
        );
    }
    assert!(
        !site.exists("external/roadmap/index.html"),
        "a tbd release has no date to round for the roadmap"
    );
    let json = site.read("internal/releases.json");
    assert!(
        json.contains("\"date\":null") || json.contains("\"date\": null"),
        "{json}"
    );
}

#[test]
fn tbd_is_only_for_planned_releases() {
    let site = SiteTest::new();
    site.release(
        "x",
        "title: X\nteam: web\ntype: minor\nstatus: in-progress\ndate: TBD",
        "",
    );
    let errors = site.build_err();
    assert_eq!(rules(&errors), ["tbd-not-planned"], "{errors:?}");
    assert_eq!(errors[0].position.line, 6);
}

#[test]
fn a_number_where_a_version_is_meant_is_an_error() {
    let site = SiteTest::new();
    site.release(
        "x",
        "title: X\nversion: 3.10\nteam: web\ntype: minor\ndate: 2026-12-01",
        "",
    );
    let errors = site.build_err();
    assert_eq!(rules(&errors), ["version-not-text"], "{errors:?}");
    assert_eq!(errors[0].position.line, 3);
    assert!(errors[0].hint.as_deref().unwrap_or("").contains("quotes"));
}

#[test]
fn two_milestones_with_one_name_are_an_error() {
    let site = SiteTest::new();
    site.release(
        "x",
        "title: X\nteam: web\ntype: minor\ndate: 2026-12-01\nmilestones:\n  - {name: Cut, at: T-1w}\n  - {name: Cut, at: T-2w}",
        "",
    );
    let errors = site.build_err();
    assert_eq!(rules(&errors), ["duplicate-milestone"], "{errors:?}");
    assert_eq!(errors[0].position.line, 8, "the second one");
}

#[test]
fn month_and_year_offsets_reach_the_feed() {
    let site = SiteTest::new();
    site.release(
        "x",
        "title: X\nteam: web\ntype: patch\ndate: 2027-01-31\nmilestones:\n  - {name: Month later, at: T+1mo}\n  - {name: Year later, at: T+1y}",
        "",
    );
    site.build();
    let events = vevents(&site.read("internal/calendar.ics"));
    let month = vevent(&events, "x.milestone.month-later@").expect("month event");
    assert_eq!(month["DTSTART;VALUE=DATE"], "20270228");
    let year = vevent(&events, "x.milestone.year-later@").expect("year event");
    assert_eq!(year["DTSTART;VALUE=DATE"], "20280131");
}
