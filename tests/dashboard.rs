//! The internal dashboard (SPEC §4.0): what needs doing this week comes
//! first, each item linking to the place on the release page where it is
//! fixed; then one lane per upcoming release; then the agenda. Release pages
//! show `notified` records and an outcome's post-mortem and actions.

mod common;

use common::SiteTest;

const CONFIG: &str = "timezone: America/New_York\nteams:\n  - {id: web}\n  - {id: api}\n";

/// A clean major release; fixtures move its date and add to it.
const MAJOR: &str = "title: T
team: web
type: major
date: 2027-02-10
summary: Customer text.
owner: Ann
on_call: Bob
risk: high
rollout:
  strategy: feature-flag
  phases:
    - {name: Canary, percent: 1, at: T}
    - {name: GA, percent: 100, at: T+1w}
rollback: {plan: Turn the flag off., triggers: [Error rate above 2%]}
gates:
  - {name: Docs published, kind: docs, status: pending, due: T-3w}
  - {name: Security review, kind: review, status: pending, due: T-1w}";

/// "Stale" is still planned four days after its Thursday ship date; "Soon"
/// ships Wednesday with an overdue gate owned by Cy, notifications due this
/// week (support recorded) and a dependency on the stale one; "Later" ships
/// in February. The build's "now" is Monday 23 Nov 2026, 12:00 UTC.
fn site() -> SiteTest {
    let site = SiteTest::with_config(CONFIG);
    site.release(
        "stale",
        &MAJOR
            .replace("title: T", "title: Stale plan")
            .replace("2027-02-10", "2026-11-19"),
        "",
    );
    site.release(
        "soon",
        &format!(
            "{}\ndepends_on: [stale]\nnotified: {{support: {{date: 2026-11-18, evidence: \"https://wiki.example/brief\"}}}}",
            MAJOR
                .replace("title: T", "title: Soon release")
                .replace("2027-02-10", "2026-11-25")
                .replace("due: T-1w}", "due: T-1w, owner: Cy}")
        ),
        "",
    );
    site.release(
        "later",
        &MAJOR.replace("title: T", "title: Later release"),
        "",
    );
    site.build();
    site
}

/// The text between `from` and the next `to`.
fn between<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    let start = page.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &page[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

/// Byte offset of `needle` in `page`, failing with the page.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` missing from {page}"))
}

#[test]
fn the_triage_list_comes_first_and_links_to_where_each_item_is_fixed() {
    let site = site();
    let page = site.read("internal/index.html");
    // The first section after the h1 is the triage, its summary cards on
    // top, before the release lanes and the agenda.
    let main = between(&page, "</h1>", "</main>");
    let first = main.find("<section").unwrap();
    assert!(
        main[first..].starts_with("<section aria-labelledby=\"triage-h\""),
        "{main}"
    );
    let order = [
        "id=\"triage-h\"",
        "id=\"stats-h\"",
        "id=\"releases-h\"",
        "id=\"upcoming-h\"",
    ];
    let offsets: Vec<usize> = order.iter().map(|n| at(&page, n)).collect();
    assert!(offsets.is_sorted(), "{order:?} at {offsets:?}");

    let triage = between(&page, "id=\"stats-h\"", "id=\"releases-h\"");
    // Each list, in order, linking to the anchor where it is fixed.
    let lists = [
        "Stale plans",
        "Overdue gates",
        "Notifications due this week",
        "Dependency risks",
    ];
    let offsets: Vec<usize> = lists.iter().map(|n| at(triage, n)).collect();
    assert!(offsets.is_sorted(), "{lists:?} at {offsets:?}");
    let stale = between(triage, "Stale plans", "Overdue gates");
    assert!(
        stale.contains("href=\"./releases/stale/index.html#facts-h\""),
        "{stale}"
    );
    assert!(!stale.contains("Soon release"), "{stale}");
    let gates = between(triage, "Overdue gates", "Notifications due");
    // The security review (the second gate) is Cy's; the docs gate has no owner.
    assert!(
        gates.contains("href=\"./releases/soon/index.html#gate-2\""),
        "{gates}"
    );
    assert!(gates.contains("Cy"), "{gates}");
    assert!(gates.contains("no owner"), "{gates}");
    let notes = between(triage, "Notifications due", "Dependency risks");
    assert!(
        notes.contains("href=\"./releases/soon/index.html#notify-h\""),
        "{notes}"
    );
    assert!(notes.contains("overdue: not recorded as told"), "{notes}");
    let deps = between(triage, "Dependency risks", "</ul>");
    assert!(deps.contains("dependency-not-ready"), "{deps}");
    assert!(
        deps.contains("href=\"./releases/soon/index.html#findings-h\""),
        "{deps}"
    );
    // The release page has the anchors the items point at.
    let soon = site.read("internal/releases/soon/index.html");
    for anchor in ["id=\"gate-2\"", "id=\"notify-h\"", "id=\"findings-h\""] {
        assert!(soon.contains(anchor), "{anchor}");
    }
}

