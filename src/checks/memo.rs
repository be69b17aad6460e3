//! Findings kept between the rebuilds of a `serve` session
//! ([`crate::Session`]): the rules that read one release and nothing else
//! run again only for the release files that changed (or whose findings the
//! clock has moved past); the rules that read several releases, git history
//! or the train schedule run every time. The result is what [`super::run`]
//! gives, in the same order.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::clock::Clock;
use super::{CheckInput, Family, Pass, PerRelease, apply_levels, families, unknown_rule_ids};
use crate::content::Release;
use crate::diagnostic::{self, Diagnostic};
use crate::moment::Moment;

/// Per-release findings from the previous rebuild, for one configuration.
#[derive(Debug, Default)]
pub struct Memo {
    /// The configuration the findings were made with (its JSON form).
    config: String,
    /// One entry per release of the previous rebuild, in its order.
    kept: Vec<Kept>,
    /// Release indices in path order, with the paths they were sorted from.
    order: Vec<usize>,
    paths: Vec<Arc<Release>>,
}

/// One release's findings from the per-release rules, sorted, levels applied.
#[derive(Debug)]
struct Kept {
    /// The release as loaded (before history set its slips).
    loaded: Arc<Release>,
    /// What history set on it.
    slips: usize,
    first_planned_date: Option<Moment>,
    /// What of "now" the findings depend on.
    clock: Clock,
    findings: Vec<Diagnostic>,
}

impl Memo {
    /// Every finding of the site, sorted, as `diagnostic::sort` would order
    /// `content` followed by [`super::run`]'s findings; `loaded` are the
    /// releases of `input` as the content stage gave them (the same `Arc`
    /// for an unchanged file), before history set their slips.
    pub fn run(
        &mut self,
        input: &CheckInput,
        loaded: &[Arc<Release>],
        content: Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let key = serde_json::to_string(input.config).unwrap_or_default();
        if key.is_empty() || key != self.config {
            self.kept.clear();
            self.config = key;
        }
        let mut cross: Vec<Family> = Vec::new();
        let mut per_release: Vec<PerRelease> = Vec::new();
        for pass in families() {
            match pass {
                Pass::Whole(check) => cross.push(check),
                Pass::EachRelease(check) => per_release.push(check),
            }
        }
        let (fresh, kept) = rayon::join(
            || {
                let mut found = unknown_rule_ids(input.config);
                found.extend(
                    cross
                        .par_iter()
                        .flat_map_iter(|check| {
                            let mut out = Vec::new();
                            check(input, &mut out);
                            out
                        })
                        .collect::<Vec<_>>(),
                );
                let mut fresh = content;
                fresh.extend(apply_levels(found, input.config));
                diagnostic::sort(&mut fresh);
                fresh
            },
            || self.per_release(input, loaded, &per_release),
        );
        self.kept = kept;
        self.sort_paths(input.releases);
        merge(fresh, &self.kept, &self.order, input.releases)
    }

    /// Each release's per-release findings: kept when its file, its history
    /// facts and the clock's answers are unchanged, else made again.
    fn per_release(
        &mut self,
        input: &CheckInput,
        loaded: &[Arc<Release>],
        rules: &[PerRelease],
    ) -> Vec<Kept> {
        let mut previous: HashMap<usize, Kept> = std::mem::take(&mut self.kept)
            .into_iter()
            .map(|k| (Arc::as_ptr(&k.loaded) as usize, k))
            .collect();
        let reused: Vec<Option<Kept>> = loaded
            .iter()
            .zip(input.releases)
            .map(|(l, r)| {
                previous.remove(&(Arc::as_ptr(l) as usize)).filter(|k| {
                    k.slips == r.slips
                        && k.first_planned_date == r.first_planned_date
                        && k.clock.holds_at(input.now)
                })
            })
            .collect();
        reused
            .into_par_iter()
            .zip(loaded.par_iter().zip(input.releases.par_iter()))
            .map(|(kept, (l, r))| {
                kept.unwrap_or_else(|| {
                    let mut clock = Clock::new(input.now);
                    let mut findings = Vec::new();
                    for check in rules {
                        check(input.config, r, &mut clock, &mut findings);
                    }
                    let mut findings = apply_levels(findings, input.config);
                    diagnostic::sort(&mut findings);
                    Kept {
                        loaded: l.clone(),
                        slips: r.slips,
                        first_planned_date: r.first_planned_date,
                        clock,
                        findings,
                    }
                })
            })
            .collect()
    }

    /// Release indices in path order, sorted again only when the paths changed.
    fn sort_paths(&mut self, releases: &[Arc<Release>]) {
        let same = self.paths.len() == releases.len()
            && self
                .paths
                .iter()
                .zip(releases)
                .all(|(a, b)| Arc::ptr_eq(a, b) || a.path.as_os_str() == b.path.as_os_str());
        if same {
            return;
        }
        let mut order: Vec<usize> = (0..releases.len()).collect();
        order.sort_by(|&i, &j| releases[i].path.cmp(&releases[j].path));
        self.order = order;
        self.paths = releases.to_vec();
    }
}

/// Merges `fresh` (sorted) with each release's kept findings (sorted, and
/// all in that release's file), visiting the releases in path `order`.
fn merge(
    fresh: Vec<Diagnostic>,
    kept: &[Kept],
    order: &[usize],
    releases: &[Arc<Release>],
) -> Vec<Diagnostic> {
    let total = fresh.len() + kept.iter().map(|k| k.findings.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    let mut fresh = fresh.into_iter().peekable();
    for &i in order {
        let path: &Path = &releases[i].path;
        while let Some(f) = fresh.next_if(|f| f.path.as_path() < path) {
            out.push(f);
        }
        let mine = &kept[i].findings;
        if mine.is_empty() {
            continue;
        }
        let mut mine = mine.iter().peekable();
        loop {
            let next_fresh = fresh.peek().filter(|f| f.path.as_path() == path);
            match (next_fresh, mine.peek()) {
                (Some(f), Some(m)) if by_place(f, m) != Ordering::Greater => {
                    out.extend(fresh.next());
                }
                (_, Some(_)) => out.extend(mine.next().cloned()),
                (Some(_), None) => out.extend(fresh.next()),
                (None, None) => break,
            }
        }
    }
    out.extend(fresh);
    out
}

/// `diagnostic::sort`'s order within one file.
fn by_place(a: &Diagnostic, b: &Diagnostic) -> Ordering {
    (a.position, a.rule, &a.message).cmp(&(b.position, b.rule, &b.message))
}
