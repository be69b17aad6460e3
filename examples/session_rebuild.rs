//! Times `serve`'s rebuild (`shipdate::Session::rebuild`) stage by stage
//! after editing one release file, without the server and its file watcher:
//!
//! ```sh
//! cargo run --release --example session_rebuild -- SITE [EDITS] [FILE]
//! ```
//!
//! Builds once, then `EDITS` times (default 5) appends a paragraph to `FILE`
//! (default: the first release file under `content/`) or restores it, and
//! rebuilds, printing each stage's time. The edit is undone at the end. Under
//! `valgrind --tool=callgrind --toggle-collect='*measured*'` only the
//! rebuilds after an edit are counted. The environment variable `NOW` (RFC
//! 3339) sets the build's "now" instead of the clock.

use std::path::{Path, PathBuf};
use std::time::Instant;

use shipdate::{BuildOptions, Generation, Session};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .expect("usage: session_rebuild SITE [EDITS] [FILE]"),
    );
    let edits: usize = args
        .next()
        .map_or(5, |n| n.parse().expect("EDITS is a number"));
    let file = args
        .next()
        .map_or_else(|| first_release(&root), PathBuf::from);
    // `NOW=2026-10-20T12:00:00Z` puts commits of a generated history inside the last 30 days.
    let now = std::env::var("NOW").map_or_else(
        |_| chrono::Utc::now(),
        |n| shipdate::now::parse(&n).expect("NOW is an RFC 3339 time"),
    );
    let mut session = Session::new(BuildOptions::new(&root, now));
    let start = Instant::now();
    let first = session.rebuild(now).expect("the first build fails");
    println!("first build {} ms", start.elapsed().as_millis());
    print_steps(&first);
    drop(first);
    let original = std::fs::read_to_string(&file).expect("read the edited file");
    for edit in 0..edits {
        let text = if edit % 2 == 0 {
            format!("{original}\nA paragraph added by the benchmark ({edit}).\n")
        } else {
            original.clone()
        };
        std::fs::write(&file, text).expect("write the edited file");
        let start = Instant::now();
        let generation = measured(&mut session, now);
        println!("edit {edit}: rebuild {} ms", start.elapsed().as_millis());
        print_steps(&generation);
    }
    std::fs::write(&file, original).expect("restore the edited file");
}

/// One rebuild after an edit (a separate function, for callgrind's toggle).
#[inline(never)]
fn measured(session: &mut Session, now: chrono::DateTime<chrono::Utc>) -> Generation {
    session.rebuild(now).expect("a rebuild fails")
}

fn print_steps(generation: &Generation) {
    let steps: Vec<String> = generation
        .report
        .steps
        .iter()
        .map(|s| format!("{} {:.1}", s.name, s.took.as_secs_f64() * 1000.0))
        .collect();
    println!("  {}", steps.join(", "));
    let history = &generation.report.history;
    let phases: Vec<String> = history
        .phases
        .iter()
        .map(|(name, ms)| format!("{name} {ms:.1}"))
        .collect();
    println!(
        "  history: {} blobs read; {}",
        history.blobs,
        phases.join(", ")
    );
}

fn first_release(root: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = walk(&root.join("content"));
    files.sort();
    files
        .into_iter()
        .next()
        .expect("no release file under content/")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}
