//! Installing without compiling: the workflow `init` writes (plan-change
//! comment on pull requests, checks as annotations, the pinned release
//! binary with its checksum verified), this repository's release workflow
//! (binaries for every platform with SHA-256 checksums), the crate's
//! metadata for crates.io and `cargo binstall`, and the package's file list.
//! The workflow files are parsed as YAML; the steps they must have are
//! asserted by what they run.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

/// The steps of `job`, in order.
fn steps<'a>(workflow: &'a Value, job: &str) -> &'a [Value] {
    workflow["jobs"][job]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("job {job} has no steps"))
}

/// Index of the first step whose `run` (or `with.script`) contains every one of `needles`.
fn step_running(steps: &[Value], needles: &[&str]) -> usize {
    steps
        .iter()
        .position(|s| {
            let text = s["run"]
                .as_str()
                .or_else(|| s["with"]["script"].as_str())
                .unwrap_or_default();
            needles.iter().all(|n| text.contains(n))
        })
        .unwrap_or_else(|| panic!("no step runs {needles:?}"))
}

fn step_using(steps: &[Value], action: &str) -> usize {
    steps
        .iter()
        .position(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
        .unwrap_or_else(|| panic!("no step uses {action}"))
}

/// The workflow a new site gets, as `shipdate init` writes it.
fn init_workflow() -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shipdate"))
        .arg("init")
        .arg(tmp.path().join("site"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    yaml(&std::fs::read_to_string(tmp.path().join("site/.github/workflows/pages.yml")).unwrap())
}

#[test]
fn the_init_workflow_comments_the_plan_change_once_and_annotates_findings() {
    let w = init_workflow();
    assert!(w["on"]["pull_request"].is_null() && w["on"].get("pull_request").is_some());
    assert_eq!(w["on"]["push"]["branches"][0], "main");
    let build = &w["jobs"]["build"];
    assert_eq!(build["permissions"]["pull-requests"], "write");
    assert_eq!(w["permissions"]["contents"], "read");
    assert!(w["permissions"].get("pull-requests").is_none());
    let steps = steps(&w, "build");
    let checkout = step_using(steps, "actions/checkout");
    assert_eq!(steps[checkout]["with"]["fetch-depth"], 0);

    let install = step_running(steps, &["sha256sum --check"]);
    let diff = step_running(steps, &["shipdate diff", "--format markdown"]);
    assert_eq!(steps[diff]["if"], "github.event_name == 'pull_request'");
    let comment = step_using(steps, "actions/github-script");
    let script = steps[comment]["with"]["script"].as_str().unwrap();
    // One comment, found by the marker the markdown starts with, then updated.
    assert!(script.contains(&format!("'{}'", shipdate::diff::markdown::MARKER)));
    for call in ["listComments", "updateComment", "createComment", "paginate"] {
        assert!(script.contains(call), "the comment script lacks {call}");
    }
    let check = step_running(steps, &["shipdate check --format github"]);
    assert!(install < diff && diff < comment && comment < check);
    assert!(
        !repo_file("themes/default/scaffold/github/workflows/pages.yml")
            .contains("public/internal")
    );

    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["if"], "github.event_name != 'pull_request'");
}

#[test]
fn the_init_workflow_installs_the_pinned_verified_binary_else_compiles() {
    let w = init_workflow();
    // Pinned to the shipdate that wrote it.
    assert_eq!(w["env"]["SHIPDATE_VERSION"], env!("CARGO_PKG_VERSION"));
    let steps = steps(&w, "build");
    let install = &steps[step_running(steps, &["sha256sum --check"])]["run"];
    let run = install.as_str().unwrap();
    // The archive name the release workflow attaches (see the next test).
    assert!(run.contains("archive=\"shipdate-v${SHIPDATE_VERSION}-${target}.tar.gz\""));
    assert!(run.contains("releases/download/v${SHIPDATE_VERSION}"));
    assert!(run.contains("x86_64-unknown-linux-gnu") && run.contains("aarch64-unknown-linux-gnu"));
    // The binary is unpacked only once verified; otherwise it is compiled.
    let verified = run.find("sha256sum --check").unwrap();
    let unpacked = run.find("tar -xzf").unwrap();
    assert!(verified < unpacked);
    assert!(run.contains("cargo install --locked shipdate --version \"${SHIPDATE_VERSION}\""));
    assert!(run.contains("$GITHUB_PATH"));
}

#[test]
fn the_release_workflow_attaches_binaries_for_every_platform_with_checksums() {
    let w = yaml(&repo_file(".github/workflows/release.yml"));
    assert_eq!(w["on"]["push"]["tags"][0], "v*");
    assert_eq!(w["permissions"]["contents"], "read");
    let build = &w["jobs"]["build"];
    assert_eq!(build["permissions"]["contents"], "write");
    let targets: Vec<&str> = build["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    for t in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&t), "no {t} build");
    }
    let build_steps = steps(&w, "build");
    let compile = step_running(build_steps, &["cargo build --release --locked --target"]);
    let package = step_running(
        build_steps,
        &["shipdate-${GITHUB_REF_NAME}-${TARGET}", "sha256sum"],
    );
    let upload = step_running(build_steps, &["gh release upload", ".sha256"]);
    assert!(compile < package && package < upload);
    let run = build_steps[package]["run"].as_str().unwrap();
    assert!(
        run.contains("tar -czf \"$archive\" shipdate"),
        "the binary sits at the top of the archive"
    );
    assert!(run.contains("$name.zip"));
    // The tag must be the crate's version, so the names match binstall's.
    step_running(steps(&w, "create"), &["$GITHUB_REF_NAME", "Cargo.toml"]);
    step_running(steps(&w, "checksums"), &["SHA256SUMS", "gh release upload"]);
}

fn cargo() -> Option<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(&cargo).arg("--version").output().ok()?;
    Some(cargo)
}

