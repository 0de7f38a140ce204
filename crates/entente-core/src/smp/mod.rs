//! KTAB's spatial model of politics (SMP): multi-dimensional bargaining.
//!
//! Actors hold positions on several issue dimensions (0-1 scale), each with a
//! capability and per-dimension saliences. Every turn each actor estimates, from
//! its own risk-aware perspective, which rival it gains most by challenging,
//! proposes an interpolated bargain to that rival, and then every actor picks
//! among the status quo and the bargains it is party to by a probabilistic
//! Condorcet election; it moves to its side of the winner. The run stops when
//! moves become small compared to the first one. See `docs/smp.md`.
//!
//! The arithmetic follows KTAB (`lsyaseen/KTAB`, `examples/smp`) operation by
//! operation, including its rounding of bargains to 4 decimals, so that runs
//! reproduce KTAB's printed output. Cost is O(n³ + n² d) per turn for n actors and
//! d dimensions (KTAB's is O(n⁴) because it re-estimates every challenge from
//! every observer's perspective for its logs); the outer loops run on rayon and
//! every reduction is done in a fixed order, so results do not depend on the
//! thread count.

mod kernel;
mod model;

use model::Model;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One actor of a scenario. Positions and saliences are on the 0-1 scale.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpActor {
    pub name: String,
    pub description: String,
    /// Capability (KTAB's "power" or "influence"), positive.
    pub capability: f64,
    /// Position on each dimension, in [0, 1].
    pub position: Vec<f64>,
    /// Salience of each dimension, each in [0, 1], summing to at most 1.
    pub salience: Vec<f64>,
}

/// A scenario: named dimensions and the actors' initial state.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpScenario {
    pub name: String,
    pub description: String,
    pub dimensions: Vec<String>,
    pub actors: Vec<SmpActor>,
}

/// How an actor's utility difference between two options becomes a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VoteRule {
    /// Full weight for any preference (ramped over 1e-8 in utility).
    Binary,
    /// 80% proportional, 20% binary.
    PropBin,
    /// Weight times utility difference (KTAB's default).
    #[default]
    Proportional,
    /// Half proportional, half cubic.
    PropCubic,
    /// Weight times the cube of the utility difference.
    Cubic,
    /// Proportional, with gains counted at two thirds of losses.
    AsymmetricProspect,
}

/// How coalition strengths become victory probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VictoryModel {
    /// `c1 / (c1 + c2)` (KTAB's default).
    #[default]
    Linear,
    /// Strengths squared.
    Square,
    /// Strengths to the fourth power.
    Quartic,
    /// Strengths to the eighth power.
    Octic,
    /// A 10% advantage wins outright, linear in between.
    Binary,
}

/// How pairwise victory probabilities become a probability per option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PceModel {
    /// One step: proportional to the product of pairwise victory probabilities.
    #[default]
    Conditional,
    /// Markov chain, challengers chosen uniformly.
    MarkovUniform,
    /// Markov chain, challenges proportional to the incentive to challenge.
    MarkovIncentive,
}

/// How an actor picks among its bargains once their probabilities are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transition {
    /// The most probable (first maximum).
    #[default]
    Deterministic,
    /// A draw from the probabilities, with a ChaCha8 generator seeded here.
    Stochastic { seed: u64 },
}

/// How actor h estimates actor i's risk attitude from both true attitudes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RiskAdjust {
    /// `R_h` (h projects its own).
    None,
    /// `(2 R_h + R_i) / 3` (KTAB's default).
    #[default]
    OneThird,
    /// `(R_h + R_i) / 2`.
    Half,
    /// `(R_h + 2 R_i) / 3`.
    TwoThirds,
    /// `R_i` (h knows it).
    Full,
}

/// The range risk attitudes are mapped onto from position probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RiskRange {
    /// [0, 1].
    Min,
    /// [-1/2, 1] (KTAB's default).
    #[default]
    Mid,
    /// [-1, 1].
    Max,
}

/// How far a third party commits to the side it joins in a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThirdPartyCommit {
    /// The joined side keeps its own position whichever wins.
    No,
    /// KTAB's default: commits if its side wins, not if it loses.
    #[default]
    Semi,
    /// Adopts the winner's position either way.
    Full,
}

/// How a bargain position is interpolated between the two principals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interpolation {
    /// Weights salience x probability, rounded to 4 decimals.
    S1P1,
    /// Weights salience² x probability², rounded to 4 decimals (KTAB's default).
    #[default]
    S2P2,
    /// Moves by the probability deficit, weighted by squared saliences; no rounding.
    S2PMax,
}

