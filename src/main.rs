//! The `shipdate` command: parse arguments, call the library, print, exit.

mod cli;
mod report;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use shipdate::{BuildError, BuildOptions};

/// Exit codes: 0 ok, 1 content errors, 2 usage errors.
#[derive(Debug, Clone, Copy)]
enum Exit {
    Ok = 0,
    Content = 1,
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
    }
    .into()
}

fn options(site: &cli::SiteArgs) -> Result<BuildOptions, Exit> {
    let now = shipdate::now::resolve(site.now.as_deref()).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Usage
    })?;
    let mut options = BuildOptions::new(&site.root, now);
    options.drafts = site.drafts;
    options.strict = site.strict;
    Ok(options)
}

fn build(args: cli::BuildArgs) -> Exit {
    let mut options = match options(&args.site) {
        Ok(o) => o,
        Err(e) => return e,
    };
    options.output = args.output;
    options.audience = args.audience;
    options.base_url = args.base_url;
    let started = std::time::Instant::now();
    match shipdate::build(&options) {
        Ok(report) => {
            if !args.quiet {
                report::warnings(&report.warnings, &options.root);
                report::notes(&report.notes);
                if args.verbose {
                    report::steps(&report.steps);
                    report::history(&report.history);
                }
                report::summary(&report, started.elapsed());
            }
            Exit::Ok
        }
        Err(BuildError::Content(diagnostics)) => {
            report::human(&diagnostics, &options.root);
            eprintln!("build failed: the previous output was left untouched");
            Exit::Content
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("build failed: the previous output was left untouched");
            Exit::Content
        }
    }
}

fn check(args: cli::CheckArgs) -> Exit {
    let options = match options(&args.site) {
        Ok(o) => o,
        Err(e) => return e,
    };
    let findings = shipdate::check(&options);
    match args.format {
        cli::Format::Human => report::human(&findings, &options.root),
        cli::Format::Json => report::json(&findings),
        cli::Format::Github => report::github(&findings),
    }
    if findings.iter().any(|d| d.is_error()) {
        Exit::Content
    } else {
        Exit::Ok
    }
}
