//! Ticks, scales and axes. Ticks are multiples of a "nice" step (1, 2 or 5
//! times a power of ten), so consecutive labels are the same distance apart;
//! a scale's domain is widened to whole steps so the first and last ticks sit
//! on the ends of the axis.

use super::{esc, text_width, Svg, FONT};

/// A step of 1, 2 or 5 x 10^k near `span / target`.
pub fn nice_step(span: f64, target: usize) -> f64 {
    let span = if span.is_finite() && span > 0.0 {
        span
    } else {
        1.0
    };
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let m = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Ticks of an axis: the domain (whole steps) and the values on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub values: Vec<f64>,
}

/// `k * step`, with the float noise of the product rounded away.
fn on_step(k: f64, step: f64) -> f64 {
    let v = k * step;
    let digits = (-step.log10().floor()).max(0.0) as i32 + 2;
    let p = 10f64.powi(digits);
    let r = (v * p).round() / p;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

impl Ticks {
    /// Ticks over `[lo, hi]` widened to whole steps (about `target` intervals).
    pub fn nice(lo: f64, hi: f64, target: usize) -> Ticks {
        let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
            (lo.min(hi), lo.max(hi))
        } else {
            (0.0, 1.0)
        };
        if hi - lo <= f64::EPSILON * lo.abs().max(1.0) {
            // One value: a span around it.
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            (lo, hi) = (lo - pad, hi + pad);
        }
        let step = nice_step(hi - lo, target);
        let (k0, k1) = ((lo / step).floor(), (hi / step).ceil());
        let values: Vec<f64> = (0..=(k1 - k0) as i64)
            .map(|i| on_step(k0 + i as f64, step))
            .collect();
        Ticks {
            lo: on_step(k0, step),
            hi: on_step(k1, step),
            step,
            values,
        }
    }

    /// Ticks on a fixed domain (years): the multiples of a nice step inside it.
    pub fn within(lo: f64, hi: f64, target: usize) -> Ticks {
        let step = nice_step(hi - lo, target).max(1.0);
        let k0 = (lo / step).ceil();
        let k1 = (hi / step).floor();
        let values = (0..=((k1 - k0) as i64).max(0))
            .map(|i| on_step(k0 + i as f64, step))
            .filter(|v| *v >= lo && *v <= hi)
            .collect();
        Ticks {
            lo,
            hi,
            step,
            values,
        }
    }

    /// Tick labels in `format`.
    pub fn labels(&self, format: Format) -> Vec<String> {
        self.values
            .iter()
            .map(|v| format.apply(*v, self.step))
            .collect()
    }
}

/// How tick values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// As many decimals as the step needs, thousands grouped.
    Number,
    /// A year: digits only.
    Year,
    /// A share as a percentage (0.25 -> 25%).
    Percent,
}

/// Decimals the step needs (0.2 -> 1, 0.05 -> 2, 5 -> 0).
fn decimals(step: f64) -> usize {
    if step >= 1.0 || !step.is_finite() || step <= 0.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil().max(0.0) as usize
    }
}

fn group(int: &str) -> String {
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `v` with `d` decimals, thousands grouped, and a true minus sign.
pub fn number(v: f64, d: usize) -> String {
    let s = format!("{:.*}", d, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let body = if frac.is_empty() {
        group(int)
    } else {
        format!("{}.{frac}", group(int))
    };
    let zero = s.chars().all(|c| c == '0' || c == '.');
    if v < 0.0 && !zero {
        format!("\u{2212}{body}")
    } else {
        body
    }
}

impl Format {
    pub fn apply(self, v: f64, step: f64) -> String {
        match self {
            Format::Year => format!("{v:.0}"),
            Format::Number => number(v, decimals(step)),
            Format::Percent => format!("{}%", number(v * 100.0, decimals(step * 100.0))),
        }
    }
}

/// A linear map from a domain to a range of viewBox units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Linear {
        Linear { d0, d1, r0, r1 }
    }
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
}

/// The widest of `labels` at the tick font.
pub fn widest(labels: &[String]) -> f64 {
    labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
}

/// A horizontal axis at `y` (tick labels below), with grid lines up to `top` when `grid`.
pub fn bottom(
    svg: &mut Svg,
    x: &Linear,
    ticks: &[f64],
    labels: &[String],
    y: f64,
    top: f64,
    grid: bool,
) {
    svg.raw("<g class=\"axis x\" data-axis=\"x\">");
    for (v, l) in ticks.iter().zip(labels) {
        let px = x.map(*v);
        if grid {
            svg.put(format_args!(
                "<line class=\"grid\" x1=\"{px:.1}\" x2=\"{px:.1}\" y1=\"{top:.1}\" y2=\"{y:.1}\" stroke=\"#e6e9ee\"/>"
            ));
        }
        svg.put(format_args!(
            "<line x1=\"{px:.1}\" x2=\"{px:.1}\" y1=\"{y:.1}\" y2=\"{:.1}\" stroke=\"#9aa3af\"/>",
            y + 4.0
        ));
        svg.text("tick", px, y + 6.0 + FONT, "middle", l);
    }
    svg.put(format_args!(
        "<line class=\"domain\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#9aa3af\"/></g>",
        x.r0, x.r1
    ));
}

