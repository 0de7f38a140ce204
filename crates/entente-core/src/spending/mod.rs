//! Military spending paths: a hierarchical model of each state's log spending,
//! estimated on data up to a cut-off year only, that reacts to threat and to
//! rivals in each state's own scale.
//!
//! Per state `i` and year `t`, `y = ln x` (constant 2023 US$ m) changes by
//!
//! ```text
//! y_it - y_it-1 = d_it + kappa_i sum_j w_ij (g_jt-1 - m) + beta (dtheta_it - dtheta_it-1) + s sigma_i eps_it
//! d_it = m + lambda (d_it-1 - m) + zeta_it,   zeta ~ N(0, tau^2 (1 - lambda^2)),  eps ~ N(0, 1)
//! ```
//!
//! - `d_it`, the state's drift, reverts to the long-run growth `m` shared by
//!   all states at rate `1 - lambda` a year, with spread `tau` across states: a
//!   boom is neither ignored nor extrapolated unchecked. The Kalman filter
//!   ([`kalman`]) pools each state's history with `m` (partial pooling) and
//!   gives its drift at the cut-off with its uncertainty.
//! - `sigma_i`: each state's residual sd of annual log changes, fitted; `s` a
//!   noise scale calibrated on forecasts from origins before the cut-off.
//! - Reaction: an elasticity `kappa` to the threat-weighted rivals' change of
//!   the year before above `m` (`w` row-normalised, e.g. the threat model's
//!   `q`). Where Richardson's levels model beat persistence on the years before
//!   the cut-off, its own reactivity, as an elasticity, replaces `kappa` for
//!   that state ([`FitConfig::richardson`]).
//! - Threat: `beta` % per percentage point of threat (Nordhaus, Oneal and Russett
//!   2012: about 3, the prior), a level effect of the change in threat.
//!
//! [`fit`] estimates `m, lambda, tau, kappa, beta` by maximum likelihood with
//! the `sigma_i` profiled out (and the Nordhaus-Oneal-Russett prior on `beta`),
//! their uncertainty from the observed information, and calibrates `s`.
//! [`Model::calibration`] gives each parameter as a truncated normal with its
//! basis; [`Model::project`] draws paths for given draw parameters, threat
//! changes and reaction weights, consuming the random stream identically
//! whatever the inputs (common random numbers across options).
//!
//! ```
//! use entente_core::spending::{fit, FitConfig, Panel, ProjectionInputs};
//! use rand::SeedableRng;
//! use rand_chacha::ChaCha8Rng;
//!
//! // Three states growing about 2%, 5% and 0% a year, 2000-2015.
//! let wobble = [0.01, -0.01, 0.02, 0.0];
//! let levels = [0.02, 0.05, 0.0]
//!     .iter()
//!     .map(|g| (0..16).map(|t| Some(100.0 * (g * t as f64 + wobble[t % 4]).exp())).collect())
//!     .collect();
//! let panel = Panel::new(vec!["A".into(), "B".into(), "C".into()], 2000, levels)?;
//! let model = fit(&panel, 2012, &FitConfig::default())?;
//! let inputs = ProjectionInputs::frozen(&model, 5, vec![vec![0.0; 3]; 3])?;
//! let mut rng = ChaCha8Rng::seed_from_u64(1);
//! let paths = model.project(&inputs, &model.point_params(), &mut rng);
//! let a = paths[0].as_ref().unwrap();
//! assert_eq!(a.len(), 6); // 2012 (the observed base level) to 2017
//! assert_eq!(a[0], panel.level(0, 2012).unwrap());
//! # Ok::<(), entente_core::arms::ArmsError>(())
//! ```

mod backtest;
mod calibration;
mod fit;
mod gate;
mod history;
mod inner;
pub(crate) mod kalman;
mod optimise;
mod project;
#[cfg(test)]
mod tests;

pub use backtest::{backtest, draw_paths, Backtest, BacktestSpec};
pub use calibration::{CalibratedParam, TruncatedNormal};
pub use fit::{
    fit, FitConfig, InnerCalibration, InnerScore, NoisePooling, NormalPrior, RichardsonGate,
};
pub use history::panel_from_archive;
pub use project::ProjectionInputs;

