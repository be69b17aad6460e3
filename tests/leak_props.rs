//! Property test of SPEC §5.1 "nothing internal may reach any external
//! file, whatever the content says": generated Markdown documents (HTML
//! blocks, comments with blank lines, nested lists and quotes, setext
//! headings, link reference definitions, footnotes, code fences, tables and
//! every marking form) carry a canary in every internal position, and no
//! external output holds one. The audience split is tested directly for
//! thousands of documents, and a few through whole builds. Raise
//! `PROPTEST_CASES` to search longer.

mod common;

use common::props::cases;
use proptest::prelude::*;
use shipdate::content::markdown;

/// How a heading marks its section.
#[derive(Debug, Clone, Copy)]
enum Mark {
    None,
    External,
    Internal,
    Both,
    BothReversed,
    Escaped,
}

#[derive(Debug, Clone)]
struct Heading {
    level: u8,
    mark: Mark,
    setext: bool,
}

/// Declares `Block` and `Block::ALL`, every kind, from one list.
macro_rules! blocks {
    ($($kind:ident),* $(,)?) => {
        /// The blocks a section may hold; `t` is the section's text (a canary when
        /// the section is internal), comments always hold canaries.
        #[derive(Debug, Clone, Copy)]
        enum Block {
            $($kind),*
        }

        impl Block {
            /// Every kind of block, for the strategy to choose from.
            const ALL: &[Block] = &[$(Block::$kind),*];
        }
    };
}

blocks![
    Paragraph,
    NestedList,
    Quote,
    Fence,
    Indented,
    RefDefinition,
    RefUse,
    Footnote,
    RawHtml,
    Table,
    InlineComment,
    StandaloneComment,
    DivCommentWithBlankLines,
    CommentedHeading,
    CommentInQuote,
    CommentInList,
    CommentClosedByText,
];

fn mark() -> impl Strategy<Value = Mark> {
    prop::sample::select(vec![
        Mark::None,
        Mark::External,
        Mark::Internal,
        Mark::Both,
        Mark::BothReversed,
        Mark::Escaped,
    ])
}

fn heading() -> impl Strategy<Value = Heading> {
    (1u8..=4, mark(), any::<bool>()).prop_map(|(level, mark, setext)| Heading {
        level,
        mark,
        // Setext headings exist at levels 1 and 2 only.
        setext: setext && level <= 2,
    })
}

fn block() -> impl Strategy<Value = Block> {
    prop::sample::select(Block::ALL)
}

fn document() -> impl Strategy<Value = Vec<(Heading, Vec<Block>)>> {
    prop::collection::vec((heading(), prop::collection::vec(block(), 0..5)), 0..7)
}

/// Whether each section is external, by SPEC §3.2/§5.1: `.internal` wins
/// and holds every heading below it; an escaped marker is no marker; an
/// unmarked heading belongs to its parent section.
fn audiences(doc: &[(Heading, Vec<Block>)]) -> Vec<bool> {
    let mut stack: Vec<(u8, bool, bool)> = Vec::new(); // level, external, held
    doc.iter()
        .map(|(h, _)| {
            while stack.last().is_some_and(|s| s.0 >= h.level) {
                stack.pop();
            }
            let parent = stack.last().copied();
            let internal = matches!(h.mark, Mark::Internal | Mark::Both | Mark::BothReversed);
            let held = internal || parent.is_some_and(|p| p.2);
            let external =
                !held && (matches!(h.mark, Mark::External) || parent.is_some_and(|p| p.1));
            stack.push((h.level, external, held));
            external
        })
        .collect()
}

fn heading_text(h: &Heading, title: &str) -> String {
    let attrs = match h.mark {
        Mark::None => "",
        Mark::External => " {.external}",
        Mark::Internal => " {.internal}",
        Mark::Both => " {.internal .external}",
        Mark::BothReversed => " {.external .internal}",
        Mark::Escaped => " \\{.external}",
    };
    if h.setext {
        let underline = if h.level == 1 { "===" } else { "---" };
        format!("{title}{attrs}\n{underline}\n\n")
    } else {
        format!("{} {title}{attrs}\n\n", "#".repeat(h.level.into()))
    }
}

