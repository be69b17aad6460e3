//! The boundaries of SPEC §5.2, one table: an all-day value counts as 09:00
//! in the release's zone, "by T-7d" includes T-7d, a date-only `due` covers
//! its whole day, `post-launch-review` only for releases with metrics;
//! cancelled releases are exempt from every warning and `tbd` releases from
//! the rules that need a date.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{CheckInput, RULES, run};
use crate::config::SiteConfig;
use crate::diagnostic::Severity;
use crate::history::History;

const CONFIG: &str = "timezone: America/New_York\nteams:\n  - {id: web}\n";

/// The rules that fire on `fronts` (files `a.md`, `b.md`, …) at `now`.
fn fired(fronts: &[&str], now: &str) -> Vec<&'static str> {
    let config = SiteConfig::parse(CONFIG, Path::new("shipdate.yaml")).expect("config");
    let texts: Vec<(PathBuf, String)> = fronts
        .iter()
        .zip(["a", "b"])
        .map(|(front, id)| {
            let text = format!(
                "---\ntitle: T\nteam: web\nowner: Ann\nsummary: Customer text.\n{front}\n---\n## New {{.external}}\nx\n"
            );
            (PathBuf::from(format!("content/{id}.md")), text)
        })
        .collect();
    let (content, errors) = crate::content::from_texts(&texts, &config, false);
    assert!(errors.is_empty(), "{fronts:?}: {errors:?}");
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(now).expect("now").into();
    let input = CheckInput {
        config: &config,
        releases: &content.releases,
        absent_ids: &HashSet::new(),
        history: &History::off("no git in unit tests"),
        now,
    };
    run(&input).iter().map(|d| d.rule).collect()
}

/// (rule, release fronts, now, fires, the rule needs a ship date)
type Case = (
    &'static str,
    &'static [&'static str],
    &'static str,
    bool,
    bool,
);

const MAJOR_DOCS: &str = "type: major\ndate: 2026-12-10\ngates:\n  - {name: Docs, kind: docs, status: pending, due: T-2w}";

