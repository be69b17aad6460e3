//! Release trains (SPEC §2 `trains`, §3.1 `train`, §4, §4.1, §5.2
//! `off-train`): departures keeping their clock time across DST, their
//! milestones in the internal and the train team's feeds only, the train
//! page, links to it, and the rules around `train:`.

mod common;

use common::{SiteTest, vevent, vevents};

const CONFIG: &str = "timezone: America/New_York
teams:
  - {id: mobile, name: Mobile Apps}
  - {id: web, name: Web}
trains:
  - id: mobile
    name: Mobile app train
    team: mobile
    every: 2w
    first: 2026-08-06T10:00
    until: 2027-01-31
    milestones:
      - {name: Branch cut, at: T-3b}
      - {name: Store submission, at: T-2b}
";

fn on_train(title: &str, date: &str) -> String {
    format!(
        "title: {title}\nteam: mobile\ntrain: mobile\ntype: minor\ndate: {date}\nsummary: {title} summary."
    )
}

fn site() -> SiteTest {
    let site = SiteTest::with_config(CONFIG);
    site.release("2026-12-10-app-5", &on_train("App 5.0", "2026-12-10"), "");
    site.release(
        "2026-12-03-web",
        "title: Web thing\nteam: web\ntype: minor\ndate: 2026-12-03\nsummary: S",
        "",
    );
    site
}

#[test]
fn departures_and_their_milestones_are_in_the_internal_and_the_train_teams_feeds() {
    let site = site();
    site.build();
    let all = vevents(&site.read("internal/calendar.ics"));
    let dep = vevent(&all, "site.train.mobile-2026-12-10@").expect("departure");
    assert_eq!(dep["SUMMARY"], "Departure: Mobile app train");
    assert_eq!(dep["DTSTART"], "20261210T150000Z", "10:00 EST");
    assert!(dep["URL"].ends_with("trains/mobile/"), "{dep:?}");
    // Before the clocks change on 1 November the same 10:00 is 14:00 UTC.
    let october = vevent(&all, "site.train.mobile-2026-10-29@").expect("October departure");
    assert_eq!(october["DTSTART"], "20261029T140000Z", "10:00 EDT");
    let cut = vevent(&all, "site.train.mobile-2026-12-10-branch-cut@").expect("branch cut");
    assert_eq!(
        cut["DTSTART"], "20261207T150000Z",
        "three business days before"
    );
    assert_eq!(cut["SUMMARY"], "Branch cut · Mobile app train");
    assert!(vevent(&all, "site.train.mobile-2026-12-10-store-submission@").is_some());
    assert!(
        vevent(&all, "site.train.mobile-2027-02-04@").is_none(),
        "no departure after `until`"
    );
    let team = vevents(&site.read("internal/teams/mobile.ics"));
    assert!(vevent(&team, "site.train.mobile-2026-12-10-branch-cut@").is_some());
    let web = site.read("internal/teams/web.ics");
    assert!(!web.contains("site.train."), "only the train's team: {web}");
    for (path, bytes) in site.files("external") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Mobile app train") && !text.contains("Branch cut"),
            "{path} shows the internal train"
        );
    }
}

#[test]
fn departures_are_agenda_rows_on_the_calendar_team_and_dashboard_pages() {
    let site = site();
    site.build();
    let row = |page: &str, day: &str, name: &str| {
        // An agenda row: the day heading, then the row linking the train page.
        let at = page
            .find(&format!("<time datetime=\"{day}\">"))
            .unwrap_or_else(|| panic!("{day} has a day heading: {page}"));
        let rest = &page[at..];
        let end = rest[1..].find("agenda-day").unwrap_or(rest.len() - 1) + 1;
        let day_rows = &rest[..end];
        day_rows.contains("kind-train")
            && day_rows.contains(name)
            && day_rows.contains("trains/mobile/index.html\">Mobile app train</a>")
    };
    let agenda = site.read("internal/calendar/index.html");
    assert!(row(&agenda, "2026-12-10", "Departure"), "{agenda}");
    assert!(row(&agenda, "2026-12-07", "Branch cut"), "{agenda}");
    assert!(
        agenda.contains("id=\"fk-train\""),
        "a filter for train rows"
    );
    // On the day, before the release that boards it (10:00 EST, the
    // release is all day and sorts from midnight: after it).
    let day = &agenda[agenda.find("<time datetime=\"2026-12-10\">").unwrap()..];
    assert!(day.find("App 5.0").unwrap() < day.find("Departure").unwrap());
    let month = site.read("internal/calendar/2026-12/index.html");
    assert!(
        month.contains("class=\"chip ev k-train kind-train t-mobile\""),
        "{month}"
    );
    assert!(month.contains("Branch cut · Mobile app train"), "{month}");
    // A month with departures only has its page too.
    let january = site.read("internal/calendar/2027-01/index.html");
    assert!(
        january.contains("Departure · Mobile app train"),
        "{january}"
    );
    let mobile = site.read("internal/teams/mobile/index.html");
    assert!(row(&mobile, "2026-12-10", "Departure"), "{mobile}");
    let web = site.read("internal/teams/web/index.html");
    assert!(!web.contains("kind-train"), "only the train's team: {web}");
    let dashboard = site.read("internal/index.html");
    assert!(row(&dashboard, "2026-12-07", "Branch cut"), "{dashboard}");
    assert!(
        !dashboard.contains("<time datetime=\"2027-01-07\">"),
        "the dashboard keeps to its 30 days"
    );
    for (path, bytes) in site.files("external") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Mobile app train") && !text.contains("Departure"),
            "{path} shows the internal train"
        );
    }
}

