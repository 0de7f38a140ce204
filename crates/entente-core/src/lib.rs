//! Entente's core: the world state, the models and the simulation.
//!
//! This crate does no I/O: it knows nothing of files, HTTP or serde. Loaders
//! (`entente-data`) turn files into the plain records of [`sources`], and the
//! binaries turn results into text.
//!
//! ```
//! use entente_core::ids::Iso3;
//! let jpn: Iso3 = "JPN".parse().unwrap();
//! assert_eq!(jpn.as_str(), "JPN");
//! ```

pub mod ids;
pub mod smp;
