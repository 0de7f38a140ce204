//! The base world on a map: Natural Earth 1:110m countries (the atlas the
//! dashboard draws), in Miller's cylindrical projection, cut at the middle of
//! the widest stretch of longitudes no actor covers and fitted to every
//! polygon of every actor, the way the dashboard's map is. Actors are coloured
//! by a value (log scale), states without one are grey, the rest pale.
//!
//! A cylindrical projection keeps meridians straight, so a ring that crosses
//! the cut is drawn twice, once on each side (shifted by 360 degrees), and the
//! map is clipped to the sphere's rectangle. Rings around a pole (Antarctica)
//! cannot be drawn that way and are left out.

use std::fmt::Write as _;

use entente_core::ids::Ccode;

use super::{attr_num, esc, text_width, Svg, FONT};
use crate::atlas::{join, Atlas, Ring, StateKey};

/// An actor as the map colours it.
#[derive(Debug, Clone, Copy)]
pub struct State<'a> {
    pub ccode: Ccode,
    pub iso_numeric: Option<u16>,
    pub name: &'a str,
    pub label: &'a str,
    /// The value to colour by (positive, log scale); `None` is "no data".
    pub value: Option<f64>,
}

const W: f64 = 1000.0;
const PAD: f64 = 18.0;
const LEGEND: f64 = 46.0;
const NO_DATA: &str = "#c3c8cf";
const NOT_ACTOR: &str = "#e6e8eb";
/// ColorBrewer YlGnBu (9 classes), the dashboard's spending scale.
const YLGNBU: [(u8, u8, u8); 9] = [
    (0xff, 0xff, 0xd9),
    (0xed, 0xf8, 0xb1),
    (0xc7, 0xe9, 0xb4),
    (0x7f, 0xcd, 0xbb),
    (0x41, 0xb6, 0xc4),
    (0x1d, 0x91, 0xc0),
    (0x22, 0x5e, 0xa8),
    (0x25, 0x34, 0x94),
    (0x08, 0x1d, 0x58),
];

