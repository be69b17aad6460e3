//! Each release's events kept between the rebuilds of a `serve` session
//! ([`crate::Session`]): a release whose file did not change (the content
//! cache gives the same `Arc`) has the same events, so only changed releases
//! are derived again. Events read the release and the configuration only.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Event, release_events, sort};
use crate::config::SiteConfig;
use crate::content::Release;
use crate::moment::Moment;

/// The events of the previous rebuild, for one configuration.
#[derive(Debug, Default)]
pub struct Memo {
    /// The configuration the events were derived with (its JSON form).
    config: String,
    /// Per release of the previous rebuild, by the address of its `Arc` as loaded.
    kept: HashMap<usize, Kept>,
}

#[derive(Debug)]
struct Kept {
    /// The release as loaded (before history set its slips), kept alive so its address stays its own.
    loaded: Arc<Release>,
    /// What history set on it.
    slips: usize,
    first_planned_date: Option<Moment>,
    events: Vec<Event>,
}

impl Memo {
    /// [`super::derive`], deriving again only the events of releases not
    /// kept; `loaded` are `releases` as the content stage gave them.
    pub fn derive(
        &mut self,
        releases: &[Arc<Release>],
        loaded: &[Arc<Release>],
        config: &SiteConfig,
    ) -> Vec<Event> {
        let key = serde_json::to_string(config).unwrap_or_default();
        if key.is_empty() || key != self.config {
            self.kept.clear();
            self.config = key;
        }
        let mut previous = std::mem::take(&mut self.kept);
        let reused: Vec<Option<Kept>> = loaded
            .iter()
            .zip(releases)
            .map(|(l, r)| {
                previous
                    .remove(&(Arc::as_ptr(l) as usize))
                    .filter(|k| k.slips == r.slips && k.first_planned_date == r.first_planned_date)
            })
            .collect();
        let kept: Vec<Kept> = reused
            .into_par_iter()
            .zip(loaded.par_iter().zip(releases.par_iter()))
            .enumerate()
            .map(|(i, (kept, (l, r)))| match kept {
                Some(mut k) => {
                    for e in &mut k.events {
                        e.release = i;
                    }
                    k
                }
                None => Kept {
                    loaded: l.clone(),
                    slips: r.slips,
                    first_planned_date: r.first_planned_date,
                    events: release_events(i, r, config),
                },
            })
            .collect();
        let mut events: Vec<Event> = kept
            .par_iter()
            .flat_map_iter(|k| k.events.iter().cloned())
            .collect();
        sort(&mut events);
        self.kept = kept
            .into_iter()
            .map(|k| (Arc::as_ptr(&k.loaded) as usize, k))
            .collect();
        events
    }
}
