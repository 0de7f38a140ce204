//! Money and people: SIPRI spending, IMF GDP, UN population, FAS warheads and
//! the hand-coded spending assumptions.

use std::collections::HashMap;

use entente_core::ids::Ccode;
use entente_core::sources::*;

use super::names::{Names, Place, SetAside};
use super::*;
use crate::error::DataError;

pub(super) fn load_sipri(
    ds: &DataSource,
    names: &Names,
    aside: &mut SetAside,
) -> Result<Vec<SipriRow>, DataError> {
    let t = table(ds, files::SIPRI)?;
    let [country, year, constant, status, share] = t.cols([
        "country",
        "year",
        "milex_const2023_usd_m",
        "status_const",
        "milex_share_gdp",
    ])?;
    let mut out = Vec::new();
    let (mut skipped, mut unknown) = (Vec::new(), Vec::new());
    for r in t.iter() {
        // Every row is checked, including any set aside below.
        let (y, c23, sh) = (
            r.year(year)?,
            r.opt_f64(constant, NA)?,
            r.opt_f64(share, NA)?,
        );
        let ccode = match names.resolve("sipri", r.str(country)) {
            Place::State(c) => c,
            Place::NotAState => {
                skipped.push(r.str(country).to_string());
                continue;
            }
            Place::Unknown => {
                unknown.push(r.str(country).to_string());
                continue;
            }
        };
        out.push(SipriRow {
            ccode,
            year: y,
            milex_const2023_usd_m: c23,
            share_of_gdp: sh,
            status: r.str(status).to_string(),
        });
    }
    aside.add(&t.file, "not states (aggregates), skipped", skipped);
    aside.add(
        &t.file,
        "with names Entente cannot place (add them to data/handcoded/name_aliases.csv)",
        unknown,
    );
    Ok(out)
}

pub(super) fn load_gdp(
    ds: &DataSource,
    names: &Names,
    aside: &mut SetAside,
) -> Result<Vec<GdpRow>, DataError> {
    let mut rows: HashMap<(Ccode, i32), GdpRow> = HashMap::new();
    for (rel, col) in [
        (files::GDP_CURRENT, "gdp_current_usd_bn"),
        (files::GDP_PPP, "gdp_ppp_current_intl_bn"),
    ] {
        let t = table(ds, rel)?;
        let [name, year, value, proj] = match col {
            "gdp_current_usd_bn" => {
                t.cols(["imf_name", "year", "gdp_current_usd_bn", "is_projection"])?
            }
            _ => t.cols([
                "imf_name",
                "year",
                "gdp_ppp_current_intl_bn",
                "is_projection",
            ])?,
        };
        let (mut skipped, mut unknown) = (Vec::new(), Vec::new());
        for r in t.iter() {
            let (y, v, p) = (r.year(year)?, r.opt_f64(value, NA)?, r.flag(proj)?);
            let ccode = match names.resolve("imf", r.str(name)) {
                Place::State(c) => c,
                Place::NotAState => {
                    skipped.push(r.str(name).to_string());
                    continue;
                }
                Place::Unknown => {
                    unknown.push(r.str(name).to_string());
                    continue;
                }
            };
            let e = rows.entry((ccode, y)).or_insert(GdpRow {
                ccode,
                year: y,
                current_usd_bn: None,
                ppp_intl_bn: None,
                projection: false,
            });
            if col == "gdp_current_usd_bn" {
                e.current_usd_bn = v;
            } else {
                e.ppp_intl_bn = v;
            }
            e.projection |= p;
        }
        aside.add(
            &t.file,
            "not COW states (aggregates, territories), skipped",
            skipped,
        );
        aside.add(
            &t.file,
            "with names Entente cannot place (add them to data/handcoded/name_aliases.csv)",
            unknown,
        );
    }
    let mut out: Vec<GdpRow> = rows.into_values().collect();
    out.sort_by_key(|r| (r.ccode, r.year));
    Ok(out)
}

