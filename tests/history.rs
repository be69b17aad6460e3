//! Git history (SPEC §4.1, §4.3): temporary repositories with scripted
//! commits (fixed author and committer dates and names), built and read back.

mod common;

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::Path;

use common::git::{GitSite, git_in};
use common::{SiteTest, page_text};

const CONFIG: &str =
    "title: Acme\nteams:\n  - {id: web, name: Web}\n  - {id: mobile, name: Mobile}\n";

/// A site with the teams above in a fresh git repository.
fn repo() -> GitSite {
    GitSite::new(CONFIG)
}

/// Front matter of a minor release of team web, with a summary (announced once shipped).
fn front(title: &str, status: &str, date: &str) -> String {
    format!(
        "title: {title}\nteam: web\ntype: minor\nstatus: {status}\ndate: {date}\nsummary: {title} for everyone.\nstakeholders: [support]"
    )
}

type Props = BTreeMap<String, String>;

/// The VEVENTs of a feed by UID, each as property name → value (parsed by the `ical` crate).
fn events(text: &str) -> BTreeMap<String, Props> {
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = parser.next().expect("a calendar").expect("parses");
    cal.events
        .iter()
        .map(|e| {
            let props: Props = e
                .properties
                .iter()
                .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                .collect();
            (props["UID"].clone(), props)
        })
        .collect()
}

fn launch_uid(id: &str) -> String {
    format!("{id}.launch.ship@shipdate.local")
}

fn launch<'a>(events: &'a BTreeMap<String, Props>, id: &str) -> &'a Props {
    events
        .values()
        .find(|e| e["UID"].starts_with(&format!("{id}.launch.")))
        .unwrap_or_else(|| panic!("no launch of {id} in {:?}", events.keys()))
}

#[test]
fn sequence_and_last_modified_come_from_commits_and_never_go_back() {
    let repo = repo();
    let s = &repo.site;
    repo.release(
        "checkout",
        &front("Checkout v2", "shipped", "2026-11-10"),
        "",
    )
    .commit("Dana Lee", "2026-11-01T09:00:00Z", "Plan checkout");
    s.build();
    let first = launch(&events(&s.read("internal/calendar.ics")), "checkout").clone();
    assert_eq!(first["SEQUENCE"], "1");
    assert_eq!(first["LAST-MODIFIED"], "20261101T090000Z");
    assert_eq!(first["DTSTAMP"], "20261101T090000Z");

    repo.release(
        "checkout",
        &front("Checkout v2", "shipped", "2026-11-12"),
        "",
    )
    .commit("Sam Ortiz", "2026-11-05T14:30:00Z", "Move checkout");
    repo.release(
        "checkout",
        &front("Checkout v2", "shipped", "2026-11-12"),
        "Notes.\n",
    )
    .commit("Dana Lee", "2026-11-06T08:00:00Z", "Notes");
    s.build();
    let internal = events(&s.read("internal/calendar.ics"));
    let external = events(&s.read("external/calendar.ics"));
    let e = launch(&internal, "checkout");
    assert_eq!(e["SEQUENCE"], "3");
    assert_eq!(e["LAST-MODIFIED"], "20261106T080000Z");
    assert_eq!(e["DTSTART"], "20261112");
    // The public feed counts ship-date changes only (SPEC §5.1).
    let e = launch(&external, "checkout");
    assert_eq!(e["SEQUENCE"], "1");
    assert_eq!(e["LAST-MODIFIED"], "20261105T143000Z");
    assert_eq!(e["DTSTART"], "20261112");
    // Every event of the release shares the file's facts.
    for e in internal.values() {
        assert_eq!(e["SEQUENCE"], "3", "{}", e["UID"]);
    }
    // A commit that does not touch the file leaves it alone.
    repo.write("content/_index.md", "Hello.\n");
    repo.commit("Dana Lee", "2026-11-07T08:00:00Z", "Intro");
    s.build();
    let e = launch(&events(&s.read("internal/calendar.ics")), "checkout").clone();
    assert_eq!(
        (e["SEQUENCE"].as_str(), e["LAST-MODIFIED"].as_str()),
        ("3", "20261106T080000Z")
    );
}

#[test]
fn internal_edits_leave_the_public_feed_byte_for_byte_alone() {
    let repo = repo();
    let s = &repo.site;
    let plan = front("Checkout v2", "shipped", "2026-11-10");
    s.release("checkout", &plan, "## New {.external}\nSaved cards.\n");
    repo.commit("Dana Lee", "2026-11-01T09:00:00Z", "Plan");
    s.build();
    let before = s.read("external/calendar.ics");
    assert_eq!(launch(&events(&before), "checkout")["SEQUENCE"], "0");
    for (i, notes) in ["Owner notes.", "More notes.", "Even more."]
        .iter()
        .enumerate()
    {
        s.release(
            "checkout",
            &format!("{plan}\nowner: Someone {i}"),
            &format!("## New {{.external}}\nSaved cards.\n\n## Internal\n{notes}\n"),
        );
        repo.commit(
            "Sam Ortiz",
            &format!("2026-11-1{i}T10:00:00Z"),
            "Internal edit",
        );
    }
    s.build();
    assert_eq!(s.read("external/calendar.ics"), before);
    // Uncommitted internal edits neither.
    s.release(
        "checkout",
        &plan,
        "## New {.external}\nSaved cards.\n\n## Internal\nDraft.\n",
    );
    s.build();
    assert_eq!(s.read("external/calendar.ics"), before);
    // A ship-date change is public: it counts.
    s.release(
        "checkout",
        &plan.replace("2026-11-10", "2026-11-12"),
        "## New {.external}\nSaved cards.\n",
    );
    repo.commit("Sam Ortiz", "2026-11-20T10:00:00Z", "Move");
    s.build();
    let e = launch(&events(&s.read("external/calendar.ics")), "checkout").clone();
    assert_eq!(
        (e["SEQUENCE"].as_str(), e["LAST-MODIFIED"].as_str()),
        ("1", "20261120T100000Z")
    );
}

