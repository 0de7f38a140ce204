//! `entente.run` and `entente.hindcast`: the CLI's code paths
//! ([`entente_report::execute::run`], [`entente_report::execute::hindcast`]) with the GIL
//! released while the draws run, and an optional progress callback.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use entente_core::scenario::Scenario;
use entente_core::simulation::{Chain, DrawResult, Prepared, SimulationError};
use entente_data::scenario::{FLAGSHIP, FLAGSHIP_PATH};
use entente_report::execute;
use entente_store::RunId;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::arrow::ArrowTable;
use crate::errors::{Failure, IntoPyResult};

/// The scenario's text and the name its problems carry: the bundled flagship, a file, or
/// TOML text made by the package from a dict.
fn scenario_text(kind: &str, value: &str) -> Result<(String, String), Failure> {
    match kind {
        "flagship" => Ok((FLAGSHIP.to_string(), FLAGSHIP_PATH.to_string())),
        "path" => {
            let text = entente_data::error::read_text(Path::new(value))?;
            Ok((text, value.to_string()))
        }
        "json" => {
            let v: serde_json::Value = serde_json::from_str(value)
                .map_err(|e| Failure::input(format!("scenario dict: {e}")))?;
            let text = toml::to_string(&v).map_err(|e| {
                Failure::input(format!("scenario dict: cannot be written as TOML: {e}"))
            })?;
            Ok((text, "<dict>".to_string()))
        }
        other => Err(Failure::input(format!("unknown scenario kind `{other}`"))),
    }
}

/// Parse and resolve a scenario, with the CLI's overrides: draws in all (rounded up to the
/// design's whole base samples or points) or the Saltelli design's base samples, and seed.
pub(crate) fn load(
    kind: &str,
    value: &str,
    draws: Option<usize>,
    base_samples: Option<usize>,
    seed: Option<u64>,
) -> Result<(Scenario, String), Failure> {
    let data = crate::data()?;
    let (text, name) = scenario_text(kind, value)?;
    let mut sc = entente_data::scenario::parse_scenario(&text, &name, &data.archive)?;
    match (draws, base_samples) {
        (Some(_), Some(_)) => {
            return Err(Failure::input("give draws or base_samples, not both"));
        }
        (Some(d), None) if !(1..=10_000_000).contains(&d) => {
            return Err(Failure::input(format!(
                "draws must be 1-10000000, as in a scenario file, got {d}"
            )))
        }
        (Some(d), None) => {
            sc.set_draws(d);
        }
        (None, Some(n)) if !(2..=100_000).contains(&n) => {
            return Err(Failure::input(format!(
                "base_samples must be 2-100000 (base samples of the Saltelli design), got {n}"
            )))
        }
        (None, Some(n)) => {
            if sc.experiment.sampler != entente_core::scenario::Sampler::Saltelli {
                return Err(Failure::input(format!(
                    "base_samples sizes a Saltelli design, but the scenario's sampler is `{}`: give draws",
                    sc.experiment.sampler.name()
                )));
            }
            sc.experiment.base_samples = n;
        }
        (None, None) => {}
    }
    if let Some(s) = seed {
        sc.experiment.seed = s;
    }
    Ok((sc, text))
}

/// Calls `callback(done, total)` after each draw, from the worker threads (taking the GIL
/// for the call); keeps the first exception it raises and stops calling it.
struct Progress {
    callback: Option<Py<PyAny>>,
    done: AtomicUsize,
    total: usize,
    error: Mutex<Option<PyErr>>,
}

impl Progress {
    fn new(callback: Option<Py<PyAny>>, total: usize) -> Progress {
        Progress {
            callback,
            done: AtomicUsize::new(0),
            total,
            error: Mutex::new(None),
        }
    }

    fn tick(&self) {
        let k = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let Some(cb) = &self.callback else { return };
        let mut error = self.error.lock().unwrap_or_else(|e| e.into_inner());
        if error.is_some() {
            return;
        }
        Python::attach(|py| {
            if let Err(e) = cb.call1(py, (k, self.total)) {
                *error = Some(e);
            }
        });
    }

    fn into_error(self) -> Option<PyErr> {
        self.error.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

fn draws_on_pool(
    prep: &Prepared,
    threads: Option<usize>,
    progress: &Progress,
    draws: &[usize],
) -> Result<Vec<DrawResult>, SimulationError> {
    let tick = || progress.tick();
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool.install(|| prep.run(draws, &tick)),
        // Checked before the run starts (see `pool_check`), so this is not reached.
        Err(_) => prep.run(draws, &tick),
    }
}

fn pool_check(threads: Option<usize>) -> Result<(), Failure> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map(|_| ())
        .map_err(|e| Failure::input(format!("threads: {e}")))
}

