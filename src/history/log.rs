//! Parsing the one `git log` stream the history stage reads.
//!
//! The command is [`LOG_FORMAT`] with `-z --raw --no-abbrev -M`: per commit a
//! `\x1e`-led header of `\x1f`-separated fields ended by NUL, then one raw
//! diff entry per changed file (`:mode mode old new STATUS\0path\0[path\0]`).
//! Blob ids come with each entry, so every version of every file can be read
//! later in one `git cat-file --batch`, without a second walk.

use serde::{Deserialize, Serialize};

/// `--format` of the walk: record separator, then id, committer time, author
/// name and parents separated by unit separators.
pub const LOG_FORMAT: &str = "--format=%x1e%H%x1f%ct%x1f%an%x1f%P";

/// What a commit did to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    /// Created.
    Added,
    /// Edited (content or mode).
    Modified,
    /// Deleted.
    Deleted,
    /// Moved, maybe edited too; `old_path` is where it came from.
    Renamed,
}

/// One file changed by one commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawChange {
    /// What happened.
    pub kind: ChangeKind,
    /// Path before a rename (repository-relative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// Path after the commit (for deletions: the deleted path).
    pub path: String,
    /// Blob before the commit; `None` for additions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_blob: Option<String>,
    /// Blob after the commit; `None` for deletions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_blob: Option<String>,
}

/// One commit of the walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawCommit {
    /// Full commit id.
    pub id: String,
    /// Committer time, seconds since the epoch (UTC).
    pub time: i64,
    /// Author name.
    pub author: String,
    /// Has no parents: the first commit, or the cut-off of a shallow clone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub root: bool,
    /// Files under `content/` it changed.
    pub changes: Vec<RawChange>,
}

