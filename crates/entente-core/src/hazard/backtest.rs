//! Scoring the dispute-onset model like a forecaster: fit on the years up to
//! a cut-off, forecast each held-out dyad-year's onset, and score the
//! forecasts against the fit sample's base rate and Miller's (2022) published
//! coefficients on the same rows.
//!
//! Forecasts are annual and use each held-out year's observed covariates
//! (capabilities, alliances, democracy, ideal points) and peace years counted
//! from the disputes before that year: one-year-ahead forecasts with known
//! covariates, the standard design of this literature. No coefficient, scaling
//! moment or base rate uses a year after the cut-off. Miller's coefficients
//! were estimated on 1816-2010, so on held-out years up to 2010 they are not
//! out of sample: a reference, not a rival.

use super::fit::{self, FitConfig, FitError, Fitted};
use super::frame;
use super::published::{self, Coefficients, Scaling};
use crate::scoring;
use crate::world::Archive;

/// What to backtest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BacktestConfig {
    pub fit_until: i32,
    /// The last held-out year.
    pub until: i32,
    /// Bins of the reliability table (by quantile of the forecast).
    pub bins: usize,
}

/// Proper scores of one set of forecasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub brier: f64,
    /// Mean log probability of the outcome (higher is better).
    pub log_score: f64,
    pub auroc: f64,
}

/// One bin of a reliability table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    pub n: u64,
    pub mean_forecast: f64,
    pub observed: f64,
    /// 95% Wilson interval of the observed rate.
    pub observed_lo: f64,
    pub observed_hi: f64,
}

/// A backtest's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub config: BacktestConfig,
    pub fitted: Fitted,
    /// Held-out dyad-years and onsets among them.
    pub rows: u64,
    pub onsets: u64,
    /// The fit sample's onset rate: the baseline forecast.
    pub base_rate: f64,
    pub model: Scores,
    pub base: Scores,
    pub published: Scores,
    pub reliability: Vec<Bin>,
    pub published_reliability: Vec<Bin>,
}

impl Backtest {
    /// `1 - Brier / Brier(base rate)`: above 0 beats the base rate.
    pub fn brier_skill(&self) -> f64 {
        1.0 - self.model.brier / self.base.brier
    }
    pub fn published_brier_skill(&self) -> f64 {
        1.0 - self.published.brier / self.base.brier
    }
}

fn scores(p: &[f64], y: &[bool]) -> Result<Scores, scoring::ScoringError> {
    Ok(Scores {
        brier: scoring::brier_score(p, y)?,
        log_score: scoring::log_score(p, y)?,
        auroc: scoring::auroc(p, y)?,
    })
}

/// A reliability table: forecasts sorted and cut into `bins` of equal count.
pub fn reliability(p: &[f64], y: &[bool], bins: usize) -> Vec<Bin> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let bins = bins.clamp(1, p.len().max(1));
    (0..bins)
        .filter_map(|k| {
            let (lo, hi) = (k * p.len() / bins, (k + 1) * p.len() / bins);
            let ix = &order[lo..hi];
            let n = ix.len() as u64;
            let events = ix.iter().filter(|&&i| y[i]).count() as u64;
            let w = scoring::wilson_interval(events, n, 0.95).ok()?;
            Some(Bin {
                n,
                mean_forecast: ix.iter().map(|&i| p[i]).sum::<f64>() / n as f64,
                observed: w.estimate,
                observed_lo: w.lower,
                observed_hi: w.upper,
            })
        })
        .collect()
}

/// Why a backtest failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BacktestError {
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("--until {until} must be after --fit-until {fit_until}")]
    Years { fit_until: i32, until: i32 },
    #[error("held-out years {0}-{1}: {2}")]
    Scores(i32, i32, #[source] scoring::ScoringError),
}

/// Fit up to `cfg.fit_until` and score the years after it up to `cfg.until`.
pub fn backtest(
    archive: &Archive,
    miller: &Coefficients,
    cfg: BacktestConfig,
) -> Result<Backtest, BacktestError> {
    if cfg.until <= cfg.fit_until {
        return Err(BacktestError::Years {
            fit_until: cfg.fit_until,
            until: cfg.until,
        });
    }
    let fitted = fit::fit(archive, FitConfig::until(cfg.fit_until))?;
    let held = frame::build(archive, cfg.fit_until + 1, cfg.until).map_err(FitError::from)?;
    let m = &fitted.model;
    let base_rate = m.info.onsets as f64 / m.info.dyad_years as f64;
    // The published model's own scaling: 1816-2010, as Miller estimated it.
    let s = Scaling::from_archive(
        archive,
        archive.coverage().first_year,
        2010.min(archive.coverage().nmc_last),
    );
    let y: Vec<bool> = held.rows.iter().map(|r| r.onset).collect();
    let p: Vec<f64> = held.rows.iter().map(|r| m.probability(&r.x)).collect();
    let q: Vec<f64> = held
        .rows
        .iter()
        .map(|r| published::probability(miller, &s, &r.x))
        .collect();
    let b = vec![base_rate; y.len()];
    let err = |e| BacktestError::Scores(cfg.fit_until + 1, cfg.until, e);
    Ok(Backtest {
        config: cfg,
        rows: y.len() as u64,
        onsets: y.iter().filter(|v| **v).count() as u64,
        base_rate,
        model: scores(&p, &y).map_err(err)?,
        base: scores(&b, &y).map_err(err)?,
        published: scores(&q, &y).map_err(err)?,
        reliability: reliability(&p, &y, cfg.bins),
        published_reliability: reliability(&q, &y, cfg.bins),
        fitted,
    })
}
