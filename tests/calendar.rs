//! iCal feeds and calendar pages (SPEC §4.1), parsed back with the `ical` crate.

mod common;

use std::collections::BTreeMap;
use std::io::BufReader;

use common::SiteTest;

/// One parsed VEVENT: property name → (params, value).
type Props = BTreeMap<String, (Vec<(String, Vec<String>)>, String)>;

fn parse(text: &str) -> (Props, Vec<Props>) {
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = calendars.next().expect("one calendar").expect("parses");
    assert!(calendars.next().is_none(), "exactly one VCALENDAR");
    let props = |list: &[ical::property::Property]| -> Props {
        list.iter()
            .map(|p| {
                (
                    p.name.clone(),
                    (
                        p.params.clone().unwrap_or_default(),
                        p.value.clone().unwrap_or_default(),
                    ),
                )
            })
            .collect()
    };
    (
        props(&cal.properties),
        cal.events.iter().map(|e| props(&e.properties)).collect(),
    )
}

fn by_uid(events: &[Props]) -> BTreeMap<String, Props> {
    events
        .iter()
        .map(|e| (e["UID"].1.clone(), e.clone()))
        .collect()
}

/// What no validator catches: long lines, bare LF, TZID, METHOD.
fn lint(name: &str, text: &str) {
    assert!(text.ends_with("\r\n"), "{name}: must end with CRLF");
    for (i, line) in text.split("\r\n").enumerate() {
        assert!(line.len() <= 75, "{name}:{}: {} octets", i + 1, line.len());
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "{name}:{}: bare LF or CR",
            i + 1
        );
    }
    assert!(!text.contains("TZID"), "{name}: TZID");
    assert!(!text.contains("METHOD:"), "{name}: METHOD");
    assert!(!text.contains("BEGIN:VTIMEZONE"), "{name}: VTIMEZONE");
}

fn site() -> SiteTest {
    let site = SiteTest::with_config(
        "title: Acme\nbase_url: https://acme.example/releases/\ntimezone: America/New_York\nuid_domain: releases.acme.example\nteams:\n  - {id: api, name: Platform API}\n  - {id: mobile, name: Mobile}\n  - {id: web, name: Web}\nholidays: [2026-11-26]\n",
    );
    site.release(
        "2026-11-03-api-v3",
        "title: API v3\nteam: api\ntype: major\nstatus: shipped\ndate: 2026-11-03T10:00\nsummary: New API; faster, safer.\nmilestones:\n  - {name: Partner sandbox, at: T-10b}\nrollout:\n  strategy: canary\n  phases:\n    - {name: Canary, percent: 5, at: T, duration: 2d}\nrollback: {plan: Revert.}",
        "## New {.external}\nx\n",
    );
    site.release(
        "2026-12-03-mobile-4-20",
        "title: Mobile 4.20\nteam: mobile\nteams: [web]\ntype: minor\ndate: 2026-12-03\nsummary: Saved cards.\ndepends_on: [api-v3]\nstakeholders: [{id: support, at: T-2h}, csm]",
        "",
    );
    site.release("2026-12-10-cancelled", "title: Dropped\nteam: web\ntype: patch\nstatus: cancelled\ndate: 2026-12-10\nstakeholders: [support]", "");
    site
}

#[test]
fn every_feed_parses_and_passes_the_lint() {
    let site = site();
    site.build();
    let feeds: Vec<(String, Vec<u8>)> = site
        .files("")
        .into_iter()
        .filter(|(p, _)| p.ends_with(".ics"))
        .collect();
    let names: Vec<&str> = feeds.iter().map(|(p, _)| p.as_str()).collect();
    for expected in [
        "internal/calendar.ics",
        "internal/teams/api.ics",
        "internal/teams/mobile.ics",
        "internal/teams/web.ics",
        "internal/stakeholders/support.ics",
        "internal/stakeholders/partners.ics",
        "external/calendar.ics",
    ] {
        assert!(names.contains(&expected), "missing {expected} in {names:?}");
    }
    for (path, bytes) in &feeds {
        let text = String::from_utf8(bytes.clone()).unwrap();
        lint(path, &text);
        let (cal, events) = parse(&text);
        assert_eq!(cal["VERSION"].1, "2.0");
        assert!(cal["PRODID"].1.contains("shipdate"));
        assert!(cal["X-WR-CALNAME"].1.starts_with("Acme"));
        assert_eq!(cal["NAME"].1, cal["X-WR-CALNAME"].1);
        assert_eq!(
            cal["REFRESH-INTERVAL"].0,
            vec![("VALUE".to_string(), vec!["DURATION".to_string()])]
        );
        assert!(cal.contains_key("X-PUBLISHED-TTL"));
        for e in &events {
            for key in [
                "UID",
                "DTSTAMP",
                "LAST-MODIFIED",
                "SEQUENCE",
                "DTSTART",
                "DTEND",
                "SUMMARY",
                "STATUS",
                "URL",
                "CATEGORIES",
            ] {
                assert!(e.contains_key(key), "{path}: event without {key}: {e:?}");
            }
            assert!(e["UID"].1.ends_with("@releases.acme.example"));
            assert!(
                e["URL"]
                    .1
                    .starts_with("https://acme.example/releases/releases/")
            );
        }
    }
}

