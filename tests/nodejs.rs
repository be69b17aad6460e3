//! `examples/nodejs/`: the Node.js release schedule converted by
//! `examples/nodejs/convert.py` from `examples/nodejs/schedule.json` (the
//! project's own file). Every line's start, Active LTS, Maintenance and
//! end-of-life dates must reach the external support page, the external
//! `releases.json` and the external `calendar.ics` exactly as the source says.
//! The example's `feeds.past_days` keeps the lines that ended years ago in
//! the feed; the build uses the CI's `--now`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{vevent, vevents};
use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/nodejs");

fn built() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nodejs-site");
    let mut options =
        shipdate::BuildOptions::new(ROOT, shipdate::now::parse("2026-11-23").unwrap());
    options.output = Some(out.clone());
    shipdate::build(&options).expect("the Node.js example builds");
    out
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `2023-10-24` as iCal writes an all-day date.
fn ics(day: &str) -> String {
    day.replace('-', "")
}

/// The last day before `day`: a phase that ends the day before the next starts.
fn ends_before(day: &str) -> String {
    let d: chrono::NaiveDate = day.parse().unwrap();
    d.pred_opt().unwrap().to_string()
}

#[test]
fn every_line_of_the_node_schedule_reaches_every_public_output() {
    let schedule: BTreeMap<String, BTreeMap<String, String>> =
        serde_json::from_str(&std::fs::read_to_string(format!("{ROOT}/schedule.json")).unwrap())
            .unwrap();
    let out = built();
    let page = read(&out, "external/support/index.html");
    let json: Value = serde_json::from_str(&read(&out, "external/releases.json")).unwrap();
    let events = vevents(&read(&out, "external/calendar.ics"));
    assert!(schedule.len() >= 27, "the whole file: v0.8 to v27");
    for (name, line) in &schedule {
        let id = name.replace('.', "-");
        let entry = json
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{name} in releases.json"));
        let title = entry["title"].as_str().unwrap();
        let row = page
            .split("<tr")
            .find(|row| row.contains(&format!(">{title}<")))
            .unwrap_or_else(|| panic!("{name}: a row on the support page"));
        let phase = |phase: &str| {
            entry["support"]
                .as_array()
                .and_then(|p| p.iter().find(|p| p["name"] == phase))
                .unwrap_or_else(|| panic!("{name}: phase {phase} in releases.json"))
        };

        let start = &line["start"];
        assert_eq!(entry["date_iso"], start.as_str(), "{name} start in JSON");
        assert!(
            row.contains(&format!("datetime=\"{start}\"")),
            "{name} start on the page: {row}"
        );
        let launch = vevent(&events, &format!("{id}.launch.ship@")).expect("launch");
        assert_eq!(
            launch["DTSTART;VALUE=DATE"],
            ics(start),
            "{name} start in the feed"
        );

        // Active LTS and Maintenance start the day after the phase before ends.
        for (key, phase_name) in [("lts", "Active LTS"), ("maintenance", "Maintenance")] {
            let Some(from) = line.get(key) else { continue };
            assert_eq!(
                phase(phase_name)["start"],
                from.as_str(),
                "{name} {key} in JSON"
            );
            assert!(
                row.contains(&format!("datetime=\"{from}\"")),
                "{name} {key} on the page"
            );
            let before = if key == "maintenance" && line.contains_key("lts") {
                "active-lts"
            } else {
                "current"
            };
            let end = vevent(&events, &format!("{id}.support.{before}@"))
                .unwrap_or_else(|| panic!("{name}: the end of the phase before {key}"));
            assert_eq!(
                end["DTSTART;VALUE=DATE"],
                ics(&ends_before(from)),
                "{name} {key}"
            );
            assert_eq!(
                end["DTEND;VALUE=DATE"],
                ics(from),
                "{name}: {key} starts as it ends"
            );
        }

        let eol = &line["end"];
        assert_eq!(entry["eol"], eol.as_str(), "{name} end of life in JSON");
        assert!(
            row.contains(&format!("datetime=\"{eol}\"")),
            "{name} end on the page"
        );
        let event = vevent(&events, &format!("{id}.eol.eol@")).expect("end of life");
        assert_eq!(
            event["DTSTART;VALUE=DATE"],
            ics(eol),
            "{name} end of life in the feed"
        );
    }
    // Status at "now": v24 is in Active LTS until the day before Maintenance.
    let v24 = page
        .split("<tr")
        .find(|r| r.contains(">Node.js 24 (Krypton)<"))
        .unwrap();
    assert!(
        v24.contains("Active LTS, until <time datetime=\"2026-10-19\"")
            || v24.contains("Maintenance, until"),
        "{v24}"
    );
    let v27 = vevent(&events, "v27.launch.ship@").unwrap();
    assert_eq!(
        v27["STATUS"], "TENTATIVE",
        "a planned line is public with its exact day"
    );
}

#[test]
fn the_committed_release_files_are_what_the_converter_writes() {
    // The converter needs Python; the build above does not. When Python is
    // here, the committed files must be its output.
    let Ok(status) = std::process::Command::new("python3")
        .arg("--version")
        .status()
    else {
        return;
    };
    assert!(status.success());
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("nodejs");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(format!("{ROOT}/convert.py"), copy.join("convert.py")).unwrap();
    let ok = std::process::Command::new("python3")
        .arg(copy.join("convert.py"))
        .arg(format!("{ROOT}/schedule.json"))
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let folder = Path::new(ROOT).join("content/releases");
    let mut committed: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    committed.sort();
    let mut fresh: Vec<_> = std::fs::read_dir(copy.join("content/releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    fresh.sort();
    assert_eq!(committed, fresh);
    for name in committed {
        assert_eq!(
            std::fs::read_to_string(folder.join(&name)).unwrap(),
            std::fs::read_to_string(copy.join("content/releases").join(&name)).unwrap(),
            "{name:?}: run `python3 examples/nodejs/convert.py examples/nodejs/schedule.json`"
        );
    }
}
