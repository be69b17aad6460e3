//! Plan-completeness rules: waived gates say why, no placeholders left,
//! big releases roll out in phases with exit criteria and know when to roll back.

use super::clock::Clock;
use super::{finding, is_big, is_live};
use crate::config::SiteConfig;
use crate::content::Release;
use crate::content::frontmatter::GateStatus;
use crate::content::placeholder;
use crate::diagnostic::{Diagnostic, Position};

/// The rules of this family for one release (they read no other release, nor "now").
pub(super) fn check_release(
    _config: &SiteConfig,
    r: &Release,
    _clock: &mut Clock,
    out: &mut Vec<Diagnostic>,
) {
    for g in &r.gates {
        if g.status == GateStatus::Waived && blank(g.reason.as_deref()) {
            out.push(finding(
                "waived-without-reason",
                r,
                g.position,
                format!("gate `{}` is waived without a reason", g.name),
                "add `reason:` saying why the gate does not apply (e.g. \"No UI change\"), or set it back to `pending`".into(),
            ));
        }
    }
    if !is_live(r) {
        return;
    }
    placeholders(r, out);
    if !r.has_shipped() {
        rollout_and_rollback(r, out);
    }
}

fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

/// `owner`, `on_call`, `summary`, gate and milestone names, owners, and the
/// external sections must not still say `TBD`, `TODO` or `???`.
fn placeholders(r: &Release, out: &mut Vec<Diagnostic>) {
    let key = |k: &str| r.position_of(k);
    let mut fields: Vec<(String, Position, &str)> = Vec::new();
    for (name, value) in [
        ("owner", &r.owner),
        ("on_call", &r.on_call),
        ("summary", &r.summary),
    ] {
        if let Some(v) = value {
            fields.push((format!("`{name}`"), key(name), v));
        }
    }
    if let Some(owner) = r.rollback.as_ref().and_then(|b| b.owner.as_deref()) {
        fields.push(("the rollback `owner`".into(), key("rollback"), owner));
    }
    for g in &r.gates {
        fields.push((format!("gate `{}`", g.name), g.position, &g.name));
        if let Some(owner) = &g.owner {
            fields.push((format!("the owner of gate `{}`", g.name), g.position, owner));
        }
    }
    for m in r.milestones.iter().filter(|m| !m.from_type) {
        fields.push((
            format!("milestone `{}`", m.name),
            key("milestones"),
            &m.name,
        ));
    }
    for (what, position, text) in fields {
        if let Some(word) = placeholder::find(text) {
            out.push(finding(
                "placeholder",
                r,
                position,
                format!("{what} still says `{word}`: \"{}\"", text.trim()),
                "replace the placeholder with the real value before the plan is shared".into(),
            ));
        }
    }
    if let Some((line, text)) = &r.body.external_placeholder {
        out.push(finding(
            "placeholder",
            r,
            Position::new(r.body.first_line + line - 1, 1),
            format!("an external section still holds a placeholder: \"{text}\""),
            "write the customer-facing text, or remove the section until it is ready".into(),
        ));
    }
}

/// Majors and launches roll out in phases; every partial phase has exit
/// criteria; a rollback plan says when to use it.
fn rollout_and_rollback(r: &Release, out: &mut Vec<Diagnostic>) {
    match &r.rollout {
        None if is_big(r) => out.push(finding(
            "missing-rollout",
            r,
            r.position_of("type"),
            format!("{} release `{}` has no rollout plan, so it goes to everyone at once", r.kind, r.id),
            "add `rollout:` with a strategy and phases (e.g. feature-flag: 1% → 10% → 50% → 100%), each with `exit:` criteria".into(),
        )),
        None => {}
        Some(rollout) => {
            for p in &rollout.phases {
                if p.percent.is_some_and(|pc| pc < 100.0) && p.exit.is_empty() {
                    out.push(finding(
                        "phase-exit",
                        r,
                        rollout.position,
                        format!("rollout phase `{}` reaches only part of the users and has no exit criteria", p.name),
                        format!("add `exit: [\"No P0/P1 bugs\", \"Error rate below 1%\"]` to `{}`: what must hold before the next phase", p.name),
                    ));
                }
            }
        }
    }
    if is_big(r)
        && let Some(rollback) = &r.rollback
        && !blank(rollback.plan.as_deref())
        && rollback.triggers.is_empty()
    {
        out.push(finding(
            "rollback-triggers",
            r,
            r.position_of("rollback"),
            format!("the rollback plan of `{}` has no triggers: nobody knows when to use it", r.id),
            "add `triggers:` such as `{metric: error_rate, above: 2%, for: 5m}` or \"Any data corruption\"".into(),
        ));
    }
}
