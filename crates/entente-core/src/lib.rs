//! Entente's core: the world state, the models and the simulation.
//!
//! This crate does no I/O: it knows nothing of files, HTTP or serde. Loaders
//! (`entente-data`) turn files into the plain records of [`sources`]; the
//! binaries turn results into text.
//!
//! - [`ids`]: actor identities (COW codes, ISO3).
//! - [`sources`]: plain records of the real data sets, in their own units.
//! - [`capabilities`]: the COW composite index of national capability (CINC).
//! - [`arms`]: arms dynamics (Richardson): two-bloc fit, multi-actor model on a
//!   threat network, estimation, equilibrium, stability, projections, backtest.
//! - [`spending`]: military spending paths: a hierarchical model of log
//!   spending (pooled, mean-reverting drifts; reactions as elasticities; the
//!   threat response), fitted up to a cut-off, calibrated, projected.
//! - [`world`]: the world state of a year, built from the sources, every value
//!   with its provenance.
//! - [`power`]: capability shares, power at a distance, regional balances.
//! - [`hazard`]: the annual probability of a militarized dispute in a dyad, refit
//!   on the bundled dispute data and scored on held-out years.
//! - [`threat`]: threat felt by each state, by channel (direct, entrapment), and
//!   its change split exactly by source and by channel.
//! - [`bargaining`]: Bueno de Mesquita's expected-utility bargaining model (Scholz et
//!   al.'s coding).
//! - [`scenario`]: scenarios: options as edits of the world, priors, claims.
//! - [`sweep`]: lever sweeps: policy levers of the options, expanded into variants.
//! - [`simulation`]: the Monte Carlo engine over the model chain, with Sobol drivers.
//! - [`smp`]: KTAB's spatial model of politics (multi-dimensional bargaining).
//! - [`sensitivity`]: Sobol' indices by Saltelli's design (which uncertain
//!   parameters drive an output), priors and their inverse CDFs.
//! - [`warheads`]: nuclear stockpiles: size-dependent growth and a threat
//!   elasticity fitted on the FAS estimates, projected and backtested.
//! - [`scoring`]: forecast scores (CRPS, Brier, AUROC, MAE) and Wilson intervals.
//!
//! ```
//! use entente_core::capabilities::{cinc, Components};
//! let big = Components { milex_k: Some(3.0), tpop_k: Some(3.0), ..Default::default() };
//! let small = Components { milex_k: Some(1.0), tpop_k: Some(1.0), ..Default::default() };
//! assert_eq!(cinc(&[big, small]), vec![Some(0.75), Some(0.25)]);
//! ```

pub mod alignment;
pub mod arms;
pub mod bargaining;
pub mod capabilities;
pub mod hazard;
pub mod hindcast;
pub mod ids;
pub mod param;
pub mod power;
pub mod prior;
pub mod scenario;
pub mod scoring;
pub mod sensitivity;
pub mod simulation;
pub mod smp;
pub mod sources;
pub mod spending;
pub mod summary;
pub mod sweep;
pub mod threat;
pub mod warheads;
pub mod world;
