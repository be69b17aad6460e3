//! Calendar pages: the internal agenda and month grids with team and kind
//! filters, and the external view of announced releases.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use super::agenda::{self, Dated};
use super::views::{EventRow, PublicRelease};
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::schedule::EventKind;
use crate::site::Site;
use crate::wording;

/// Days of upcoming events on the agenda page (month pages have the rest).
const AGENDA_AHEAD_DAYS: i64 = 120;
/// Days of past events on the agenda page.
const AGENDA_BEHIND_DAYS: i64 = 45;

/// A subscribable feed with both link forms.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedLink {
    name: String,
    /// `https://…` (or a relative link when `base_url` has no host).
    https: String,
    /// `webcal://…`, empty when `base_url` has no host (the page script fills it in).
    webcal: String,
    /// Path relative to the site root, for the script.
    path: String,
}

impl FeedLink {
    fn new(name: impl Into<String>, path: &str, absolute: &str) -> Self {
        let webcal = absolute
            .split_once("://")
            .map(|(_, rest)| format!("webcal://{rest}"))
            .unwrap_or_default();
        Self {
            name: name.into(),
            https: if webcal.is_empty() {
                String::new()
            } else {
                absolute.to_string()
            },
            webcal,
            path: path.to_string(),
        }
    }
}

/// Feeds offered on internal calendar pages: everything, then each team.
fn internal_feeds(site: &Site) -> Vec<FeedLink> {
    let mut feeds = vec![FeedLink::new(
        "All releases",
        "calendar.ics",
        &site.config.internal_absolute_url("calendar.ics"),
    )];
    for t in site.team_ids() {
        let path = format!("teams/{t}.ics");
        feeds.push(FeedLink::new(
            site.team_name(t),
            &path,
            &site.config.internal_absolute_url(&path),
        ));
    }
    feeds
}

#[derive(Serialize)]
struct Filter {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct Freeze {
    name: String,
    start: String,
    end: String,
    current_or_future: bool,
}

#[derive(Serialize)]
struct MonthLink {
    id: String,
    label: String,
    url: String,
    events: usize,
}

#[derive(Serialize)]
struct DayCell {
    day: String,
    number: u32,
    /// "Tue 8 Dec", for the phone layout where the grid becomes a list.
    label: String,
    in_month: bool,
    today: bool,
    weekend: bool,
    freeze: Option<String>,
    holiday: bool,
    events: Vec<EventRow>,
}

#[derive(Serialize)]
struct CalendarPage<'a> {
    site: &'a SiteView<'a>,
    teams: &'a [Filter],
    kinds: &'a [Filter],
    feeds: &'a [FeedLink],
    freezes: &'a [Freeze],
    months: &'a [MonthLink],
    today: String,
    // Agenda page.
    upcoming: Vec<EventRow>,
    past: Vec<EventRow>,
    // Month page.
    month: Option<MonthView>,
}

#[derive(Serialize)]
struct MonthView {
    id: String,
    label: String,
    prev: Option<String>,
    next: Option<String>,
    weeks: Vec<Vec<DayCell>>,
    count: usize,
}

fn month_id(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// Writes `internal/calendar/index.html` and one page per month with events.
pub(crate) fn render_internal(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    if !out.wants_under("internal/calendar/") {
        return Ok(());
    }
    let trains = agenda::train_rows(site);
    let month_starts = month_starts(site, &trains);
    let mut paths = [
        (Kind::File, "calendar/filters.css".to_string()),
        (Kind::Page, "calendar/index.html".to_string()),
    ]
    .into_iter()
    .chain(
        month_starts
            .iter()
            .map(|m| (Kind::Page, format!("calendar/{}/index.html", month_id(*m)))),
    );
    if !paths.any(|(kind, p)| out.wants(kind, &format!("internal/{p}"))) {
        return Ok(());
    }
    let site_view = SiteView::new(site, "internal");
    let today = site.today();
    let (teams, kinds) = filters(site);
    let feeds = internal_feeds(site);
    let freezes = freezes(site, today);
    let by_day = events_by_day(site);
    let months = month_links(&month_starts, &by_day, &trains);
    let rows = |from: NaiveDate, to: NaiveDate| -> Vec<EventRow> {
        let events = by_day
            .range(from..to)
            .flat_map(|(_, v)| v.iter().map(|&i| Dated::of_event(&site.events[i], site)));
        agenda::merge(events, agenda::between(&trains, from, to))
    };
    let mut past = rows(today - Duration::days(AGENDA_BEHIND_DAYS), today);
    past.reverse();
    let base = CalendarPage {
        site: &site_view,
        teams: &teams,
        kinds: &kinds,
        feeds: &feeds,
        freezes: &freezes,
        months: &months,
        today: today.to_string(),
        upcoming: rows(today, today + Duration::days(AGENDA_AHEAD_DAYS)),
        past,
        month: None,
    };
    out.asset(
        "partials/filters.css",
        "internal/calendar/filters.css",
        &context("calendar/filters.css", &base)?,
    )?;
    out.page(
        "internal/calendar.html",
        "internal/calendar/index.html",
        &context("calendar/index.html", &base)?,
    )?;
    let days = Days {
        events: &by_day,
        trains: &trains,
    };
    render_months(site, out, &base, &month_starts, &days)
}

/// What a month grid shows per day: release events and train rows.
struct Days<'a> {
    events: &'a BTreeMap<NaiveDate, Vec<usize>>,
    trains: &'a [Dated],
}

