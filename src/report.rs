//! Printing findings and build summaries.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use shipdate::diagnostic::{Diagnostic, Severity};
use shipdate::{BuildReport, Step};

/// Prints findings for people, rustc-style with the source line; colour only on a terminal.
pub fn human(findings: &[Diagnostic], root: &Path) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut sources: HashMap<&Path, Option<String>> = HashMap::new();
    for d in findings {
        let (level, code) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        eprintln!(
            "{}{}",
            paint(code, &format!("{level}[{}]", d.rule)),
            paint("1", &format!(": {}", d.message))
        );
        eprintln!("  {} {}", paint("1;34", "-->"), d.location());
        let text = sources
            .entry(&d.path)
            .or_insert_with(|| std::fs::read_to_string(root.join(&d.path)).ok());
        let line = text
            .as_deref()
            .and_then(|t| t.lines().nth(d.position.line.max(1) as usize - 1));
        if let Some(line) = line {
            let number = d.position.line.max(1).to_string();
            let pad = " ".repeat(number.len());
            let caret = " ".repeat(
                line.chars()
                    .take(d.position.column.max(1) as usize - 1)
                    .map(|c| if c == '\t' { 4 } else { 1 })
                    .sum(),
            );
            eprintln!("{pad} {}", paint("1;34", "|"));
            eprintln!(
                "{} {} {}",
                paint("1;34", &number),
                paint("1;34", "|"),
                line.replace('\t', "    ")
            );
            eprintln!("{pad} {} {caret}{}", paint("1;34", "|"), paint(code, "^"));
        }
        if let Some(hint) = &d.hint {
            eprintln!("  {} {hint}", paint("1;36", "= hint:"));
        }
        eprintln!();
    }
    let errors = findings.iter().filter(|d| d.is_error()).count();
    let warnings = findings.len() - errors;
    if !findings.is_empty() {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
}

/// Prints only warnings (a successful build).
pub fn warnings(findings: &[Diagnostic], root: &Path) {
    if !findings.is_empty() {
        human(findings, root);
    }
}

/// Prints the stage timings.
pub fn steps(steps: &[Step]) {
    for s in steps {
        eprintln!("  {:<10} {:>8.1} ms", s.name, s.took.as_secs_f64() * 1000.0);
    }
}

/// Things to know that are not findings, e.g. that git history is off.
pub fn notes(notes: &[String]) {
    for n in notes {
        eprintln!("note: {n}");
    }
}

/// How the git history walk went.
pub fn history(stats: &shipdate::history::WalkStats) {
    eprintln!(
        "  history: {} commits touch content/ ({} walked now, the rest cached), {} blobs read, {} in the last {} days",
        stats.commits,
        stats.walked,
        stats.blobs,
        stats.recent,
        shipdate::history::RECENT_DAYS
    );
    let phases: Vec<String> = stats
        .phases
        .iter()
        .map(|(name, ms)| format!("{name} {ms:.0} ms"))
        .collect();
    if !phases.is_empty() {
        eprintln!("  history: {}", phases.join(", "));
    }
}

/// "12 releases, 2 sites, 9 feeds in 84 ms".
pub fn summary(report: &BuildReport, took: Duration) {
    eprintln!(
        "{} releases, {} pages, {} feeds, {} other files in {} ms → {}",
        report.releases,
        report.stats.pages,
        report.stats.feeds,
        report.stats.files,
        took.as_millis(),
        report.output.display()
    );
}

/// The stable JSON schema of `check --format json` (documented in docs/checks.md).
pub fn json(findings: &[Diagnostic]) {
    #[derive(serde::Serialize)]
    struct Finding<'a> {
        rule: &'a str,
        severity: Severity,
        path: String,
        line: u64,
        column: u64,
        message: &'a str,
        hint: Option<&'a str>,
    }
    #[derive(serde::Serialize)]
    struct Report<'a> {
        version: u32,
        errors: usize,
        warnings: usize,
        findings: Vec<Finding<'a>>,
    }
    let errors = findings.iter().filter(|d| d.is_error()).count();
    let report = Report {
        version: 1,
        errors,
        warnings: findings.len() - errors,
        findings: findings
            .iter()
            .map(|d| Finding {
                rule: d.rule,
                severity: d.severity,
                path: d.path.display().to_string().replace('\\', "/"),
                line: d.position.line.max(1),
                column: d.position.column.max(1),
                message: &d.message,
                hint: d.hint.as_deref(),
            })
            .collect(),
    };
    match serde_json::to_string_pretty(&report) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: {e}"),
    }
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
pub fn github(findings: &[Diagnostic]) {
    for d in findings {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.hint {
            message.push_str(&format!("\nhint: {h}"));
        }
        println!(
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&d.path.display().to_string()),
            d.position.line.max(1),
            d.position.column.max(1),
            escape_property(d.rule),
            escape_data(&message)
        );
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
