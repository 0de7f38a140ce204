//! Backtest of the spending model in a frozen world: fit on the years up to a
//! cut-off, project with parameters drawn from their calibrated distributions
//! and no change in threat, score the projections on the years after.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{fit, FitConfig, Model, Panel, ProjectionInputs};
use crate::arms::ArmsError;
use crate::scoring::{score_hindcast, HindcastScores, HindcastSeries};

/// What to backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestSpec {
    pub cutoff_year: i32,
    /// Last year forecast and scored.
    pub until: i32,
    pub draws: usize,
    pub seed: u64,
    /// The states scored (indices into the panel); all are fitted.
    pub scored: Vec<usize>,
}

/// The fitted model and the scores of its projections.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub model: Model,
    pub scores: HindcastScores,
    /// `draws[state][k][draw]` for the scored states, year `cutoff + 1 + k`.
    pub draws: Vec<Vec<Vec<f64>>>,
}

/// Spending draws of every state: draw `d` takes its parameters from quantiles
/// drawn on stream `2d + 1` and its noise from stream `2d` of `seed`.
/// `draws[state]` is `None` for states without a base level, else
/// `[k][draw]` for years `cutoff + 1 ..= cutoff + horizon`.
pub fn draw_paths(
    model: &Model,
    inputs: &ProjectionInputs,
    draws: usize,
    seed: u64,
) -> Vec<Option<Vec<Vec<f64>>>> {
    let n = model.n_states();
    let h = inputs.horizon();
    let mut out: Vec<Option<Vec<Vec<f64>>>> = model
        .states()
        .iter()
        .map(|s| {
            s.base_level_usd_m
                .map(|_| vec![Vec::with_capacity(draws); h])
        })
        .collect();
    for d in 0..draws as u64 {
        let mut urng = ChaCha8Rng::seed_from_u64(seed);
        urng.set_stream(2 * d + 1);
        let u: [f64; 6] = std::array::from_fn(|_| urng.random::<f64>());
        let params = model.params_at(u);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(2 * d);
        let paths = model.project(inputs, &params, &mut rng);
        for i in 0..n {
            if let (Some(o), Some(p)) = (out[i].as_mut(), &paths[i]) {
                for k in 0..h {
                    o[k].push(p[k + 1]);
                }
            }
        }
    }
    out
}

/// Fit on the years up to `spec.cutoff_year`, project to `spec.until` with the
/// threat weights of the cut-off year and no change in threat, and score.
pub fn backtest(
    panel: &Panel,
    spec: &BacktestSpec,
    cfg: &FitConfig,
) -> Result<Backtest, ArmsError> {
    if spec.until <= spec.cutoff_year || spec.until > panel.last_year() {
        return Err(ArmsError::Config(format!(
            "the forecast end {} must come after the cut-off {} and within the data (to {})",
            spec.until,
            spec.cutoff_year,
            panel.last_year()
        )));
    }
    if spec.draws < 2 {
        return Err(ArmsError::Config("at least 2 draws are needed".into()));
    }
    if let Some(&bad) = spec.scored.iter().find(|&&i| i >= panel.n_states()) {
        return Err(ArmsError::Dimension(format!(
            "scored state {bad} of a panel of {}",
            panel.n_states()
        )));
    }
    let model = fit(panel, spec.cutoff_year, cfg)?;
    let n = panel.n_states();
    let weights = panel
        .threat()
        .and_then(|th| panel.t(spec.cutoff_year).map(|t| th.weights(t).to_vec()))
        .unwrap_or_else(|| vec![vec![0.0; n]; n]);
    let horizon = (spec.until - spec.cutoff_year) as usize;
    let inputs = ProjectionInputs::frozen(&model, horizon, weights)?;
    let all = draw_paths(&model, &inputs, spec.draws, spec.seed);
    let years: Vec<i32> = (spec.cutoff_year + 1..=spec.until).collect();
    let mut kept = Vec::new();
    let mut owned = Vec::new();
    for &i in &spec.scored {
        let Some(d) = &all[i] else { continue };
        kept.push(d.clone());
        owned.push((
            i,
            panel.history(i, spec.cutoff_year),
            years.iter().map(|&y| panel.level(i, y)).collect::<Vec<_>>(),
        ));
    }
    let series: Vec<HindcastSeries> = owned
        .iter()
        .zip(&kept)
        .map(|((i, hist, real), d)| HindcastSeries {
            name: &panel.names()[*i],
            history: hist,
            draws: d,
            realised: real,
        })
        .collect();
    let scores = score_hindcast(spec.cutoff_year, &series)?;
    Ok(Backtest {
        model,
        scores,
        draws: kept,
    })
}
