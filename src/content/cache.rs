//! Parsed release files kept between builds (`serve`), so a rebuild reads and
//! parses only the files that changed.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use super::{CONTENT_DIR, Content, Release, assemble, load_release, parse_release, relative};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;

/// A file modified this close to the moment it was read may change again
/// within the same timestamp tick, unseen by size and time alone (git calls
/// this "racy"); such files are compared by content on the next load.
const RACY: Duration = Duration::from_secs(2);

/// Parsed release files by path, valid for one configuration.
#[derive(Debug, Default)]
pub struct Cache {
    /// The configuration the entries were parsed with (its JSON form).
    config: String,
    files: HashMap<PathBuf, Entry>,
    /// Counts loads; entries not seen by the latest one belong to deleted files.
    loads: u64,
}

#[derive(Debug, Clone)]
struct Entry {
    stamp: Stamp,
    /// Hash of the file's text, to recognise a rewrite with the same content.
    hash: u64,
    /// The stamp alone cannot be trusted (see [`RACY`]).
    racy: bool,
    /// The load that last saw the file.
    seen: u64,
    parsed: Result<Arc<Release>, Vec<Diagnostic>>,
}

/// What the file system says about a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// What one file needs on this load.
enum Outcome {
    /// The cached entry is still right (with a refreshed stamp).
    Same { stamp: Stamp, racy: bool },
    /// Parsed anew.
    Parsed(Entry),
    /// Could not be looked at or read: not cached, so it is tried again next time.
    Uncached(Result<Arc<Release>, Vec<Diagnostic>>),
}

impl Cache {
    /// An empty cache: the first load parses every file.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of cached files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Like [`super::load`], but reuses the releases of files whose size,
    /// modification time (or content) did not change since the last call;
    /// deleted files are forgotten. A different `config` drops everything,
    /// because releases are resolved against it.
    pub fn load(
        &mut self,
        root: &Path,
        config: &SiteConfig,
        include_drafts: bool,
    ) -> (Content, Vec<Diagnostic>) {
        let key = serde_json::to_string(config).unwrap_or_default();
        if key.is_empty() || key != self.config {
            self.files.clear();
            self.config = key;
        }
        let (files, errors) = super::release_files(root, &root.join(CONTENT_DIR));
        let outcomes: Vec<Outcome> = files
            .par_iter()
            .map(|path| self.check(root, path, config))
            .collect();
        self.loads += 1;
        let load = self.loads;
        let mut parsed = Vec::with_capacity(files.len());
        for (path, outcome) in files.iter().zip(outcomes) {
            match outcome {
                Outcome::Same { stamp, racy } => match self.files.get_mut(path) {
                    Some(entry) => {
                        entry.stamp = stamp;
                        entry.racy = racy;
                        entry.seen = load;
                        parsed.push(entry.parsed.clone());
                    }
                    // Unreachable (`check` saw the entry); parse rather than panic.
                    None => parsed.push(load_release(root, path, config).map(Arc::new)),
                },
                Outcome::Parsed(mut entry) => {
                    entry.seen = load;
                    parsed.push(entry.parsed.clone());
                    self.files.insert(path.clone(), entry);
                }
                Outcome::Uncached(result) => parsed.push(result),
            }
        }
        self.files.retain(|_, entry| entry.seen == load);
        assemble(root, &files, parsed, errors, include_drafts)
    }

    /// Decides whether `path` must be parsed again, and parses it if so.
    fn check(&self, root: &Path, path: &Path, config: &SiteConfig) -> Outcome {
        let stamp = match std::fs::metadata(path) {
            Ok(m) => Stamp {
                modified: m.modified().ok(),
                len: m.len(),
            },
            Err(_) => return Outcome::Uncached(load_release(root, path, config).map(Arc::new)),
        };
        let racy = is_racy(stamp);
        let cached = self.files.get(path);
        if let Some(entry) = cached
            && entry.stamp == stamp
            && !entry.racy
        {
            return Outcome::Same { stamp, racy };
        }
        let rel = relative(root, path);
        let text = match super::source::read_text(root, path, &rel) {
            Ok(text) => text,
            Err(d) => return Outcome::Uncached(Err(vec![d])),
        };
        let hash = hash_text(&text);
        if cached.is_some_and(|e| e.hash == hash) {
            return Outcome::Same { stamp, racy };
        }
        Outcome::Parsed(Entry {
            stamp,
            hash,
            racy,
            seen: 0,
            parsed: parse_release(&rel, &text, config).map(Arc::new),
        })
    }
}

/// Modified so recently (or in the future, or at an unknown time) that a
/// change within the same timestamp tick could still follow unseen.
fn is_racy(stamp: Stamp) -> bool {
    match stamp.modified {
        Some(t) => SystemTime::now()
            .duration_since(t)
            .map_or(true, |age| age < RACY),
        None => true,
    }
}

fn hash_text(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}
