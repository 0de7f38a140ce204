//! Entente's core: the world state, the models and the simulation.
//!
//! This crate does no I/O: it knows nothing of files, HTTP or serde. Loaders
//! (`entente-data`) turn files into the plain records of [`sources`], and the
//! binaries turn results into text.
//!
//! Modules:
//! - [`ids`]: actor identities (COW and ISO3 codes).
//! - [`alignment`]: Axelrod and Bennett's landscape model of alignment (exact enumeration,
//!   local minima and basins, frustration, k coalitions and neutrality, heuristics for large
//!   n) and the weighted max-cut solver underneath it.
//!
//! ```
//! use entente_core::ids::Iso3;
//! let jpn: Iso3 = "JPN".parse().unwrap();
//! assert_eq!(jpn.as_str(), "JPN");
//!
//! use entente_core::alignment::{ExactConfig, Landscape};
//! // Two friends and a rival of both: the rival stands apart.
//! let p = vec![vec![0.0, 1.0, -1.0], vec![1.0, 0.0, -1.0], vec![-1.0, -1.0, 0.0]];
//! let land = Landscape::new(vec![1.0, 1.0, 1.0], &p).unwrap();
//! let exact = land.exact(&ExactConfig::default()).unwrap();
//! assert_eq!(exact.global_minimum.states, vec![0, 0, 1]);
//! assert_eq!(exact.global_minimum.energy, -2.0);
//! ```

pub mod alignment;
pub mod ids;
