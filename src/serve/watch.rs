//! File watching for `serve`: `content/`, `themes/`, `static/` and
//! `shipdate.yaml`, debounced so one save (or a `git checkout`) is one rebuild.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc::UnboundedSender;

use crate::config::CONFIG_FILE;

/// Folders under the root whose changes trigger a rebuild.
pub(crate) const WATCHED_DIRS: [&str; 3] = ["content", "themes", "static"];

/// Quiet time after the last change before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// A running watcher; dropping it stops watching.
pub(crate) struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: HashSet<PathBuf>,
}

impl Watcher {
    /// Watches `root` (canonical) and sends the changed paths, relative to it, to `changes`.
    pub(crate) fn start(
        root: &Path,
        changes: UnboundedSender<Vec<PathBuf>>,
    ) -> notify_debouncer_full::notify::Result<Self> {
        let events_root = root.to_path_buf();
        let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            // Watcher errors (a folder deleted under us) surface as the rebuild's errors.
            let Ok(events) = result else { return };
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter())
                .filter_map(|p| relevant(&events_root, p))
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                let _ = changes.send(paths);
            }
        })?;
        let mut watcher = Self {
            debouncer,
            root: root.to_path_buf(),
            watched: HashSet::new(),
        };
        // The root itself, not recursively: sees shipdate.yaml and folders being created.
        watcher.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watcher.refresh();
        Ok(watcher)
    }

    /// Starts watching watched folders created since the last call.
    pub(crate) fn refresh(&mut self) {
        for name in WATCHED_DIRS {
            let dir = self.root.join(name);
            if !dir.is_dir() {
                // Deleted: forget it, so it is watched again when it comes back.
                self.watched.remove(&dir);
                continue;
            }
            if !self.watched.contains(&dir)
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }
}

/// `path` relative to `root` when a change there can change the site.
pub(crate) fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    if !(first == CONFIG_FILE || WATCHED_DIRS.contains(&first)) {
        return None;
    }
    let name = rel.file_name()?.to_str()?;
    // Editor droppings: swap and backup files, vim's write test, emacs locks.
    let scratch = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913";
    (!scratch).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_count() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(
            rel("/site/content/releases/a.md"),
            Some(PathBuf::from("content/releases/a.md"))
        );
        assert_eq!(
            rel("/site/shipdate.yaml"),
            Some(PathBuf::from("shipdate.yaml"))
        );
        assert_eq!(rel("/site/public/internal/index.html"), None);
        assert_eq!(rel("/site/README.md"), None);
        assert_eq!(rel("/site/content/releases/.a.md.swp"), None);
        assert_eq!(rel("/elsewhere/content/a.md"), None);
    }
}