#[test]
fn times_are_utc_across_dst_and_all_day_events_end_the_next_day() {
    let site = site();
    site.build();
    let (_, events) = parse(&site.read("internal/calendar.ics"));
    let events = by_uid(&events);
    // 10:00 New York on the Tuesday after DST ended (1 Nov 2026) is 15:00Z.
    let ship = &events["api-v3.launch.ship@releases.acme.example"];
    assert_eq!(ship["DTSTART"].1, "20261103T150000Z");
    assert_eq!(ship["DTEND"].1, "20261103T153000Z");
    // Code freeze T-2w keeps the local time: 10:00 EDT on 20 Oct is 14:00Z.
    assert_eq!(
        events["api-v3.milestone.code-freeze@releases.acme.example"]["DTSTART"].1,
        "20261020T140000Z"
    );
    // T-10b skips weekends: 10 business days before Tue 3 Nov is Tue 20 Oct.
    assert_eq!(
        events["api-v3.milestone.partner-sandbox@releases.acme.example"]["DTSTART"].1,
        "20261020T140000Z"
    );
    // A 2-day phase ends 2 days later.
    let canary = &events["api-v3.phase.canary@releases.acme.example"];
    assert_eq!(
        (canary["DTSTART"].1.as_str(), canary["DTEND"].1.as_str()),
        ("20261103T150000Z", "20261105T150000Z")
    );
    // All-day launch: VALUE=DATE with an exclusive end.
    let mobile = &events["mobile-4-20.launch.ship@releases.acme.example"];
    assert_eq!(
        mobile["DTSTART"],
        (
            vec![("VALUE".into(), vec!["DATE".into()])],
            "20261203".into()
        )
    );
    assert_eq!(mobile["DTEND"].1, "20261204");
    // Support is told T-2h (the release's own offset) of an all-day date: 07:00 EST = 12:00Z.
    assert_eq!(
        events["mobile-4-20.notification.support@releases.acme.example"]["DTSTART"].1,
        "20261203T120000Z"
    );
    // CSM is told T-4b, all day, skipping Thanksgiving (a holiday) and the weekend.
    assert_eq!(
        events["mobile-4-20.notification.csm@releases.acme.example"]["DTSTART"].1,
        "20261127"
    );
}

#[test]
fn statuses_follow_the_release() {
    let site = site();
    site.build();
    let (_, events) = parse(&site.read("internal/calendar.ics"));
    let events = by_uid(&events);
    assert_eq!(
        events["api-v3.launch.ship@releases.acme.example"]["STATUS"].1,
        "CONFIRMED"
    );
    assert_eq!(
        events["mobile-4-20.launch.ship@releases.acme.example"]["STATUS"].1,
        "TENTATIVE"
    );
    assert_eq!(
        events["cancelled.launch.ship@releases.acme.example"]["STATUS"].1,
        "CANCELLED"
    );
    let cats = &events["mobile-4-20.launch.ship@releases.acme.example"]["CATEGORIES"].1;
    assert_eq!(cats, "Mobile,minor,launch");
}

#[test]
fn team_and_stakeholder_feeds_hold_only_their_events() {
    let site = site();
    site.build();
    let uids =
        |path: &str| -> Vec<String> { by_uid(&parse(&site.read(path)).1).into_keys().collect() };
    let web = uids("internal/teams/web.ics");
    assert!(
        web.iter().any(|u| u.starts_with("mobile-4-20.")),
        "involved team sees the release"
    );
    assert!(web.iter().any(|u| u.starts_with("cancelled.")));
    assert!(!web.iter().any(|u| u.starts_with("api-v3.")));
    let support = uids("internal/stakeholders/support.ics");
    assert!(
        support.contains(&"mobile-4-20.notification.support@releases.acme.example".to_string())
    );
    assert!(
        support.contains(&"mobile-4-20.launch.ship@releases.acme.example".to_string()),
        "launches they are told about"
    );
    assert!(
        !support.iter().any(|u| u.contains(".notification.csm")),
        "only its own notifications"
    );
    assert!(!support.iter().any(|u| u.contains(".milestone.")));
    let partners = uids("internal/stakeholders/partners.ics");
    assert!(
        partners.iter().all(|u| u.starts_with("api-v3.")),
        "{partners:?}"
    );
}

