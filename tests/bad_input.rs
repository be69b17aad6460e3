//! Property tests: arbitrary and near-miss text through every parser a release
//! file goes through (front matter and body, dates, offsets, metric targets).
//! Nothing panics, and every rejection of a release file is an error located
//! in that file, with a hint. Case counts are bounded so `cargo test` stays
//! quick; raise `PROPTEST_CASES` to search longer.

mod common;

use std::path::Path;

use chrono_tz::Tz;
use common::props::cases;
use proptest::prelude::*;
use shipdate::config::SiteConfig;
use shipdate::content::{markdown, split_front_matter};
use shipdate::metrics::target::{Bands, Quantity, Target};
use shipdate::moment::Moment;
use shipdate::offset::Offset;

/// Time zones with DST gaps, half-hour offsets and a skipped day.
fn zone() -> impl Strategy<Value = Tz> {
    prop::sample::select(vec![
        chrono_tz::UTC,
        chrono_tz::America::New_York,
        chrono_tz::Europe::Berlin,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Asia::Kathmandu,
        chrono_tz::Pacific::Apia,
    ])
}

/// Strings that look like the date forms, and plenty that nearly do.
fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,3}",
        "[0-9]{4}-[01][0-9]-[0-3][0-9][T t]?[0-2]?[0-9]:[0-6][0-9](:[0-6][0-9](\\.[0-9]{1,12})?)?( ?[Zz]| ?[+-][0-9]{2}:?[0-9]{2})?",
        "2026-(03-0[89]|03-29|10-25|11-01)T0[0-3]:[0-5][0-9]",
        "[ \t]*2026-12-01[ \t\u{a0}\u{feff}]*",
    ]
}

/// Like [`date_like`], but valid dates stay within a few years, so a whole
/// build renders a bounded number of month pages (years far apart are
/// rejected or kept in range by `Moment::parse`; see its tests).
fn near_date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "20[23][0-9]-[01][0-9]-[0-3][0-9]([T ][0-2][0-9]:[0-6][0-9](:[0-6][0-9])?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?",
        "2026-(03-0[89]|03-29|10-25|11-01)T0[0-3]:[0-5][0-9]",
        "[+-]?[0-9]{5,6}-[0-9]{1,2}-[0-9]{1,3}",
    ]
}

/// Offsets and near misses.
fn offset_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ ]?T[+-−]?[0-9]{0,9}[mhdwbsyx]?[ ]?",
        "T[+-][0-9]{1,6}[mhdwb]",
        "[tT][+-]{1,2}[0-9٣]{1,3}[mhdwb]{1,2}",
    ]
}

/// Metric targets and values and near misses.
fn quantity_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(<|<=|>|>=|=|==|≥|≤|=>)? ?[+-]?[0-9]{0,12}(\\.[0-9]{0,6})? ?(%|ms|s|m|h|d|x|µs|MS|%%)? ?",
        "[<>]=? ?[0-9]{300,320}(\\.[0-9])?(ms|d)?",
        "[<>]=? ?(NaN|inf|-inf|1e400|0x10|1_000)",
    ]
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn dates_parse_or_explain_and_round_trip(text in date_like(), tz in zone()) {
        match Moment::parse(&text, tz) {
            Ok(Moment::Day(d)) => {
                prop_assert_eq!(Moment::parse(&d.to_string(), tz), Ok(Moment::Day(d)));
            }
            Ok(Moment::At(t)) => {
                let again = Moment::parse(&t.to_rfc3339(), tz);
                prop_assert_eq!(again, Ok(Moment::At(t)));
            }
            Err(e) => prop_assert!(e.to_string().contains('`'), "quotes the input: {e}"),
        }
    }

    #[test]
    fn offsets_parse_or_explain_and_apply_without_panicking(
        text in offset_like(),
        tz in zone(),
        ship in date_like(),
    ) {
        match Offset::parse(&text) {
            Ok(offset) => {
                prop_assert_eq!(Offset::parse(&offset.to_string()), Ok(offset));
                prop_assert!(offset.amount.abs() < 1_000_000);
                // Even the largest offset from any ship date lands somewhere.
                if let Ok(ship) = Moment::parse(&ship, tz) {
                    let _ = ship.offset_by(offset, tz, &SiteConfig::default());
                }
            }
            Err(e) => prop_assert!(e.to_string().contains("is not an offset like")),
        }
    }

    #[test]
    fn metric_targets_and_values_parse_or_explain(
        target in quantity_like(),
        actual in quantity_like(),
    ) {
        let target = Target::parse(&target);
        let actual = Quantity::parse(&actual);
        for e in [target.as_ref().err(), actual.as_ref().err()].into_iter().flatten() {
            prop_assert!(!e.to_string().is_empty() && !e.hint().is_empty());
            prop_assert!(e.to_string().chars().count() < 300, "clipped: {e}");
        }
        if let Ok(t) = &target {
            let again = Target::parse(&t.to_string());
            prop_assert_eq!(again.as_ref(), Ok(t), "{} round-trips", t);
            if let Ok(a) = &actual {
                match t.status(Some(a), &Bands::default()) {
                    Ok(_) => prop_assert!(a.is_comparable(&t.bound)),
                    Err(e) => prop_assert!(!e.hint().is_empty()),
                }
            }
        }
    }

    #[test]
    fn any_text_splits_or_gets_a_located_error_and_any_body_renders(text in any::<String>()) {
        let lines = text.lines().count() as u64 + 1;
        match split_front_matter(&text, Path::new("a.md")) {
            Ok(split) => prop_assert!(split.yaml.len() + split.body.len() <= text.len()),
            Err(d) => {
                prop_assert!((1..=lines).contains(&d.position.line), "{d}");
                prop_assert!(d.hint.is_some());
            }
        }
        let body = markdown::render(&text);
        let mut anchors: Vec<&str> = body.sections.iter().map(|s| s.anchor.as_str()).collect();
        let count = anchors.len();
        anchors.sort_unstable();
        anchors.dedup();
        prop_assert_eq!(anchors.len(), count, "heading anchors are unique");
        prop_assert!(body.tasks_done <= body.tasks_total);
    }
}

