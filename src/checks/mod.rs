//! Checks stage: the coordination rules of SPEC §5.2. Each rule has a stable
//! id, a default severity, and reports a located finding with a hint.

mod dependencies;
mod identity;
mod readiness;

use crate::config::{RuleLevel, SiteConfig};
use crate::content::Release;
use crate::diagnostic::{self, Diagnostic, Severity};

/// Everything rules look at.
pub struct CheckInput<'a> {
    /// Site configuration.
    pub config: &'a SiteConfig,
    /// All releases (drafts included when building drafts).
    pub releases: &'a [Release],
    /// The build's "now".
    pub now: chrono::DateTime<chrono::Utc>,
}

/// A rule: id, default severity, and why it exists (shown by `docs/checks.md`).
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Severity unless `rules:` in config says otherwise.
    pub default: Severity,
    /// One line on the failure it prevents.
    pub summary: &'static str,
}

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "duplicate-id",
        default: Severity::Error,
        summary: "two releases share an id, so links and calendar UIDs collide",
    },
    Rule {
        id: "unknown-team",
        default: Severity::Error,
        summary: "a release names a team that shipdate.yaml does not list",
    },
    Rule {
        id: "unknown-dependency",
        default: Severity::Error,
        summary: "`depends_on` names a release that does not exist",
    },
    Rule {
        id: "dependency-cycle",
        default: Severity::Error,
        summary: "releases depend on each other in a circle, so none can ship first",
    },
    Rule {
        id: "dependency-order",
        default: Severity::Error,
        summary: "a release ships before (or with) a release it depends on",
    },
    Rule {
        id: "freeze-window",
        default: Severity::Error,
        summary: "a ship date falls inside a freeze window",
    },
    Rule {
        id: "gate-evidence",
        default: Severity::Error,
        summary: "a gate is marked done without evidence",
    },
];

/// Runs every enabled rule and returns the findings, sorted by file and line.
pub fn run(input: &CheckInput) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    identity::check(input, &mut findings);
    dependencies::check(input, &mut findings);
    readiness::check(input, &mut findings);
    let mut findings = apply_levels(findings, input.config);
    diagnostic::sort(&mut findings);
    findings
}

/// Applies `rules:` from the config: drops `off` rules and sets severities.
fn apply_levels(findings: Vec<Diagnostic>, config: &SiteConfig) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .filter_map(|mut d| match config.rules.get(d.rule) {
            Some(RuleLevel::Off) => None,
            Some(RuleLevel::Warn) => {
                d.severity = Severity::Warning;
                Some(d)
            }
            Some(RuleLevel::Error) => {
                d.severity = Severity::Error;
                Some(d)
            }
            None => Some(d),
        })
        .collect()
}

/// Finds the rule with `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