#[test]
fn uncommitted_edits_win_for_content_and_count_as_the_next_commit() {
    let repo = repo();
    let s = &repo.site;
    repo.release(
        "checkout",
        &front("Checkout v2", "planned", "2026-12-01"),
        "",
    )
    .commit("Dana Lee", "2026-11-01T09:00:00Z", "Plan");
    repo.release(
        "checkout",
        &front("Checkout v2", "planned", "2026-12-04"),
        "",
    );
    s.build();
    let e = launch(&events(&s.read("internal/calendar.ics")), "checkout").clone();
    assert_eq!(
        e["DTSTART"], "20261204",
        "the working tree is what gets built"
    );
    assert_eq!(e["SEQUENCE"], "2", "one above the committed count");
    assert_eq!(e["LAST-MODIFIED"], "20261123T120000Z", "the build's now");
    assert!(
        page_text(&s.read("internal/releases/checkout/index.html")).contains("uncommitted edits")
    );
    // Committing gives the same SEQUENCE, not a lower one.
    repo.commit("Dana Lee", "2026-11-23T13:00:00Z", "Move");
    s.build();
    let e = launch(&events(&s.read("internal/calendar.ics")), "checkout").clone();
    assert_eq!(e["SEQUENCE"], "2");
    assert_eq!(e["LAST-MODIFIED"], "20261123T130000Z");
}

#[test]
fn release_page_shows_each_slip_with_who_and_when() {
    let repo = repo();
    let s = &repo.site;
    repo.release("payments", &front("Payments", "planned", "2026-12-01"), "")
        .commit("Dana Lee", "2026-10-01T09:00:00Z", "Plan payments");
    repo.release("payments", &front("Payments", "planned", "2026-12-08"), "")
        .commit("Sam Ortiz", "2026-10-20T10:15:00Z", "Slip payments a week");
    repo.release("payments", &front("Payments", "planned", "2026-12-03"), "")
        .commit("Ana Ruiz", "2026-11-02T16:45:00Z", "Pull payments in");
    s.build();
    let page = page_text(&s.read("internal/releases/payments/index.html"));
    assert!(page.contains("Ship-date history"), "{page}");
    assert!(
        page.contains("First planned for Tue 1 Dec 2026 (2026-10-01 09:00 UTC, Dana Lee)"),
        "{page}"
    );
    assert!(
        page.contains("7 days later Tue 1 Dec 2026 Tue 8 Dec 2026 Sam Ortiz 2026-10-20 10:15 UTC"),
        "{page}"
    );
    assert!(
        page.contains("5 days earlier Tue 8 Dec 2026 Thu 3 Dec 2026 Ana Ruiz 2026-11-02 16:45 UTC"),
        "{page}"
    );
    assert!(
        page.contains("3 commits, last 2026-11-02 16:45 UTC"),
        "{page}"
    );
    let json: serde_json::Value = serde_json::from_str(&s.read("internal/releases.json")).unwrap();
    assert_eq!(json[0]["slips"], 2);
    assert_eq!(json[0]["first_planned_date"], "2026-12-01");
}

#[test]
fn metrics_count_on_time_releases_and_slips() {
    let repo = repo();
    let s = &repo.site;
    repo.release("late", &front("Late", "shipped", "2026-10-01"), "");
    repo.release("punctual", &front("Punctual", "shipped", "2026-10-05"), "")
        .commit("Dana Lee", "2026-09-01T09:00:00Z", "Plan");
    repo.release("late", &front("Late", "shipped", "2026-10-09"), "")
        .commit("Dana Lee", "2026-09-20T09:00:00Z", "Slip");
    repo.release("late", &front("Late", "shipped", "2026-10-15"), "")
        .commit("Dana Lee", "2026-10-02T09:00:00Z", "Slip again");
    s.build();
    let metrics: serde_json::Value =
        serde_json::from_str(&s.read("internal/metrics.json")).unwrap();
    let overall = &metrics["overall"];
    assert_eq!(overall["on_time"], 1);
    assert_eq!(overall["on_time_known"], 2);
    assert_eq!(overall["slips"], 2);
    let page = page_text(&s.read("internal/metrics/index.html"));
    assert!(
        page.contains("50% on time (1 of 2 on their first planned date)"),
        "{page}"
    );
    assert!(
        page.contains("1 slips per release (2 ship-date changes)"),
        "{page}"
    );
    let json: serde_json::Value = serde_json::from_str(&s.read("internal/releases.json")).unwrap();
    let late = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "late")
        .unwrap();
    assert_eq!(late["slips"], 2);
}

fn scoped(date: &str, rollout: &str, known_issues: &str) -> (String, String) {
    (
        format!(
            "{}\nrollout:\n  strategy: canary\n  phases:\n    - {{name: {rollout}, percent: 100, at: T}}",
            front("Wallet", "in-progress", date)
        ),
        format!("## What's new {{.external}}\nWallets.\n\n## Known issues\n{known_issues}\n"),
    )
}

