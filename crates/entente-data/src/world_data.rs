//! The real-world data sets the world state is built from: bundled in the
//! binary, or read from a user's directory that overrides some of them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use entente_core::ids::{Ccode, Iso3};
use entente_core::sources::*;

use crate::error::{read_text, DataError};
use crate::table::Table;

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
    SIPRI = "sipri/sipri_milex_scenario_subset_2000_2024.csv";
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

/// Resolves country names of SIPRI, IMF and FAS to COW codes.
struct Names {
    by_name: HashMap<String, Ccode>,
    by_iso3: HashMap<Iso3, Ccode>,
    /// (source, name) -> Some(ccode) or None for "not a state, skip".
    aliases: HashMap<(String, String), Option<Ccode>>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

enum Place {
    State(Ccode),
    NotAState,
    Unknown,
}

impl Names {
    fn resolve(&self, source: &str, name: &str) -> Place {
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
struct SetAside {
    lines: Vec<String>,
}

impl SetAside {
    fn add(&mut self, file: &str, what: &str, names: Vec<String>) {
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

const NMC_NA: &[&str] = &["-9"];
const NA: &[&str] = &["", "NA", "n/a", "NaN", "--"];

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
    let hazard_coefficients = load_hazard_coefficients(ds)?;
    let lowy = load_lowy(ds, &names)?;
    Ok(Loaded {
        sources: src,
        hazard_coefficients,
        lowy,
        report: aside.lines,
    })
}

fn table(ds: &DataSource, rel: &str) -> Result<Table, DataError> {
    let (text, name) = ds.text(rel)?;
    Table::parse(&text, &name)
}

fn load_codes(ds: &DataSource) -> Result<Vec<CodeRow>, DataError> {
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

fn load_names(ds: &DataSource, codes: &[CodeRow]) -> Result<Names, DataError> {
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

fn load_states(ds: &DataSource) -> Result<Vec<StateSpell>, DataError> {
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

fn load_majors(ds: &DataSource) -> Result<Vec<MajorPowerSpell>, DataError> {
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

fn load_nmc(ds: &DataSource) -> Result<Vec<NmcRow>, DataError> {
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

fn load_sipri(
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

fn load_gdp(
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

fn load_wpp(
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

fn load_warheads(
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

fn load_capitals(ds: &DataSource) -> Result<Vec<CapitalSpell>, DataError> {
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

fn load_atop(ds: &DataSource) -> Result<Vec<AtopRow>, DataError> {
    let t = table(ds, files::ATOP)?;
    let [c1, c2, year, def, off, neu, nonagg, consul] = t.cols([
        "ccode1",
        "ccode2",
        "year",
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
    ])?;
    t.iter()
        .map(|r| {
            Ok(AtopRow {
                ccode1: r.ccode(c1)?,
                ccode2: r.ccode(c2)?,
                year: r.year(year)?,
                obligations: Obligations {
                    defence: r.flag(def)?,
                    offence: r.flag(off)?,
                    neutrality: r.flag(neu)?,
                    nonaggression: r.flag(nonagg)?,
                    consultation: r.flag(consul)?,
                    cooperation: false,
                },
            })
        })
        .collect()
}

fn load_cow_alliances(
    ds: &DataSource,
    aside: &mut SetAside,
) -> Result<Vec<CowAllianceSpell>, DataError> {
    let t = table(ds, files::COW_ALLIANCES)?;
    let mut blank = Vec::new();
    let [id, c1, c2, sd, sm, sy, ed, em, ey, def, neu, nonagg, ent] = t.cols([
        "version4id",
        "ccode1",
        "ccode2",
        "dyad_st_day",
        "dyad_st_month",
        "dyad_st_year",
        "dyad_end_day",
        "dyad_end_month",
        "dyad_end_year",
        "defense",
        "neutrality",
        "nonaggression",
        "entente",
    ])?;
    let out = t
        .iter()
        .map(|r| {
            // A blank type flag is uncoded in the source: read as "not of that type".
            let mut flag = |c| -> Result<bool, DataError> {
                let v = r.opt_flag(c)?;
                if v.is_none() {
                    blank.push(format!("line {} `{}`", r.line(), c.name));
                }
                Ok(v.unwrap_or(false))
            };
            let kind = CowAlliance {
                defense: flag(def)?,
                neutrality: flag(neu)?,
                nonaggression: flag(nonagg)?,
                entente: flag(ent)?,
            };
            let end = if r.str(ey).is_empty() {
                None
            } else {
                Some(r.ymd(ey, em, ed)?)
            };
            let alliance_id = r.i64(id)?;
            Ok(CowAllianceSpell {
                alliance_id: u32::try_from(alliance_id)
                    .map_err(|_| r.err(id, format!("`{alliance_id}` is not an alliance id")))?,
                ccode1: r.ccode(c1)?,
                ccode2: r.ccode(c2)?,
                start: r.ymd(sy, sm, sd)?,
                end,
                kind,
            })
        })
        .collect::<Result<Vec<_>, DataError>>()?;
    aside.add(&t.file, "with a blank alliance-type flag, read as 0", blank);
    Ok(out)
}

fn load_contiguity(ds: &DataSource) -> Result<Vec<ContiguitySpell>, DataError> {
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

fn load_mindist(ds: &DataSource) -> Result<Vec<MinDistSpell>, DataError> {
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

fn load_rivalries(ds: &DataSource) -> Result<Vec<RivalrySpell>, DataError> {
    let t = table(ds, files::RIVALRIES)?;
    let [name, c1, c2, st, en, pos, spa, ide, int] = t.cols([
        "rivalry",
        "ccode1",
        "ccode2",
        "start",
        "end",
        "positional",
        "spatial",
        "ideological",
        "interventionary",
    ])?;
    t.iter()
        .map(|r| {
            // The type flags are 1 or NA (not of that type).
            let flag = |c| r.opt_flag(c).map(|v| v.unwrap_or(false));
            Ok(RivalrySpell {
                name: r.str(name).to_string(),
                ccode1: r.ccode(c1)?,
                ccode2: r.ccode(c2)?,
                start_year: r.year(st)?,
                end_year: r.year(en)?,
                positional: flag(pos)?,
                spatial: flag(spa)?,
                ideological: flag(ide)?,
                interventionary: flag(int)?,
            })
        })
        .collect()
}

fn load_memberships(ds: &DataSource) -> Result<Vec<Membership>, DataError> {
    let t = table(ds, files::MEMBERSHIPS)?;
    let [group, cc, joined, left] = t.cols(["group", "ccode", "joined", "left"])?;
    t.iter()
        .map(|r| {
            if r.str(group).is_empty() {
                return Err(r.err(group, "empty group name"));
            }
            Ok(Membership {
                group: r.str(group).to_string(),
                ccode: r.ccode(cc)?,
                joined: r.opt_date(joined)?,
                left: r.opt_date(left)?,
            })
        })
        .collect()
}

fn load_ties(ds: &DataSource, names: &Names, groups: &[String]) -> Result<Vec<Tie>, DataError> {
    let t = table(ds, files::TIES)?;
    let [id, name, members, obligation, signed, in_force, ended, source] = t.cols([
        "id",
        "name",
        "members",
        "obligation",
        "signed",
        "in_force",
        "ended",
        "source",
    ])?;
    t.iter()
        .map(|r| {
            let mut ms = Vec::new();
            for tok in r.str(members).split(';').map(str::trim) {
                if groups.iter().any(|g| g == tok) {
                    ms.push(TieMember::Group(tok.to_string()));
                    continue;
                }
                let iso: Iso3 = tok.parse().map_err(|e| r.err(members, format!("{e}")))?;
                let c = names.by_iso3.get(&iso).ok_or_else(|| {
                    r.err(members, format!("`{tok}` is neither a group nor a COW state's ISO3 code"))
                })?;
                ms.push(TieMember::State(*c));
            }
            if ms.len() < 2 {
                return Err(r.err(members, "a tie needs at least two members"));
            }
            let kind = ObligationKind::parse(r.str(obligation)).ok_or_else(|| {
                r.err(
                    obligation,
                    format!(
                        "`{}` is not an obligation (defence, offence, neutrality, nonaggression, consultation, cooperation)",
                        r.str(obligation)
                    ),
                )
            })?;
            Ok(Tie {
                id: r.str(id).to_string(),
                name: r.str(name).to_string(),
                members: ms,
                obligation: kind,
                signed: r.date(signed)?,
                in_force: r.opt_date(in_force)?,
                ended: r.opt_date(ended)?,
                source: r.str(source).to_string(),
            })
        })
        .collect()
}

fn load_milex_assumptions(ds: &DataSource) -> Result<Vec<MilexAssumption>, DataError> {
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

fn load_hazard_coefficients(
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

fn load_lowy(ds: &DataSource, names: &Names) -> Result<Vec<LowyScore>, DataError> {
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
