//! `external/support/index.html` (SPEC §4): per public release with
//! `support` or `eol`, when it was released, its current phase and that
//! phase's end, its end of life and its status at the build's "now".

use chrono::NaiveDate;
use serde::Serialize;

use super::views::{PublicRelease, life_day, release_url};
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::content::Release;
use crate::content::lifecycle::{LifeDate, LifeStatus, status_on};
use crate::site::Site;
use crate::wording;

/// The page's path under the output root.
pub(crate) const PATH: &str = "external/support/index.html";

/// A day for people and for `<time datetime>`.
#[derive(Debug, Serialize)]
struct Day {
    text: String,
    iso: String,
}

impl Day {
    fn of(d: NaiveDate) -> Self {
        Self {
            text: wording::day(d),
            iso: d.to_string(),
        }
    }

    /// "April 2028" for a month written without its day.
    fn life(d: LifeDate) -> Self {
        Self {
            text: life_day(d),
            iso: d.day.to_string(),
        }
    }
}

/// One support phase row.
#[derive(Debug, Serialize)]
struct PhaseRow {
    name: String,
    start: Option<Day>,
    until: Day,
    current: bool,
}

/// One release (line) on the support page: public fields only.
#[derive(Debug, Serialize)]
struct SupportRow {
    title: String,
    version: Option<String>,
    /// The release page, once announced.
    url: Option<String>,
    released: Option<Day>,
    shipped: bool,
    phases: Vec<PhaseRow>,
    current: Option<String>,
    current_until: Option<Day>,
    eol: Option<Day>,
    status: &'static str,
    #[serde(skip)]
    sort: Option<NaiveDate>,
}

#[derive(Serialize)]
struct SupportPage<'a> {
    site: &'a SiteView<'a>,
    rows: Vec<SupportRow>,
}

/// Public releases with support phases or an end of life.
pub(crate) fn has_rows(site: &Site) -> bool {
    site.content.releases.iter().any(|r| listed(site, r))
}

fn listed(site: &Site, r: &Release) -> bool {
    (!r.support.is_empty() || r.eol.is_some()) && r.is_public(site.now)
}

fn row(site: &Site, r: &Release) -> SupportRow {
    let today = site.today();
    let public = PublicRelease::of(r, site);
    let status = status_on(today, r.ship_day(), &r.support, r.eol);
    let (current, current_until) = match &status {
        LifeStatus::In(name, until) => (Some(name.to_string()), Some(Day::life(*until))),
        _ => (None, None),
    };
    SupportRow {
        title: public.title,
        version: public.version,
        url: r.is_announced(site.now).then(|| release_url(&r.id)),
        released: r.ship_day().map(Day::of),
        shipped: r.is_announced(site.now),
        phases: r
            .support
            .iter()
            .map(|p| PhaseRow {
                name: p.name.clone(),
                start: p.start.map(Day::of),
                until: Day::life(p.until),
                current: current.as_deref() == Some(p.name.as_str()),
            })
            .collect(),
        current,
        current_until,
        eol: r.eol.map(Day::life),
        status: status.label(),
        sort: r.ship_day(),
    }
}

/// Writes the support page when a public release has support phases or an end of life.
pub(crate) fn render(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    // Asked only when the page exists: `serve` lists what is asked about.
    if !has_rows(site) || !out.wants(Kind::Page, PATH) {
        return Ok(());
    }
    let mut rows: Vec<SupportRow> = site
        .content
        .releases
        .iter()
        .filter(|r| listed(site, r))
        .map(|r| row(site, r))
        .collect();
    rows.sort_by(|a, b| b.sort.cmp(&a.sort).then_with(|| a.title.cmp(&b.title)));
    let site_view = SiteView::new(site, "external");
    let page = SupportPage {
        site: &site_view,
        rows,
    };
    out.page(
        "external/support.html",
        PATH,
        &context("support/index.html", &page)?,
    )
}
