//! YAML parsing with located, actionable errors (serde-saphyr underneath).

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Position, did_you_mean};

/// Largest YAML document shipdate reads; bigger front matter is certainly a mistake.
const MAX_YAML_BYTES: usize = 1 << 20;

/// Parses `text` as `T`; `first_line` is the file line the YAML starts on, so
/// positions point into the file, not into the extracted snippet.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: u64,
) -> Result<T, Diagnostic> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::error(
            "invalid-yaml",
            path,
            Position::new(first_line, 1),
            format!(
                "YAML block is {} bytes, more than the 1 MiB limit",
                text.len()
            ),
        )
        .with_hint("move long text into the Markdown body"));
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 200_000,
            max_aliases: 100,
            max_depth: 64,
        },
    };
    serde_saphyr::from_str_with_options::<T>(text, options)
        .map_err(|e| to_diagnostic(&e, text, path, first_line))
}

/// Most errors one YAML block reports before giving up.
const MAX_ERRORS: usize = 20;

/// Like [`parse`], but reports every error of the block, not only the first:
/// after an error, the line it points at (with the lines nested below it)
/// is blanked and the block parsed again, so later mistakes surface too.
/// Errors that blanking itself causes (a key now missing, an empty value)
/// are not reported.
pub fn parse_all<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: u64,
) -> Result<T, Vec<Diagnostic>> {
    let first = match parse::<T>(text, path, first_line) {
        Ok(value) => return Ok(value),
        Err(d) => d,
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut at = first.position.line.checked_sub(first_line);
    let mut errors = vec![first];
    while let Some(line) = at.filter(|_| errors.len() < MAX_ERRORS) {
        if !blank_block(&mut lines, line as usize) {
            break;
        }
        let d = match parse::<T>(&lines.join("\n"), path, first_line) {
            Ok(_) => break,
            Err(d) => d,
        };
        at = d.position.line.checked_sub(first_line);
        if emptied_by_blanking(&d, &lines, first_line) {
            // A parent left without its only child: blank it too, report nothing.
            continue;
        }
        if d.rule == "missing-key"
            || d.message.contains("end of input")
            || errors.iter().any(|e| e.position == d.position)
        {
            break;
        }
        errors.push(d);
    }
    Err(errors)
}

/// Blanks line `at` and the lines indented deeper below it; false when there is nothing to blank.
fn blank_block(lines: &mut [String], at: usize) -> bool {
    let Some(line) = lines.get(at) else {
        return false;
    };
    if line.trim().is_empty() {
        return false;
    }
    let indent = line.len() - line.trim_start().len();
    lines[at].clear();
    for next in lines.iter_mut().skip(at + 1) {
        let deeper = next.len() - next.trim_start().len() > indent || next.trim().is_empty();
        if !deeper {
            break;
        }
        next.clear();
    }
    true
}

/// True when `d` points at a `key:` whose value lines were blanked before.
fn emptied_by_blanking(d: &Diagnostic, lines: &[String], first_line: u64) -> bool {
    let Some(i) = d.position.line.checked_sub(first_line) else {
        return false;
    };
    let i = i as usize;
    lines.get(i).is_some_and(|l| l.trim_end().ends_with(':'))
        && lines.get(i + 1).is_some_and(String::is_empty)
}

fn to_diagnostic(
    error: &serde_saphyr::Error,
    text: &str,
    path: &Path,
    first_line: u64,
) -> Diagnostic {
    let (mut line, mut column) = error
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let raw = strip_location_suffix(&error.without_snippet().to_string());
    if raw.contains("tab") {
        // The scanner reports where the scalar it was reading started,
        // which may be the line before the tab.
        (line, column) = first_tab_from(text, line, column).unwrap_or((line, column));
    }
    let key = key_before(text, line, column);
    // The rule id stays what it was (`invalid-yaml` for a wrong type); only
    // the words change.
    let (rule, hint) = match (hint_for(&raw), type_words(&raw, key.as_deref())) {
        ((rule, _), Some((_, hint))) => (rule, Some(hint)),
        (found, None) => found,
    };
    let message = type_words(&raw, key.as_deref())
        .map(|(m, _)| m)
        .or_else(|| plain_message(&raw))
        .unwrap_or(raw);
    let mut d = Diagnostic::error(
        rule,
        path,
        Position::new(first_line + line.max(1) - 1, column.max(1)),
        message,
    );
    if let Some(hint) = hint {
        d = d.with_hint(hint);
    }
    d
}

/// Line and column (1-based) of the first tab at or after `line`:`column`.
fn first_tab_from(text: &str, line: u64, column: u64) -> Option<(u64, u64)> {
    for (i, l) in text.lines().enumerate().skip(line.max(1) as usize - 1) {
        let n = i as u64 + 1;
        let skip = if n == line {
            column.max(1) as usize - 1
        } else {
            0
        };
        if let Some(c) = l.chars().skip(skip).position(|c| c == '\t') {
            return Some((n, (skip + c) as u64 + 1));
        }
    }
    None
}

/// serde-saphyr appends " at line N, column M" (and for aliases where they
/// were defined and used); we print the location ourselves.
fn strip_location_suffix(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Parser-internal wording (`budget breached: Depth { depth: 65 }`) in words a
/// release author understands; `None` keeps the parser's message.
fn plain_message(message: &str) -> Option<String> {
    if is_too_deep(message) {
        Some("the YAML is nested too deeply".into())
    } else if message.starts_with("budget breached") {
        Some(
            "the YAML expands to too much data (anchors and aliases repeated inside each other?)"
                .into(),
        )
    } else if message.starts_with("cannot deserialize null") {
        Some("this value is empty (`~`, `null` or nothing after the colon)".into())
    } else if let Some(rest) = message.strip_prefix("non-finite float ") {
        let value = rest.split(" rejected").next().unwrap_or(rest);
        Some(format!("{value} is not a finite number"))
    } else if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        Some(format!("duplicate key `{key}`"))
    } else {
        None
    }
}

/// The key whose value starts at `line`:`column` (1-based) of `text`:
/// the last `name:` before that column on that line (flow mappings too).
fn key_before(text: &str, line: u64, column: u64) -> Option<String> {
    let source = text
        .lines()
        .nth(usize::try_from(line.checked_sub(1)?).ok()?)?;
    let upto = source
        .char_indices()
        .nth(usize::try_from(column).ok()?)
        .map_or(source, |(i, _)| &source[..i]);
    let (before_colon, _) = upto.rsplit_once(':')?;
    let key: String = before_colon
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!key.is_empty()).then_some(key)
}

