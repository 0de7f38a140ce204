//! `entente world`: the world state of a year, one row per state (or per dyad).

use std::path::PathBuf;

use anyhow::Context;
use entente_core::ids::Ccode;
use entente_core::world::{Archive, Sourced, World};

use crate::output::{Cell, Format, Rows};

#[derive(clap::Args)]
pub struct Args {
    /// The year (1816-2024).
    #[arg(long)]
    pub year: i32,
    /// Actors: ISO3 codes, COW abbreviations or codes, or groups (NATO, ASEAN,
    /// IP4), comma-separated. Default: every state in the system.
    #[arg(long, value_delimiter = ',', conflicts_with = "all")]
    pub actors: Vec<String>,
    /// Every state in the system (the default).
    #[arg(long)]
    pub all: bool,
    /// Print the dyadic table (ties, contiguity, distances) instead.
    #[arg(long)]
    pub dyads: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Where the data come from.
#[derive(clap::Args, Clone)]
pub struct DataArgs {
    /// A folder laid out like Entente's `data/` whose files replace the bundled ones.
    #[arg(long, env = "ENTENTE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print what the loaders set aside and what was carried forward.
    #[arg(long, short)]
    pub verbose: bool,
}

/// The indexed data with the reference parameters loaded beside them.
pub struct Data {
    pub archive: Archive,
    pub hazard_coefficients: entente_core::hazard::Coefficients,
    pub lowy: Vec<entente_data::world_data::LowyScore>,
}

impl DataArgs {
    /// The data's version (`DataSource::data_version`): a fingerprint of every file read.
    pub fn data_version(&self) -> anyhow::Result<String> {
        let ds = match &self.data_dir {
            Some(d) => entente_data::world_data::DataSource::with_dir(d),
            None => entente_data::world_data::DataSource::bundled(),
        };
        Ok(ds.data_version()?)
    }

    /// Load and index the data.
    pub fn archive(&self) -> anyhow::Result<Archive> {
        Ok(self.load()?.archive)
    }

    /// Load and index the data, with the reference parameters.
    pub fn load(&self) -> anyhow::Result<Data> {
        let ds = match &self.data_dir {
            Some(d) => {
                entente_data::world_data::check_dir(d)?;
                entente_data::world_data::DataSource::with_dir(d)
            }
            None => entente_data::world_data::DataSource::bundled(),
        };
        // Say what each override replaces, always: a changed input changes every result.
        for line in ds.override_summary() {
            eprintln!("note: {line}");
        }
        let loaded = entente_data::world_data::load(&ds)?;
        if self.verbose {
            for line in &loaded.report {
                eprintln!("note: {line}");
            }
        }
        Ok(Data {
            archive: Archive::new(loaded.sources)?,
            hazard_coefficients: loaded.hazard_coefficients,
            lowy: loaded.lowy,
        })
    }
}

/// The states named by `tokens` (all states when empty), in the order given.
pub fn select(world: &World, archive: &Archive, tokens: &[String]) -> anyhow::Result<Vec<Ccode>> {
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
    if !errors.is_empty() {
        anyhow::bail!("--actors: {}", errors.join("; "));
    }
    Ok(out)
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

const TABLE_COLUMNS: &[&str] = &[
    "iso3",
    "name",
    "cinc",
    "cinc_est",
    "milex_current_usd_m",
    "milex_current_source",
    "milex_const2023_usd_m",
    "milex_const2023_source",
    "gdp_current_usd_bn",
    "population_k",
    "nuclear_warheads",
    "ideal_point",
];

/// The state table of `world` for `actors`.
pub fn state_rows(world: &World, actors: &[Ccode]) -> Rows {
    let mut rows = Rows::new(STATE_COLUMNS.to_vec());
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

/// The dyad table of `world` for every pair of `actors` (in the order given).
pub fn dyad_rows(world: &World, actors: &[Ccode]) -> Rows {
    let mut rows = Rows::new(vec![
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
    ]);
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

pub fn run(args: Args) -> anyhow::Result<()> {
    let archive = args.data.archive()?;
    let world = World::for_year(&archive, args.year).context("--year")?;
    if args.data.verbose {
        for n in &world.notes {
            eprintln!("note: {n}");
        }
    }
    let actors = select(&world, &archive, &args.actors)?;
    let rows = if args.dyads {
        dyad_rows(&world, &actors)
    } else {
        let rows = state_rows(&world, &actors);
        if args.format == Format::Table {
            rows.select(TABLE_COLUMNS)
        } else {
            rows
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    rows.write(args.format, &mut out)
}
