//! The real-world data sets the world state is built from: bundled in the
//! binary, or read from a user's directory that overrides some of them.

use std::path::{Path, PathBuf};

use entente_core::ids::Ccode;
use entente_core::sources::*;

use crate::error::{read_text, DataError};
use crate::table::Table;

mod alliances;
mod disputes;
mod economy;
mod names;
mod politics;
mod reference;
mod states;

use alliances::*;
use disputes::*;
use economy::*;
use names::{load_codes, load_names, SetAside};
use politics::*;
use reference::*;
use states::*;

macro_rules! bundled {
    ($($id:ident = $path:literal;)*) => {
        /// The data files Entente ships, by path relative to `data/`.
        pub mod files {
            $(pub const $id: &str = $path;)*
        }
        /// Every bundled file: (path relative to `data/`, contents).
        pub const BUNDLED: &[(&str, &str)] = &[
            $(($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/", $path))),)*
        ];
    };
}

bundled! {
    NMC = "cow/NMC-70-abridged.csv";
    STATES = "cow/states2016_from_peacesciencer.csv";
    MAJORS = "cow/majors2016_from_peacesciencer.csv";
    COW_ALLIANCES = "cow/alliance_v4.1_by_dyad.csv";
    CONTIGUITY = "cow/cow_contdir_v3.2_directed_from_peacesciencer.csv";
    ATOP = "atop/atop5_1_ddyr_obligations.csv";
    SIPRI = "sipri/sipri_milex_flagship_subset_2000_2024.csv";
    CAPITALS = "geo/cow_capitals_latlng_from_peacesciencer.csv";
    MINDIST = "geo/cow_mindist_cshapes2_spells.csv";
    GDP_CURRENT = "economy/imf_weo_oct2025_gdp_current_usd_bn_long.csv";
    GDP_PPP = "economy/imf_weo_oct2025_gdp_ppp_current_intl_bn_long.csv";
    WPP = "economy/un_wpp2024_poptot_median_2024_2100.csv";
    WARHEADS = "nuclear/fas2023_nuclear_weapons_stockpiles.csv";
    WARHEADS_2025 = "nuclear/owid_grapher_nuclear_warhead_inventories_2025.csv";
    CROSSWALK = "codes/cow_iso3_crosswalk.csv";
    ALIASES = "handcoded/name_aliases.csv";
    TIES = "handcoded/ties.csv";
    MEMBERSHIPS = "handcoded/memberships.csv";
    MILEX_ASSUMPTIONS = "handcoded/milex_assumptions.csv";
    RIVALRIES = "rivalries/tss_rivalries_from_peacesciencer.csv";
    HAZARD_COEFFICIENTS = "reference/mid_onset_logit_miller2022.csv";
    LOWY = "reference/lowy_asia_power_index_2024.csv";
    DISPUTES = "mid/cow_mid5_dispute_years_ndy.csv";
    DEMOCRACY = "democracy/isard_democracy_euds_vdem_1816_2025.csv";
    IDEAL_POINTS = "unga/voeten_idealpoints_fp_1946_2024.csv";
}

/// Where the data come from: the bundled copies, optionally overridden file
/// by file from a directory laid out like `data/`.
#[derive(Debug, Clone, Default)]
pub struct DataSource {
    pub override_dir: Option<PathBuf>,
}

impl DataSource {
    pub fn bundled() -> DataSource {
        DataSource::default()
    }

    pub fn with_dir(dir: impl Into<PathBuf>) -> DataSource {
        DataSource {
            override_dir: Some(dir.into()),
        }
    }

    /// The text of `rel` and the name to report it under.
    pub fn text(&self, rel: &str) -> Result<(String, String), DataError> {
        if let Some(dir) = &self.override_dir {
            let p = dir.join(rel);
            if p.exists() {
                return Ok((read_text(&p)?, p.display().to_string()));
            }
        }
        BUNDLED
            .iter()
            .find(|(p, _)| *p == rel)
            .map(|(p, t)| (t.to_string(), format!("data/{p}")))
            .ok_or_else(|| DataError::file(rel, "no such bundled data file"))
    }

    /// One line per file of the override directory that replaces a bundled
    /// one: which file, from where, and its rows against the bundled copy's.
    pub fn override_summary(&self) -> Vec<String> {
        let Some(dir) = &self.override_dir else {
            return Vec::new();
        };
        let rows = |text: &str| {
            Table::parse(text, "")
                .map(|t| t.rows.len().to_string())
                .unwrap_or_else(|_| "unreadable".into())
        };
        BUNDLED
            .iter()
            .filter(|(p, _)| dir.join(p).exists())
            .map(|(p, bundled)| {
                let path = dir.join(p);
                let theirs = read_text(&path).map_or_else(|_| "unreadable".into(), |t| rows(&t));
                format!(
                    "data/{p} replaced by {}: {theirs} rows (bundled: {})",
                    path.display(),
                    rows(bundled)
                )
            })
            .collect()
    }

    /// The data's version: a fingerprint (FNV-1a, 64 bit) of every data file's path and
    /// text as this source reads them, the bundled copy or its override. Two runs with the
    /// same `data_version` read the same data; `entente merge` refuses parts whose
    /// versions differ.
    pub fn data_version(&self) -> Result<String, DataError> {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (rel, _) in BUNDLED {
            let (text, _) = self.text(rel)?;
            for b in rel.bytes().chain([0]).chain(text.bytes()).chain([0]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        Ok(format!("{h:016x}"))
    }

    /// Files of the override directory that replace bundled ones.
    pub fn overridden(&self) -> Vec<String> {
        let Some(dir) = &self.override_dir else {
            return Vec::new();
        };
        BUNDLED
            .iter()
            .filter(|(p, _)| dir.join(p).exists())
            .map(|(p, _)| p.to_string())
            .collect()
    }
}

/// A state's score in the Lowy Institute Asia Power Index 2024 (0-100).
#[derive(Debug, Clone, PartialEq)]
pub struct LowyScore {
    pub ccode: Ccode,
    pub name: String,
    /// `None` where the bundled copy has no score (North Korea).
    pub score: Option<f64>,
}

/// The loaded sources and what the loaders set aside, said out loud.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub sources: Sources,
    /// Miller (2022) dispute-onset logit, Table 2.
    pub hazard_coefficients: entente_core::hazard::Coefficients,
    /// The comparison anchor for regional power.
    pub lowy: Vec<LowyScore>,
    /// One line per group of rows not used (aggregates, non-states...).
    pub report: Vec<String>,
}

pub(super) const NMC_NA: &[&str] = &["-9"];
pub(super) const NA: &[&str] = &["", "NA", "n/a", "NaN", "--"];

/// Load every data set the world state needs.
pub fn load(ds: &DataSource) -> Result<Loaded, DataError> {
    let mut aside = SetAside::default();
    let mut src = Sources {
        codes: load_codes(ds)?,
        ..Sources::default()
    };
    let names = load_names(ds, &src.codes)?;
    src.states = load_states(ds)?;
    src.majors = load_majors(ds)?;
    src.nmc = load_nmc(ds)?;
    src.sipri = load_sipri(ds, &names, &mut aside)?;
    src.gdp = load_gdp(ds, &names, &mut aside)?;
    src.population = load_wpp(ds, &names, &mut aside)?;
    src.warheads = load_warheads(ds, &names, &mut aside)?;
    src.capitals = load_capitals(ds)?;
    src.atop = load_atop(ds)?;
    src.cow_alliances = load_cow_alliances(ds, &mut aside)?;
    src.contiguity = load_contiguity(ds)?;
    src.mindist = load_mindist(ds)?;
    src.rivalries = load_rivalries(ds)?;
    src.memberships = load_memberships(ds)?;
    let groups: Vec<String> = src.memberships.iter().map(|m| m.group.clone()).collect();
    src.ties = load_ties(ds, &names, &groups)?;
    src.milex_assumptions = load_milex_assumptions(ds)?;
    src.disputes = load_disputes(ds)?;
    src.democracy = load_democracy(ds)?;
    src.ideal_points = load_ideal_points(ds)?;
    let hazard_coefficients = load_hazard_coefficients(ds)?;
    let lowy = load_lowy(ds, &names)?;
    Ok(Loaded {
        sources: src,
        hazard_coefficients,
        lowy,
        report: aside.lines,
    })
}

pub(super) fn table(ds: &DataSource, rel: &str) -> Result<Table, DataError> {
    let (text, name) = ds.text(rel)?;
    let t = Table::parse(&text, &name)?;
    // Every bundled data set has rows: one without (an override left with its header only)
    // would silently empty the data set, so it is refused here, naming the file.
    if t.rows.is_empty() {
        return Err(DataError::file(
            &name,
            "a header and no rows: a data set needs at least one row (an override must not empty it)",
        ));
    }
    Ok(t)
}

/// Check a path is a directory, for `--data-dir`.
pub fn check_dir(p: &Path) -> Result<(), DataError> {
    if p.is_dir() {
        Ok(())
    } else {
        Err(DataError::file(
            p.display().to_string(),
            "not a directory (expected a folder laid out like Entente's data/)",
        ))
    }
}
