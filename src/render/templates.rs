//! Template loading: built-in theme (embedded at compile time), then the site's theme.

use tera::{Kwargs, State, Tera};

use crate::content::theme::ThemeSources;

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The built-in templates, `(name, text)`.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = builtin![
    "base.html",
    "partials/macros.html",
    "internal/index.html",
    "internal/release.html",
    "internal/team.html",
    "internal/teams.html",
    "internal/metrics.html",
    "internal/calendar.html",
    "internal/month.html",
    "external/calendar.html",
    "partials/subscribe.html",
    "partials/filters.html",
    "partials/filters.css",
    "external/index.html",
    "external/release.html",
    "external/roadmap.html",
    "atom.xml",
    "sitemap.xml",
];

/// The built-in static files, `(path, bytes)`.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    (
        "assets/shipdate.css",
        include_bytes!("../../themes/default/static/assets/shipdate.css"),
    ),
    (
        "assets/shipdate.js",
        include_bytes!("../../themes/default/static/assets/shipdate.js"),
    ),
];

/// A template failed to compile or render.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

impl From<tera::Error> for TemplateError {
    fn from(e: tera::Error) -> Self {
        // Print the whole chain: tera nests the useful part (git-cliff does the same).
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(&format!("\n  caused by: {s}"));
            source = s.source();
        }
        TemplateError(message)
    }
}

/// Compiles the built-in templates with the theme's overrides layered on top.
pub fn load(theme: &ThemeSources) -> Result<Tera, TemplateError> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let mut all: Vec<(&str, &str)> = BUILTIN_TEMPLATES.to_vec();
    for (name, text) in &theme.templates {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = text,
            None => all.push((name, text)),
        }
    }
    tera.add_raw_templates(all)?;
    tera.register_filter("pct", pct);
    Ok(tera)
}

/// `{{ done | pct(total=n) }}`: a whole percentage, 0 when `total` is 0.
fn pct(done: f64, kwargs: Kwargs, _: &State) -> tera::TeraResult<i64> {
    let total: f64 = kwargs.must_get("total")?;
    Ok(if total > 0.0 {
        (done * 100.0 / total).round() as i64
    } else {
        0
    })
}
