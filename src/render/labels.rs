//! Changelog labels (New, Improved, Fixed, Breaking, Security) read from the
//! headings of a release's `.external` sections, so writers label an entry
//! by how they title its sections and nothing internal is consulted.

use serde::Serialize;

use crate::content::markdown::Section;

/// A label shown on a changelog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// Something customers could not do before.
    New,
    /// Something that works better than before.
    Improved,
    /// A bug fix.
    Fixed,
    /// A change integrators must act on.
    Breaking,
    /// A security fix or hardening.
    Security,
}

/// Heading words for each label, checked in this order: a "Security fixes"
/// section is Security, a "Breaking changes" one Breaking, and so on.
const WORDS: [(Label, &[&str]); 5] = [
    (Label::Security, &["security", "vulnerab", "cve-"]),
    (
        Label::Breaking,
        &[
            "breaking",
            "removed",
            "deprecat",
            "migrat",
            "action required",
        ],
    ),
    (Label::Fixed, &["fix", "bug", "resolved"]),
    (
        Label::Improved,
        &[
            "improve", "better", "faster", "changed", "enhance", "update",
        ],
    ),
    (
        Label::New,
        &["new", "introduc", "added", "now available", "launch"],
    ),
];

impl Label {
    /// The label a heading names, if any.
    pub fn of_heading(title: &str) -> Option<Label> {
        let title = title.to_lowercase();
        WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| title.contains(w)))
            .map(|(label, _)| *label)
    }

    /// The label's text.
    pub fn name(self) -> &'static str {
        match self {
            Label::New => "New",
            Label::Improved => "Improved",
            Label::Fixed => "Fixed",
            Label::Breaking => "Breaking",
            Label::Security => "Security",
        }
    }
}

/// A label as templates see it: `{id: "fixed", name: "Fixed"}`.
#[derive(Debug, Clone, Serialize)]
pub struct LabelView {
    /// Lowercase id, for CSS classes.
    pub id: Label,
    /// Text.
    pub name: &'static str,
}

/// The distinct labels of the published sections, in the order New,
/// Improved, Fixed, Breaking, Security.
pub fn of_sections(sections: &[Section]) -> Vec<LabelView> {
    let mut labels: Vec<Label> = sections
        .iter()
        .filter(|s| s.external)
        .filter_map(|s| Label::of_heading(&s.title))
        .collect();
    labels.sort_unstable();
    labels.dedup();
    labels
        .into_iter()
        .map(|id| LabelView {
            id,
            name: id.name(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(title: &str, external: bool) -> Section {
        Section {
            title: title.into(),
            anchor: String::new(),
            level: 2,
            external,
            tasks_total: 0,
            tasks_done: 0,
        }
    }

    #[test]
    fn headings_name_their_labels() {
        for (title, label) in [
            ("What's new", Some(Label::New)),
            ("Introducing Northwind Tap", Some(Label::New)),
            ("Improvements", Some(Label::Improved)),
            ("Bug fixes", Some(Label::Fixed)),
            ("Fixed", Some(Label::Fixed)),
            ("Breaking changes", Some(Label::Breaking)),
            ("Migrating from v2", Some(Label::Breaking)),
            ("Security fixes", Some(Label::Security)),
            ("Getting started", None),
        ] {
            assert_eq!(Label::of_heading(title), label, "{title}");
        }
    }

    #[test]
    fn only_published_sections_count_once_each_in_fixed_order() {
        let sections = [
            section("Fixes", true),
            section("What's new", true),
            section("More fixes", true),
            section("Security review notes", false),
        ];
        let names: Vec<&str> = of_sections(&sections).iter().map(|l| l.name).collect();
        assert_eq!(names, ["New", "Fixed"]);
    }
}
