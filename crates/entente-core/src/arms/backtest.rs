//! Backtest: fit the Richardson system up to a cut-off year, forecast the
//! rest, and score it against a random-walk persistence forecast.

use nalgebra::DVector;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::estimate::normal;
use super::{
    estimate, ArmsError, EstimationConfig, FittedRichardson, Projection, SpendingPanel,
    ThreatNetwork,
};
use crate::scoring;

/// The naive benchmark: a random walk without drift from the origin level,
/// with the standard deviation of the annual changes over the fit window
/// (so both forecasts are probabilistic). Levels floored at 0.
pub fn persistence_forecast(
    panel: &SpendingPanel,
    cfg: &EstimationConfig,
    horizon: usize,
    draws: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Projection, ArmsError> {
    let from = cfg.fit_from.unwrap_or(panel.first_year());
    panel.check_year(from)?;
    panel.check_year(cfg.fit_until)?;
    if cfg.fit_until - from < 2 {
        return Err(ArmsError::TooFewYears {
            need: 3,
            got: usize::try_from(cfg.fit_until - from + 1).unwrap_or(0),
        });
    }
    let n = panel.n_states();
    let sd: Vec<f64> = (0..n)
        .map(|i| {
            let d: Vec<f64> = (from + 1..=cfg.fit_until)
                .filter_map(|t| Some(panel.level(i, t)? - panel.level(i, t - 1)?))
                .collect();
            let m = d.iter().sum::<f64>() / d.len() as f64;
            (d.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (d.len() - 1) as f64).sqrt()
        })
        .collect();
    let origin = panel
        .levels_in(cfg.fit_until)
        .ok_or(ArmsError::YearOutside {
            year: cfg.fit_until,
            first: panel.first_year(),
            last: panel.last_year(),
        })?;
    let paths = (0..draws)
        .map(|_| {
            let mut x = origin.clone();
            (0..horizon)
                .map(|_| {
                    x = DVector::from_fn(n, |i, _| (x[i] + sd[i] * normal(rng)).max(0.0));
                    x.clone()
                })
                .collect()
        })
        .collect();
    Ok(Projection {
        first_year: cfg.fit_until + 1,
        paths,
    })
}

// ---------------------------------------------------------------------------
// Backtest

/// A backtest: fit up to `estimation.fit_until`, forecast to `until`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BacktestConfig {
    pub estimation: EstimationConfig,
    pub until: i32,
    pub draws: usize,
    pub seed: u64,
}

/// Scores of one state over the forecast years (means over years).
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// MAE of the predictive median.
    pub mae: f64,
    /// MAE of the persistence forecast (the origin level).
    pub mae_persistence: f64,
    pub crps: f64,
    pub crps_persistence: f64,
    /// `1 - crps / crps_persistence` (positive: better than persistence).
    pub skill: f64,
}

/// The backtest's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub fit: FittedRichardson,
    pub years: Vec<i32>,
    /// Per state, in the panel's order.
    pub states: Vec<Score>,
    /// Means of the per-state scores (in the panel's unit, so dominated by the
    /// largest spenders); `skill` from the mean CRPS.
    pub overall: Score,
    /// Mean of the per-state skills (scale-free).
    pub mean_state_skill: f64,
    /// Number of states with positive skill.
    pub states_with_skill: usize,
}

fn skill(crps: f64, crps_persistence: f64) -> f64 {
    if crps_persistence > 0.0 {
        1.0 - crps / crps_persistence
    } else if crps == 0.0 {
        0.0
    } else {
        f64::NEG_INFINITY
    }
}