use crate::arms::ArmsError;
use kalman::Obs;

/// Annual spending of named states (constant 2023 US$ m), with gaps, and
/// optionally the threat each felt and whom it feared, year by year.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    names: Vec<String>,
    first_year: i32,
    /// `levels[state][year - first_year]`; `None`: no data. Zero is a real
    /// value (a state without armed forces) that is never forecast.
    levels: Vec<Vec<Option<f64>>>,
    threat: Option<ThreatHistory>,
}

/// Threat of each year of a [`Panel`]: `theta[t][i]` felt by state `i` in
/// year `first_year + t`, and `weights[t][i][j]` whom it came from, each row
/// normalised to sum to 1 (or all 0).
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatHistory {
    theta: Vec<Vec<f64>>,
    weights: Vec<Vec<Vec<f64>>>,
}

/// Rows scaled to sum to 1 (rows of zeros stay zeros), diagonal set to 0.
pub fn row_normalise(q: &[Vec<f64>]) -> Vec<Vec<f64>> {
    q.iter()
        .enumerate()
        .map(|(i, row)| {
            let s: f64 = row
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, v)| v.max(0.0))
                .sum();
            row.iter()
                .enumerate()
                .map(|(j, v)| {
                    if j == i || s <= 0.0 {
                        0.0
                    } else {
                        v.max(0.0) / s
                    }
                })
                .collect()
        })
        .collect()
}

fn check_weights(w: &[Vec<f64>], n: usize, what: &str) -> Result<(), ArmsError> {
    if w.len() != n || w.iter().any(|r| r.len() != n) {
        return Err(ArmsError::Dimension(format!("{what}: need {n} x {n}")));
    }
    for (i, r) in w.iter().enumerate() {
        for (j, &v) in r.iter().enumerate() {
            if !v.is_finite() || v < 0.0 {
                return Err(ArmsError::Weight { i, j, value: v });
            }
        }
    }
    Ok(())
}

impl ThreatHistory {
    /// `theta[t][i]` in `[0, 1]`; `weights[t]` non-negative `n x n` matrices
    /// (normalised here by rows, diagonal ignored).
    pub fn new(
        theta: Vec<Vec<f64>>,
        weights: Vec<Vec<Vec<f64>>>,
    ) -> Result<ThreatHistory, ArmsError> {
        if theta.len() != weights.len() {
            return Err(ArmsError::Dimension(format!(
                "{} years of threat but {} of weights",
                theta.len(),
                weights.len()
            )));
        }
        let n = theta.first().map_or(0, Vec::len);
        for (t, row) in theta.iter().enumerate() {
            if row.len() != n {
                return Err(ArmsError::Dimension(format!(
                    "threat year {t} has {} states, the first {n}",
                    row.len()
                )));
            }
            if row.iter().any(|v| !(0.0..=1.0).contains(v)) {
                return Err(ArmsError::NonFinite {
                    what: format!("threat (a probability in [0, 1]) of year {t}"),
                });
            }
        }
        for w in &weights {
            check_weights(w, n, "threat weights")?;
        }
        let weights = weights.iter().map(|w| row_normalise(w)).collect();
        Ok(ThreatHistory { theta, weights })
    }

    pub fn theta(&self, t: usize) -> &[f64] {
        &self.theta[t]
    }

    pub fn weights(&self, t: usize) -> &[Vec<f64>] {
        &self.weights[t]
    }
}

