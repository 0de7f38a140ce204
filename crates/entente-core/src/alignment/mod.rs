//! Alignment: Axelrod and Bennett's (1993) landscape theory of aggregation.
//!
//! Actors with sizes `s_i` and pairwise propensities `p_ij` (positive = affinity) split into
//! coalitions. The energy of a configuration is
//! `E = sum_{i<j} s_i s_j p_ij d_ij`, with `d_ij = 1` when i and j are on different sides, so
//! minima of `E` are the predicted alignments. With two coalitions this is weighted max-cut
//! (an Ising ground state), which is why the same search engine also solves [`maxcut`].
//!
//! The [`Model`] chooses the number of coalitions (`k >= 2`) and an optional *neutral* state:
//! a neutral actor stands at the centre, at distance 1/2 from every coalition and 0 from other
//! neutrals, and pays `cost * s_i` for being neutral. So
//! `E = sum_{i<j} s_i s_j p_ij d(x_i, x_j) + cost * sum_{i neutral} s_i`.
//!
//! Configurations are state vectors: `states[i]` is the coalition of actor i (`0..k`), or
//! `k` when the actor is neutral. Results are canonical: coalitions are numbered in order of
//! their first member, so the coalition holding actor 0 is coalition 0.
//!
//! - [`Landscape::exact`] enumerates every configuration (Gray code, O(n) incremental update,
//!   parallel over the high digits, reduced in a fixed order) and returns the global minimum,
//!   every single-move local minimum and, for small n, each basin of attraction.
//! - [`Landscape::heuristic`] runs breakout local search or simulated annealing from seeded
//!   restarts for large n. Two-state problems with whole-number weights (max-cut on the G-set)
//!   take a breakout local search on integer gain buckets (`cut_search`).
//! - [`Landscape::frustration`] and [`Landscape::actor_report`] say which actors are pulled
//!   away from their coalition and which would rather stand alone.

mod cut_search;
mod engine;
mod exact;
pub mod fit;
mod ground;
pub mod logit;
pub mod maxcut;
pub mod propensity;
pub mod sides;
pub mod ties;
mod units;

pub use engine::{HeuristicConfig, HeuristicResult, Method, StopReason};
pub use exact::{ExactConfig, ExactResult, Minimum};
pub use ground::{
    general_exact_max, Ground, GroundConfig, Solver, GROUND_EXACT_MAX_ACTORS,
    GROUND_GENERAL_MAX_CONFIGS,
};
pub use sides::{Anchors, Side};
pub use units::{unit_features, unit_propensities, units, Unit};

/// Errors from building or solving a landscape.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AlignmentError {
    #[error("the landscape has no actors")]
    Empty,
    #[error("propensity matrix has {rows} rows but {sizes} actors have sizes")]
    RowCount { rows: usize, sizes: usize },
    #[error("propensity row {row} has {len} entries, expected {expected}")]
    NotSquare {
        row: usize,
        len: usize,
        expected: usize,
    },
    #[error("size of actor {actor} is {value}: sizes must be finite and not negative")]
    BadSize { actor: usize, value: f64 },
    #[error("propensity between actors {i} and {j} is {value}: it must be finite")]
    NotFinite { i: usize, j: usize, value: f64 },
    #[error("propensity matrix is not symmetric: p[{i}][{j}] = {a} but p[{j}][{i}] = {b} (symmetrise it first)")]
    NotSymmetric { i: usize, j: usize, a: f64, b: f64 },
    #[error("at least 2 coalitions are needed, got {0}")]
    TooFewCoalitions(usize),
    #[error("at most {max} coalitions are supported, got {got}")]
    TooManyCoalitions { got: usize, max: usize },
    #[error("neutral cost {0} is not finite")]
    BadNeutralCost(f64),
    #[error("exact mode handles at most {max} actors with {states} states each ({n} given); use heuristic mode")]
    TooLargeForExact { n: usize, max: usize, states: usize },
    #[error("basins of attraction need one entry per configuration and are limited to {max} actors with {states} states each ({n} given); turn basins off")]
    TooLargeForBasins { n: usize, max: usize, states: usize },
    #[error("configuration has {got} entries for {n} actors")]
    WrongLength { got: usize, n: usize },
    #[error("actor {actor} is in state {state}, but the model has only {states} states")]
    BadState {
        actor: usize,
        state: u8,
        states: usize,
    },
    #[error(
        "the heuristic needs at least one restart, one move per restart and time to start one"
    )]
    NoBudget,
    #[error("{0}")]
    Graph(String),
}

