//! Checks stage: the coordination rules of SPEC §5.2. Each rule has a stable
//! id, a default severity, and reports a located finding with a hint.
//! `docs/checks.md` documents every rule; a test keeps the two in step.

#[cfg(test)]
mod boundary_tests;
mod clock;
mod communication;
mod dependencies;
mod followup;
pub(crate) use dependencies::ships_too_early;
pub(crate) use followup::ships_inside_margin;
mod history;
mod horizon;
mod identity;
mod memo;
mod notices;
mod outcomes;
mod plans;
mod readiness;
mod rollout;
mod trains;

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, RuleLevel, SiteConfig};
use crate::content::Release;
use crate::diagnostic::{self, Diagnostic, Position, Severity, did_you_mean};
pub use memo::Memo;

/// Everything rules look at.
pub struct CheckInput<'a> {
    /// Site configuration.
    pub config: &'a SiteConfig,
    /// Releases that loaded (drafts included when building drafts).
    pub releases: &'a [Arc<Release>],
    /// Ids of release files that failed to load or were left out (drafts):
    /// references to them are not reported as unknown.
    pub absent_ids: &'a HashSet<String>,
    /// Git facts (late scope changes, shallow clones).
    pub history: &'a crate::history::History,
    /// The build's "now".
    pub now: chrono::DateTime<chrono::Utc>,
}

/// A rule: id, default severity, and the failure it prevents.
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Severity unless `rules:` in config says otherwise.
    pub default: Severity,
    /// One line on the release failure it prevents.
    pub summary: &'static str,
}

const fn rule(id: &'static str, default: Severity, summary: &'static str) -> Rule {
    Rule {
        id,
        default,
        summary,
    }
}

use Severity::{Error, Warning};

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    rule(
        "duplicate-id",
        Error,
        "two releases share an id, so links and calendar UIDs collide",
    ),
    rule(
        "unknown-team",
        Error,
        "a release names a team that shipdate.yaml does not list",
    ),
    rule(
        "unknown-dependency",
        Error,
        "`depends_on` names a release that does not exist",
    ),
    rule(
        "dependency-cycle",
        Error,
        "releases depend on each other in a circle, so none can ship first",
    ),
    rule(
        "dependency-order",
        Error,
        "a release ships before (or with) a release it depends on",
    ),
    rule(
        "freeze-window",
        Error,
        "a ship date falls inside a freeze window",
    ),
    rule(
        "gate-evidence",
        Error,
        "a gate is marked done without evidence",
    ),
    rule(
        "rollback-plan",
        Warning,
        "a major or launch release has no rollback plan",
    ),
    rule(
        "big-bang-rollout",
        Warning,
        "a major or launch release goes to everyone at once",
    ),
    rule(
        "announce-before-rollout",
        Warning,
        "customers are told before the rollout reaches them all",
    ),
    rule(
        "sensitive-review",
        Warning,
        "pricing, billing, security or compliance changes ship without a review gate",
    ),
    rule("on-call", Warning, "a high-risk release has nobody on call"),
    rule(
        "gate-overdue",
        Warning,
        "a readiness gate is still pending past its due date",
    ),
    rule(
        "post-launch-review",
        Warning,
        "a release shipped over two weeks ago has no measured results",
    ),
    rule(
        "late-scope-change",
        Warning,
        "the plan changes days before shipping, after everyone prepared for the old one",
    ),
    rule(
        "shallow-history",
        Warning,
        "a shallow clone undercounts commits, so calendar updates go backwards or get lost",
    ),
    rule(
        "lockstep",
        Warning,
        "one team ships too many releases on the same day",
    ),
    rule(
        "silent-release",
        Warning,
        "engineering ships a minor, major or launch without telling anyone",
    ),
    rule(
        "support-not-notified",
        Warning,
        "customers learn of a change before support does",
    ),
    rule(
        "docs-gate",
        Warning,
        "documentation is an afterthought: no docs gate, or not done by T-2w",
    ),
    rule(
        "waived-without-reason",
        Error,
        "a readiness gate is skipped and nobody can tell why",
    ),
    rule(
        "stale-status",
        Warning,
        "a release's date passed and its status still says it is coming, so the plan is out of date",
    ),
    rule(
        "placeholder",
        Warning,
        "a plan still says TBD, TODO or ??? where an owner, a date or customer text belongs",
    ),
    rule(
        "support-after-customers",
        Warning,
        "partners, customers or the announcement hear before support does",
    ),
    rule(
        "affected-too-late",
        Warning,
        "a group whose work changes is told too late to prepare",
    ),
    rule(
        "off-day",
        Warning,
        "a release, announcement or notification lands on a weekend or a holiday",
    ),
    rule(
        "notification-overdue",
        Warning,
        "a notification's time passed and nothing records that it happened",
    ),
    rule(
        "dependency-not-ready",
        Warning,
        "a release depends on one that was cancelled, rolled back, delayed or is stale",
    ),
    rule(
        "dependency-margin",
        Warning,
        "a release ships in lock-step with one it depends on, with no margin for a slip",
    ),
    rule(
        "missing-rollout",
        Warning,
        "a major or launch release has no rollout plan: a big bang by default",
    ),
    rule(
        "phase-exit",
        Warning,
        "a partial rollout phase has no exit criteria, so nobody knows when to go on",
    ),
    rule(
        "rollback-triggers",
        Warning,
        "a rollback plan does not say when to roll back",
    ),
    rule(
        "breaking-change-notice",
        Warning,
        "a breaking change reaches integrators without notice or migration docs",
    ),
    rule(
        "postmortem-missing",
        Warning,
        "a rollback or a P0/P1 incident is not followed by a post-mortem",
    ),
    rule(
        "action-overdue",
        Warning,
        "a follow-up action from a release is past its due date",
    ),
    rule(
        "off-train",
        Warning,
        "a release boards a train but ships on a day the train does not depart",
    ),
    rule(
        "far-future",
        Warning,
        "a ship date or milestone more than five years out, almost always a typo in the year",
    ),
];

