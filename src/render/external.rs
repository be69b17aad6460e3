//! The external site: changelog, public release notes, roadmap, feeds.
//!
//! Only [`PublicRelease`] and [`RoadmapItem`] values reach these templates;
//! they are built from public fields alone.

use rayon::prelude::*;
use serde::Serialize;

use super::views::{Product, PublicRelease, RoadmapItem};
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::site::Site;
use crate::wording;

#[derive(Serialize)]
struct ReleasePage<'a> {
    site: &'a SiteView<'a>,
    release: &'a PublicRelease,
}

#[derive(Serialize)]
struct RoadmapPage<'a> {
    site: &'a SiteView<'a>,
    items: &'a [RoadmapItem],
}

#[derive(Serialize)]
struct FeedPage<'a> {
    site: &'a SiteView<'a>,
    feed_url: String,
    site_url: String,
    id: String,
    updated: String,
    entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    id: String,
    url: String,
    updated: String,
    release: &'a PublicRelease,
}

#[derive(Serialize)]
struct SitemapPage {
    urls: Vec<(String, Option<String>)>,
}

/// Announced releases, newest first.
fn announced(site: &Site) -> Vec<&crate::content::Release> {
    let mut list: Vec<&crate::content::Release> = site
        .content
        .releases
        .iter()
        .filter(|r| r.is_announced(site.now))
        .map(|r| r.as_ref())
        .collect();
    list.reverse();
    list
}

fn roadmap(site: &Site) -> Vec<RoadmapItem> {
    let mut items: Vec<RoadmapItem> = site
        .content
        .releases
        .iter()
        .filter_map(|r| {
            let precision = crate::timing::roadmap_precision(r, &site.config, site.now)?;
            let day = r.ship_day()?;
            let sort = match precision {
                crate::content::frontmatter::RoadmapPrecision::Day => Some(day),
                crate::content::frontmatter::RoadmapPrecision::Month => day.with_day0(0),
                crate::content::frontmatter::RoadmapPrecision::Quarter => {
                    chrono::NaiveDate::from_ymd_opt(
                        chrono::Datelike::year(&day),
                        chrono::Datelike::month0(&day) / 3 * 3 + 1,
                        1,
                    )
                }
            }
            .unwrap_or(day);
            Some(RoadmapItem {
                title: r.title.clone(),
                summary: r.summary.clone(),
                period: wording::rounded(day, precision),
                product: Product::of_team(site, &r.team).map(|p| p.slug),
                sort,
            })
        })
        .collect();
    items.sort_by(|a, b| (a.sort, &a.title).cmp(&(b.sort, &b.title)));
    items
}

use chrono::Datelike as _;

/// Writes the external site: release pages, changelog pages, roadmap, feed,
/// sitemap and `releases.json`, all from public data only.
pub(crate) fn render(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    let site_view = SiteView::new(site, "external");
    let announced = announced(site);
    // Public views are built for the files that are rendered: `serve` renders one at a time.
    announced.par_iter().try_for_each(|r| {
        let path = super::views::release_url(&r.id);
        if !out.wants(Kind::Page, &format!("external/{path}")) {
            return Ok(());
        }
        let page = ReleasePage {
            site: &site_view,
            release: &PublicRelease::of(r, site),
        };
        out.page(
            "external/release.html",
            &format!("external/{path}"),
            &context(&path, &page)?,
        )
    })?;
    let items = roadmap(site);
    super::changelog::render(site, out, &site_view, &announced, &items)?;
    if !items.is_empty() && out.wants(Kind::Page, "external/roadmap/index.html") {
        let page = RoadmapPage {
            site: &site_view,
            items: &items,
        };
        out.page(
            "external/roadmap.html",
            "external/roadmap/index.html",
            &context("roadmap/index.html", &page)?,
        )?;
    }
    let wants_feed = out.wants(Kind::Feed, "external/feed.xml");
    let wants_sitemap = out.wants(Kind::File, "external/sitemap.xml");
    let wants_json = out.wants(Kind::File, "external/releases.json");
    if !(wants_feed || wants_sitemap || wants_json) {
        return Ok(());
    }
    let releases: Vec<PublicRelease> = announced
        .into_iter()
        .map(|r| PublicRelease::of(r, site))
        .collect();
    if wants_feed {
        feed(site, out, &site_view, &releases)?;
    }
    if wants_sitemap {
        sitemap(site, out, &releases, !items.is_empty())?;
    }
    if !wants_json {
        return Ok(());
    }
    let upcoming = upcoming(site);
    let json: Vec<ExternalJson> = releases
        .iter()
        .map(|r| ExternalJson {
            permalink: site.config.absolute_url(&format!("releases/{}/", r.id)),
            release: r,
            status: "released",
        })
        .chain(upcoming.iter().map(|r| ExternalJson {
            permalink: site.config.absolute_url("roadmap/"),
            release: r,
            status: "planned",
        }))
        .collect();
    out.json("external/releases.json", &json)
}