/// The alignment model: how many coalitions, and whether actors may stay neutral.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    /// Number of coalitions, at least 2 (Axelrod and Bennett use 2).
    pub coalitions: usize,
    /// `Some(c)`: actors may be neutral at a cost of `c * size` each.
    pub neutral_cost: Option<f64>,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            coalitions: 2,
            neutral_cost: None,
        }
    }
}

/// Largest number of coalitions supported (states are stored as bytes).
pub const MAX_COALITIONS: usize = 64;

impl Model {
    /// Number of states an actor can take: the coalitions plus neutral if allowed.
    pub fn states(&self) -> usize {
        self.coalitions + usize::from(self.neutral_cost.is_some())
    }

    /// The state index meaning "neutral", if neutrality is allowed.
    pub fn neutral_state(&self) -> Option<u8> {
        self.neutral_cost.map(|_| self.coalitions as u8)
    }

    /// Whether the model is one the solvers accept (2 to `MAX_COALITIONS` coalitions, a
    /// finite neutral cost).
    pub fn validate(&self) -> Result<(), AlignmentError> {
        if self.coalitions < 2 {
            return Err(AlignmentError::TooFewCoalitions(self.coalitions));
        }
        if self.coalitions > MAX_COALITIONS {
            return Err(AlignmentError::TooManyCoalitions {
                got: self.coalitions,
                max: MAX_COALITIONS,
            });
        }
        if let Some(c) = self.neutral_cost {
            if !c.is_finite() {
                return Err(AlignmentError::BadNeutralCost(c));
            }
        }
        Ok(())
    }

    /// Distance between two states, row-major `states x states`.
    fn distances(&self) -> Vec<f64> {
        let q = self.states();
        let neutral = self.neutral_state().map(usize::from);
        let mut d = vec![0.0; q * q];
        for a in 0..q {
            for b in 0..q {
                d[a * q + b] = if a == b {
                    0.0
                } else if Some(a) == neutral || Some(b) == neutral {
                    0.5
                } else {
                    1.0
                };
            }
        }
        d
    }
}

/// Sizes and symmetric propensities of a set of actors.
#[derive(Debug, Clone, PartialEq)]
pub struct Landscape {
    n: usize,
    sizes: Vec<f64>,
    /// `w_ij = s_i s_j p_ij`, row-major, zero diagonal.
    weights: Vec<f64>,
    /// Actors that may not stand neutral (the anchors of sides): their
    /// neutral cost is a barrier larger than any energy the pairs can make.
    barred: Vec<bool>,
}

/// Per-actor diagnostics for one configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorReport {
    /// `s_i * sum_j s_j p_ij d_ij` (Furnas' convention: the frustrations sum to twice the
    /// pair energy). Lower is better; negative means the actor is content.
    pub frustration: f64,
    /// The frustration the actor would have in a coalition of its own.
    pub alone: f64,
    /// Change in total energy if the actor left to stand alone (`alone - frustration`, minus
    /// its neutral cost if it is neutral now). Negative: it would rather stand alone.
    pub alone_change: f64,
}

impl ActorReport {
    /// True when standing alone would lower the energy by more than rounding noise.
    pub fn prefers_alone(&self) -> bool {
        self.alone_change < -1e-9 * self.frustration.abs().max(self.alone.abs()).max(1.0)
    }
}

