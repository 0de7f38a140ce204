//! Bueno de Mesquita's expected-utility bargaining model, as Scholz et al. (2011) coded it.
//!
//! Actors hold a position on one issue, with a capability and a salience. Each round every
//! actor gets a risk exponent from how exposed its position is, weighs the offers every other
//! actor could make it (confrontation, compromise, capitulation) and all accept their best
//! offer at once. The forecast is the weighted median (and mean) of the positions.
//!
//! The formulas are those of `docs/models.md`, section 5. The public Python code is O(n^6)
//! per round and the issue asked for O(n^3); a round here costs O(n^2 log n) time and O(n^2)
//! memory:
//!
//! - the probability that position a beats b depends only on the two positions, and voter
//!   k's vote for a over b is positive exactly when k is nearer a (its utility is monotone in
//!   distance). With voters sorted by position and prefix sums of `w_k t_k(a)` per position,
//!   each pair's sum of positive votes is a difference of prefix sums;
//! - the Scholz denominator (every voter's |vote| over every ordered pair of actors) is, for
//!   one voter, the sum of pairwise differences of its distance utilities: sorted, that is a
//!   sum over consecutive gaps, O(n) per voter;
//! - expected utilities for every (receiver, proposer) pair then cost O(1) each.
//!
//! Unit tests check both shortcuts against the direct sums of the Scholz code.
//! Results do not depend on the thread count: every sum runs in a fixed order.
//!
//! ```
//! use entente_core::bargaining::{Actor, Config, Model};
//! let actors = vec![
//!     Actor { capability: 100.0, position: 0.0, salience: 0.4 },
//!     Actor { capability: 70.0, position: 25.0, salience: 0.6 },
//!     Actor { capability: 60.0, position: 55.0, salience: 0.75 },
//!     Actor { capability: 20.0, position: 100.0, salience: 0.9 },
//! ];
//! let run = Model::new(actors, Config::default()).unwrap().run();
//! assert_eq!(run.rounds.len(), 10);
//! assert_eq!(run.initial.median, 25.0);
//! ```

mod issue;
mod model;

pub use issue::{forecast, IssueForecast, StakeholderDraw};
pub use model::Step;

/// One bargainer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Actor {
    /// Capability (power it brings to bear), >= 0; only ratios between actors matter.
    pub capability: f64,
    /// Position on the issue.
    pub position: f64,
    /// Salience of the issue to the actor, in [0, 1].
    pub salience: f64,
}

/// Whether the capitulation offer can fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Capitulation {
    /// As in the Scholz code: its test compares `eu_ji` with its own absolute value, so
    /// capitulation never happens.
    #[default]
    AsScholzCode,
    /// The rule as the model states it: capitulate when `0 < eu_ji < |eu_ij|`.
    Fixed,
}

/// The denominator of the probability that one position prevails over another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Denominator {
    /// As in the Scholz code: one constant per round, the sum over all voters and all ordered
    /// pairs of actors of |vote|. Probabilities are then tiny and do not sum to one.
    #[default]
    PerRound,
    /// As the paper prints it: for the pair (i, j), the sum over voters of |vote for i over j|,
    /// so that `P_ij + P_ji = 1` (both 0 if no voter cares).
    PerPair,
}

/// What to do when the positions repeat a previous round's exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnCycle {
    /// Record the cycle and keep going to the round limit (the reference runs do this).
    #[default]
    Continue,
    /// Stop at the round that closes the cycle.
    Stop,
}

/// When a run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopRule {
    /// The largest number of rounds to play.
    pub max_rounds: usize,
    /// Whether a detected cycle ends the run.
    pub on_cycle: OnCycle,
}

impl Default for StopRule {
    fn default() -> Self {
        StopRule {
            max_rounds: 10,
            on_cycle: OnCycle::Continue,
        }
    }
}

/// The model's options. `Config::default()` reproduces the Scholz code over 10 rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Config {
    pub capitulation: Capitulation,
    pub denominator: Denominator,
    pub stop: StopRule,
}

/// Why a model cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BargainingError {
    #[error("bargaining needs at least two actors, got {0}")]
    TooFewActors(usize),
    #[error("actor {actor}: {field} is {value}, not a finite number")]
    NotFinite {
        actor: usize,
        field: &'static str,
        value: f64,
    },
    #[error("actor {actor}: capability {value} is negative")]
    NegativeCapability { actor: usize, value: f64 },
    #[error("actor {actor}: salience {value} is outside [0, 1]")]
    SalienceOutOfRange { actor: usize, value: f64 },
    #[error("every actor has zero capability or zero salience: no one has any weight")]
    NoWeight,
    #[error("all actors hold position {0}: there is nothing to bargain over")]
    NoDisagreement(f64),
}

/// The kind of offer an actor accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfferKind {
    Confrontation,
    Compromise,
    Capitulation,
}

