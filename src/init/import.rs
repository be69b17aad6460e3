//! Writes scripted commits into a new git repository with one `git
//! fast-import`: names, dates and texts are all in the stream, so the same
//! script gives the same commit ids on every machine, and no hook, signing
//! key or line-ending setting of the user's can change them.

use std::fmt::Write as _;
use std::path::Path;

use super::replay::Commit;
use crate::history::git::{Git, GitError};

/// The branch the history is written to (and checked out).
const BRANCH: &str = "refs/heads/main";

/// Domain of the authors' e-mail addresses (the example company's).
const EMAIL_DOMAIN: &str = "northwind.example";

/// Makes `dir` (which must exist and hold no `.git`) a repository whose
/// `main` holds `commits`, and checks the last one out into `dir`.
pub fn write_repository(dir: &Path, commits: &[Commit]) -> Result<(), GitError> {
    let git = Git::isolated(dir);
    // No template: nothing of the machine's git installation lands in the repository.
    git.run(&["init", "--quiet", "--template="])?;
    git.run(&["symbolic-ref", "HEAD", BRANCH])?;
    git.run_with_input(
        &["fast-import", "--quiet", "--done"],
        stream(commits).as_bytes(),
    )?;
    git.run(&["reset", "--hard", "--quiet"])?;
    Ok(())
}

/// The fast-import stream of `commits`, each on top of the one before.
pub fn stream(commits: &[Commit]) -> String {
    let mut out = String::new();
    for c in commits {
        let who = format!(
            "{} <{}> {} +0000",
            c.author,
            email(c.author),
            c.at.timestamp()
        );
        let _ = writeln!(out, "commit {BRANCH}\nauthor {who}\ncommitter {who}");
        data(&mut out, c.message);
        for (path, text) in &c.files {
            match text {
                Some(text) => {
                    let _ = writeln!(out, "M 100644 inline {path}");
                    data(&mut out, text);
                }
                None => {
                    let _ = writeln!(out, "D {path}");
                }
            }
        }
        out.push('\n');
    }
    out.push_str("done\n");
    out
}

/// A `data` command: the byte count, then the bytes.
fn data(out: &mut String, text: &str) {
    let _ = writeln!(out, "data {}\n{text}", text.len());
}

/// `Dana Lee` → `dana.lee@northwind.example`.
fn email(name: &str) -> String {
    let local: String = name
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join(".");
    format!("{local}@{EMAIL_DOMAIN}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn streams_files_and_deletions_with_byte_counts() {
        let at = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let files = BTreeMap::from([
            ("a.md".to_string(), Some("é\n".to_string())),
            ("b.md".to_string(), None),
        ]);
        let commit = Commit {
            at,
            author: "Rosa Martínez",
            message: "Plan",
            files,
        };
        let s = stream(&[commit]);
        assert!(s.starts_with(
            "commit refs/heads/main\nauthor Rosa Martínez <rosa.martínez@northwind.example> 1790000000 +0000\n"
        ));
        assert!(s.contains("data 4\nPlan\n"), "{s}");
        assert!(s.contains("M 100644 inline a.md\ndata 3\né\n\n"), "{s}");
        assert!(s.contains("D b.md\n"), "{s}");
        assert!(s.ends_with("\ndone\n"));
    }
}
