//! Post-release metrics (SPEC §4.2): statuses, aggregates, triggers, charts.

mod common;

use common::SiteTest;

const CONFIG: &str = "teams:\n  - {id: web, name: Web}\n  - {id: api, name: API}\nthresholds:\n  support_tickets_per_release: 20\n  coordination_hours_per_release: 20\n  rollback_rate: 10%\n  partner_complaints: 3\n";

fn site() -> SiteTest {
    let site = SiteTest::with_config(CONFIG);
    site.release(
        "2026-10-06-a",
        r#"title: Adoption win
team: web
type: minor
status: shipped
date: 2026-10-06
metrics:
  - {name: Adoption, baseline: 0%, target: ">= 25%", actual: 31%}
  - {name: NPS, target: ">= 10", actual: 8}
  - {name: Support tickets, target: "< 100", actual: 87}
  - {name: P99 latency, target: "< 250ms", actual: 1s}
  - {name: Conversion, target: ">= 3%"}
outcome: {support_tickets: 12, coordination_hours: 8, partner_complaints: 0, root_causes: [communication-gap]}"#,
        "",
    );
    site.release(
        "2026-11-10-b",
        r#"title: Pricing change
team: api
type: major
status: rolled-back
date: 2026-11-10
outcome:
  rolled_back: true
  rollback_level: 2
  support_tickets: 140
  coordination_hours: 35
  partner_complaints: 5
  root_causes: [timing-misalignment]
  incidents:
    - {severity: P1, summary: Double charges, root_cause: configuration-drift}
    - {severity: p2, summary: Wrong invoice text}"#,
        "",
    );
    site.release("2026-11-12-c", "title: Quiet fix\nteam: api\ntype: patch\nstatus: shipped\ndate: 2026-11-12\noutcome: {support_tickets: 2}", "");
    site.release(
        "2027-01-10-d",
        "title: Future\nteam: web\ntype: minor\ndate: 2027-01-10\noutcome: {support_tickets: 999}",
        "",
    );
    site
}

