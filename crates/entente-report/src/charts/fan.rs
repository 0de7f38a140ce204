//! Spending fan charts: for one state, each option's 5-95% and 25-75% bands
//! over draws and its median, year by year.

use std::fmt::Write as _;

use entente_core::summary::Fan;

use super::axis::{self, Format, Linear, Ticks};
use super::{attr_num, color, esc, text_width, Svg, FONT};

/// One option's fan.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    pub option: &'a str,
    /// Index of the option (its colour).
    pub index: usize,
    /// Constant 2023 US$ m per year.
    pub fan: &'a Fan,
}

/// viewBox size: two fans side by side on a wide page.
const W: f64 = 560.0;
const H: f64 = 320.0;

fn points(years: &[i32], v: &[f64], x: &Linear, y: &Linear) -> String {
    let mut s = String::new();
    for (yr, v) in years.iter().zip(v) {
        if v.is_finite() {
            let _ = write!(s, "{:.1},{:.1} ", x.map(f64::from(*yr)), y.map(v / 1000.0));
        }
    }
    s.trim_end().to_string()
}

/// The fan chart of `label` (the state), or `None` without a finite value.
pub fn chart(label: &str, name: &str, years: &[i32], series: &[Series]) -> Option<String> {
    chart_with_realised(label, name, years, series, &[])
}

/// The fan chart with what really happened drawn over it: `realised` is
/// `(year, constant 2023 US$ m)`, the years with data only.
pub fn chart_with_realised(
    label: &str,
    name: &str,
    years: &[i32],
    series: &[Series],
    realised: &[(i32, f64)],
) -> Option<String> {
    let all = series
        .iter()
        .flat_map(|s| s.fan.q05.iter().chain(&s.fan.q95).chain(&s.fan.q50))
        .chain(realised.iter().map(|r| &r.1))
        .filter(|v| v.is_finite())
        .map(|v| v / 1000.0);
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() || years.is_empty() {
        return None;
    }
    let yt = Ticks::nice(lo.max(0.0), hi, 5);
    let ylabels = yt.labels(Format::Number);
    let (y0, y1) = (f64::from(years[0]), f64::from(years[years.len() - 1]));
    let xt = Ticks::within(y0, y1, 6);
    let xlabels = xt.labels(Format::Year);
    let left = 20.0 + axis::widest(&ylabels) + 10.0;
    let right = xlabels
        .last()
        .map_or(12.0, |l| text_width(l, FONT) / 2.0 + 6.0);
    let (top, bottom) = (26.0, 24.0 + FONT + 18.0);
    let x = Linear::new(y0, y1, left, W - right);
    let y = Linear::new(yt.lo, yt.hi, H - bottom, top);
    let title = format!("{name}: military spending by option, US$ bn at 2023 prices, median with 25-75% and 5-95% of draws");
    let mut svg = Svg::new(
        "fan",
        W,
        H,
        &title,
        &format!(" data-state=\"{}\"", esc(label)),
    );
    svg.text(
        "chart-title",
        left,
        16.0,
        "start",
        &format!("{name} ({label})"),
    );
    axis::left(&mut svg, &y, &yt.values, &ylabels, left, W - right, true);
    axis::bottom(&mut svg, &x, &xt.values, &xlabels, H - bottom, top, false);
    axis::title_left(&mut svg, 14.0, top, H - bottom, "US$ bn, 2023 prices");
    axis::title_below(&mut svg, left, W - right, H - 6.0, "year");
    for s in series {
        let c = color(s.index);
        for (lo, hi, opacity, band) in [
            (&s.fan.q05, &s.fan.q95, 0.08, "90"),
            (&s.fan.q25, &s.fan.q75, 0.16, "50"),
        ] {
            let upper = points(years, hi, &x, &y);
            let lower = points(years, lo, &x, &y);
            let lower: Vec<&str> = lower.split(' ').rev().collect();
            svg.put(format_args!(
                "<polygon class=\"band\" data-option=\"{}\" data-band=\"{band}\" points=\"{upper} {}\" fill=\"{c}\" fill-opacity=\"{opacity}\" stroke=\"none\"/>",
                esc(s.option),
                lower.join(" ")
            ));
        }
    }
    for s in series {
        let last = s.fan.q50.last().copied().unwrap_or(f64::NAN);
        svg.put(format_args!(
            "<polyline class=\"series\" data-option=\"{}\" data-last=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            esc(s.option),
            attr_num(last / 1000.0),
            points(years, &s.fan.q50, &x, &y),
            color(s.index)
        ));
    }
    if !realised.is_empty() {
        let (ry, rv): (Vec<i32>, Vec<f64>) = realised.iter().copied().unzip();
        svg.put(format_args!(
            "<polyline class=\"realised\" points=\"{}\" fill=\"none\" stroke=\"#111\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>",
            points(&ry, &rv, &x, &y)
        ));
        for (yr, v) in realised {
            svg.put(format_args!(
                "<circle class=\"realised-point\" data-year=\"{yr}\" data-value=\"{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#111\"><title>{yr}: {} bn (realised)</title></circle>",
                attr_num(v / 1000.0),
                x.map(f64::from(*yr)),
                y.map(v / 1000.0),
                axis::number(v / 1000.0, 1)
            ));
        }
    }
    Some(svg.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fan_has_even_ticks_bands_and_a_line_per_option() {
        let fan = Fan {
            q05: vec![300_000.0, 320_000.0, 350_000.0],
            q25: vec![310_000.0, 340_000.0, 380_000.0],
            q50: vec![320_000.0, 360_000.0, 410_000.0],
            q75: vec![330_000.0, 380_000.0, 450_000.0],
            q95: vec![340_000.0, 400_000.0, 738_000.0],
        };
        let s = [
            Series {
                option: "a",
                index: 0,
                fan: &fan,
            },
            Series {
                option: "b",
                index: 1,
                fan: &fan,
            },
        ];
        let svg = chart("CHN", "China", &[2024, 2025, 2026], &s).unwrap();
        assert!(!svg.contains("realised"));
        let with = chart_with_realised(
            "CHN",
            "China",
            &[2024, 2025, 2026],
            &s,
            &[(2024, 320_000.0), (2026, 900_000.0)],
        )
        .unwrap();
        assert_eq!(with.matches("class=\"realised-point\"").count(), 2);
        // The realised value above every band widens the axis to show it.
        let top_tick = with
            .split('>')
            .filter_map(|t| t.split('<').next()?.trim().parse::<f64>().ok())
            .fold(0.0, f64::max);
        assert!(top_tick >= 900.0, "top tick {top_tick}");
        assert_eq!(svg.matches("class=\"series\"").count(), 2);
        assert_eq!(svg.matches("class=\"band\"").count(), 4);
        for label in [
            ">300<", ">400<", ">500<", ">600<", ">700<", ">800<", ">2026<",
        ] {
            assert!(svg.contains(label), "{label} missing");
        }
        assert!(svg.contains("width=\"100%\"") && svg.contains("viewBox=\"0 0 560 320\""));
        let none = Fan {
            q05: vec![f64::NAN],
            q25: vec![f64::NAN],
            q50: vec![f64::NAN],
            q75: vec![f64::NAN],
            q95: vec![f64::NAN],
        };
        assert!(chart(
            "X",
            "X",
            &[2024],
            &[Series {
                option: "a",
                index: 0,
                fan: &none
            }]
        )
        .is_none());
    }
}