/// A family of rules: one pass over all releases.
type Family = fn(&CheckInput, &mut Vec<Diagnostic>);

/// A family's rules for one release, for a family that reads no other
/// release, no git history and "now" only through the [`clock::Clock`].
type PerRelease = fn(&SiteConfig, &Release, &mut clock::Clock, &mut Vec<Diagnostic>);

/// How a family of rules runs.
#[derive(Clone, Copy)]
enum Pass {
    /// One pass over all releases: the family reads other releases, git
    /// history or the trains.
    Whole(Family),
    /// Release by release, so `serve` can keep each release's findings.
    EachRelease(PerRelease),
}

/// Every family, in order.
fn families() -> [Pass; 12] {
    use Pass::{EachRelease, Whole};
    [
        Whole(identity::check),
        EachRelease(plans::check_release),
        EachRelease(notices::check_release),
        Whole(followup::check),
        Whole(dependencies::check),
        Whole(readiness::check),
        EachRelease(rollout::check_release),
        Whole(communication::check),
        Whole(outcomes::check),
        Whole(history::check),
        Whole(trains::check),
        Whole(horizon::check),
    ]
}

/// Runs a per-release family over every release, with one clock.
fn each_release(input: &CheckInput, check: PerRelease, out: &mut Vec<Diagnostic>) {
    let mut clock = clock::Clock::new(input.now);
    for r in input.releases.iter() {
        check(input.config, r, &mut clock, out);
    }
}

/// Runs every enabled rule and returns the findings, sorted by file and line.
pub fn run(input: &CheckInput) -> Vec<Diagnostic> {
    // The families are independent passes over all releases: run them side by side.
    let found: Vec<Vec<Diagnostic>> = families()
        .par_iter()
        .map(|pass| {
            let mut found = Vec::new();
            match *pass {
                Pass::Whole(check) => check(input, &mut found),
                Pass::EachRelease(check) => each_release(input, check, &mut found),
            }
            found
        })
        .collect();
    let mut findings = unknown_rule_ids(input.config);
    findings.extend(found.into_iter().flatten());
    let mut findings = apply_levels(findings, input.config);
    diagnostic::sort(&mut findings);
    findings
}

/// `rules:` keys must name rules; a typo would silently keep a rule on.
fn unknown_rule_ids(config: &SiteConfig) -> Vec<Diagnostic> {
    config
        .rules
        .keys()
        .filter(|id| find(id).is_none())
        .map(|id| {
            let hint = match did_you_mean(id, RULES.iter().map(|r| r.id)) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "see docs/checks.md for the rule ids".to_string(),
            };
            Diagnostic::error(
                "unknown-rule",
                CONFIG_FILE,
                Position::new(1, 1),
                format!("`rules:` names unknown rule `{id}`"),
            )
            .with_hint(hint)
        })
        .collect()
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
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A finding of rule `id` at its default severity.
pub(crate) fn finding(
    id: &'static str,
    release: &Release,
    position: Position,
    message: String,
    hint: String,
) -> Diagnostic {
    let severity = find(id).map(|r| r.default).unwrap_or(Severity::Error);
    let d = Diagnostic::error(id, &release.path, position, message).with_hint(hint);
    Diagnostic { severity, ..d }
}

/// Is a major or launch: the types that need a full launch plan.
pub(crate) fn is_big(release: &Release) -> bool {
    matches!(release.kind.as_str(), "major" | "launch")
}

/// Still going to ship (not cancelled).
pub(crate) fn is_live(release: &Release) -> bool {
    release.status != crate::content::Status::Cancelled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented() {
        let docs = include_str!("../../docs/checks.md");
        for r in RULES {
            assert!(
                docs.contains(&format!("### `{}`", r.id)),
                "docs/checks.md lacks {}",
                r.id
            );
        }
    }

    #[test]
    fn rule_ids_are_unique() {
        let ids: HashSet<_> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }
}