#[test]
fn late_scope_changes_are_listed_and_checked() {
    let repo = repo();
    let s = &repo.site;
    let (f, b) = scoped("2026-11-27", "Everyone", "None.");
    repo.release("wallet", &f, &b)
        .commit("Dana Lee", "2026-10-01T09:00:00Z", "Plan wallet");
    // Outside the 7-day window: not late.
    let (f, b) = scoped("2026-11-27", "Everyone", "Slow on old phones.");
    repo.release("wallet", &f, &b)
        .commit("Dana Lee", "2026-11-10T09:00:00Z", "Early edit");
    // Inside: progress only (status) is not a scope change.
    repo.release("wallet", &f.replace("in-progress", "delayed"), &b)
        .commit("Dana Lee", "2026-11-21T09:00:00Z", "Status");
    let (f, b) = scoped("2026-11-27", "Beta", "Slow on old phones and tablets.");
    repo.release("wallet", &f.replace("in-progress", "delayed"), &b)
        .commit("Sam Ortiz", "2026-11-22T17:05:00Z", "Late change");
    let report = s.build();
    let finding = report
        .warnings
        .iter()
        .find(|d| d.rule == "late-scope-change")
        .expect("late-scope-change warning");
    assert!(finding.message.contains("Sam Ortiz"), "{}", finding.message);
    assert!(finding.message.contains("`rollout`"), "{}", finding.message);
    assert!(
        finding.message.contains("Known issues"),
        "{}",
        finding.message
    );
    assert!(!finding.message.contains("Dana Lee"), "{}", finding.message);
    assert_eq!(finding.path, Path::new("content/releases/wallet.md"));
    assert!(finding.position.line > 1, "points at the date line");
    assert!(finding.hint.is_some());

    let page = page_text(&s.read("internal/releases/wallet/index.html"));
    let late = &page[page.find("Late scope changes").expect("block")..];
    assert!(late.contains("Sam Ortiz · 2026-11-22 17:05 UTC"), "{late}");
    assert!(late.contains("Front matter: rollout"), "{late}");
    assert!(late.contains("Sections: “Known issues”"), "{late}");
    assert!(!late.contains("status"), "progress is not scope: {late}");
    assert!(!late.contains("Dana Lee"), "{late}");

    // The rule can be turned off like any other.
    repo.write(
        "shipdate.yaml",
        &format!("{CONFIG}rules: {{late-scope-change: off}}\n"),
    );
    let report = s.build();
    assert!(
        !report
            .warnings
            .iter()
            .any(|d| d.rule == "late-scope-change"),
        "{:?}",
        report.warnings
    );
    // The page still tells the story.
    assert!(
        page_text(&s.read("internal/releases/wallet/index.html"))
            .contains("Sam Ortiz · 2026-11-22")
    );
}

#[test]
fn renames_keep_the_history_of_the_file() {
    let repo = repo();
    let s = &repo.site;
    let with_id = format!("id: search\n{}", front("Search", "planned", "2026-12-10"));
    repo.release("2026-12-10-search", &with_id, "").commit(
        "Dana Lee",
        "2026-11-01T09:00:00Z",
        "Plan",
    );
    repo.release("2026-12-10-search", &with_id.replace("12-10", "12-14"), "")
        .commit("Dana Lee", "2026-11-02T09:00:00Z", "Slip");
    repo.git(&[
        "mv",
        "content/releases/2026-12-10-search.md",
        "content/releases/2026-12-14-search.md",
    ])
    .commit(
        "Sam Ortiz",
        "2026-11-03T09:00:00Z",
        "Rename to the new date",
    );
    s.build();
    let e = launch(&events(&s.read("internal/calendar.ics")), "search").clone();
    assert_eq!(e["SEQUENCE"], "3", "commits before the rename count");
    let page = page_text(&s.read("internal/releases/search/index.html"));
    assert!(page.contains("First planned for Thu 10 Dec 2026"), "{page}");
    assert!(page.contains("4 days later"), "{page}");
}

#[test]
fn a_rename_that_changes_the_id_cancels_the_old_events() {
    let repo = repo();
    let s = &repo.site;
    repo.release("search", &front("Search", "planned", "2026-12-10"), "")
        .commit("Dana Lee", "2026-11-10T09:00:00Z", "Plan");
    repo.git(&[
        "mv",
        "content/releases/search.md",
        "content/releases/site-search.md",
    ])
    .commit("Sam Ortiz", "2026-11-20T09:00:00Z", "Rename");
    s.build();
    let internal = events(&s.read("internal/calendar.ics"));
    let old = &internal[&launch_uid("search")];
    assert_eq!(old["STATUS"], "CANCELLED");
    assert_eq!(old["SEQUENCE"], "2");
    let new = launch(&internal, "site-search");
    assert_eq!(new["SEQUENCE"], "2");
    assert_eq!(new["STATUS"], "TENTATIVE");
    let changes = page_text(&s.read("internal/changes/index.html"));
    assert!(changes.contains("renamed from `search`"), "{changes}");
}

