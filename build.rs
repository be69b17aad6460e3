//! Embeds the example site this repository builds (`shipdate.yaml` and every
//! Markdown file under `content/`) for `shipdate init --example`, so the
//! binary always carries the example as it is here: writes
//! `$OUT_DIR/example_site.rs`, a sorted list of `(path, include_str!(…))`.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=shipdate.yaml");
    println!("cargo::rerun-if-changed=content");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let mut files = vec!["shipdate.yaml".to_string()];
    markdown_files(root, "content", &mut files);
    files.sort();
    let mut out = String::from("&[\n");
    for rel in &files {
        let full = root.join(rel);
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            full.to_str().expect("the repository path is UTF-8")
        ));
    }
    out.push_str("]\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("example_site.rs");
    std::fs::write(&dest, out).expect("OUT_DIR is writable");
}

/// `*.md` files below `root/rel`, `/`-separated, hidden ones (`.`) left out
/// like the content walk leaves them out.
fn markdown_files(root: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = format!("{rel}/{name}");
        match entry.file_type() {
            Ok(t) if t.is_dir() => markdown_files(root, &path, out),
            Ok(t) if t.is_file() && name.ends_with(".md") => out.push(path),
            _ => {}
        }
    }
}
