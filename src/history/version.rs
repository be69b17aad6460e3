//! What one stored version of a release file says, read without the full
//! parser: the `date` and `timezone` lines (for every version, to find slips)
//! and the text of each top-level key and body section (to name what a late
//! commit changed).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::content::split_front_matter;

/// Front-matter keys that record progress rather than scope: changing them
/// close to the ship date is expected, not a late scope change.
const PROGRESS_KEYS: &[&str] = &["status", "gates", "outcome", "date", "timezone"];

/// The schedule-relevant scalars of one version, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFact {
    /// The `date:` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The `timezone:` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The `id:` value (a deleted file's id, for [`super::files::inherited`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The `status:` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The `announce:` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announce: Option<String>,
    /// The `draft:` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<String>,
}

impl DateFact {
    /// The version may be on the external site: shipped, not a draft, not
    /// `announce: false` (the rest of the rule, SPEC §3.2, needs the whole
    /// version; this is what withdrawing an announcement changes).
    pub fn may_be_public(&self) -> bool {
        self.status.as_deref() == Some("shipped")
            && self.draft.as_deref() != Some("true")
            && self.announce.as_deref() != Some("false")
    }
}

/// A stored file as text: UTF-8 (lossy), no BOM, LF line endings — as `content` reads it.
pub fn normalize(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

fn front_matter(text: &str) -> Option<(&str, &str)> {
    split_front_matter(text, Path::new(""))
        .ok()
        .map(|s| (s.yaml, s.body))
}

/// The `date` and `timezone` of a version; `None`s when it has no readable front matter.
pub fn date_fact(text: &str) -> DateFact {
    let Some((yaml, _)) = front_matter(text) else {
        return DateFact::default();
    };
    DateFact {
        date: scalar(yaml, "date"),
        timezone: scalar(yaml, "timezone"),
        id: scalar(yaml, "id"),
        status: scalar(yaml, "status"),
        announce: scalar(yaml, "announce"),
        draft: scalar(yaml, "draft"),
    }
}

/// A top-level `key: value` written on one line, without quotes and comments.
fn scalar(yaml: &str, key: &str) -> Option<String> {
    let line = yaml.lines().find(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })?;
    let value = line[key.len()..].trim_start().strip_prefix(':')?.trim();
    let value = match value.chars().next()? {
        q @ ('"' | '\'') => value[1..].split(q).next()?,
        _ => value.split(" #").next()?.trim(),
    };
    (!value.is_empty()).then(|| value.to_string())
}

/// The parts of a version that can change: each top-level key's text and each section's text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Shape<'a> {
    keys: Vec<(&'a str, String)>,
    sections: Vec<(String, String)>,
}

impl<'a> Shape<'a> {
    /// Splits `text` (a normalized version) into keys and sections.
    pub fn of(text: &'a str) -> Self {
        match front_matter(text) {
            Some((yaml, body)) => Shape {
                keys: keys(yaml),
                sections: sections(body),
            },
            None => Shape {
                keys: Vec::new(),
                sections: sections(text),
            },
        }
    }

    /// Keys and sections that differ between `self` (before) and `after`, in
    /// file order, leaving out progress keys and ticked checkboxes.
    pub fn scope_changes(&self, after: &Shape) -> (Vec<String>, Vec<String>) {
        let keys = changed(&self.keys, &after.keys)
            .into_iter()
            .filter(|k| !PROGRESS_KEYS.contains(&k.as_str()))
            .collect();
        (keys, changed(&self.sections, &after.sections))
    }
}

/// Names whose text differs, was added or was removed.
fn changed<K: AsRef<str>>(before: &[(K, String)], after: &[(K, String)]) -> Vec<String> {
    let find = |list: &[(K, String)], name: &str| {
        list.iter()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v.clone())
    };
    let mut out: Vec<String> = Vec::new();
    for (name, text) in after {
        if find(before, name.as_ref()).as_ref() != Some(text) {
            out.push(name.as_ref().to_string());
        }
    }
    for (name, _) in before {
        if find(after, name.as_ref()).is_none() {
            out.push(name.as_ref().to_string());
        }
    }
    out
}

/// Each top-level key with the lines that belong to it (comments left out).
fn keys(yaml: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in yaml.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let top = !line.starts_with([' ', '\t', '-']);
        match line.split_once(':') {
            Some((key, _)) if top && !key.trim().is_empty() => {
                out.push((key.trim(), line.trim_end().to_string()));
            }
            _ => {
                if let Some((_, text)) = out.last_mut() {
                    text.push('\n');
                    text.push_str(line.trim_end());
                }
            }
        }
    }
    out
}