const CASES: &[Case] = &[
    // post-launch-review: only for releases that define metrics.
    (
        "post-launch-review",
        &["type: patch\ndate: 2026-10-01\nstatus: shipped"],
        "2026-11-23T12:00:00Z",
        false,
        true,
    ),
    (
        "post-launch-review",
        &[
            "type: patch\ndate: 2026-10-01\nstatus: shipped\nmetrics:\n  - {name: Adoption, target: \">= 5%\"}",
        ],
        "2026-11-23T12:00:00Z",
        true,
        true,
    ),
    (
        "post-launch-review",
        &[
            "type: patch\ndate: 2026-10-01\nstatus: shipped\nmetrics:\n  - {name: Adoption, target: \">= 5%\", actual: 7%}",
        ],
        "2026-11-23T12:00:00Z",
        false,
        true,
    ),
    // gate-overdue: a date-only `due` covers its whole day; a clock time is itself.
    (
        "gate-overdue",
        &[
            "type: patch\ndate: 2026-12-10\ngates:\n  - {name: QA, kind: technical, status: pending, due: 2026-11-23}",
        ],
        "2026-11-23T23:59:00-05:00",
        false,
        false,
    ),
    (
        "gate-overdue",
        &[
            "type: patch\ndate: 2026-12-10\ngates:\n  - {name: QA, kind: technical, status: pending, due: 2026-11-23}",
        ],
        "2026-11-24T00:01:00-05:00",
        true,
        false,
    ),
    (
        "gate-overdue",
        &[
            "type: patch\ndate: 2026-12-10\ngates:\n  - {name: QA, kind: technical, status: pending, due: 2026-11-23T10:00}",
        ],
        "2026-11-23T09:59:00-05:00",
        false,
        false,
    ),
    (
        "gate-overdue",
        &[
            "type: patch\ndate: 2026-12-10\ngates:\n  - {name: QA, kind: technical, status: pending, due: 2026-11-23T10:00}",
        ],
        "2026-11-23T10:01:00-05:00",
        true,
        false,
    ),
    // docs-gate: "done by T-2w" includes T-2w (2026-11-26).
    (
        "docs-gate",
        &[MAJOR_DOCS],
        "2026-11-26T23:59:00-05:00",
        false,
        true,
    ),
    (
        "docs-gate",
        &[MAJOR_DOCS],
        "2026-11-27T00:01:00-05:00",
        true,
        true,
    ),
    (
        "docs-gate",
        &[
            "type: major\ndate: 2026-12-10\ngates:\n  - {name: Docs, kind: docs, status: pending, due: T-13d}",
        ],
        "2026-11-23T12:00:00Z",
        true,
        true,
    ),
    // breaking-change-notice: partners "by T-7d" includes T-7d.
    (
        "breaking-change-notice",
        &[
            "type: minor\ndate: 2026-12-10\nbreaking: true\ngates:\n  - {name: Guide, kind: docs, status: pending, due: T-2w}\nstakeholders: [{id: partners, at: T-7d}, support]",
        ],
        "2026-11-23T12:00:00Z",
        false,
        true,
    ),
    (
        "breaking-change-notice",
        &[
            "type: minor\ndate: 2026-12-10\nbreaking: true\ngates:\n  - {name: Guide, kind: docs, status: pending, due: T-2w}\nstakeholders: [{id: partners, at: T-6d}, support]",
        ],
        "2026-11-23T12:00:00Z",
        true,
        true,
    ),
    // affected-too-late: T-72h of an all-day date is 09:00 on T-3d, exactly `affected_lead`.
    (
        "affected-too-late",
        &["type: minor\ndate: 2026-12-10\nstakeholders: [support, {id: csm, at: T-72h}]"],
        "2026-11-23T12:00:00Z",
        false,
        true,
    ),
    (
        "affected-too-late",
        &["type: minor\ndate: 2026-12-10\nstakeholders: [support, {id: csm, at: T-3b}]"],
        "2026-11-23T12:00:00Z",
        false,
        true,
    ),
    (
        "affected-too-late",
        &["type: minor\ndate: 2026-12-10\nstakeholders: [support, {id: csm, at: T-71h}]"],
        "2026-11-23T12:00:00Z",
        true,
        true,
    ),
    // support-after-customers: the same time as partners is not after them.
    (
        "support-after-customers",
        &[
            "type: minor\ndate: 2026-12-10\nstakeholders: [{id: support, at: T-5b}, {id: partners, at: T-5b}]",
        ],
        "2026-11-23T12:00:00Z",
        false,
        true,
    ),
    (
        "support-after-customers",
        &[
            "type: minor\ndate: 2026-12-10\nstakeholders: [{id: support, at: T-4b}, {id: partners, at: T-5b}]",
        ],
        "2026-11-23T12:00:00Z",
        true,
        true,
    ),
    // support-not-notified: an all-day ship date is 09:00, so T-1h is before it and T is not.
    (
        "support-not-notified",
        &["type: minor\ndate: 2026-12-10\nstakeholders: [{id: support, at: T-1h}]"],
        "2026-11-23T12:00:00Z",
        false,
        true,
    ),
    (
        "support-not-notified",
        &["type: minor\ndate: 2026-12-10\nstakeholders: [{id: support, at: T}]"],
        "2026-11-23T12:00:00Z",
        true,
        true,
    ),
    // dependency-margin: one business day after an all-day 2026-12-01 is 09:00 on 12-02.
    (
        "dependency-margin",
        &[
            "type: patch\ndate: 2026-12-02T08:59\ndepends_on: [b]",
            "type: patch\ndate: 2026-12-01",
        ],
        "2026-11-23T12:00:00Z",
        true,
        true,
    ),
    (
        "dependency-margin",
        &[
            "type: patch\ndate: 2026-12-02T09:00\ndepends_on: [b]",
            "type: patch\ndate: 2026-12-01",
        ],
        "2026-11-23T12:00:00Z",
        false,
        true,
    ),
    // stale-status: more than one business day after 2026-11-19 (Thu) is after 09:00 Fri.
    (
        "stale-status",
        &["type: patch\ndate: 2026-11-19"],
        "2026-11-20T08:59:00-05:00",
        false,
        true,
    ),
    (
        "stale-status",
        &["type: patch\ndate: 2026-11-19"],
        "2026-11-20T09:01:00-05:00",
        true,
        true,
    ),
    // postmortem-missing: two business days after 2026-11-18 (Wed) is 09:00 Fri.
    (
        "postmortem-missing",
        &["type: patch\ndate: 2026-11-18\nstatus: rolled-back"],
        "2026-11-20T08:59:00-05:00",
        false,
        true,
    ),
    (
        "postmortem-missing",
        &["type: patch\ndate: 2026-11-18\nstatus: rolled-back"],
        "2026-11-20T09:01:00-05:00",
        true,
        true,
    ),
    // action-overdue: a due date covers its whole day.
    (
        "action-overdue",
        &[
            "type: patch\ndate: 2026-11-02\nstatus: shipped\noutcome:\n  actions: [{what: Add alert, owner: Bob, due: 2026-11-20}]",
        ],
        "2026-11-20T23:59:00-05:00",
        false,
        false,
    ),
    (
        "action-overdue",
        &[
            "type: patch\ndate: 2026-11-02\nstatus: shipped\noutcome:\n  actions: [{what: Add alert, owner: Bob, due: 2026-11-20}]",
        ],
        "2026-11-21T00:01:00-05:00",
        true,
        false,
    ),
];