impl OfferKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Confrontation => "confrontation",
            OfferKind::Compromise => "compromise",
            OfferKind::Capitulation => "capitulation",
        }
    }
}

/// The offer an actor accepted in a round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    pub kind: OfferKind,
    /// Index of the actor who made the offer.
    pub proposer: usize,
    /// Position before the round.
    pub from: f64,
    /// Position after the round.
    pub to: f64,
}

/// The forecast read off a set of positions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// The lowest position minimising `sum_k w_k |x_k - x|` (weighted lower median).
    pub median: f64,
    /// `sum w x / sum w`.
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// One round of bargaining.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// 1-based round number.
    pub round: usize,
    /// Risk exponent each actor used in this round, in [0.5, 2].
    pub risk: Vec<f64>,
    /// The offer each actor accepted, if any.
    pub moves: Vec<Option<Move>>,
    /// Positions after the round.
    pub positions: Vec<f64>,
    /// Forecast from the positions after the round.
    pub forecast: Forecast,
}

impl Round {
    /// How many actors accepted an offer.
    pub fn n_moves(&self) -> usize {
        self.moves.iter().filter(|m| m.is_some()).count()
    }
}

/// A cycle: the positions after round `start + period` equal those after round `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cycle {
    /// The round whose positions recur (0 = the input).
    pub start: usize,
    /// Rounds per cycle.
    pub period: usize,
    /// Mean of the per-round medians over one period (rounds `start + 1 ..= start + period`).
    pub median_mean: f64,
    /// Lowest and highest median over the period.
    pub median_min: f64,
    pub median_max: f64,
    /// Mean of the per-round weighted means over one period.
    pub mean_mean: f64,
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StopReason {
    /// `StopRule::max_rounds` rounds were played.
    RoundLimit,
    /// A cycle was detected and `OnCycle::Stop` was asked for.
    Cycle,
    /// All actors hold the same position: nothing is left to bargain over.
    Converged { position: f64 },
    /// All actors are equally exposed (max S = min S), so risk exponents are undefined.
    NoRiskSpread,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Input positions (round 0).
    pub initial_positions: Vec<f64>,
    /// Forecast from the input positions.
    pub initial: Forecast,
    /// Rounds played, in order.
    pub rounds: Vec<Round>,
    /// The first cycle found, if any.
    pub cycle: Option<Cycle>,
    pub stop: StopReason,
}

impl Run {
    /// Positions after the last round played (the input if none was).
    pub fn final_positions(&self) -> &[f64] {
        self.rounds
            .last()
            .map_or(&self.initial_positions, |r| &r.positions)
    }
}

/// A validated bargaining problem, ready to run.
#[derive(Debug, Clone)]
pub struct Model {
    salience: Vec<f64>,
    weight: Vec<f64>,
    initial: Vec<f64>,
    /// max - min of the initial positions, fixed for the run.
    range: f64,
    config: Config,
}

/// Q in the expected utility: the weight of the status quo.
const Q: f64 = 1.0;

/// Below this much work (distinct positions x voters) threads cost more than they save.
const PAR_THRESHOLD: usize = 4096;

/// The lowest position x minimising `sum_k w_k |x_k - x|`: the first position, in increasing
/// order, at which the cumulative weight reaches half the total.
pub fn weighted_median(weights: &[f64], positions: &[f64]) -> f64 {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by(|&a, &b| positions[a].total_cmp(&positions[b]));
    let total: f64 = weights.iter().sum();
    let mut cumulative = 0.0;
    let mut k = 0;
    while k < order.len() {
        let x = positions[order[k]];
        while k < order.len() && positions[order[k]] == x {
            cumulative += weights[order[k]];
            k += 1;
        }
        if 2.0 * cumulative >= total {
            return x;
        }
    }
    order.last().map_or(f64::NAN, |&i| positions[i])
}

/// `sum w x / sum w`.
pub fn weighted_mean(weights: &[f64], positions: &[f64]) -> f64 {
    let num: f64 = weights.iter().zip(positions).map(|(w, x)| w * x).sum();
    let den: f64 = weights.iter().sum();
    num / den
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

fn bits(positions: &[f64]) -> Vec<u64> {
    positions.iter().map(|x| x.to_bits()).collect()
}

fn cycle_summary(rounds: &[Round], start: usize, period: usize) -> Cycle {
    let span = &rounds[start..start + period];
    let medians = span.iter().map(|r| r.forecast.median);
    let k = period as f64;
    Cycle {
        start,
        period,
        median_mean: medians.clone().sum::<f64>() / k,
        median_min: medians.clone().fold(f64::INFINITY, f64::min),
        median_max: medians.fold(f64::NEG_INFINITY, f64::max),
        mean_mean: span.iter().map(|r| r.forecast.mean).sum::<f64>() / k,
    }
}

#[cfg(test)]
mod tests;
