//! The external site: changelog, public release notes, roadmap, feeds.
//!
//! Only [`PublicRelease`] and [`RoadmapItem`] values reach these templates;
//! they are built from public fields alone.

use rayon::prelude::*;
use serde::Serialize;

use super::views::{PublicRelease, RoadmapItem};
use super::{HomeView, Kind, RenderError, Renderer, SiteView, context, format};
use crate::site::Site;

#[derive(Serialize)]
struct Changelog<'a> {
    site: &'a SiteView<'a>,
    home: HomeView<'a>,
    intro_html: &'a str,
    releases: &'a [PublicRelease],
    pagination: Pagination,
}

/// Where a changelog page sits among its siblings.
#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    /// Site-relative URLs.
    prev: Option<String>,
    next: Option<String>,
}

/// Site-relative URL of changelog page `n` (1-based).
fn changelog_url(n: usize) -> String {
    if n <= 1 {
        "index.html".to_string()
    } else {
        format!("page/{n}/index.html")
    }
}

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
            let precision = r.on_roadmap()?;
            let day = r.ship_day()?;
            let sort = match precision {
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
                period: format::rounded(day, precision),
                sort,
            })
        })
        .collect();
    items.sort_by(|a, b| (a.sort, &a.title).cmp(&(b.sort, &b.title)));
    items
}

use chrono::Datelike as _;

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
            release: &PublicRelease::of(r),
        };
        out.page(
            "external/release.html",
            &format!("external/{path}"),
            &context(&path, &page)?,
        )
    })?;
    // A changelog page holds many releases' notes, so their heading and
    // footnote ids get the release id as a prefix to stay unique (HTML
    // requires it).
    let size = site.config.paginate.max(1);
    let chunks: Vec<&[&crate::content::Release]> = if announced.is_empty() {
        vec![&announced[..]]
    } else {
        announced.chunks(size).collect()
    };
    let total = chunks.len();
    chunks.par_iter().enumerate().try_for_each(|(i, chunk)| {
        let n = i + 1;
        let path = changelog_url(n);
        if !out.wants(Kind::Page, &format!("external/{path}")) {
            return Ok(());
        }
        let listed: Vec<PublicRelease> = chunk
            .iter()
            .map(|r| {
                let r = PublicRelease::of(r);
                PublicRelease {
                    content_html: scope_ids(&r.content_html, &r.id),
                    ..r
                }
            })
            .collect();
        let page = Changelog {
            home: HomeView::new(site),
            site: &site_view,
            intro_html: if n == 1 {
                &site.content.home.body.external_html
            } else {
                ""
            },
            releases: &listed,
            pagination: Pagination {
                current: n,
                total,
                prev: (n > 1).then(|| changelog_url(n - 1)),
                next: (n < total).then(|| changelog_url(n + 1)),
            },
        };
        out.page(
            "external/index.html",
            &format!("external/{path}"),
            &context(&path, &page)?,
        )
    })?;

    let items = roadmap(site);
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
    let releases: Vec<PublicRelease> = announced.into_iter().map(PublicRelease::of).collect();
    if wants_feed {
        feed(site, out, &site_view, &releases)?;
    }
    if wants_sitemap {
        let mut sitemap = vec![(
            site.config.base_url.clone(),
            releases.first().map(|r| r.date_iso.clone()),
        )];
        if !items.is_empty() {
            sitemap.push((site.config.absolute_url("roadmap/"), None));
        }
        sitemap
            .extend((2..=total).map(|n| (site.config.absolute_url(&format!("page/{n}/")), None)));
        sitemap.extend(releases.iter().map(|r| {
            (
                site.config.absolute_url(&format!("releases/{}/", r.id)),
                Some(r.date_iso.clone()),
            )
        }));
        let sitemap_page = SitemapPage { urls: sitemap };
        let text = out_render(out, "sitemap.xml", &context("sitemap.xml", &sitemap_page)?)?;
        out.file("external/sitemap.xml", text.as_bytes())?;
    }
    if !wants_json {
        return Ok(());
    }
    let json: Vec<ExternalJson> = releases
        .iter()
        .map(|r| ExternalJson {
            permalink: site.config.absolute_url(&format!("releases/{}/", r.id)),
            release: r,
        })
        .collect();
    out.json("external/releases.json", &json)
}

/// Writes `external/feed.xml`: the Atom feed of announced releases.
fn feed(
    site: &Site,
    out: &Renderer,
    site_view: &SiteView,
    releases: &[PublicRelease],
) -> Result<(), RenderError> {
    let entries: Vec<FeedEntry> = releases
        .iter()
        .map(|r| FeedEntry {
            id: format!("tag:{},2000:releases/{}", site.config.uid_domain, r.id),
            url: site.config.absolute_url(&format!("releases/{}/", r.id)),
            updated: announce_time(site, &r.id),
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
    /// Absolute page URL under `base_url`.
    permalink: String,
}

fn out_render(out: &Renderer, template: &str, ctx: &tera::Context) -> Result<String, RenderError> {
    out.tera
        .render(template, ctx)
        .map_err(|e| RenderError::Template {
            template: template.into(),
            source: e.into(),
        })
}

/// Prefixes every `id="x"` and in-page link `href="#x"` of an HTML fragment
/// with `prefix-`. The fragment comes from pulldown-cmark, which escapes `"` in
/// text, so these byte patterns only occur inside tags.
fn scope_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}-"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}-"))
}

/// When the release became public, RFC 3339 in UTC.
fn announce_time(site: &Site, id: &str) -> String {
    site.release(id)
        .and_then(|r| r.announce.map(|a| a.start_utc(r.timezone)))
        .unwrap_or(site.now)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::scope_ids;

    #[test]
    fn scoped_ids_and_their_links_stay_paired() {
        let html = "<h2 id=\"what-s-new\">New</h2>\n<p>See<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup> and <a href=\"https://x\">x</a>; id=&quot;kept&quot;</p>\n<div class=\"footnote-definition\" id=\"1\">";
        assert_eq!(
            scope_ids(html, "tap"),
            "<h2 id=\"tap-what-s-new\">New</h2>\n<p>See<sup class=\"footnote-reference\"><a href=\"#tap-1\">1</a></sup> and <a href=\"https://x\">x</a>; id=&quot;kept&quot;</p>\n<div class=\"footnote-definition\" id=\"tap-1\">"
        );
    }
}
