//! Schedule changes from git history (SPEC §4): `internal/changes/index.html`
//! and the Atom feed `internal/changes.xml` teams subscribe to, to hear when
//! a dependency shifts. Internal only: nothing here reaches the external site.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::history_view::{instant, instant_iso, short};
use super::views::release_url;
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::history::{Change, ChangeKind, EventChange, RECENT_DAYS, State};
use crate::moment::Moment;
use crate::schedule::EventKind;
use crate::site::Site;
use crate::wording;

/// Changes the dashboard lists; the page has them all.
pub(crate) const DASHBOARD_CHANGES: usize = 5;

/// One commit's change to one release, for the page, the feed and the dashboard.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeRow {
    /// Anchor on the changes page, unique per commit and release.
    anchor: String,
    /// Commit time, for people (UTC).
    at: String,
    /// Commit time, for machines (and Atom `updated`).
    at_iso: String,
    /// Commit author.
    author: String,
    /// Short commit id.
    commit: String,
    /// `created`, `deleted`, `renamed` or `edited`.
    kind: &'static str,
    /// One line: what happened.
    headline: String,
    /// Release id.
    release_id: String,
    /// Release title.
    title: String,
    /// Release page (site-relative) when the release still exists.
    url: Option<String>,
    /// Release id before a rename.
    renamed_from: Option<String>,
    /// Ship date, for people.
    ship: String,
    /// Event by event.
    events: Vec<EventRow>,
    /// Atom entry id.
    entry_id: String,
    /// Absolute link for the feed: the release page, else this entry on the changes page.
    link: String,
}

/// How one event changed.
#[derive(Debug, Clone, Serialize)]
struct EventRow {
    /// `moved`, `added` or `removed`.
    action: &'static str,
    /// Kind label, e.g. "Milestone".
    kind_label: &'static str,
    /// Event name.
    name: String,
    /// When before, for people.
    from: Option<String>,
    /// When after, for people.
    to: Option<String>,
}

#[derive(Serialize)]
struct ChangesPage<'a> {
    site: &'a SiteView<'a>,
    changes: &'a [ChangeRow],
    days: i64,
    /// `off`, `complete` or `shallow`.
    history: State,
    /// Why history is off, when it is.
    notes: &'a [String],
    feed_url: String,
}

#[derive(Serialize)]
struct ChangesFeed<'a> {
    site: &'a SiteView<'a>,
    id: String,
    feed_url: String,
    page_url: String,
    updated: String,
    changes: &'a [ChangeRow],
}

/// The rows of every recent change, newest first.
pub(crate) fn rows(site: &Site) -> Vec<ChangeRow> {
    site.history.changes.iter().map(|c| row(site, c)).collect()
}

fn when(m: &Option<Moment>, tz: Tz) -> Option<String> {
    m.as_ref().map(|m| wording::moment(m, tz))
}

fn event_row(e: &EventChange, tz: Tz) -> EventRow {
    EventRow {
        action: match (&e.from, &e.to) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "moved",
        },
        kind_label: e.kind.label(),
        name: e.name.clone(),
        from: when(&e.from, tz),
        to: when(&e.to, tz),
    }
}

/// "2 events moved, 1 added" — or the ship date's move when that is among them.
fn headline(c: &Change, events: &[EventRow]) -> String {
    let ship = wording::maybe(c.ship.as_ref(), c.timezone);
    match c.kind {
        ChangeKind::Created => format!("added to the plan, shipping {ship}"),
        ChangeKind::Deleted => format!("removed from the plan (was shipping {ship})"),
        ChangeKind::Renamed => format!(
            "renamed from `{}`; its calendar events have new ids",
            c.renamed_from.as_deref().unwrap_or_default()
        ),
        ChangeKind::Edited => {
            let launch = c
                .events
                .iter()
                .zip(events)
                .find(|(e, _)| e.kind == EventKind::Launch);
            if let Some((_, row)) = launch {
                return match (&row.from, &row.to) {
                    (Some(from), Some(to)) => format!("ship date moved from {from} to {to}"),
                    (None, Some(to)) => format!("ship date set to {to}"),
                    (Some(from), None) => format!("ship date {from} removed"),
                    (None, None) => "ship date changed".to_string(),
                };
            }
            let count = |action: &str| events.iter().filter(|e| e.action == action).count();
            let parts: Vec<String> = [
                ("moved", count("moved")),
                ("added", count("added")),
                ("removed", count("removed")),
            ]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(what, n)| format!("{n} event{} {what}", if n == 1 { "" } else { "s" }))
            .collect();
            parts.join(", ")
        }
    }
}

fn kind_id(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Created => "created",
        ChangeKind::Deleted => "deleted",
        ChangeKind::Renamed => "renamed",
        ChangeKind::Edited => "edited",
    }
}

/// The row of one change.
pub(crate) fn row(site: &Site, c: &Change) -> ChangeRow {
    let events: Vec<EventRow> = c.events.iter().map(|e| event_row(e, c.timezone)).collect();
    let anchor = format!("{}-{}", short(&c.commit), c.release_id);
    let exists = site.release(&c.release_id).is_some();
    ChangeRow {
        headline: headline(c, &events),
        at: instant(c.at),
        at_iso: instant_iso(c.at),
        author: c.author.clone(),
        commit: short(&c.commit),
        kind: kind_id(c.kind),
        release_id: c.release_id.clone(),
        title: c.title.clone(),
        url: exists.then(|| release_url(&c.release_id)),
        renamed_from: c.renamed_from.clone(),
        ship: wording::maybe(c.ship.as_ref(), c.timezone),
        events,
        entry_id: format!(
            "tag:{},2000:changes/{}/{}",
            site.config.uid_domain, c.commit, c.release_id
        ),
        link: if exists {
            site.config
                .internal_absolute_url(&format!("releases/{}/", c.release_id))
        } else {
            site.config
                .internal_absolute_url(&format!("changes/#{anchor}"))
        },
        anchor,
    }
}

/// The newest commit time among `rows`, else "now" (an empty feed).
fn updated(site: &Site, changes: &[Change]) -> String {
    let newest: Option<DateTime<Utc>> = changes.iter().map(|c| c.at).max();
    instant_iso(newest.unwrap_or(site.now))
}

/// Writes `internal/changes/index.html` and `internal/changes.xml`.
pub(crate) fn render(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    if !out.wants(Kind::Page, "internal/changes/index.html")
        && !out.wants(Kind::Feed, "internal/changes.xml")
    {
        return Ok(());
    }
    let rows = &rows(site);
    let site_view = SiteView::new(site, "internal");
    let page = ChangesPage {
        site: &site_view,
        changes: rows,
        days: RECENT_DAYS,
        history: site.history.state,
        notes: &site.history.notes,
        feed_url: "changes.xml".to_string(),
    };
    out.page(
        "internal/changes.html",
        "internal/changes/index.html",
        &context("changes/index.html", &page)?,
    )?;
    let feed = ChangesFeed {
        site: &site_view,
        id: format!("tag:{},2000:changes", site.config.uid_domain),
        feed_url: site.config.internal_absolute_url("changes.xml"),
        page_url: site.config.internal_absolute_url("changes/"),
        updated: updated(site, &site.history.changes),
        changes: rows,
    };
    out.feed(
        "internal/changes.xml",
        "internal/changes.xml",
        &context("changes.xml", &feed)?,
    )
}
