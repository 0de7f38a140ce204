//! Entente's core: the world state, the models and the simulation.
//!
//! This crate does no I/O: it knows nothing of files, HTTP or serde. Loaders
//! (`entente-data`) turn files into the plain records of [`sources`], and the
//! binaries turn results into text.
//!
//! Modules:
//! - [`ids`]: actor identity codes.
//! - [`smp`]: KTAB's spatial model of politics (multi-dimensional bargaining).
//!
//! ```
//! use entente_core::ids::Iso3;
//! let jpn: Iso3 = "JPN".parse().unwrap();
//! assert_eq!(jpn.as_str(), "JPN");
//!
//! use entente_core::smp::{self, SmpActor, SmpConfig, SmpScenario};
//! let actor = |name: &str, cap: f64, pos: f64| SmpActor {
//!     name: name.into(),
//!     description: String::new(),
//!     capability: cap,
//!     position: vec![pos],
//!     salience: vec![0.8],
//! };
//! let scenario = SmpScenario {
//!     name: "toy".into(),
//!     description: String::new(),
//!     dimensions: vec!["issue".into()],
//!     actors: vec![actor("A", 100.0, 0.2), actor("B", 60.0, 0.5), actor("C", 40.0, 0.9)],
//! };
//! let history = smp::run(&scenario, &SmpConfig::default()).unwrap();
//! assert!(history.turns() >= 1);
//! ```

pub mod ids;
pub mod smp;
