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
    "internal/train.html",
    "internal/series.html",
    "internal/metrics.html",
    "internal/calendar.html",
    "internal/month.html",
    "internal/changes.html",
    "internal/changes.xml",
    "external/calendar.html",
    "partials/subscribe.html",
    "partials/filters.html",
    "partials/filters.css",
    "external/index.html",
    "external/release.html",
    "external/roadmap.html",
    "external/support.html",
    "atom.xml",
    "sitemap.xml",
];

/// Prefix of the templates `shipdate new` writes release files from.
pub const NEW_PREFIX: &str = "new/";

/// The built-in release-file templates of `shipdate new`, one per release type.
pub const NEW_TEMPLATES: &[(&str, &str)] = builtin![
    "new/hotfix.md",
    "new/patch.md",
    "new/minor.md",
    "new/major.md",
    "new/launch.md",
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
    // Release-file templates belong to `shipdate new`, not to the sites.
    for (name, text) in theme
        .templates
        .iter()
        .filter(|(n, _)| !n.starts_with(NEW_PREFIX))
    {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = text,
            None => all.push((name, text)),
        }
    }
    // Filters first: tera 2 checks filter names when templates are added.
    tera.register_filter("pct", pct);
    tera.add_raw_templates(all)?;
    Ok(tera)
}

/// Compiles the release-file templates of `shipdate new`: the built-in ones,
/// then the theme's `templates/new/*.md` (which replace or add types).
pub fn load_new(theme: &ThemeSources) -> Result<Tera, TemplateError> {
    let mut tera = Tera::new();
    // Markdown and YAML are not HTML: nothing is escaped; `yaml` quotes values.
    tera.autoescape_on(Vec::<&str>::new());
    let mut all: Vec<(&str, &str)> = NEW_TEMPLATES.to_vec();
    for (name, text) in theme
        .templates
        .iter()
        .filter(|(n, _)| n.starts_with(NEW_PREFIX))
    {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = text,
            None => all.push((name, text)),
        }
    }
    tera.register_filter("yaml", yaml);
    tera.add_raw_templates(all)?;
    Ok(tera)
}

/// `{{ title | yaml }}`: a YAML scalar that reads back as the same string —
/// plain when that is unambiguous, double-quoted (JSON syntax) otherwise.
pub fn yaml(value: &str, _: Kwargs, _: &State) -> String {
    yaml_scalar(value)
}

/// See [`yaml`].
pub fn yaml_scalar(value: &str) -> String {
    let plain = value.chars().next().is_some_and(|c| c.is_alphabetic())
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || " .,-_()/+'".contains(c))
        && !value.ends_with(' ')
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        value.to_string()
    } else {
        serde_json::Value::String(value.to_string()).to_string()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_read_back_as_the_same_string() {
        assert_eq!(yaml_scalar("Payments v2"), "Payments v2");
        assert_eq!(yaml_scalar("Fix: login"), r#""Fix: login""#);
        assert_eq!(yaml_scalar("yes"), r#""yes""#);
        assert_eq!(yaml_scalar("2.0"), r#""2.0""#);
        assert_eq!(
            yaml_scalar("\"quoted\" # not a comment"),
            r#""\"quoted\" # not a comment""#
        );
    }

    #[test]
    fn theme_templates_can_use_the_pct_filter() {
        let theme = ThemeSources {
            templates: vec![("extra.html".into(), "{{ 1 | pct(total=4) }}".into())],
            static_files: vec![],
        };
        let tera = load(&theme).unwrap();
        assert_eq!(
            tera.render("extra.html", &tera::Context::new()).unwrap(),
            "25"
        );
    }

    #[test]
    fn site_templates_ignore_release_file_templates() {
        let theme = ThemeSources {
            templates: vec![("new/hotfix.md".into(), "{{ broken".into())],
            static_files: vec![],
        };
        assert!(load(&theme).is_ok());
        assert!(load_new(&theme).is_err());
        assert!(load_new(&ThemeSources::default()).is_ok());
    }
}
