//! Loaders for Entente's bundled data and for users' input files.
//!
//! Parsers here take text plus the name to report it under, and return plain
//! records for `entente-core` or a [`DataError`] naming file, line and field.
//!
//! - [`world_data`]: the real-world data sets (bundled in the binary, or
//!   overridden file by file from a directory) as [`entente_core::sources::Sources`].
//! - [`table`]: the CSV reader behind every loader.
//! - [`bdm`]: the bargaining model's actors file (`Actor,Capability,Position,Salience`).
//! - [`landscape`]: actor sizes (`actor,size`) and propensity matrices for the alignment model.
//! - [`graph`]: rudy-format graphs (the G-set) for max-cut.
//! - [`scenario`]: scenario files (TOML), every problem located by line and column.
//! - [`ktab`]: KTAB's SMP scenario CSV ([`ktab::parse_ktab_smp`]).
//! - [`smp`]: Entente's own SMP scenario form (TOML, named dimensions and scales),
//!   and conversion of KTAB's CSV into it.
//! - [`series`]: yearly series from a user's CSV (a `year` column and numbers).
//! - [`citations`]: what to cite for the bundled data and the models (`entente cite`), and
//!   the bundled files with their versions from `data/SOURCES.md` (`entente --version`).
//!
//! ```
//! use entente_core::world::{Archive, World};
//! use entente_data::world_data::{load, DataSource};
//!
//! let loaded = load(&DataSource::bundled()).unwrap();
//! let archive = Archive::new(loaded.sources).unwrap();
//! let world = World::for_year(&archive, 1914).unwrap();
//! assert!(world.states.iter().any(|s| s.abb == "GMY"));
//! ```

pub mod bdm;
pub mod citations;
pub mod error;
pub mod graph;
pub mod ktab;
pub mod landscape;
pub mod scenario;
pub mod series;
pub mod smp;
pub mod table;
pub mod world_data;

pub use error::DataError;
