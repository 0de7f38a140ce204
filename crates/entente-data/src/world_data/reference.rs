//! Published reference values: Miller's (2022) dispute-onset logit and the
//! Lowy Institute Asia Power Index.

use std::collections::HashMap;

use super::names::{Names, Place};
use super::*;
use crate::error::DataError;

pub(super) fn load_hazard_coefficients(
    ds: &DataSource,
) -> Result<entente_core::hazard::Coefficients, DataError> {
    use entente_core::hazard::{Coefficients, Term};
    let t = table(ds, files::HAZARD_COEFFICIENTS)?;
    let [term, coef, se] = t.cols(["term", "coef", "se"])?;
    let mut terms: HashMap<String, Term> = HashMap::new();
    for r in t.iter() {
        if matches!(r.str(term), "n_obs" | "source") {
            continue; // metadata rows
        }
        let c = r.f64(coef)?;
        let s = r.f64(se)?;
        if s < 0.0 {
            return Err(r.err(se, format!("{s} is a negative standard error")));
        }
        terms.insert(r.str(term).to_string(), Term { coef: c, se: s });
    }
    let get = |name: &'static str| -> Result<Term, DataError> {
        terms
            .get(name)
            .copied()
            .ok_or_else(|| DataError::file(&t.file, format!("no row for term `{name}`")))
    };
    Ok(Coefficients {
        intercept: get("intercept")?,
        landcontig: get("landcontig")?,
        cincprop: get("cincprop")?,
        cowmajdyad: get("cowmajdyad")?,
        cow_defense: get("cow_defense")?,
        mindemest: get("mindemest")?,
        minwbgdppc: get("minwbgdppc")?,
        minmilit: get("minmilit")?,
        t: get("t")?,
        t2: get("t2")?,
    })
}

pub(super) fn load_lowy(ds: &DataSource, names: &Names) -> Result<Vec<LowyScore>, DataError> {
    let t = table(ds, files::LOWY)?;
    let [kind, name, value] = t.cols(["kind", "name", "value"])?;
    let mut out = Vec::new();
    for r in t.iter() {
        match r.str(kind) {
            "weight" => {
                r.f64(value)?;
            }
            "score_2024" => {
                let ccode = match names.resolve("lowy", r.str(name)) {
                    Place::State(c) => c,
                    _ => {
                        return Err(r.err(
                            name,
                            format!("`{}` is not a state Entente knows", r.str(name)),
                        ))
                    }
                };
                out.push(LowyScore {
                    ccode,
                    name: r.str(name).to_string(),
                    score: r.opt_f64(value, NA)?,
                });
            }
            _ => {} // methodology notes
        }
    }
    Ok(out)
}
