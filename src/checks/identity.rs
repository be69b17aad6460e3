//! Identity rules: ids are unique, teams are known.

use std::collections::HashMap;

use super::CheckInput;
use crate::diagnostic::{Diagnostic, Position, did_you_mean};

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &crate::content::Release> = HashMap::new();
    for r in input.releases {
        if let Some(first) = seen.get(r.id.as_str()) {
            out.push(
                Diagnostic::error(
                    "duplicate-id",
                    &r.path,
                    r.positions
                        .get("id")
                        .copied()
                        .unwrap_or(Position::new(1, 1)),
                    format!(
                        "release id `{}` is already used by {}",
                        r.id,
                        first.path.display()
                    ),
                )
                .with_hint("set a different `id:` in one of the files, or rename it"),
            );
        } else {
            seen.insert(&r.id, r);
        }
    }
    for r in input.releases {
        for (key, team) in std::iter::once(("team", r.team.as_str()))
            .chain(r.teams.iter().map(|t| ("teams", t.as_str())))
        {
            // Team ids name folders and feed files: `../x` or `a/b` must never get there.
            if !crate::config::is_id(team) {
                out.push(
                    Diagnostic::error(
                        "invalid-id",
                        &r.path,
                        r.position_of(key),
                        format!("`{team}` is not a valid team id"),
                    )
                    .with_hint("team ids use lowercase letters, digits and `-` only, at most 100 characters"),
                );
            }
        }
    }
    if input.config.teams.is_empty() {
        return;
    }
    let known: Vec<&str> = input.config.teams.iter().map(|t| t.id.as_str()).collect();
    for r in input.releases {
        for (key, team) in std::iter::once(("team", r.team.as_str()))
            .chain(r.teams.iter().map(|t| ("teams", t.as_str())))
        {
            if input.config.team(team).is_none() && crate::config::is_id(team) {
                let hint = match did_you_mean(team, known.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!(
                        "add `{team}` under `teams:` in shipdate.yaml, or use one of: {}",
                        known.join(", ")
                    ),
                };
                out.push(
                    Diagnostic::error(
                        "unknown-team",
                        &r.path,
                        r.position_of(key),
                        format!("unknown team `{team}`"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
}