/// Type mismatches in words: "`status` must be one word such as `shipped`,
/// not a list" instead of the YAML library's wording. `None` when the
/// message is no type mismatch.
fn type_words(message: &str, key: Option<&str>) -> Option<(String, String)> {
    let name = key.map_or_else(|| "this value".to_string(), |k| format!("`{k}`"));
    if message.contains("enum") {
        return Some((
            format!(
                "{name} must be one word from its list of values, written alone, not a list or mapping"
            ),
            format!(
                "write `{}: <value>` with a value docs/content.md lists for it",
                key.unwrap_or("key")
            ),
        ));
    }
    if message.starts_with("invalid boolean") {
        return Some((
            format!("{name} must be `true` or `false`"),
            "write `true` or `false` (without quotes)".into(),
        ));
    }
    let kind = |t: &str| -> &'static str {
        let t = t.trim();
        if t.contains("sequence") {
            "a list"
        } else if t.contains("map") || t.starts_with("struct") {
            "a mapping (`key: value` lines)"
        } else if t.contains("bool") {
            "`true` or `false`"
        } else if t.contains("integer") || t.starts_with('u') || t.starts_with('i') {
            "a whole number"
        } else if t.contains("float") || t.contains("number") {
            "a number"
        } else if t.contains("unit") || t.contains("null") {
            "empty"
        } else {
            "text"
        }
    };
    let hint = |expected: &str| {
        format!(
            "write {name} as {}; docs/content.md shows each key's form",
            kind(expected)
        )
    };
    // serde-saphyr's own wording: "expected sequence start", "invalid integer".
    if let Some(expected) = message
        .strip_prefix("expected ")
        .or_else(|| {
            message
                .strip_prefix("invalid ")
                .filter(|_| !message.contains(':'))
        })
        .filter(|e| {
            [
                "scalar", "sequence", "mapping", "integer", "bool", "float", "number", "u8", "u16",
                "u32", "u64", "usize", "i32", "i64", "f64",
            ]
            .iter()
            .any(|w| e.contains(w))
        })
    {
        return Some((format!("{name} must be {}", kind(expected)), hint(expected)));
    }
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    Some((
        format!("{name} must be {}, not {}", kind(expected), kind(found)),
        hint(expected),
    ))
}

fn is_too_deep(message: &str) -> bool {
    message.contains("recursion limit") || message.starts_with("budget breached: Depth")
}

