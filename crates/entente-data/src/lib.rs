//! Loaders for Entente's bundled data and for users' input files.
//!
//! Parsers here take text plus the name to report it under, and return plain
//! records for `entente-core` or a [`DataError`] naming file, line and field.
//!
//! - [`landscape`]: actor sizes (`actor,size`) and propensity matrices for the alignment model.
//! - [`graph`]: rudy-format graphs (the G-set) for max-cut.
//!
//! ```
//! let g = entente_data::graph::parse_rudy("2 1\n1 2 3\n", "g.txt").unwrap();
//! assert_eq!(g.edges, vec![(0, 1, 3.0)]);
//! ```

pub mod error;
pub mod graph;
pub mod landscape;

pub use error::DataError;