impl Landscape {
    /// Build a landscape from sizes and a square, symmetric propensity matrix (the diagonal
    /// is ignored). Use [`symmetrise`] first for a matrix that is not symmetric.
    pub fn new(sizes: Vec<f64>, propensity: &[Vec<f64>]) -> Result<Self, AlignmentError> {
        let n = sizes.len();
        if n == 0 {
            return Err(AlignmentError::Empty);
        }
        if propensity.len() != n {
            return Err(AlignmentError::RowCount {
                rows: propensity.len(),
                sizes: n,
            });
        }
        for (i, row) in propensity.iter().enumerate() {
            if row.len() != n {
                return Err(AlignmentError::NotSquare {
                    row: i,
                    len: row.len(),
                    expected: n,
                });
            }
        }
        for (actor, &value) in sizes.iter().enumerate() {
            if !value.is_finite() || value < 0.0 {
                return Err(AlignmentError::BadSize { actor, value });
            }
        }
        let mut weights = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (a, b) = (propensity[i][j], propensity[j][i]);
                if !a.is_finite() {
                    return Err(AlignmentError::NotFinite { i, j, value: a });
                }
                if (a - b).abs() > 1e-12 * a.abs().max(b.abs()).max(1.0) {
                    return Err(AlignmentError::NotSymmetric { i, j, a, b });
                }
                // Average so that w is exactly symmetric even within the tolerance.
                weights[i * n + j] = sizes[i] * sizes[j] * 0.5 * (a + b);
            }
        }
        Ok(Landscape {
            barred: vec![false; n],
            n,
            sizes,
            weights,
        })
    }

    /// The same landscape with `actors` barred from the neutral place: they
    /// anchor the sides (the coalitions), so standing apart is not theirs.
    /// Indices past the last actor are ignored.
    pub fn with_neutral_barred(mut self, actors: &[usize]) -> Self {
        for &i in actors {
            if let Some(b) = self.barred.get_mut(i) {
                *b = true;
            }
        }
        self
    }

    /// What actor `i` pays for standing neutral at a neutral cost of `cost` per unit of size.
    pub fn neutral_cost_of(&self, i: usize, cost: f64) -> f64 {
        if self.barred[i] {
            // Finite, so energies stay comparable; larger than every pair energy and
            // every neutral cost together, so no minimum puts a barred actor there.
            // Not much larger: the searches' rounding tolerance scales with the
            // costs, and a penalty of 1e6 times this hid real gains below about
            // 1e-6 (a property test found a missed minimum 4e-7 below).
            1.0 + 2.0
                * (self.weights.iter().map(|w| w.abs()).sum::<f64>()
                    + cost.abs() * self.sizes.iter().sum::<f64>())
        } else {
            cost * self.sizes[i]
        }
    }

    /// Number of actors.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a landscape has at least one actor.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Actor sizes.
    pub fn sizes(&self) -> &[f64] {
        &self.sizes
    }

    /// The pair weight `s_i s_j p_ij`.
    pub fn weight(&self, i: usize, j: usize) -> f64 {
        self.weights[i * self.n + j]
    }

    pub(crate) fn weights(&self) -> &[f64] {
        &self.weights
    }

    fn check_states(&self, model: &Model, states: &[u8]) -> Result<(), AlignmentError> {
        model.validate()?;
        if states.len() != self.n {
            return Err(AlignmentError::WrongLength {
                got: states.len(),
                n: self.n,
            });
        }
        let q = model.states();
        for (actor, &s) in states.iter().enumerate() {
            if usize::from(s) >= q {
                return Err(AlignmentError::BadState {
                    actor,
                    state: s,
                    states: q,
                });
            }
        }
        Ok(())
    }

    /// Energy of a configuration (see the module documentation), computed from scratch.
    pub fn energy(&self, model: &Model, states: &[u8]) -> Result<f64, AlignmentError> {
        self.check_states(model, states)?;
        Ok(self.energy_unchecked(model, states))
    }

    pub(crate) fn energy_unchecked(&self, model: &Model, states: &[u8]) -> f64 {
        let q = model.states();
        let d = model.distances();
        let n = self.n;
        let mut e = 0.0;
        for i in 0..n {
            let di = usize::from(states[i]) * q;
            for j in (i + 1)..n {
                e += self.weights[i * n + j] * d[di + usize::from(states[j])];
            }
        }
        if let (Some(cost), Some(ns)) = (model.neutral_cost, model.neutral_state()) {
            for (i, &s) in states.iter().enumerate() {
                if s == ns {
                    e += self.neutral_cost_of(i, cost);
                }
            }
        }
        e
    }

    /// Each actor's frustration `s_i * sum_j s_j p_ij d_ij` in a configuration.
    pub fn frustration(&self, model: &Model, states: &[u8]) -> Result<Vec<f64>, AlignmentError> {
        Ok(self
            .actor_report(model, states)?
            .into_iter()
            .map(|r| r.frustration)
            .collect())
    }

    /// Frustration of each actor and what standing alone would do for it.
    pub fn actor_report(
        &self,
        model: &Model,
        states: &[u8],
    ) -> Result<Vec<ActorReport>, AlignmentError> {
        self.check_states(model, states)?;
        let q = model.states();
        let d = model.distances();
        let n = self.n;
        let neutral = model.neutral_state();
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let di = usize::from(states[i]) * q;
            let (mut f, mut alone) = (0.0, 0.0);
            for j in 0..n {
                if j == i {
                    continue;
                }
                let w = self.weights[i * n + j];
                f += w * d[di + usize::from(states[j])];
                // A coalition of one is at distance 1 from coalitions, 1/2 from neutrals.
                alone += w * if Some(states[j]) == neutral { 0.5 } else { 1.0 };
            }
            let mut alone_change = alone - f;
            if let (Some(cost), Some(ns)) = (model.neutral_cost, neutral) {
                if states[i] == ns {
                    alone_change -= self.neutral_cost_of(i, cost);
                }
            }
            out.push(ActorReport {
                frustration: f,
                alone,
                alone_change,
            });
        }
        Ok(out)
    }

    /// Exact minima by enumeration; see [`ExactConfig`].
    pub fn exact(&self, config: &ExactConfig) -> Result<ExactResult, AlignmentError> {
        exact::solve(self, config)
    }

    /// Best configuration found by a seeded heuristic search; see [`HeuristicConfig`].
    pub fn heuristic(&self, config: &HeuristicConfig) -> Result<HeuristicResult, AlignmentError> {
        config.model.validate()?;
        let problem = engine::Problem::from_landscape(self, &config.model);
        let mut result = engine::search(&problem, config)?;
        // Report the energy recomputed from scratch, free of incremental rounding.
        result.best.states = canonical(&config.model, &result.best.states);
        result.best.energy = self.energy_unchecked(&config.model, &result.best.states);
        Ok(result)
    }
}