/// `front` with `status:` set to `status` (or left planned when `None`).
fn with_status(front: &str, status: Option<&str>) -> String {
    let mut lines: Vec<String> = front
        .lines()
        .filter(|l| !l.starts_with("status:"))
        .map(str::to_string)
        .collect();
    lines.extend(status.map(|s| format!("status: {s}")));
    lines.join("\n")
}

#[test]
fn each_rule_honours_its_boundaries() {
    for (rule, fronts, now, fires, _) in CASES {
        let all = fired(fronts, now);
        assert_eq!(
            all.contains(rule),
            *fires,
            "{rule} at {now} on {fronts:?}: {all:?}"
        );
    }
}

#[test]
fn cancelled_releases_are_exempt_from_every_warning() {
    let warnings: HashSet<&str> = RULES
        .iter()
        .filter(|r| r.default == Severity::Warning)
        .map(|r| r.id)
        .collect();
    for (rule, fronts, now, fires, _) in CASES.iter().filter(|c| c.3) {
        let cancelled: Vec<String> = fronts
            .iter()
            .map(|f| with_status(f, Some("cancelled")))
            .collect();
        let cancelled: Vec<&str> = cancelled.iter().map(String::as_str).collect();
        let left: Vec<_> = fired(&cancelled, now)
            .into_iter()
            .filter(|id| warnings.contains(id))
            .collect();
        assert!(
            left.is_empty(),
            "{rule} (fires: {fires}) on cancelled {cancelled:?}: {left:?}"
        );
    }
}

#[test]
fn tbd_releases_are_exempt_from_the_rules_that_need_a_date() {
    for (rule, fronts, now, _, needs_date) in CASES.iter().filter(|c| c.3 && c.4) {
        // `tbd` is for planned releases only; every date of the fixture is undecided.
        let undecided: Vec<String> = fronts
            .iter()
            .map(|f| {
                let planned = with_status(f, None);
                planned
                    .lines()
                    .map(|l| {
                        if l.starts_with("date:") {
                            "date: tbd"
                        } else {
                            l
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        let undecided: Vec<&str> = undecided.iter().map(String::as_str).collect();
        let all = fired(&undecided, now);
        assert!(
            !all.contains(rule),
            "{rule} (needs a date: {needs_date}) fired on tbd {undecided:?}: {all:?}"
        );
    }
}
