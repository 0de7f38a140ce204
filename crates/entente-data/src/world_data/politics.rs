//! Regimes and alignments: democracy scores (extended UDS and V-Dem, via
//! isard) and UN General Assembly ideal points (Bailey, Strezhnev and Voeten),
//! per COW state-year (derived by `scripts/data/state_years.py`).

use std::collections::HashMap;

use entente_core::ids::Ccode;
use entente_core::sources::{DemocracyRow, IdealPointRow};

use super::*;
use crate::error::DataError;
use crate::table::{Cells, Col};

fn once(
    seen: &mut HashMap<(Ccode, i32), u64>,
    r: &Cells<'_>,
    year: Col,
    key: (Ccode, i32),
) -> Result<(), DataError> {
    match seen.insert(key, r.line()) {
        Some(first) => Err(r.err(
            year,
            format!(
                "{} {} is listed twice (first on line {first})",
                key.0, key.1
            ),
        )),
        None => Ok(()),
    }
}

pub(super) fn load_democracy(ds: &DataSource) -> Result<Vec<DemocracyRow>, DataError> {
    let t = table(ds, files::DEMOCRACY)?;
    let [cc, year, euds, poly] = t.cols(["ccode", "year", "euds", "v2x_polyarchy"])?;
    let mut seen = HashMap::new();
    let mut out = Vec::with_capacity(t.rows.len());
    for r in t.iter() {
        let (c, y) = (r.ccode(cc)?, r.year(year)?);
        let uds = r.opt_f64(euds, NA)?;
        if let Some(v) = uds.filter(|v| !(-5.0..=5.0).contains(v)) {
            return Err(r.err(
                euds,
                format!("{v} is outside the UDS scale (about -3 to 3)"),
            ));
        }
        let polyarchy = r.opt_f64(poly, NA)?;
        if let Some(v) = polyarchy.filter(|v| !(0.0..=1.0).contains(v)) {
            return Err(r.err(poly, format!("{v} is outside V-Dem's 0-1 scale")));
        }
        once(&mut seen, &r, year, (c, y))?;
        out.push(DemocracyRow {
            ccode: c,
            year: y,
            uds,
            polyarchy,
        });
    }
    Ok(out)
}

pub(super) fn load_ideal_points(ds: &DataSource) -> Result<Vec<IdealPointRow>, DataError> {
    let t = table(ds, files::IDEAL_POINTS)?;
    let [cc, year, ip] = t.cols(["ccode", "year", "idealpointfp"])?;
    let mut seen = HashMap::new();
    let mut out = Vec::with_capacity(t.rows.len());
    for r in t.iter() {
        let (c, y) = (r.ccode(cc)?, r.year(year)?);
        let v = r.f64(ip)?;
        if !(-10.0..=10.0).contains(&v) {
            return Err(r.err(ip, format!("{v} is not a plausible ideal point")));
        }
        once(&mut seen, &r, year, (c, y))?;
        out.push(IdealPointRow {
            ccode: c,
            year: y,
            ideal_point: v,
        });
    }
    Ok(out)
}
