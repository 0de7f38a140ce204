//! Threat per state: the annual probability of being the target of a
//! militarised dispute under each option (median and 5-95% of draws), and its
//! paired change between two options.

use entente_core::summary::Band;

use super::axis::{self, Format, Linear, Ticks};
use super::{attr_num, color, esc, Svg};

const W: f64 = 1000.0;

/// One state's threat under each option (aligned with `options`).
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub label: &'a str,
    pub bands: Vec<Option<Band>>,
}

/// Dots (medians) and whiskers (5-95%) per state and option; states in the given order.
pub fn levels(options: &[&str], rows: &[Row]) -> Option<String> {
    let vals = rows
        .iter()
        .flat_map(|r| r.bands.iter().flatten())
        .flat_map(|b| [b.q05, b.q95])
        .filter(|v| v.is_finite());
    let hi = vals.fold(f64::NEG_INFINITY, f64::max);
    if !hi.is_finite() || options.is_empty() {
        return None;
    }
    let xt = Ticks::nice(0.0, hi, 8);
    let xlabels = xt.labels(Format::Percent);
    let names: Vec<String> = rows.iter().map(|r| r.label.to_string()).collect();
    let left = axis::widest(&names) + 16.0;
    let right = axis::widest(&xlabels[xlabels.len() - 1..]) / 2.0 + 8.0;
    let lane = 6.0;
    let row = (lane * options.len() as f64 + 8.0).max(18.0);
    let (top, bottom) = (12.0, 24.0 + super::FONT + 18.0);
    let h = top + row * rows.len() as f64 + bottom;
    let x = Linear::new(xt.lo, xt.hi, left, W - right);
    let mut svg = Svg::new(
        "threat-levels",
        W,
        h,
        "Threat per state and option: annual probability of being the target of a militarised dispute, median and 5-95% of draws",
        "",
    );
    axis::bottom(&mut svg, &x, &xt.values, &xlabels, h - bottom, top, true);
    axis::title_below(
        &mut svg,
        left,
        W - right,
        h - 6.0,
        "annual probability of being the target of a militarised dispute (dot: median; line: 5-95% of draws)",
    );
    for (i, r) in rows.iter().enumerate() {
        let y0 = top + row * i as f64;
        if i % 2 == 1 {
            svg.put(format_args!(
                "<rect x=\"{left:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{row:.1}\" fill=\"#f6f7f9\"/>",
                W - right - left
            ));
        }
        svg.put(format_args!(
            "<g class=\"state\" data-state=\"{}\">",
            esc(r.label)
        ));
        svg.text("label", left - 8.0, y0 + row / 2.0 + 4.0, "end", r.label);
        for (oi, b) in r.bands.iter().enumerate() {
            let Some(b) = b else { continue };
            let y = y0 + 4.0 + lane * (oi as f64 + 0.5);
            let c = color(oi);
            svg.put(format_args!(
                "<line x1=\"{:.2}\" x2=\"{:.2}\" y1=\"{y:.2}\" y2=\"{y:.2}\" stroke=\"{c}\" stroke-width=\"1.5\"/><circle class=\"median\" data-option=\"{}\" data-value=\"{}\" cx=\"{:.2}\" cy=\"{y:.2}\" r=\"2.8\" fill=\"{c}\"/>",
                x.map(b.q05),
                x.map(b.q95),
                esc(options.get(oi).copied().unwrap_or("")),
                attr_num(b.q50),
                x.map(b.q50)
            ));
        }
        svg.raw("</g>");
    }
    Some(svg.finish())
}

/// The change (treatment minus baseline) per state: a bar to the median and a
/// line over 5-95% of draws; `rows` are (label, median, q05, q95).
pub fn changes(rows: &[(String, f64, f64, f64)]) -> Option<String> {
    let ext = rows
        .iter()
        .flat_map(|r| [r.1, r.2, r.3])
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    if rows.is_empty() || ext == 0.0 {
        return None;
    }
    // Symmetric about zero, so more and less threat read alike.
    let xt = Ticks::nice(-ext, ext, 8);
    let xlabels = xt.labels(Format::Number);
    let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let left = axis::widest(&names) + 16.0;
    let right = axis::widest(&xlabels[xlabels.len() - 1..]) / 2.0 + 8.0;
    let row = 18.0;
    let (top, bottom) = (8.0, 24.0 + super::FONT + 18.0);
    let h = top + row * rows.len() as f64 + bottom;
    let x = Linear::new(xt.lo, xt.hi, left, W - right);
    let mut svg = Svg::new(
        "threat-change",
        W,
        h,
        "Change in threat per state, treatment minus baseline, median and 5-95% of draws",
        "",
    );
    axis::bottom(&mut svg, &x, &xt.values, &xlabels, h - bottom, top, true);
    axis::title_below(
        &mut svg,
        left,
        W - right,
        h - 6.0,
        "change in annual threat probability (red: more threatened; line: 5-95% of draws)",
    );
    let zero = x.map(0.0);
    for (i, (name, med, lo, hi)) in rows.iter().enumerate() {
        let y = top + row * i as f64 + 3.0;
        let (a, b) = (zero.min(x.map(*med)), zero.max(x.map(*med)));
        let c = if *med > 0.0 { "#c44e52" } else { "#4c72b0" };
        svg.put(format_args!(
            "<g class=\"bar\" data-state=\"{}\" data-delta=\"{}\">",
            esc(name),
            attr_num(*med)
        ));
        svg.text("label", left - 8.0, y + 10.0, "end", name);
        svg.put(format_args!(
            "<rect x=\"{a:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{:.1}\" fill=\"{c}\"/>",
            (b - a).max(0.5),
            row - 6.0
        ));
        if lo.is_finite() && hi.is_finite() {
            let ym = y + (row - 6.0) / 2.0;
            svg.put(format_args!(
                "<line x1=\"{:.2}\" x2=\"{:.2}\" y1=\"{ym:.2}\" y2=\"{ym:.2}\" stroke=\"#333\"/>",
                x.map(*lo),
                x.map(*hi)
            ));
        }
        svg.raw("</g>");
    }
    svg.put(format_args!(
        "<line x1=\"{zero:.1}\" x2=\"{zero:.1}\" y1=\"{top:.1}\" y2=\"{:.1}\" stroke=\"#6b7280\"/>",
        h - bottom
    ));
    Some(svg.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_changes_draw_every_state_on_even_ticks() {
        let b = |m: f64| {
            Some(Band {
                q05: m * 0.5,
                q50: m,
                q95: m * 1.5,
            })
        };
        let rows = [
            Row {
                label: "CHN",
                bands: vec![b(0.08), b(0.1)],
            },
            Row {
                label: "JPN",
                bands: vec![b(0.05), None],
            },
        ];
        let svg = levels(&["a", "b"], &rows).unwrap();
        assert_eq!(svg.matches("class=\"median\"").count(), 3);
        assert!(svg.contains(">0%<") && svg.contains(">16%<"), "{svg}");
        let svg = changes(&[
            ("JPN".into(), -0.05, -0.07, -0.01),
            ("CHN".into(), 0.01, 0.0, 0.02),
        ])
        .unwrap();
        assert!(
            svg.contains(">\u{2212}0.08<") && svg.contains(">0.08<"),
            "{svg}"
        );
        assert!(changes(&[]).is_none());
    }
}
