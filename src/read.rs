//! Reading the site's own files (config, releases): never outside the site,
//! never a pipe or a device, never more than a release plan could need.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Position};

/// Largest release or config file read; anything bigger is a mistake, not a release plan.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// Reads a file of the site at `root`. A file that resolves outside the site (through a
/// symlink), is not a regular file (a FIFO, a device) or is larger than
/// [`MAX_FILE_BYTES`] is an error and never read, so no message can show
/// what it holds.
pub fn site_file(root: &Path, path: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    let at_start = |rule: &'static str, message: String, hint: &str| {
        Diagnostic::error(rule, rel, Position::new(1, 1), message).with_hint(hint)
    };
    let io_err = |e: std::io::Error| {
        at_start(
            "io",
            format!("cannot read file: {e}"),
            "check that the file exists and that you may read it",
        )
    };
    let real = path.canonicalize().map_err(io_err)?;
    let site = root.canonicalize().map_err(io_err)?;
    if !real.starts_with(&site) {
        return Err(at_start(
            "outside-site",
            "the file is a link to a file outside the site, so it is not read".into(),
            "copy the file into the site instead of linking to it",
        ));
    }
    let meta = std::fs::metadata(&real).map_err(io_err)?;
    if !meta.is_file() {
        return Err(at_start(
            "not-a-file",
            "this is not a regular file (a pipe or a device), so it is not read".into(),
            "replace it with an ordinary text file",
        ));
    }
    let too_large = |len: u64| {
        at_start(
            "file-too-large",
            format!("file is {len} bytes, more than the 4 MiB limit"),
            "split the release notes or move attachments to static/",
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(&real)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes)
        })
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}
