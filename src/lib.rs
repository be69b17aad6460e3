//! shipdate: a static-site generator for release coordination.
//!
//! The build is a pipeline, one module per stage:
//! `config` → `content` → `history` → `schedule` → `checks` → `metrics` →
//! `render` → `output`. Only `content`, `history` and `output` touch the
//! file system; `render` turns the model into bytes.
#![warn(missing_docs)]

pub mod config;
pub mod content;
pub mod diagnostic;
pub mod moment;
pub mod offset;
mod yaml;
