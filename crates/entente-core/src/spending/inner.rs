//! The noise scale's calibration: forecasts from origins before the cut-off,
//! each fitted on its own years, scored on the years up to the cut-off.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::fit::{fit_core, log_level, FitConfig, InnerCalibration, InnerScore};
use super::project::moments;
use super::Panel;
use crate::scoring::crps_normal;

/// The calibrated noise scale, its sd, and the checks of the calibration.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NoiseScale {
    pub scale: f64,
    pub sd: f64,
    pub basis: String,
    pub forecasts: usize,
    pub inside_50: Option<f64>,
    pub inside_90: Option<f64>,
}

impl NoiseScale {
    /// Too few forecasts before the cut-off: an assumption, said as such.
    pub fn assumed(forecasts: usize) -> NoiseScale {
        NoiseScale {
            scale: 1.0,
            sd: 0.25,
            basis: "assumed N(1, 0.25): no origin before the cut-off leaves enough years to calibrate it"
                .into(),
            forecasts,
            inside_50: None,
            inside_90: None,
        }
    }
}

/// One forecast from an origin before the cut-off, for the noise calibration.
#[derive(Debug, Clone, Copy)]
struct InnerForecast {
    state: usize,
    mean: f64,
    var_drift: f64,
    var_noise: f64,
    realised: f64,
}

/// Noise scales tried: log-spaced over `[0.3, 5]`.
const SCALE_GRID: usize = 113;

fn grid_scale(k: f64) -> f64 {
    let (lo, hi) = (0.3f64.ln(), 5.0f64.ln());
    (lo + (hi - lo) * k / (SCALE_GRID - 1) as f64).exp()
}

/// Per state, the total score (lower is better) of its forecasts at each
/// scale of the grid.
fn score_curves(fc: &[InnerForecast], n_states: usize, score: InnerScore) -> Vec<Vec<f64>> {
    let mut curves = vec![vec![0.0; SCALE_GRID]; n_states];
    for f in fc {
        for (k, c) in curves[f.state].iter_mut().enumerate() {
            let s = grid_scale(k as f64);
            let v = f.var_drift + s * s * f.var_noise;
            *c += match score {
                InnerScore::LogScore => 0.5 * (v.ln() + (f.realised - f.mean).powi(2) / v),
                InnerScore::Crps => crps_normal(f.mean, v.sqrt(), f.realised).unwrap_or(1e300),
            };
        }
    }
    curves
}

/// The scale minimising a total curve: the grid's minimum refined by the
/// parabola through it and its neighbours (in `ln s`).
fn argmin_scale(total: &[f64]) -> f64 {
    let k = (0..total.len())
        .min_by(|&a, &b| total[a].total_cmp(&total[b]))
        .unwrap_or(0);
    if k == 0 || k + 1 == total.len() {
        return grid_scale(k as f64);
    }
    let (a, b, c) = (total[k - 1], total[k], total[k + 1]);
    let den = a - 2.0 * b + c;
    let off = if den > 0.0 { 0.5 * (a - c) / den } else { 0.0 };
    grid_scale(k as f64 + off.clamp(-0.5, 0.5))
}

/// Forecasts from origins before the cut-off, each fitted on its own years.
fn inner_forecasts(
    panel: &Panel,
    cutoff: i32,
    cfg: &FitConfig,
    ic: &InnerCalibration,
) -> Vec<InnerForecast> {
    let inner_cfg = FitConfig {
        richardson: None,
        calibration: None,
        ..*cfg
    };
    let none = vec![(None, None); panel.n_states()];
    // The origins are independent: fitted in parallel, collected in order.
    let per_origin: Vec<Vec<InnerForecast>> = (1..=ic.origins as i32)
        .into_par_iter()
        .map(|o| {
            let origin = cutoff - o;
            let mut out = Vec::new();
            let Ok(core) = fit_core(panel, origin, &inner_cfg, &none) else {
                return out;
            };
            let horizon = (ic.horizon as i32).min(cutoff - origin) as usize;
            let weights = panel
                .threat()
                .and_then(|th| panel.t(origin).map(|t| th.weights(t).to_vec()))
                .unwrap_or_else(|| vec![vec![0.0; panel.n_states()]; panel.n_states()]);
            let m = moments(&core.states, &core.globals, &weights, horizon);
            for (i, path) in m.iter().enumerate() {
                let Some(path) = path else { continue };
                for (k, &(mean, var_drift, var_noise)) in path.iter().enumerate() {
                    if let Some(y) = log_level(panel, i, origin + 1 + k as i32) {
                        out.push(InnerForecast {
                            state: i,
                            mean,
                            var_drift,
                            var_noise,
                            realised: y,
                        });
                    }
                }
            }
            out
        })
        .collect();
    per_origin.into_iter().flatten().collect()
}

/// Calibrate the noise scale on forecasts from origins before `cutoff`.
pub(super) fn calibrate_scale(
    panel: &Panel,
    cutoff: i32,
    cfg: &FitConfig,
    ic: &InnerCalibration,
) -> NoiseScale {
    let fc = inner_forecasts(panel, cutoff, cfg, ic);
    let count = fc.len();
    if count < 20 {
        return NoiseScale::assumed(count);
    }
    let curves = score_curves(&fc, panel.n_states(), ic.score);
    let sum = |states: &mut dyn Iterator<Item = usize>| -> Vec<f64> {
        let mut t = vec![0.0; SCALE_GRID];
        for i in states {
            for (x, c) in t.iter_mut().zip(&curves[i]) {
                *x += c;
            }
        }
        t
    };
    let scale = argmin_scale(&sum(&mut (0..panel.n_states())));
    // Resample states (their forecasts are correlated across origins and
    // horizons), not single forecasts.
    let states: Vec<usize> = (0..panel.n_states())
        .filter(|&i| fc.iter().any(|f| f.state == i))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(ic.seed);
    let boot: Vec<f64> = (0..ic.bootstrap)
        .map(|_| {
            let draw: Vec<usize> = (0..states.len())
                .map(|_| states[rng.random_range(0..states.len())])
                .collect();
            argmin_scale(&sum(&mut draw.into_iter()))
        })
        .collect();
    let sd = if boot.len() >= 2 {
        let mb = boot.iter().sum::<f64>() / boot.len() as f64;
        (boot.iter().map(|b| (b - mb).powi(2)).sum::<f64>() / (boot.len() - 1) as f64).sqrt()
    } else {
        0.25
    };
    let within = |z: f64| {
        fc.iter()
            .filter(|f| {
                let sd = (f.var_drift + scale * scale * f.var_noise).sqrt();
                (f.realised - f.mean).abs() <= z * sd
            })
            .count() as f64
            / count as f64
    };
    NoiseScale {
        scale,
        sd,
        basis: format!(
            "{} of {count} forecasts (1-{} years ahead) from the {} origins before the cut-off, each refitted on its own years; sd from {} bootstrap resamples of the states",
            match ic.score {
                InnerScore::LogScore => "log score",
                InnerScore::Crps => "minimum CRPS (of log spending)",
            },
            ic.horizon,
            ic.origins,
            ic.bootstrap
        ),
        forecasts: count,
        inside_50: Some(within(0.674_489_750_196_081_7)),
        inside_90: Some(within(1.644_853_626_951_472_2)),
    }
}
