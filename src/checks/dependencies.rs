//! Dependency rules: known ids, no cycles, upstream ships first.

use std::collections::HashMap;
use std::sync::Arc;

use super::CheckInput;
use crate::content::Release;
use crate::content::frontmatter::Status;
use crate::diagnostic::{Diagnostic, Position, did_you_mean};
use crate::wording;

pub(super) fn check(input: &CheckInput, out: &mut Vec<Diagnostic>) {
    let index: HashMap<&str, usize> = input
        .releases
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    for r in input.releases {
        for dep in &r.depends_on {
            let Some(&j) = index.get(dep.value.as_str()) else {
                if input.absent_ids.contains(&dep.value) {
                    continue;
                }
                let hint = match did_you_mean(&dep.value, index.keys().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "use the id of an existing release (its file name without the date prefix, or its `id:`)".to_string(),
                };
                out.push(
                    Diagnostic::error(
                        "unknown-dependency",
                        &r.path,
                        dep.position,
                        format!("`depends_on` names unknown release `{}`", dep.value),
                    )
                    .with_hint(hint),
                );
                continue;
            };
            let upstream = &input.releases[j];
            if let Some(d) = order(r, upstream, dep.position) {
                out.push(d);
            }
        }
    }
    for cycle in cycles(input.releases, &index) {
        let r = &input.releases[cycle[0]];
        let names: Vec<&str> = cycle
            .iter()
            .chain(std::iter::once(&cycle[0]))
            .map(|&i| input.releases[i].id.as_str())
            .collect();
        let position = r
            .depends_on
            .first()
            .map(|d| d.position)
            .unwrap_or_else(|| r.position_of("depends_on"));
        out.push(
            Diagnostic::error(
                "dependency-cycle",
                &r.path,
                position,
                format!("dependency cycle: {}", names.join(" → ")),
            )
            .with_hint("remove one of the `depends_on` entries so one release can ship first"),
        );
    }
}

/// `release` ships before, or at the same time as, `upstream` (an all-day
/// date counts as the whole day): the `dependency-order` error, also what
/// `shipdate diff` reports as a broken dependent.
/// An undecided (`tbd`) date on either side has no order yet: never too early.
pub(crate) fn ships_too_early(release: &Release, upstream: &Release) -> bool {
    let (Some(my_date), Some(their_date)) = (release.date, upstream.date) else {
        return false;
    };
    let (mine, theirs) = (
        my_date.start_utc(release.timezone),
        their_date.start_utc(upstream.timezone),
    );
    let same_day_all_day = release.ship_day() <= upstream.ship_day()
        && (my_date.is_all_day() || their_date.is_all_day());
    mine <= theirs || same_day_all_day
}

/// `dependency-order`: `r` must ship after `upstream` (a later day when
/// either is all-day); cancelled releases are left alone.
fn order(r: &Release, upstream: &Release, position: Position) -> Option<Diagnostic> {
    if r.status == Status::Cancelled || upstream.status == Status::Cancelled {
        return None;
    }
    if !ships_too_early(r, upstream) {
        return None;
    }
    let (my_date, their_date) = (r.date?, upstream.date?);
    Some(
        Diagnostic::error(
            "dependency-order",
            &r.path,
            position,
            format!(
                "`{}` ships {} but depends on `{}`, which ships {}",
                r.id,
                wording::moment(&my_date, r.timezone),
                upstream.id,
                wording::moment(&their_date, upstream.timezone)
            ),
        )
        .with_hint(format!(
            "move `{}` after {}, or move `{}` earlier",
            r.id,
            wording::day(their_date.local_date(upstream.timezone)),
            upstream.id
        )),
    )
}

/// Each elementary cycle once, found by a depth-first search with colours.
fn cycles(releases: &[Arc<Release>], index: &HashMap<&str, usize>) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    let mut colour = vec![Colour::White; releases.len()];
    let mut found = Vec::new();
    for start in 0..releases.len() {
        if colour[start] != Colour::White {
            continue;
        }
        // Iterative DFS: (node, next edge index); `path` mirrors the grey stack.
        let mut stack = vec![(start, 0usize)];
        let mut path = vec![start];
        colour[start] = Colour::Grey;
        while let Some((node, edge)) = stack.last_mut() {
            let deps = &releases[*node].depends_on;
            if *edge < deps.len() {
                let next = index.get(deps[*edge].value.as_str()).copied();
                *edge += 1;
                let Some(next) = next else { continue };
                match colour[next] {
                    Colour::White => {
                        colour[next] = Colour::Grey;
                        stack.push((next, 0));
                        path.push(next);
                    }
                    Colour::Grey => {
                        let from = path.iter().position(|&n| n == next).unwrap_or(0);
                        found.push(path[from..].to_vec());
                    }
                    Colour::Black => {}
                }
            } else {
                colour[*node] = Colour::Black;
                stack.pop();
                path.pop();
            }
        }
    }
    found
}