/// The stream did not look like `git log` output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unexpected `git log` output at byte {offset}: {what}")]
pub struct LogError {
    /// Where parsing stopped.
    pub offset: usize,
    /// What was expected.
    pub what: &'static str,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn error(&self, what: &'static str) -> LogError {
        LogError {
            offset: self.at,
            what,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Bytes up to the next NUL, which is consumed.
    fn until_nul(&mut self, what: &'static str) -> Result<&'a [u8], LogError> {
        let rest = &self.bytes[self.at..];
        let end = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| self.error(what))?;
        self.at += end + 1;
        Ok(&rest[..end])
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A blob id, or `None` for git's all-zero "no blob".
fn blob(id: &str) -> Option<String> {
    (!id.bytes().all(|b| b == b'0')).then(|| id.to_string())
}

/// Parses the whole output of the walk, newest commit first as git wrote it.
pub fn parse(bytes: &[u8]) -> Result<Vec<RawCommit>, LogError> {
    let mut c = Cursor { bytes, at: 0 };
    let mut commits = Vec::new();
    loop {
        while matches!(c.peek(), Some(b'\n')) {
            c.at += 1;
        }
        match c.peek() {
            None => return Ok(commits),
            Some(0x1e) => c.at += 1,
            Some(_) => return Err(c.error("a commit header")),
        }
        let header = c.until_nul("the end of a commit header")?;
        commits.push(commit(&header_fields(header).ok_or_else(|| {
            c.error("id, time, author and parents in the commit header")
        })?)?);
        let current = commits.len() - 1;
        loop {
            while matches!(c.peek(), Some(b'\n')) {
                c.at += 1;
            }
            if c.peek() != Some(b':') {
                break;
            }
            let change = change(&mut c)?;
            commits[current].changes.push(change);
        }
    }
}

fn header_fields(header: &[u8]) -> Option<[String; 4]> {
    let mut parts = header.split(|&b| b == 0x1f);
    let id = text(parts.next()?);
    let time = text(parts.next()?);
    let author = text(parts.next()?);
    let parents = text(parts.next()?);
    parts
        .next()
        .is_none()
        .then_some([id, time, author, parents])
}

fn commit(fields: &[String; 4]) -> Result<RawCommit, LogError> {
    let [id, time, author, parents] = fields;
    let time = time.trim().parse::<i64>().map_err(|_| LogError {
        offset: 0,
        what: "a commit time in seconds",
    })?;
    Ok(RawCommit {
        id: id.clone(),
        time,
        author: author.clone(),
        root: parents.trim().is_empty(),
        changes: Vec::new(),
    })
}

/// One raw entry: `:100644 100644 <old> <new> M` NUL path NUL (a second path for R and C).
fn change(c: &mut Cursor) -> Result<RawChange, LogError> {
    let meta = text(c.until_nul("a raw diff entry")?);
    let fields: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
    let [_, _, old, new, status] = fields[..] else {
        return Err(c.error("`:mode mode old new status` in a raw diff entry"));
    };
    let path = text(c.until_nul("a path")?);
    let (kind, old_path, path) = match status.as_bytes().first() {
        Some(b'A') => (ChangeKind::Added, None, path),
        Some(b'D') => (ChangeKind::Deleted, None, path),
        Some(b'R') => {
            let to = text(c.until_nul("the new path of a rename")?);
            (ChangeKind::Renamed, Some(path), to)
        }
        // A copy leaves the source alone: for the copy it is a new file.
        Some(b'C') => (ChangeKind::Added, None, text(c.until_nul("a copy's path")?)),
        _ => (ChangeKind::Modified, None, path),
    };
    Ok(RawChange {
        kind,
        old_path,
        path,
        old_blob: match kind {
            ChangeKind::Added => None,
            _ => blob(old),
        },
        new_blob: match kind {
            ChangeKind::Deleted => None,
            _ => blob(new),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z: &str = "0000000000000000000000000000000000000000";

    fn entry(old: &str, new: &str, status: &str, paths: &[&str]) -> String {
        let mut s = format!(":100644 100644 {old} {new} {status}\0");
        for p in paths {
            s.push_str(p);
            s.push('\0');
        }
        s
    }

    #[test]
    fn parses_commits_with_every_kind_of_change() {
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let stream = format!(
            "\x1e{}\x1f1767225600\x1fDana Lee\x1f{}\0\n{}{}\x1e{}\x1f1767139200\x1fSam\x1f\0\n{}{}",
            "1".repeat(40),
            "2".repeat(40),
            entry(&a, &b, "R087", &["content/a.md", "content/c.md"]),
            entry(&b, Z, "D", &["content/b.md"]),
            "2".repeat(40),
            entry(Z, &a, "A", &["content/a.md"]),
            entry(&a, &b, "M", &["content/b.md"]),
        );
        let commits = parse(stream.as_bytes()).unwrap();
        assert_eq!(commits.len(), 2);
        let first = &commits[0];
        assert_eq!(
            (first.time, first.author.as_str(), first.root),
            (1767225600, "Dana Lee", false)
        );
        assert_eq!(
            first.changes[0],
            RawChange {
                kind: ChangeKind::Renamed,
                old_path: Some("content/a.md".into()),
                path: "content/c.md".into(),
                old_blob: Some(a.clone()),
                new_blob: Some(b.clone()),
            }
        );
        assert_eq!(first.changes[1].kind, ChangeKind::Deleted);
        assert_eq!(first.changes[1].new_blob, None);
        let second = &commits[1];
        assert!(second.root);
        assert_eq!(second.changes[0].kind, ChangeKind::Added);
        assert_eq!(second.changes[0].old_blob, None);
        assert_eq!(second.changes[1].kind, ChangeKind::Modified);
    }

    #[test]
    fn odd_paths_and_names_survive() {
        let a = "a".repeat(40);
        let stream = format!(
            "\x1e{}\x1f5\x1fJosé \"Pepe\" Núñez\x1f\0\n{}",
            "1".repeat(40),
            entry(Z, &a, "A", &["content/with space\nand newline.md"]),
        );
        let commits = parse(stream.as_bytes()).unwrap();
        assert_eq!(commits[0].author, "José \"Pepe\" Núñez");
        assert_eq!(
            commits[0].changes[0].path,
            "content/with space\nand newline.md"
        );
    }

    #[test]
    fn empty_output_is_no_commits() {
        assert_eq!(parse(b"").unwrap(), vec![]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            &b"fatal: not a git repository"[..],
            b"\x1eabc",
            b"\x1eabc\x1fnot-a-number\x1fA\x1f\0",
            b"\x1eabc\x1f5\x1fA\x1f\0\n:100644 100644 x\0p\0",
            b"\x1eabc\x1f5\x1fA\x1f\0\n:100644 100644 a b M\0unterminated",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