#[test]
fn removed_events_stay_cancelled_for_30_days() {
    let mut repo = repo();
    let s = &repo.site;
    let plan = format!(
        "{}\nmilestones:\n  - {{name: Partner sandbox, date: 2026-11-28}}\nrollout:\n  strategy: canary\n  phases:\n    - {{name: Canary, percent: 1, at: T}}\n    - {{name: GA, percent: 100, at: T+2d}}",
        front("Payments", "planned", "2026-12-01")
    );
    repo.release("payments", &plan, "");
    repo.release("gone", &front("Gone", "shipped", "2026-11-02"), "");
    repo.release(
        "mobile-app",
        &front("Mobile app", "planned", "2026-12-05").replace("team: web", "team: mobile"),
        "",
    )
    .commit("Dana Lee", "2026-11-01T09:00:00Z", "Plan");
    s.build();
    let live_before = events(&s.read("internal/calendar.ics"));
    let milestone_uid = live_before
        .keys()
        .find(|u| u.starts_with("payments.milestone.partner-sandbox"))
        .expect("milestone")
        .clone();
    let canary_uid = live_before
        .keys()
        .find(|u| u.starts_with("payments.phase.canary"))
        .expect("phase")
        .clone();
    assert_eq!(live_before[&milestone_uid]["SEQUENCE"], "1");

    let replanned = plan
        .replace("  - {name: Partner sandbox, date: 2026-11-28}\n", "")
        .replace("milestones:\n", "")
        .replace("name: Canary", "name: Pilot");
    repo.release("payments", &replanned, "");
    repo.remove("gone")
        .commit("Sam Ortiz", "2026-11-20T11:00:00Z", "Replan");
    s.build();

    let internal = events(&s.read("internal/calendar.ics"));
    for uid in [&milestone_uid, &canary_uid, &launch_uid("gone")] {
        let e = internal
            .get(uid)
            .unwrap_or_else(|| panic!("tombstone {uid} in {:?}", internal.keys()));
        assert_eq!(e["STATUS"], "CANCELLED", "{uid}");
        assert_eq!(e["DTSTAMP"], "20261120T110000Z", "{uid}");
        assert!(e["DESCRIPTION"].contains("Sam Ortiz"), "{uid}");
    }
    assert_eq!(
        internal[&milestone_uid]["SEQUENCE"], "2",
        "above the published 1"
    );
    assert_eq!(internal[&launch_uid("gone")]["SEQUENCE"], "2");
    assert!(
        internal
            .keys()
            .any(|u| u.starts_with("payments.phase.pilot")),
        "the renamed phase is live"
    );
    // In the feeds the live event was in, and only those.
    let web = events(&s.read("internal/teams/web.ics"));
    assert_eq!(web[&milestone_uid]["STATUS"], "CANCELLED");
    assert_eq!(web[&launch_uid("gone")]["STATUS"], "CANCELLED");
    let mobile = events(&s.read("internal/teams/mobile.ics"));
    assert!(!mobile.contains_key(&launch_uid("gone")));
    let support = events(&s.read("internal/stakeholders/support.ics"));
    assert_eq!(support[&launch_uid("gone")]["STATUS"], "CANCELLED");
    // The deleted release had been announced: public fields only, cancelled.
    let external = events(&s.read("external/calendar.ics"));
    let e = &external[&launch_uid("gone")];
    assert_eq!(e["STATUS"], "CANCELLED");
    assert_eq!(e["SUMMARY"], "Gone");
    assert_eq!(e["DESCRIPTION"], "Gone for everyone.");
    assert!(!s.read("external/calendar.ics").contains("Sam Ortiz"));
    assert!(!external.contains_key(&milestone_uid));

    // 30 days after the removing commit they are gone.
    repo.site.now = "2026-12-21T12:00:00Z".into();
    let s = &repo.site;
    s.build();
    let internal = events(&s.read("internal/calendar.ics"));
    assert!(!internal.contains_key(&milestone_uid));
    assert!(!internal.contains_key(&launch_uid("gone")));
    assert!(!events(&s.read("external/calendar.ics")).contains_key(&launch_uid("gone")));
    // Still there on the last day.
    repo.site.now = "2026-12-19T12:00:00Z".into();
    repo.site.build();
    let internal = events(&repo.site.read("internal/calendar.ics"));
    assert_eq!(internal[&milestone_uid]["STATUS"], "CANCELLED");
}

/// Builds the site at `root` (output in `root/public`) at `now`.
fn build_at(root: &Path, now: &str) -> shipdate::BuildReport {
    let options = shipdate::BuildOptions::new(root, shipdate::now::parse(now).unwrap());
    shipdate::build(&options).unwrap_or_else(|e| panic!("build of {}: {e}", root.display()))
}

fn read_at(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join("public").join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A repository with a move, an added milestone and a deletion in the last 30 days.
fn busy_repo() -> GitSite {
    let repo = repo();
    repo.release("api", &front("API v3", "planned", "2026-12-01"), "")
        .release("app", &front("App", "planned", "2026-12-10"), "")
        .commit("Dana Lee", "2026-11-01T09:00:00Z", "Plan");
    repo.release("api", &front("API v3", "planned", "2026-12-08"), "")
        .commit("Sam Ortiz", "2026-11-05T10:00:00Z", "API slips a week");
    repo.release(
        "app",
        &format!(
            "{}\nmilestones:\n  - {{name: Store review, date: 2026-12-01}}",
            front("App", "planned", "2026-12-10")
        ),
        "",
    )
    .commit("Ana Ruiz", "2026-11-10T11:00:00Z", "Store review");
    repo.remove("app")
        .commit("Sam Ortiz", "2026-11-15T12:00:00Z", "Drop the app");
    repo
}

#[test]
fn changes_page_lists_every_schedule_change_newest_first() {
    let repo = busy_repo();
    let s = &repo.site;
    s.build();
    let page = page_text(&s.read("internal/changes/index.html"));
    let order = [
        "App: removed from the plan (was shipping Thu 10 Dec 2026) 2026-11-15 12:00 UTC · Sam Ortiz",
        "App: 1 event added 2026-11-10 11:00 UTC · Ana Ruiz",
        "Review Store review: added, Tue 1 Dec 2026",
        "API v3 : ship date moved from Tue 1 Dec 2026 to Tue 8 Dec 2026 2026-11-05 10:00 UTC · Sam Ortiz",
        "Launch Ship: API v3: Tue 1 Dec 2026 → Tue 8 Dec 2026",
        "2026-11-01 09:00 UTC · Dana Lee",
    ];
    let mut at = 0;
    for want in order {
        let found = page[at..]
            .find(want)
            .unwrap_or_else(|| panic!("`{want}` after byte {at} in {page}"));
        at += found + want.len();
    }
    // Linked from the navigation and the dashboard.
    let dashboard = s.read("internal/index.html");
    assert!(dashboard.contains("href=\"./changes/index.html\""));
    assert!(
        page_text(&dashboard)
            .contains("API v3 : ship date moved from Tue 1 Dec 2026 to Tue 8 Dec 2026")
    );
    assert!(
        s.read("internal/releases/api/index.html")
            .contains("href=\"../../changes/index.html\"")
    );
}

#[test]
fn changes_feed_is_well_formed_atom_newest_first() {
    let repo = busy_repo();
    let s = &repo.site;
    s.build();
    let xml = s.read("internal/changes.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| -> String {
        n.children()
            .find(|c| c.has_tag_name((atom, name)))
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("<{name}>"))
            .to_string()
    };
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .collect();
    // Created api, created app, moved api, added milestone, deleted app.
    assert_eq!(entries.len(), 5, "{xml}");
    let updated: Vec<String> = entries.iter().map(|e| child(*e, "updated")).collect();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted, "newest first");
    assert_eq!(updated[0], "2026-11-15T12:00:00Z");
    assert_eq!(child(feed, "updated"), "2026-11-15T12:00:00Z");
    let ids: std::collections::HashSet<String> = entries.iter().map(|e| child(*e, "id")).collect();
    assert_eq!(ids.len(), entries.len(), "unique entry ids");
    let moved = entries
        .iter()
        .find(|e| child(**e, "title").contains("ship date moved"))
        .expect("the move");
    assert_eq!(
        child(*moved, "title"),
        "API v3: ship date moved from Tue 1 Dec 2026 to Tue 8 Dec 2026"
    );
    let author = moved
        .children()
        .find(|c| c.has_tag_name((atom, "author")))
        .expect("author");
    assert_eq!(child(author, "name"), "Sam Ortiz");
    assert_eq!(child(*moved, "updated"), "2026-11-05T10:00:00Z");
}