fn hint_for(message: &str) -> (&'static str, Option<String>) {
    if is_too_deep(message) {
        return (
            "invalid-yaml",
            Some("front matter may nest at most 64 levels; flatten the structure".into()),
        );
    }
    if message.starts_with("budget breached") {
        return (
            "invalid-yaml",
            Some("write the values out instead of nesting aliases (`*name`); front matter may use at most 100 aliases and expand to at most 200000 YAML nodes".into()),
        );
    }
    if message.starts_with("cannot deserialize null") {
        return (
            "invalid-value",
            Some("write a value after the colon, or remove the key if it is optional".into()),
        );
    }
    if message.contains("found a tab") || message.contains("tabs disallowed") {
        return (
            "invalid-yaml",
            Some("indent YAML with spaces; tabs are not allowed there".into()),
        );
    }
    if message.starts_with("non-finite float") {
        return (
            "invalid-value",
            Some("write a number within range, or quote it (`\"1e999\"`) where text is meant, as for a version".into()),
        );
    }
    if message.starts_with("unexpected character") {
        return (
            "invalid-yaml",
            Some("remove the control character; YAML text may not contain NUL or other control characters".into()),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let word = rest.split('`').next().unwrap_or_default();
        let expected = rest
            .split("expected one of ")
            .nth(1)
            .or_else(|| rest.split("expected ").nth(1));
        let candidates: Vec<&str> = expected
            .map(|e| e.split(", ").map(|s| s.trim_matches('`')).collect())
            .unwrap_or_default();
        let hint = match did_you_mean(word, candidates.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? Free-form data goes under `extra:`"),
            None => "remove the key or move it under `extra:`".to_string(),
        };
        return ("unknown-key", Some(hint));
    }
    if message.starts_with("missing field") {
        return (
            "missing-key",
            Some("add the key; see docs/content.md for the format".into()),
        );
    }
    if message.starts_with("duplicate mapping key") {
        return (
            "duplicate-key",
            Some("keep only one of the repeated keys".into()),
        );
    }
    if message.starts_with("unknown variant") {
        return ("invalid-value", Some("use one of the listed values".into()));
    }
    (
        "invalid-yaml",
        Some("fix the YAML syntax or the value's type".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        team: Option<String>,
    }

    #[test]
    fn unknown_key_points_into_the_file_and_suggests() {
        let err = parse::<Doc>("title: a\ntaem: x\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.rule, "unknown-key");
        assert_eq!(err.position, Position::new(3, 1));
        assert!(err.hint.as_deref().unwrap().contains("`team`"), "{err}");
        assert!(!err.message.contains("at line"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse::<Doc>("title: a\ntitle: b\n", Path::new("a.md"), 1).unwrap_err();
        assert_eq!(err.rule, "duplicate-key");
        assert_eq!(err.message, "duplicate key `title`");
        assert_eq!(err.position.line, 2);
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            yaml.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        yaml.push_str("title: t\n");
        let err = parse::<serde_json::Value>(&yaml, Path::new("a.md"), 1).unwrap_err();
        assert!(err.message.contains("too much data"), "{err}");
        assert!(!err.message.contains("Events"), "{err}");
        assert!(err.hint.as_deref().unwrap().contains("aliases"), "{err}");
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    #[allow(dead_code)]
    enum Status {
        Planned,
        Shipped,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Typed {
        title: String,
        #[serde(default)]
        status: Option<Status>,
        #[serde(default)]
        draft: bool,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn type_mismatches_name_the_key_in_plain_words() {
        let err =
            parse::<Typed>("title: a\nstatus: [shipped]\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.rule, "invalid-yaml");
        assert!(
            err.message.starts_with("`status` must be one word"),
            "{err}"
        );
        assert!(!err.message.contains("externally tagged"), "{err}");
        assert!(
            err.hint.as_deref().unwrap().contains("`status: <value>`"),
            "{err}"
        );
        let err = parse::<Typed>("title: a\ndraft: maybe\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.message, "`draft` must be `true` or `false`");
        let err = parse::<Typed>("title: a\ntags: 7\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.message, "`tags` must be a list");
        assert!(
            err.hint.as_deref().unwrap().contains("`tags` as a list"),
            "{err}"
        );
    }

    #[test]
    fn every_error_of_a_block_is_reported() {
        let yaml = "title: a\nstatus: [shipped]\ntaem: x\ndraft: maybe\n";
        let errors = parse_all::<Typed>(yaml, Path::new("a.md"), 2).unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.position.line).collect();
        assert_eq!(lines, [3, 4, 5], "{errors:?}");
        assert_eq!(errors[1].rule, "unknown-key");
        // Blanking a required key's line reports no extra "missing" error.
        let errors =
            parse_all::<Typed>("title: [a]\ndraft: maybe\n", Path::new("a.md"), 1).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(parse_all::<Typed>("title: a\n", Path::new("a.md"), 1).is_ok());
    }

    #[test]
    fn deep_nesting_and_tabs_get_plain_words() {
        let deep = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
        let err = parse::<serde_json::Value>(&deep, Path::new("a.md"), 1).unwrap_err();
        assert_eq!(err.message, "the YAML is nested too deeply");
        assert!(err.hint.as_deref().unwrap().contains("64 levels"));
        let err = parse::<serde_json::Value>("a: b\n\tc: d\n", Path::new("a.md"), 1).unwrap_err();
        assert!(err.hint.as_deref().unwrap().contains("spaces"), "{err}");
    }
}
