//! `entente world`: the world state of a year, one row per state (or per dyad).

use std::path::PathBuf;

use anyhow::Context;
use entente_core::ids::Ccode;
use entente_core::world::{Archive, World};
use entente_report::tables;

use crate::output::{Format, Rows};

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
    tables::select(world, archive, tokens)
        .map_err(|errors| anyhow::anyhow!("--actors: {}", errors.join("; ")))
}

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
    Rows::from(tables::states(world, actors))
}

/// The dyad table of `world` for every pair of `actors` (in the order given).
pub fn dyad_rows(world: &World, actors: &[Ccode]) -> Rows {
    Rows::from(tables::dyads(world, actors))
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