#[test]
fn statuses_follow_the_worked_examples() {
    let site = site();
    site.build();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("internal/releases.json")).unwrap();
    let a = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "a")
        .unwrap();
    let statuses: Vec<&str> = a["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["exceeded", "close", "met", "missed", "pending"]);
    let page = site.read("internal/releases/a/index.html");
    assert!(page.contains(r#"<span class="badge st-exceeded">exceeded</span>"#));
}

#[test]
fn aggregates_cover_shipped_releases_only() {
    let site = site();
    site.build();
    let m: serde_json::Value = serde_json::from_str(&site.read("internal/metrics.json")).unwrap();
    let overall = &m["overall"];
    assert_eq!(overall["shipped"], 3);
    assert_eq!(overall["rolled_back"], 1);
    assert!((overall["rollback_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        overall["support_tickets"]["total"], 154.0,
        "the unshipped release's 999 is not counted"
    );
    assert_eq!(overall["support_tickets"]["reported"], 3);
    assert_eq!(overall["coordination_hours"]["per_release"], 21.5);
    assert_eq!(overall["incidents"], 2);
    assert_eq!(
        m["incidents_by_severity"],
        serde_json::json!({"P1": 1, "P2": 1})
    );
    assert_eq!(
        m["root_causes"],
        serde_json::json!({"communication-gap": 1, "configuration-drift": 1, "timing-misalignment": 1})
    );
    let quarters: Vec<&str> = m["by_quarter"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(quarters, ["2026-Q4"]);
    let teams: Vec<(&str, u64)> = m["by_team"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["shipped"].as_u64().unwrap()))
        .collect();
    assert_eq!(teams, [("api", 2), ("web", 1)]);
    assert_eq!(m["statuses"]["exceeded"], 1);
}

#[test]
fn crossed_thresholds_become_actions_naming_their_releases() {
    let site = site();
    site.build();
    let m: serde_json::Value = serde_json::from_str(&site.read("internal/metrics.json")).unwrap();
    let ids: Vec<&str> = m["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "support_tickets_per_release",
            "coordination_hours_per_release",
            "partner_complaints",
            "rollback_rate"
        ]
    );
    for t in m["triggers"].as_array().unwrap() {
        let releases: Vec<&str> = t["releases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[0].as_str().unwrap())
            .collect();
        assert_eq!(releases, ["b"], "{t}");
    }
    let page = site.read("internal/metrics/index.html");
    assert!(page.contains("Involve support in release planning"));
    assert!(page.contains("Expand automated tests"));
    assert!(page.contains("Review API versioning"));
    assert!(page.contains("Review the release planning process"));
}

#[test]
fn below_thresholds_no_action() {
    let site = SiteTest::with_config(CONFIG);
    site.release("a", "title: A\nteam: web\ntype: patch\nstatus: shipped\ndate: 2026-11-02\noutcome: {support_tickets: 20, coordination_hours: 20, partner_complaints: 3}", "");
    site.build();
    let m: serde_json::Value = serde_json::from_str(&site.read("internal/metrics.json")).unwrap();
    assert_eq!(
        m["triggers"],
        serde_json::json!([]),
        "equal to the threshold is not above it"
    );
    assert!(
        site.read("internal/metrics/index.html")
            .contains("No threshold crossed")
    );
}

#[test]
fn charts_are_inline_accessible_svg_with_tables() {
    let site = site();
    site.build();
    let page = site.read("internal/metrics/index.html");
    assert_eq!(
        page.matches("<svg class=\"chart\"").count(),
        5,
        "tickets, rollbacks and on time by month, causes, criteria"
    );
    assert!(page.contains(r#"role="img" aria-labelledby="chart-causes-title chart-causes-desc""#));
    assert!(page.contains("<title id=\"chart-causes-title\">Root causes</title>"));
    assert!(
        page.contains("<td>Configuration drift</td><td>1</td>"),
        "text alternative table"
    );
    assert!(!page.contains("<script src=\"http"), "no external scripts");
}

#[test]
fn metrics_never_reach_the_external_site() {
    let site = site();
    site.build();
    for (path, bytes) in site.files("external") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Double charges")
                && !text.contains("metrics.json")
                && !text.contains("Adoption"),
            "{path}"
        );
    }
    assert!(!site.exists("external/metrics/index.html"));
}

#[test]
fn bad_targets_and_values_are_located_content_errors() {
    let site = SiteTest::new();
    site.release("a", "title: A\nteam: web\ntype: minor\ndate: 2026-12-01\nmetrics:\n  - {name: X, target: \"about 25%\"}\n  - {name: Y, target: \"< 5 parsecs\"}", "");
    site.release("b", "title: B\nteam: web\ntype: minor\ndate: 2026-12-01\nmetrics:\n  - {name: Z, target: \">= 25%\", actual: 31ms}", "");
    site.release(
        "c",
        "title: C\nteam: web\ntype: minor\ndate: 2026-12-01\nmetrics:\n  - {name: W, actual: 3}",
        "",
    );
    let errors = site.build_err();
    let a: Vec<_> = errors.iter().filter(|e| e.path.ends_with("a.md")).collect();
    assert_eq!(a.len(), 2, "{errors:?}");
    assert_eq!((a[0].position.line, a[1].position.line), (7, 8));
    assert!(
        a.iter()
            .all(|e| e.rule == "invalid-metric" && e.hint.is_some())
    );
    assert!(a[1].message.contains("parsecs"));
    let b = errors.iter().find(|e| e.path.ends_with("b.md")).unwrap();
    assert!(b.message.contains("cannot compare"), "{}", b.message);
    assert!(
        errors
            .iter()
            .any(|e| e.path.ends_with("c.md") && e.message.contains("no target"))
    );
}

/// Trends by month with threshold lines, success criteria of shipped
/// releases only, and a delayed release counted as not on time, per team too.
#[test]
fn monthly_trends_shipped_criteria_and_delays() {
    let site = SiteTest::with_config(
        "teams:\n  - {id: web, name: Web app}\n  - {id: api, name: Platform API}\nthresholds:\n  support_tickets_per_release: 20\n",
    );
    site.release(
        "oct",
        "title: Oct\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-10-06\nmetrics:\n  - {name: Adoption, target: \">= 25%\", actual: 31%}\noutcome: {support_tickets: 30}",
        "",
    );
    site.release(
        "nov",
        "title: Nov\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-11-03\noutcome: {support_tickets: 10}",
        "",
    );
    site.release(
        "later",
        "title: Later\nteam: api\ntype: minor\ndate: 2027-01-12\nmetrics:\n  - {name: A, target: \">= 1%\"}\n  - {name: B, target: \">= 1%\"}",
        "",
    );
    site.release(
        "late",
        "title: Late\nteam: api\ntype: minor\nstatus: delayed\ndate: 2026-11-30",
        "",
    );
    site.build();
    let m: serde_json::Value = serde_json::from_str(&site.read("internal/metrics.json")).unwrap();
    assert_eq!(
        m["statuses"],
        serde_json::json!({"exceeded": 1}),
        "no Pending from unshipped releases"
    );
    let months: Vec<(&str, u64)> = m["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["shipped"].as_u64().unwrap()))
        .collect();
    assert_eq!(months, [("2026-10", 1), ("2026-11", 1)]);
    // The delayed release is known to be late, overall and for its team.
    assert_eq!(m["overall"]["delayed"], 1);
    assert_eq!(m["overall"]["on_time"], 0);
    assert_eq!(m["overall"]["on_time_known"], 1);
    let api = m["by_team"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "api")
        .unwrap();
    assert_eq!(
        (api["on_time_known"].as_u64(), api["shipped"].as_u64()),
        (Some(1), Some(0))
    );
    let page = site.read("internal/metrics/index.html");
    assert!(
        page.contains("0% on time") || page.contains(">0%</span>"),
        "a delayed release is not on time"
    );
    assert!(!page.contains(">100%</span><span class=\"stat-label\">on time"));
    assert!(page.contains("1 delayed, counted as late"));
    let tickets = &page[page.find("id=\"chart-tickets\"").unwrap()..];
    let tickets = &tickets[..tickets.find("</svg>").unwrap()];
    assert!(
        tickets.contains("class=\"threshold\"") && tickets.contains(">threshold 20<"),
        "{tickets}"
    );
    assert!(tickets.contains(">Oct 2026<") && tickets.contains(">Nov 2026<"));
    assert!(page.contains("<th scope=\"row\">Nov 2026</th>"));
}
