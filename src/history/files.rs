//! From commits to files: which changes belong to which file, following
//! renames, and telling apart a deleted file from a later one at the same path.

use std::collections::HashMap;

use super::log::{ChangeKind, RawCommit};

/// One file's life: where it is now (or was when deleted) and every change to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLog {
    /// Its last path, repository-relative.
    pub path: String,
    /// It was deleted (and not re-created under the same identity).
    pub deleted: bool,
    /// `(commit index, change index)` into the walk, oldest first.
    pub changes: Vec<(usize, usize)>,
}

/// Groups the changes of `commits` (newest first, as git walks) by file.
pub fn follow(commits: &[RawCommit]) -> Vec<FileLog> {
    let mut files: Vec<FileLog> = Vec::new();
    // Path as of the commit being looked at → the file living at that path then.
    let mut at: HashMap<String, usize> = HashMap::new();
    for (ci, commit) in commits.iter().enumerate() {
        // All changes of a commit happen at once: look every file up by its
        // path after the commit, then map paths back to before it.
        let owners: Vec<usize> = commit
            .changes
            .iter()
            .map(|change| match change.kind {
                ChangeKind::Deleted => new_file(&mut files, &change.path, true),
                _ => match at.get(&change.path) {
                    Some(&f) => f,
                    None => new_file(&mut files, &change.path, false),
                },
            })
            .collect();
        for change in &commit.changes {
            if matches!(change.kind, ChangeKind::Added | ChangeKind::Renamed) {
                at.remove(&change.path);
            }
        }
        for (xi, (change, &f)) in commit.changes.iter().zip(&owners).enumerate() {
            files[f].changes.push((ci, xi));
            match change.kind {
                ChangeKind::Added => {}
                ChangeKind::Renamed => {
                    if let Some(old) = &change.old_path {
                        at.insert(old.clone(), f);
                    }
                }
                ChangeKind::Modified | ChangeKind::Deleted => {
                    at.insert(change.path.clone(), f);
                }
            }
        }
    }
    for f in &mut files {
        f.changes.reverse();
    }
    files
}

/// A deleted file: `(last path, commit index of the deletion, commits)`.
type Gone<'a> = (&'a str, usize, usize);

/// The deleted files by their last path and by the release id of their
/// last version, for [`inherited`].
#[derive(Debug, Default)]
pub struct Deleted<'a> {
    by_path: HashMap<&'a str, Vec<Gone<'a>>>,
    by_id: HashMap<String, Vec<Gone<'a>>>,
}

/// Indexes the deleted files of `logs`; `id_of` gives the release id of a
/// deleted file from its path and the blob of its last version.
pub fn deleted<'a>(
    logs: &'a [FileLog],
    commits: &[RawCommit],
    id_of: impl Fn(&str, Option<&str>) -> String,
) -> Deleted<'a> {
    let mut out = Deleted::default();
    for l in logs.iter().filter(|l| l.deleted) {
        if let Some(&(ci, xi)) = l.changes.last() {
            let gone = (l.path.as_str(), ci, l.changes.len());
            let last_version = commits[ci].changes[xi].old_blob.as_deref();
            out.by_path.entry(gone.0).or_default().push(gone);
            out.by_id
                .entry(id_of(&l.path, last_version))
                .or_default()
                .push(gone);
        }
    }
    out
}

/// Commits of earlier files deleted before `log` was created, from the path
/// it was created at or holding the same release `id`: a file deleted and
/// brought back (a reverted deletion), or a release made anew in another
/// file, publishes the same calendar UIDs, so its SEQUENCE must continue
/// above the cancelled ones instead of starting again at 1, however long
/// ago they were cancelled.
pub fn inherited(log: &FileLog, id: &str, deleted: &Deleted, commits: &[RawCommit]) -> u32 {
    let Some(&(created_ci, created_xi)) = log.changes.first() else {
        return 0;
    };
    let created = &commits[created_ci].changes[created_xi];
    if created.kind != ChangeKind::Added {
        return 0;
    }
    let same_path = deleted.by_path.get(created.path.as_str());
    let same_id = deleted.by_id.get(id).into_iter().flatten();
    let count: usize = same_path
        .into_iter()
        .flatten()
        .chain(same_id.filter(|g| g.0 != created.path))
        // Commits are newest first: a larger index is older.
        .filter(|g| g.1 > created_ci)
        .map(|g| g.2)
        .sum();
    u32::try_from(count).unwrap_or(u32::MAX)
}

