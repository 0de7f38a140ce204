//! The engine's errors as Python exceptions: `entente.ScenarioError` (every located problem
//! of a scenario, in `.problems`), `entente.InputError` (a located problem in other input:
//! a data file, a model's table) and `entente.EntenteError`, their base, for the rest.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyList;

create_exception!(
    entente,
    EntenteError,
    PyException,
    "An error from the Entente engine (the base of ScenarioError and InputError)."
);
create_exception!(
    entente,
    ScenarioError,
    EntenteError,
    "A scenario with problems; `.problems` lists each (file, line, column, message)."
);
create_exception!(
    entente,
    InputError,
    EntenteError,
    "Bad input other than a scenario (a data file, a model's table), located in the message."
);

/// One problem of a scenario: where (file, 1-based line and column) and what.
#[pyclass(frozen, get_all, module = "entente")]
#[derive(Debug, Clone)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[pymethods]
impl Problem {
    fn __repr__(&self) -> String {
        format!(
            "Problem(file={:?}, line={}, column={}, message={:?})",
            self.file, self.line, self.column, self.message
        )
    }

    fn __str__(&self) -> String {
        format!(
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// What went wrong, held without the GIL (so computations can fail off the interpreter).
#[derive(Debug)]
pub enum Failure {
    Scenario(entente_data::scenario::ScenarioError),
    Input(String),
    Engine(String),
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Failure {
        Failure::Input(message.into())
    }

    pub fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Scenario(e) => {
                let err = ScenarioError::new_err(e.to_string());
                let problems: Vec<Problem> = e
                    .problems
                    .iter()
                    .map(|p| Problem {
                        file: e.file.clone(),
                        line: p.line,
                        column: p.column,
                        message: p.message.clone(),
                    })
                    .collect();
                let set = PyList::new(py, problems)
                    .and_then(|list| err.value(py).setattr("problems", list));
                match set {
                    Ok(()) => err,
                    Err(e) => e,
                }
            }
            Failure::Input(m) => InputError::new_err(m),
            Failure::Engine(m) => EntenteError::new_err(m),
        }
    }
}

impl From<entente_data::scenario::ScenarioError> for Failure {
    fn from(e: entente_data::scenario::ScenarioError) -> Failure {
        Failure::Scenario(e)
    }
}

impl From<entente_data::error::DataError> for Failure {
    fn from(e: entente_data::error::DataError) -> Failure {
        Failure::Input(e.to_string())
    }
}

/// Engine errors whose message says all there is.
macro_rules! engine {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Failure {
                Failure::Engine(e.to_string())
            }
        }
    )*};
}

engine!(
    entente_core::world::WorldError,
    entente_core::simulation::SimulationError,
    entente_core::hindcast::HindcastError,
    entente_report::ReportError,
    entente_store::StoreError,
    rayon::ThreadPoolBuildError
);

/// `Result<T, Failure>` to a Python result.
pub trait IntoPyResult<T> {
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Failure> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| e.into_py(py))
    }
}
