//! Located, user-facing problems: every error and warning a run reports.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Printed, shown on the internal site; fails only under `--strict`.
    Warning,
    /// Fails the build.
    Error,
}

/// A place in a source file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl Position {
    /// A position at `line:column`.
    pub const fn new(line: u64, column: u64) -> Self {
        Self { line, column }
    }
}

/// One problem found in the site: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable id of the rule or error kind, e.g. `unknown-key` or `freeze-window`.
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// File the problem is in, relative to the site root when possible.
    pub path: PathBuf,
    /// Where in the file.
    pub position: Position,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error for `path` at `position`.
    pub fn error(
        rule: &'static str,
        path: impl AsRef<Path>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity: Severity::Error,
            path: path.as_ref().to_path_buf(),
            position,
            message: message.into(),
            hint: None,
        }
    }

    /// A new warning for `path` at `position`.
    pub fn warning(
        rule: &'static str,
        path: impl AsRef<Path>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(rule, path, position, message)
        }
    }

    /// Adds a hint that says how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `path:line:column`, the way editors and terminals link to it.
    pub fn location(&self) -> String {
        format!(
            "{}:{}:{}",
            self.path.display(),
            self.position.line.max(1),
            self.position.column.max(1)
        )
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {level}[{}]: {}",
            self.location(),
            self.rule,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts findings by file, then line, then column, so output is stable.
///
/// Comparing two `Path`s walks their components, which made this sort most
/// of a `serve` rebuild's checks (tens of thousands of findings at 10,000
/// releases): the distinct paths are ranked once, and findings sorted by rank.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let rank = path_ranks(diagnostics);
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&diagnostics[i], &diagnostics[j]);
        (rank[i], a.position, a.rule, &a.message).cmp(&(rank[j], b.position, b.rule, &b.message))
    });
    permute(diagnostics, order);
}

/// Each finding's path's place among the distinct paths in path order.
fn path_ranks(diagnostics: &[Diagnostic]) -> Vec<usize> {
    // Distinct by spelling (hashing a `Path` walks its components too); two
    // spellings of one path (`a//b`, `a/b`) sort next to each other and share a rank.
    let distinct: std::collections::HashSet<&std::ffi::OsStr> =
        diagnostics.iter().map(|d| d.path.as_os_str()).collect();
    let mut distinct: Vec<&Path> = distinct.into_iter().map(Path::new).collect();
    distinct.sort_unstable();
    let mut index: std::collections::HashMap<&std::ffi::OsStr, usize> =
        std::collections::HashMap::with_capacity(distinct.len());
    let mut rank = 0;
    for (i, p) in distinct.iter().enumerate() {
        if i > 0 && distinct[i - 1] != *p {
            rank += 1;
        }
        index.insert(p.as_os_str(), rank);
    }
    diagnostics
        .iter()
        .map(|d| index[d.path.as_os_str()])
        .collect()
}

/// Reorders `items` in place so that item `i` is the one that was at `order[i]`.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        // Follow the cycle through `start`, marking each place done (`order[at] == at`).
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// How many of `diagnostics` each rule gave, by rule id.
pub fn count_by_rule(diagnostics: &[Diagnostic]) -> Vec<(&'static str, usize)> {
    let mut counts: std::collections::BTreeMap<&'static str, usize> =
        std::collections::BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.rule).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// A finding as `check --format json` writes it (the schema in
/// docs/checks.md); `shipdate diff` writes its findings the same way.
#[derive(Debug, Clone, Serialize)]
pub struct JsonFinding<'a> {
    /// Rule id.
    pub rule: &'a str,
    /// Error or warning.
    pub severity: Severity,
    /// File, `/`-separated.
    pub path: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// What is wrong.
    pub message: &'a str,
    /// What to do about it.
    pub hint: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for JsonFinding<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        Self {
            rule: d.rule,
            severity: d.severity,
            path: d.path.display().to_string().replace('\\', "/"),
            line: d.position.line.max(1),
            column: d.position.column.max(1),
            message: &d.message,
            hint: d.hint.as_deref(),
        }
    }
}

/// One GitHub Actions workflow command (`::error file=…,line=…,col=…,title=…::message`),
/// an annotation on the pull request's file; `level` is `error`, `warning` or `notice`.
pub fn github_command(
    level: &str,
    path: &Path,
    position: Position,
    title: &str,
    message: &str,
) -> String {
    format!(
        "::{level} file={},line={},col={},title={}::{}",
        escape_property(&path.display().to_string()),
        position.line.max(1),
        position.column.max(1),
        escape_property(title),
        escape_data(message)
    )
}

impl Diagnostic {
    /// This finding as a GitHub Actions annotation, the hint on a second line.
    pub fn to_github(&self) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = self.message.clone();
        if let Some(h) = &self.hint {
            message.push_str(&format!("\nhint: {h}"));
        }
        github_command(level, &self.path, self.position, self.rule, &message)
    }
}

fn escape_data(s: &str) -> String {
    escaped(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `text` with control characters (terminal escape sequences among them)
/// and bidirectional overrides shown escaped, as `\u{1b}`, so a value or a
/// file name cannot recolour, retitle or rewrite the terminal.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Suggests the closest candidate to a misspelt `word`, fd-style ("did you mean …?").
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_orders_like_comparing_paths_whole() {
        let paths = [
            "a.b",
            "a/b",
            "a-b",
            "a",
            "b/a",
            "a/b/c",
            "a/b",
            "shipdate.yaml",
        ];
        let mut found: Vec<Diagnostic> = Vec::new();
        for (i, p) in paths.iter().enumerate() {
            for line in [3, 1, 2] {
                let rule = if i % 2 == 0 { "b-rule" } else { "a-rule" };
                found.push(Diagnostic::warning(
                    rule,
                    p,
                    Position::new(line, 1),
                    format!("{i}"),
                ));
            }
        }
        let mut expected = found.clone();
        expected.sort_by(|a, b| {
            (&a.path, a.position, a.rule, &a.message)
                .cmp(&(&b.path, b.position, b.rule, &b.message))
        });
        sort(&mut found);
        let show = |d: &[Diagnostic]| d.iter().map(|d| d.to_string()).collect::<Vec<_>>();
        assert_eq!(show(&found), show(&expected));
    }

    #[test]
    fn permute_gathers_by_order() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, vec![3, 0, 4, 1, 2]);
        assert_eq!(items, vec!['d', 'a', 'e', 'b', 'c']);
    }

    #[test]
    fn display_names_location_rule_and_hint() {
        let d = Diagnostic::error(
            "unknown-key",
            "content/a.md",
            Position::new(3, 1),
            "unknown key `titel`",
        )
        .with_hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:1: error[unknown-key]: unknown key `titel`\n  hint: did you mean `title`?"
        );
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("titel", ["title", "team"]), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", ["title", "team"]), None);
    }
}
