//! The model every page reads: the loaded site ([`Site`]) and its lookups
//! (releases by id, dependents, events and findings per release, git facts
//! per file). Built once by the `schedule` stage, read by `render`.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::SiteConfig;
use crate::content::{Content, Release};
use crate::diagnostic::Diagnostic;
use crate::schedule::{self, Event};
use crate::{history, metrics};

/// The loaded, derived model every later stage reads.
#[derive(Debug)]
pub struct Site {
    /// Configuration.
    pub config: SiteConfig,
    /// Releases and home page.
    pub content: Content,
    /// Calendar events of all releases, sorted.
    pub events: Vec<Event>,
    /// Events of the site itself (freeze windows, train departures).
    pub site_events: Vec<schedule::SiteEvent>,
    /// Check findings (warnings only, once loading succeeded).
    pub findings: Vec<Diagnostic>,
    /// Post-release aggregates and triggers.
    pub metrics: metrics::Metrics,
    /// Git facts: per-file history, recent schedule changes, tombstones.
    pub history: history::History,
    /// The build's "now".
    pub now: DateTime<Utc>,
    by_id: HashMap<String, usize>,
    dependents: Vec<Vec<usize>>,
    events_by_release: Vec<Vec<usize>>,
    findings_by_path: HashMap<PathBuf, Vec<usize>>,
}

impl Site {
    /// Assembles the model and its lookup tables.
    pub fn new(
        config: SiteConfig,
        content: Content,
        findings: Vec<Diagnostic>,
        history: history::History,
        now: DateTime<Utc>,
    ) -> Self {
        let events = schedule::derive(&content.releases, &config);
        Self::with_events(config, content, findings, history, now, events)
    }

    /// [`Site::new`] with the releases' `events` already derived (kept between rebuilds by [`schedule::Memo`]).
    pub fn with_events(
        config: SiteConfig,
        content: Content,
        findings: Vec<Diagnostic>,
        mut history: history::History,
        now: DateTime<Utc>,
        events: Vec<Event>,
    ) -> Self {
        let mut site_events = schedule::site_events(&config);
        site_events.extend(schedule::train_events(&config, now));
        // Every UID of a large site is many strings: only made when there is something to settle.
        if !history.tombstones.is_empty() {
            let internal_uids = events.iter().map(|e| e.uid(&config.uid_domain)).collect();
            let external_uids = events
                .iter()
                .filter(|e| schedule::is_public(e, &content.releases[e.release], now))
                .map(|e| e.uid(&config.uid_domain))
                .collect();
            history.settle(&internal_uids, &external_uids);
        }
        let by_id: HashMap<String, usize> = content
            .releases
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let mut dependents = vec![Vec::new(); content.releases.len()];
        for (i, r) in content.releases.iter().enumerate() {
            for d in &r.depends_on {
                if let Some(&j) = by_id.get(&d.value) {
                    dependents[j].push(i);
                }
            }
        }
        let mut events_by_release = vec![Vec::new(); content.releases.len()];
        for (i, e) in events.iter().enumerate() {
            events_by_release[e.release].push(i);
        }
        // Findings come sorted by file: hash each run of one file's findings once, not each finding.
        let mut findings_by_path: HashMap<PathBuf, Vec<usize>> = HashMap::new();
        let mut start = 0;
        for end in 1..=findings.len() {
            let path = &findings[start].path;
            if end == findings.len() || findings[end].path != *path {
                let run = findings_by_path.entry(path.clone()).or_default();
                run.extend(start..end);
                start = end;
            }
        }
        let metrics = metrics::Metrics::compute(&content.releases, &config, |t| {
            config
                .team(t)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| t.to_string())
        });
        Self {
            config,
            content,
            events,
            site_events,
            findings,
            metrics,
            history,
            now,
            by_id,
            dependents,
            events_by_release,
            findings_by_path,
        }
    }

    /// The release with `id`.
    pub fn release(&self, id: &str) -> Option<&Release> {
        self.by_id.get(id).map(|&i| &*self.content.releases[i])
    }

    /// Releases that depend on release `index`.
    pub fn dependents_of(&self, index: usize) -> impl Iterator<Item = &Release> {
        self.dependents[index]
            .iter()
            .map(|&i| &*self.content.releases[i])
    }

    /// Events of release `index`, in time order.
    pub fn events_of(&self, index: usize) -> impl Iterator<Item = &Event> {
        self.events_by_release[index]
            .iter()
            .map(|&i| &self.events[i])
    }

    /// Findings located in `release`'s file.
    pub fn findings_of<'a>(&'a self, release: &'a Release) -> impl Iterator<Item = &'a Diagnostic> {
        self.findings_by_path
            .get(&release.path)
            .into_iter()
            .flatten()
            .map(|&i| &self.findings[i])
    }

    /// A team's display name (its id when not configured).
    pub fn team_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.config.team(id).map(|t| t.name.as_str()).unwrap_or(id)
    }

    /// Configured teams, or every team named by a release or a train when
    /// none are configured.
    pub fn team_ids(&self) -> Vec<&str> {
        if !self.config.teams.is_empty() {
            return self.config.teams.iter().map(|t| t.id.as_str()).collect();
        }
        let trains = self.config.trains.iter().map(|t| t.team.as_str());
        let mut ids: Vec<&str> = self
            .content
            .releases
            .iter()
            .flat_map(|r| r.all_teams())
            .chain(trains)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Feed facts of release `index`'s file: its last commit time and commit
    /// count; "now" and 0 without git. A file with uncommitted edits counts
    /// as changed now, one commit ahead (see [`history`]).
    pub fn history_of(&self, index: usize) -> FileFacts {
        let off = FileFacts {
            modified: self.now,
            sequence: 0,
        };
        if self.history.state == history::State::Off {
            return off;
        }
        match self.history.file(&self.content.releases[index].path) {
            Some(f) if !f.dirty => FileFacts {
                modified: f.modified.unwrap_or(self.now),
                sequence: f.commits,
            },
            Some(f) => FileFacts {
                modified: self.now,
                sequence: f.commits.saturating_add(1),
            },
            None => off,
        }
    }

    /// Today in the site's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.config.timezone).date_naive()
    }
}

/// What git knows about a release file; without git, "now" and 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFacts {
    /// Time of the last commit that changed the file (DTSTAMP, LAST-MODIFIED).
    pub modified: DateTime<Utc>,
    /// Number of commits that changed the file (SEQUENCE).
    pub sequence: u32,
}
