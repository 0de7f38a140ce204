//! A claim's paired difference (treatment minus baseline, one value per draw)
//! as a histogram, with the threshold the claim compares it to. Bin edges are
//! laid from the threshold, so every bin lies wholly on one side of it: the
//! bars coloured as "holds" add up to the claim's probability.

use std::collections::BTreeMap;

use super::axis::{self, nice_step, Format, Linear, Ticks};
use super::{attr_num, esc, text_width, Svg, FONT};

/// What the histogram shows of a claim.
#[derive(Debug, Clone, Copy)]
pub struct ClaimView<'a> {
    pub id: &'a str,
    /// What the x axis measures (e.g. "treatment - baseline: threat_from").
    pub axis_label: &'a str,
    pub threshold: f64,
    /// The claim holds when the difference is above the threshold (else below).
    pub above: bool,
}

const W: f64 = 560.0;
const H: f64 = 300.0;
const HOLDS: &str = "#4c72b0";
const FAILS: &str = "#b8c0cc";

/// Counts per bin, keyed by the bin's index from the threshold. Above: bin k
/// is (thr + (k-1)w, thr + kw]; below: [thr + kw, thr + (k+1)w). A value on
/// the threshold falls in a bin where the claim does not hold, as in the engine.
fn bins(values: &[f64], thr: f64, w: f64, above: bool) -> BTreeMap<i64, usize> {
    let mut out = BTreeMap::new();
    for v in values {
        let r = (v - thr) / w;
        let k = if above { r.ceil() } else { r.floor() } as i64;
        *out.entry(k).or_insert(0) += 1;
    }
    out
}

/// The histogram of `differences` (non-finite values are left out and counted).
pub fn chart(c: &ClaimView, differences: &[f64]) -> Option<String> {
    let values: Vec<f64> = differences
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() || !c.threshold.is_finite() {
        return None;
    }
    let missing = differences.len() - values.len();
    let (lo, hi) = values.iter().fold((c.threshold, c.threshold), |(a, b), v| {
        (a.min(*v), b.max(*v))
    });
    let target = ((values.len() as f64).sqrt() * 1.5).clamp(8.0, 40.0) as usize;
    let w = nice_step(hi - lo, target);
    let counts = bins(&values, c.threshold, w, c.above);
    let holds = values
        .iter()
        .filter(|v| {
            if c.above {
                **v > c.threshold
            } else {
                **v < c.threshold
            }
        })
        .count();
    // The edges of bin k.
    let edges = |k: i64| {
        let k = k as f64;
        if c.above {
            (c.threshold + (k - 1.0) * w, c.threshold + k * w)
        } else {
            (c.threshold + k * w, c.threshold + (k + 1.0) * w)
        }
    };
    let (k0, k1) = (*counts.keys().next()?, *counts.keys().next_back()?);
    let (e0, e1) = (edges(k0).0.min(c.threshold), edges(k1).1.max(c.threshold));
    let xt = Ticks::nice(e0, e1, 6);
    let xlabels = xt.labels(Format::Number);
    let max = counts.values().copied().max().unwrap_or(1) as f64;
    let mut yt = Ticks::nice(0.0, max, 4);
    if yt.step < 1.0 {
        yt = Ticks {
            lo: 0.0,
            hi: max.ceil(),
            step: 1.0,
            values: (0..=max.ceil() as i64).map(|v| v as f64).collect(),
        };
    }
    let ylabels = yt.labels(Format::Number);
    let left = 20.0 + axis::widest(&ylabels) + 10.0;
    let right = xlabels
        .last()
        .map_or(12.0, |l| text_width(l, FONT) / 2.0 + 6.0);
    let (top, bottom) = (40.0, 24.0 + FONT + 18.0);
    let x = Linear::new(xt.lo, xt.hi, left, W - right);
    let y = Linear::new(yt.lo, yt.hi, H - bottom, top);
    let n = values.len();
    let share = holds as f64 / n as f64;
    let title = format!(
        "{}: paired difference over {n} draws; the claim holds in {holds} ({:.0}%)",
        c.id,
        share * 100.0
    );
    let attrs = format!(
        " data-claim=\"{}\" data-n=\"{n}\" data-holds=\"{holds}\" data-missing=\"{missing}\" data-threshold=\"{}\" data-direction=\"{}\" data-bin-width=\"{}\"",
        esc(c.id),
        attr_num(c.threshold),
        if c.above { "above" } else { "below" },
        attr_num(w)
    );
    let mut svg = Svg::new("histogram", W, H, &title, &attrs);
    let head = format!(
        "holds in {holds} of {n} draws ({:.0}%){}",
        share * 100.0,
        if missing > 0 {
            format!("; {missing} draws without a value")
        } else {
            String::new()
        }
    );
    svg.text("chart-title", left, 16.0, "start", &head);
    axis::left(&mut svg, &y, &yt.values, &ylabels, left, W - right, true);
    axis::bottom(&mut svg, &x, &xt.values, &xlabels, H - bottom, top, false);
    axis::title_left(&mut svg, 14.0, top, H - bottom, "draws");
    axis::title_below(&mut svg, left, W - right, H - 6.0, c.axis_label);
    svg.raw("<g class=\"bars\">");
    for (k, count) in &counts {
        let (a, b) = edges(*k);
        let holds_here = if c.above {
            a >= c.threshold
        } else {
            b <= c.threshold
        };
        let (xa, xb) = (x.map(a), x.map(b));
        let yc = y.map(*count as f64);
        svg.put(format_args!(
            "<rect class=\"bar\" data-lo=\"{}\" data-hi=\"{}\" data-count=\"{count}\" data-holds=\"{holds_here}\" x=\"{:.2}\" y=\"{yc:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{}\"/>",
            attr_num(a),
            attr_num(b),
            xa + 0.5,
            (xb - xa - 1.0).max(0.5),
            (y.map(0.0) - yc).max(0.0),
            if holds_here { HOLDS } else { FAILS }
        ));
    }
    svg.raw("</g>");
    // The threshold, and which side of it the claim holds on.
    let tx = x.map(c.threshold);
    svg.put(format_args!(
        "<line class=\"threshold\" data-threshold=\"{}\" x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#111\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
        attr_num(c.threshold),
        top - 10.0,
        H - bottom
    ));
    let t = axis::number(c.threshold, decimals_of(c.threshold));
    let label = if c.above {
        format!("threshold {t}: holds above \u{2192}")
    } else {
        format!("\u{2190} holds below: threshold {t}")
    };
    // Beside the line on the side where the claim holds, unless it would leave the chart.
    let lw = text_width(&label, FONT);
    let (lx, anchor) = if c.above {
        if tx + 6.0 + lw <= W - 4.0 {
            (tx + 6.0, "start")
        } else {
            (tx - 6.0, "end")
        }
    } else if tx - 6.0 - lw >= 4.0 {
        (tx - 6.0, "end")
    } else {
        (tx + 6.0, "start")
    };
    svg.text("threshold-label", lx, top - 2.0, anchor, &label);
    Some(svg.finish())
}

