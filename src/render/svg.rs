//! Inline SVG charts, generated at build time: readable without JavaScript,
//! styled by the page's CSS (dark mode included), with a title and
//! description for screen readers. Pages pair each chart with a data table.

use std::fmt::Write;

/// HTML/XML-escapes text for SVG (tera's escaper, into a `String`).
fn esc(text: &str) -> String {
    let mut buf = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// One bar or column.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Category label.
    pub label: String,
    /// Value (bars scale to the largest).
    pub value: f64,
    /// Text shown next to the bar.
    pub display: String,
    /// CSS class for its colour.
    pub class: &'static str,
}

const BAR_HEIGHT: f64 = 22.0;
const GAP: f64 = 8.0;
const LABEL_WIDTH: f64 = 170.0;
const WIDTH: f64 = 560.0;

fn open(out: &mut String, id: &str, title: &str, desc: &str, width: f64, height: f64) {
    let _ = write!(
        out,
        r#"<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

/// Horizontal bars, one per row, largest value full width.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let height = (bars.len().max(1) as f64) * (BAR_HEIGHT + GAP) + GAP;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let room = WIDTH - LABEL_WIDTH - 60.0;
    let mut out = String::new();
    open(&mut out, id, title, desc, WIDTH, height);
    for (i, b) in bars.iter().enumerate() {
        let y = GAP + i as f64 * (BAR_HEIGHT + GAP);
        let w = if max > 0.0 {
            (b.value / max * room).max(if b.value > 0.0 { 2.0 } else { 0.0 })
        } else {
            0.0
        };
        let _ = write!(
            out,
            r#"<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect class="chart-bar {class}" x="{LABEL_WIDTH}" y="{y}" width="{w:.1}" height="{BAR_HEIGHT}" rx="3"/><text class="chart-value" x="{vx:.1}" y="{ty}">{value}</text>"#,
            lx = LABEL_WIDTH - 8.0,
            ty = y + BAR_HEIGHT * 0.72,
            label = esc(&b.label),
            class = b.class,
            vx = LABEL_WIDTH + w + 6.0,
            value = esc(&b.display),
        );
    }
    out.push_str("</svg>");
    out
}

/// A horizontal reference line on a column chart: the value and its label.
#[derive(Debug, Clone)]
pub struct Threshold {
    /// Where the line sits, in the columns' unit.
    pub value: f64,
    /// Text beside it, e.g. "threshold 20".
    pub label: String,
}

/// Vertical columns along a time axis (e.g. per month), with an optional
/// dashed threshold line (the scale includes it, so it is always drawn).
pub fn column_chart(
    id: &str,
    title: &str,
    desc: &str,
    columns: &[Bar],
    threshold: Option<&Threshold>,
) -> String {
    let plot_height = 160.0;
    let top = 22.0;
    let bottom = 28.0;
    let height = plot_height + top + bottom;
    let n = columns.len().max(1) as f64;
    let slot = (WIDTH - 20.0) / n;
    let col_width = (slot * 0.6).min(60.0);
    let max = columns
        .iter()
        .map(|b| b.value)
        .chain(threshold.map(|t| t.value))
        .fold(0.0_f64, f64::max);
    let mut out = String::new();
    open(&mut out, id, title, desc, WIDTH, height);
    let _ = write!(
        out,
        r#"<line class="axis" x1="10" y1="{y}" x2="{x2}" y2="{y}"/>"#,
        y = top + plot_height,
        x2 = WIDTH - 10.0
    );
    if let Some(t) = threshold.filter(|_| max > 0.0) {
        let y = top + plot_height - t.value / max * plot_height;
        let _ = write!(
            out,
            r#"<line class="threshold" x1="10" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke-dasharray="6 4"/><text class="chart-label threshold-label" x="{x2}" y="{ty:.1}" text-anchor="end">{label}</text>"#,
            x2 = WIDTH - 10.0,
            ty = y - 4.0,
            label = esc(&t.label),
        );
    }
    for (i, c) in columns.iter().enumerate() {
        let h = if max > 0.0 {
            c.value / max * plot_height
        } else {
            0.0
        };
        let cx = 10.0 + slot * (i as f64 + 0.5);
        let y = top + plot_height - h;
        let _ = write!(
            out,
            r#"<rect class="chart-bar {class}" x="{x:.1}" y="{y:.1}" width="{col_width:.1}" height="{h:.1}" rx="3"/><text class="chart-value" x="{cx:.1}" y="{vy:.1}" text-anchor="middle">{value}</text><text class="chart-label" x="{cx:.1}" y="{ly:.1}" text-anchor="middle">{label}</text>"#,
            class = c.class,
            x = cx - col_width / 2.0,
            vy = y - 5.0,
            value = esc(&c.display),
            ly = top + plot_height + 18.0,
            label = esc(&c.label),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "Timing <misalignment>".into(),
                value: 4.0,
                display: "4".into(),
                class: "c1",
            },
            Bar {
                label: "Other".into(),
                value: 2.0,
                display: "2".into(),
                class: "c2",
            },
        ]
    }

    #[test]
    fn bar_chart_is_accessible_escaped_and_scaled() {
        let svg = bar_chart("rc", "Root causes", "Counts & more", &bars());
        assert!(svg.starts_with(
            r#"<svg class="chart" id="rc" role="img" aria-labelledby="rc-title rc-desc""#
        ));
        assert!(svg.contains(r#"<title id="rc-title">Root causes</title>"#));
        assert!(svg.contains("Counts &amp; more"));
        assert!(svg.contains("Timing &lt;misalignment&gt;"));
        assert!(
            svg.contains(r#"width="330.0""#),
            "largest bar spans the plot: {svg}"
        );
        assert!(
            svg.contains(r#"width="165.0""#),
            "half the value, half the width"
        );
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn empty_and_zero_data_do_not_divide_by_zero() {
        let svg = column_chart(
            "q",
            "T",
            "D",
            &[Bar {
                label: "Q1".into(),
                value: 0.0,
                display: "0".into(),
                class: "c",
            }],
            None,
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert!(bar_chart("e", "T", "D", &[]).contains("</svg>"));
    }

    #[test]
    fn a_threshold_above_every_column_is_still_drawn_on_the_scale() {
        let t = Threshold {
            value: 20.0,
            label: "threshold 20".into(),
        };
        let columns = [Bar {
            label: "Nov 2026".into(),
            value: 10.0,
            display: "10".into(),
            class: "c",
        }];
        let svg = column_chart("m", "T", "D", &columns, Some(&t));
        // 160 px plot from y=22: 20 is the top (y 22), 10 is half-way.
        assert!(
            svg.contains(r#"class="threshold" x1="10" y1="22.0""#),
            "{svg}"
        );
        assert!(svg.contains(r#"height="80.0""#), "{svg}");
        assert!(svg.contains(">threshold 20</text>"));
    }
}