#[test]
fn a_release_deleted_before_its_announce_date_leaves_no_public_tombstone() {
    let mut repo = repo();
    repo.release(
        "secret",
        &(front("SECRET title", "shipped", "2026-11-01")
            .replace("SECRET title for everyone.", "SECRET summary")
            + "\nannounce: 2026-11-20"),
        "## New {.external}\nx\n",
    )
    .commit("Dana Lee", "2026-11-05T10:00:00Z", "Plan");
    repo.remove("secret").commit(
        "Dana Lee",
        "2026-11-10T10:00:00Z",
        "Drop it before it is announced",
    );
    repo.site.now = "2026-11-25T00:00:00Z".into();
    repo.site.build();
    let external = repo.site.read("external/calendar.ics");
    assert!(!external.contains("SECRET"), "{external}");
    let internal = events(&repo.site.read("internal/calendar.ics"));
    assert!(
        internal.values().any(|e| e["STATUS"] == "CANCELLED"),
        "the internal feed still cancels it"
    );
}

#[test]
fn nothing_from_history_reaches_the_external_site() {
    let repo = busy_repo();
    let s = &repo.site;
    repo.release(
        "api",
        &front("API v3", "shipped", "2026-11-20"),
        "## New {.external}\nFast.\n",
    )
    .commit(
        "Sam Ortiz",
        "2026-11-19T09:00:00Z",
        "Shipping early: secret reasons",
    );
    s.build();
    assert!(page_text(&s.read("internal/releases/api/index.html")).contains("Ship-date history"));
    for (path, bytes) in s.files("external") {
        let t = String::from_utf8_lossy(&bytes);
        for leak in [
            "Sam Ortiz",
            "Dana Lee",
            "Ana Ruiz",
            "changes.xml",
            "changes/",
            "Ship-date history",
            "Late scope",
            "slips",
            "first_planned_date",
            "secret reasons",
        ] {
            assert!(!t.contains(leak), "{path} contains {leak:?}");
        }
    }
    assert!(!s.exists("external/changes.xml"));
    assert!(!s.exists("external/changes/index.html"));
}

#[test]
fn outside_git_the_build_works_and_says_so() {
    let s = SiteTest::with_config(CONFIG);
    s.release(
        "checkout",
        &front("Checkout v2", "shipped", "2026-11-10"),
        "",
    );
    let report = s.build();
    assert!(
        report.notes.iter().any(|n| n.contains("no git history")),
        "{:?}",
        report.notes
    );
    let e = launch(&events(&s.read("internal/calendar.ics")), "checkout").clone();
    assert_eq!(e["SEQUENCE"], "0");
    assert_eq!(e["LAST-MODIFIED"], "20261123T120000Z");
    let page = page_text(&s.read("internal/releases/checkout/index.html"));
    assert!(!page.contains("Ship-date history"), "{page}");
    assert!(page_text(&s.read("internal/changes/index.html")).contains("No git history"));
    let metrics = page_text(&s.read("internal/metrics/index.html"));
    assert!(metrics.contains("on time (needs git history)"), "{metrics}");
    assert!(!report.warnings.iter().any(|d| d.rule == "shallow-history"));
}

