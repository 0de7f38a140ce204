//! A claim's threshold curve: the probability that it holds as a function of
//! its threshold, with the 95% interval as a band, the claim's own threshold
//! marked and the 0.5 line, so a reader sees how much the headline number owes
//! to where the threshold was put.

use super::axis::{self, Format, Linear, Ticks};
use super::{attr_num, esc, text_width, Svg, FONT};
use entente_core::simulation::CurvePoint;

const W: f64 = 560.0;
const H: f64 = 260.0;

/// The curve of claim `id`; `axis_label` says what the threshold measures.
pub fn chart(id: &str, axis_label: &str, threshold: f64, curve: &[CurvePoint]) -> Option<String> {
    let (first, last) = (curve.first()?, curve.last()?);
    let xt = Ticks::nice(first.threshold, last.threshold, 6);
    let xlabels = xt.labels(Format::Number);
    let yt = Ticks {
        lo: 0.0,
        hi: 1.0,
        step: 0.25,
        values: vec![0.0, 0.25, 0.5, 0.75, 1.0],
    };
    let ylabels = yt.labels(Format::Percent);
    let left = 20.0 + axis::widest(&ylabels) + 10.0;
    let right = xlabels
        .last()
        .map_or(12.0, |l| text_width(l, FONT) / 2.0 + 6.0);
    let (top, bottom) = (22.0, 24.0 + FONT + 18.0);
    let x = Linear::new(xt.lo, xt.hi, left, W - right);
    let y = Linear::new(0.0, 1.0, H - bottom, top);
    let title = format!("{id}: probability that the claim holds, by threshold (95% interval)");
    let attrs = format!(
        " data-claim=\"{}\" data-threshold=\"{}\" data-points=\"{}\"",
        esc(id),
        attr_num(threshold),
        curve.len()
    );
    let mut svg = Svg::new("curve", W, H, &title, &attrs);
    axis::left(&mut svg, &y, &yt.values, &ylabels, left, W - right, true);
    axis::bottom(&mut svg, &x, &xt.values, &xlabels, H - bottom, top, false);
    axis::title_left(&mut svg, 14.0, top, H - bottom, "probability");
    axis::title_below(&mut svg, left, W - right, H - 6.0, axis_label);
    let pt = |t: f64, p: f64| format!("{:.1},{:.1}", x.map(t), y.map(p));
    let upper: Vec<String> = curve.iter().map(|c| pt(c.threshold, c.hi)).collect();
    let lower: Vec<String> = curve.iter().rev().map(|c| pt(c.threshold, c.lo)).collect();
    svg.put(format_args!(
        "<polygon class=\"band\" points=\"{} {}\" fill=\"#4c72b0\" fill-opacity=\"0.15\" stroke=\"none\"/>",
        upper.join(" "),
        lower.join(" ")
    ));
    let line: Vec<String> = curve
        .iter()
        .map(|c| pt(c.threshold, c.probability))
        .collect();
    svg.put(format_args!(
        "<polyline class=\"probability\" points=\"{}\" fill=\"none\" stroke=\"#4c72b0\" stroke-width=\"2\"/>",
        line.join(" ")
    ));
    let half = y.map(0.5);
    svg.put(format_args!(
        "<line class=\"half\" x1=\"{left:.1}\" x2=\"{:.1}\" y1=\"{half:.1}\" y2=\"{half:.1}\" stroke=\"#9aa3af\" stroke-dasharray=\"2 3\"/>",
        W - right
    ));
    let tx = x.map(threshold);
    svg.put(format_args!(
        "<line class=\"headline\" data-threshold=\"{}\" x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"{top:.1}\" y2=\"{:.1}\" stroke=\"#111\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
        attr_num(threshold),
        H - bottom
    ));
    Some(svg.finish())
}