/// Writes `external/sitemap.xml`: home, roadmap, changelog pages, releases.
fn sitemap(
    site: &Site,
    out: &Renderer,
    releases: &[PublicRelease],
    has_roadmap: bool,
) -> Result<(), RenderError> {
    let mut sitemap = vec![(
        site.config.base_url.clone(),
        releases.first().map(|r| r.date_iso.clone()),
    )];
    if has_roadmap {
        sitemap.push((site.config.absolute_url("roadmap/"), None));
    }
    if super::support::has_rows(site) {
        sitemap.push((site.config.absolute_url("support/"), None));
    }
    let size = site.config.paginate;
    let total = super::changelog::page_count(releases.len(), size);
    sitemap.extend((2..=total).map(|n| (site.config.absolute_url(&format!("page/{n}/")), None)));
    for p in Product::all(site) {
        let own = releases
            .iter()
            .filter(|r| r.product.as_ref().is_some_and(|q| q.slug == p.slug))
            .count();
        let dir = format!("products/{}/", p.slug);
        sitemap.push((site.config.absolute_url(&dir), None));
        sitemap.extend(
            (2..=super::changelog::page_count(own, size))
                .map(|n| (site.config.absolute_url(&format!("{dir}page/{n}/")), None)),
        );
    }
    sitemap.extend(releases.iter().map(|r| {
        (
            site.config.absolute_url(&format!("releases/{}/", r.id)),
            Some(r.date_iso.clone()),
        )
    }));
    let sitemap_page = SitemapPage { urls: sitemap };
    let text = out_render(out, "sitemap.xml", &context("sitemap.xml", &sitemap_page)?)?;
    out.file("external/sitemap.xml", super::xml_safe(&text).as_bytes())
}

/// Writes `external/feed.xml`: the Atom feed of announced releases, those
/// announced within `feeds.past_days` and at least the newest `paginate`
/// (the changelog's first page). Feed readers keep what they fetched, and
/// every entry ever made cost 1.7 MB at 2,000 releases, fetched on every poll.
fn feed(
    site: &Site,
    out: &Renderer,
    site_view: &SiteView,
    releases: &[PublicRelease],
) -> Result<(), RenderError> {
    let cutoff = site.now - chrono::Duration::days(i64::from(site.config.feeds.past_days));
    let entries: Vec<FeedEntry> = releases
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r, announced_at(site, &r.id)))
        .filter(|(i, _, at)| *i < site.config.paginate.max(1) || *at >= cutoff)
        .map(|(_, r, at)| FeedEntry {
            id: format!("tag:{},2000:releases/{}", site.config.uid_domain, r.id),
            url: site.config.absolute_url(&format!("releases/{}/", r.id)),
            updated: at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            release: r,
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| site_view.now.clone());
    let feed = FeedPage {
        site: site_view,
        feed_url: site.config.absolute_url("feed.xml"),
        site_url: site.config.base_url.clone(),
        id: format!("tag:{},2000:feed", site.config.uid_domain),
        updated,
        entries,
    };
    out.feed(
        "atom.xml",
        "external/feed.xml",
        &context("feed.xml", &feed)?,
    )
}

/// An entry of `external/releases.json`: public fields and the absolute URL.
#[derive(Serialize)]
struct ExternalJson<'a> {
    #[serde(flatten)]
    release: &'a PublicRelease,
    /// Absolute page URL under `base_url` (the roadmap's for a planned release).
    permalink: String,
    /// `released`, or `planned` for a `roadmap: day` release before it ships.
    status: &'static str,
}

/// `roadmap: day` releases before they ship, soonest first: public with their exact date.
pub(super) fn upcoming(site: &Site) -> Vec<PublicRelease> {
    site.content
        .releases
        .iter()
        .filter(|r| !r.is_announced(site.now) && r.is_public(site.now))
        .map(|r| PublicRelease::upcoming(r, site))
        .collect()
}

fn out_render(out: &Renderer, template: &str, ctx: &tera::Context) -> Result<String, RenderError> {
    out.tera
        .render(template, ctx)
        .map_err(|e| RenderError::Template {
            template: template.into(),
            source: e.into(),
        })
}

/// When the release became public (the build's "now" for one without `announce`).
fn announced_at(site: &Site, id: &str) -> chrono::DateTime<chrono::Utc> {
    site.release(id)
        .and_then(|r| r.announce.map(|a| a.start_utc(r.timezone)))
        .unwrap_or(site.now)
}