#[test]
fn a_shallow_clone_is_detected_and_reported() {
    let repo = repo();
    let s = &repo.site;
    repo.release(
        "checkout",
        &front("Checkout v2", "planned", "2026-12-01"),
        "",
    )
    .commit("Dana Lee", "2026-11-01T09:00:00Z", "Plan");
    repo.release(
        "checkout",
        &front("Checkout v2", "planned", "2026-12-08"),
        "",
    )
    .commit("Sam Ortiz", "2026-11-05T09:00:00Z", "Slip");
    repo.release(
        "checkout",
        &front("Checkout v2", "planned", "2026-12-09"),
        "",
    )
    .commit("Sam Ortiz", "2026-11-06T09:00:00Z", "Slip again");
    s.build();
    let full = launch(&events(&s.read("internal/calendar.ics")), "checkout").clone();
    assert_eq!(full["SEQUENCE"], "3");

    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", s.root().display());
    git_in(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "."],
        "Setup",
        "2026-01-01T00:00:00Z",
    );
    let report = build_at(clone.path(), common::NOW);
    let warning = report
        .warnings
        .iter()
        .find(|d| d.rule == "shallow-history")
        .expect("shallow-history warning");
    assert!(
        warning
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("fetch-depth: 0")
    );
    let page = page_text(&read_at(
        clone.path(),
        "internal/releases/checkout/index.html",
    ));
    assert!(page.contains("shallow clone"), "{page}");
    assert!(
        page.contains("The first plan is not in this shallow clone"),
        "{page}"
    );
    assert!(!page.contains("First planned for"), "{page}");
    assert!(
        page_text(&read_at(clone.path(), "internal/changes/index.html")).contains("shallow clone")
    );

    // Deepening to the whole history gives the full count back.
    git_in(
        clone.path(),
        &["fetch", "-q", "--unshallow"],
        "Setup",
        "2026-01-01T00:00:00Z",
    );
    let report = build_at(clone.path(), common::NOW);
    assert!(!report.warnings.iter().any(|d| d.rule == "shallow-history"));
    let e = launch(
        &events(&read_at(clone.path(), "internal/calendar.ics")),
        "checkout",
    )
    .clone();
    assert_eq!(e["SEQUENCE"], "3");
}

#[test]
fn a_site_in_a_subfolder_of_its_repository() {
    let repo = repo();
    let s = &repo.site;
    repo.write("site/shipdate.yaml", CONFIG);
    repo.write(
        "site/content/releases/api.md",
        &format!("---\n{}\n---\n", front("API v3", "planned", "2026-12-01")),
    );
    repo.write("content/releases/not-this-site.md", "---\ntitle: x\n---\n");
    repo.commit("Dana Lee", "2026-11-01T09:00:00Z", "Plan");
    repo.write(
        "site/content/releases/api.md",
        &format!("---\n{}\n---\n", front("API v3", "planned", "2026-12-04")),
    );
    repo.commit("Sam Ortiz", "2026-11-02T09:00:00Z", "Slip");
    let root = s.root().join("site");
    build_at(&root, common::NOW);
    let e = launch(&events(&read_at(&root, "internal/calendar.ics")), "api").clone();
    assert_eq!(e["SEQUENCE"], "2");
    assert_eq!(e["LAST-MODIFIED"], "20261102T090000Z");
    let page = page_text(&read_at(&root, "internal/releases/api/index.html"));
    assert!(page.contains("3 days later"), "{page}");
}

#[test]
fn same_commits_and_now_give_byte_identical_output() {
    let repo = busy_repo();
    let s = &repo.site;
    s.build();
    let first = s.files("");
    // The second build reads the walk from the cache in .git/shipdate/.
    assert!(s.root().join(".git/shipdate").is_dir(), "cache written");
    s.build();
    assert!(first == s.files(""), "cached build differs");
    std::fs::remove_dir_all(s.root().join(".git/shipdate")).unwrap();
    s.build();
    assert!(first == s.files(""), "fresh walk differs");
}

#[test]
fn a_corrupt_cache_means_a_fresh_walk_not_an_error() {
    let repo = busy_repo();
    let s = &repo.site;
    s.build();
    let first = s.files("");
    let cache = std::fs::read_dir(s.root().join(".git/shipdate"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&cache, b"{\"version\": 1, \"truncated").unwrap();
    s.build();
    assert!(first == s.files(""));
}

#[test]
fn a_release_brought_back_after_its_deletion_keeps_counting_up() {
    let repo = repo();
    let s = &repo.site;
    let plan = front("Search", "planned", "2026-12-10");
    repo.release("search", &plan, "")
        .commit("Dana Lee", "2026-11-10T09:00:00Z", "Plan");
    repo.remove("search")
        .commit("Sam Ortiz", "2026-11-11T09:00:00Z", "Delete by mistake");
    s.build();
    let cancelled = events(&s.read("internal/calendar.ics"))[&launch_uid("search")].clone();
    assert_eq!(cancelled["STATUS"], "CANCELLED");
    assert_eq!(cancelled["SEQUENCE"], "2");
    repo.release("search", &plan, "").commit(
        "Sam Ortiz",
        "2026-11-12T09:00:00Z",
        "Revert the deletion",
    );
    s.build();
    let back = events(&s.read("internal/calendar.ics"))[&launch_uid("search")].clone();
    assert_eq!(back["STATUS"], "TENTATIVE", "live again, no tombstone");
    assert_eq!(back["SEQUENCE"], "3", "above the cancelled event's 2");
}

#[test]
fn a_commit_dated_in_the_past_does_not_move_last_modified_back() {
    let repo = repo();
    let s = &repo.site;
    repo.release(
        "checkout",
        &front("Checkout v2", "planned", "2026-12-01"),
        "",
    )
    .commit("Dana Lee", "2026-11-10T09:00:00Z", "Plan");
    repo.release(
        "checkout",
        &front("Checkout v2", "planned", "2026-12-02"),
        "",
    );
    // A rebased commit or a skewed clock: committed later, dated earlier.
    repo.commit("Sam Ortiz", "2026-11-01T09:00:00Z", "Move");
    s.build();
    let e = launch(&events(&s.read("internal/calendar.ics")), "checkout").clone();
    assert_eq!(e["SEQUENCE"], "2");
    assert_eq!(e["LAST-MODIFIED"], "20261110T090000Z");
}

/// `serve`'s session shares unchanged releases between rebuilds: the history
/// copied onto them must follow the repository, not stay from an earlier
/// rebuild, and a session must give what a fresh build gives.
#[test]
fn a_serve_session_follows_the_history_like_a_fresh_build() {
    let repo = repo();
    let s = &repo.site;
    repo.release("payments", &front("Payments", "planned", "2026-12-01"), "")
        .commit("Dana Lee", "2026-10-01T09:00:00Z", "Plan payments");
    repo.release("payments", &front("Payments", "planned", "2026-12-08"), "")
        .commit("Sam Ortiz", "2026-10-20T10:15:00Z", "Slip payments a week");
    repo.release("other", &front("Other", "planned", "2026-12-10"), "")
        .commit("Ana Ruiz", "2026-11-02T16:45:00Z", "Plan other");
    let mut session = shipdate::Session::new(s.options());
    let now = s.options().now;
    let served = |session: &mut shipdate::Session| -> serde_json::Value {
        let g = session.rebuild(now).unwrap();
        let bytes = g.render("internal/releases.json").unwrap().unwrap();
        serde_json::from_slice(&bytes).unwrap()
    };
    let built = || -> serde_json::Value {
        s.build();
        serde_json::from_str(&s.read("internal/releases.json")).unwrap()
    };
    let first = served(&mut session);
    assert_eq!(first[0]["slips"], 1);
    assert_eq!(first, built());

    // A new commit: the walk kept in memory is extended, not reused as is.
    repo.release("payments", &front("Payments", "planned", "2026-12-15"), "")
        .commit("Sam Ortiz", "2026-11-10T08:00:00Z", "Slip payments again");
    let later = served(&mut session);
    let payments = |json: &serde_json::Value| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "payments")
            .unwrap()
            .clone()
    };
    assert_eq!(payments(&later)["slips"], 2, "{later}");
    assert_eq!(later, built());
    let again = served(&mut session);
    assert_eq!(
        again, later,
        "a rebuild at the same HEAD uses the kept walk"
    );

    // No file changes, but the history goes away: nothing may stay from before.
    std::fs::remove_dir_all(s.root().join(".git")).unwrap();
    let after = served(&mut session);
    assert_eq!(payments(&after)["slips"], 0);
    assert_eq!(after, built());
}

