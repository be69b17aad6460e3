//! `internal/series/<slug>/index.html` (SPEC §4): one page per release line
//! (`series: "4.0"` → `series/4-0/`): its pre-releases, final and bugfix
//! releases by date, and the support phases and end of life of its releases.

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::{ReleaseSummary, life_day};
use super::{Kind, RenderError, Renderer, SiteView, context};
use crate::content::Release;
use crate::site::Site;
use crate::wording;

/// Site-relative URL of a series page ("4.0" → `series/4-0/index.html`).
pub(crate) fn series_url(series: &str) -> String {
    let slug = slug::slugify(series);
    let slug = if slug.is_empty() { "series" } else { &slug };
    format!("series/{slug}/index.html")
}

/// True for a pre-release version: `4.21.0-beta.1`, `3.14.0b1`, `1.0rc2`.
fn is_pre_release(version: Option<&str>) -> bool {
    let Some(v) = version else { return false };
    v.contains('-')
        || v.split('.').any(|part| {
            let letters: String = part
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            matches!(
                letters.to_ascii_lowercase().as_str(),
                "a" | "b" | "rc" | "alpha" | "beta" | "pre" | "dev"
            )
        })
}

#[derive(Serialize)]
struct LineRow {
    /// `pre-release`, `final` or `bugfix`.
    role: &'static str,
    release: ReleaseSummary,
}

#[derive(Serialize)]
struct PhaseRow {
    release: String,
    url: String,
    name: String,
    start: Option<String>,
    until: String,
}

#[derive(Serialize)]
struct SeriesPage<'a> {
    site: &'a SiteView<'a>,
    series: &'a str,
    releases: Vec<LineRow>,
    phases: Vec<PhaseRow>,
}

/// Writes one page per release line.
pub(crate) fn render(site: &Site, out: &Renderer) -> Result<(), RenderError> {
    let mut lines: BTreeMap<&str, Vec<&Release>> = BTreeMap::new();
    for r in site.content.releases.iter() {
        if let Some(s) = r.series.as_deref() {
            lines.entry(s).or_default().push(r);
        }
    }
    let site_view = SiteView::new(site, "internal");
    for (series, mut releases) in lines {
        let path = series_url(series);
        if !out.wants(Kind::Page, &format!("internal/{path}")) {
            continue;
        }
        // By date; undecided (`tbd`) ones last, by id for a stable order.
        releases.sort_by(|a, b| {
            (a.ship_day().is_none(), a.ship_day(), &a.id).cmp(&(
                b.ship_day().is_none(),
                b.ship_day(),
                &b.id,
            ))
        });
        let page = SeriesPage {
            site: &site_view,
            series,
            releases: rows(site, &releases),
            phases: phases(&releases),
        };
        out.page(
            "internal/series.html",
            &format!("internal/{path}"),
            &context(&path, &page)?,
        )?;
    }
    Ok(())
}

/// Pre-releases by their version; the first other release is the final,
/// the ones after it bugfixes.
fn rows(site: &Site, releases: &[&Release]) -> Vec<LineRow> {
    let mut final_seen = false;
    releases
        .iter()
        .map(|r| {
            let role = if is_pre_release(r.version.as_deref()) {
                "pre-release"
            } else if final_seen {
                "bugfix"
            } else {
                final_seen = true;
                "final"
            };
            LineRow {
                role,
                release: ReleaseSummary::of(r, site),
            }
        })
        .collect()
}

/// Every support phase and end of life of the line's releases, in order.
fn phases(releases: &[&Release]) -> Vec<PhaseRow> {
    let mut out = Vec::new();
    for r in releases {
        let row = |name: String, start: Option<String>, until: String| PhaseRow {
            release: r.title.clone(),
            url: super::views::release_url(&r.id),
            name,
            start,
            until,
        };
        for p in &r.support {
            out.push(row(
                p.name.clone(),
                p.start.map(wording::day),
                life_day(p.until),
            ));
        }
        if let Some(eol) = r.eol {
            out.push(row("End of life".into(), None, life_day(eol)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_release_versions_are_recognised() {
        for v in [
            "4.21.0-beta.1",
            "3.14.0b1",
            "3.14.0a7",
            "3.14.0rc2",
            "1.0rc1",
        ] {
            assert!(is_pre_release(Some(v)), "{v}");
        }
        for v in ["4.21.0", "3.14.7", "24.0.0", "2.0"] {
            assert!(!is_pre_release(Some(v)), "{v}");
        }
        assert!(!is_pre_release(None));
    }

    #[test]
    fn a_series_slug_replaces_dots() {
        assert_eq!(series_url("4.0"), "series/4-0/index.html");
        assert_eq!(series_url("..."), "series/series/index.html");
    }
}
