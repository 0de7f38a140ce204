//! Entente's core: the world state, the models and the simulation.
//!
//! This crate does no I/O: it knows nothing of files, HTTP or serde. Loaders
//! (`entente-data`) turn files into the plain records of [`sources`], and the
//! binaries turn results into text.
//!
//! Modules:
//! - [`ids`]: actor identities (Correlates of War and ISO 3166 codes).
//! - [`bargaining`]: Bueno de Mesquita's expected-utility bargaining model (Scholz et al.'s
//!   coding), O(n^3) per round.
//!
//! ```
//! use entente_core::ids::Iso3;
//! let jpn: Iso3 = "JPN".parse().unwrap();
//! assert_eq!(jpn.as_str(), "JPN");
//!
//! use entente_core::bargaining::{Actor, Config, Model};
//! let actors = vec![
//!     Actor { capability: 1.0, position: 0.0, salience: 0.5 },
//!     Actor { capability: 1.0, position: 10.0, salience: 0.8 },
//!     Actor { capability: 2.0, position: 4.0, salience: 0.5 },
//! ];
//! let run = Model::new(actors, Config::default()).unwrap().run();
//! assert_eq!(run.initial.median, 4.0);
//! ```

pub mod bargaining;
pub mod ids;