pub(super) fn load_wpp(
    ds: &DataSource,
    names: &Names,
    aside: &mut SetAside,
) -> Result<Vec<PopulationRow>, DataError> {
    let t = table(ds, files::WPP)?;
    let [location, iso3, kind, year, pop] =
        t.cols(["location", "iso3", "type", "year", "pop_thousands_median"])?;
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for r in t.iter() {
        // Every row is checked, including the aggregates set aside below.
        let (y, thousands) = (r.year(year)?, r.f64(pop)?);
        if r.str(kind) != "Country/Area" {
            continue; // regions and aggregates by WPP's own type column
        }
        let ccode = r
            .opt_iso3(iso3)?
            .and_then(|i| names.by_iso3.get(&i).copied());
        let Some(ccode) = ccode else {
            skipped.push(r.str(location).to_string());
            continue;
        };
        out.push(PopulationRow {
            ccode,
            year: y,
            thousands,
        });
    }
    aside.add(
        &t.file,
        "of areas that are not COW states, skipped",
        skipped,
    );
    Ok(out)
}

pub(super) fn load_warheads(
    ds: &DataSource,
    names: &Names,
    aside: &mut SetAside,
) -> Result<Vec<WarheadRow>, DataError> {
    let mut out = Vec::new();
    let t = table(ds, files::WARHEADS)?;
    let [country, year, stock] = t.cols(["country_name", "year", "nuclear_weapons_stockpile"])?;
    let mut skipped = Vec::new();
    for r in t.iter() {
        let (y, stockpile) = (r.year(year)?, r.f64(stock)?);
        match names.resolve("fas", r.str(country)) {
            Place::State(ccode) => out.push(WarheadRow {
                ccode,
                year: y,
                stockpile,
            }),
            Place::NotAState => skipped.push(r.str(country).to_string()),
            Place::Unknown => {
                return Err(r.err(
                    country,
                    format!(
                "`{}` is not a state Entente knows (add it to data/handcoded/name_aliases.csv)",
                r.str(country)
            ),
                ))
            }
        }
    }
    aside.add(&t.file, "aggregates, skipped", skipped);
    let t = table(ds, files::WARHEADS_2025)?;
    let [entity, year, strat, nonstrat, reserve] = t.cols([
        "Entity",
        "Year",
        "Number of deployed strategic nuclear warheads",
        "Number of deployed nonstrategic nuclear warheads",
        "Number of nondeployed nuclear warheads in reserve",
    ])?;
    let mut skipped = Vec::new();
    for r in t.iter() {
        // The stockpile is deployed plus reserve; retired warheads awaiting
        // dismantlement are not counted (FAS's definition).
        let (y, stockpile) = (
            r.year(year)?,
            r.f64(strat)? + r.f64(nonstrat)? + r.f64(reserve)?,
        );
        match names.resolve("fas", r.str(entity)) {
            Place::State(ccode) => out.push(WarheadRow {
                ccode,
                year: y,
                stockpile,
            }),
            Place::NotAState => skipped.push(r.str(entity).to_string()),
            Place::Unknown => {
                return Err(r.err(
                    entity,
                    format!(
                "`{}` is not a state Entente knows (add it to data/handcoded/name_aliases.csv)",
                r.str(entity)
            ),
                ))
            }
        }
    }
    aside.add(&t.file, "aggregates, skipped", skipped);
    Ok(out)
}

pub(super) fn load_milex_assumptions(ds: &DataSource) -> Result<Vec<MilexAssumption>, DataError> {
    let t = table(ds, files::MILEX_ASSUMPTIONS)?;
    let [cc, from, to, value, low, high, source] = t.cols([
        "ccode",
        "from_year",
        "to_year",
        "milex_current_usd_m",
        "low_usd_m",
        "high_usd_m",
        "source",
    ])?;
    t.iter()
        .map(|r| {
            let (v, lo, hi) = (r.f64(value)?, r.f64(low)?, r.f64(high)?);
            if !(0.0 <= lo && lo <= v && v <= hi) {
                return Err(r.err(
                    value,
                    format!("needs 0 <= low <= value <= high, got {lo}, {v}, {hi}"),
                ));
            }
            Ok(MilexAssumption {
                ccode: r.ccode(cc)?,
                from_year: r.year(from)?,
                to_year: r.year(to)?,
                current_usd_m: v,
                low_usd_m: lo,
                high_usd_m: hi,
                source: r.str(source).to_string(),
            })
        })
        .collect()
}