/// YlGnBu at `t` in 0..=1 (piecewise linear between the classes).
fn ylgnbu(t: f64) -> String {
    let t = t.clamp(0.0, 1.0) * (YLGNBU.len() - 1) as f64;
    let i = (t.floor() as usize).min(YLGNBU.len() - 2);
    let f = t - i as f64;
    let (a, b) = (YLGNBU[i], YLGNBU[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// Miller's cylindrical projection of a latitude (degrees) to y (radians-scaled).
fn miller_y(lat: f64) -> f64 {
    let phi = lat.clamp(-90.0, 90.0).to_radians();
    1.25 * (std::f64::consts::FRAC_PI_4 + 0.4 * phi).tan().ln()
}

/// Longitude relative to `centre`, in [-180, 180).
fn wrap(lon: f64, centre: f64) -> f64 {
    (lon - centre + 540.0).rem_euclid(360.0) - 180.0
}

/// A ring's longitudes relative to `centre`, made continuous (a ring that
/// crosses the cut runs past +-180), or `None` for a ring around a pole.
fn unwrap(ring: &Ring, centre: f64) -> Option<Vec<(f64, f64)>> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(ring.len());
    for &(lon, lat) in ring {
        let mut l = wrap(lon, centre);
        if let Some(&(p, _)) = out.last() {
            while l - p > 180.0 {
                l -= 360.0;
            }
            while p - l > 180.0 {
                l += 360.0;
            }
        }
        out.push((l, lat));
    }
    let (first, last) = (out.first()?.0, out.last()?.0);
    ((first - last).abs() < 180.0).then_some(out)
}

/// Planar area of a ring in square degrees (for telling mainlands from islets).
fn area(ring: &[(f64, f64)]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        .abs()
        / 2.0
}

/// The longitude to centre the map on: opposite the middle of the widest gap
/// between the longitude ranges of the actors' polygons (islets under 1% of
/// their country's largest polygon do not count). A polygon that crosses the
/// antimeridian (Russia's, in this atlas) covers both ends.
fn best_centre<'a>(polygons: impl Iterator<Item = &'a Vec<Vec<Ring>>>) -> f64 {
    let mut iv: Vec<(f64, f64)> = Vec::new();
    for polys in polygons {
        let outer: Vec<Vec<(f64, f64)>> = polys
            .iter()
            .filter_map(|p| p.first().and_then(|r| unwrap(r, 0.0)))
            .collect();
        let areas: Vec<f64> = outer.iter().map(|r| area(r)).collect();
        let max = areas.iter().copied().fold(0.0, f64::max);
        for (r, a) in outer.iter().zip(&areas) {
            if *a < 0.01 * max {
                continue;
            }
            let (w, e) = r
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(w, e), p| {
                    (w.min(p.0), e.max(p.0))
                });
            for (w, e) in [(w, e), (w - 360.0, e - 360.0), (w + 360.0, e + 360.0)] {
                let (w, e) = (w.max(-180.0), e.min(180.0));
                if w <= e {
                    iv.push((w, e));
                }
            }
        }
    }
    if iv.is_empty() {
        return 0.0;
    }
    iv.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (a, b) in iv {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let mut best = (-1.0, 180.0);
    for (i, m) in merged.iter().enumerate() {
        let next = merged.get(i + 1).map_or(merged[0].0 + 360.0, |n| n.0);
        let gap = next - m.1;
        if gap > best.0 {
            best = (gap, m.1 + gap / 2.0);
        }
    }
    if best.0 <= 0.0 {
        return 0.0;
    }
    let cut = if best.1 > 180.0 {
        best.1 - 360.0
    } else {
        best.1
    };
    wrap(cut + 180.0, 0.0)
}

/// Projected, fitted coordinates: x is the longitude from the centre in
/// radians, y Miller's; `x0` and `y1` are the fitted bounds' left and top.
struct Frame {
    k: f64,
    ox: f64,
    oy: f64,
    x0: f64,
    y1: f64,
}

impl Frame {
    fn px(&self, l: f64) -> f64 {
        self.ox + (l.to_radians() - self.x0) * self.k
    }
    fn py(&self, lat: f64) -> f64 {
        self.oy + (self.y1 - miller_y(lat)) * self.k
    }
}

/// Coordinates are written on a grid of a fifth of a unit.
const GRID: f64 = 5.0;

/// A grid count as a short SVG number: `.4`, `-1.2`, `3`.
fn short(q: i64) -> String {
    let s = if q % GRID as i64 == 0 {
        format!("{}", q / GRID as i64)
    } else {
        format!("{:.1}", q as f64 / GRID)
    };
    s.replacen(
        "0.",
        ".",
        usize::from(s.starts_with("0.") || s.starts_with("-0.")),
    )
}

/// `d` of a path through `pts`: a move, then relative line-tos on the grid,
/// dropping points closer than 0.6 units to the last one kept (far below what
/// a 1:110m outline resolves at this scale); empty when the ring is off the map.
fn ring_path(pts: &[(f64, f64)], f: &Frame, shift: f64, h: f64) -> String {
    let xy: Vec<(f64, f64)> = pts
        .iter()
        .map(|&(l, lat)| (f.px(l + shift), f.py(lat)))
        .collect();
    let (x0, x1, y0, y1) = xy.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), p| (a.min(p.0), b.max(p.0), c.min(p.1), d.max(p.1)),
    );
    if x1 < 0.0 || x0 > W || y1 < 0.0 || y0 > h {
        return String::new();
    }
    let q = |v: f64| (v * GRID).round() as i64;
    let mut d = String::new();
    let mut last: Option<(i64, i64)> = None;
    let mut kept = (f64::NAN, f64::NAN);
    for (i, &(x, y)) in xy.iter().enumerate() {
        let (qx, qy) = (q(x), q(y));
        match last {
            None => {
                let _ = write!(d, "M{},{}l", short(qx), short(qy));
                last = Some((qx, qy));
                kept = (x, y);
            }
            Some((px, py)) => {
                let far = (x - kept.0).hypot(y - kept.1) >= 0.6;
                if (far || i + 1 == xy.len()) && (qx, qy) != (px, py) {
                    let (dx, dy) = (short(qx - px), short(qy - py));
                    if !d.ends_with('l') && !dx.starts_with('-') {
                        d.push(' ');
                    }
                    d.push_str(&dx);
                    if !dy.starts_with('-') {
                        d.push(',');
                    }
                    d.push_str(&dy);
                    last = Some((qx, qy));
                    kept = (x, y);
                }
            }
        }
    }
    if d.ends_with('l') {
        d.pop();
    }
    d.push('z');
    d
}

