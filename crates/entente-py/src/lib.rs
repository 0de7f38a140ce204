//! Entente from Python: the native module `entente._entente` behind the `entente` package
//! (`python/entente`), built by maturin (`pip install ./python`).
//!
//! Everything here calls the engine crates directly, through the code paths the CLI uses:
//! [`entente_report::tables`] for `entente.world` / `entente.dyads`,
//! [`entente_report::execute::run`] for `entente.run` (so a run from Python with a seed
//! writes the same `claims.csv` and `draws.parquet` bytes as `entente run` with that seed),
//! [`entente_report::execute::hindcast`] for `entente.hindcast`, and the data crate's located
//! parsers for the models on plain data (`bdm`, `smp`, `landscape`, `maxcut`). Tables reach
//! Python as Arrow through the C stream interface (`__arrow_c_stream__`, [`arrow::ArrowTable`]),
//! so pyarrow takes the engine's batches without copying them. Long computations release the
//! GIL. Bad input raises `entente.ScenarioError` (with `.problems`: file, line, column,
//! message) or `entente.InputError`, never a crash.
//!
//! The Python layer (`python/entente/__init__.py`) turns these results into pandas
//! DataFrames and the `Run` object, and documents every argument:
//!
//! ```python
//! import entente
//! w = entente.world(2024, actors=["JPN", "KOR"])       # pandas, NA as missing
//! r = entente.run(draws=16, seed=1)                    # the flagship, 16 base samples
//! print(r.claims[["claim", "status", "probability"]])
//! r.draws                                              # a pyarrow.Table
//! ```

mod arrow;
mod errors;
mod models;
mod run;
mod world;

use std::sync::OnceLock;

use pyo3::prelude::*;

use entente_core::world::Archive;

/// The bundled data, loaded and indexed once per process.
pub(crate) struct Data {
    pub archive: Archive,
    pub coefficients: entente_core::hazard::Coefficients,
}

static DATA: OnceLock<Data> = OnceLock::new();

/// The bundled data (loaded on first use; `entente` loads them at import).
pub(crate) fn data() -> Result<&'static Data, errors::Failure> {
    if let Some(d) = DATA.get() {
        return Ok(d);
    }
    let ds = entente_data::world_data::DataSource::bundled();
    let loaded = entente_data::world_data::load(&ds)?;
    let d = Data {
        archive: Archive::new(loaded.sources)?,
        coefficients: loaded.hazard_coefficients,
    };
    // Another thread may have won the race: either copy is the same data.
    Ok(DATA.get_or_init(|| d))
}

/// Load and index the bundled data now (the package does so at import, so the first
/// `world` call is fast).
#[pyfunction]
fn load_data(py: Python<'_>) -> PyResult<()> {
    py.detach(data).map(|_| ()).map_err(|e| e.into_py(py))
}

/// Entente's version and the bundled data sets' files with their versions.
#[pyfunction]
fn version() -> (String, Vec<(String, String)>) {
    let files = entente_data::citations::bundled_files()
        .into_iter()
        .map(|f| (f.file, f.dataset))
        .collect();
    (env!("CARGO_PKG_VERSION").to_string(), files)
}

/// What to cite: (key, role, text, bibtex) per work.
#[pyfunction]
fn citations() -> Vec<(String, String, String, String)> {
    entente_data::citations::CITATIONS
        .iter()
        .map(|c| {
            let role = match c.role {
                entente_data::citations::Role::Data => "data",
                entente_data::citations::Role::Model => "model",
                entente_data::citations::Role::Software => "software",
            };
            (c.key.to_string(), role.to_string(), c.text(), c.bibtex())
        })
        .collect()
}

#[pymodule]
fn _entente(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("EntenteError", py.get_type::<errors::EntenteError>())?;
    m.add("ScenarioError", py.get_type::<errors::ScenarioError>())?;
    m.add("InputError", py.get_type::<errors::InputError>())?;
    m.add_class::<errors::Problem>()?;
    m.add_class::<arrow::ArrowTable>()?;
    m.add_function(wrap_pyfunction!(load_data, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(citations, m)?)?;
    m.add_function(wrap_pyfunction!(world::world_table, m)?)?;
    m.add_function(wrap_pyfunction!(world::dyads_table, m)?)?;
    m.add_function(wrap_pyfunction!(world::align_table, m)?)?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    m.add_function(wrap_pyfunction!(run::hindcast, m)?)?;
    m.add_function(wrap_pyfunction!(models::bdm, m)?)?;
    m.add_function(wrap_pyfunction!(models::smp, m)?)?;
    m.add_function(wrap_pyfunction!(models::landscape, m)?)?;
    m.add_function(wrap_pyfunction!(models::maxcut, m)?)?;
    Ok(())
}
