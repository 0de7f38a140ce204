//! `entente.world` and `entente.dyads`: the world of a year through the tables
//! `entente world` prints ([`entente_report::tables`]).

use entente_core::world::World;
use entente_report::tables;
use pyo3::prelude::*;

use crate::arrow::{from_table, ArrowTable};
use crate::errors::{Failure, IntoPyResult};

fn world_of(
    year: i32,
    actors: &[String],
) -> Result<(World, Vec<entente_core::ids::Ccode>), Failure> {
    let data = crate::data()?;
    let world = World::for_year(&data.archive, year)
        .map_err(|e| Failure::input(format!("year {year}: {e}")))?;
    let chosen = tables::select(&world, &data.archive, actors)
        .map_err(|errors| Failure::input(format!("actors: {}", errors.join("; "))))?;
    Ok((world, chosen))
}

/// One row per state of `year` (every state when `actors` is empty), with every column of
/// `entente world --format csv`.
#[pyfunction]
#[pyo3(signature = (year, actors=Vec::new()))]
pub fn world_table(py: Python<'_>, year: i32, actors: Vec<String>) -> PyResult<ArrowTable> {
    py.detach(|| {
        let (world, chosen) = world_of(year, &actors)?;
        from_table(&tables::states(&world, &chosen)).map_err(|e| Failure::Engine(e.to_string()))
    })
    .py(py)
}

/// One row per pair of `actors` in `year` (ties, contiguity, distances), as
/// `entente world --dyads --format csv`.
#[pyfunction]
pub fn dyads_table(py: Python<'_>, year: i32, actors: Vec<String>) -> PyResult<ArrowTable> {
    py.detach(|| {
        let (world, chosen) = world_of(year, &actors)?;
        from_table(&tables::dyads(&world, &chosen)).map_err(|e| Failure::Engine(e.to_string()))
    })
    .py(py)
}

/// The alignment step of a scenario (`kind`, `value` as for `run`) on the world of
/// `year`: one row per actor, as `entente align --format csv`.
#[pyfunction]
#[pyo3(signature = (kind, value, year, draws=384, seed=None))]
pub fn align_table(
    py: Python<'_>,
    kind: &str,
    value: &str,
    year: i32,
    draws: usize,
    seed: Option<u64>,
) -> PyResult<ArrowTable> {
    let (kind, value) = (kind.to_string(), value.to_string());
    py.detach(|| {
        if draws == 0 {
            return Err(Failure::input("draws must be at least 1"));
        }
        let data = crate::data()?;
        let (sc, _) = crate::run::load(&kind, &value, None, None, seed)?;
        let a = entente_core::simulation::align::align_year(&data.archive, &sc, year, draws)
            .map_err(|e| Failure::input(format!("aligning the world of {year}: {e}")))?;
        let world = World::for_year(&data.archive, year)
            .map_err(|e| Failure::input(format!("year {year}: {e}")))?;
        from_table(&tables::alignment(&a, &world)).map_err(|e| Failure::Engine(e.to_string()))
    })
    .py(py)
}