/// Each heading with the text up to the next heading; text before the first
/// heading is "(introduction)". Checkbox state is ignored: ticking a task is progress.
fn sections(body: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(title) = heading(line) {
            let mut name = title.clone();
            let mut n = 2;
            while out.iter().any(|(t, _)| *t == name) {
                name = format!("{title} ({n})");
                n += 1;
            }
            out.push((name, String::new()));
            continue;
        }
        if out.is_empty() {
            if line.trim().is_empty() {
                continue;
            }
            out.push(("(introduction)".to_string(), String::new()));
        }
        if let Some((_, text)) = out.last_mut() {
            text.push_str(&untick(line.trim_end()));
            text.push('\n');
        }
    }
    for (_, text) in &mut out {
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
    }
    out
}

/// The text of an ATX heading line (`## What's new {.external}` → `What's new`).
fn heading(line: &str) -> Option<String> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) || line.len() > level && !line[level..].starts_with([' ', '\t']) {
        return None;
    }
    let mut title = line[level..].trim();
    if title.ends_with('}')
        && let Some(open) = title.rfind('{')
    {
        title = title[..open].trim_end();
    }
    Some(title.trim_end_matches('#').trim_end().to_string())
}

fn untick(line: &str) -> std::borrow::Cow<'_, str> {
    if line.contains("[x]") || line.contains("[X]") {
        line.replace("[x]", "[ ]").replace("[X]", "[ ]").into()
    } else {
        line.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_date_and_timezone_in_every_spelling() {
        let f = date_fact(
            "---\ntitle: a\ndate: 2026-12-01 # moved\ntimezone: \"Europe/Berlin\"\nmilestones:\n  - {name: x, date: 2027-01-01}\n---\nbody\n",
        );
        assert_eq!(f.date.as_deref(), Some("2026-12-01"));
        assert_eq!(f.timezone.as_deref(), Some("Europe/Berlin"));
        assert_eq!(
            date_fact("---\ndate: '2026-12-01T14:00'\n---\n")
                .date
                .as_deref(),
            Some("2026-12-01T14:00")
        );
        assert_eq!(
            date_fact("---\ndates: x\n---\n"),
            DateFact::default(),
            "other keys that start with `date` are not the date"
        );
        assert_eq!(date_fact("no front matter"), DateFact::default());
    }

    #[test]
    fn normalizes_bom_and_crlf() {
        assert_eq!(normalize(b"\xef\xbb\xbf---\r\na\r\n"), "---\na\n");
    }

    #[test]
    fn names_changed_keys_and_sections_but_not_progress() {
        let before = "---\ntitle: P\nstatus: planned\nrollout:\n  phases:\n    - {name: Beta}\n---\nIntro.\n\n## What's new {.external}\nA\n\n## Checklist\n- [ ] QA\n\n## Known issues\nNone\n";
        let after = "---\ntitle: P\nstatus: in-progress\nrollout:\n  phases:\n    - {name: Beta}\n    - {name: GA}\n# a comment\n---\nIntro.\n\n## What's new {.external}\nA and B\n\n## Checklist\n- [x] QA\n\n## Rollback\nFlag off.\n";
        let (keys, sections) = Shape::of(before).scope_changes(&Shape::of(after));
        assert_eq!(keys, ["rollout"]);
        assert_eq!(sections, ["What's new", "Rollback", "Known issues"]);
    }

    #[test]
    fn headings_in_code_fences_are_not_sections() {
        let s = sections("```\n# not a heading\n```\n## Real\nx\n");
        let names: Vec<&str> = s.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["(introduction)", "Real"]);
    }

    #[test]
    fn repeated_headings_are_told_apart() {
        let s = sections("## Notes\na\n## Notes\nb\n");
        let names: Vec<&str> = s.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Notes", "Notes (2)"]);
        assert_eq!(heading("#hashtag"), None);
        assert_eq!(heading("## Closed ##"), Some("Closed".into()));
    }

    #[test]
    fn a_version_may_be_public_only_shipped_announced_and_not_a_draft() {
        let fact = |extra: &str| date_fact(&format!("---\ntitle: A\n{extra}\n---\n"));
        assert!(fact("status: shipped").may_be_public());
        assert!(fact("status: shipped # done\nid: x").may_be_public());
        assert_eq!(fact("id: maps").id.as_deref(), Some("maps"));
        assert!(!fact("status: planned").may_be_public());
        assert!(!fact("status: shipped\nannounce: false").may_be_public());
        assert!(!fact("status: shipped\ndraft: true").may_be_public());
    }
}