#[test]
fn without_a_team_list_a_train_teams_departures_have_a_filter_and_a_team_page() {
    // No `teams:` and no release of the train's team: the team still gets a
    // calendar filter (rows of a team without one would stay hidden) and a page.
    let config = CONFIG.replace(
        "teams:\n  - {id: mobile, name: Mobile Apps}\n  - {id: web, name: Web}\n",
        "",
    );
    let site = SiteTest::with_config(&config);
    site.release(
        "2026-12-03-web",
        "title: Web thing\nteam: web\ntype: minor\ndate: 2026-12-03\nsummary: S",
        "",
    );
    site.build();
    let calendar = site.read("internal/calendar/index.html");
    assert!(calendar.contains("id=\"ft-mobile\""), "{calendar}");
    assert!(
        calendar.contains("t-mobile"),
        "a departure row of the train's team"
    );
    let team = site.read("internal/teams/mobile/index.html");
    assert!(team.contains("Mobile app train"), "{team}");
}

#[test]
fn the_train_page_lists_departures_releases_and_empty_ones_and_is_linked() {
    let site = site();
    site.build();
    let page = site.read("internal/trains/mobile/index.html");
    assert!(page.contains("<h1>Mobile app train</h1>"), "{page}");
    assert!(
        !page.contains("20 Aug 2026"),
        "departures more than 90 days before now are left out"
    );
    assert!(page.contains("Thu 3 Sep 2026, 10:00 EDT"), "{page}");
    assert!(page.contains("Thu 21 Jan 2027, 10:00 EST"), "up to `until`");
    assert!(!page.contains("4 Feb 2027"));
    let december = &page[page.find("Thu 10 Dec 2026, 10:00 EST").expect("departure")..];
    let december = &december[..december.find("</li>\n").unwrap()];
    assert!(december.contains("App 5.0"), "{december}");
    assert!(december.contains("Branch cut: <time"), "{december}");
    let november = &page[page.find("Thu 26 Nov 2026").expect("departure")..];
    let november = &november[..november.find("</li>\n").unwrap()];
    assert!(
        november.contains("No release on this departure."),
        "{november}"
    );
    assert!(
        site.read("internal/releases/app-5/index.html")
            .contains("href=\"../../trains/mobile/index.html\">Mobile app train</a>")
    );
    assert!(
        site.read("internal/teams/mobile/index.html")
            .contains("trains/mobile/index.html\">Mobile app train</a>")
    );
    assert!(
        !site
            .read("internal/teams/web/index.html")
            .contains("Mobile app train")
    );
}

#[test]
fn a_release_off_its_trains_departures_is_warned_with_the_nearest_ones() {
    let site = site();
    site.release("2026-12-16-late", &on_train("Late", "2026-12-16"), "");
    let findings = shipdate::check(&site.options());
    let off: Vec<_> = findings.iter().filter(|d| d.rule == "off-train").collect();
    assert_eq!(off.len(), 1, "{findings:#?}");
    let f = off[0];
    assert!(f.path.ends_with("2026-12-16-late.md"));
    assert_eq!(f.position.line, 6, "at `date:`");
    let hint = f.hint.as_deref().unwrap();
    assert!(
        hint.contains("Thu 10 Dec 2026, 10:00 EST") && hint.contains("Thu 24 Dec 2026, 10:00 EST"),
        "{hint}"
    );
    assert_eq!(f.severity, shipdate::diagnostic::Severity::Warning);
}

#[test]
fn an_unknown_train_is_a_located_error_with_a_suggestion() {
    let site = site();
    site.release(
        "2026-12-10-typo",
        "title: T\nteam: mobile\ntype: minor\ndate: 2026-12-10\ntrain: mobil",
        "",
    );
    let errors = site.build_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].rule, "unknown-train");
    assert_eq!(errors[0].position.line, 6, "at `train:`");
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `mobile`?"));
}

#[test]
fn a_bad_train_in_the_config_is_located() {
    let site = SiteTest::with_config(&CONFIG.replace("every: 2w", "every: 2y"));
    let errors = site.build_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].rule, "invalid-value");
    assert_eq!(errors[0].position.line, 6, "at the train's entry");
    assert!(errors[0].hint.as_deref().unwrap().contains("every: 2w"));
}