fn new_file(files: &mut Vec<FileLog>, path: &str, deleted: bool) -> usize {
    files.push(FileLog {
        path: path.to_string(),
        deleted,
        changes: Vec::new(),
    });
    files.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::log::RawChange;

    fn commit(time: i64, changes: &[(ChangeKind, &str, &str)]) -> RawCommit {
        RawCommit {
            id: format!("c{time}"),
            time,
            author: "A".into(),
            root: false,
            changes: changes
                .iter()
                .map(|(kind, old, new)| RawChange {
                    kind: *kind,
                    old_path: (*kind == ChangeKind::Renamed).then(|| old.to_string()),
                    path: new.to_string(),
                    old_blob: None,
                    new_blob: None,
                })
                .collect(),
        }
    }

    fn times(commits: &[RawCommit], f: &FileLog) -> Vec<i64> {
        f.changes.iter().map(|&(c, _)| commits[c].time).collect()
    }

    use ChangeKind::*;

    #[test]
    fn renames_join_the_history_of_both_paths() {
        // Newest first: edit c, rename a→c, edit a, create a.
        let commits = vec![
            commit(4, &[(Modified, "", "c")]),
            commit(3, &[(Renamed, "a", "c")]),
            commit(2, &[(Modified, "", "a")]),
            commit(1, &[(Added, "", "a")]),
        ];
        let files = follow(&commits);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "c");
        assert!(!files[0].deleted);
        assert_eq!(times(&commits, &files[0]), [1, 2, 3, 4]);
    }

    #[test]
    fn a_path_reused_after_a_deletion_is_another_file() {
        let commits = vec![
            commit(4, &[(Modified, "", "a")]),
            commit(3, &[(Added, "", "a")]),
            commit(2, &[(Deleted, "", "a")]),
            commit(1, &[(Added, "", "a")]),
        ];
        let files = follow(&commits);
        assert_eq!(files.len(), 2);
        let live = files.iter().find(|f| !f.deleted).unwrap();
        let gone = files.iter().find(|f| f.deleted).unwrap();
        assert_eq!(times(&commits, live), [3, 4]);
        assert_eq!(times(&commits, gone), [1, 2]);
    }

    #[test]
    fn a_file_brought_back_after_a_deletion_inherits_its_count() {
        let commits = vec![
            commit(5, &[(Modified, "", "a")]),
            commit(4, &[(Added, "", "a")]),
            commit(3, &[(Deleted, "", "a")]),
            commit(2, &[(Modified, "", "a")]),
            commit(1, &[(Added, "", "a"), (Added, "", "b")]),
        ];
        let files = follow(&commits);
        let back = files.iter().find(|f| f.path == "a" && !f.deleted).unwrap();
        let gone = deleted(&files, &commits, |path, _| path.to_string());
        assert_eq!(inherited(back, "a", &gone, &commits), 3);
        let b = files.iter().find(|f| f.path == "b").unwrap();
        assert_eq!(inherited(b, "b", &gone, &commits), 0);
    }

    #[test]
    fn a_release_made_anew_in_another_file_inherits_the_deleted_ones_count() {
        let commits = vec![
            commit(5, &[(Added, "", "new")]),
            commit(4, &[(Added, "", "other")]),
            commit(3, &[(Deleted, "", "old")]),
            commit(2, &[(Modified, "", "old")]),
            commit(1, &[(Added, "", "old")]),
        ];
        let files = follow(&commits);
        // `old` held the release `maps`, like `new` does now.
        let gone = deleted(&files, &commits, |_, _| "maps".to_string());
        let new = files.iter().find(|f| f.path == "new").unwrap();
        assert_eq!(inherited(new, "maps", &gone, &commits), 3);
        let other = files.iter().find(|f| f.path == "other").unwrap();
        assert_eq!(inherited(other, "search", &gone, &commits), 0);
    }

    #[test]
    fn swapping_two_files_in_one_commit_keeps_them_apart() {
        let commits = vec![
            commit(3, &[(Modified, "", "a")]),
            commit(2, &[(Renamed, "a", "b"), (Renamed, "b", "a")]),
            commit(1, &[(Added, "", "a"), (Added, "", "b")]),
        ];
        let files = follow(&commits);
        let now_a = files.iter().find(|f| f.path == "a").unwrap();
        let now_b = files.iter().find(|f| f.path == "b").unwrap();
        // Today's `a` was `b` before the swap.
        assert_eq!(times(&commits, now_a), [1, 2, 3]);
        assert_eq!(times(&commits, now_b), [1, 2]);
        let created_as = |f: &FileLog| {
            let (c, x) = f.changes[0];
            commits[c].changes[x].path.clone()
        };
        assert_eq!(created_as(now_a), "b");
        assert_eq!(created_as(now_b), "a");
    }
}
