//! Reading release files: UTF-8 with located errors, BOM and CRLF tolerated,
//! front matter split from the body.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Position};

/// A file split at its front-matter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// File line the YAML starts on.
    pub first_line: u64,
    /// Markdown after the closing fence.
    pub body: &'a str,
}

/// Reads a file of the site at `root` (see [`crate::read::site_file`]) as
/// UTF-8 text without a BOM and with LF line endings.
pub fn read_text(root: &Path, path: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::read::site_file(root, path, rel)?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() as u64 + 1;
            return Err(Diagnostic::error(
                "invalid-utf8",
                rel,
                Position::new(line, column),
                "file is not valid UTF-8",
            )
            .with_hint("save the file as UTF-8"));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `---\nYAML\n---\nbody`; errors name the line to fix.
pub fn split_front_matter<'a>(text: &'a str, rel: &Path) -> Result<Split<'a>, Diagnostic> {
    let first = text.lines().next().unwrap_or_default();
    if !is_fence(first) {
        return Err(Diagnostic::error("missing-front-matter", rel, Position::new(1, 1), "a release file must start with a `---` line")
            .with_hint("start the file with `---`, the YAML front matter (title, team, type, date), then `---`"));
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start.min(text.len());
    let mut line_no = 2u64;
    for line in text[offset..].split_inclusive('\n') {
        if is_fence(line) {
            let yaml = &text[yaml_start.min(text.len())..offset];
            let body = &text[(offset + line.len()).min(text.len())..];
            return Ok(Split {
                yaml,
                first_line: 2,
                body,
            });
        }
        offset += line.len();
        line_no += 1;
    }
    Err(Diagnostic::error(
        "unclosed-front-matter",
        rel,
        Position::new(line_no.saturating_sub(1).max(1), 1),
        "front matter is not closed",
    )
    .with_hint("add a line `---` after the front matter, before the Markdown body"))
}

/// Positions of the top-level keys of a YAML block.
pub fn key_positions(yaml: &str, first_line: u64) -> BTreeMap<String, Position> {
    let mut map = BTreeMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim();
            if !key.is_empty() && !key.contains(' ') {
                map.entry(key.to_string())
                    .or_insert(Position::new(first_line + i as u64, 1));
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split_front_matter("---\ntitle: a\n---\n# Body\n", Path::new("a.md")).unwrap();
        assert_eq!(
            s,
            Split {
                yaml: "title: a\n",
                first_line: 2,
                body: "# Body\n"
            }
        );
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split_front_matter("---\n---", Path::new("a.md")).unwrap();
        assert_eq!((s.yaml, s.body), ("", ""));
    }

    #[test]
    fn missing_and_unclosed_fences_are_located() {
        let e = split_front_matter("title: a\n", Path::new("a.md")).unwrap_err();
        assert_eq!(e.rule, "missing-front-matter");
        let e = split_front_matter("---\ntitle: a\nteam: b\n", Path::new("a.md")).unwrap_err();
        assert_eq!(e.rule, "unclosed-front-matter");
        assert_eq!(e.position.line, 3);
    }

    #[test]
    fn key_positions_skip_nested_keys() {
        let p = key_positions("title: a\nrollout:\n  strategy: canary\ndate: x\n", 2);
        assert_eq!(p["title"], Position::new(2, 1));
        assert_eq!(p["date"], Position::new(5, 1));
        assert!(!p.contains_key("strategy"));
    }
}