/// Run a scenario (`kind`: `flagship`, `path` or `json`) as `entente run` does and return
/// the run's id, folder, scenario hash and draws.
#[pyfunction]
#[pyo3(signature = (kind, value, draws=None, seed=None, threads=None, out=None, store=PathBuf::from("out/entente.sqlite"), progress=None, csv=false, base_samples=None))]
#[allow(clippy::too_many_arguments)]
pub fn run<'py>(
    py: Python<'py>,
    kind: &str,
    value: &str,
    draws: Option<usize>,
    seed: Option<u64>,
    threads: Option<usize>,
    out: Option<PathBuf>,
    store: PathBuf,
    progress: Option<Py<PyAny>>,
    csv: bool,
    base_samples: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let (kind, value) = (kind.to_string(), value.to_string());
    let (sc, text) = py
        .detach(|| load(&kind, &value, draws, base_samples, seed))
        .py(py)?;
    pool_check(threads).py(py)?;
    let total = sc.draws();
    let ticks = Progress::new(progress, total);
    let done = py.detach(|| -> Result<_, Failure> {
        let data = crate::data()?;
        let prep = Prepared::new(&data.archive, &sc, data.coefficients)?;
        let id = RunId::generate(sc.experiment.seed);
        let mut store = execute::open_store(&store)?;
        let req = execute::Request {
            id: &id,
            text: &text,
            out: out.as_deref(),
            root: Path::new("out"),
            shard: None,
            files: if csv {
                entente_report::DrawFiles::ParquetAndCsv
            } else {
                entente_report::DrawFiles::Parquet
            },
            data_version: None,
            checkpoint: None,
        };
        let o = execute::run(&prep, req, &mut store, |d| {
            draws_on_pool(&prep, threads, &ticks, d)
        })?;
        let table = entente_report::draws_table(&prep, &o.results, id.as_str())?;
        let (schema, batches) = entente_store::draws_batches(&table)?;
        let identical = entente_core::simulation::identical_options(&o.results);
        Ok((id, o, ArrowTable::new(schema, batches), identical))
    });
    if let Some(e) = ticks.into_error() {
        return Err(e);
    }
    let (id, o, table, identical) = done.py(py)?;
    let d = PyDict::new(py);
    d.set_item("run_id", id.as_str())?;
    d.set_item("out", o.out.display().to_string())?;
    d.set_item("scenario", &sc.name)?;
    d.set_item("scenario_sha256", &o.hash)?;
    d.set_item("seed", sc.experiment.seed)?;
    d.set_item("base_samples", sc.experiment.base_samples)?;
    d.set_item("sampler", sc.experiment.sampler.name())?;
    d.set_item("replications", sc.experiment.replications)?;
    d.set_item("n_draws", o.results.len())?;
    d.set_item("draws", Bound::new(py, table)?)?;
    d.set_item(
        "warnings",
        identical.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
    )?;
    Ok(d)
}

/// Run a scenario's hindcast from `from_` to `to` as `entente hindcast` does.
#[pyfunction]
#[pyo3(signature = (kind, value, from_, to=None, draws=None, seed=None, threads=None, out=None, store=PathBuf::from("out/entente.sqlite"), progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn hindcast<'py>(
    py: Python<'py>,
    kind: &str,
    value: &str,
    from_: i32,
    to: Option<i32>,
    draws: Option<usize>,
    seed: Option<u64>,
    threads: Option<usize>,
    out: Option<PathBuf>,
    store: PathBuf,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (kind, value) = (kind.to_string(), value.to_string());
    let (sc, text) = py.detach(|| load(&kind, &value, None, None, seed)).py(py)?;
    pool_check(threads).py(py)?;
    let prepared = py
        .detach(|| -> Result<_, Failure> {
            let data = crate::data()?;
            let years = execute::sipri_years(&data.archive)
                .ok_or_else(|| Failure::input("the SIPRI spending data are empty"))?;
            let window = entente_core::hindcast::Window::new(from_, to.unwrap_or(years.1), years)
                .map_err(|e| Failure::input(e.to_string()))?;
            let hs = execute::hindcast_scenario(&sc, &data.archive, window, draws)?;
            Ok((window, hs))
        })
        .py(py)?;
    let (window, hs) = prepared;
    let ticks = Progress::new(progress, hs.draws());
    let done = py.detach(|| -> Result<_, Failure> {
        let data = crate::data()?;
        let mut prep = Prepared::new(&data.archive, &hs, data.coefficients)?;
        prep.chain = Chain::ThroughSpending;
        let id = RunId::generate(hs.experiment.seed);
        let mut store = execute::open_store(&store)?;
        let req = execute::HindcastRequest {
            id: &id,
            name: &sc.name,
            text: &text,
            window,
            out: out.as_deref(),
            root: Path::new("out"),
        };
        let o = execute::hindcast(&prep, req, &mut store, |d| {
            draws_on_pool(&prep, threads, &ticks, d)
        })?;
        Ok((id, o))
    });
    if let Some(e) = ticks.into_error() {
        return Err(e);
    }
    let (id, o) = done.py(py)?;
    let d = PyDict::new(py);
    d.set_item("run_id", id.as_str())?;
    d.set_item("out", o.out.display().to_string())?;
    d.set_item("scenario", &sc.name)?;
    d.set_item("from", window.from)?;
    d.set_item("to", window.to)?;
    d.set_item("seed", hs.experiment.seed)?;
    d.set_item("n_draws", o.results.len())?;
    Ok(d)
}
