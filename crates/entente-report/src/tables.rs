//! The world of a year as tables, one row per state or per dyad, shared by `entente world`
//! and Python's `entente.world` / `entente.dyads` (so both show the same columns).
//!
//! Every number carries its unit in its column name and every sourced value a `*_source`
//! column (`nmc`, `sipri`, `spliced`, `assumed`, `interpolated`, `estimated`, `NA`).
//! Missing numbers are `None`; missing strings are the text `NA`.

use entente_core::ids::Ccode;
use entente_core::world::{Archive, Sourced, World};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Num(Option<f64>),
    Int(i64),
    Str(String),
    Bool(bool),
}

impl Cell {
    pub fn str(s: impl Into<String>) -> Cell {
        Cell::Str(s.into())
    }
}

/// Rows under named columns.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(headers: Vec<&'static str>) -> Table {
        Table {
            headers,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.headers.len());
        self.rows.push(row);
    }
}

/// The states named by `tokens` (all states when empty), in the order given, each once;
/// or every token that names no state, with suggestions.
pub fn select(
    world: &World,
    archive: &Archive,
    tokens: &[String],
) -> Result<Vec<Ccode>, Vec<String>> {
    if tokens.is_empty() {
        return Ok(world.states.iter().map(|s| s.ccode).collect());
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for t in tokens.iter().filter(|t| !t.trim().is_empty()) {
        match world.resolve(t, archive) {
            Ok(cs) => {
                for c in cs {
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn num(s: Sourced) -> Cell {
    Cell::Num(s.value)
}

fn src(s: Sourced) -> Cell {
    Cell::str(s.source.name())
}

pub const STATE_COLUMNS: &[&str] = &[
    "year",
    "ccode",
    "iso3",
    "abb",
    "name",
    "major_power",
    "groups",
    "cinc",
    "cinc_est",
    "cinc_est_source",
    "milex_current_usd_m",
    "milex_current_source",
    "milex_const2023_usd_m",
    "milex_const2023_source",
    "milex_assumed_low_usd_m",
    "milex_assumed_high_usd_m",
    "milex_splice_ratio",
    "milper_k",
    "irst_kt",
    "pec_kt_coal",
    "tpop_k",
    "upop_k",
    "gdp_current_usd_bn",
    "gdp_ppp_intl_bn",
    "population_k",
    "population_source",
    "nuclear_warheads",
    "nuclear_warheads_source",
    "capital",
    "capital_lat_deg",
    "capital_lon_deg",
    "democracy_uds",
    "democracy_uds_source",
    "polyarchy",
    "polyarchy_source",
    "ideal_point",
    "ideal_point_source",
];

/// The state table of `world` for `actors`.
pub fn states(world: &World, actors: &[Ccode]) -> Table {
    let mut rows = Table::new(STATE_COLUMNS.to_vec());
    for &c in actors {
        let Some(s) = world.state(c) else { continue };
        let groups: Vec<&str> = world
            .groups
            .iter()
            .filter(|(_, m)| m.contains(&c))
            .map(|(g, _)| g.as_str())
            .collect();
        let m = s.milex;
        rows.push(vec![
            Cell::Int(world.year.into()),
            Cell::Int(s.ccode.0.into()),
            Cell::str(s.iso3.map(|i| i.to_string()).unwrap_or_else(|| "NA".into())),
            Cell::str(&s.abb),
            Cell::str(&s.name),
            Cell::Bool(s.major_power),
            Cell::str(groups.join(";")),
            Cell::Num(s.cinc),
            num(s.cinc_est),
            src(s.cinc_est),
            num(m.current_usd_m),
            src(m.current_usd_m),
            num(m.const2023_usd_m),
            src(m.const2023_usd_m),
            Cell::Num(m.assumed_range_usd_m.map(|r| r.0)),
            Cell::Num(m.assumed_range_usd_m.map(|r| r.1)),
            Cell::Num(m.splice_ratio),
            Cell::Num(s.nmc.milper_k),
            Cell::Num(s.nmc.irst_kt),
            Cell::Num(s.nmc.pec_kt_coal),
            Cell::Num(s.nmc.tpop_k),
            Cell::Num(s.nmc.upop_k),
            num(s.gdp_current_usd_bn),
            num(s.gdp_ppp_intl_bn),
            num(s.population_k),
            src(s.population_k),
            num(s.nuclear_warheads),
            src(s.nuclear_warheads),
            Cell::str(s.capital.as_ref().map_or("NA", |k| k.name.as_str())),
            Cell::Num(s.capital.as_ref().map(|k| k.lat_deg)),
            Cell::Num(s.capital.as_ref().map(|k| k.lon_deg)),
            num(s.democracy_uds),
            src(s.democracy_uds),
            num(s.polyarchy),
            src(s.polyarchy),
            num(s.ideal_point),
            src(s.ideal_point),
        ]);
    }
    rows
}

/// The columns of [`dyads`].
pub const DYAD_COLUMNS: &[&str] = &[
    "year",
    "ccode_a",
    "iso3_a",
    "ccode_b",
    "iso3_b",
    "defence",
    "offence",
    "neutrality",
    "nonaggression",
    "consultation",
    "cooperation",
    "ties",
    "cow_defense",
    "cow_neutrality",
    "cow_nonaggression",
    "cow_entente",
    "contiguity",
    "capital_distance_km",
    "min_distance_km",
    "rivalry",
    "peace_years",
    "ideal_point_distance",
];

/// The dyad table of `world` for every pair of `actors` (in the order given).
pub fn dyads(world: &World, actors: &[Ccode]) -> Table {
    let mut rows = Table::new(DYAD_COLUMNS.to_vec());
    let iso = |c: Ccode| {
        world
            .state(c)
            .and_then(|s| s.iso3.map(|i| i.to_string()).or(Some(s.abb.clone())))
            .unwrap_or_else(|| "NA".into())
    };
    for (i, &a) in actors.iter().enumerate() {
        for &b in &actors[i + 1..] {
            let d = world.dyad(a, b);
            let o = d.obligations;
            rows.push(vec![
                Cell::Int(world.year.into()),
                Cell::Int(a.0.into()),
                Cell::str(iso(a)),
                Cell::Int(b.0.into()),
                Cell::str(iso(b)),
                Cell::Bool(o.defence),
                Cell::Bool(o.offence),
                Cell::Bool(o.neutrality),
                Cell::Bool(o.nonaggression),
                Cell::Bool(o.consultation),
                Cell::Bool(o.cooperation),
                Cell::str(d.ties.join(";")),
                Cell::Bool(d.cow_alliance.defense),
                Cell::Bool(d.cow_alliance.neutrality),
                Cell::Bool(d.cow_alliance.nonaggression),
                Cell::Bool(d.cow_alliance.entente),
                Cell::Int(d.contiguity.code().into()),
                Cell::Num(d.capital_distance_km),
                Cell::Num(d.min_distance_km),
                Cell::str(d.rivalry.unwrap_or_default()),
                Cell::Num(d.peace_years.map(f64::from)),
                Cell::Num(d.ideal_point_distance),
            ]);
        }
    }
    rows
}

/// What each column of [`states`] holds, with its unit (docs/codebook.md).
pub const STATE_COLUMN_DOC: &[(&str, &str)] = &[
    ("year", "the year of the world"),
    ("ccode", "Correlates of War state code"),
    (
        "iso3",
        "ISO 3166-1 alpha-3 code (NA for states without one, e.g. historical states)",
    ),
    ("abb", "COW abbreviation"),
    ("name", "state name"),
    (
        "major_power",
        "a COW major power in the year (1/0; True/False in Python)",
    ),
    (
        "groups",
        "the groups the state belongs to in the year (NATO, ASEAN, IP4...), `;`-separated",
    ),
    (
        "cinc",
        "COW Composite Index of National Capability, as published (share of the system, 0-1)",
    ),
    (
        "cinc_est",
        "CINC recomputed from the six components, carried-forward components included (share 0-1)",
    ),
    ("cinc_est_source", "source flag of `cinc_est`"),
    (
        "milex_current_usd_m",
        "military expenditure, current US$ million",
    ),
    (
        "milex_current_source",
        "source flag of `milex_current_usd_m`",
    ),
    (
        "milex_const2023_usd_m",
        "military expenditure, constant 2023 US$ million",
    ),
    (
        "milex_const2023_source",
        "source flag of `milex_const2023_usd_m`",
    ),
    (
        "milex_assumed_low_usd_m",
        "low end of an assumed spending band (constant 2023 US$ million; NA unless `assumed`)",
    ),
    (
        "milex_assumed_high_usd_m",
        "high end of an assumed spending band (constant 2023 US$ million; NA unless `assumed`)",
    ),
    (
        "milex_splice_ratio",
        "the NMC/SIPRI overlap ratio a `spliced` value was rescaled by (unitless)",
    ),
    ("milper_k", "military personnel, thousands (NMC)"),
    (
        "irst_kt",
        "iron and steel production, thousand tonnes (NMC)",
    ),
    (
        "pec_kt_coal",
        "primary energy consumption, thousand tonnes of coal equivalent (NMC)",
    ),
    ("tpop_k", "total population, thousands (NMC)"),
    ("upop_k", "urban population, thousands (NMC)"),
    ("gdp_current_usd_bn", "GDP, current US$ billion (IMF WEO)"),
    (
        "gdp_ppp_intl_bn",
        "GDP at purchasing power parity, current international $ billion (IMF WEO)",
    ),
    ("population_k", "population, thousands (UN WPP, else NMC)"),
    ("population_source", "source flag of `population_k`"),
    (
        "nuclear_warheads",
        "nuclear warheads, count (FAS); 0 is a real value for a non-nuclear state",
    ),
    (
        "nuclear_warheads_source",
        "source flag of `nuclear_warheads`",
    ),
    ("capital", "capital city"),
    ("capital_lat_deg", "capital's latitude, degrees north"),
    ("capital_lon_deg", "capital's longitude, degrees east"),
    (
        "democracy_uds",
        "Unified Democracy Score (posterior mean, roughly -2 to 2)",
    ),
    ("democracy_uds_source", "source flag of `democracy_uds`"),
    ("polyarchy", "V-Dem electoral democracy index, 0-1"),
    ("polyarchy_source", "source flag of `polyarchy`"),
    (
        "ideal_point",
        "UN General Assembly ideal point (Bailey, Strezhnev and Voeten; unitless, about -3 to 3)",
    ),
    ("ideal_point_source", "source flag of `ideal_point`"),
];

/// The columns of [`dyads`], with what each holds and its unit (docs/codebook.md).
pub const DYAD_COLUMN_DOC: &[(&str, &str)] = &[
    ("year", "the year of the world"),
    ("ccode_a", "COW code of the first state (the pair's order is the order asked)"),
    ("iso3_a", "ISO3 code of the first state (its COW abbreviation when it has none)"),
    ("ccode_b", "COW code of the second state"),
    ("iso3_b", "ISO3 code of the second state"),
    ("defence", "a defence obligation in either direction (ATOP, carried forward after its last year, plus hand-coded ties; 1/0)"),
    ("offence", "an ATOP offence obligation (1/0)"),
    ("neutrality", "an ATOP neutrality obligation (1/0)"),
    ("nonaggression", "an ATOP non-aggression obligation (1/0)"),
    ("consultation", "an ATOP consultation obligation (1/0)"),
    ("cooperation", "an access or partnership agreement carrying none of the other obligations (hand-coded ties; 1/0)"),
    ("ties", "ids of the hand-coded ties behind some of the obligations, `;`-separated"),
    ("cow_defense", "a COW Formal Alliances defense pact (1/0)"),
    ("cow_neutrality", "a COW neutrality pact (1/0)"),
    ("cow_nonaggression", "a COW non-aggression pact (1/0)"),
    ("cow_entente", "a COW entente (1/0)"),
    ("contiguity", "COW direct contiguity code: 1 land border, 2-5 separated by up to 12, 24, 150, 400 miles of water, 0 none (a real value)"),
    ("capital_distance_km", "great-circle distance between the capitals, km"),
    ("min_distance_km", "minimum distance between the two states' territories, km"),
    ("rivalry", "the strategic rivalry between the two, if any (its name; empty when none)"),
    ("peace_years", "years since their last militarized dispute (COW MID), years"),
    ("ideal_point_distance", "distance between their UN General Assembly ideal points (unitless)"),
];

/// The columns of [`alignment`].
pub const ALIGNMENT_COLUMNS: [&str; 7] = [
    "state",
    "unit",
    "observed",
    "west",
    "east",
    "unaligned",
    "modal",
];

/// `entente align`'s table: one row per actor, its unit, its observed place in the year
/// and its shares of draws west, east and unaligned, with its modal place (shared with
/// Python's `entente.align`).
pub fn alignment(a: &entente_core::simulation::align::AlignYear, world: &World) -> Table {
    let mut rows = Table::new(ALIGNMENT_COLUMNS.to_vec());
    for (u, unit) in a.units.iter().enumerate() {
        let s = a.shares(u);
        for &c in &unit.members {
            rows.push(vec![
                Cell::str(world.label(c)),
                Cell::str(&unit.label),
                Cell::str(a.observed[u].name()),
                Cell::Num(Some(s[0])),
                Cell::Num(Some(s[1])),
                Cell::Num(Some(s[2])),
                Cell::str(a.modal(u).name()),
            ]);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_documented_in_order() {
        let doc: Vec<&str> = STATE_COLUMN_DOC.iter().map(|(n, _)| *n).collect();
        assert_eq!(doc, STATE_COLUMNS);
        let doc: Vec<&str> = DYAD_COLUMN_DOC.iter().map(|(n, _)| *n).collect();
        assert_eq!(doc, DYAD_COLUMNS);
    }
}