#[test]
fn the_red_figure_counts_what_is_overdue_and_cards_link_to_their_lists() {
    let site = site();
    let page = site.read("internal/index.html");
    let triage = between(&page, "id=\"triage-h\"", "id=\"releases-h\"");
    let overdue = triage.matches("class=\"triage-item is-overdue\"").count();
    // The stale plan, its two gates, Soon's security review, its docs gate,
    // and the notifications past by more than a business day.
    assert!(overdue >= 5, "{triage}");
    let stats = between(&page, "id=\"stats-h\"", "</div>");
    assert!(
        stats.contains(&format!(
            "<a class=\"stat stat-alert\" href=\"#triage\"><span class=\"stat-value\">{overdue}</span><span class=\"stat-label\">overdue this week"
        )),
        "{stats}"
    );
    for list in ["#releases", "#agenda", "#open-gates"] {
        assert!(stats.contains(&format!("href=\"{list}\"")), "{stats}");
        assert!(page.contains(&format!("id=\"{}\"", &list[1..])), "{list}");
    }
}

#[test]
fn upcoming_releases_are_lanes_from_milestones_through_ship_to_full_rollout() {
    let site = site();
    let page = site.read("internal/index.html");
    let lanes = between(&page, "id=\"releases-h\"", "</section>");
    let soon = at(lanes, "Soon release");
    let later = at(lanes, "Later release");
    assert!(soon < later, "{lanes}");
    // Stale has shipped by its date: it is in the triage, not a lane.
    assert!(!lanes.contains("Stale plan"), "{lanes}");
    let lane = between(lanes, "Later release", "</li>\n");
    let ship = at(lane, "Wed 10 Feb</time> Ship");
    let full = at(lane, "Wed 17 Feb</time> 100%");
    assert!(ship < full, "{lane}");
}

#[test]
fn release_pages_show_notified_records_and_the_follow_up_of_an_outcome() {
    let site = site();
    let soon = site.read("internal/releases/soon/index.html");
    let told = between(&soon, "id=\"notify-h\"", "</section>");
    assert!(
        told.contains("2026-11-18 · <a href=\"https://wiki.example/brief\">evidence</a>"),
        "{told}"
    );
    site.release(
        "done",
        &(MAJOR
            .replace("title: T", "title: Done")
            .replace("2027-02-10", "2026-11-02")
            .replace("status: pending", "status: done, evidence: \"https://ci.example/1\"")
            + "\nstatus: shipped\noutcome:\n  postmortem: \"https://wiki.example/pm\"\n  actions:\n    - {what: Fix `billing`, owner: Priya, due: 2026-11-20, done: false}\n    - {what: Portal prices, owner: Omar, due: 2026-11-13, done: true}"),
        "",
    );
    site.build();
    let done = site.read("internal/releases/done/index.html");
    let outcome = between(&done, "id=\"outcome-h\"", "</section>");
    assert!(
        outcome.contains("<a href=\"https://wiki.example/pm\">"),
        "{outcome}"
    );
    let open = between(outcome, "Fix <code>billing</code>", "</li>");
    assert!(open.contains("Priya · due <time datetime=\"2026-11-20\">Fri 20 Nov 2026</time>"));
    assert!(open.contains("overdue"), "{open}");
    let closed = between(outcome, "Portal prices", "</li>");
    assert!(
        closed.contains("Omar") && !closed.contains("overdue"),
        "{closed}"
    );
    // Internal only.
    for path in ["external/index.html", "external/releases/done/index.html"] {
        if site.exists(path) {
            let page = site.read(path);
            assert!(!page.contains("wiki.example"), "{path}");
        }
    }
}

#[test]
fn release_pages_say_each_notification_and_the_summary_once() {
    let site = site();
    let soon = site.read("internal/releases/soon/index.html");
    let timeline = between(&soon, "id=\"timeline-h\"", "</section>");
    let table = between(&soon, "id=\"notify-h\"", "</section>");
    // What support is told (the built-in matrix) is in the table only; the
    // timeline's row names who and how and links to the table.
    let what = "Known issues, talk track, escalation path";
    assert!(table.contains(what), "{table}");
    assert_eq!(soon.matches(what).count(), 1, "{soon}");
    assert!(
        timeline.contains("<a class=\"event-name\" href=\"#notify-h\">Notify Support via "),
        "{timeline}"
    );
    // The launch and announcement rows leave out the summary the lead shows.
    assert_eq!(soon.matches("Customer text.").count(), 1, "{soon}");
}

#[test]
fn a_release_without_dependencies_says_so_in_one_line() {
    let site = site();
    let later = site.read("internal/releases/later/index.html");
    let deps = between(&later, "id=\"deps-h\"", "</section>");
    assert!(deps.contains("Needs no other release first, and none depends on it."));
    assert!(!deps.contains("Needs first"), "{deps}");
    let stale = site.read("internal/releases/stale/index.html");
    let deps = between(&stale, "id=\"deps-h\"", "</section>");
    assert!(
        deps.contains("Needed by") && deps.contains("Soon release"),
        "{deps}"
    );
    assert!(deps.contains("No upstream dependencies."), "{deps}");
}
