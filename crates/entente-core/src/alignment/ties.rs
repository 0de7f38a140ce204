//! Forecasts of new ties: the probability that a pair of states without a
//! defence or consultation tie forms one within a horizon, a logit on what
//! the landscape says of the pair at the base year (same observed side, the
//! pull of the estimated propensity weights without the tie terms, shared
//! threat, UN vote distance, contiguity), fitted on the ties that did form.

use super::logit::{self, Choice, LogitError};
use super::propensity::{Features, Weights};

/// Number of terms of the tie-formation logit.
pub const TERMS: usize = 7;

/// The terms' names, in order.
pub const TERM_NAMES: [&str; TERMS] = [
    "constant",
    "same_side",
    "pull",
    "shared_threat",
    "unga_distance",
    "unga_missing",
    "contiguous",
];

/// The pull of the propensity weights on a pair, without its tie terms
/// (defence, consultation, non-aggression: the outcome and what comes with it).
pub fn pull(f: &Features, w: &Weights) -> f64 {
    let mut g = *f;
    for k in [1, 2, 3] {
        g[k] = 0.0;
    }
    w.propensity(&g)
}

/// A pair's terms.
pub fn terms(f: &Features, w: &Weights, same_side: bool, contiguous: bool) -> [f64; TERMS] {
    [
        1.0,
        f64::from(u8::from(same_side)),
        pull(f, w),
        f[7],
        f[5],
        f[6],
        f64::from(u8::from(contiguous)),
    ]
}

/// One pair in one base year: its terms and whether it formed a tie within the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub year: i32,
    /// The pair, for clustering (the same pair over years is one cluster).
    pub pair: (u16, u16),
    pub terms: [f64; TERMS],
    pub formed: bool,
}

/// The fitted tie-formation model.
#[derive(Debug, Clone, PartialEq)]
pub struct TieModel {
    pub logit: logit::Fit,
    pub horizon_years: u32,
    /// First and last base year of the sample.
    pub base_years: (i32, i32),
    /// The sample's share of pairs that formed a tie.
    pub base_rate: f64,
    pub rows: usize,
}

/// Fit on `rows` (base years up to the cut-off less the horizon).
pub fn fit(rows: &[Row], horizon_years: u32) -> Result<TieModel, LogitError> {
    let mut clusters = std::collections::BTreeMap::new();
    let choices: Vec<Choice> = rows
        .iter()
        .map(|r| {
            let n = clusters.len();
            let cluster = *clusters.entry(r.pair).or_insert(n);
            Choice {
                alternatives: vec![vec![0.0; TERMS], r.terms.to_vec()],
                chosen: usize::from(r.formed),
                cluster,
            }
        })
        .collect();
    let f = logit::fit(&choices, super::fit::RIDGE_SD)?;
    Ok(TieModel {
        logit: f,
        horizon_years,
        base_years: (
            rows.iter().map(|r| r.year).min().unwrap_or(0),
            rows.iter().map(|r| r.year).max().unwrap_or(0),
        ),
        base_rate: rows.iter().filter(|r| r.formed).count() as f64 / rows.len().max(1) as f64,
        rows: rows.len(),
    })
}

impl TieModel {
    /// The probability that a pair with `terms` forms a tie within the horizon.
    pub fn probability(&self, terms: &[f64; TERMS]) -> f64 {
        let z: f64 = terms.iter().zip(&self.logit.coef).map(|(a, b)| a * b).sum();
        1.0 / (1.0 + (-z).exp())
    }
}
