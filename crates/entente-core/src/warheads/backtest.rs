//! The warhead model faces the years it did not see: fitted on the history
//! up to a cut-off, it forecasts each nuclear state's stockpile for every
//! later year with FAS data, with threat held at the cut-off (as the
//! status-quo option holds it), and the forecasts are scored with CRPS
//! against persistence (the stockpile stays at its cut-off value).
//!
//! Scores are in `ln(1 + stockpile)`, so a miss of 10% counts the same for
//! North Korea and for the USA; CRPS in warheads is reported beside them.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{fit_panel, history, FitConfig, Model, WarheadError};
use crate::ids::Ccode;
use crate::scoring::{crps_from_samples, CrpsEstimator};
use crate::threat::ThreatConfig;
use crate::world::{Archive, Source, World};

/// What a backtest fits and scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BacktestConfig {
    /// Last year of the fit.
    pub fit_until: i32,
    /// Last year scored.
    pub until: i32,
    /// Forecast draws per state.
    pub draws: usize,
    pub seed: u64,
}

/// One held-out state-year.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub state: String,
    pub year: i32,
    /// Stockpile at the cut-off (the persistence forecast).
    pub origin: f64,
    pub realised: f64,
    pub median: f64,
    /// 5% and 95% points of the forecast draws.
    pub lo: f64,
    pub hi: f64,
    pub crps_log: f64,
    pub persistence_crps_log: f64,
    pub crps: f64,
    pub persistence_crps: f64,
}

/// A backtest's fit, rows and overall scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub model: Model,
    pub rows: Vec<Row>,
}

impl Backtest {
    fn mean(&self, f: impl Fn(&Row) -> f64) -> f64 {
        self.rows.iter().map(f).sum::<f64>() / self.rows.len().max(1) as f64
    }
    /// Mean CRPS in logs, the model's and persistence's.
    pub fn crps_log(&self) -> (f64, f64) {
        (
            self.mean(|r| r.crps_log),
            self.mean(|r| r.persistence_crps_log),
        )
    }
    /// Mean CRPS in warheads.
    pub fn crps(&self) -> (f64, f64) {
        (self.mean(|r| r.crps), self.mean(|r| r.persistence_crps))
    }
    /// `1 - CRPS / CRPS of persistence`, in logs: above 0 beats persistence.
    pub fn skill(&self) -> f64 {
        let (m, p) = self.crps_log();
        1.0 - m / p
    }
    /// Share of realised values inside the 90% interval.
    pub fn coverage90(&self) -> f64 {
        self.mean(|r| f64::from(u8::from(r.realised >= r.lo && r.realised <= r.hi)))
    }
    /// The rows of one state.
    pub fn state(&self, name: &str) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.state == name).collect()
    }
}

/// Fit on the history of the nuclear states among `actors` up to
/// `cfg.fit_until` and score every later year to `cfg.until`.
pub fn backtest(
    archive: &Archive,
    actors: &[Ccode],
    threat_cfg: &ThreatConfig,
    cfg: BacktestConfig,
) -> Result<Backtest, WarheadError> {
    if cfg.until <= cfg.fit_until {
        return Err(WarheadError::Shape(format!(
            "the last year scored ({}) must come after the cut-off ({})",
            cfg.until, cfg.fit_until
        )));
    }
    if cfg.draws < 2 {
        return Err(WarheadError::Shape(format!(
            "a backtest needs at least 2 forecast draws, not {}",
            cfg.draws
        )));
    }
    let (codes, h) = history(archive, actors, cfg.fit_until, threat_cfg)?;
    let model = fit_panel(
        &h,
        &FitConfig {
            until: cfg.fit_until,
            ..FitConfig::default()
        },
    )?;
    // The realised values, read only now and only for scoring.
    let later: Vec<World> = (cfg.fit_until + 1..=cfg.until)
        .map(|y| World::for_year(archive, y))
        .collect::<Result<_, _>>()?;
    let horizon = later.len();
    let (beta, beta_se) = model.beta();
    let mut rows = Vec::new();
    for (i, &c) in codes.iter().enumerate() {
        let Some(origin) = h.log_stock(i, cfg.fit_until).map(f64::exp_m1) else {
            continue;
        };
        if origin <= 0.0 {
            continue;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        rng.set_stream(i as u64);
        let flat = vec![0.0; horizon + 1];
        let paths: Vec<Vec<f64>> = (0..cfg.draws)
            .map(|_| {
                let z: f64 = StandardNormal.sample(&mut rng);
                let d = model.draw(beta + beta_se * z, &mut rng);
                let noise: Vec<f64> = (0..horizon)
                    .map(|_| StandardNormal.sample(&mut rng))
                    .collect();
                model.path(&d, i, origin, &flat, &noise)
            })
            .collect();
        for (t, w) in later.iter().enumerate() {
            let Some(realised) = w
                .state(c)
                .map(|s| s.nuclear_warheads)
                .filter(|v| v.source == Source::Fas)
                .and_then(|v| v.value)
            else {
                continue;
            };
            let mut s: Vec<f64> = paths.iter().map(|p| p[t]).collect();
            s.sort_by(f64::total_cmp);
            let logs: Vec<f64> = s.iter().map(|v| v.ln_1p()).collect();
            let q = |p: f64| s[((s.len() - 1) as f64 * p).round() as usize];
            let score = |v: &[f64], y: f64| {
                crps_from_samples(v, y, CrpsEstimator::Fair).unwrap_or(f64::NAN)
            };
            rows.push(Row {
                state: model.names[i].clone(),
                year: w.year,
                origin,
                realised,
                median: q(0.5),
                lo: q(0.05),
                hi: q(0.95),
                crps_log: score(&logs, realised.ln_1p()),
                persistence_crps_log: (origin.ln_1p() - realised.ln_1p()).abs(),
                crps: score(&s, realised),
                persistence_crps: (origin - realised).abs(),
            });
        }
    }
    if rows.is_empty() {
        return Err(WarheadError::Shape(format!(
            "no nuclear state among the actors has FAS estimates in {}-{}",
            cfg.fit_until + 1,
            cfg.until
        )));
    }
    Ok(Backtest { model, rows })
}