#[test]
fn an_event_back_after_its_cancellation_is_newer_than_the_cancellation() {
    // The public view: announced, hidden (`announce: false`), announced again.
    // The ship date never moved, so the public facts alone would say 0.
    let repo = repo();
    let s = &repo.site;
    let shipped = front("Search", "shipped", "2026-11-10");
    repo.release("2026-11-10-search", &shipped, "").commit(
        "Dana Lee",
        "2026-11-10T09:00:00Z",
        "Ship",
    );
    repo.release(
        "2026-11-10-search",
        &format!("{shipped}\nannounce: false"),
        "",
    )
    .commit("Sam Ortiz", "2026-11-12T09:00:00Z", "Hide it");
    s.build();
    let gone = events(&s.read("external/calendar.ics"))[&launch_uid("search")].clone();
    assert_eq!(gone["STATUS"], "CANCELLED");
    repo.release("2026-11-10-search", &shipped, "").commit(
        "Sam Ortiz",
        "2026-11-14T09:00:00Z",
        "Announce it again",
    );
    s.build();
    let back = events(&s.read("external/calendar.ics"))[&launch_uid("search")].clone();
    assert_eq!(back["STATUS"], "CONFIRMED");
    let seq = |e: &Props| e["SEQUENCE"].parse::<u32>().unwrap();
    assert!(seq(&back) > seq(&gone), "{back:?} after {gone:?}");
    assert!(back["DTSTAMP"] > gone["DTSTAMP"], "{back:?} after {gone:?}");

    // Internally: a release file deleted, then made anew under another
    // name with the same id, starts its own count at 1.
    let plan = front("Maps", "planned", "2026-12-10");
    repo.release("2026-12-10-maps", &plan, "").commit(
        "Dana Lee",
        "2026-11-15T09:00:00Z",
        "Plan maps",
    );
    repo.release("2026-12-10-maps", &format!("{plan}\nowner: Ann"), "")
        .commit("Dana Lee", "2026-11-16T09:00:00Z", "Owner");
    repo.remove("2026-12-10-maps")
        .commit("Sam Ortiz", "2026-11-17T09:00:00Z", "Drop maps");
    s.build();
    let gone = events(&s.read("internal/calendar.ics"))[&launch_uid("maps")].clone();
    assert_eq!(gone["STATUS"], "CANCELLED");
    repo.release("maps", &plan, "")
        .commit("Sam Ortiz", "2026-11-18T09:00:00Z", "Maps after all");
    s.build();
    let back = events(&s.read("internal/calendar.ics"))[&launch_uid("maps")].clone();
    assert_eq!(back["STATUS"], "TENTATIVE");
    assert!(seq(&back) > seq(&gone), "{back:?} after {gone:?}");
    assert!(back["DTSTAMP"] > gone["DTSTAMP"], "{back:?} after {gone:?}");
}

