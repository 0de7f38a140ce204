//! Entente's Monte Carlo outputs: tidy draws files and the run record.
//!
//! This crate does the file I/O the engine (`entente-core`) must not do. It writes what R and
//! pandas read directly, and every file it writes appears atomically (`NAME.tmp`, then a
//! rename), so an interrupted run never leaves a half-written file that looks complete.
//!
//! - [`draws`]: [`DrawTable`], the long table `draw, option, year, state, metric, value` plus
//!   one column per sampled parameter, built row by row and stored column-wise; a table that
//!   knows its run ([`RunIdentity`]) also carries `run_id`, `seed` and each draw's place in
//!   the design ([`DrawDesign`]: `point`, `replication`, `block`).
//! - [`draws_parquet`]: [`write_draws_parquet`] / [`read_draws_parquet`] (snappy Parquet,
//!   `option` dictionary-encoded).
//! - [`draws_csv`]: [`write_draws_csv`], the same columns with `NA` for missing.
//! - [`atomic`]: [`write_atomically`], the `.tmp`-then-rename writer behind both.
//! - [`runs`]: [`RunStore`], the SQLite run record (`runs` and `claims` tables), with
//!   detection of runs left `running` by a killed process.
//! - [`process`]: host, pid and process start token, and whether a recorded process lives.
//! - [`time`]: ISO 8601 UTC timestamps from `std::time` (civil-date arithmetic, no time crate).
//! - [`error`]: [`StoreError`], naming the file at fault.
//!
//! ```
//! use entente_store::{read_draws_parquet, write_draws_parquet, DrawTable, RunMeta, RunStore, Status};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let mut table = DrawTable::new(["escalation_k"]).unwrap();
//! for draw in 0..3u32 {
//!     let mut rows = table.begin_draw(draw, &[0.5 + f64::from(draw)]).unwrap();
//!     rows.push("baseline", 2030, "USA", "p_war", Some(0.1)).unwrap();
//!     rows.push("baseline", 2030, "", "polarity", None).unwrap(); // system-level, missing
//! }
//! let path = dir.path().join("draws.parquet");
//! write_draws_parquet(&path, &table).unwrap();
//! assert_eq!(read_draws_parquet(&path).unwrap(), table);
//!
//! let store = RunStore::open(dir.path().join("runs.sqlite")).unwrap();
//! let meta = RunMeta::new("taiwan-2030", "scenario file text", 42, 3, dir.path());
//! let id = store.start_run(&meta).unwrap();
//! store.finish_run(&id, Status::Complete, None).unwrap();
//! assert_eq!(store.get_run(&id).unwrap().status, Status::Complete);
//! ```

pub mod atomic;
pub mod draws;
pub mod draws_csv;
pub mod draws_parquet;
pub mod error;
pub mod process;
pub mod runs;
pub mod time;

pub use atomic::write_atomically;
pub use draws::{DrawDesign, DrawRow, DrawRows, DrawTable, RunIdentity};
pub use draws_csv::write_draws_csv;
pub use draws_parquet::{draws_batches, read_draws_parquet, write_draws_parquet};
pub use error::StoreError;
pub use runs::{Claim, Direction, RunId, RunKind, RunMeta, RunRecord, RunStore, Shard, Status};
