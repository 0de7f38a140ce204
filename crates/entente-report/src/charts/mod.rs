//! The report's charts: self-contained SVG strings for `report.html`.
//!
//! Every chart is responsive (a `viewBox`, `width="100%"`, no fixed height):
//! it fills its container and scales with it. Axes have "nice" ticks (steps
//! of 1, 2 or 5 times a power of ten, so tick labels are evenly spaced) and
//! margins wide enough for their labels, so nothing is clipped. Elements carry
//! `class` and `data-*` attributes the browser test (tests/browser/report.mjs)
//! reads: `svg.chart`, `g.axis` with `text.tick`, `line.threshold`.
//!
//! - [`axis`]: ticks, scales, number formats, the axes themselves.
//! - [`fan`]: spending fan charts (5-95% and 25-75% bands, median) per option.
//! - [`histogram`]: a claim's paired difference over draws, with its threshold.
//! - [`curve`]: a claim's probability as a function of its threshold.
//! - [`drivers`]: first-order and total Sobol indices of a claim's difference.
//! - [`threat`]: threat per state by option, and its change between two options.
//! - [`map`]: the base world on the Natural Earth 1:110m map (Miller projection).

pub mod axis;
pub mod curve;
pub mod drivers;
pub mod fan;
pub mod histogram;
pub mod map;
pub mod threat;

use std::fmt::Write as _;

/// Option colours, shared with the dashboard (assets/js/config.js).
pub const COLORS: [&str; 8] = [
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
];

/// The colour of option `i`.
pub fn color(i: usize) -> &'static str {
    COLORS[i % COLORS.len()]
}

/// Text for HTML and SVG: `&`, `<`, `>` and `"` escaped.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Font size of tick labels and small text, in viewBox units.
pub const FONT: f64 = 12.0;

/// A generous estimate of a label's width (system sans-serif, digits and
/// lower case average ~0.55 em), so margins computed from it never clip.
pub fn text_width(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * font * 0.62
}

/// An SVG document being written.
pub struct Svg {
    out: String,
}

impl Svg {
    /// Open a chart of `w` x `h` viewBox units. `attrs` are extra attributes
    /// (`data-*`), written as given (escape values first).
    pub fn new(class: &str, w: f64, h: f64, title: &str, attrs: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg class=\"chart {class}\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" font-size=\"{FONT}\"{attrs}><title>{}</title>",
            esc(title)
        );
        Svg { out }
    }

    /// Append raw SVG.
    pub fn raw(&mut self, s: &str) -> &mut Svg {
        self.out.push_str(s);
        self
    }

    /// Append formatted SVG.
    pub fn put(&mut self, args: std::fmt::Arguments) -> &mut Svg {
        let _ = self.out.write_fmt(args);
        self
    }

    /// A text element; `anchor` is `start`, `middle` or `end`.
    pub fn text(&mut self, class: &str, x: f64, y: f64, anchor: &str, s: &str) -> &mut Svg {
        self.put(format_args!(
            "<text class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{}</text>",
            esc(s)
        ))
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// A number for a `data-*` attribute: shortest round-trip form, empty when missing.
pub fn attr_num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}
