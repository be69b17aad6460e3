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

#[test]
fn a_milestone_with_until_is_one_event_with_its_end() {
    let site = SiteTest::with_config("timezone: Europe/Berlin\n");
    site.release(
        "k",
        "title: K\nteam: web\ntype: patch\ndate: 2026-12-10\nmilestones:\n  - {name: Code freeze, at: T-3w, until: T-1w, owner: Release lead, url: \"https://example.com/kep\", description: KEPs merged}\n  - {name: Summit, date: 2026-12-01, until: 2026-12-02}\n  - {name: War room, date: 2026-12-10T14:00, until: 2026-12-10}\n  - {name: Bake, date: 2026-12-10T14:00, until: 2026-12-10T18:30}",
        "",
    );
    site.build();
    let events = vevents(&site.read("internal/calendar.ics"));
    let freeze = vevent(&events, "k.milestone.code-freeze@").expect("freeze");
    assert_eq!(freeze["DTSTART;VALUE=DATE"], "20261119");
    assert_eq!(
        freeze["DTEND;VALUE=DATE"], "20261204",
        "until T-1w (Dec 3) is the last day: the all-day event ends the next day"
    );
    let desc = &freeze["DESCRIPTION"];
    assert!(
        desc.contains("KEPs merged") && desc.contains("Owner: Release lead"),
        "{desc}"
    );
    assert!(desc.contains("https://example.com/kep"), "{desc}");
    let summit = vevent(&events, "k.milestone.summit@").expect("summit");
    assert_eq!(
        (
            summit["DTSTART;VALUE=DATE"].as_str(),
            summit["DTEND;VALUE=DATE"].as_str()
        ),
        ("20261201", "20261203"),
        "a two-day conference"
    );
    let war = vevent(&events, "k.milestone.war-room@").expect("war room");
    assert_eq!(war["DTSTART"], "20261210T130000Z");
    assert_eq!(
        war["DTEND"], "20261210T230000Z",
        "the end of that day in Berlin"
    );
    let bake = vevent(&events, "k.milestone.bake@").expect("bake");
    assert_eq!(bake["DTEND"], "20261210T173000Z");
    let page = site.read("internal/releases/k/index.html");
    assert!(
        page.contains("Thu 3 Dec 2026"),
        "the period's last day on the page"
    );
    assert!(page.contains("Owner: Release lead"));
}

#[test]
fn a_period_that_ends_before_it_starts_is_an_error() {
    let site = SiteTest::new();
    site.release(
        "k",
        "title: K\nteam: web\ntype: patch\ndate: 2026-12-10\nmilestones:\n  - {name: Freeze, at: T-1w, until: T-2w}",
        "",
    );
    let errors = site.build_err();
    assert_eq!(rules(&errors), ["invalid-milestone"], "{errors:?}");
    assert_eq!(errors[0].position.line, 7);
}

#[test]
fn a_scoped_freeze_blocks_only_its_teams_and_lets_allowed_types_through() {
    let site = SiteTest::with_config(
        "teams:\n  - {id: web}\n  - {id: api}\nfreeze:\n  - {name: Web code freeze, start: 2026-12-01, end: 2026-12-10, teams: [web], allow: [hotfix, patch]}\n  - {name: Year end, start: 2026-12-20, end: 2027-01-04}\n",
    );
    let rel = |id: &str, team: &str, kind: &str, date: &str| {
        site.release(
            id,
            &format!(
                "title: {id}\nteam: {team}\ntype: {kind}\ndate: {date}\nstakeholders: [support]"
            ),
            "",
        );
    };
    rel("web-minor", "web", "minor", "2026-12-03");
    rel("web-patch", "web", "patch", "2026-12-03");
    rel("api-minor", "api", "minor", "2026-12-03");
    rel("api-hotfix", "api", "hotfix", "2026-12-22");
    rel("api-patch", "api", "patch", "2026-12-22");
    let errors = site.build_err();
    let frozen: Vec<String> = errors
        .iter()
        .filter(|d| d.rule == "freeze-window")
        .map(|d| d.path.display().to_string())
        .collect();
    assert_eq!(
        frozen,
        [
            "content/releases/api-patch.md",
            "content/releases/web-minor.md"
        ],
        "{errors:?}"
    );
}

#[test]
fn a_freeze_naming_an_unknown_team_or_type_is_an_error() {
    let site = SiteTest::with_config(
        "teams:\n  - {id: web}\nfreeze:\n  - {name: F, start: 2026-12-01, end: 2026-12-10, teams: [wbe], allow: [hotfx]}\n",
    );
    let errors = site.build_err();
    assert_eq!(
        rules(&errors),
        ["unknown-team", "unknown-type"],
        "{errors:?}"
    );
}

#[test]
fn feeds_leave_out_events_older_than_the_window_but_pages_keep_them() {
    let site = SiteTest::with_config("feeds:\n  past_days: 30\n");
    site.release("2026-09-01-old", &common::shipped("Old", "2026-09-01"), "");
    site.release(
        "2026-11-01-recent",
        &common::shipped("Recent", "2026-11-01"),
        "",
    );
    site.build();
    for feed in [
        "internal/calendar.ics",
        "internal/teams/web.ics",
        "external/calendar.ics",
    ] {
        let events = vevents(&site.read(feed));
        assert!(vevent(&events, "old.launch").is_none(), "{feed}: aged out");
        assert!(
            vevent(&events, "recent.launch").is_some(),
            "{feed}: in the window"
        );
    }
    assert!(site.read("internal/teams/web/index.html").contains("Old"));
    assert!(site.read("external/index.html").contains("Old"));
}

#[test]
fn summaries_do_not_repeat_the_version_or_the_title() {
    let site = SiteTest::new();
    site.release(
        "2026-11-10-py",
        "title: Python 3.14.7\nversion: 3.14.7\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-11-10\nsummary: Bugfix.\nstakeholders: [support]\nannounce: 2026-11-11",
        "",
    );
    site.build();
    let external = vevents(&site.read("external/calendar.ics"));
    assert_eq!(
        vevent(&external, "py.launch").unwrap()["SUMMARY"],
        "Python 3.14.7"
    );
    let internal = vevents(&site.read("internal/calendar.ics"));
    assert_eq!(
        vevent(&internal, "py.announcement").unwrap()["SUMMARY"],
        "Announce: Python 3.14.7"
    );
}

#[test]
fn a_group_nobody_notifies_gets_no_feed() {
    let site = SiteTest::new();
    site.release("2026-12-01-x", &common::shipped("X", "2026-12-01"), "");
    site.build();
    assert!(site.exists("internal/stakeholders/support.ics"));
    assert!(!site.exists("internal/stakeholders/partners.ics"));
}