/// A front-matter line: real keys with tricky values, typos, and YAML junk.
fn front_line() -> impl Strategy<Value = String> {
    let quoted = |s: String| serde_json::to_string(&s).unwrap();
    prop_oneof![
        near_date_like().prop_map(move |d| format!("date: {}", quoted(d))),
        near_date_like().prop_map(move |d| format!("announce: {}", quoted(d))),
        offset_like().prop_map(move |o| format!("milestones:\n  - {{name: M, at: {}}}", quoted(o))),
        near_date_like().prop_map(move |d| format!("milestones:\n  - {{name: M, date: {}}}", quoted(d))),
        (offset_like(), "[0-9a-z]{0,4}").prop_map(move |(o, d)| format!(
            "rollout:\n  strategy: canary\n  phases:\n    - {{name: P, percent: 5, at: {}, duration: {}}}",
            quoted(o),
            quoted(d)
        )),
        (quantity_like(), quantity_like()).prop_map(move |(t, a)| format!(
            "metrics:\n  - {{name: X, target: {}, actual: {}}}",
            quoted(t),
            quoted(a)
        )),
        prop::sample::select(vec![
            "type: minor", "type: launch", "type: minr", "status: shipped", "status: done",
            "team: web", "team: [web]", "teams: [a, a]", "depends_on: [nope]", "titel: typo",
            "risk: high", "draft: yes", "roadmap: month", "stakeholders: [martians]",
            "gates:\n  - {name: G, kind: docs, status: done}", "extra: &a {x: *a}",
            "extra: {a: [1, {b: ~}]}", "outcome: {rolled_back: maybe}", "id: UPPER CASE",
            "? complex\n: key", "title: |\n  multi\n  line", "---", "...", "%YAML 1.2",
        ])
        .prop_map(str::to_string),
        "[ -~\t]{0,40}",
        any::<String>().prop_map(|s| s.replace(['\n', '\r'], " ")),
    ]
}

/// A Markdown body with the constructs the audience split cares about.
fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "## New {.external}",
                "### Sub {.internal}",
                "# H1 {#same}",
                "## H {#same}",
                "- [ ] todo",
                "- [x] done",
                "[^1]: note",
                "text[^1]",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "<!-- secret -->",
                "```\n## not a heading\n```",
                "[link]: https://x",
                "---",
                "***",
                "<div>raw",
                "</div>",
                "> quote",
                "    indented code",
                "~~gone~~",
            ])
            .prop_map(str::to_string),
            any::<String>(),
        ],
        0..8,
    )
    .prop_map(|parts| parts.join("\n\n"))
}

proptest! {
    #![proptest_config(cases(64))]

    /// Whole release files through a real build.
    #[test]
    fn release_files_build_or_every_error_is_located_with_a_hint(
        lines in prop::collection::vec(front_line(), 0..6),
        body in body(),
        base in any::<bool>(),
    ) {
        let site = common::SiteTest::new();
        let mut front = lines.join("\n");
        if base {
            front = format!("title: T\nteam: web\ntype: patch\ndate: 2026-12-01\n{front}");
        }
        let text = format!("---\n{front}\n---\n{body}");
        site.write("content/releases/r.md", &text);
        let file_lines = text.lines().count() as u64 + 1;
        match shipdate::build(&site.options()) {
            Ok(_) => prop_assert!(site.exists("internal/index.html")),
            Err(shipdate::BuildError::Content(diagnostics)) => {
                prop_assert!(diagnostics.iter().any(|d| d.is_error()));
                for d in &diagnostics {
                    prop_assert_eq!(&d.path, Path::new("content/releases/r.md"), "{}", d);
                    prop_assert!((1..=file_lines).contains(&d.position.line), "{}", d);
                    prop_assert!(d.position.column >= 1, "{}", d);
                    prop_assert!(d.hint.is_some(), "no hint: {}", d);
                }
                prop_assert!(!site.out("").exists() || std::fs::read_dir(site.out("")).unwrap().next().is_none(),
                    "a failed build writes nothing");
            }
            Err(other) => prop_assert!(false, "not a content error: {}", other),
        }
    }
}
