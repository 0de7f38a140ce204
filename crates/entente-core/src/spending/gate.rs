//! Richardson's gate: the estimated Richardson reactivities are used only for
//! the states where the levels model beat persistence on the years before the
//! cut-off.
//!
//! The states with complete series up to the cut-off are fitted on the years up
//! to `cutoff - v` and forecast the `v` years after ([`crate::arms::backtest`],
//! persistence: a random walk in levels), on the threat network of the year
//! `cutoff - v` (the row-normalised weights of the threat history). A state with
//! positive skill keeps Richardson's reactivity `k_i` of a refit on all years up
//! to the cut-off, as the elasticity it implies at the cut-off's levels: a 1%
//! rise in the weighted rivals' spending `S_i` raises `i`'s next change by
//! `k_i S_i / X_i` %. It replaces the pooled `kappa` for that state.

use nalgebra::DMatrix;

use super::{Panel, RichardsonGate};
use crate::arms::{self, BacktestConfig, EstimationConfig, SpendingPanel, ThreatNetwork};

/// Upper bound of an elasticity taken from Richardson's fit.
const MAX_ELASTICITY: f64 = 0.9;

/// Per state of the panel: the elasticity to use (if the gate passed) and the
/// validation skill (if the state was tested).
pub(super) fn elasticities(
    panel: &Panel,
    cutoff: i32,
    cfg: &RichardsonGate,
) -> Vec<(Option<f64>, Option<f64>)> {
    let n = panel.n_states();
    let mut out = vec![(None, None); n];
    let (Some(th), first) = (panel.threat(), panel.first_year()) else {
        return out;
    };
    let fit_until = cutoff - cfg.validation_years;
    if cfg.validation_years < 1 || fit_until - first < 5 || cfg.draws < 2 {
        return out;
    }
    let complete: Vec<usize> = (0..n)
        .filter(|&i| (first..=cutoff).all(|y| panel.level(i, y).is_some_and(|v| v > 0.0)))
        .collect();
    if complete.len() < 2 {
        return out;
    }
    let levels: Vec<Vec<f64>> = complete
        .iter()
        .map(|&i| {
            (first..=cutoff)
                .map(|y| panel.level(i, y).unwrap_or(0.0))
                .collect()
        })
        .collect();
    let names = complete.iter().map(|&i| panel.names()[i].clone()).collect();
    let Ok(sp) = SpendingPanel::new(names, first, levels) else {
        return out;
    };
    let network = |year: i32| -> Option<ThreatNetwork> {
        let w = th.weights(panel.t(year)?);
        let m = complete.len();
        ThreatNetwork::new(DMatrix::from_fn(m, m, |a, b| {
            if a == b {
                0.0
            } else {
                w[complete[a]][complete[b]]
            }
        }))
        .ok()
    };
    let (Some(net_val), Some(net_cut)) = (network(fit_until), network(cutoff)) else {
        return out;
    };
    let bt = arms::backtest(
        &sp,
        &net_val,
        &BacktestConfig {
            estimation: EstimationConfig {
                fit_from: None,
                fit_until,
                break_year: None,
            },
            until: cutoff,
            draws: cfg.draws,
            seed: cfg.seed,
        },
    );
    let Ok(bt) = bt else { return out };
    let full = arms::estimate(
        &sp,
        &net_cut,
        &EstimationConfig {
            fit_from: None,
            fit_until: cutoff,
            break_year: None,
        },
    );
    for (a, &i) in complete.iter().enumerate() {
        let skill = bt.states[a].skill;
        out[i].1 = skill.is_finite().then_some(skill);
        if skill.is_nan() || skill <= 0.0 {
            continue;
        }
        let Ok(full) = &full else { continue };
        let fit = &full.states[a];
        if fit.reactivity_restricted || fit.reactivity.is_nan() || fit.reactivity <= 0.0 {
            continue;
        }
        let x = full.origin_levels[a];
        let rivals: f64 = (0..complete.len())
            .map(|b| net_cut.weight(a, b) * full.origin_levels[b])
            .sum();
        if x > 0.0 {
            out[i].0 = Some((fit.reactivity * rivals / x).clamp(0.0, MAX_ELASTICITY));
        }
    }
    out
}
