//! The outputs of an Entente run, shared by the CLI (`entente run`, `entente merge`) and the
//! dashboard server (`entente serve`), so a run looks the same whoever started it.
//!
//! - [`files`]: [`write_all`] writes `claims.csv`, `codebook.csv`, `draws.parquet` (and `draws.csv`),
//!   `report.md`, a self-contained `report.html`, `summary.json` and `run.json`.
//! - [`codebook`]: the one table of the draws' metrics (unit, level, years, meaning), written
//!   as each run's `codebook.csv` and reproduced in docs/outputs.md.
//! - [`charts`]: the report's SVG charts (responsive, nice ticks): spending fans, each claim's
//!   paired-difference histogram and Sobol drivers, threat per state, the base world's map.
//! - [`atlas`]: the Natural Earth 1:110m world map (TopoJSON, compiled in) shared with the
//!   dashboard, decoded, and joined to states by ISO code then name.
//! - [`hindcast`]: a hindcast's `forecast.csv`, `hindcast.json` and `hindcast.html` (fans
//!   with the realised path).
//! - [`summary_json`]: the dashboard's view of a run ([`entente_core::summary::Summary`] plus
//!   the claims) as JSON, schema `entente.run-summary/1` (docs/api.md).
//! - [`execute`]: a run from its folder to its store record ([`execute::run`]), the one code
//!   path behind `entente run` and Python's `entente.run`; [`hindcast::execute`] likewise
//!   for hindcasts.
//! - [`checkpoint`]: a run's checkpoint (`checkpoint/`, chunks of finished draws in the
//!   part format) and reading it back for `entente run --resume`.
//! - [`folder`]: a run's folder (`<root>/<scenario>-<run id>`, always inside the root) and
//!   its `RUNNING` marker, written first and removed last, after the store.
//! - [`parts`]: a shard's part and manifest; [`shards`]: the sharded-run contract (the
//!   shard from `--shard`, Slurm or Kubernetes, each shard's folder, its state: done,
//!   running, queued, failed, missing); [`slurm`]: the plan and sbatch scripts of
//!   `entente slurm` (a job array and a merge job after it).
//! - [`levers`]: a lever sweep's columns of `claims.csv` and the reports' table of claims
//!   per lever setting.
//! - [`reference`]: docs/codebook.md, generated from the schemas (every column, unit and
//!   source flag of the world tables, the draws and the claims).
//! - [`tables`]: the world of a year as tables (one row per state, or per dyad), shared by
//!   `entente world` and Python's `entente.world` / `entente.dyads`.
//! - [`identity`]: what makes pieces of output one run's ([`identity::RunSpec`]: the
//!   scenario and [`scenario_sha256`] of its text, the one scenario hash of `run.json`,
//!   checkpoints, manifests and the store; seed, base samples, draws, versions), which
//!   `--resume` and `entente merge` check; [`store_claims`] turns claim results into the
//!   run store's rows.
//!
//! ```
//! use entente_report::identity::{scenario_sha256, RunSpec};
//! // The scenario hash is the store's: the sha256 of the file's text.
//! assert_eq!(scenario_sha256("[scenario]"), entente_store::runs::sha256_hex("[scenario]"));
//! // Two pieces of a run with another seed are told apart, naming the field.
//! let spec = RunSpec {
//!     scenario: "quad".into(),
//!     scenario_sha256: scenario_sha256("[scenario]"),
//!     seed: 1,
//!     sampler: entente_core::scenario::Sampler::Saltelli,
//!     replications: 1,
//!     base_samples: 32,
//!     total_draws: 448,
//!     engine_version: "0.1.0".into(),
//!     data_version: "d1".into(),
//! };
//! let other = RunSpec { seed: 2, ..spec.clone() };
//! assert_eq!(spec.first_difference(&other), Some(("seed", "1".into(), "2".into())));
//! ```

pub mod atlas;
pub mod charts;
pub mod checkpoint;
pub mod codebook;
pub mod execute;
pub mod files;
pub mod folder;
pub mod hindcast;
mod html;
pub mod identity;
pub mod levers;
pub mod parts;
pub mod reference;
pub mod shards;
pub mod slurm;
pub mod summary_json;
pub mod tables;

use std::path::{Path, PathBuf};

use entente_core::scenario::Direction;
use entente_core::simulation::{self, ClaimResult, Prepared};

pub use files::{
    claims_csv, claims_csv_of, codebook_csv, draws_table, write_all, write_atomic, DrawFiles,
    RunLabel,
};

/// The file the dashboard reads a run's summary from.
pub const SUMMARY_FILE: &str = "summary.json";

/// An error writing a run's outputs.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] entente_store::StoreError),
    #[error("summary: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot name a run folder: {message}")]
    FolderName { name: String, message: String },
    #[error("draw number {0} does not fit the draws table (at most 2^32 - 1)")]
    DrawNumber(usize),
    #[error("claims: the corners of the prior box: {0}")]
    Simulation(#[from] entente_core::simulation::SimulationError),
    #[error("draws: {0}")]
    Draws(#[source] entente_core::simulation::SimulationError),
    #[error(transparent)]
    Hindcast(#[from] entente_core::hindcast::HindcastError),
    #[error(transparent)]
    Checkpoint(#[from] checkpoint::CheckpointError),
}

impl ReportError {
    fn io(path: &Path, action: &'static str, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }
}

pub use identity::scenario_sha256;

/// The run store's rows for the claims the models speak to.
pub fn store_claims(prep: &Prepared, claims: &[ClaimResult]) -> Vec<entente_store::Claim> {
    prep.scenario
        .claims
        .iter()
        .zip(claims)
        .filter_map(|(c, r)| {
            let (p, (lo, hi)) = (r.probability?, r.interval?);
            Some(entente_store::Claim {
                claim: c.id.clone(),
                probability: p,
                lo,
                hi,
                metric: c.metric.map_or("not_modelled", |m| m.name()).to_string(),
                threshold: c.threshold,
                direction: match c.direction {
                    Direction::Above => entente_store::Direction::Above,
                    Direction::Below => entente_store::Direction::Below,
                },
                top_driver: simulation::top_driver(r).map(|(p, _)| p.name().to_string()),
            })
        })
        .collect()
}
