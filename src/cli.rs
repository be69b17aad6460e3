//! Command-line arguments (clap derive structs only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use shipdate::render::Audience;

/// Release coordination as a static site: plans, calendars, checks and notes from Markdown in git.
#[derive(Debug, Parser)]
#[command(name = "shipdate", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the internal and external sites.
    Build(BuildArgs),
    /// Run the coordination checks without writing anything.
    Check(CheckArgs),
}

/// Options shared by commands that load a site.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site root (where shipdate.yaml and content/ are).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The build's "now" (2026-11-23, 2026-11-23T09:00 or RFC 3339); else SOURCE_DATE_EPOCH, else the clock.
    #[arg(long)]
    pub now: Option<String>,
    /// Include draft releases.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
}

/// `shipdate build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site options.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder [config `output`, "public"].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Which sites to build.
    #[arg(long, value_enum, default_value_t = Audience::All)]
    pub audience: Audience,
    /// Override `base_url` (e.g. for a preview deployment).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print each stage with its timing.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print only errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people, with colour on a terminal.
    Human,
    /// A stable JSON document (see docs/checks.md).
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

/// `shipdate check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site options.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}