/// Which bargains a challenge puts into the two principals' queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BargainModel {
    /// The initiator's interpolation only (KTAB's default).
    #[default]
    InitOnly,
    /// Both the initiator's and the receiver's interpolations.
    InitRcvr,
    /// A capability x salience weighted average of the two.
    PowerWeightedCompromise,
}

/// When a run stops.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StopRule {
    /// Stop after this many turns whatever happens (KTAB: 100).
    pub max_turns: usize,
    /// Do not stop for quiet before this turn (KTAB: 2).
    pub min_turns: usize,
    /// Stop when `dist(t-1, t) / (dist(0, 1) + min_first_move)` falls below this (KTAB: 0.02).
    pub ratio: f64,
    /// Guards the ratio's denominator (KTAB: 1e-4).
    pub min_first_move: f64,
}

impl Default for StopRule {
    fn default() -> Self {
        StopRule {
            max_turns: 100,
            min_turns: 2,
            ratio: 0.02,
            min_first_move: 1e-4,
        }
    }
}

/// All options of a run. `SmpConfig::default()` is KTAB's default configuration.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SmpConfig {
    pub vote_rule: VoteRule,
    pub victory: VictoryModel,
    pub pce: PceModel,
    pub transition: Transition,
    pub risk_adjust: RiskAdjust,
    pub risk_range: RiskRange,
    pub third_party: ThirdPartyCommit,
    pub interpolation: Interpolation,
    pub bargain_model: BargainModel,
    pub stop: StopRule,
}

/// Positions closer than this (Euclidean, 0-1 scale) count as one (KTAB's `posTol`).
pub const POSITION_TOLERANCE: f64 = 1e-3;

/// What can go wrong setting up or running the model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SmpError {
    #[error("the SMP needs at least 2 actors, got {0}")]
    TooFewActors(usize),
    #[error("the SMP needs at least 1 dimension")]
    NoDimensions,
    #[error("actor {actor} has {got} values where {expected} dimensions were expected")]
    WrongDimensionCount {
        actor: String,
        expected: usize,
        got: usize,
    },
    #[error("actor {actor}: {what} is {value}, outside {range}")]
    OutOfRange {
        actor: String,
        what: String,
        value: f64,
        range: &'static str,
    },
    #[error("actor {actor}: saliences sum to {sum}, more than 1")]
    SalienceSum { actor: String, sum: f64 },
    #[error("actor {actor}: all saliences are zero")]
    NoSalience { actor: String },
    #[error("a Markov election did not converge in 1000 iterations")]
    NoConvergence,
}

/// What is reported after each turn.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnReport {
    /// The turn just completed (1-based).
    pub turn: usize,
    /// `dist(t-1, t) / (dist(0, 1) + min_first_move)`, KTAB's "fractional change".
    pub ratio: f64,
}

/// The whole run: states 0 (input) to `turns()`.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpHistory {
    actors: usize,
    dims: usize,
    /// Per state, positions `[actor * dims + dim]` on the 0-1 scale.
    pub positions: Vec<Vec<f64>>,
    /// Per state, the probability of each actor's position (KTAB's `prob` lines).
    pub probabilities: Vec<Vec<f64>>,
    /// Per turn 1..=turns, the stop-rule ratio.
    pub ratios: Vec<f64>,
}

impl SmpHistory {
    /// Number of turns taken (states minus one).
    pub fn turns(&self) -> usize {
        self.positions.len() - 1
    }

    /// Position of `actor` on `dim` at state `turn`, 0-1 scale.
    pub fn position(&self, turn: usize, actor: usize, dim: usize) -> f64 {
        self.positions[turn][actor * self.dims + dim]
    }

    pub fn actors(&self) -> usize {
        self.actors
    }

    pub fn dims(&self) -> usize {
        self.dims
    }
}

