//! Projection of a fitted model: Monte Carlo paths for one draw's parameters,
//! and the analytic moments of the log paths (used by the calibration).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::kalman::{filter, Filtered, Globals};
use super::{check_weights, row_normalise, DrawParams, Model, StateModel};
use crate::arms::ArmsError;

/// What an option changes for the projection: each state's change in threat
/// in each year after the base year (`theta_option(t) - theta_reference`), whom
/// each state reacts to, and any shift in its annual growth.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionInputs {
    /// `delta_theta[k][i]` for year `base + 1 + k`.
    delta_theta: Vec<Vec<f64>>,
    /// Row-normalised, zero diagonal; one matrix for every year, or one per
    /// year after the base year.
    weights: Vec<Vec<Vec<f64>>>,
    /// Added to each state's annual log change (0.01 = about 1% a year); one
    /// row for every year, or one per year after the base year.
    growth_shift: Vec<Vec<f64>>,
}

impl ProjectionInputs {
    /// `delta_theta`: one row per year after the base year (its length is the
    /// horizon), one value per state of the model; `weights`: `n x n`,
    /// non-negative (rows are normalised here; the diagonal is ignored).
    pub fn new(
        model: &Model,
        delta_theta: Vec<Vec<f64>>,
        weights: Vec<Vec<f64>>,
    ) -> Result<ProjectionInputs, ArmsError> {
        let n = model.n_states();
        for (k, row) in delta_theta.iter().enumerate() {
            if row.len() != n {
                return Err(ArmsError::Dimension(format!(
                    "threat changes of year {k}: {} values for {n} states",
                    row.len()
                )));
            }
            if row.iter().any(|v| !v.is_finite() || v.abs() > 1.0) {
                return Err(ArmsError::NonFinite {
                    what: format!("threat changes (probabilities, in [-1, 1]) of year {k}"),
                });
            }
        }
        check_weights(&weights, n, "reaction weights")?;
        Ok(ProjectionInputs {
            delta_theta,
            weights: vec![row_normalise(&weights)],
            growth_shift: vec![vec![0.0; n]],
        })
    }

    /// Reaction weights that change over the horizon (an option's ties
    /// changing in a given year): `weights[k]` for year `base + 1 + k`, one
    /// matrix per year of the horizon.
    pub fn with_weights_by_year(
        mut self,
        weights: Vec<Vec<Vec<f64>>>,
    ) -> Result<ProjectionInputs, ArmsError> {
        if weights.len() != self.horizon() {
            return Err(ArmsError::Dimension(format!(
                "{} years of reaction weights for a horizon of {}",
                weights.len(),
                self.horizon()
            )));
        }
        let n = self.growth_shift[0].len();
        for w in &weights {
            check_weights(w, n, "reaction weights")?;
        }
        self.weights = weights.iter().map(|w| row_normalise(w)).collect();
        Ok(self)
    }

    /// No change in threat over `horizon` years.
    pub fn frozen(
        model: &Model,
        horizon: usize,
        weights: Vec<Vec<f64>>,
    ) -> Result<ProjectionInputs, ArmsError> {
        ProjectionInputs::new(model, vec![vec![0.0; model.n_states()]; horizon], weights)
    }

    /// Shift each state's annual log change (a spending edit of an option).
    pub fn with_growth_shift(self, shift: Vec<f64>) -> Result<ProjectionInputs, ArmsError> {
        let h = self.horizon();
        self.with_growth_shift_by_year(vec![shift; h.max(1)])
    }

    /// Shifts that change over the horizon (a dated spending edit):
    /// `shift[k][i]` for year `base + 1 + k`, one row per year of the horizon.
    pub fn with_growth_shift_by_year(
        mut self,
        shift: Vec<Vec<f64>>,
    ) -> Result<ProjectionInputs, ArmsError> {
        let n = self.growth_shift[0].len();
        if shift.len() != self.horizon().max(1) {
            return Err(ArmsError::Dimension(format!(
                "{} years of growth shifts for a horizon of {}",
                shift.len(),
                self.horizon()
            )));
        }
        for row in &shift {
            if row.len() != n {
                return Err(ArmsError::Dimension(format!(
                    "{} growth shifts for {n} states",
                    row.len()
                )));
            }
            if row.iter().any(|v| !v.is_finite()) {
                return Err(ArmsError::NonFinite {
                    what: "growth shifts".into(),
                });
            }
        }
        self.growth_shift = shift;
        Ok(self)
    }

    pub fn horizon(&self) -> usize {
        self.delta_theta.len()
    }

    fn weights_at(&self, k: usize) -> &[Vec<f64>] {
        &self.weights[k.min(self.weights.len() - 1)]
    }

    fn shift_at(&self, k: usize, i: usize) -> f64 {
        self.growth_shift[k.min(self.growth_shift.len() - 1)][i]
    }
}

/// A standard normal variate (Box-Muller, two uniforms per variate: the
/// stream's use is fixed whatever the values).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

pub(super) fn globals(p: &DrawParams) -> Globals {
    Globals {
        m: p.long_run_growth,
        lambda: p.drift_persistence.clamp(0.0, 0.999),
        tau: p.drift_sd.max(0.0),
        kappa: p.reactivity,
        beta: p.threat_response_pct_per_pp,
    }
}

/// The predicted drift of the year after the cut-off under `g`.
fn start(s: &StateModel, g: &Globals) -> Filtered {
    let kappa = s.richardson_elasticity.unwrap_or(g.kappa);
    filter(&s.obs, g, kappa, s.residual_sd)
}