impl Panel {
    /// Every series as long as the first, values finite and `>= 0`.
    pub fn new(
        names: Vec<String>,
        first_year: i32,
        levels: Vec<Vec<Option<f64>>>,
    ) -> Result<Panel, ArmsError> {
        if names.len() != levels.len() {
            return Err(ArmsError::Dimension(format!(
                "{} names but {} series",
                names.len(),
                levels.len()
            )));
        }
        let len = levels.first().map_or(0, Vec::len);
        for (name, s) in names.iter().zip(&levels) {
            if s.len() != len {
                return Err(ArmsError::Dimension(format!(
                    "{name} has {} years, the first series {len}",
                    s.len()
                )));
            }
            for (t, v) in s.iter().enumerate() {
                match *v {
                    Some(v) if !v.is_finite() => {
                        return Err(ArmsError::NonFinite {
                            what: format!("{name}'s spending"),
                        })
                    }
                    Some(v) if v < 0.0 => {
                        return Err(ArmsError::NegativeSpending {
                            state: name.clone(),
                            year: first_year + t as i32,
                            value: v,
                        })
                    }
                    _ => {}
                }
            }
        }
        Ok(Panel {
            names,
            first_year,
            levels,
            threat: None,
        })
    }

    /// Attach the threat history (same years and states).
    pub fn with_threat(mut self, threat: ThreatHistory) -> Result<Panel, ArmsError> {
        if threat.theta.len() != self.n_years()
            || threat.theta.first().map_or(0, Vec::len) != self.n_states()
        {
            return Err(ArmsError::Dimension(format!(
                "threat history of {} years x {} states for a panel of {} x {}",
                threat.theta.len(),
                threat.theta.first().map_or(0, Vec::len),
                self.n_years(),
                self.n_states()
            )));
        }
        self.threat = Some(threat);
        Ok(self)
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
    pub fn first_year(&self) -> i32 {
        self.first_year
    }
    pub fn last_year(&self) -> i32 {
        self.first_year + self.n_years() as i32 - 1
    }
    pub fn n_years(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }
    pub fn n_states(&self) -> usize {
        self.names.len()
    }
    pub fn threat(&self) -> Option<&ThreatHistory> {
        self.threat.as_ref()
    }
    /// `state`'s spending in `year` (`None`: no data or outside the panel).
    pub fn level(&self, state: usize, year: i32) -> Option<f64> {
        let t = usize::try_from(year - self.first_year).ok()?;
        self.levels.get(state)?.get(t).copied().flatten()
    }
    /// `state`'s values from the first year to `last_year` (inclusive).
    pub fn history(&self, state: usize, last_year: i32) -> Vec<Option<f64>> {
        (self.first_year..=last_year.min(self.last_year()))
            .map(|y| self.level(state, y))
            .collect()
    }
    fn t(&self, year: i32) -> Option<usize> {
        usize::try_from(year - self.first_year)
            .ok()
            .filter(|&t| t < self.n_years())
    }
}

/// The parameters one draw of a projection uses (shared by all states).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawParams {
    /// `m`: long-run annual log growth every state's drift reverts to.
    pub long_run_growth: f64,
    /// `lambda`: the share of a drift's deviation from `m` left after a year.
    pub drift_persistence: f64,
    /// `tau`: sd of drifts across states (stationary).
    pub drift_sd: f64,
    /// `kappa`: elasticity of a state's annual change to its rivals' change
    /// of the year before (above `m`).
    pub reactivity: f64,
    /// `beta`: % change in spending per percentage point of threat.
    pub threat_response_pct_per_pp: f64,
    /// `s`: multiplier of each state's fitted residual sd.
    pub noise_scale: f64,
}

impl DrawParams {
    /// Names in the order of [`DrawParams::values`] and the calibration.
    pub const NAMES: [&'static str; 6] = [
        "long_run_growth",
        "drift_persistence",
        "drift_sd",
        "reactivity",
        "threat_response_pct_per_pp",
        "noise_scale",
    ];

    pub fn values(&self) -> [f64; 6] {
        [
            self.long_run_growth,
            self.drift_persistence,
            self.drift_sd,
            self.reactivity,
            self.threat_response_pct_per_pp,
            self.noise_scale,
        ]
    }

    pub fn from_values(v: [f64; 6]) -> DrawParams {
        DrawParams {
            long_run_growth: v[0],
            drift_persistence: v[1],
            drift_sd: v[2],
            reactivity: v[3],
            threat_response_pct_per_pp: v[4],
            noise_scale: v[5],
        }
    }
}

