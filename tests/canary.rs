//! Nothing internal may reach any external file: every internal field and
//! section of these releases carries a canary, and no external file may hold one.

mod common;

use common::SiteTest;

const CONFIG: &str = r##"title: Acme
base_url: https://acme.example/releases/
teams:
  - {id: web, name: Web}
  - {id: canary-team, name: Canary Team Name, contact: "#canary-channel", product: Public product}
stakeholders:
  - {id: canary-group, name: Canary Group, level: critical, at: T-3d, channel: Canary channel, content: Canary content}
trains:
  - {id: canary-train, name: Canary train name, team: canary-team, every: 1w, first: 2026-11-03T10:00, milestones: [{name: Canary train milestone, at: T-1b}]}
extra: {motto: canary-extra}
"##;

const PUBLIC_RELEASE: &str = r#"title: Public launch
version: 1.2.0
team: canary-team
teams: [web]
type: launch
status: shipped
date: 2026-11-10T15:00
risk: high
owner: Canary Owner
on_call: Canary Oncall
summary: Customers can do the new thing.
depends_on: [canary-upstream]
tags: [canary-tag, security]
milestones:
  - {name: Canary milestone, at: T-3d}
stakeholders: [canary-group, support]
announce: 2026-11-12
rollout:
  strategy: canary
  flag: canary_flag
  phases:
    - {name: Canary phase, percent: 5, at: T, duration: 2d, audience: Canary audience, exit: ["Canary exit"]}
rollback:
  plan: Canary rollback plan
  owner: Canary rollback owner
  triggers:
    - {metric: canary_metric, above: 5%, for: 5m}
    - "Canary trigger text"
gates:
  - {name: Canary gate, kind: review, status: done, evidence: "https://ci.example/canary", owner: Canary gate owner, due: T-1w}
metrics:
  - {name: Canary metric, baseline: 1%, target: ">= 2%", actual: 3%, alert: "< 1%"}
outcome:
  rolled_back: false
  support_tickets: 3
  root_causes: [other]
  incidents:
    - {severity: P2, summary: Canary incident, root_cause: other}
series: canary-series
train: canary-train
support:
  - {name: Active support, until: 2027-06-30}
eol: 2027-12
extra: {note: canary-extra-field}"#;

const PUBLIC_BODY: &str = "Canary intro before any heading.

## What's new {.external}
The new thing is here.

### Details
Works everywhere.

## Known issues
Canary known issue.

[ref]: https://internal.example/canary-ref

### Talk track for support
Canary talk track.

- [ ] Canary task

## Try it {.external}
Open the app. See [the docs][ref].
<!-- canary comment in a public section -->
<!--
A comment over lines: canary second line
and canary third line
-->
<div class=\"note\">Public note <!-- canary inline
comment over lines --> ends.</div>

Text with an inline <!-- canary inline comment --> in a paragraph.

## Internal footnotes
Canary footnote[^1].

[^1]: Canary footnote text.
";

#[test]
fn no_external_file_contains_any_canary() {
    let site = SiteTest::with_config(CONFIG);
    site.release("2026-11-01-canary-upstream", "title: Canary upstream release\nteam: web\ntype: patch\nstatus: shipped\ndate: 2026-11-01\nannounce: false\nsummary: Canary summary of an unannounced release\nsupport:\n  - {name: Canary phase of an unannounced release, until: 2027-01-01}\neol: 2027-02-01", "## New {.external}\nCanary external text of an unannounced release\n");
    site.release("2026-11-10-public-launch", PUBLIC_RELEASE, PUBLIC_BODY);
    site.release("2026-12-20-future", "title: Canary future\nteam: web\ntype: minor\ndate: 2026-12-10\nsummary: Canary future summary", "## New {.external}\nCanary future text\n");
    site.release("2027-02-01-roadmap", "title: Roadmap item\nteam: web\ntype: major\ndate: 2027-02-01\nsummary: Coming soon.\nroadmap: quarter\nowner: Canary roadmap owner\nrisk: high", "## New {.external}\nCanary roadmap body\n");
    site.release("2027-03-02-day", "title: Exact day\nteam: web\ntype: major\ndate: 2027-03-02\nsummary: On this day.\nroadmap: day\nowner: Canary day owner\nmilestones:\n  - {name: Canary day milestone, at: T-1w}\nsupport:\n  - {name: Supported, until: 2028-03}", "## New {.external}\nCanary notes before the announcement\n");
    site.release("2026-11-05-draft", "title: Canary draft\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-11-05\nsummary: Canary draft summary\ndraft: true", "## New {.external}\nCanary draft text\n");
    site.release("2026-11-06-cancelled", "title: Canary cancelled\nteam: web\ntype: minor\nstatus: cancelled\ndate: 2026-11-06\nsummary: Canary cancelled\nroadmap: month", "");
    site.write(
        "content/_index.md",
        "Canary home intro.\n\n## About {.external}\nPublic about text.\n",
    );
    site.build();

    let external = site.files("external");
    assert!(external.len() > 5);
    // The internal side does have the train (its page and feed events).
    assert!(
        site.read("internal/trains/canary-train/index.html")
            .contains("Public launch")
    );
    assert!(
        site.read("internal/calendar.ics")
            .contains("Canary train milestone")
    );
    // ... and its agenda rows on the calendar pages, which the external
    // calendar page must not copy.
    assert!(
        site.read("internal/calendar/index.html")
            .contains("Canary train name")
    );
    assert!(
        site.read("internal/calendar/2026-12/index.html")
            .contains("Canary train milestone")
    );
    let page = site.read("external/releases/public-launch/index.html");
    assert!(
        page.contains("The new thing is here.")
            && page.contains("Works everywhere.")
            && page.contains("Open the app.")
    );
    assert!(
        site.read("external/roadmap/index.html")
            .contains("Roadmap item")
    );
    // The product changelog page (the team's public `product:` name) is
    // external too, and checked below like every other file.
    assert!(
        site.read("external/products/public-product/index.html")
            .contains("The new thing is here.")
    );
    assert!(
        site.read("external/support/index.html")
            .contains("Active support")
    );
    assert!(
        site.read("external/calendar.ics")
            .contains("day.launch.ship@")
    );
    for (path, bytes) in &external {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        assert!(
            !text.contains("canary"),
            "{path} leaks: …{}…",
            excerpt(&text, "canary")
        );
    }
    let internal = site.files("internal");
    let internal_text: String = internal
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .collect();
    for needle in [
        "Canary Owner",
        "Canary known issue",
        "Canary talk track",
        "Canary rollback plan",
        "Canary gate",
        "Canary incident",
        "Canary home intro",
    ] {
        assert!(
            internal_text.contains(needle),
            "the internal site should show {needle}"
        );
    }
}

fn excerpt<'a>(text: &'a str, needle: &str) -> &'a str {
    let i = text.find(needle).unwrap_or(0);
    let start = text.floor_char_boundary(i.saturating_sub(60));
    let end = text.ceil_char_boundary((i + 60).min(text.len()));
    &text[start..end]
}
