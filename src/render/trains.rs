//! `internal/trains/<id>/index.html` (SPEC §4): a train's departures from
//! 90 days before "now" to its `until`, each with its milestones and the
//! releases on board; empty departures say so.

use chrono::Duration;
use serde::Serialize;

use super::views::{ReleaseSummary, team_url};
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::config::Train;
use crate::moment::Moment;
use crate::schedule::{Departure, trains::departures};
use crate::site::Site;
use crate::wording;

/// Days of past departures a train page still lists.
const PAST_DAYS: i64 = 90;

/// Site-relative URL of a train page.
pub(crate) fn train_url(id: &str) -> String {
    format!("trains/{id}/index.html")
}

/// A time on the page: for people (with its zone) and for `<time>`.
#[derive(Debug, Serialize)]
struct When {
    text: String,
    iso: String,
}

impl When {
    fn of(m: &Moment, site: &Site) -> Self {
        Self {
            text: wording::moment(m, site.config.timezone),
            iso: wording::iso(m),
        }
    }
}

#[derive(Debug, Serialize)]
struct MilestoneRow {
    name: String,
    when: When,
}

#[derive(Debug, Serialize)]
struct DepartureRow {
    when: When,
    past: bool,
    milestones: Vec<MilestoneRow>,
    releases: Vec<ReleaseSummary>,
}

#[derive(Serialize)]
struct TrainPage<'a> {
    site: &'a SiteView<'a>,
    id: &'a str,
    name: &'a str,
    team: &'a str,
    team_url: String,
    rhythm: String,
    until: String,
    departures: Vec<DepartureRow>,
}

/// Writes one page per configured train.
pub(crate) fn render(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    let site_view = SiteView::new(site, "internal");
    for train in &site.config.trains {
        let path = train_url(&train.id);
        if !out.wants(Kind::Page, &format!("internal/{path}")) {
            continue;
        }
        let page = page(site, &site_view, train);
        out.page(
            "internal/train.html",
            &format!("internal/{path}"),
            &context(&path, &page)?,
        )?;
    }
    Ok(())
}

fn page<'a>(site: &'a Site, site_view: &'a SiteView<'a>, train: &'a Train) -> TrainPage<'a> {
    let tz = site.config.timezone;
    let from = site.today() - Duration::days(PAST_DAYS);
    let rows = departures(train, &site.config, site.now)
        .into_iter()
        .filter(|d| d.at.local_date(tz) >= from)
        .map(|d| row(site, train, d))
        .collect();
    let rhythm = match train.every {
        Some(every) => format!("every {}", every.to_string().trim_start_matches("T+")),
        None => "listed departures".to_string(),
    };
    TrainPage {
        site: site_view,
        id: &train.id,
        name: &train.name,
        team: site.team_name(&train.team),
        team_url: team_url(&train.team),
        rhythm,
        until: wording::day(train.last_day(&site.config, site.now)),
        departures: rows,
    }
}

fn row(site: &Site, train: &Train, d: Departure) -> DepartureRow {
    let day = d.at.local_date(site.config.timezone);
    let releases = site
        .content
        .releases
        .iter()
        .filter(|r| r.train.as_deref() == Some(train.id.as_str()) && r.ship_day() == Some(day))
        .map(|r| ReleaseSummary::of(r, site))
        .collect();
    DepartureRow {
        when: When::of(&d.at, site),
        past: d.at.start_utc(site.config.timezone) < site.now,
        milestones: d
            .milestones
            .iter()
            .map(|(name, at)| MilestoneRow {
                name: name.clone(),
                when: When::of(at, site),
            })
            .collect(),
        releases,
    }
}
