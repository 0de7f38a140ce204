//! Name resolution: the COW-ISO3 crosswalk, and SIPRI/IMF/FAS names to COW codes
//! through it and `data/handcoded/name_aliases.csv`; rows set aside are counted.

use std::collections::HashMap;

use entente_core::ids::{Ccode, Iso3};
use entente_core::sources::*;

use super::*;
use crate::error::DataError;

/// Resolves country names of SIPRI, IMF and FAS to COW codes.
pub(super) struct Names {
    pub(super) by_name: HashMap<String, Ccode>,
    pub(super) by_iso3: HashMap<Iso3, Ccode>,
    /// (source, name) -> Some(ccode) or None for "not a state, skip".
    pub(super) aliases: HashMap<(String, String), Option<Ccode>>,
}

pub(super) fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

pub(super) enum Place {
    State(Ccode),
    NotAState,
    Unknown,
}

impl Names {
    pub(super) fn resolve(&self, source: &str, name: &str) -> Place {
        if let Some(a) = self
            .aliases
            .get(&(source.to_string(), name.trim().to_string()))
        {
            return match a {
                Some(c) => Place::State(*c),
                None => Place::NotAState,
            };
        }
        match self.by_name.get(&norm(name)) {
            Some(c) => Place::State(*c),
            None => Place::Unknown,
        }
    }
}

/// Counts rows set aside, to report them rather than drop them silently.
#[derive(Default)]
pub(super) struct SetAside {
    pub(super) lines: Vec<String>,
}

impl SetAside {
    pub(super) fn add(&mut self, file: &str, what: &str, names: Vec<String>) {
        if names.is_empty() {
            return;
        }
        let mut uniq = names.clone();
        uniq.sort();
        uniq.dedup();
        let shown: Vec<&str> = uniq.iter().take(8).map(String::as_str).collect();
        let more = if uniq.len() > 8 { ", ..." } else { "" };
        self.lines.push(format!(
            "{file}: {} rows {what}: {}{more}",
            names.len(),
            shown.join(", ")
        ));
    }
}

pub(super) fn load_codes(ds: &DataSource) -> Result<Vec<CodeRow>, DataError> {
    let t = table(ds, files::CROSSWALK)?;
    let [cown, cowname, iso3, iso3n, name_en, region] = t.cols([
        "cown",
        "cow.name",
        "iso3c",
        "iso3n",
        "country.name.en",
        "region",
    ])?;
    let mut out = Vec::new();
    for r in t.iter() {
        if r.str(cown).is_empty() {
            continue; // not a COW state (territories listed for completeness)
        }
        let ccode = r.ccode(cown)?;
        let name = if r.str(cowname).is_empty() {
            r.str(name_en)
        } else {
            r.str(cowname)
        };
        out.push(CodeRow {
            ccode,
            iso3: r.opt_iso3(iso3)?,
            iso_numeric: r
                .opt_i64(iso3n)?
                .map(|n| {
                    u16::try_from(n)
                        .ok()
                        .filter(|n| *n < 1000)
                        .ok_or_else(|| r.err(iso3n, format!("`{n}` is not an ISO numeric code")))
                })
                .transpose()?,
            name: name.to_string(),
            region: r.str(region).to_string(),
        });
    }
    Ok(out)
}

pub(super) fn load_names(ds: &DataSource, codes: &[CodeRow]) -> Result<Names, DataError> {
    let mut by_name = HashMap::new();
    let mut by_iso3 = HashMap::new();
    for c in codes {
        by_name.insert(norm(&c.name), c.ccode);
        if let Some(i) = c.iso3 {
            by_iso3.insert(i, c.ccode);
        }
    }
    // English names from the crosswalk as well.
    let t = table(ds, files::CROSSWALK)?;
    let [cown, name_en] = t.cols(["cown", "country.name.en"])?;
    for r in t.iter() {
        if !r.str(cown).is_empty() {
            by_name
                .entry(norm(r.str(name_en)))
                .or_insert(r.ccode(cown)?);
        }
    }
    let t = table(ds, files::ALIASES)?;
    let [source, name, iso3] = t.cols(["source", "name", "iso3"])?;
    let mut aliases = HashMap::new();
    for r in t.iter() {
        let target =
            if r.str(iso3) == "-" {
                None
            } else if r.str(iso3).chars().all(|c| c.is_ascii_digit()) {
                // A COW code, for states the crosswalk gives no ISO3.
                Some(r.ccode(iso3)?)
            } else {
                let i = r
                    .opt_iso3(iso3)?
                    .ok_or_else(|| r.err(iso3, "empty: give an ISO3 code or `-`"))?;
                Some(*by_iso3.get(&i).ok_or_else(|| {
                    r.err(iso3, format!("`{i}` is not the ISO3 code of a COW state"))
                })?)
            };
        aliases.insert((r.str(source).to_string(), r.str(name).to_string()), target);
    }
    Ok(Names {
        by_name,
        by_iso3,
        aliases,
    })
}
