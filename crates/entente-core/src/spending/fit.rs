//! Estimation on the years up to the cut-off: maximum likelihood of the shared
//! parameters through each state's Kalman filter (residual sds profiled out),
//! standard errors from the observed information, and the noise scale
//! calibrated on forecasts from origins before the cut-off.

use super::calibration::{CalibratedParam, TruncatedNormal};
use super::kalman::{filter, profile_sigma, Globals, Obs, SigmaPrior};
use super::optimise::{covariance, hessian, median, nelder_mead};
use super::{gate, inner};
use super::{Diagnostics, DrawParams, Model, Panel, StateModel};
use crate::arms::ArmsError;

/// A normal prior `N(mean, sd^2)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NormalPrior {
    pub mean: f64,
    pub sd: f64,
}

/// How the residual sds of the states are estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoisePooling {
    /// Each state's own maximum-likelihood sd.
    PerState,
    /// Shrunk towards the states' common log-normal law (empirical Bayes: the
    /// mean and sd of the per-state log sds, then a penalised refit).
    Shrunk,
}

/// Where Richardson's levels model may supply a state's reactivity: fitted on
/// the years up to `cutoff - validation_years`, it must beat the persistence
/// forecast (CRPS skill > 0) on the `validation_years` after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RichardsonGate {
    pub validation_years: i32,
    pub draws: usize,
    pub seed: u64,
}

/// The score the noise scale minimises on the forecasts before the cut-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InnerScore {
    /// Negative log predictive density of the log level (sensitive to the
    /// largest errors).
    LogScore,
    /// CRPS of the log level (minimum-CRPS estimation, Gneiting et al. 2005).
    Crps,
}

/// The noise scale's calibration: forecasts from each of the `origins` years
/// before the cut-off (each with its own refit), up to `horizon` years ahead and
/// never past the cut-off, scored by `score`; its sd from `bootstrap` resamples
/// of the states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InnerCalibration {
    pub score: InnerScore,
    pub origins: usize,
    pub horizon: usize,
    pub bootstrap: usize,
    pub seed: u64,
}

/// Settings of [`fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitConfig {
    /// Fewest consecutive annual changes for a state to be fitted on its own.
    pub min_changes: usize,
    pub noise: NoisePooling,
    /// Prior on the threat response in % per percentage point (Nordhaus,
    /// Oneal and Russett 2012: about 3).
    pub threat_prior: NormalPrior,
    pub richardson: Option<RichardsonGate>,
    pub calibration: Option<InnerCalibration>,
}

impl Default for FitConfig {
    fn default() -> Self {
        FitConfig {
            min_changes: 4,
            noise: NoisePooling::PerState,
            threat_prior: NormalPrior { mean: 3.0, sd: 1.0 },
            richardson: Some(RichardsonGate {
                validation_years: 4,
                draws: 500,
                seed: 1,
            }),
            calibration: Some(InnerCalibration {
                score: InnerScore::Crps,
                origins: 6,
                horizon: 8,
                bootstrap: 200,
                seed: 1,
            }),
        }
    }
}

/// What the estimation proper returns (before the noise calibration).
pub(super) struct Core {
    pub globals: Globals,
    pub states: Vec<StateModel>,
    pub log_lik: f64,
    pub observations: usize,
    pub states_fitted: usize,
    pub threat: bool,
    /// Standard errors of `m, lambda, tau, kappa, beta` (natural scale).
    pub se: [f64; 5],
    pub regularised: bool,
}

/// Log level of `state` in `year` if positive.
pub(super) fn log_level(panel: &Panel, state: usize, year: i32) -> Option<f64> {
    panel.level(state, year).filter(|v| *v > 0.0).map(f64::ln)
}

fn change(panel: &Panel, state: usize, year: i32) -> Option<f64> {
    Some(log_level(panel, state, year)? - log_level(panel, state, year - 1)?)
}

