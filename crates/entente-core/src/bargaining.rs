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

use rayon::prelude::*;
use std::collections::HashMap;

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

impl Model {
    /// Check the actors and fix the position range.
    pub fn new(actors: Vec<Actor>, config: Config) -> Result<Model, BargainingError> {
        if actors.len() < 2 {
            return Err(BargainingError::TooFewActors(actors.len()));
        }
        for (i, a) in actors.iter().enumerate() {
            for (field, value) in [
                ("capability", a.capability),
                ("position", a.position),
                ("salience", a.salience),
            ] {
                if !value.is_finite() {
                    return Err(BargainingError::NotFinite {
                        actor: i,
                        field,
                        value,
                    });
                }
            }
            if a.capability < 0.0 {
                return Err(BargainingError::NegativeCapability {
                    actor: i,
                    value: a.capability,
                });
            }
            if !(0.0..=1.0).contains(&a.salience) {
                return Err(BargainingError::SalienceOutOfRange {
                    actor: i,
                    value: a.salience,
                });
            }
        }
        let weight: Vec<f64> = actors.iter().map(|a| a.capability * a.salience).collect();
        if weight.iter().sum::<f64>() <= 0.0 {
            return Err(BargainingError::NoWeight);
        }
        let initial: Vec<f64> = actors.iter().map(|a| a.position).collect();
        let (lo, hi) = min_max(&initial);
        let range = hi - lo;
        if range <= 0.0 {
            return Err(BargainingError::NoDisagreement(lo));
        }
        Ok(Model {
            salience: actors.iter().map(|a| a.salience).collect(),
            weight,
            initial,
            range,
            config,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn len(&self) -> usize {
        self.initial.len()
    }

    pub fn is_empty(&self) -> bool {
        self.initial.is_empty()
    }

    /// The forecast (median, mean, range) of any set of positions of these actors.
    pub fn forecast(&self, positions: &[f64]) -> Forecast {
        let (min, max) = min_max(positions);
        Forecast {
            median: weighted_median(&self.weight, positions),
            mean: weighted_mean(&self.weight, positions),
            min,
            max,
        }
    }

    /// Play rounds until the stop rule says so.
    pub fn run(&self) -> Run {
        let stop_rule = self.config.stop;
        let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
        seen.insert(bits(&self.initial), 0);
        let mut rounds: Vec<Round> = Vec::new();
        let mut cycle = None;
        let mut stop = StopReason::RoundLimit;
        let mut positions = self.initial.clone();
        for round in 1..=stop_rule.max_rounds {
            let step = match self.step(&positions) {
                Ok(step) => step,
                Err(reason) => {
                    stop = reason;
                    break;
                }
            };
            let forecast = self.forecast(&step.positions);
            let key = bits(&step.positions);
            positions.clone_from(&step.positions);
            rounds.push(Round {
                round,
                risk: step.risk,
                moves: step.moves,
                positions: step.positions,
                forecast,
            });
            if cycle.is_none() {
                if let Some(&start) = seen.get(&key) {
                    cycle = Some(cycle_summary(&rounds, start, round - start));
                    if stop_rule.on_cycle == OnCycle::Stop {
                        stop = StopReason::Cycle;
                        break;
                    }
                } else {
                    seen.insert(key, round);
                }
            }
        }
        Run {
            initial: self.forecast(&self.initial),
            initial_positions: self.initial.clone(),
            rounds,
            cycle,
            stop,
        }
    }

    /// One round from `positions`: risk exponents, offers, simultaneous moves.
    pub fn step(&self, positions: &[f64]) -> Result<Step, StopReason> {
        let n = self.initial.len();
        let table = Positions::new(positions);
        if table.values.len() == 1 {
            return Err(StopReason::Converged {
                position: table.values[0],
            });
        }

        // Risk exponents: every actor at r = 1, S_i = sum_{j != i} E_ji seen by i.
        let ones = vec![1.0; n];
        let p1 = self.probabilities(&table, &ones);
        let exposure: Vec<f64> = self.map_actors(n, |i| {
            // E_ji: j challenging i, seen by i; P(j, i) = P(i, j) diagonal-free as in `get`.
            let against_i = p1.against_row(table.slot[i]);
            let mut s = 0.0;
            for j in 0..n {
                if j != i {
                    let sj = table.slot[j];
                    let prob = if sj == table.slot[i] {
                        0.0
                    } else {
                        against_i[sj]
                    };
                    let (us, uf, usq) = self.utilities(1.0, positions[j], positions[i]);
                    s += expected_utility(prob, self.salience[i], us, uf, usq);
                }
            }
            s
        });
        let (s_min, s_max) = min_max(&exposure);
        // Also catches NaN, should anything upstream ever produce one.
        if s_max.partial_cmp(&s_min) != Some(std::cmp::Ordering::Greater) {
            return Err(StopReason::NoRiskSpread);
        }
        let risk: Vec<f64> = exposure
            .iter()
            .map(|&s| {
                let r = (2.0 * s - s_max - s_min) / (s_max - s_min);
                (1.0 - r / 3.0) / (1.0 + r / 3.0)
            })
            .collect();

        // Offers, each receiver judging with its own exponent, against the voters' own.
        let p = self.probabilities(&table, &risk);
        let moves: Vec<Option<Move>> =
            self.map_actors(n, |i| self.best_offer(&table, &p, &risk, i, positions));
        let new_positions = positions
            .iter()
            .zip(&moves)
            .map(|(&x, m)| m.map_or(x, |m| m.to))
            .collect();
        Ok(Step {
            risk,
            moves,
            positions: new_positions,
        })
    }

    /// `f(i)` for every actor, in parallel when it pays, in actor order.
    fn map_actors<T: Send, F: Fn(usize) -> T + Sync + Send>(&self, n: usize, f: F) -> Vec<T> {
        if n * n >= PAR_THRESHOLD {
            (0..n).into_par_iter().map(f).collect()
        } else {
            (0..n).map(f).collect()
        }
    }

    /// P[u][v]: probability that distinct position u prevails against v, with each voter k
    /// judging distances with exponent `r[k]`.
    ///
    /// Voter k's vote for u over v, `w_k (t_k(v) - t_k(u))`, is positive exactly when k is
    /// nearer u than v (t is increasing in distance), i.e. on u's side of the midpoint. With
    /// voters sorted by position and, per position u, prefix sums of `w_k t_k(u)`, the sum of
    /// positive votes is a difference of two prefix sums: O(n) per position, O(1) per pair.
    fn probabilities(&self, table: &Positions, r: &[f64]) -> Probabilities {
        let n = self.weight.len();
        let m = table.values.len();
        // util[u * n + j] = (|x_k - pos_u| / R)^{r_k} for the j-th voter k by position.
        let mut util = vec![0.0; m * n];
        let positions = &table.actor_positions;
        let fill_row = |(u, row): (usize, &mut [f64])| {
            let pu = table.values[u];
            for (t, &k) in row.iter_mut().zip(&table.order) {
                *t = pow((positions[k] - pu).abs() / self.range, r[k]);
            }
        };
        if m * n >= PAR_THRESHOLD {
            util.par_chunks_mut(n).enumerate().for_each(fill_row);
        } else {
            util.chunks_mut(n).enumerate().for_each(fill_row);
        }
        let total = match self.config.denominator {
            Denominator::PerRound => self.total_votes(table, &util),
            Denominator::PerPair => 0.0,
        };

        // prefix[u * (n + 1) + j] = sum of w_k t_k(u) over the first j voters by position.
        let mut prefix = vec![0.0; m * (n + 1)];
        let fill_prefix = |(u, row): (usize, &mut [f64])| {
            let t = &util[u * n..(u + 1) * n];
            let mut acc = 0.0;
            row[0] = 0.0;
            for (j, &k) in table.order.iter().enumerate() {
                acc += self.weight[k] * t[j];
                row[j + 1] = acc;
            }
        };
        if m * n >= PAR_THRESHOLD {
            prefix
                .par_chunks_mut(n + 1)
                .enumerate()
                .for_each(fill_prefix);
        } else {
            prefix.chunks_mut(n + 1).enumerate().for_each(fill_prefix);
        }
        drop(util);

        // Numerators for u < v (pos_u < pos_v), both directions at once.
        let row_votes = |u: usize| -> Vec<(f64, f64)> {
            let pu = &prefix[u * (n + 1)..(u + 1) * (n + 1)];
            ((u + 1)..m)
                .map(|v| {
                    let pv = &prefix[v * (n + 1)..(v + 1) * (n + 1)];
                    let mid = 0.5 * (table.values[u] + table.values[v]);
                    // Voters strictly below the midpoint favour u, strictly above favour v.
                    let below = table.below[table.values.partition_point(|&x| x < mid)];
                    let upto = table.below[table.values.partition_point(|&x| x <= mid)];
                    // Each side is a sum of non-negative votes: clamp rounding below zero.
                    let for_u = (pv[below] - pu[below]).max(0.0);
                    let for_v = ((pu[n] - pu[upto]) - (pv[n] - pv[upto])).max(0.0);
                    (for_u, for_v)
                })
                .collect()
        };
        let rows: Vec<Vec<(f64, f64)>> = if m * m >= PAR_THRESHOLD {
            (0..m).into_par_iter().map(row_votes).collect()
        } else {
            (0..m).map(row_votes).collect()
        };
        let mut p = vec![0.0; m * m];
        let mut pt = vec![0.0; m * m];
        for (u, row) in rows.iter().enumerate() {
            for (dv, &(for_u, for_v)) in row.iter().enumerate() {
                let v = u + 1 + dv;
                let (pu, pv) = match self.config.denominator {
                    Denominator::PerRound => (for_u / total, for_v / total),
                    Denominator::PerPair => {
                        let d = for_u + for_v;
                        if d > 0.0 {
                            (for_u / d, for_v / d)
                        } else {
                            (0.0, 0.0)
                        }
                    }
                };
                p[u * m + v] = pu;
                p[v * m + u] = pv;
                pt[u * m + v] = pv;
                pt[v * m + u] = pu;
            }
        }
        Probabilities { m, p, pt }
    }

    /// The Scholz denominator: sum over voters k and ordered pairs of actors (a, b) of
    /// `|w_k (t_k(b) - t_k(a))|`. For one voter the utilities of the distinct positions,
    /// taken by increasing distance, are sorted already (t is increasing in distance), so
    /// the pair sum is a sum over gaps: gap * (actors below) * (actors above), twice.
    /// `util` is laid out as in [`Model::probabilities`].
    fn total_votes(&self, table: &Positions, util: &[f64]) -> f64 {
        let n = self.weight.len();
        let m = table.values.len();
        let per_voter = |j: usize| -> f64 {
            let k = table.order[j];
            let home = table.slot[k];
            let t = |u: usize| util[u * n + j];
            let count = |u: usize| table.count[u] as f64;
            // Merge the two sides of `home`, each increasing in distance.
            let (mut left, mut right) = (home, home + 1);
            let mut below = count(home);
            let mut prev = t(home);
            let mut sum = 0.0;
            let total = n as f64;
            while left > 0 || right < m {
                let take_left = if left == 0 {
                    false
                } else if right == m {
                    true
                } else {
                    t(left - 1) <= t(right)
                };
                let u = if take_left {
                    left -= 1;
                    left
                } else {
                    right += 1;
                    right - 1
                };
                let tu = t(u);
                sum += (tu - prev) * below * (total - below);
                below += count(u);
                prev = tu;
            }
            2.0 * self.weight[k] * sum
        };
        let parts: Vec<f64> = if m * n >= PAR_THRESHOLD {
            (0..n).into_par_iter().map(per_voter).collect()
        } else {
            (0..n).map(per_voter).collect()
        };
        parts.iter().sum()
    }

    /// (U_s, U_f, U_sq) for a challenge across `a` and `b`, with exponent r.
    fn utilities(&self, r: f64, a: f64, b: f64) -> (f64, f64, f64) {
        let half_d = 0.5 * (a - b).abs() / self.range;
        let us = 2.0 - 4.0 * pow(0.5 - half_d, r);
        let uf = 2.0 - 4.0 * pow(0.5 + half_d, r);
        let usq = 2.0 - 4.0 * pow(0.5, r);
        (us, uf, usq)
    }

    /// The offer receiver i accepts, if any.
    fn best_offer(
        &self,
        table: &Positions,
        p: &Probabilities,
        risk: &[f64],
        i: usize,
        positions: &[f64],
    ) -> Option<Move> {
        let xi = positions[i];
        let ri = risk[i];
        let si = table.slot[i];
        let (p_from, p_against) = (p.row_for(si), p.against_row(si));
        // Best so far per kind: (key, proposer, new position); first minimum wins ties.
        let mut confrontation: Option<(f64, usize, f64)> = None;
        let mut compromise: Option<(f64, usize, f64)> = None;
        let mut capitulation: Option<(f64, usize, f64)> = None;
        let better = |best: &Option<(f64, usize, f64)>, key: f64| best.is_none_or(|b| key < b.0);
        for (j, &xj) in positions.iter().enumerate() {
            if xj == xi {
                continue;
            }
            let sj = table.slot[j];
            let (us, uf, usq) = self.utilities(ri, xi, xj);
            // xj != xi, so sj != si: off the diagonal.
            let eu_ij = expected_utility(p_from[sj], self.salience[j], us, uf, usq);
            let eu_ji = expected_utility(p_against[sj], self.salience[i], us, uf, usq);
            if eu_ji > eu_ij && eu_ij > 0.0 {
                let key = (xi - xj).abs();
                if better(&confrontation, key) {
                    confrontation = Some((key, j, xj));
                }
            } else if eu_ji > 0.0 && 0.0 > eu_ij && eu_ji > eu_ij.abs() {
                let to = xi + (xj - xi) * (eu_ij / eu_ji).abs();
                let key = (eu_ij.abs() * xi + eu_ji.abs() * xj) / (eu_ij.abs() + eu_ji.abs());
                if better(&compromise, key) {
                    compromise = Some((key, j, to));
                }
            } else if eu_ji > 0.0 && 0.0 > eu_ij && self.capitulates(eu_ij, eu_ji) {
                let key = (xi - xj).abs();
                if better(&capitulation, key) {
                    capitulation = Some((key, j, xj));
                }
            }
        }
        let (kind, (_, proposer, to)) = confrontation
            .map(|c| (OfferKind::Confrontation, c))
            .or_else(|| compromise.map(|c| (OfferKind::Compromise, c)))
            .or_else(|| capitulation.map(|c| (OfferKind::Capitulation, c)))?;
        Some(Move {
            kind,
            proposer,
            from: xi,
            to,
        })
    }

    fn capitulates(&self, eu_ij: f64, eu_ji: f64) -> bool {
        match self.config.capitulation {
            // The Scholz code's test, `eu_ji < |eu_ji|`, is false whenever eu_ji > 0.
            Capitulation::AsScholzCode => eu_ji < eu_ji.abs(),
            Capitulation::Fixed => eu_ji < eu_ij.abs(),
        }
    }
}

/// The result of one round, before its forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub risk: Vec<f64>,
    pub moves: Vec<Option<Move>>,
    pub positions: Vec<f64>,
}

/// `x^r`, skipping the library call when r = 1 (the risk stage), where it is exact anyway.
fn pow(x: f64, r: f64) -> f64 {
    if r == 1.0 {
        x
    } else {
        x.powf(r)
    }
}

/// `E = s_t [P U_s + (1 - P) U_f] + (1 - s_t) U_s - Q U_sq`, s_t the target's salience.
fn expected_utility(prob: f64, target_salience: f64, us: f64, uf: f64, usq: f64) -> f64 {
    target_salience * (prob * us + (1.0 - prob) * uf) + (1.0 - target_salience) * us - Q * usq
}

/// Distinct positions, sorted, with each actor's slot among them.
struct Positions {
    /// Distinct positions, increasing.
    values: Vec<f64>,
    /// Actors at each distinct position.
    count: Vec<usize>,
    /// `below[u]`: actors at positions below `values[u]` (length m + 1).
    below: Vec<usize>,
    /// Each actor's index into `values`.
    slot: Vec<usize>,
    /// Actors by increasing position (ties in input order).
    order: Vec<usize>,
    actor_positions: Vec<f64>,
}

impl Positions {
    fn new(positions: &[f64]) -> Positions {
        let mut order: Vec<usize> = (0..positions.len()).collect();
        order.sort_by(|&a, &b| positions[a].total_cmp(&positions[b]));
        let mut values: Vec<f64> = Vec::new();
        let mut count: Vec<usize> = Vec::new();
        let mut slot = vec![0; positions.len()];
        for &i in &order {
            let x = positions[i];
            if values.last() != Some(&x) {
                values.push(x);
                count.push(0);
            }
            let u = values.len() - 1;
            count[u] += 1;
            slot[i] = u;
        }
        let mut below = Vec::with_capacity(count.len() + 1);
        below.push(0);
        for &c in &count {
            below.push(below[below.len() - 1] + c);
        }
        Positions {
            values,
            count,
            below,
            slot,
            order,
            actor_positions: positions.to_vec(),
        }
    }
}

/// Probabilities between distinct positions, row-major, and the transpose, so that both
/// P(u, .) and P(., u) are contiguous rows (column walks of a large matrix miss the cache).
struct Probabilities {
    m: usize,
    p: Vec<f64>,
    pt: Vec<f64>,
}

impl Probabilities {
    /// 0 on the diagonal: an actor cannot prevail against its own position.
    #[cfg(test)]
    fn get(&self, u: usize, v: usize) -> f64 {
        if u == v {
            0.0
        } else {
            self.p[u * self.m + v]
        }
    }

    /// P(u, v) for all v.
    fn row_for(&self, u: usize) -> &[f64] {
        &self.p[u * self.m..(u + 1) * self.m]
    }

    /// P(v, u) for all v.
    fn against_row(&self, u: usize) -> &[f64] {
        &self.pt[u * self.m..(u + 1) * self.m]
    }
}

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
mod tests {
    use super::*;

    fn actors(rows: &[(f64, f64, f64)]) -> Vec<Actor> {
        rows.iter()
            .map(|&(capability, position, salience)| Actor {
                capability,
                position,
                salience,
            })
            .collect()
    }

    #[test]
    fn median_is_lowest_minimiser() {
        // Weights 1,1 at 0 and 1: every x in [0,1] minimises; the lowest is 0.
        assert_eq!(weighted_median(&[1.0, 1.0], &[1.0, 0.0]), 0.0);
        assert_eq!(weighted_median(&[1.0, 3.0], &[0.0, 1.0]), 1.0);
        assert_eq!(weighted_median(&[2.0, 1.0, 1.0], &[5.0, 3.0, 9.0]), 5.0);
    }

    #[test]
    fn rejects_bad_inputs() {
        let cfg = Config::default();
        assert_eq!(
            Model::new(actors(&[(1.0, 0.0, 0.5)]), cfg).err(),
            Some(BargainingError::TooFewActors(1))
        );
        assert!(matches!(
            Model::new(actors(&[(1.0, 0.0, 0.5), (-1.0, 1.0, 0.5)]), cfg),
            Err(BargainingError::NegativeCapability { actor: 1, .. })
        ));
        assert!(matches!(
            Model::new(actors(&[(1.0, 0.0, 50.0), (1.0, 1.0, 0.5)]), cfg),
            Err(BargainingError::SalienceOutOfRange { actor: 0, .. })
        ));
        assert_eq!(
            Model::new(actors(&[(1.0, 3.0, 0.5), (2.0, 3.0, 0.5)]), cfg).err(),
            Some(BargainingError::NoDisagreement(3.0))
        );
        assert_eq!(
            Model::new(actors(&[(0.0, 0.0, 0.5), (1.0, 1.0, 0.0)]), cfg).err(),
            Some(BargainingError::NoWeight)
        );
        assert!(matches!(
            Model::new(actors(&[(f64::NAN, 0.0, 0.5), (1.0, 1.0, 0.5)]), cfg),
            Err(BargainingError::NotFinite { actor: 0, .. })
        ));
    }

    #[test]
    fn converged_round_stops_cleanly() {
        let model = Model::new(
            actors(&[(1.0, 0.0, 0.5), (1.0, 1.0, 0.5)]),
            Config::default(),
        )
        .expect("valid");
        assert_eq!(
            model.step(&[0.5, 0.5]).err(),
            Some(StopReason::Converged { position: 0.5 })
        );
    }

    #[test]
    fn per_pair_probabilities_sum_to_one() {
        let model = Model::new(
            actors(&[(1.0, 0.0, 0.5), (2.0, 1.0, 0.7), (1.5, 0.4, 0.9)]),
            Config {
                denominator: Denominator::PerPair,
                ..Config::default()
            },
        )
        .expect("valid");
        let table = Positions::new(&model.initial);
        let p = model.probabilities(&table, &[1.0, 0.7, 1.6]);
        for u in 0..3 {
            for v in 0..3 {
                if u != v {
                    assert!((p.get(u, v) + p.get(v, u) - 1.0).abs() < 1e-12);
                }
            }
        }
    }

    /// The closed form of the Scholz denominator against the direct triple sum.
    #[test]
    fn total_votes_matches_direct_sum() {
        let xs = [0.0, 3.0, 3.0, 7.5, 10.0, 1.0, 7.5];
        let acts: Vec<Actor> = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| Actor {
                capability: 1.0 + i as f64,
                position: x,
                salience: 0.1 * (i + 1) as f64,
            })
            .collect();
        let model = Model::new(acts, Config::default()).expect("valid");
        let r: Vec<f64> = (0..xs.len()).map(|i| 0.5 + 0.2 * i as f64).collect();
        let table = Positions::new(&xs);
        let n = xs.len();
        let m = table.values.len();
        let mut util = vec![0.0; m * n];
        for u in 0..m {
            for (j, &k) in table.order.iter().enumerate() {
                util[u * n + j] = ((xs[k] - table.values[u]).abs() / model.range).powf(r[k]);
            }
        }
        let fast = model.total_votes(&table, &util);
        let mut direct = 0.0;
        for k in 0..n {
            for a in 0..n {
                for b in 0..n {
                    let ta = ((xs[k] - xs[a]).abs() / model.range).powf(r[k]);
                    let tb = ((xs[k] - xs[b]).abs() / model.range).powf(r[k]);
                    direct += (model.weight[k] * (tb - ta)).abs();
                }
            }
        }
        assert!(
            (fast - direct).abs() <= 1e-12 * direct,
            "{fast} vs {direct}"
        );
    }

    /// Prefix-sum probabilities against the direct O(n^3) sums of the Scholz code, with
    /// shared positions and voters exactly at midpoints.
    #[test]
    fn probabilities_match_direct_sums() {
        let xs = [0.0, 2.0, 2.0, 4.0, 1.0, 10.0, 6.0, 3.0, 8.0, 4.0, 5.0];
        let acts: Vec<Actor> = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| Actor {
                capability: 0.5 + (i * 7 % 5) as f64,
                position: x,
                salience: 0.05 + 0.09 * i as f64,
            })
            .collect();
        let n = xs.len();
        let r: Vec<f64> = (0..n)
            .map(|i| 0.5 + 1.5 * (i * 3 % 7) as f64 / 6.0)
            .collect();
        for denominator in [Denominator::PerRound, Denominator::PerPair] {
            let config = Config {
                denominator,
                ..Config::default()
            };
            let model = Model::new(acts.clone(), config).expect("valid");
            let table = Positions::new(&xs);
            let p = model.probabilities(&table, &r);
            let vote = |k: usize, a: f64, b: f64| {
                let t = |x: f64| ((xs[k] - x).abs() / model.range).powf(r[k]);
                model.weight[k] * (t(b) - t(a))
            };
            let mut all = 0.0;
            for k in 0..n {
                for &a in &xs {
                    for &b in &xs {
                        all += vote(k, a, b).abs();
                    }
                }
            }
            for (u, &a) in table.values.iter().enumerate() {
                for (v, &b) in table.values.iter().enumerate() {
                    let num: f64 = (0..n).map(|k| vote(k, a, b).max(0.0)).sum();
                    let den = match denominator {
                        Denominator::PerRound => all,
                        Denominator::PerPair => (0..n).map(|k| vote(k, a, b).abs()).sum(),
                    };
                    let want = if u == v { 0.0 } else { num / den };
                    let got = p.get(u, v);
                    assert!(
                        (got - want).abs() < 1e-13,
                        "{denominator:?} {a} {b}: {got} vs {want}"
                    );
                }
            }
        }
    }
}
