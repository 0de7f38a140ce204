//! Militarized interstate disputes: Entente's non-directed table of COW MID
//! 5.0 dispute-years (derived by `scripts/data/mid_disputes.py`).

use std::collections::HashMap;

use entente_core::ids::Ccode;
use entente_core::sources::DisputeYear;

use super::*;
use crate::error::DataError;

pub(super) fn load_disputes(ds: &DataSource) -> Result<Vec<DisputeYear>, DataError> {
    let t = table(ds, files::DISPUTES)?;
    let [c1, c2, year, onset, ongoing, hostlev, fatality, dispnum] = t.cols([
        "ccode1", "ccode2", "year", "onset", "ongoing", "hostlev", "fatality", "dispnum",
    ])?;
    let mut seen: HashMap<(Ccode, Ccode, i32), u64> = HashMap::new();
    let mut out = Vec::with_capacity(t.rows.len());
    for r in t.iter() {
        let (a, b, y) = (r.ccode(c1)?, r.ccode(c2)?, r.year(year)?);
        if a >= b {
            return Err(r.err(
                c2,
                format!("{b} is not above ccode1 {a}: the table is non-directed (ccode1 < ccode2)"),
            ));
        }
        let is_onset = r.flag(onset)?;
        if !r.flag(ongoing)? {
            return Err(r.err(
                ongoing,
                "every row is an ongoing dispute-year (years without a dispute have no row)",
            ));
        }
        let h = r.i64(hostlev)?;
        let hostlev = u8::try_from(h)
            .ok()
            .filter(|v| (1..=5).contains(v))
            .ok_or_else(|| r.err(hostlev, format!("`{h}` is not a MID hostility level (1-5)")))?;
        let f = r.i64(fatality)?;
        let fatality = match f {
            -9 => None,
            0..=6 => Some(f as u8),
            _ => {
                return Err(r.err(
                    fatality,
                    format!("`{f}` is not a MID fatality level (0-6, -9 unknown)"),
                ))
            }
        };
        let d = r.i64(dispnum)?;
        let dispnum = u32::try_from(d)
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| r.err(dispnum, format!("`{d}` is not a dispute number")))?;
        if let Some(first) = seen.insert((a, b, y), r.line()) {
            return Err(r.err(
                year,
                format!("{a}-{b} {y} is listed twice (first on line {first})"),
            ));
        }
        out.push(DisputeYear {
            ccode1: a,
            ccode2: b,
            year: y,
            onset: is_onset,
            hostlev,
            fatality,
            dispnum,
        });
    }
    Ok(out)
}
