//! `GitSite`: a site in a fresh git repository, changed and committed step
//! by step with fixed author names and dates, so history tests read as a script:
//! `repo.release("a", &front, "").commit("Dana Lee", "2026-11-01T09:00:00Z", "Plan")`.

use std::path::Path;
use std::process::Command;

use super::SiteTest;

/// Runs git in `dir` as `author` at `date`, with no user or system
/// configuration; returns what it printed, trimmed.
pub fn git_in(dir: &Path, args: &[&str], author: &str, date: &str) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            &format!("user.name={author}"),
            "-c",
            &format!("user.email={}@example.com", author.replace(' ', ".")),
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A site (`shipdate.yaml` = the config given) in a fresh git repository.
pub struct GitSite {
    /// The site; build and read it as any [`SiteTest`].
    pub site: SiteTest,
}

impl GitSite {
    /// A repository with only the config file, not yet committed.
    pub fn new(config: &str) -> Self {
        let site = SiteTest::with_config(config);
        git_in(
            site.root(),
            &["init", "-q"],
            "Setup",
            "2026-01-01T00:00:00Z",
        );
        Self { site }
    }

    /// Writes `content/releases/<name>.md` (see [`SiteTest::release`]).
    pub fn release(&self, name: &str, front: &str, body: &str) -> &Self {
        self.site.release(name, front, body);
        self
    }

    /// Writes `text` to `path` under the root.
    pub fn write(&self, path: &str, text: &str) -> &Self {
        self.site.write(path, text);
        self
    }

    /// Deletes `content/releases/<name>.md`.
    pub fn remove(&self, name: &str) -> &Self {
        self.site.remove_release(name);
        self
    }

    /// Stages everything and commits it as `author` at `date` (UTC).
    pub fn commit(&self, author: &str, date: &str, message: &str) -> &Self {
        git_in(self.site.root(), &["add", "-A"], author, date);
        git_in(
            self.site.root(),
            &["commit", "-q", "--allow-empty", "-m", message],
            author,
            date,
        );
        self
    }

    /// Runs another git command (`mv`, …) in the repository.
    pub fn git(&self, args: &[&str]) -> &Self {
        git_in(self.site.root(), args, "Setup", "2026-01-01T00:00:00Z");
        self
    }
}