/// The map of `states`, coloured by their values; `None` when no actor is on the map.
pub fn chart(atlas: &Atlas, states: &[State], unit: &str) -> Option<String> {
    let keys: Vec<StateKey> = states
        .iter()
        .map(|s| StateKey {
            ccode: s.ccode,
            iso_numeric: s.iso_numeric,
            name: s.name,
        })
        .collect();
    let joined = join(
        atlas
            .countries
            .iter()
            .map(|c| (c.id.as_deref(), c.name.as_str())),
        &keys,
    );
    let actor = |i: usize| -> Option<&State> {
        let (c, _) = joined[i]?;
        states.iter().find(|s| s.ccode == c)
    };
    let actors: Vec<usize> = (0..atlas.countries.len())
        .filter(|i| actor(*i).is_some())
        .collect();
    if actors.is_empty() {
        return None;
    }
    let centre = best_centre(actors.iter().map(|i| &atlas.countries[*i].polygons));
    // Bounds of every actor polygon (the sphere's at most).
    let pi = std::f64::consts::PI;
    let (mut bx0, mut bx1, mut by0, mut by1) = (pi, -pi, f64::INFINITY, f64::NEG_INFINITY);
    for i in &actors {
        for ring in atlas.countries[*i]
            .polygons
            .iter()
            .filter_map(|p| p.first())
        {
            for (l, lat) in unwrap(ring, centre).into_iter().flatten() {
                bx0 = bx0.min(l.max(-180.0).to_radians());
                bx1 = bx1.max(l.min(180.0).to_radians());
                by0 = by0.min(miller_y(lat));
                by1 = by1.max(miller_y(lat));
            }
        }
    }
    let (bw, bh) = (bx1 - bx0, by1 - by0);
    let fit_w = (W - 2.0 * PAD) / bw;
    let h = (bh * fit_w + 2.0 * PAD).clamp(320.0, 620.0);
    let k = fit_w.min((h - 2.0 * PAD) / bh);
    let f = Frame {
        k,
        ox: (W - bw * k) / 2.0,
        oy: (h - bh * k) / 2.0,
        x0: bx0,
        y1: by1,
    };
    let total_h = h + LEGEND;
    let values: Vec<f64> = states
        .iter()
        .filter_map(|s| s.value)
        .filter(|v| *v > 0.0)
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (0.1, 1000.0)
    };
    let t = |v: f64| (v.ln() - lo.ln()) / (hi.ln() - lo.ln());
    let fill = |v: Option<f64>| match v {
        Some(v) if v > 0.0 => ylgnbu(0.12 + 0.88 * t(v)),
        _ => NO_DATA.to_string(),
    };
    let mut svg = Svg::new(
        "map",
        W,
        total_h,
        &format!("Map of the scenario's {} actors: {unit}", states.len()),
        &format!(" data-centre=\"{}\"", attr_num(centre)),
    );
    // The sphere's rectangle within the map area, and everything clipped to it.
    let (sx0, sx1) = (f.px(-180.0).max(0.0), f.px(180.0).min(W));
    let (sy0, sy1) = (f.py(90.0).max(0.0), f.py(-90.0).min(h));
    svg.put(format_args!(
        "<defs><clipPath id=\"map-clip\"><rect x=\"{sx0:.1}\" y=\"{sy0:.1}\" width=\"{:.1}\" height=\"{:.1}\"/></clipPath></defs><rect class=\"sphere\" x=\"{sx0:.1}\" y=\"{sy0:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#eaf1f8\"/><g clip-path=\"url(#map-clip)\">",
        sx1 - sx0, sy1 - sy0, sx1 - sx0, sy1 - sy0
    ));
    let mut grid = String::new();
    for lon in (-180..=180).step_by(30) {
        let x = f.px(wrap(f64::from(lon), centre));
        let _ = write!(grid, "M{x:.1},{sy0:.1}V{sy1:.1}");
    }
    for lat in (-60..=60).step_by(30) {
        let y = f.py(f64::from(lat));
        let _ = write!(grid, "M{sx0:.1},{y:.1}H{sx1:.1}");
    }
    svg.put(format_args!(
        "<path class=\"graticule\" d=\"{grid}\" fill=\"none\" stroke=\"#d6e1ec\" stroke-width=\"0.6\"/>"
    ));
    // Others first, actors on top (their outlines stay whole).
    let order = (0..atlas.countries.len())
        .filter(|i| actor(*i).is_none())
        .chain(actors.iter().copied());
    for i in order {
        let c = &atlas.countries[i];
        let mut d = String::new();
        for ring in c.polygons.iter().flatten() {
            let Some(pts) = unwrap(ring, centre) else {
                continue;
            };
            let (mn, mx) = pts
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                    (a.min(p.0), b.max(p.0))
                });
            d.push_str(&ring_path(&pts, &f, 0.0, h));
            if mx > 180.0 {
                d.push_str(&ring_path(&pts, &f, -360.0, h));
            }
            if mn < -180.0 {
                d.push_str(&ring_path(&pts, &f, 360.0, h));
            }
        }
        if d.is_empty() {
            continue;
        }
        match actor(i) {
            Some(s) => {
                let v = s
                    .value
                    .map_or(String::new(), |v| format!("{}: {v:.1} {unit}", s.name));
                svg.put(format_args!(
                    "<path class=\"country actor\" data-ccode=\"{}\" data-state=\"{}\" data-value=\"{}\" d=\"{d}\" fill=\"{}\" fill-rule=\"evenodd\" stroke=\"#7d8693\" stroke-width=\"0.5\"><title>{}</title></path>",
                    s.ccode.0,
                    esc(s.label),
                    s.value.map_or(String::new(), attr_num),
                    fill(s.value),
                    esc(if v.is_empty() { s.name } else { &v })
                ));
            }
            None => {
                svg.put(format_args!(
                    "<path class=\"country\" d=\"{d}\" fill=\"{NOT_ACTOR}\" fill-rule=\"evenodd\" stroke=\"#fff\" stroke-width=\"0.4\"><title>{}</title></path>",
                    esc(&c.name)
                ));
            }
        }
    }
    svg.raw("</g>");
    legend(&mut svg, h, lo, hi, unit);
    Some(svg.finish())
}