/// A vertical axis at `x` (tick labels to its left), with grid lines to `right` when `grid`.
pub fn left(
    svg: &mut Svg,
    y: &Linear,
    ticks: &[f64],
    labels: &[String],
    x: f64,
    right: f64,
    grid: bool,
) {
    svg.raw("<g class=\"axis y\" data-axis=\"y\">");
    for (v, l) in ticks.iter().zip(labels) {
        let py = y.map(*v);
        if grid {
            svg.put(format_args!(
                "<line class=\"grid\" x1=\"{x:.1}\" x2=\"{right:.1}\" y1=\"{py:.1}\" y2=\"{py:.1}\" stroke=\"#e6e9ee\"/>"
            ));
        }
        svg.put(format_args!(
            "<line x1=\"{:.1}\" x2=\"{x:.1}\" y1=\"{py:.1}\" y2=\"{py:.1}\" stroke=\"#9aa3af\"/>",
            x - 4.0
        ));
        svg.text("tick", x - 6.0, py + FONT * 0.35, "end", l);
    }
    svg.put(format_args!(
        "<line class=\"domain\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#9aa3af\"/></g>",
        y.r0, y.r1
    ));
}

/// An axis title along the bottom, centred under the plot.
pub fn title_below(svg: &mut Svg, x0: f64, x1: f64, y: f64, s: &str) {
    svg.text("axis-title", (x0 + x1) / 2.0, y, "middle", s);
}

/// An axis title turned along the left edge.
pub fn title_left(svg: &mut Svg, x: f64, y0: f64, y1: f64, s: &str) {
    let ym = (y0 + y1) / 2.0;
    svg.put(format_args!(
        "<text class=\"axis-title\" transform=\"translate({x:.1},{ym:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        esc(s)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(1.0, 5), 0.2);
        assert_eq!(nice_step(0.071, 4), 0.02);
        assert_eq!(nice_step(700.0, 6), 200.0);
        assert_eq!(nice_step(450.0, 6), 100.0);
        for span in [0.013, 0.9, 3.0, 47.0, 1234.0, 9e5] {
            let s = nice_step(span, 6);
            let m = s / 10f64.powf(s.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|x| (m - x).abs() < 1e-9),
                "{span}: {s}"
            );
        }
    }

    #[test]
    fn nice_ticks_cover_the_data_with_even_steps() {
        // The report's old y axis read 302, 408, 514: uneven, unround.
        let t = Ticks::nice(302.3, 738.0, 6);
        assert_eq!(t.values, vec![300.0, 400.0, 500.0, 600.0, 700.0, 800.0]);
        assert_eq!((t.lo, t.hi), (300.0, 800.0));
        let t = Ticks::nice(-0.071, 0.02, 5);
        assert_eq!(t.step, 0.02);
        assert_eq!(t.values.first(), Some(&-0.08));
        assert_eq!(t.values.last(), Some(&0.02));
        assert!(t
            .values
            .windows(2)
            .all(|w| ((w[1] - w[0]) - 0.02).abs() < 1e-12));
        assert_eq!(t.labels(Format::Number)[0], "\u{2212}0.08");
        let one = Ticks::nice(5.0, 5.0, 5);
        assert!(one.lo < 5.0 && one.hi > 5.0);
        let t = Ticks::within(2024.0, 2034.0, 6);
        assert_eq!(
            t.labels(Format::Year),
            ["2024", "2026", "2028", "2030", "2032", "2034"]
        );
        let t = Ticks::within(2025.0, 2035.0, 6);
        assert_eq!(t.values.first(), Some(&2026.0));
    }

    #[test]
    fn numbers_are_grouped_and_signed() {
        assert_eq!(number(1412.0, 0), "1,412");
        assert_eq!(number(-1234567.5, 1), "\u{2212}1,234,567.5");
        assert_eq!(number(-0.0001, 2), "0.00");
        assert_eq!(Format::Percent.apply(0.25, 0.05), "25%");
        assert_eq!(Format::Percent.apply(0.125, 0.005), "12.5%");
        assert_eq!(Format::Number.apply(0.3, 0.1), "0.3");
    }
}
