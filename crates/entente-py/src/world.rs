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
