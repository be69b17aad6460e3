//! The public changelog: `index.html` (with `page/N/`) for every announced
//! release, and `products/<slug>/index.html` (with its own pages) for each
//! product the teams name. Plain links between them, so filtering by product
//! works without JavaScript.

use rayon::prelude::*;
use serde::Serialize;

use super::views::{Product, PublicRelease, RoadmapItem};
use super::{HomeView, Kind, RenderError, Renderer, SiteView, context};
use crate::content::Release;
use crate::site::Site;

#[derive(Serialize)]
struct Changelog<'a> {
    site: &'a SiteView<'a>,
    home: HomeView<'a>,
    intro_html: &'a str,
    releases: &'a [PublicRelease],
    /// Every product, for the filter links.
    products: &'a [Product],
    /// The product this page lists; `None` on the whole changelog.
    product: Option<&'a Product>,
    /// Roadmap items still to come (first page only).
    upcoming: Vec<&'a RoadmapItem>,
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

/// Site-relative URL of page `n` (1-based) of the changelog under `dir`
/// (empty for the whole changelog, `products/<slug>/` for a product).
fn page_url(dir: &str, n: usize) -> String {
    if n <= 1 {
        format!("{dir}index.html")
    } else {
        format!("{dir}page/{n}/index.html")
    }
}

/// Number of pages a list of `len` releases takes (at least one).
pub(crate) fn page_count(len: usize, size: usize) -> usize {
    len.div_ceil(size.max(1)).max(1)
}

/// Shared by every page of one render.
struct Shared<'a> {
    site: &'a Site,
    view: &'a SiteView<'a>,
    products: &'a [Product],
    roadmap: &'a [RoadmapItem],
}

/// Writes the whole changelog and one per product; `announced` is newest first.
pub(crate) fn render(
    site: &Site,
    out: &Renderer,
    view: &SiteView,
    announced: &[&Release],
    roadmap: &[RoadmapItem],
) -> Result<(), RenderError> {
    let products = Product::all(site);
    let shared = Shared {
        site,
        view,
        products: &products,
        roadmap,
    };
    pages(&shared, out, None, announced)?;
    products.par_iter().try_for_each(|p| {
        let own: Vec<&Release> = announced
            .iter()
            .copied()
            .filter(|r| Product::of_team(site, &r.team).is_some_and(|q| q.slug == p.slug))
            .collect();
        pages(&shared, out, Some(p), &own)
    })
}

/// The pages of one changelog: `releases` in chunks of `paginate`.
fn pages(
    shared: &Shared,
    out: &Renderer,
    product: Option<&Product>,
    releases: &[&Release],
) -> Result<(), RenderError> {
    let dir = product.map_or(String::new(), |p| format!("products/{}/", p.slug));
    let size = shared.site.config.paginate.max(1);
    let total = page_count(releases.len(), size);
    (1..=total).into_par_iter().try_for_each(|n| {
        let path = page_url(&dir, n);
        if !out.wants(Kind::Page, &format!("external/{path}")) {
            return Ok(());
        }
        let chunk = releases.chunks(size).nth(n - 1).unwrap_or_default();
        // A page holds many releases' notes: their heading and footnote ids
        // get the release id as a prefix to stay unique (HTML requires it),
        // and their headings go one level down, below the entry's title.
        let listed: Vec<PublicRelease> = chunk
            .iter()
            .map(|r| {
                let r = PublicRelease::of(r, shared.site);
                PublicRelease {
                    content_html: demote_headings(&scope_ids(&r.content_html, &r.id)),
                    ..r
                }
            })
            .collect();
        let first = n == 1;
        let page = Changelog {
            home: HomeView::new(shared.site),
            site: shared.view,
            intro_html: if first && product.is_none() {
                &shared.site.content.home.body.external_html
            } else {
                ""
            },
            releases: &listed,
            products: shared.products,
            product,
            upcoming: shared
                .roadmap
                .iter()
                .filter(|i| first && product.is_none_or(|p| i.product.as_ref() == Some(&p.slug)))
                .collect(),
            pagination: Pagination {
                current: n,
                total,
                prev: (n > 1).then(|| page_url(&dir, n - 1)),
                next: (n < total).then(|| page_url(&dir, n + 1)),
            },
        };
        out.page(
            "external/index.html",
            &format!("external/{path}"),
            &context(&path, &page)?,
        )
    })
}

/// Prefixes every `id="x"` and in-page link `href="#x"` of an HTML fragment
/// with `prefix-`. The fragment comes from pulldown-cmark, which escapes `"` in
/// text, so these byte patterns only occur inside tags.
fn scope_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}-"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}-"))
}

/// Moves every heading one level down (`h2` → `h3`, `h6` stays), so a
/// release's own sections sit below its title on a list page. pulldown-cmark
/// escapes `<` in text, so `<h2` only occurs as a tag.
fn demote_headings(html: &str) -> String {
    let mut html = html.to_string();
    for level in (1..=5).rev() {
        html = html
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_ids_and_their_links_stay_paired() {
        let html = "<h2 id=\"what-s-new\">New</h2>\n<p>See<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup> and <a href=\"https://x\">x</a>; id=&quot;kept&quot;</p>\n<div class=\"footnote-definition\" id=\"1\">";
        assert_eq!(
            scope_ids(html, "tap"),
            "<h2 id=\"tap-what-s-new\">New</h2>\n<p>See<sup class=\"footnote-reference\"><a href=\"#tap-1\">1</a></sup> and <a href=\"https://x\">x</a>; id=&quot;kept&quot;</p>\n<div class=\"footnote-definition\" id=\"tap-1\">"
        );
    }

    #[test]
    fn headings_move_one_level_down() {
        let html = "<h2 id=\"a\">A</h2><h3>B</h3><p>&lt;h2&gt;</p><h5>C</h5>";
        assert_eq!(
            demote_headings(html),
            "<h3 id=\"a\">A</h3><h4>B</h4><p>&lt;h2&gt;</p><h6>C</h6>"
        );
    }

    #[test]
    fn pages_are_counted_and_named() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(41, 20), 3);
        assert_eq!(page_url("", 1), "index.html");
        assert_eq!(
            page_url("products/api/", 2),
            "products/api/page/2/index.html"
        );
    }
}