impl Model {
    /// Spending paths (constant 2023 US$ m), one per state in the model's
    /// order: the base-year level then `inputs.horizon()` projected years
    /// (`None` for states without a base level). The stream is consumed
    /// identically whatever the inputs: every state's noise is drawn every
    /// year, so the options of one draw share their noise.
    pub fn project(
        &self,
        inputs: &ProjectionInputs,
        params: &DrawParams,
        rng: &mut ChaCha8Rng,
    ) -> Vec<Option<Vec<f64>>> {
        let n = self.n_states();
        let g = globals(params);
        let scale = params.noise_scale.max(0.0);
        let q_sd = g.q().max(0.0).sqrt();
        let u0: Vec<f64> = (0..n).map(|_| standard_normal(rng)).collect();
        let mut d = vec![0.0; n];
        let mut y = vec![0.0; n];
        let mut kappa = vec![0.0; n];
        // Last year's change above `m`, the lag the reactions see.
        let mut dev = vec![0.0; n];
        let mut paths: Vec<Option<Vec<f64>>> = vec![None; n];
        for (i, s) in self.states.iter().enumerate() {
            let Some(base) = s.base_level_usd_m else {
                continue;
            };
            let f = start(s, &g);
            d[i] = f.mean + f.var.max(0.0).sqrt() * u0[i];
            y[i] = base.ln();
            kappa[i] = s.richardson_elasticity.unwrap_or(g.kappa);
            dev[i] = s.last_change.map_or(0.0, |c| c - g.m);
            let mut p = Vec::with_capacity(inputs.horizon() + 1);
            p.push(base);
            paths[i] = Some(p);
        }
        let mut next = vec![0.0; n];
        for k in 0..inputs.horizon() {
            let z: Vec<(f64, f64)> = (0..n)
                .map(|_| (standard_normal(rng), standard_normal(rng)))
                .collect();
            for i in 0..n {
                let Some(path) = paths[i].as_mut() else {
                    continue;
                };
                if k > 0 {
                    d[i] = g.m + g.lambda * (d[i] - g.m) + q_sd * z[i].0;
                }
                let react: f64 = inputs.weights_at(k)[i]
                    .iter()
                    .zip(&dev)
                    .map(|(w, v)| w * v)
                    .sum();
                let before = if k > 0 {
                    inputs.delta_theta[k - 1][i]
                } else {
                    0.0
                };
                let change = d[i]
                    + kappa[i] * react
                    + g.beta * (inputs.delta_theta[k][i] - before)
                    + inputs.shift_at(k, i)
                    + scale * self.states[i].residual_sd * z[i].1;
                y[i] += change;
                next[i] = change - g.m;
                path.push(y[i].exp());
            }
            std::mem::swap(&mut dev, &mut next);
        }
        paths
    }
}

/// Analytic moments of each forecastable state's log spending `1..=horizon`
/// years after the cut-off with no threat change: `(mean, var_drift,
/// var_noise)`, the predictive variance being `var_drift + s^2 var_noise`.
/// Reactions enter the mean (through the mean paths of the rivals), not the
/// variance.
pub(super) fn moments(
    states: &[StateModel],
    g: &Globals,
    weights: &[Vec<f64>],
    horizon: usize,
) -> Vec<Option<Vec<(f64, f64, f64)>>> {
    let n = states.len();
    let w = row_normalise(weights);
    let q = g.q().max(0.0);
    let starts: Vec<Option<Filtered>> = states
        .iter()
        .map(|s| s.base_level_usd_m.map(|_| start(s, g)))
        .collect();
    let mut dev: Vec<f64> = states
        .iter()
        .map(|s| {
            s.base_level_usd_m
                .and(s.last_change)
                .map_or(0.0, |c| c - g.m)
        })
        .collect();
    let mut mean: Vec<f64> = states
        .iter()
        .map(|s| s.base_level_usd_m.map_or(0.0, f64::ln))
        .collect();
    let mut out: Vec<Option<Vec<(f64, f64, f64)>>> = starts
        .iter()
        .map(|s| s.map(|_| Vec::with_capacity(horizon)))
        .collect();
    for k in 1..=horizon {
        let mut next = vec![0.0; n];
        for i in 0..n {
            let (Some(f), Some(o)) = (starts[i], out[i].as_mut()) else {
                continue;
            };
            let s = &states[i];
            let kappa = s.richardson_elasticity.unwrap_or(g.kappa);
            let drift = g.m + g.lambda.powi(k as i32 - 1) * (f.mean - g.m);
            let react: f64 = w[i].iter().zip(&dev).map(|(a, b)| a * b).sum();
            let change = drift + kappa * react;
            mean[i] += change;
            next[i] = change - g.m;
            // Sum of the drifts of years 1..=k: A (d_1 - m) + sum_l B_l zeta_l.
            let a: f64 = (0..k).map(|j| g.lambda.powi(j as i32)).sum();
            let b2: f64 = (2..=k)
                .map(|l| {
                    (0..=(k - l))
                        .map(|j| g.lambda.powi(j as i32))
                        .sum::<f64>()
                        .powi(2)
                })
                .sum();
            let var_drift = a * a * f.var + q * b2;
            o.push((mean[i], var_drift, k as f64 * s.residual_sd.powi(2)));
        }
        dev = next;
    }
    out
}