fn block_text(block: Block, t: &str, n: usize) -> String {
    let c = format!("canary{n}c");
    match block {
        Block::Paragraph => format!(
            "{t} *{t}* **{t}** `{t}` [{t}](https://{t}.example/{t} \"{t}\") ![{t}]({t}.png) <https://{t}.example/>\n\n"
        ),
        Block::NestedList => format!("- {t}\n  - {t}\n    > {t}\n    > - [ ] {t}\n1. {t}\n\n"),
        Block::Quote => format!("> {t}\n> > {t}\n> > ```{t}\n> > {t}\n> > ```\n\n"),
        Block::Fence => format!("```{t}\n{t}\n```\n\n~~~\n{t}\n~~~\n\n"),
        Block::Indented => format!("    {t}\n    {t}\n\n"),
        Block::RefDefinition => format!("[ref{n}]: https://{t}.example/ \"{t}\"\n\n"),
        Block::RefUse => "See [ref0], [ref1][] and [text][ref2]; note[^f0].\n\n".to_string(),
        Block::Footnote => format!("{t}[^f{n}].\n\n[^f{n}]: {t}\n\n"),
        Block::RawHtml => format!("<div class=\"{t}\">\n{t}\n</div>\n\n"),
        Block::Table => {
            format!("| {t} | b |\n|---|---|\n| {t} | [{t}](https://{t}.example/) |\n\n")
        }
        Block::InlineComment => format!("{t} <!-- {c} --> {t} <!-- {c}\n{c} --> end\n\n"),
        Block::StandaloneComment => format!("<!--\n{c}\n\n{c}\n-->\n\n"),
        Block::DivCommentWithBlankLines => format!(
            "<div>\n<!--\n\n[{c}](https://{c}.example/)\n\n![{c}]({c}.png)\n\n```{c}\n{c}\n```\n\n-->\n</div>\n\n"
        ),
        Block::CommentedHeading => {
            format!("<div>\n<!--\n\n## {c} {{.external}}\n\n{c}\n\n-->\n</div>\n\n")
        }
        Block::CommentInQuote => format!("> <!--\n> {c}\n>\n> {c}\n> -->\n\n"),
        Block::CommentInList => format!("- a <!-- {c}\n  {c} --> b\n- <!--\n\n  {c}\n\n  -->\n\n"),
        Block::CommentClosedByText => {
            format!("<p>\n<!--\n\n{c} [{c}](https://{c}.example/)\n\n-->\n\n")
        }
    }
}

/// The document's text and the number of canaries in it.
fn write(doc: &[(Heading, Vec<Block>)]) -> String {
    let external = audiences(doc);
    let mut text = String::from(
        "canary0i intro before any heading.\n\n[ref0]: https://canary0r.example/\n\n[^f0]: canary0f\n\n",
    );
    let mut n = 1;
    for ((h, blocks), &public) in doc.iter().zip(&external) {
        let title = if public {
            "Heading".to_string()
        } else {
            format!("canary{n}h")
        };
        text.push_str(&heading_text(h, &title));
        for &b in blocks {
            n += 1;
            let t = if public {
                format!("pub{n}")
            } else {
                format!("canary{n}t")
            };
            text.push_str(&block_text(b, &t, n));
        }
        n += 1;
    }
    text
}

fn assert_no_canary(doc_text: &str, html: &str) -> Result<(), TestCaseError> {
    let lower = html.to_lowercase();
    prop_assert!(
        !lower.contains("canary"),
        "leak:\n--- source\n{doc_text}\n--- external html\n{html}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(cases(4000))]

    #[test]
    fn no_canary_reaches_the_external_html(doc in document()) {
        let text = write(&doc);
        let body = markdown::render(&text);
        assert_no_canary(&text, &body.external_html)?;
        prop_assert!(body.internal_html.contains("canary0i"));
        // Published text still arrives: the split is not merely dropping everything.
        let public = audiences(&doc)
            .iter()
            .zip(&doc)
            .any(|(&p, (_, blocks))| p && blocks.iter().any(|b| matches!(b, Block::Paragraph)));
        if public {
            prop_assert!(body.external_html.contains("pub"), "{text}\n---\n{}", body.external_html);
        }
    }
}

proptest! {
    #![proptest_config(cases(12))]

    #[test]
    fn no_canary_reaches_any_external_file(doc in document()) {
        let text = write(&doc);
        let site = common::SiteTest::with_config("teams:\n  - {id: web}\n");
        site.release(
            "2026-11-10-a",
            "title: A\nteam: web\ntype: minor\nstatus: shipped\ndate: 2026-11-10\nsummary: A.\nstakeholders: [support]",
            &format!("{text}# Always {{.external}}\n\npub0\n"),
        );
        site.write("content/_index.md", &text);
        site.build();
        for (path, bytes) in site.files("external") {
            let html = String::from_utf8_lossy(&bytes);
            prop_assert!(!html.to_lowercase().contains("canary"), "{path} leaks:\n{text}");
        }
    }
}
