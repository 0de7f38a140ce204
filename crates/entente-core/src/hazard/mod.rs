//! Dispute hazard: the annual probability that a militarized interstate
//! dispute begins between two states.
//!
//! The model is a logit refit by Entente on the bundled data ([`fit`]):
//! politically relevant, non-directed dyad-years (contiguous, or with a major
//! power) from 1946 to a cut-off year, outcome a COW MID 5.0 onset, with
//! Miller's (2022) "dangerous dyads" specification - land contiguity, the
//! capability ratio, a major power, a defence pact, the weak-link democracy
//! and militarisation, a cubic in peace years - plus a consultation pact and
//! the distance between the two states' UN ideal points as an affinity term
//! ([`model::Regressor`]). [`published`] keeps Miller's own coefficients for
//! comparison; [`backtest`] scores both on held-out years.
//!
//! ```
//! use entente_core::hazard::{model::Model, Covariates};
//! // A model whose only non-zero coefficient is the intercept, logit(0.01).
//! let mut coef = [0.0; entente_core::hazard::model::K];
//! coef[0] = (0.01f64 / 0.99).ln();
//! let m = Model::from_coefficients(coef);
//! let p = m.probability(&Covariates::default());
//! assert!((p - 0.01).abs() < 1e-12);
//! ```

pub mod backtest;
pub mod fit;
pub mod frame;
pub mod joining;
pub mod model;
pub mod published;

use std::collections::HashMap;

use crate::ids::Ccode;
use crate::sources::Contiguity;
use crate::world::{Archive, World};

pub use model::Model;
pub use published::{Coefficients, Moments, Scaling, Term};

/// The regressors of one dyad-year, unscaled. Commitments are strengths in
/// `[0, 1]` (1: the pact as the data code it), so edits can be graded.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Covariates {
    /// Any direct contiguity (land or up to 400 miles of water).
    pub contiguous: bool,
    pub landcontig: bool,
    /// Weaker / stronger capability (CINC).
    pub cincprop: Option<f64>,
    /// Either state a COW major power.
    pub major: bool,
    /// A defence pact between the two (COW's, ATOP's, hand-coded or added).
    pub defence: f64,
    /// A consultation pact without a defence pact (ATOP, hand-coded or added).
    pub consultation: f64,
    /// Weak-link (lower) extended UDS democracy score.
    pub min_democracy: Option<f64>,
    /// Weak-link (lower) military personnel per head of population.
    pub min_militarisation: Option<f64>,
    /// Distance between the two UN ideal points.
    pub ideal_distance: Option<f64>,
    /// Years since the dyad's last dispute.
    pub peace_years: Option<f64>,
}

impl Covariates {
    /// Politically relevant: contiguous, or with a major power.
    pub fn relevant(&self) -> bool {
        self.contiguous || self.major
    }
}

/// Which dyads the model is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relevance {
    /// Only politically relevant dyads (contiguous, or with a major power), the
    /// population the model was estimated on; other dyads get probability 0.
    PoliticallyRelevant,
    /// Every dyad (an extrapolation outside the estimation sample).
    All,
}

/// Settings of the hazard model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HazardConfig {
    pub model: Model,
    pub relevance: Relevance,
}

/// The dyad's regressors in `world`. After NMC's last year, militarisation
/// uses the last NMC year's personnel and population; the capability ratio
/// uses the world's capability estimate.
pub fn covariates(archive: &Archive, world: &World, a: Ccode, b: Ccode) -> Covariates {
    let contiguity = world.contiguity_between(a, b);
    let cap = |c| world.state(c).and_then(|s| s.cinc_est.value);
    let cincprop = match (cap(a), cap(b)) {
        (Some(x), Some(y)) if x.max(y) > 0.0 => Some(x.min(y) / x.max(y)),
        _ => None,
    };
    let year = world.year.min(archive.coverage().nmc_last);
    let milit = |c| archive.nmc_row(c, year).and_then(published::militarisation);
    let both = |x: Option<f64>, y: Option<f64>| Some(x?.min(y?));
    let major = |c| world.state(c).is_some_and(|s| s.major_power);
    let uds = |c| world.state(c).and_then(|s| s.democracy_uds.value);
    let defence = world.defence_between(a, b);
    let consultation = !defence && world.obligations_between(a, b).consultation;
    let flag = |v: bool| if v { 1.0 } else { 0.0 };
    Covariates {
        contiguous: contiguity != Contiguity::None,
        landcontig: contiguity == Contiguity::Land,
        cincprop,
        major: major(a) || major(b),
        defence: flag(defence),
        consultation: flag(consultation),
        min_democracy: both(uds(a), uds(b)),
        min_militarisation: both(milit(a), milit(b)),
        ideal_distance: world.ideal_point_distance(a, b),
        peace_years: world.peace_years(a, b).map(f64::from),
    }
}

/// A dyad's annual dispute probability and the regressors held at the mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Hazard {
    pub probability: f64,
    pub log_odds: f64,
    pub covariates: Covariates,
    pub held_at_mean: Vec<&'static str>,
}

/// The annual probability of a dispute onset for a dyad.
pub fn probability(x: &Covariates, cfg: &HazardConfig) -> Hazard {
    if cfg.relevance == Relevance::PoliticallyRelevant && !x.relevant() {
        return Hazard {
            probability: 0.0,
            log_odds: f64::NEG_INFINITY,
            covariates: *x,
            held_at_mean: Vec::new(),
        };
    }
    let z = cfg.model.log_odds(x);
    Hazard {
        probability: 1.0 / (1.0 + (-z).exp()),
        log_odds: z,
        covariates: *x,
        held_at_mean: model::held_at_mean(x),
    }
}

/// Hazards of every pair of `actors`, keyed by the ordered pair (a < b).
pub fn all_pairs(
    archive: &Archive,
    world: &World,
    actors: &[Ccode],
    cfg: &HazardConfig,
) -> HashMap<(Ccode, Ccode), Hazard> {
    let mut out = HashMap::new();
    for (i, &a) in actors.iter().enumerate() {
        for &b in &actors[i + 1..] {
            let k = if a <= b { (a, b) } else { (b, a) };
            out.insert(k, probability(&covariates(archive, world, a, b), cfg));
        }
    }
    out
}
