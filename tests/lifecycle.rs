//! Release lifecycles (SPEC §3.1, §4, §4.1): undecided dates, month and year
//! offsets, periods, support and end of life, series, trains, the feed window.

mod common;

use common::{SiteTest, vevent, vevents};

fn rules(errors: &[shipdate::diagnostic::Diagnostic]) -> Vec<&str> {
    errors.iter().map(|d| d.rule).collect()
}

/// Builds a site of one release with `front` and asserts that the build
/// fails with exactly one `rule` error, located on `line` of the file;
/// returns the errors.
fn assert_located_error(
    front: &str,
    rule: &str,
    line: u64,
) -> Vec<shipdate::diagnostic::Diagnostic> {
    let site = SiteTest::new();
    site.release("x", front, "");
    let errors = site.build_err();
    assert_eq!(rules(&errors), [rule], "{errors:?}");
    assert_eq!(errors[0].position.line, line);
    errors
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
    assert_located_error(
        "title: X\nteam: web\ntype: minor\nstatus: in-progress\ndate: TBD",
        "tbd-not-planned",
        6,
    );
}

#[test]
fn a_number_out_of_range_is_an_error_in_plain_words() {
    let errors = assert_located_error(
        "title: X\nversion: 1e999\nteam: web\ntype: minor\ndate: 2026-12-01",
        "invalid-value",
        3,
    );
    assert_eq!(errors[0].message, "`1e999` is not a finite number");
    assert!(errors[0].hint.as_deref().unwrap_or("").contains("quote it"));
}