#[test]
fn the_crate_has_its_metadata_and_binstall_finds_the_release_archives() {
    let Some(cargo) = cargo() else {
        eprintln!("skipped: no cargo");
        return;
    };
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = &meta["packages"][0];
    let repository = package["repository"].as_str().unwrap();
    assert!(repository.starts_with("https://github.com/"));
    assert!(package["homepage"].as_str().is_some());
    assert!(package["readme"].as_str().unwrap().ends_with("README.md"));
    assert!(!package["keywords"].as_array().unwrap().is_empty());
    assert!(!package["categories"].as_array().unwrap().is_empty());
    let binstall = &package["metadata"]["binstall"];
    assert_eq!(
        binstall["pkg-url"],
        "{ repo }/releases/download/v{ version }/{ name }-v{ version }-{ target }.tar.gz"
    );
    assert_eq!(binstall["bin-dir"], "{ bin }{ binary-ext }");
    assert_eq!(
        binstall["overrides"]["x86_64-pc-windows-msvc"]["pkg-fmt"],
        "zip"
    );
    // The init workflow downloads from the same repository.
    let slug = repository.trim_start_matches("https://github.com/");
    assert!(
        repo_file("themes/default/scaffold/github/workflows/pages.yml")
            .contains(&format!("SHIPDATE_REPO: {slug}"))
    );
}

#[test]
fn cargo_package_lists_the_built_in_theme() {
    let Some(cargo) = cargo() else {
        eprintln!("skipped: no cargo");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: std::collections::HashSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.replace('\\', "/"))
        .collect();
    let mut theme = Vec::new();
    collect(&root.join("themes/default"), root, &mut theme);
    assert!(theme.len() > 20, "{theme:?}");
    for file in &theme {
        assert!(listed.contains(file), "the package lacks {file}");
    }
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "src/main.rs",
        "docs/checks.md",
        // build.rs embeds the example for `init --example`.
        "build.rs",
        "shipdate.yaml",
        "content/_index.md",
    ] {
        assert!(listed.contains(file), "the package lacks {file}");
    }
}

/// Every file under `dir`, relative to `root`, `/`-separated.
fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, root, out);
        } else {
            let rel = path.strip_prefix(root).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn the_container_is_built_in_two_stages_and_runs_unprivileged() {
    let dockerfile = repo_file("Dockerfile");
    let instructions: Vec<&str> = dockerfile
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let froms: Vec<&&str> = instructions
        .iter()
        .filter(|l| l.starts_with("FROM "))
        .collect();
    assert_eq!(froms.len(), 2, "{froms:?}");
    assert!(froms[0].ends_with(" AS build"));
    assert!(
        instructions
            .iter()
            .any(|l| l.contains("cargo build --release --locked"))
    );
    assert!(
        instructions
            .iter()
            .any(|l| l.starts_with("COPY --from=build "))
    );
    // The last USER is a numeric, non-root user, after everything that needs root.
    let user = instructions
        .iter()
        .rposition(|l| l.starts_with("USER "))
        .unwrap();
    assert!(!instructions[user].contains(" 0") && !instructions[user].contains("root"));
    assert!(
        instructions[user + 1..]
            .iter()
            .all(|l| !l.starts_with("RUN "))
    );
    assert_eq!(instructions.last(), Some(&"CMD [\"build\"]"));
    assert!(repo_file(".dockerignore").lines().any(|l| l == "target"));
}