/// Average a square matrix with its transpose in place (`p_ij = p_ji = (p_ij + p_ji) / 2`).
/// Returns the pairs `(i, j)`, `i < j`, that differed, so a caller can warn about them.
pub fn symmetrise(matrix: &mut [Vec<f64>]) -> Vec<(usize, usize)> {
    let n = matrix.len();
    let mut changed = Vec::new();
    for i in 0..n {
        for j in (i + 1)..n {
            let (Some(a), Some(b)) = (matrix[i].get(j).copied(), matrix[j].get(i).copied()) else {
                continue;
            };
            if a != b {
                let m = 0.5 * (a + b);
                matrix[i][j] = m;
                matrix[j][i] = m;
                changed.push((i, j));
            }
        }
    }
    changed
}

/// Relabel coalitions in order of first appearance (neutral stays `k`), so that equivalent
/// configurations compare equal.
pub fn canonical(model: &Model, states: &[u8]) -> Vec<u8> {
    let neutral = model.neutral_state();
    let mut map = [u8::MAX; 256];
    let mut next = 0u8;
    states
        .iter()
        .map(|&s| {
            if Some(s) == neutral {
                s
            } else {
                let m = &mut map[usize::from(s)];
                if *m == u8::MAX {
                    *m = next;
                    next += 1;
                }
                *m
            }
        })
        .collect()
}

/// The members of each non-empty coalition, in canonical order (the coalition holding the
/// first non-neutral actor first), and the neutral actors.
pub fn coalitions(model: &Model, states: &[u8]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let c = canonical(model, states);
    let neutral = model.neutral_state();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut neutrals = Vec::new();
    for (i, &s) in c.iter().enumerate() {
        if Some(s) == neutral {
            neutrals.push(i);
        } else {
            let s = usize::from(s);
            if groups.len() <= s {
                groups.resize_with(s + 1, Vec::new);
            }
            groups[s].push(i);
        }
    }
    (groups, neutrals)
}
