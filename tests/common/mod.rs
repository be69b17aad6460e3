//! `SiteTest`: write a small site into a temp dir, build it, assert on the files.
#![allow(dead_code)]

pub mod git;
pub mod props;

use std::path::{Path, PathBuf};

use shipdate::{BuildError, BuildOptions, BuildReport};

/// The "now" every fixture is built at unless a test says otherwise.
pub const NOW: &str = "2026-11-23T12:00:00Z";

/// A site in a temporary folder.
pub struct SiteTest {
    dir: tempfile::TempDir,
    pub now: String,
    pub drafts: bool,
    pub base_url: Option<String>,
}

impl SiteTest {
    /// An empty site.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            now: NOW.into(),
            drafts: false,
            base_url: None,
        }
    }

    /// A site with `shipdate.yaml` = `config`.
    pub fn with_config(config: &str) -> Self {
        let t = Self::new();
        t.write("shipdate.yaml", config);
        t
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `path` under the root, creating folders.
    pub fn write(&self, path: &str, text: &str) -> &Self {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Writes a release file `content/releases/<name>.md` from front matter and body.
    pub fn release(&self, name: &str, front: &str, body: &str) -> &Self {
        self.write(
            &format!("content/releases/{name}.md"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    /// Deletes the release file `content/releases/<name>.md`.
    pub fn remove_release(&self, name: &str) -> &Self {
        let p = self.root().join(format!("content/releases/{name}.md"));
        std::fs::remove_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        self
    }

    /// Options for building this site.
    pub fn options(&self) -> BuildOptions {
        let mut o = BuildOptions::new(self.root(), shipdate::now::parse(&self.now).unwrap());
        o.drafts = self.drafts;
        o.base_url = self.base_url.clone();
        o
    }

    /// Builds; panics with the diagnostics on failure.
    pub fn build(&self) -> BuildReport {
        match shipdate::build(&self.options()) {
            Ok(r) => r,
            Err(BuildError::Content(d)) => panic!(
                "build failed:\n{}",
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            Err(e) => panic!("build failed: {e}"),
        }
    }

    /// Builds and expects content errors.
    pub fn build_err(&self) -> Vec<shipdate::diagnostic::Diagnostic> {
        match shipdate::build(&self.options()) {
            Err(BuildError::Content(d)) => d,
            Ok(_) => panic!("build unexpectedly succeeded"),
            Err(e) => panic!("unexpected error kind: {e}"),
        }
    }

    /// Path of an output file.
    pub fn out(&self, path: &str) -> PathBuf {
        self.root().join("public").join(path)
    }

    /// Text of an output file; panics if missing.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// True if an output file exists.
    pub fn exists(&self, path: &str) -> bool {
        self.out(path).exists()
    }

    /// Every output file under `public/<prefix>`, relative paths and contents.
    pub fn files(&self, prefix: &str) -> Vec<(String, Vec<u8>)> {
        let base = self.root().join("public");
        let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(base.join(prefix))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }
}

/// Front matter of a plain shipped release.
pub fn shipped(title: &str, date: &str) -> String {
    format!(
        "title: {title}\nteam: web\ntype: minor\nstatus: shipped\ndate: {date}\nsummary: {title} summary.\nstakeholders: [support]\nnotified: {{support: {date}}}"
    )
}

/// The VEVENTs of an iCal feed, parsed back by the `ical` crate: property
/// name → value (parameters folded into the name as `DTSTART;VALUE=DATE`).
pub fn vevents(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = calendars.next().expect("one calendar").expect("parses");
    cal.events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .map(|p| {
                    let params: String = p
                        .params
                        .iter()
                        .flatten()
                        .map(|(k, v)| format!(";{k}={}", v.join(",")))
                        .collect();
                    (
                        format!("{}{params}", p.name),
                        p.value.clone().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .collect()
}

/// The VEVENT whose UID starts with `prefix`, if any.
pub fn vevent<'a>(
    events: &'a [std::collections::BTreeMap<String, String>],
    prefix: &str,
) -> Option<&'a std::collections::BTreeMap<String, String>> {
    events.iter().find(|e| e["UID"].starts_with(prefix))
}

/// Text of an HTML page: tags removed, the entities the templates write
/// (`&amp;`, `&#x27;`, `&quot;`) read back, whitespace collapsed.
pub fn page_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
