//! Arms dynamics: Richardson's model of arms races.
//!
//! - [`two_bloc_fit`]: Richardson's own check, the yearly change of the two
//!   blocs' total regressed on the two-year mean of the total (slope `k - alpha`,
//!   zero crossing = the equilibrium total).
//! - [`Richardson`]: the multi-actor discrete annual form
//!   `X_{t+1} - X_t = A X_t + G`, `A = diag(own) + K`, with reactivities
//!   `K >= 0` only on the edges of a [`ThreatNetwork`]; its equilibrium
//!   (`A X* + G = 0`) and stability (spectral radius of `I + A` below 1).
//! - [`estimate`]: per-state least squares on annual spending **levels** (the
//!   caller's unit; Entente uses constant 2023 US$ million), with the
//!   coefficients' covariance, fit quality and an optional break year.
//! - [`FittedRichardson::project`]: Monte Carlo projections drawing the
//!   coefficients from their sampling distribution and adding residual noise.
//! - [`backtest`]: fit up to a cut-off year, forecast the rest, score against a
//!   random-walk persistence forecast with CRPS and MAE.
//!
//! Files: `two_bloc` (Richardson's check), `richardson` (the multi-actor system
//! and its threat network), `estimate` (per-state least squares and Monte Carlo
//! projection), `backtest` (fit up to a cut-off, score the rest). The spending
//! model the simulation uses, with the threat response, is [`crate::spending`].
//!
//! ```
//! use entente_core::arms::{two_bloc_fit, Richardson, ThreatNetwork};
//! use nalgebra::{DMatrix, DVector};
//!
//! // Richardson's 1909-1913 totals (France+Russia, Germany+Austria-Hungary).
//! let fit = two_bloc_fit(&[1909, 1910, 1911, 1912, 1913], &[199.2, 204.8, 214.9, 238.7, 289.0])
//!     .unwrap();
//! assert!((fit.slope_per_year - 0.731).abs() < 0.002 && !fit.stable());
//!
//! // Two rivals, each with fatigue 0.3 and reactivity 0.1 to the other.
//! let net = ThreatNetwork::new(DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 0.0])).unwrap();
//! let k = DMatrix::from_row_slice(2, 2, &[0.0, 0.1, 0.1, 0.0]);
//! let r = Richardson::new(DVector::from_element(2, -0.3), k, DVector::from_element(2, 10.0), &net)
//!     .unwrap();
//! assert!(r.stable().unwrap());
//! assert!((r.equilibrium().unwrap()[0] - 50.0).abs() < 1e-9);
//! ```

mod backtest;
mod estimate;
mod richardson;
mod two_bloc;

pub use backtest::{backtest, persistence_forecast, Backtest, BacktestConfig, Score};
pub use estimate::{
    estimate, EstimationConfig, FittedRichardson, Projection, SpendingPanel, StateFit,
};
pub use richardson::{spectral_radius, NetworkRule, Richardson, ThreatNetwork};
pub use two_bloc::{two_bloc_fit, Interval, TwoBlocFit};

/// Why an arms-dynamics computation cannot proceed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArmsError {
    #[error("need at least {need} years of data, got {got}")]
    TooFewYears { need: usize, got: usize },
    #[error("years must be consecutive: {after} is followed by {next}")]
    YearGap { after: i32, next: i32 },
    #[error("{what} must be finite numbers")]
    NonFinite { what: String },
    #[error("dimensions do not match: {0}")]
    Dimension(String),
    #[error("threat weight w[{i}][{j}] = {value}: weights must be >= 0 with a zero diagonal")]
    Weight { i: usize, j: usize, value: f64 },
    #[error(
        "reactivity k[{i}][{j}] = {value}: reactivities must be >= 0 and only on threat-network edges"
    )]
    Reactivity { i: usize, j: usize, value: f64 },
    #[error("the system has no unique equilibrium (A is singular)")]
    NoEquilibrium,
    #[error("the eigenvalues of I + A did not converge")]
    NoEigenvalues,
    #[error("{state}: the regressors are collinear over the fit window, least squares is not identified")]
    Collinear { state: String },
    #[error("{state}: spending must be >= 0, got {value} in {year}")]
    NegativeSpending {
        state: String,
        year: i32,
        value: f64,
    },
    #[error("year {year} is outside the data ({first}-{last})")]
    YearOutside { year: i32, first: i32, last: i32 },
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    World(#[from] crate::world::WorldError),
    #[error("scoring: {0}")]
    Scoring(#[from] crate::scoring::ScoringError),
}

pub(crate) fn check_consecutive(years: &[i32]) -> Result<(), ArmsError> {
    for w in years.windows(2) {
        if w[1] != w[0] + 1 {
            return Err(ArmsError::YearGap {
                after: w[0],
                next: w[1],
            });
        }
    }
    Ok(())
}