impl Days<'_> {
    /// The rows of `day`, in time order.
    fn rows(&self, site: &Site, day: NaiveDate) -> Vec<EventRow> {
        let events = self
            .events
            .get(&day)
            .into_iter()
            .flatten()
            .map(|&i| Dated::of_event(&site.events[i], site));
        let next = day.succ_opt().unwrap_or(day);
        agenda::merge(events, agenda::between(self.trains, day, next))
    }
}

/// The first day of every month that holds an event or a train row: each
/// has a page.
fn month_starts(site: &Site, trains: &[Dated]) -> Vec<NaiveDate> {
    // Only months that hold events get a page: one far-off milestone must
    // not make a run of empty months. The month list links them all.
    let mut month_starts: Vec<NaiveDate> = site
        .events
        .iter()
        .map(|e| first_of_month(e.day(&site.content.releases[e.release])))
        .chain(trains.iter().map(|t| first_of_month(t.day)))
        .collect();
    month_starts.sort_unstable();
    month_starts.dedup();
    month_starts
}

/// The calendar's team and event-kind filters.
fn filters(site: &Site) -> (Vec<Filter>, Vec<Filter>) {
    let teams = site
        .team_ids()
        .into_iter()
        .map(|t| Filter {
            id: t.to_string(),
            label: site.team_name(t).to_string(),
        })
        .collect();
    let trains = (!site.config.trains.is_empty()).then(|| Filter {
        id: agenda::TRAIN_KIND.into(),
        label: agenda::TRAIN_LABEL.into(),
    });
    let kinds = EventKind::ALL
        .iter()
        .map(|k| Filter {
            id: k.as_str().into(),
            label: k.label().into(),
        })
        .chain(trains)
        .collect();
    (teams, kinds)
}

/// The configured freeze windows, worded.
fn freezes(site: &Site, today: NaiveDate) -> Vec<Freeze> {
    site.config
        .freeze
        .iter()
        .map(|w| Freeze {
            name: w.name.clone(),
            start: wording::day(w.start),
            end: wording::day(w.end),
            current_or_future: w.end >= today,
        })
        .collect()
}

/// Indexes into `site.events` per day, in event order.
fn events_by_day(site: &Site) -> BTreeMap<NaiveDate, Vec<usize>> {
    let mut by_day: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, e) in site.events.iter().enumerate() {
        by_day
            .entry(e.day(&site.content.releases[e.release]))
            .or_default()
            .push(i);
    }
    by_day
}

/// A link per month page, with its number of events.
fn month_links(
    month_starts: &[NaiveDate],
    by_day: &BTreeMap<NaiveDate, Vec<usize>>,
    trains: &[Dated],
) -> Vec<MonthLink> {
    month_starts
        .iter()
        .map(|m| MonthLink {
            id: month_id(*m),
            label: m.format("%B %Y").to_string(),
            url: format!("calendar/{}/index.html", month_id(*m)),
            events: by_day
                .range(*m..next_month(*m))
                .map(|(_, v)| v.len())
                .sum::<usize>()
                + agenda::between(trains, *m, next_month(*m)).count(),
        })
        .collect()
}