/// One state of a fitted [`Model`].
#[derive(Debug, Clone, PartialEq)]
pub struct StateModel {
    pub name: String,
    /// Spending in the cut-off year (`None`: no positive value, not forecast).
    pub base_level_usd_m: Option<f64>,
    /// First and last year of the run of consecutive positive values fitted
    /// (`None`: too short to fit).
    pub fit_years: Option<(i32, i32)>,
    /// Residual sd of annual log changes (the pooled median when the state's
    /// own history is too short: `residual_sd_pooled`).
    pub residual_sd: f64,
    pub residual_sd_pooled: bool,
    /// Richardson's reactivity as an elasticity, where it beat persistence on
    /// the years before the cut-off (it then replaces the pooled `kappa`).
    pub richardson_elasticity: Option<f64>,
    /// Out-of-sample skill of Richardson's model against persistence on the
    /// gate's validation years (`None`: not tested).
    pub richardson_validation_skill: Option<f64>,
    pub(crate) obs: Vec<Obs>,
    /// The change into the cut-off year (the first reaction's lag).
    pub(crate) last_change: Option<f64>,
}

/// Fit statistics of a [`Model`].
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostics {
    pub log_likelihood: f64,
    /// Annual changes fitted, and the states they come from.
    pub observations: usize,
    pub states_fitted: usize,
    /// Whether the threat history entered the fit (else `kappa = 0` and `beta`
    /// is its prior).
    pub threat_history: bool,
    /// The information matrix was not positive definite: the standard errors
    /// are from its absolute eigenvalues.
    pub information_regularised: bool,
    /// Forecasts from origins before the cut-off that calibrated the noise
    /// scale: count, and the share of realised values inside the central 50%
    /// and 90% intervals at the calibrated scale.
    pub calibration_forecasts: usize,
    pub calibration_inside_50: Option<f64>,
    pub calibration_inside_90: Option<f64>,
}

/// A fitted spending model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    names: Vec<String>,
    cutoff_year: i32,
    states: Vec<StateModel>,
    point: DrawParams,
    calibration: Vec<CalibratedParam>,
    diagnostics: Diagnostics,
}

impl Model {
    /// The same model with every state's own Richardson elasticity removed,
    /// so reactions follow the draw's `reactivity` alone (at zero, no state
    /// reacts to its rivals): the claims' mechanisms-off check.
    pub fn without_own_elasticities(&self) -> Model {
        let mut m = self.clone();
        for s in &mut m.states {
            s.richardson_elasticity = None;
        }
        m
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
    pub fn n_states(&self) -> usize {
        self.names.len()
    }
    /// The base year of projections: the last year the fit saw.
    pub fn cutoff_year(&self) -> i32 {
        self.cutoff_year
    }
    pub fn states(&self) -> &[StateModel] {
        &self.states
    }
    /// The point estimates (maximum likelihood; the calibrated noise scale).
    pub fn point_params(&self) -> DrawParams {
        self.point
    }
    /// Each parameter's calibrated distribution, in [`DrawParams::NAMES`] order.
    pub fn calibration(&self) -> &[CalibratedParam] {
        &self.calibration
    }
    /// The parameters at quantiles `u` of their calibrated distributions
    /// (independently; `u = 0.5` everywhere gives the medians).
    pub fn params_at(&self, u: [f64; 6]) -> DrawParams {
        let mut v = [0.0; 6];
        for (k, c) in self.calibration.iter().enumerate().take(6) {
            v[k] = c.distribution.quantile(u[k]);
        }
        DrawParams::from_values(v)
    }
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// The model of the states at `idx` only (in that order), with the same
    /// pooled parameters and calibration: a fit on many states projected for
    /// a few. `None` if an index is out of range.
    pub fn select(&self, idx: &[usize]) -> Option<Model> {
        let states: Vec<StateModel> = idx
            .iter()
            .map(|&i| self.states.get(i).cloned())
            .collect::<Option<_>>()?;
        Some(Model {
            names: states.iter().map(|s| s.name.clone()).collect(),
            states,
            ..self.clone()
        })
    }
}