#[test]
fn a_number_where_a_version_is_meant_is_an_error() {
    let errors = assert_located_error(
        "title: X\nversion: 3.10\nteam: web\ntype: minor\ndate: 2026-12-01",
        "version-not-text",
        3,
    );
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
    assert_located_error(
        "title: K\nteam: web\ntype: patch\ndate: 2026-12-10\nmilestones:\n  - {name: Freeze, at: T-1w, until: T-2w}",
        "invalid-milestone",
        7,
    );
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
fn business_day_offsets_skip_a_scoped_freeze_only_for_its_teams_and_trains() {
    // Wed 25 to Fri 27 Nov are frozen for web only.
    let site = SiteTest::with_config(
        "teams:\n  - {id: web}\n  - {id: api}\nfreeze:\n  - {name: Web code freeze, start: 2026-11-25, end: 2026-11-27, teams: [web]}\ntrains:\n  - {id: web-train, team: web, departures: [2026-12-01T10:00], until: 2026-12-31, milestones: [{name: Branch cut, at: T-3b}]}\n  - {id: api-train, team: api, departures: [2026-12-01T10:00], until: 2026-12-31, milestones: [{name: Branch cut, at: T-3b}]}\n",
    );
    for team in ["web", "api"] {
        site.release(
            &format!("2026-12-01-{team}"),
            &format!(
                "title: {team} release\nteam: {team}\ntype: minor\ndate: 2026-12-01\nstakeholders: [{{id: engineering, at: T-3b}}]\nmilestones:\n  - {{name: Sign-off, at: T-3b}}"
            ),
            "",
        );
    }
    site.build();
    let all = vevents(&site.read("internal/calendar.ics"));
    let start = |uid: &str| {
        let e = vevent(&all, uid).unwrap_or_else(|| panic!("{uid}"));
        e.get("DTSTART;VALUE=DATE")
            .or_else(|| e.get("DTSTART"))
            .cloned()
            .unwrap_or_default()
    };
    // Tue 1 Dec minus 3 business days: Thu 26 for api, Mon 23 for web.
    assert_eq!(start("api.notification.engineering@"), "20261126");
    assert_eq!(start("web.notification.engineering@"), "20261123");
    assert_eq!(start("api.milestone.sign-off@"), "20261126");
    assert_eq!(start("web.milestone.sign-off@"), "20261123");
    // A train counts the business days of the team that runs it.
    assert_eq!(
        start("site.train.api-train-2026-12-01-branch-cut@"),
        "20261126T100000Z"
    );
    assert_eq!(
        start("site.train.web-train-2026-12-01-branch-cut@"),
        "20261123T100000Z"
    );
}

#[test]
fn a_date_time_freeze_blocks_only_releases_after_its_start_and_is_a_timed_event() {
    let site = SiteTest::with_config(
        "timezone: America/New_York\nfreeze:\n  - {name: Web code freeze, start: 2026-12-01T12:00Z, end: 2026-12-10}\n",
    );
    let rel = |id: &str, date: &str| {
        site.release(
            id,
            &format!("title: {id}\nteam: web\ntype: minor\ndate: {date}\nstakeholders: [support]"),
            "",
        );
    };
    rel("late", "2026-12-01T13:00Z");
    rel("early", "2026-12-01T11:00Z");
    rel("last-day-evening", "2026-12-10T23:00");
    rel("after", "2026-12-11T00:30");
    let errors = site.build_err();
    let frozen: Vec<String> = errors
        .iter()
        .filter(|d| d.rule == "freeze-window")
        .map(|d| d.path.display().to_string())
        .collect();
    assert_eq!(
        frozen,
        [
            "content/releases/last-day-evening.md",
            "content/releases/late.md"
        ],
        "{errors:?}"
    );

    let site = SiteTest::with_config(
        "freeze:\n  - {name: Web code freeze, start: 2026-12-01T12:00Z, end: 2026-12-10}\n",
    );
    site.build();
    let all = vevents(&site.read("internal/calendar.ics"));
    let web = vevent(&all, "site.freeze.web-code-freeze@").expect("timed freeze");
    assert_eq!(web["DTSTART"], "20261201T120000Z");
    assert_eq!(
        web["DTEND"], "20261211T000000Z",
        "to the end of the last day"
    );
}

#[test]
fn a_bad_freeze_bound_is_a_located_error() {
    let site = SiteTest::with_config(
        "freeze:\n  - {name: F, start: 2026-12-01T12:00Z, end: 2026-12-10}\n  - {name: G, start: 2026-12-01, end: 2026-12-40T10:00}\n",
    );
    let errors = site.build_err();
    assert_eq!(rules(&errors), ["invalid-value"], "{errors:?}");
    assert_eq!(errors[0].position.line, 3);
    assert!(errors[0].message.contains("`end`"), "{errors:?}");
}

#[test]
fn a_freeze_ending_before_it_starts_is_located_at_its_end() {
    let site = SiteTest::with_config(
        "timezone: UTC\nfreeze:\n  - {name: F, start: 2026-12-01, end: 2026-12-10}\n  - {name: G, start: 2026-12-05, end: 2026-12-01}\n  - {name: H, start: 2026-12-05T12:00Z,\n     end: 2026-12-05T11:00Z}\n",
    );
    let errors = site.build_err();
    assert_eq!(
        rules(&errors),
        ["invalid-value", "invalid-value"],
        "{errors:?}"
    );
    assert_eq!(
        (errors[0].position.line, errors[0].position.column),
        (4, 39),
        "{errors:?}"
    );
    assert!(
        errors[0].message.contains("`G` ends before it starts"),
        "{errors:?}"
    );
    assert_eq!(errors[1].position.line, 6, "{errors:?}");
    assert!(errors.iter().all(|e| e.hint.is_some()));
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
fn the_atom_feed_keeps_the_window_and_at_least_the_first_changelog_page() {
    let site = SiteTest::with_config("feeds:\n  past_days: 30\npaginate: 2\n");
    for (name, date) in [
        ("oldest", "2026-06-01"),
        ("older", "2026-07-01"),
        ("old", "2026-08-01"),
        ("recent", "2026-11-01"),
    ] {
        site.release(name, &common::shipped(name, date), "");
    }
    site.build();
    let feed = site.read("external/feed.xml");
    // "recent" is in the 30 days; "old" is the second of the first page.
    for kept in ["releases/recent/", "releases/old/"] {
        assert!(feed.contains(kept), "{kept}: {feed}");
    }
    for left in ["releases/older/", "releases/oldest/"] {
        assert!(!feed.contains(left), "{left} aged out: {feed}");
    }
    assert!(site.read("external/page/2/index.html").contains("oldest"));
    assert!(site.read("external/releases.json").contains("\"oldest\""));
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

#[test]
fn support_phases_and_end_of_life_reach_every_public_output() {
    let site = SiteTest::new();
    site.release(
        "2025-05-06-v24",
        "title: Node 24\nteam: web\ntype: major\nstatus: shipped\ndate: 2025-05-06\nsummary: Line 24.\nseries: \"24\"\nsupport:\n  - {name: Current, until: 2025-10-27}\n  - {name: Active LTS, until: 2026-10-19}\n  - {name: Maintenance, until: 2028-04}\neol: 2028-04",
        "## New {.external}\nx",
    );
    site.release(
        "2026-11-02-internal",
        "title: Internal tool\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-11-02\nannounce: false\neol: 2027-01-31",
        "",
    );
    site.build();
    let support = site.read("external/support/index.html");
    for day in ["2025-05-06", "2025-10-28", "2026-10-20", "2028-04-30"] {
        assert!(
            support.contains(&format!("datetime=\"{day}\"")),
            "{day}: {support}"
        );
    }
    assert!(
        support.contains("Maintenance, until <time datetime=\"2028-04-30\">April 2028</time>"),
        "current phase and its end at now: {support}"
    );
    assert!(support.contains("supported"));
    assert!(
        !support.contains("Internal tool"),
        "an unannounced release is not public"
    );
    assert!(
        site.read("external/index.html")
            .contains("support/index.html"),
        "linked from the nav"
    );
    assert!(site.read("external/sitemap.xml").contains("support/"));
    // On a phone each release is a card of labelled cells, not six columns
    // cut off at the screen's edge.
    assert!(
        support.contains("<table class=\"support stack\">"),
        "{support}"
    );
    assert_eq!(
        support.matches("<td data-label=").count(),
        support.matches("<td").count(),
        "{support}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&site.read("external/releases.json")).unwrap();
    let v24 = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "v24")
        .unwrap();
    assert_eq!(v24["eol"], "2028-04");
    assert_eq!(v24["support"][1]["name"], "Active LTS");
    assert_eq!(v24["support"][1]["start"], "2025-10-28");
    assert_eq!(v24["support"][1]["until"], "2026-10-19");

    let external = vevents(&site.read("external/calendar.ics"));
    let lts = vevent(&external, "v24.support.active-lts@").expect("phase end in the public feed");
    assert_eq!(lts["DTSTART;VALUE=DATE"], "20261019");
    assert_eq!(
        lts["DTEND;VALUE=DATE"], "20261020",
        "Maintenance starts the next day"
    );
    assert_eq!(lts["SUMMARY"], "Node 24: Active LTS ends");
    let eol = vevent(&external, "v24.eol.eol@").expect("eol in the public feed");
    assert_eq!(
        eol["DTSTART;VALUE=DATE"], "20280430",
        "a month means its last day"
    );
    assert!(
        vevent(&external, "internal.eol").is_none(),
        "an internal release's eol stays internal"
    );

    let internal = vevents(&site.read("internal/calendar.ics"));
    assert!(vevent(&internal, "v24.support.maintenance@").is_some());
    assert!(
        vevent(&internal, "v24.support.current@").is_none(),
        "ended more than feeds.past_days ago"
    );
    assert!(vevent(&internal, "internal.eol.eol@").is_some());
    let page = site.read("internal/releases/v24/index.html");
    assert!(
        page.contains("Active LTS") && page.contains("April 2028") && page.contains("Series"),
        "{page}"
    );
}

#[test]
fn support_phases_out_of_order_or_bad_dates_are_errors() {
    let site = SiteTest::new();
    site.release(
        "a",
        "title: A\nteam: web\ntype: minor\ndate: 2026-01-05\nsupport:\n  - {name: Active, until: 2027-06}\n  - {name: Maintenance, until: 2027-01-01}\neol: someday",
        "",
    );
    let errors = site.build_err();
    assert_eq!(
        rules(&errors),
        ["invalid-value", "invalid-date"],
        "{errors:?}"
    );
    assert!(errors[0].message.contains("Maintenance"));
    assert!(errors[1].hint.as_deref().unwrap().contains("2028-04"));
}

#[test]
fn support_and_end_of_life_may_count_from_the_ship_date() {
    let site = SiteTest::new();
    site.release(
        "2025-04-23-v133",
        "title: Kubernetes v1.33\nteam: web\ntype: major\nstatus: shipped\ndate: 2025-04-23T16:00Z\nsummary: Sidecars GA.\nsupport:\n  - {name: Standard support, until: T+12mo}\n  - {name: Maintenance mode, until: T+14mo}\neol: T+14mo",
        "## New {.external}\nx",
    );
    site.build();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("external/releases.json")).unwrap();
    let v = &json.as_array().unwrap()[0];
    assert_eq!(v["support"][0]["until"], "2026-04-23");
    assert_eq!(v["support"][1]["start"], "2026-04-24");
    assert_eq!(v["support"][1]["until"], "2026-06-23");
    assert_eq!(v["eol"], "2026-06-23");
    let external = vevents(&site.read("external/calendar.ics"));
    let eol = vevent(&external, "v133.eol.eol@").expect("eol in the public feed");
    assert_eq!(
        eol["DTSTART;VALUE=DATE"], "20260623",
        "all-day, the day it lands on"
    );

    let undecided = SiteTest::new();
    undecided.release(
        "a",
        "title: A\nteam: web\ntype: minor\ndate: tbd\neol: T+1y",
        "",
    );
    let errors = undecided.build_err();
    assert_eq!(rules(&errors), ["invalid-date"], "{errors:?}");
    assert!(
        errors[0].message.contains("tbd") && errors[0].position.line == 6,
        "{errors:?}"
    );
}

#[test]
fn a_roadmap_day_release_publishes_its_exact_date_as_a_tentative_launch() {
    let site = SiteTest::new();
    site.release(
        "2027-04-22-v27",
        "title: Node 27\nteam: web\ntype: major\ndate: 2027-04-22\nsummary: Next line.\nroadmap: day\neol: 2030-04-30",
        "## New {.external}\nSecret notes until launch.",
    );
    site.build();
    let roadmap = site.read("external/roadmap/index.html");
    assert!(roadmap.contains("Thu 22 Apr 2027"), "{roadmap}");
    let external = vevents(&site.read("external/calendar.ics"));
    let launch = vevent(&external, "v27.launch.ship@").expect("planned launch in the public feed");
    assert_eq!(launch["STATUS"], "TENTATIVE");
    assert_eq!(launch["DTSTART;VALUE=DATE"], "20270422");
    assert!(
        launch["URL"].ends_with("roadmap/"),
        "no release page before it ships"
    );
    assert!(vevent(&external, "v27.eol.eol@").is_some());
    let json = site.read("external/releases.json");
    assert!(json.contains("\"planned\""), "{json}");
    assert!(
        !json.contains("Secret notes"),
        "notes wait for the announcement"
    );
    assert!(!site.exists("external/releases/v27/index.html"));
    assert!(
        site.read("external/support/index.html")
            .contains("(planned)")
    );
}

#[test]
fn freeze_windows_are_period_events_in_the_internal_feed_and_their_teams_feeds() {
    let site = SiteTest::with_config(
        "teams:\n  - {id: web}\n  - {id: api}\nfreeze:\n  - {name: Year-end freeze, start: 2026-12-19, end: 2027-01-04}\n  - {name: Web code freeze, start: 2026-12-01, end: 2026-12-04, teams: [web], allow: [hotfix, patch]}\n  - {name: Old freeze, start: 2025-01-01, end: 2025-01-02}\n",
    );
    site.release(
        "2026-12-10-a",
        "title: A\nteam: api\ntype: patch\ndate: 2026-12-10",
        "",
    );
    site.build();
    let all = vevents(&site.read("internal/calendar.ics"));
    let year_end = vevent(&all, "site.freeze.year-end-freeze@").expect("site-wide freeze");
    assert_eq!(year_end["DTSTART;VALUE=DATE"], "20261219");
    assert_eq!(
        year_end["DTEND;VALUE=DATE"], "20270105",
        "the last frozen day is inclusive"
    );
    let web = vevent(&all, "site.freeze.web-code-freeze@").expect("scoped freeze");
    assert!(web["DESCRIPTION"].contains("web") && web["DESCRIPTION"].contains("patch"));
    assert!(
        vevent(&all, "site.freeze.old-freeze@").is_none(),
        "older than the feed window"
    );
    let web_feed = vevents(&site.read("internal/teams/web.ics"));
    assert!(vevent(&web_feed, "site.freeze.web-code-freeze@").is_some());
    assert!(vevent(&web_feed, "site.freeze.year-end-freeze@").is_some());
    let api_feed = vevents(&site.read("internal/teams/api.ics"));
    assert!(
        vevent(&api_feed, "site.freeze.web-code-freeze@").is_none(),
        "not in its scope"
    );
    assert!(vevent(&api_feed, "site.freeze.year-end-freeze@").is_some());
    assert!(!site.read("external/calendar.ics").contains("freeze"));
}
