//! The state system and its geography: COW states, major powers, NMC
//! capabilities, capitals, contiguity and minimum distances.

use entente_core::sources::*;

use super::*;
use crate::error::DataError;

pub(super) fn load_states(ds: &DataSource) -> Result<Vec<StateSpell>, DataError> {
    let t = table(ds, files::STATES)?;
    let [abb, cc, name, sy, sm, sd, ey, em, ed] = t.cols([
        "stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth",
        "endday",
    ])?;
    t.iter()
        .map(|r| {
            Ok(StateSpell {
                ccode: r.ccode(cc)?,
                abb: r.str(abb).to_string(),
                name: r.str(name).to_string(),
                start: r.ymd(sy, sm, sd)?,
                end: r.ymd(ey, em, ed)?,
            })
        })
        .collect()
}

pub(super) fn load_majors(ds: &DataSource) -> Result<Vec<MajorPowerSpell>, DataError> {
    let t = table(ds, files::MAJORS)?;
    let [cc, sy, sm, sd, ey, em, ed] = t.cols([
        "ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday",
    ])?;
    t.iter()
        .map(|r| {
            Ok(MajorPowerSpell {
                ccode: r.ccode(cc)?,
                start: r.ymd(sy, sm, sd)?,
                end: r.ymd(ey, em, ed)?,
            })
        })
        .collect()
}

pub(super) fn load_nmc(ds: &DataSource) -> Result<Vec<NmcRow>, DataError> {
    let t = table(ds, files::NMC)?;
    let [abb, cc, year, milex, milper, irst, pec, tpop, upop, cinc] = t.cols([
        "stateabb", "ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc",
    ])?;
    t.iter()
        .map(|r| {
            let nonneg = |c| -> Result<Option<f64>, DataError> {
                match r.opt_f64(c, NMC_NA)? {
                    Some(v) if v < 0.0 => {
                        Err(r.err(c, format!("`{v}` is negative (-9 means missing)")))
                    }
                    v => Ok(v),
                }
            };
            Ok(NmcRow {
                ccode: r.ccode(cc)?,
                abb: r.str(abb).to_string(),
                year: r.year(year)?,
                milex_k: nonneg(milex)?,
                milper_k: nonneg(milper)?,
                irst_kt: nonneg(irst)?,
                pec_kt_coal: nonneg(pec)?,
                tpop_k: nonneg(tpop)?,
                upop_k: nonneg(upop)?,
                cinc: nonneg(cinc)?,
            })
        })
        .collect()
}

pub(super) fn load_capitals(ds: &DataSource) -> Result<Vec<CapitalSpell>, DataError> {
    let t = table(ds, files::CAPITALS)?;
    let [cc, capital, st, en, lat, lng] =
        t.cols(["ccode", "capital", "stdate", "enddate", "lat", "lng"])?;
    t.iter()
        .map(|r| {
            let lat_deg = r.f64(lat)?;
            let lon_deg = r.f64(lng)?;
            if !(-90.0..=90.0).contains(&lat_deg) {
                return Err(r.err(lat, format!("{lat_deg} is not a latitude")));
            }
            if !(-180.0..=180.0).contains(&lon_deg) {
                return Err(r.err(lng, format!("{lon_deg} is not a longitude")));
            }
            Ok(CapitalSpell {
                ccode: r.ccode(cc)?,
                capital: r.str(capital).to_string(),
                start: r.date(st)?,
                end: r.date(en)?,
                lat_deg,
                lon_deg,
            })
        })
        .collect()
}

pub(super) fn load_contiguity(ds: &DataSource) -> Result<Vec<ContiguitySpell>, DataError> {
    let t = table(ds, files::CONTIGUITY)?;
    let [c1, c2, kind, st, en] = t.cols(["ccode1", "ccode2", "conttype", "stdate", "enddate"])?;
    t.iter()
        .map(|r| {
            let k = r.i64(kind)?;
            let kind = u8::try_from(k)
                .ok()
                .and_then(Contiguity::from_cow)
                .ok_or_else(|| r.err(kind, format!("`{k}` is not a COW contiguity type (0-5)")))?;
            Ok(ContiguitySpell {
                ccode1: r.ccode(c1)?,
                ccode2: r.ccode(c2)?,
                kind,
                start: r.date(st)?,
                end: r.date(en)?,
            })
        })
        .collect()
}

pub(super) fn load_mindist(ds: &DataSource) -> Result<Vec<MinDistSpell>, DataError> {
    let t = table(ds, files::MINDIST)?;
    let [c1, c2, sy, ey, km] = t.cols(["ccode1", "ccode2", "styear", "endyear", "mindist_km"])?;
    t.iter()
        .map(|r| {
            let d = r.f64(km)?;
            if d < 0.0 {
                return Err(r.err(km, format!("{d} is a negative distance")));
            }
            Ok(MinDistSpell {
                ccode1: r.ccode(c1)?,
                ccode2: r.ccode(c2)?,
                start_year: r.year(sy)?,
                end_year: r.year(ey)?,
                km: d,
            })
        })
        .collect()
}