/// Each state's observations up to the cut-off: its last run of consecutive
/// positive values ending at or before `cutoff`, and the regressors of each
/// change (which only look at earlier years).
fn build_states(panel: &Panel, cutoff: i32, min_changes: usize) -> Vec<StateModel> {
    let n = panel.n_states();
    let first = panel.first_year();
    (0..n)
        .map(|i| {
            let end = (first..=cutoff)
                .rev()
                .find(|&y| log_level(panel, i, y).is_some());
            let run = end.map(|e| {
                let mut s = e;
                while s > first && log_level(panel, i, s - 1).is_some() {
                    s -= 1;
                }
                (s, e)
            });
            let obs: Vec<Obs> = match run {
                Some((s, e)) if (e - s) as usize >= min_changes => (s + 1..=e)
                    .filter_map(|t| {
                        let g = change(panel, i, t)?;
                        let (mut react_sum, mut react_weight, mut dtheta) = (0.0, 0.0, 0.0);
                        if let Some(th) = panel.threat() {
                            let (tt, tp) = (panel.t(t)?, panel.t(t - 1)?);
                            dtheta = th.theta(tt)[i] - th.theta(tp)[i];
                            for (j, &w) in th.weights(tp)[i].iter().enumerate() {
                                if w > 0.0 {
                                    if let Some(gj) = change(panel, j, t - 1) {
                                        react_sum += w * gj;
                                        react_weight += w;
                                    }
                                }
                            }
                        }
                        Some(Obs {
                            g,
                            react_sum,
                            react_weight,
                            dtheta,
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            };
            StateModel {
                name: panel.names()[i].clone(),
                base_level_usd_m: panel.level(i, cutoff).filter(|v| *v > 0.0),
                fit_years: run.filter(|_| !obs.is_empty()),
                residual_sd: f64::NAN,
                residual_sd_pooled: obs.is_empty(),
                richardson_elasticity: None,
                richardson_validation_skill: None,
                obs,
                last_change: change(panel, i, cutoff),
            }
        })
        .collect()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn to_globals(u: &[f64], threat: bool, prior: NormalPrior) -> Globals {
    Globals {
        m: u[0],
        lambda: logistic(u[1].clamp(-12.0, 12.0)),
        tau: u[2].clamp(-12.0, 2.0).exp(),
        kappa: if threat { u[3] } else { 0.0 },
        beta: if threat { u[4] } else { prior.mean },
    }
}

fn objective(
    states: &[StateModel],
    g: &Globals,
    threat: bool,
    prior: NormalPrior,
    sigma_prior: Option<SigmaPrior>,
) -> f64 {
    let mut f = 0.0;
    for s in states.iter().filter(|s| !s.obs.is_empty()) {
        let kappa = s.richardson_elasticity.unwrap_or(g.kappa);
        f += profile_sigma(&s.obs, g, kappa, sigma_prior).1;
    }
    if threat {
        f += 0.5 * ((g.beta - prior.mean) / prior.sd).powi(2);
    }
    f
}

/// Each fitted state's profiled sd under `g` (NaN for states not fitted).
fn profile_all(states: &[StateModel], g: &Globals, sigma_prior: Option<SigmaPrior>) -> Vec<f64> {
    states
        .iter()
        .map(|s| {
            if s.obs.is_empty() {
                f64::NAN
            } else {
                let kappa = s.richardson_elasticity.unwrap_or(g.kappa);
                profile_sigma(&s.obs, g, kappa, sigma_prior).0
            }
        })
        .collect()
}

/// The objective with every state's sd held at `sigma` (the penalty on the
/// sds is then a constant and left out).
fn objective_fixed(
    states: &[StateModel],
    g: &Globals,
    sigma: &[f64],
    threat: bool,
    prior: NormalPrior,
) -> f64 {
    let mut f = 0.0;
    for (s, &sd) in states.iter().zip(sigma).filter(|(s, _)| !s.obs.is_empty()) {
        let kappa = s.richardson_elasticity.unwrap_or(g.kappa);
        f -= filter(&s.obs, g, kappa, sd).log_lik;
    }
    if threat {
        f += 0.5 * ((g.beta - prior.mean) / prior.sd).powi(2);
    }
    f
}

/// The estimation proper on the years up to `cutoff`, with the reactivities
/// Richardson's gate fixed (`elasticities`, per state).
pub(super) fn fit_core(
    panel: &Panel,
    cutoff: i32,
    cfg: &FitConfig,
    elasticities: &[(Option<f64>, Option<f64>)],
) -> Result<Core, ArmsError> {
    let mut states = build_states(panel, cutoff, cfg.min_changes);
    for (s, &(e, skill)) in states.iter_mut().zip(elasticities) {
        s.richardson_elasticity = e;
        s.richardson_validation_skill = skill;
    }
    let fitted: Vec<usize> = (0..states.len())
        .filter(|&i| !states[i].obs.is_empty())
        .collect();
    let observations: usize = fitted.iter().map(|&i| states[i].obs.len()).sum();
    if fitted.len() < 2 || observations < 12 {
        return Err(ArmsError::TooFewYears {
            need: 2 * (cfg.min_changes + 1),
            got: observations,
        });
    }
    let threat = panel.threat().is_some();
    let prior = cfg.threat_prior;
    let all: Vec<f64> = fitted
        .iter()
        .flat_map(|&i| states[i].obs.iter().map(|o| o.g))
        .collect();
    let m0 = median(all).unwrap_or(0.02);
    let mut x0 = vec![m0, 1.5, 0.03f64.ln()];
    let mut step = vec![0.01, 0.8, 0.4];
    if threat {
        x0.extend([0.1, prior.mean]);
        step.extend([0.1, 0.5 * prior.sd]);
    }
    let mut sigma_prior = None;
    let rounds = if cfg.noise == NoisePooling::Shrunk {
        2
    } else {
        1
    };
    let mut u = x0;
    for round in 0..rounds {
        // Block coordinates: the shared parameters with the sds fixed, then
        // each sd profiled, until the profile objective stops falling (each
        // step lowers the joint objective, so this converges to its optimum).
        let mut sig = profile_all(&states, &to_globals(&u, threat, prior), sigma_prior);
        let mut last = f64::INFINITY;
        let mut scale = 1.0;
        for _ in 0..40 {
            let st = &states;
            let sg = &sig;
            let f =
                |x: &[f64]| objective_fixed(st, &to_globals(x, threat, prior), sg, threat, prior);
            let steps: Vec<f64> = step.iter().map(|s| s * scale).collect();
            u = nelder_mead(&f, &u, &steps, 3000);
            sig = profile_all(&states, &to_globals(&u, threat, prior), sigma_prior);
            let now = objective(
                &states,
                &to_globals(&u, threat, prior),
                threat,
                prior,
                sigma_prior,
            );
            if last - now < 1e-9 * (1.0 + now.abs()) {
                break;
            }
            last = now;
            scale = (scale * 0.5).max(0.05);
        }
        if round + 1 < rounds {
            let g = to_globals(&u, threat, prior);
            let ls: Vec<f64> = fitted
                .iter()
                .map(|&i| {
                    let s = &states[i];
                    let k = s.richardson_elasticity.unwrap_or(g.kappa);
                    profile_sigma(&s.obs, &g, k, None).0.ln()
                })
                .collect();
            let mean = ls.iter().sum::<f64>() / ls.len() as f64;
            let sd = (ls.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (ls.len() - 1) as f64)
                .sqrt()
                .max(0.05);
            sigma_prior = Some(SigmaPrior {
                mean_ln: mean,
                sd_ln: sd,
            });
        }
    }
    let g = to_globals(&u, threat, prior);
    let st = &states;
    let f = |x: &[f64]| {
        objective(
            st,
            &to_globals(x, threat, prior),
            threat,
            prior,
            sigma_prior,
        )
    };
    let (cov, regularised) = covariance(&hessian(&f, &u, 1e-3));
    let sd = |k: usize| cov[(k, k)].max(0.0).sqrt();
    let se = [
        sd(0),
        g.lambda * (1.0 - g.lambda) * sd(1),
        g.tau * sd(2),
        if threat { sd(3) } else { 0.0 },
        if threat { sd(4) } else { prior.sd },
    ];
    let mut log_lik = 0.0;
    let mut sds = Vec::new();
    for &i in &fitted {
        let s = &mut states[i];
        let k = s.richardson_elasticity.unwrap_or(g.kappa);
        let (sigma, _) = profile_sigma(&s.obs, &g, k, sigma_prior);
        log_lik += filter(&s.obs, &g, k, sigma).log_lik;
        s.residual_sd = sigma;
        sds.push(sigma);
    }
    let pooled = median(sds).unwrap_or(0.05);
    for s in states.iter_mut().filter(|s| s.obs.is_empty()) {
        s.residual_sd = pooled;
    }
    Ok(Core {
        globals: g,
        states,
        log_lik,
        observations,
        states_fitted: fitted.len(),
        threat,
        se,
        regularised,
    })
}

/// Estimate the spending model on the years up to `cutoff_year` (inclusive):
/// nothing after it is read.
pub fn fit(panel: &Panel, cutoff_year: i32, cfg: &FitConfig) -> Result<Model, ArmsError> {
    if panel.t(cutoff_year).is_none() {
        return Err(ArmsError::YearOutside {
            year: cutoff_year,
            first: panel.first_year(),
            last: panel.last_year(),
        });
    }
    let n = panel.n_states();
    // The estimation proper and the noise calibration (refits at earlier
    // origins) are independent: run side by side.
    let (core, noise) = rayon::join(
        || {
            let elasticities = match (&cfg.richardson, panel.threat()) {
                (Some(gcfg), Some(_)) => gate::elasticities(panel, cutoff_year, gcfg),
                _ => vec![(None, None); n],
            };
            fit_core(panel, cutoff_year, cfg, &elasticities)
        },
        || match &cfg.calibration {
            Some(ic) => inner::calibrate_scale(panel, cutoff_year, cfg, ic),
            None => inner::NoiseScale::assumed(0),
        },
    );
    let core = core?;
    let (scale, scale_sd, basis_scale) = (noise.scale, noise.sd, noise.basis.clone());
    let g = core.globals;
    let point = DrawParams {
        long_run_growth: g.m,
        drift_persistence: g.lambda,
        drift_sd: g.tau,
        // The calibrated distributions are truncated (reactions and threat
        // responses are not negative): so are the point values.
        reactivity: g.kappa.clamp(0.0, 0.9),
        threat_response_pct_per_pp: g.beta.clamp(0.0, 10.0),
        noise_scale: scale,
    };
    let first = panel.first_year();
    let ml = format!(
        "maximum likelihood (Kalman filter per state, residual sds profiled out) on {} annual changes of {} states, {first}-{cutoff_year}; sd from the observed information",
        core.observations, core.states_fitted
    );
    let tn = |mean: f64, sd: f64, lo: f64, hi: f64| TruncatedNormal { mean, sd, lo, hi };
    let se = core.se;
    let prior = cfg.threat_prior;
    let calibration = vec![
        CalibratedParam {
            name: DrawParams::NAMES[0],
            description: "long-run annual log growth every state's drift reverts to",
            unit: "log change per year",
            estimate: g.m,
            distribution: tn(g.m, se[0], -0.1, 0.2),
            basis: ml.clone(),
        },
        CalibratedParam {
            name: DrawParams::NAMES[1],
            description: "share of a drift's deviation from the long-run growth left after a year",
            unit: "per year",
            estimate: g.lambda,
            distribution: tn(g.lambda, se[1], 0.0, 0.999),
            basis: ml.clone(),
        },
        CalibratedParam {
            name: DrawParams::NAMES[2],
            description: "sd of the states' drifts around the long-run growth",
            unit: "log change per year",
            estimate: g.tau,
            distribution: tn(g.tau, se[2], 0.001, 0.3),
            basis: ml.clone(),
        },
        CalibratedParam {
            name: DrawParams::NAMES[3],
            description:
                "elasticity of a state's annual change to its rivals' change of the year before",
            unit: "1",
            estimate: g.kappa,
            distribution: tn(g.kappa, se[3], 0.0, 0.9),
            basis: if core.threat {
                ml.clone()
            } else {
                "fixed at 0: no threat history to weight the rivals".to_string()
            },
        },
        CalibratedParam {
            name: DrawParams::NAMES[4],
            description: "% change in spending per percentage point of threat",
            unit: "% per percentage point",
            estimate: g.beta,
            distribution: tn(g.beta, se[4], 0.0, 10.0),
            basis: if core.threat {
                format!(
                    "posterior mode: the likelihood above with the prior N({}, {}) (Nordhaus, Oneal and Russett 2012)",
                    prior.mean, prior.sd
                )
            } else {
                format!(
                    "the prior N({}, {}) (Nordhaus, Oneal and Russett 2012): no threat history",
                    prior.mean, prior.sd
                )
            },
        },
        CalibratedParam {
            name: DrawParams::NAMES[5],
            description: "multiplier of each state's fitted residual sd",
            unit: "1",
            estimate: scale,
            distribution: tn(scale, scale_sd, 0.5, 3.0),
            basis: basis_scale,
        },
    ];
    Ok(Model {
        names: panel.names().to_vec(),
        cutoff_year,
        states: core.states,
        point,
        calibration,
        diagnostics: Diagnostics {
            log_likelihood: core.log_lik,
            observations: core.observations,
            states_fitted: core.states_fitted,
            threat_history: core.threat,
            information_regularised: core.regularised,
            calibration_forecasts: noise.forecasts,
            calibration_inside_50: noise.inside_50,
            calibration_inside_90: noise.inside_90,
        },
    })
}