#[test]
fn stakeholder_feeds_follow_the_group_level() {
    let site = site();
    site.build();
    let uids =
        |path: &str| -> Vec<String> { by_uid(&parse(&site.read(path)).1).into_keys().collect() };
    let has = |list: &[String], uid: &str| list.contains(&format!("{uid}@releases.acme.example"));
    // Critical (partners): notification, launch and every rollout phase.
    let partners = uids("internal/stakeholders/partners.ics");
    for uid in [
        "api-v3.notification.partners",
        "api-v3.launch.ship",
        "api-v3.phase.canary",
    ] {
        assert!(has(&partners, uid), "partners lack {uid}: {partners:?}");
    }
    // Affected (csm): notification and launch, no phases.
    let csm = uids("internal/stakeholders/csm.ics");
    assert!(has(&csm, "api-v3.notification.csm") && has(&csm, "api-v3.launch.ship"));
    assert!(has(&csm, "mobile-4-20.launch.ship"), "{csm:?}");
    assert!(!csm.iter().any(|u| u.contains(".phase.")), "{csm:?}");
    // Informed (company): only its notification, the day after.
    let company = uids("internal/stakeholders/company.ics");
    assert_eq!(
        company,
        ["api-v3.notification.company@releases.acme.example"],
        "{company:?}"
    );
    let feed = site.read("internal/stakeholders/company.ics");
    // T+1b of Tue 3 Nov 10:00 New York keeps the clock time: Wed 4 Nov 15:00Z.
    assert!(feed.contains("DTSTART:20261104T150000Z"), "{feed}");
}

#[test]
fn external_feed_has_only_announced_launches_with_public_text() {
    let site = site();
    site.build();
    let text = site.read("external/calendar.ics");
    let (_, events) = parse(&text);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e["UID"].1, "api-v3.launch.ship@releases.acme.example");
    assert_eq!(e["SUMMARY"].1, "API v3");
    assert_eq!(
        e["DESCRIPTION"].1, "New API\\; faster\\, safer.",
        "summary as description, TEXT-escaped"
    );
    assert_eq!(e["URL"].1, "https://acme.example/releases/releases/api-v3/");
    assert!(
        !text.contains("Platform API") && !text.contains("Revert"),
        "no internal data"
    );
}

#[test]
fn uids_are_stable_when_releases_are_added_and_builds_are_byte_identical() {
    let site = site();
    site.build();
    let before = by_uid(&parse(&site.read("internal/calendar.ics")).1);
    let bytes = site.files("");
    site.build();
    assert_eq!(
        bytes,
        site.files(""),
        "identical input and now give identical bytes"
    );
    site.release(
        "2026-11-20-other",
        "title: Other\nteam: web\ntype: major\ndate: 2026-11-20",
        "",
    );
    site.build();
    let after = by_uid(&parse(&site.read("internal/calendar.ics")).1);
    for (uid, event) in &before {
        assert_eq!(
            after.get(uid),
            Some(event),
            "{uid} changed when another release was added"
        );
    }
    assert!(after.len() > before.len());
}