/// One page per month (`internal/calendar/<yyyy-mm>/index.html`), in parallel.
fn render_months(
    site: &Site,
    out: &Renderer,
    base: &CalendarPage,
    month_starts: &[NaiveDate],
    days: &Days,
) -> Result<(), RenderError> {
    let today = site.today();
    month_starts
        .par_iter()
        .enumerate()
        .try_for_each(|(i, &start)| {
            let id = month_id(start);
            let path = format!("calendar/{id}/index.html");
            if !out.wants(Kind::Page, &format!("internal/{path}")) {
                return Ok(());
            }
            let month = MonthView {
                id: id.clone(),
                label: start.format("%B %Y").to_string(),
                prev: i.checked_sub(1).map(|p| month_id(month_starts[p])),
                next: month_starts.get(i + 1).map(|n| month_id(*n)),
                weeks: weeks(site, start, today, days),
                count: base.months[i].events,
            };
            let page = CalendarPage {
                upcoming: Vec::new(),
                past: Vec::new(),
                month: Some(month),
                ..clone_base(base)
            };
            out.page(
                "internal/month.html",
                &format!("internal/{path}"),
                &context(&path, &page)?,
            )
        })
}

fn clone_base<'a>(b: &CalendarPage<'a>) -> CalendarPage<'a> {
    CalendarPage {
        site: b.site,
        teams: b.teams,
        kinds: b.kinds,
        feeds: b.feeds,
        freezes: b.freezes,
        months: b.months,
        today: b.today.clone(),
        upcoming: Vec::new(),
        past: Vec::new(),
        month: None,
    }
}

/// Monday-first weeks covering the month starting at `start`.
fn weeks(site: &Site, start: NaiveDate, today: NaiveDate, days: &Days) -> Vec<Vec<DayCell>> {
    let grid_start = start - Duration::days(i64::from(start.weekday().num_days_from_monday()));
    let end = next_month(start);
    let mut weeks = Vec::new();
    let mut day = grid_start;
    while day < end {
        let week = (0..7)
            .map(|offset| {
                let d = day + Duration::days(offset);
                let in_month = d >= start && d < end;
                DayCell {
                    day: d.to_string(),
                    number: d.day(),
                    label: d.format("%a %-d %b").to_string(),
                    in_month,
                    today: d == today,
                    weekend: d.weekday().num_days_from_monday() >= 5,
                    freeze: site.config.freeze_at(d).map(|w| w.name.clone()),
                    holiday: site.config.holidays.binary_search(&d).is_ok(),
                    events: if in_month {
                        days.rows(site, d)
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        weeks.push(week);
        day += Duration::days(7);
    }
    weeks
}

#[derive(Serialize)]
struct ExternalCalendar<'a> {
    site: &'a SiteView<'a>,
    feed: FeedLink,
    months: Vec<(String, Vec<PublicRelease>)>,
}

/// Writes `external/calendar/index.html`: announced releases by month, newest first.
pub(crate) fn render_external(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    if !out.wants(Kind::Page, "external/calendar/index.html") {
        return Ok(());
    }
    let site_view = SiteView::new(site, "external");
    let mut months: Vec<(String, Vec<PublicRelease>)> = Vec::new();
    for r in site
        .content
        .releases
        .iter()
        .rev()
        .filter(|r| r.is_announced(site.now))
    {
        let Some(day) = r.ship_day() else { continue };
        let label = day.format("%B %Y").to_string();
        match months.last_mut() {
            Some((l, list)) if *l == label => list.push(PublicRelease::of(r, site)),
            _ => months.push((label, vec![PublicRelease::of(r, site)])),
        }
    }
    let page = ExternalCalendar {
        site: &site_view,
        feed: FeedLink::new(
            "Releases",
            "calendar.ics",
            &site.config.absolute_url("calendar.ics"),
        ),
        months,
    };
    out.page(
        "external/calendar.html",
        "external/calendar/index.html",
        &context("calendar/index.html", &page)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_links_offer_webcal_only_with_a_host() {
        let f = FeedLink::new("All", "calendar.ics", "https://acme.example/r/calendar.ics");
        assert_eq!(f.webcal, "webcal://acme.example/r/calendar.ics");
        let f = FeedLink::new("All", "calendar.ics", "/calendar.ics");
        assert_eq!((f.webcal.as_str(), f.https.as_str()), ("", ""));
    }

    #[test]
    fn months_roll_over_the_year() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
        assert_eq!(next_month(d), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(month_id(d), "2026-12");
    }
}
