//! What drives a claim: per uncertain parameter, the first-order (S1) and total
//! (S_T) Sobol indices of the claim's paired difference, with their intervals
//! when the engine computed them. Estimates outside 0-1 (small designs) are
//! drawn where they fall, not clipped.

use super::axis::{self, Format, Linear, Ticks};
use super::{attr_num, esc, text_width, Svg, FONT};

/// One parameter's indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Driver<'a> {
    pub param: &'a str,
    pub s1: Option<f64>,
    pub st: Option<f64>,
    /// Confidence intervals, when the engine provides them.
    pub s1_interval: Option<(f64, f64)>,
    pub st_interval: Option<(f64, f64)>,
}

const W: f64 = 560.0;
const ROW: f64 = 30.0;
const BAR: f64 = 9.0;
const S1_COLOR: &str = "#9db4d6";
const ST_COLOR: &str = "#2f5597";

/// The driver chart of `claim`, parameters by total index; `None` without any index.
pub fn chart(claim: &str, drivers: &[Driver]) -> Option<String> {
    let mut rows: Vec<&Driver> = drivers
        .iter()
        .filter(|d| d.s1.is_some_and(f64::is_finite) || d.st.is_some_and(f64::is_finite))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let key = |d: &Driver| d.st.filter(|v| v.is_finite()).unwrap_or(f64::NEG_INFINITY);
    rows.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.param.cmp(b.param)));
    let mut lo = 0.0f64;
    let mut hi = 1.0f64;
    for d in &rows {
        let ends = [d.s1, d.st].into_iter().flatten().chain(
            d.s1_interval
                .into_iter()
                .chain(d.st_interval)
                .flat_map(|(a, b)| [a, b]),
        );
        for v in ends.filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    let xt = Ticks::nice(lo, hi, 5);
    let xlabels = xt.labels(Format::Number);
    let names: Vec<String> = rows.iter().map(|d| d.param.to_string()).collect();
    let left = axis::widest(&names) + 14.0;
    let right = text_width("0.00", FONT) + 10.0;
    let (top, bottom) = (34.0, 24.0 + FONT + 18.0);
    let h = top + ROW * rows.len() as f64 + bottom;
    let x = Linear::new(xt.lo, xt.hi, left, W - right);
    let has_intervals = rows
        .iter()
        .any(|d| d.s1_interval.is_some() || d.st_interval.is_some());
    let mut svg = Svg::new(
        "drivers",
        W,
        h,
        &format!("{claim}: first-order and total Sobol indices of the paired difference"),
        &format!(
            " data-claim=\"{}\" data-intervals=\"{has_intervals}\"",
            esc(claim)
        ),
    );
    // Legend.
    svg.put(format_args!(
        "<rect x=\"{left:.1}\" y=\"8\" width=\"12\" height=\"{BAR}\" fill=\"{S1_COLOR}\"/>"
    ));
    svg.text("legend", left + 16.0, 16.5, "start", "first-order S1");
    let l2 = left + 16.0 + text_width("first-order S1", FONT) + 14.0;
    svg.put(format_args!(
        "<rect x=\"{l2:.1}\" y=\"8\" width=\"12\" height=\"{BAR}\" fill=\"{ST_COLOR}\"/>"
    ));
    svg.text("legend", l2 + 16.0, 16.5, "start", "total S_T");
    axis::bottom(&mut svg, &x, &xt.values, &xlabels, h - bottom, top, true);
    axis::title_below(
        &mut svg,
        left,
        W - right,
        h - 6.0,
        "share of the difference's variance",
    );
    let zero = x.map(0.0);
    svg.put(format_args!(
        "<line x1=\"{zero:.1}\" x2=\"{zero:.1}\" y1=\"{top:.1}\" y2=\"{:.1}\" stroke=\"#6b7280\"/>",
        h - bottom
    ));
    for (i, d) in rows.iter().enumerate() {
        let y0 = top + ROW * i as f64 + (ROW - 2.0 * BAR - 2.0) / 2.0;
        svg.put(format_args!(
            "<g class=\"driver\" data-param=\"{}\" data-s1=\"{}\" data-st=\"{}\">",
            esc(d.param),
            attr_num(d.s1.unwrap_or(f64::NAN)),
            attr_num(d.st.unwrap_or(f64::NAN))
        ));
        svg.text("param", left - 8.0, y0 + BAR + 4.0, "end", d.param);
        for (k, (v, iv, c, what)) in [
            (d.s1, d.s1_interval, S1_COLOR, "s1"),
            (d.st, d.st_interval, ST_COLOR, "st"),
        ]
        .into_iter()
        .enumerate()
        {
            let y = y0 + k as f64 * (BAR + 2.0);
            let Some(v) = v.filter(|v| v.is_finite()) else {
                svg.text("na", zero + 4.0, y + BAR - 1.0, "start", "NA");
                continue;
            };
            let (a, b) = (zero.min(x.map(v)), zero.max(x.map(v)));
            svg.put(format_args!(
                "<rect class=\"index {what}\" x=\"{a:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{BAR}\" fill=\"{c}\"/>",
                (b - a).max(0.5)
            ));
            if let Some((l, u)) = iv.filter(|(l, u)| l.is_finite() && u.is_finite()) {
                let ym = y + BAR / 2.0;
                svg.put(format_args!(
                    "<line class=\"interval {what}\" x1=\"{:.2}\" x2=\"{:.2}\" y1=\"{ym:.2}\" y2=\"{ym:.2}\" stroke=\"#111\"/>",
                    x.map(l),
                    x.map(u)
                ));
            }
            if what == "st" {
                let end = x.map(v).max(zero);
                svg.text(
                    "value",
                    end + 4.0,
                    y + BAR - 0.5,
                    "start",
                    &axis::number(v, 2),
                );
            }
        }
        svg.raw("</g>");
    }
    Some(svg.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(param: &str, s1: f64, st: f64) -> Driver<'_> {
        Driver {
            param,
            s1: Some(s1),
            st: Some(st),
            s1_interval: None,
            st_interval: None,
        }
    }

    #[test]
    fn drivers_are_ranked_by_total_index_and_the_axis_covers_every_estimate() {
        let ds = [d("a", 0.1, 0.2), d("b", 0.5, 3.46), d("c", -0.2, 0.05)];
        let svg = chart("x", &ds).unwrap();
        let (pa, pb, pc) = (
            svg.find("data-param=\"a\"").unwrap(),
            svg.find("data-param=\"b\"").unwrap(),
            svg.find("data-param=\"c\"").unwrap(),
        );
        assert!(pb < pa && pa < pc);
        assert!(svg.contains(">4<") && svg.contains(">\u{2212}1<"), "{svg}");
        assert!(svg.contains("data-intervals=\"false\""));
        let with = [Driver {
            st_interval: Some((0.1, 0.4)),
            ..d("a", 0.1, 0.2)
        }];
        let svg = chart("x", &with).unwrap();
        assert!(svg.contains("class=\"interval st\"") && svg.contains("data-intervals=\"true\""));
        assert!(chart(
            "x",
            &[Driver {
                s1: None,
                st: None,
                ..d("a", 0.0, 0.0)
            }]
        )
        .is_none());
    }
}