#[test]
fn calendar_pages_have_agenda_months_filters_and_subscribe_links() {
    let mut site = site();
    site.now = "2026-11-23T12:00:00Z".into();
    site.build();
    let agenda = site.read("internal/calendar/index.html");
    assert!(agenda.contains("webcal://acme.example/releases/calendar.ics"));
    assert!(agenda.contains("https://acme.example/releases/teams/mobile.ics"));
    assert!(agenda.contains("Google Calendar") && agenda.contains("Outlook"));
    assert!(agenda.contains(r#"id="ft-mobile""#) && agenda.contains(r#"id="fk-notification""#));
    assert!(
        agenda.contains("t-mobile t-web"),
        "events carry every team for filtering"
    );
    assert!(agenda.contains("<details class=\"past-events\">"));
    let month = site.read("internal/calendar/2026-12/index.html");
    assert!(month.contains("Ship: Mobile 4.20"));
    // A chip's text names the event and its release; its title adds the
    // kind only, not the text a second time.
    assert!(month.contains(r#"title="Launch">"#), "{month}");
    assert!(!month.contains(r#"title="Launch: "#), "{month}");
    assert!(
        site.read("internal/calendar/2026-11/index.html")
            .contains("is-today")
    );
    assert!(
        site.exists("internal/calendar/2026-10/index.html"),
        "months from the first event on"
    );
    let external = site.read("external/calendar/index.html");
    assert!(external.contains("API v3") && !external.contains("Mobile 4.20"));
}

#[test]
fn freeze_windows_are_shaded_in_month_grids() {
    let site = SiteTest::with_config(
        "freeze:\n  - {name: Year-end freeze, start: 2026-12-20, end: 2027-01-04}\n",
    );
    site.release(
        "a",
        "title: A\nteam: web\ntype: patch\ndate: 2026-12-15",
        "",
    );
    site.build();
    let month = site.read("internal/calendar/2026-12/index.html");
    assert!(month.contains(r#"title="Year-end freeze""#));
    // 20–31 December, plus 1–3 January shown at the end of the last week.
    assert_eq!(month.matches(" frozen").count(), 15);
}

/// Runs a Python script with `icalendar` when available (always under CI=true).
#[test]
fn python_icalendar_reads_every_feed_the_same_way() {
    let have = std::process::Command::new("python3")
        .args(["-c", "import icalendar, recurring_ical_events"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !have {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must install icalendar and recurring-ical-events (see .ci/run)"
        );
        eprintln!("skipped: python3 with icalendar and recurring-ical-events not found");
        return;
    }
    let site = site();
    site.build();
    let out = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/tools/check_ics.py"
        ))
        .arg(site.out(""))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The script prints `path count first-uid first-start` per feed; compare with ical's view.
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let (_, events) = parse(&site.read(parts[0]));
        assert_eq!(parts[1].parse::<usize>().unwrap(), events.len(), "{line}");
        if let Some(first) = events.first() {
            assert_eq!(parts[2], first["UID"].1, "{line}");
            assert_eq!(parts[3], first["DTSTART"].1, "{line}");
        }
    }
    assert!(stdout.lines().count() >= 7, "{stdout}");
}

#[test]
fn only_months_with_events_get_pages() {
    let site = SiteTest::new();
    site.release(
        "a",
        "title: A\nteam: web\ntype: patch\ndate: 2026-12-15",
        "",
    );
    site.release(
        "b",
        "title: B\nteam: web\ntype: patch\ndate: 2027-12-15",
        "",
    );
    site.build();
    assert!(site.exists("internal/calendar/2026-12/index.html"));
    assert!(site.exists("internal/calendar/2027-12/index.html"));
    for empty in ["2027-01", "2027-06", "2027-11"] {
        assert!(
            !site.exists(&format!("internal/calendar/{empty}/index.html")),
            "{empty} holds no event"
        );
    }
    let december = site.read("internal/calendar/2026-12/index.html");
    assert!(december.contains(r#"href="../../calendar/2027-12/index.html" rel="next""#));
}

#[test]
fn every_clock_time_names_its_zone_and_rows_name_teams() {
    let site = SiteTest::with_config(
        "timezone: America/New_York\nteams:\n  - {id: web, name: Web app}\n  - {id: api, name: Platform API}\n",
    );
    site.release(
        "berlin",
        "title: Berlin launch\nteam: web\ntype: patch\ndate: 2026-12-01T09:00\ntimezone: Europe/Berlin",
        "",
    );
    site.release(
        "new-york",
        "title: New York launch\nteam: api\ntype: patch\ndate: 2026-12-01T10:00",
        "",
    );
    site.build();
    for path in [
        "internal/calendar/index.html",
        "internal/index.html",
        "internal/teams/web/index.html",
        "internal/calendar/2026-12/index.html",
        "internal/releases/berlin/index.html",
    ] {
        let page = site.read(path);
        assert!(page.contains("09:00 CET"), "{path} names Berlin's zone");
        // No bare clock time: every HH:MM is followed by a zone.
        let bare = page.match_indices(':').filter(|(i, _)| {
            let b = page.as_bytes();
            *i >= 2
                && *i + 3 < b.len()
                && b[i - 2..*i].iter().all(u8::is_ascii_digit)
                && b[i + 1..i + 3].iter().all(u8::is_ascii_digit)
                && (*i < 3 || !b[i - 3].is_ascii_digit() && b[i - 3] != b'T')
                && b[i + 3] == b'<'
        });
        assert_eq!(bare.count(), 0, "{path} shows a time without its zone");
    }
    let agenda = site.read("internal/calendar/index.html");
    assert!(agenda.contains("10:00 EST"));
    assert!(agenda.contains(r#"<span class="meta">Web app</span>"#));
    assert!(!agenda.contains(r#"<span class="meta">web</span>"#));
}

#[test]
fn a_feed_name_does_not_repeat_what_the_site_title_says() {
    let site = SiteTest::with_config("title: Kubernetes releases\n");
    site.release(
        "a",
        "title: A\nteam: web\ntype: minor\ndate: 2026-12-01\nsummary: A.\nannounce: true",
        "",
    );
    site.build();
    let (external, _) = parse(&site.read("external/calendar.ics"));
    assert_eq!(external["X-WR-CALNAME"].1, "Kubernetes releases");
    let (internal, _) = parse(&site.read("internal/calendar.ics"));
    assert_eq!(
        internal["X-WR-CALNAME"].1,
        "Kubernetes releases · All releases"
    );
}
