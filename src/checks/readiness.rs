//! Readiness rules: freeze windows and gate evidence.

use super::CheckInput;
use crate::content::frontmatter::{GateStatus, Status};
use crate::diagnostic::Diagnostic;

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    for r in input.releases {
        if r.status != Status::Cancelled
            && let Some(w) = input.config.freeze_at(r.ship_day())
        {
            out.push(
                Diagnostic::error(
                    "freeze-window",
                    &r.path,
                    r.position_of("date"),
                    format!(
                        "ships {} inside the freeze window `{}` ({} to {})",
                        r.ship_day(),
                        w.name,
                        w.start,
                        w.end
                    ),
                )
                .with_hint(format!(
                    "move the date before {} or after {}",
                    w.start, w.end
                )),
            );
        }
        for g in &r.gates {
            if g.status == GateStatus::Done
                && g.evidence.as_deref().is_none_or(|e| e.trim().is_empty())
            {
                out.push(
                    Diagnostic::error("gate-evidence", &r.path, g.position, format!("gate `{}` is done but has no evidence", g.name))
                        .with_hint("add `evidence:` with a link to the CI run, ticket or document that proves it"),
                );
            }
        }
    }
}