/// A colour bar with ticks at powers of ten, and the grey swatches.
fn legend(svg: &mut Svg, h: f64, lo: f64, hi: f64, unit: &str) {
    let y = h + 10.0;
    let x0 = PAD + text_width(unit, FONT) + 12.0;
    let bw = 300.0;
    svg.text("legend-title", PAD, y + 10.0, "start", unit);
    let mut stops = String::new();
    for k in 0..=16 {
        let t = f64::from(k) / 16.0;
        let _ = write!(
            stops,
            "<stop offset=\"{:.3}\" stop-color=\"{}\"/>",
            t,
            ylgnbu(0.12 + 0.88 * t)
        );
    }
    svg.put(format_args!(
        "<defs><linearGradient id=\"map-scale\">{stops}</linearGradient></defs><rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{bw}\" height=\"10\" fill=\"url(#map-scale)\" stroke=\"#bbb\" stroke-width=\"0.5\"/>"
    ));
    // Ticks at the powers of ten inside the range: evenly spaced on a log scale.
    svg.raw("<g class=\"axis legend\" data-axis=\"x\">");
    let (e0, e1) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
    for e in e0..=e1 {
        let v = 10f64.powi(e);
        let x = x0 + bw * (v.ln() - lo.ln()) / (hi.ln() - lo.ln());
        svg.put(format_args!(
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>",
            y + 10.0,
            y + 14.0
        ));
        svg.text(
            "tick",
            x,
            y + 16.0 + FONT,
            "middle",
            &super::axis::number(v, (-e).max(0) as usize),
        );
    }
    svg.raw("</g>");
    let mut sx = x0 + bw + 30.0;
    for (c, what) in [(NO_DATA, "no data"), (NOT_ACTOR, "not an actor")] {
        svg.put(format_args!(
            "<rect x=\"{sx:.1}\" y=\"{y:.1}\" width=\"12\" height=\"12\" fill=\"{c}\" stroke=\"#aaa\" stroke-width=\"0.5\"/>"
        ));
        svg.text("legend", sx + 16.0, y + 10.5, "start", what);
        sx += 16.0 + text_width(what, FONT) + 18.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The points of a path written by `ring_path` (M x,y l dx,dy ... z).
    fn absolute(d: &str) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for ring in d.split('M').filter(|s| !s.is_empty()) {
            let ring = ring.trim_end_matches('z');
            let (start, rel) = ring.split_once('l').unwrap_or((ring, ""));
            let (x, y) = start.split_once(',').unwrap();
            let (mut x, mut y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            out.push((x, y));
            // Numbers: split before '-' and at ',' and ' '.
            let nums: Vec<f64> = rel
                .replace('-', " -")
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            for p in nums.chunks(2) {
                (x, y) = (x + p[0], y + p[1]);
                out.push((x, y));
            }
        }
        out
    }

    #[test]
    fn short_numbers_and_relative_paths_round_trip() {
        assert_eq!(
            [
                short(2),
                short(-2),
                short(5),
                short(-15),
                short(0),
                short(7)
            ],
            [".4", "-.4", "1", "-3", "0", "1.4"]
        );
        let f = Frame {
            k: 100.0,
            ox: 500.0,
            oy: 300.0,
            x0: 0.0,
            y1: 0.0,
        };
        let pts = [
            (0.0, 0.0),
            (10.0, 5.0),
            (10.0, -5.0),
            (-3.0, -1.0),
            (0.0, 0.0),
        ];
        let d = ring_path(&pts, &f, 0.0, 620.0);
        let got = absolute(&d);
        for ((l, lat), (x, y)) in pts.iter().zip(&got) {
            assert!(
                (f.px(*l) - x).abs() < 0.11 && (f.py(*lat) - y).abs() < 0.11,
                "{d}"
            );
        }
    }

    #[test]
    fn miller_is_odd_and_finite_at_the_poles() {
        assert!(miller_y(0.0).abs() < 1e-12);
        assert!((miller_y(45.0) + miller_y(-45.0)).abs() < 1e-12);
        assert!(miller_y(90.0).is_finite() && (miller_y(90.0) - 2.3034).abs() < 1e-3);
        assert_eq!(wrap(190.0, 0.0), -170.0);
        assert_eq!(wrap(-38.0, 142.0), -180.0);
        assert_eq!(ylgnbu(0.0), "#ffffd9");
        assert_eq!(ylgnbu(1.0), "#081d58");
    }

    #[test]
    fn a_ring_across_the_cut_runs_past_180_and_a_polar_ring_is_dropped() {
        let ring: Ring = vec![
            (170.0, 0.0),
            (-170.0, 0.0),
            (-170.0, 10.0),
            (170.0, 10.0),
            (170.0, 0.0),
        ];
        let u = unwrap(&ring, 0.0).unwrap();
        assert_eq!(u[1].0, 190.0);
        let polar: Ring = vec![
            (-180.0, -80.0),
            (-90.0, -75.0),
            (0.0, -78.0),
            (90.0, -75.0),
            (179.0, -80.0),
            (180.0, -80.0),
        ];
        assert!(unwrap(&polar, 30.0).is_none());
    }

    #[test]
    fn the_flagship_cast_is_centred_in_the_pacific_and_drawn_whole() {
        let atlas = Atlas::bundled().unwrap();
        // Western Europe, North America and East Asia: the widest gap is the Atlantic.
        let cast = [
            (2, 840, "United States of America"),
            (365, 643, "Russia"),
            (220, 250, "France"),
            (230, 724, "Spain"),
            (235, 620, "Portugal"),
            (395, 352, "Iceland"),
            (710, 156, "China"),
            (740, 392, "Japan"),
            (900, 36, "Australia"),
            (920, 554, "New Zealand"),
            (20, 124, "Canada"),
        ];
        let states: Vec<State> = cast
            .iter()
            .map(|(c, iso, n)| State {
                ccode: Ccode(*c),
                iso_numeric: Some(*iso),
                name: n,
                label: n,
                value: Some(f64::from(*c)),
            })
            .collect();
        let svg = chart(&atlas, &states, "US$ bn").unwrap();
        let centre: f64 = svg
            .split("data-centre=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((100.0..180.0).contains(&centre), "centre {centre}");
        assert_eq!(svg.matches("class=\"country actor\"").count(), cast.len());
        // Every actor's outline lies inside the map, clear of its edges, and
        // the actors fill it (from the Arctic to New Zealand).
        let (mut ymin, mut ymax) = (f64::INFINITY, f64::NEG_INFINITY);
        let h: f64 = svg
            .split("viewBox=\"0 0 1000 ")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse::<f64>()
            .unwrap()
            - LEGEND;
        for p in svg.split("class=\"country actor\"").skip(1) {
            let d = p.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
            for (x, y) in absolute(d) {
                assert!(
                    (PAD - 1.0..=W - PAD + 1.0).contains(&x) && (0.0..=h).contains(&y),
                    "{x},{y} in {}",
                    &p[..60]
                );
                (ymin, ymax) = (ymin.min(y), ymax.max(y));
            }
        }
        assert!(ymax - ymin > 0.8 * h, "actors span {ymin}..{ymax} of {h}");
    }
}
