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
    /// What a change to the plan does: moved dates, who is affected, new findings.
    Diff(DiffArgs),
    /// Create a new site with example releases and a GitHub Pages workflow.
    Init(InitArgs),
    /// Write a new release file from its type's template.
    New(NewArgs),
    /// Build, serve both sites locally, rebuild and live-reload on change.
    Serve(ServeArgs),
}

/// `shipdate init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new site (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write into a non-empty folder, replacing files of the same names.
    #[arg(long)]
    pub force: bool,
    /// The full example site instead, as a git repository whose history has
    /// slips, late changes and removals (build it with --now 2026-11-23).
    #[arg(long)]
    pub example: bool,
}

/// `shipdate new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Release title ("Payments v2").
    pub title: String,
    /// Owning team (an id from `teams:` in shipdate.yaml).
    #[arg(long)]
    pub team: String,
    /// Release type: hotfix, patch, minor, major, launch, or one from shipdate.yaml.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: String,
    /// Ship date: 2026-12-01, 2026-12-01T14:00 (site time zone) or 2026-12-01T14:00:00Z.
    #[arg(long)]
    pub date: String,
    /// Release id [the title's slug].
    #[arg(long)]
    pub id: Option<String>,
    /// Site root (where shipdate.yaml and content/ are).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// `shipdate serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site root (where shipdate.yaml and content/ are).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes the internal site.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the internal site in a browser.
    #[arg(long)]
    pub open: bool,
    /// Leave out draft releases (they are shown, with a badge, by default).
    #[arg(long)]
    pub no_drafts: bool,
    /// The build's "now" (as for `build`); else SOURCE_DATE_EPOCH, else the clock at each rebuild.
    #[arg(long)]
    pub now: Option<String>,
}

/// Options shared by commands that load a site.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site root (where shipdate.yaml and content/ are).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The build's "now" (2026-11-23 = noon UTC, 2026-11-23T09:00 UTC, or RFC 3339); else SOURCE_DATE_EPOCH, else the clock.
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

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A pull-request comment (GitHub-flavoured Markdown).
    Markdown,
    /// A stable JSON document (see docs/diff.md).
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

/// `shipdate diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Git revision to compare with [the merge base with origin/HEAD, else main, else master].
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,
    /// "Now", for which notifications have happened (as for `build`); else SOURCE_DATE_EPOCH, else the clock.
    #[arg(long)]
    pub now: Option<String>,
    /// Site root (where shipdate.yaml and content/ are).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}
