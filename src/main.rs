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

/// mimalloc instead of the system allocator: a build allocates millions of
/// small strings and template values from several threads, and glibc's
/// malloc spent about a sixth of a 10k-release build (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        quiet_broken_pipe();
    }
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::Diff(args) => diff(args),
        Command::Init(args) => init(args),
        Command::New(args) => new(args),
        Command::Serve(args) => serve(args),
    }
    .into()
}

/// Ends the process quietly when the reader of its output goes away
/// (`shipdate check | head`), as other command-line tools do, instead of
/// `println!` panicking with exit code 101. Not for `serve`, whose
/// connections report a closed peer as an error of their own.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists;
    // SIG_DFL is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn options(site: &cli::SiteArgs) -> Result<BuildOptions, Exit> {
    site_root(&site.root)?;
    let now = shipdate::now::resolve(site.now.as_deref()).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Usage
    })?;
    let mut options = BuildOptions::new(&site.root, now);
    options.drafts = site.drafts;
    options.strict = site.strict;
    Ok(options)
}

/// A usage error unless `root` is a site: a folder with `shipdate.yaml` or
/// `content/` (a mistyped `--root` must not build an empty site).
fn site_root(root: &std::path::Path) -> Result<(), Exit> {
    if !root.is_dir() {
        eprintln!("error: {}: no such folder", root.display());
        eprintln!("  = hint: pass the folder that holds shipdate.yaml and content/ with --root");
        return Err(Exit::Usage);
    }
    if !root.join("shipdate.yaml").is_file() && !root.join("content").is_dir() {
        eprintln!(
            "error: {} is not a shipdate site: it has neither shipdate.yaml nor content/",
            root.display()
        );
        eprintln!(
            "  = hint: pass the site's folder with --root, or start one with `shipdate init`"
        );
        return Err(Exit::Usage);
    }
    Ok(())
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
    let progress = (!args.quiet).then(|| report::Progress::start("building"));
    let result = shipdate::build(&options);
    if let Some(p) = progress {
        p.finish();
    }
    match result {
        Ok(report) => {
            if !args.quiet {
                report::warnings(&report.warnings, &options.root, args.verbose);
                report::notes(&report.notes);
                if args.verbose {
                    report::steps(&report.steps);
                    report::history(&report.history);
                }
                report::summary(&report, started.elapsed(), args.verbose);
            }
            Exit::Ok
        }
        Err(BuildError::Content(diagnostics)) => {
            report::human(&diagnostics, &options.root);
            eprintln!("build failed: the previous output was left untouched");
            Exit::Content
        }
        Err(BuildError::Output(e)) => {
            eprintln!("error: {}", report::escaped(&e.to_string()));
            if let Some(hint) = e.hint() {
                eprintln!("  = hint: {hint}");
            }
            eprintln!("build failed: the previous output was left untouched");
            match e {
                shipdate::output::OutputError::Io { .. } => Exit::Content,
                _ => Exit::Usage,
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("build failed: the previous output was left untouched");
            Exit::Content
        }
    }
}

fn init(args: cli::InitArgs) -> Exit {
    use shipdate::init::InitError;
    let done = if args.example {
        shipdate::init::example::init(&args.dir, args.force)
    } else {
        match shipdate::now::resolve(None) {
            Ok(now) => shipdate::init::init(&args.dir, args.force, now),
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Usage;
            }
        }
    };
    let e = match done {
        Ok(done) => {
            report::initialized(&args.dir, &done);
            return Exit::Ok;
        }
        Err(e) => e,
    };
    eprintln!("error: {e}");
    let hint = match e {
        InitError::NotEmpty { .. } => {
            "choose an empty or new folder, or pass --force to add the site here (files of the same names are replaced)"
        }
        InitError::Repository { .. } => {
            "--example makes a repository with a history of its own: choose a new or empty folder"
        }
        InitError::NoGit { .. } => {
            "install git (https://git-scm.com) and run the command again, or leave out --example for a site without history"
        }
        _ => return Exit::Content,
    };
    eprintln!("  = hint: {hint}");
    Exit::Usage
}

fn new(args: cli::NewArgs) -> Exit {
    use shipdate::new::NewError;
    let now = match shipdate::now::resolve(None) {
        Ok(now) => now,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    let request = shipdate::new::NewRelease {
        root: args.root.clone(),
        title: args.title,
        team: args.team,
        kind: args.kind,
        date: args.date,
        id: args.id,
        now,
    };
    match shipdate::new::create(&request) {
        Ok(created) => {
            let path = if args.root == std::path::Path::new(".") {
                created.path.clone()
            } else {
                args.root.join(&created.path)
            };
            println!("{}", path.display());
            eprintln!(
                "created release `{}` from {}; fill in the blanks, then `shipdate serve` or `shipdate check`",
                created.id, created.template
            );
            Exit::Ok
        }
        Err(NewError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("error: {}: {}", p.arg, p.message);
                if let Some(hint) = &p.hint {
                    eprintln!("  = hint: {hint}");
                }
            }
            Exit::Usage
        }
        Err(e @ NewError::Exists(_)) => {
            eprintln!("error: {e}");
            eprintln!(
                "  = hint: edit the existing file, or pass --id to create a release with another id"
            );
            Exit::Usage
        }
        Err(NewError::Config(d) | NewError::Theme(d)) => {
            report::human(&d, &args.root);
            Exit::Content
        }
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Content
        }
    }
}

fn serve(args: cli::ServeArgs) -> Exit {
    use shipdate::serve::{ServeError, ServeOptions};
    // A fixed "now" when asked for one; else the clock, read again at each rebuild.
    let now = if args.now.is_some() || std::env::var_os("SOURCE_DATE_EPOCH").is_some() {
        match shipdate::now::resolve(args.now.as_deref()) {
            Ok(now) => Some(now),
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Usage;
            }
        }
    } else {
        None
    };
    let reporter = report::ServeReporter {
        open: args.open,
        root: args.root.clone(),
    };
    let options = ServeOptions {
        root: args.root,
        addr: std::net::SocketAddr::new(args.bind, args.port),
        drafts: !args.no_drafts,
        now,
    };
    match shipdate::serve::run(options, std::sync::Arc::new(reporter)) {
        Ok(()) => Exit::Ok,
        Err(e @ ServeError::Bind { .. }) => {
            eprintln!("error: {e}");
            eprintln!("  = hint: pick another port with --port, or stop the other server");
            Exit::Usage
        }
        Err(e) => {
            eprintln!("error: {e}");
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

fn diff(args: cli::DiffArgs) -> Exit {
    use shipdate::diff;
    if let Err(e) = site_root(&args.root) {
        return e;
    }
    let now = match shipdate::now::resolve(args.now.as_deref()) {
        Ok(now) => now,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    let options = diff::DiffOptions {
        root: args.root,
        base: args.base,
        now,
    };
    let result = match diff::run(&options) {
        Ok(result) => result,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("  = hint: {}", e.hint());
            return Exit::Usage;
        }
    };
    let text = match args.format {
        cli::DiffFormat::Markdown => diff::markdown::render(&result),
        cli::DiffFormat::Json => diff::json::render(&result),
        cli::DiffFormat::Github => diff::github::render(&result),
    };
    print!("{text}");
    if result.has_new_error() {
        Exit::Content
    } else {
        Exit::Ok
    }
}