/// Fit on the years up to the cut-off only, forecast the rest with predictive
/// samples, and score the model and the persistence forecast.
pub fn backtest(
    panel: &SpendingPanel,
    network: &ThreatNetwork,
    cfg: &BacktestConfig,
) -> Result<Backtest, ArmsError> {
    let fit_until = cfg.estimation.fit_until;
    panel.check_year(cfg.until)?;
    if cfg.until <= fit_until {
        return Err(ArmsError::Config(format!(
            "the forecast end {} must come after the fit cut-off {fit_until}",
            cfg.until
        )));
    }
    if cfg.draws < 2 {
        return Err(ArmsError::Config("at least 2 draws are needed".into()));
    }
    // The estimation sees only the years up to the cut-off.
    let truncated = panel.truncated(fit_until);
    let fit = estimate(&truncated, network, &cfg.estimation)?;
    let horizon = usize::try_from(cfg.until - fit_until).unwrap_or(0);
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let model = fit.project(horizon, cfg.draws, &mut rng);
    rng.set_stream(1);
    let naive = persistence_forecast(&truncated, &cfg.estimation, horizon, cfg.draws, &mut rng)?;
    let years: Vec<i32> = (fit_until + 1..=cfg.until).collect();
    let mut states = Vec::with_capacity(panel.n_states());
    for i in 0..panel.n_states() {
        let origin = fit.origin_levels[i];
        let (mut crps, mut crps_p, mut med, mut actual) = (0.0, 0.0, Vec::new(), Vec::new());
        for &y in &years {
            let obs = panel.level(i, y).unwrap_or(f64::NAN);
            let dm = model.draws(i, y);
            let dp = naive.draws(i, y);
            let nonfinite = || ArmsError::NonFinite {
                what: format!("{}'s forecast for {y}", panel.names()[i]),
            };
            crps += scoring::crps_from_samples(&dm, obs, scoring::CrpsEstimator::Empirical)
                .map_err(|_| nonfinite())?;
            crps_p += scoring::crps_from_samples(&dp, obs, scoring::CrpsEstimator::Empirical)
                .map_err(|_| nonfinite())?;
            med.push(scoring::median(&dm).ok_or_else(nonfinite)?);
            actual.push(obs);
        }
        let h = years.len() as f64;
        let (crps, crps_persistence) = (crps / h, crps_p / h);
        let persist = vec![origin; years.len()];
        states.push(Score {
            mae: scoring::mean_absolute_error(&med, &actual).unwrap_or(f64::NAN),
            mae_persistence: scoring::mean_absolute_error(&persist, &actual).unwrap_or(f64::NAN),
            crps,
            crps_persistence,
            skill: skill(crps, crps_persistence),
        });
    }
    let m = states.len().max(1) as f64;
    let mean = |f: fn(&Score) -> f64| states.iter().map(f).sum::<f64>() / m;
    let (crps, crps_persistence) = (mean(|s| s.crps), mean(|s| s.crps_persistence));
    let overall = Score {
        mae: mean(|s| s.mae),
        mae_persistence: mean(|s| s.mae_persistence),
        crps,
        crps_persistence,
        skill: skill(crps, crps_persistence),
    };
    Ok(Backtest {
        fit,
        years,
        mean_state_skill: mean(|s| s.skill),
        states_with_skill: states.iter().filter(|s| s.skill > 0.0).count(),
        states,
        overall,
    })
}

#[cfg(test)]
mod tests {
    use super::super::estimate::tests::simulated_panel;
    use super::*;

    #[test]
    fn projections_are_deterministic_for_a_seed() {
        let (panel, net, _) = simulated_panel(30, 3);
        let cfg = BacktestConfig {
            estimation: EstimationConfig {
                fit_from: None,
                fit_until: 1970,
                break_year: Some(1960),
            },
            until: panel.last_year(),
            draws: 200,
            seed: 11,
        };
        let a = backtest(&panel, &net, &cfg).unwrap();
        let b = backtest(&panel, &net, &cfg).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.years.len(), 9);
        assert!(a.states.iter().all(|s| s.crps.is_finite() && s.crps >= 0.0));
        assert!(a.fit.states[0].break_shift.is_some());
    }

    #[test]
    fn backtest_rejects_bad_windows() {
        let (panel, net, _) = simulated_panel(20, 3);
        let mut cfg = BacktestConfig {
            estimation: EstimationConfig {
                fit_from: None,
                fit_until: 1965,
                break_year: None,
            },
            until: 1990,
            draws: 10,
            seed: 1,
        };
        assert!(matches!(
            backtest(&panel, &net, &cfg),
            Err(ArmsError::YearOutside { year: 1990, .. })
        ));
        cfg.until = 1960;
        assert!(backtest(&panel, &net, &cfg).is_err());
        cfg.until = 1969;
        cfg.estimation.fit_until = 1952;
        assert!(matches!(
            backtest(&panel, &net, &cfg),
            Err(ArmsError::TooFewYears { .. })
        ));
    }
}
