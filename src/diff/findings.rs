//! New and resolved findings: the checks' findings of both plans, matched.
//!
//! Line numbers move when a file is edited, and messages quote dates that a
//! change moves, so findings match by rule and file: the same message first,
//! then the remaining ones pairwise (the same problem, reworded). Only what
//! is left over is new or resolved; a moved release that already broke its
//! dependency order is not a new error.

use std::collections::BTreeMap;
use std::path::Path;

use super::Findings;
use crate::diagnostic::Diagnostic;

/// The findings of `after` that `before` does not have, and the other way round.
pub(super) fn compare(before: &[Diagnostic], after: &[Diagnostic]) -> Findings {
    type Sides<'a> = (Vec<&'a Diagnostic>, Vec<&'a Diagnostic>);
    let mut groups: BTreeMap<(&str, &Path), Sides> = BTreeMap::new();
    for d in before {
        groups.entry((d.rule, &d.path)).or_default().0.push(d);
    }
    for d in after {
        groups.entry((d.rule, &d.path)).or_default().1.push(d);
    }
    let mut out = Findings::default();
    for (_, (mut old, mut new)) in groups {
        new.retain(|n| {
            let same = old.iter().position(|o| o.message == n.message);
            same.map(|i| old.remove(i)).is_none()
        });
        let paired = old.len().min(new.len());
        out.new.extend(new.into_iter().skip(paired).cloned());
        out.resolved.extend(old.into_iter().skip(paired).cloned());
    }
    crate::diagnostic::sort(&mut out.new);
    crate::diagnostic::sort(&mut out.resolved);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    fn d(rule: &'static str, path: &str, line: u64, message: &str) -> Diagnostic {
        Diagnostic::error(rule, path, Position::new(line, 1), message)
    }

    #[test]
    fn moved_lines_and_reworded_messages_are_the_same_finding() {
        let before = [
            d("dependency-order", "a.md", 5, "ships Tue 1 Dec"),
            d("rollback-plan", "b.md", 3, "no plan"),
        ];
        let after = [
            d("dependency-order", "a.md", 9, "ships Wed 2 Dec"),
            d("rollback-plan", "b.md", 7, "no plan"),
        ];
        assert_eq!(compare(&before, &after), Findings::default());
    }

    #[test]
    fn leftovers_are_new_or_resolved() {
        let before = [d("freeze-window", "a.md", 5, "in freeze")];
        let after = [
            d("dependency-order", "a.md", 5, "ships before"),
            d("dependency-order", "a.md", 6, "ships before too"),
        ];
        let f = compare(&before, &after);
        assert_eq!(f.new.len(), 2);
        assert_eq!(f.resolved, before.to_vec());
    }
}