/// Decimals that show `v` exactly (up to 6).
fn decimals_of(v: f64) -> usize {
    (0..6)
        .find(|d| {
            let p = 10f64.powi(*d);
            ((v * p).round() - v * p).abs() <= 1e-9 * p.max(1.0)
        })
        .unwrap_or(6) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(threshold: f64, above: bool) -> ClaimView<'static> {
        ClaimView {
            id: "c",
            axis_label: "d",
            threshold,
            above,
        }
    }

    #[test]
    fn bins_never_straddle_the_threshold_and_the_holds_count_matches() {
        let d: Vec<f64> = (0..200)
            .map(|i| (i as f64 * 0.37).sin() * 3.0 + 0.5)
            .chain([f64::NAN])
            .collect();
        for (thr, above) in [(0.0, true), (0.7, true), (-1.3, false), (0.0, false)] {
            let svg = chart(&view(thr, above), &d).unwrap();
            let holds = d
                .iter()
                .filter(|v| if above { **v > thr } else { **v < thr })
                .count();
            assert!(
                svg.contains(&format!("data-holds=\"{holds}\"")),
                "{thr} {above}"
            );
            assert!(svg.contains("data-missing=\"1\""));
            // The bars marked as holding add up to the claim's count.
            let mut sum = 0;
            for bar in svg.split("<rect class=\"bar\"").skip(1) {
                let count: usize = bar
                    .split("data-count=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                let lo: f64 = bar
                    .split("data-lo=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                let hi: f64 = bar
                    .split("data-hi=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(
                    hi <= thr + 1e-9 || lo >= thr - 1e-9,
                    "bin {lo}..{hi} straddles {thr}"
                );
                if bar.contains("data-holds=\"true\"") {
                    sum += count;
                }
            }
            assert_eq!(sum, holds, "{thr} {above}");
            assert_eq!(svg.matches("class=\"threshold\"").count(), 1);
        }
    }

    #[test]
    fn a_value_on_the_threshold_does_not_hold() {
        let svg = chart(&view(0.0, true), &[0.0, 0.0, 1.0]).unwrap();
        assert!(svg.contains("data-holds=\"1\""));
        let svg = chart(&view(0.0, false), &[0.0, 0.0, 0.0]).unwrap();
        assert!(svg.contains("data-holds=\"0\""));
        assert!(chart(&view(0.0, true), &[f64::NAN]).is_none());
    }
}
