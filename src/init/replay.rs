//! Turns a scripted history (steps that edit files) and the files it must
//! end with into commits: every step's edits are undone from the end
//! backwards, so the script only says what changed and the last commit is
//! the example exactly as this repository has it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

/// One commit of a scripted history.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// Author and committer time, RFC 3339 (`2026-09-01T14:00:00Z`).
    pub date: &'static str,
    /// Author and committer name.
    pub author: &'static str,
    /// Commit message.
    pub message: &'static str,
    /// What the commit changes. The first step has none: it commits every
    /// file that no later step adds.
    pub edits: &'static [Edit],
}

/// A change to one file, by its path in the site.
#[derive(Debug, Clone, Copy)]
pub enum Edit {
    /// The file appears, as it is at this point (later edits undone).
    Add(&'static str),
    /// `from` becomes `to`, which must occur exactly once in the file after
    /// this step (so the edit can be undone unambiguously).
    Change {
        /// The file.
        file: &'static str,
        /// Text before the step.
        from: &'static str,
        /// Text after it.
        to: &'static str,
    },
    /// The file goes away; it is not in the final files, so its whole text
    /// as it was is given.
    Delete {
        /// The file.
        file: &'static str,
        /// Its text before the step.
        text: &'static str,
    },
}

impl Edit {
    fn file(&self) -> &'static str {
        match *self {
            Edit::Add(file) | Edit::Change { file, .. } | Edit::Delete { file, .. } => file,
        }
    }
}

/// A commit to make: the files it writes (`Some`) or deletes (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Author and committer time.
    pub at: DateTime<Utc>,
    /// Author and committer name.
    pub author: &'static str,
    /// Commit message.
    pub message: &'static str,
    /// Paths and their new text, or `None` for a deletion.
    pub files: BTreeMap<String, Option<String>>,
}

/// A step of the script that does not fit the files (a bug in the script,
/// or an example that changed under it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("step {step} (\"{message}\"): {problem}")]
pub struct ScriptError {
    /// 1-based number of the step.
    pub step: usize,
    /// Its commit message.
    pub message: &'static str,
    /// What does not fit.
    pub problem: String,
}

/// The commits of `steps`, oldest first, ending with `last` (path → text).
pub fn commits(
    steps: &[Step],
    last: &BTreeMap<String, String>,
) -> Result<Vec<Commit>, ScriptError> {
    let mut state = last.clone();
    let mut out = Vec::with_capacity(steps.len());
    let mut previous = DateTime::<Utc>::MAX_UTC;
    for (i, step) in steps.iter().enumerate().rev() {
        let fail = |problem: String| ScriptError {
            step: i + 1,
            message: step.message,
            problem,
        };
        let at = DateTime::parse_from_rfc3339(step.date)
            .map_err(|e| fail(format!("date `{}`: {e}", step.date)))?
            .with_timezone(&Utc);
        if at >= previous {
            return Err(fail("steps must be in time order".into()));
        }
        previous = at;
        if i == 0 && !step.edits.is_empty() {
            return Err(fail(
                "the first step commits every file and has no edits".into(),
            ));
        }
        let mut files = BTreeMap::new();
        for edit in step.edits {
            files
                .entry(edit.file().to_string())
                .or_insert_with(|| state.get(edit.file()).cloned());
        }
        for edit in step.edits.iter().rev() {
            undo(edit, &mut state).map_err(fail)?;
        }
        if i == 0 {
            files = state
                .iter()
                .map(|(p, t)| (p.clone(), Some(t.clone())))
                .collect();
        }
        out.push(Commit {
            at,
            author: step.author,
            message: step.message,
            files,
        });
    }
    out.reverse();
    Ok(out)
}

/// Takes `edit` back from `state`.
fn undo(edit: &Edit, state: &mut BTreeMap<String, String>) -> Result<(), String> {
    match *edit {
        Edit::Add(file) => state
            .remove(file)
            .map(drop)
            .ok_or_else(|| format!("adds {file}, which is not there afterwards")),
        Edit::Delete { file, text } => match state.insert(file.to_string(), text.to_string()) {
            None => Ok(()),
            Some(_) => Err(format!("deletes {file}, which is still there afterwards")),
        },
        Edit::Change { file, from, to } => {
            let text = state
                .get_mut(file)
                .ok_or_else(|| format!("changes {file}, which is not there afterwards"))?;
            match text.matches(to).count() {
                1 => {
                    *text = text.replacen(to, from, 1);
                    Ok(())
                }
                0 => Err(format!(
                    "{file} does not hold {to:?} afterwards: the example changed, so change the step to match it"
                )),
                n => Err(format!(
                    "{file} holds {to:?} {n} times afterwards: quote more of the line so the place is clear"
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(date: &'static str, edits: &'static [Edit]) -> Step {
        Step {
            date,
            author: "A",
            message: "m",
            edits,
        }
    }

    fn last(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn undoes_edits_backwards_and_commits_what_each_step_left() {
        let steps = [
            step("2026-09-01T00:00:00Z", &[]),
            step(
                "2026-09-02T00:00:00Z",
                &[Edit::Change {
                    file: "a",
                    from: "date: 1",
                    to: "date: 2",
                }],
            ),
            step(
                "2026-09-03T00:00:00Z",
                &[
                    Edit::Change {
                        file: "a",
                        from: "date: 2",
                        to: "date: 3",
                    },
                    Edit::Add("b"),
                    Edit::Delete {
                        file: "c",
                        text: "gone",
                    },
                ],
            ),
        ];
        let commits = commits(&steps, &last(&[("a", "x\ndate: 3\n"), ("b", "new")])).unwrap();
        let files = |i: usize| -> Vec<(String, Option<String>)> {
            commits[i].files.clone().into_iter().collect()
        };
        assert_eq!(
            files(0),
            [
                ("a".into(), Some("x\ndate: 1\n".into())),
                ("c".into(), Some("gone".into()))
            ]
        );
        assert_eq!(files(1), [("a".into(), Some("x\ndate: 2\n".into()))]);
        assert_eq!(
            files(2),
            [
                ("a".into(), Some("x\ndate: 3\n".into())),
                ("b".into(), Some("new".into())),
                ("c".into(), None)
            ]
        );
    }

    #[test]
    fn a_step_that_no_longer_fits_names_itself_and_the_text() {
        let steps = [
            step("2026-09-01T00:00:00Z", &[]),
            step(
                "2026-09-02T00:00:00Z",
                &[Edit::Change {
                    file: "a",
                    from: "old",
                    to: "new",
                }],
            ),
        ];
        let e = commits(&steps, &last(&[("a", "other")])).unwrap_err();
        assert_eq!(e.step, 2);
        assert!(e.problem.contains("\"new\""), "{e}");
        let e = commits(&steps, &last(&[("a", "new new")])).unwrap_err();
        assert!(e.problem.contains("2 times"), "{e}");
        let e = commits(&steps, &last(&[])).unwrap_err();
        assert!(e.problem.contains("not there"), "{e}");
    }

    #[test]
    fn steps_out_of_time_order_are_refused() {
        let steps = [
            step("2026-09-02T00:00:00Z", &[]),
            step("2026-09-01T00:00:00Z", &[]),
        ];
        assert!(commits(&steps, &last(&[])).is_err());
    }
}