#[test]
fn an_event_back_long_after_its_cancellation_is_still_newer_than_it() {
    // Cancellations 60 days and more before the comeback: out of the 30
    // days of tombstones, but subscribed calendars still hold them.
    let mut repo = repo();
    let seq = |e: &Props| e["SEQUENCE"].parse::<u32>().unwrap();
    let shipped = front("Search", "shipped", "2026-08-10");
    repo.release("2026-08-10-search", &shipped, "").commit(
        "Dana Lee",
        "2026-08-10T09:00:00Z",
        "Ship",
    );
    repo.release("2026-08-10-search", &format!("{shipped}\nowner: Ann"), "")
        .commit("Dana Lee", "2026-08-11T09:00:00Z", "Owner");
    repo.release(
        "2026-08-10-search",
        &format!("{shipped}\nowner: Ann\nannounce: false"),
        "",
    )
    .commit("Sam Ortiz", "2026-08-12T09:00:00Z", "Hide it");
    let plan = front("Maps", "planned", "2026-12-10");
    repo.release("2026-12-10-maps", &plan, "").commit(
        "Dana Lee",
        "2026-08-15T09:00:00Z",
        "Plan maps",
    );
    repo.release("2026-12-10-maps", &format!("{plan}\nowner: Ann"), "")
        .commit("Dana Lee", "2026-08-16T09:00:00Z", "Owner");
    repo.remove("2026-12-10-maps")
        .commit("Sam Ortiz", "2026-08-17T09:00:00Z", "Drop maps");
    repo.site.now = "2026-08-20T12:00:00Z".into();
    repo.site.build();
    let external = events(&repo.site.read("external/calendar.ics"));
    let hidden = external[&launch_uid("search")].clone();
    assert_eq!(hidden["STATUS"], "CANCELLED");
    let internal = events(&repo.site.read("internal/calendar.ics"));
    let dropped = internal[&launch_uid("maps")].clone();
    assert_eq!(dropped["STATUS"], "CANCELLED");

    repo.release("2026-08-10-search", &format!("{shipped}\nowner: Ann"), "")
        .commit("Sam Ortiz", "2026-11-14T09:00:00Z", "Announce it again");
    repo.release("maps", &plan, "")
        .commit("Sam Ortiz", "2026-11-18T09:00:00Z", "Maps after all");
    repo.site.now = common::NOW.into();
    repo.site.build();
    let external = events(&repo.site.read("external/calendar.ics"));
    let back = &external[&launch_uid("search")];
    assert_eq!(back["STATUS"], "CONFIRMED");
    assert!(seq(back) > seq(&hidden), "{back:?} after {hidden:?}");
    assert!(
        back["DTSTAMP"] > hidden["DTSTAMP"],
        "{back:?} after {hidden:?}"
    );
    let internal = events(&repo.site.read("internal/calendar.ics"));
    let made_anew = &internal[&launch_uid("maps")];
    assert_eq!(made_anew["STATUS"], "TENTATIVE");
    assert!(
        seq(made_anew) > seq(&dropped),
        "{made_anew:?} after {dropped:?}"
    );
    assert!(made_anew["DTSTAMP"] > dropped["DTSTAMP"]);
    // Nothing else moves: a second build is byte for byte the same.
    let first = repo.site.read("external/calendar.ics");
    repo.site.build();
    assert_eq!(repo.site.read("external/calendar.ics"), first);
}

#[test]
fn a_removed_support_phase_or_end_of_life_of_a_public_release_is_cancelled_externally() {
    let repo = repo();
    let s = &repo.site;
    let shipped = front("Search", "shipped", "2026-10-01");
    let lifecycle = "support:\n  - {name: Active, until: 2027-03-31}\n  - {name: Maintenance, until: 2027-09-30}\neol: 2027-09";
    repo.release("2026-10-01-search", &format!("{shipped}\n{lifecycle}"), "")
        .commit(
            "Dana Lee",
            "2026-10-01T09:00:00Z",
            "Ship with a support window",
        );
    // An unannounced release: its support window never went out.
    let quiet = format!(
        "{}\nannounce: false\neol: 2027-06-30",
        front("Quiet", "shipped", "2026-10-02")
    );
    repo.release("2026-10-02-quiet", &quiet, "").commit(
        "Dana Lee",
        "2026-10-02T09:00:00Z",
        "Ship quietly",
    );
    repo.release(
        "2026-10-01-search",
        &format!("{shipped}\nsupport:\n  - {{name: Active, until: 2027-03-31}}"),
        "",
    )
    .commit(
        "Sam Ortiz",
        "2026-11-20T09:00:00Z",
        "No maintenance phase after all",
    );
    let quiet_now = format!(
        "{}\nannounce: false",
        front("Quiet", "shipped", "2026-10-02")
    );
    repo.release("2026-10-02-quiet", &quiet_now, "").commit(
        "Sam Ortiz",
        "2026-11-20T10:00:00Z",
        "No end of life either",
    );
    s.build();
    let text = s.read("external/calendar.ics");
    let external = events(&text);
    let active = &external["search.support.active@shipdate.local"];
    assert_eq!(active["STATUS"], "CONFIRMED");
    for uid in [
        "search.support.maintenance@shipdate.local",
        "search.eol.eol@shipdate.local",
    ] {
        let gone = external
            .get(uid)
            .unwrap_or_else(|| panic!("{uid} cancelled in {:?}", external.keys()));
        assert_eq!(gone["STATUS"], "CANCELLED", "{gone:?}");
        assert!(gone["SUMMARY"].starts_with("Search: "), "{gone:?}");
        assert_eq!(gone["DTSTAMP"], "20261120T090000Z");
        assert!(gone["SEQUENCE"].parse::<u32>().unwrap() > active["SEQUENCE"].parse().unwrap());
        assert!(!gone["DESCRIPTION"].contains("Sam Ortiz"), "{gone:?}");
    }
    assert_eq!(
        external["search.eol.eol@shipdate.local"]["DTSTART"], "20270930",
        "the end of life as it was published"
    );
    assert!(
        !text.contains("quiet."),
        "never public, so never cancelled publicly"
    );
    let internal = events(&s.read("internal/calendar.ics"));
    assert_eq!(
        internal["quiet.eol.eol@shipdate.local"]["STATUS"],
        "CANCELLED"
    );
}