/// Check a scenario against the model's requirements.
pub fn validate(scenario: &SmpScenario) -> Result<(), SmpError> {
    let n = scenario.actors.len();
    let d = scenario.dimensions.len();
    if n < 2 {
        return Err(SmpError::TooFewActors(n));
    }
    if d == 0 {
        return Err(SmpError::NoDimensions);
    }
    for a in &scenario.actors {
        for got in [a.position.len(), a.salience.len()] {
            if got != d {
                return Err(SmpError::WrongDimensionCount {
                    actor: a.name.clone(),
                    expected: d,
                    got,
                });
            }
        }
        let out = |what: String, value: f64, range| SmpError::OutOfRange {
            actor: a.name.clone(),
            what,
            value,
            range,
        };
        if !(a.capability > 0.0 && a.capability.is_finite()) {
            return Err(out("capability".into(), a.capability, "(0, inf)"));
        }
        for k in 0..d {
            if !(0.0..=1.0).contains(&a.position[k]) {
                return Err(out(format!("position {k}"), a.position[k], "[0, 1]"));
            }
            if !(0.0..=1.0).contains(&a.salience[k]) {
                return Err(out(format!("salience {k}"), a.salience[k], "[0, 1]"));
            }
        }
        let sum = sum_seq(&a.salience);
        if sum > 1.0 + 1e-12 {
            return Err(SmpError::SalienceSum {
                actor: a.name.clone(),
                sum,
            });
        }
        if sum <= 0.0 {
            return Err(SmpError::NoSalience {
                actor: a.name.clone(),
            });
        }
    }
    Ok(())
}

/// Run the model to its stop rule.
pub fn run(scenario: &SmpScenario, config: &SmpConfig) -> Result<SmpHistory, SmpError> {
    run_with(scenario, config, |_| {})
}

/// Run the model, calling `on_turn` after every turn.
pub fn run_with(
    scenario: &SmpScenario,
    config: &SmpConfig,
    mut on_turn: impl FnMut(&TurnReport),
) -> Result<SmpHistory, SmpError> {
    validate(scenario)?;
    let model = Model::new(scenario, *config);
    let mut rng = match config.transition {
        Transition::Stochastic { seed } => Some(ChaCha8Rng::seed_from_u64(seed)),
        Transition::Deterministic => None,
    };
    let n = model.n;
    let d = model.d;
    let mut pos: Vec<f64> = scenario
        .actors
        .iter()
        .flat_map(|a| a.position.iter().copied())
        .collect();
    let mut positions = vec![pos.clone()];
    let mut probabilities = Vec::new();
    let mut ratios = Vec::new();
    let mut first_move = 0.0;
    let mut turn = 0;
    loop {
        let view = model.view(&pos)?;
        probabilities.push(model.position_probabilities(&pos, &view)?);
        let stop = &config.stop;
        if turn > 0 {
            let ratio = state_distance(&positions[turn - 1], &pos, n, d) / first_move;
            ratios.push(ratio);
            on_turn(&TurnReport { turn, ratio });
            if turn >= stop.max_turns || (turn >= stop.min_turns && ratio < stop.ratio) {
                break;
            }
        } else if stop.max_turns == 0 {
            break;
        }
        pos = model.step(&pos, &view, rng.as_mut())?;
        positions.push(pos.clone());
        turn += 1;
        if turn == 1 {
            first_move = state_distance(&positions[0], &pos, n, d) + stop.min_first_move;
        }
    }
    Ok(SmpHistory {
        actors: n,
        dims: d,
        positions,
        probabilities,
        ratios,
    })
}

/// Sum over actors of the Euclidean distance moved (KTAB's `stateDist`).
fn state_distance(a: &[f64], b: &[f64], n: usize, d: usize) -> f64 {
    let mut total = 0.0;
    for i in 0..n {
        let mut s = 0.0;
        for k in 0..d {
            let x = a[i * d + k] - b[i * d + k];
            s += x * x;
        }
        total += s.sqrt();
    }
    total
}

fn sum_seq(x: &[f64]) -> f64 {
    x.iter().fold(0.0, |a, &v| a + v)
}

/// Utility of a salience-weighted distance `sd` under risk attitude `r`.
fn bs_util(sd: f64, r: f64) -> f64 {
    if sd <= 1.0 {
        (1.0 - sd) * (1.0 + sd * r)
    } else {
        // round-off can push sd slightly above 1
        (1.0 - sd) * (1.0 + r)
    }
}

/// Salience-weighted distance between `a` and `b`.
fn bv_diff(a: &[f64], b: &[f64], s: &[f64]) -> f64 {
    let mut ds2 = 0.0;
    let mut ss2 = 0.0;
    for k in 0..a.len() {
        let ds = (a[k] - b[k]) * s[k];
        ds2 += ds * ds;
        ss2 += s[k] * s[k];
    }
    (ds2 / ss2).sqrt()
}
