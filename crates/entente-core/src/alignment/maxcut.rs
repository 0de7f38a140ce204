//! Weighted max-cut: the two-coalition landscape with `w_ij = -weight_ij`, solved by the
//! same breakout local search, for benchmark graphs such as the G-set.

use std::time::Duration;

use super::engine::{search, Problem};
use super::{AlignmentError, HeuristicConfig, Method, Model, StopReason};

/// An undirected weighted graph on vertices `0..n`.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    n: usize,
    edges: Vec<(usize, usize, f64)>,
}

impl Graph {
    /// A graph from its edges (`i != j`, both below n, finite weight; parallel edges add up).
    pub fn new(n: usize, edges: Vec<(usize, usize, f64)>) -> Result<Self, AlignmentError> {
        if n == 0 {
            return Err(AlignmentError::Empty);
        }
        for (k, &(i, j, w)) in edges.iter().enumerate() {
            if i >= n || j >= n {
                return Err(AlignmentError::Graph(format!(
                    "edge {k} joins vertices {i} and {j}, but the graph has {n} (0-based)"
                )));
            }
            if i == j {
                return Err(AlignmentError::Graph(format!(
                    "edge {k} is a loop on vertex {i}"
                )));
            }
            if !w.is_finite() {
                return Err(AlignmentError::Graph(format!("edge {k} has weight {w}")));
            }
        }
        Ok(Graph { n, edges })
    }

    pub fn vertices(&self) -> usize {
        self.n
    }

    pub fn edges(&self) -> &[(usize, usize, f64)] {
        &self.edges
    }

    /// Total weight of the edges whose ends are on different sides.
    pub fn cut_value(&self, side: &[bool]) -> Result<f64, AlignmentError> {
        if side.len() != self.n {
            return Err(AlignmentError::WrongLength {
                got: side.len(),
                n: self.n,
            });
        }
        Ok(self
            .edges
            .iter()
            .filter(|&&(i, j, _)| side[i] != side[j])
            .map(|e| e.2)
            .sum())
    }

    /// Search for a maximum cut.
    pub fn max_cut(&self, config: &MaxCutConfig) -> Result<MaxCut, AlignmentError> {
        // Maximising the cut is minimising the energy of the negated weights.
        let negated: Vec<(usize, usize, f64)> =
            self.edges.iter().map(|&(i, j, w)| (i, j, -w)).collect();
        let problem = Problem::two_state(self.n, &negated);
        debug_assert_eq!(problem.n(), self.n);
        let heuristic = HeuristicConfig {
            model: Model::default(),
            method: config.method,
            seed: config.seed,
            restarts: config.restarts,
            moves_per_restart: config.moves_per_restart,
            time_limit: config.time_limit,
            target: config.target_cut.map(|c| -c),
        };
        let r = search(&problem, &heuristic)?;
        let side: Vec<bool> = r.best.states.iter().map(|&s| s == 1).collect();
        let cut = self.cut_value(&side)?;
        Ok(MaxCut {
            cut,
            side,
            restarts_run: r.restarts_run,
            restarts_reaching_best: r.restarts_reaching_best,
            moves: r.moves,
            stop: r.stop,
            time_to_best: r.time_to_best,
            elapsed: r.elapsed,
        })
    }
}

/// How [`Graph::max_cut`] searches.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxCutConfig {
    pub method: Method,
    pub seed: u64,
    /// Independent restarts (run in parallel).
    pub restarts: usize,
    pub moves_per_restart: u64,
    pub time_limit: Option<Duration>,
    /// Stop once a cut of at least this value is found.
    pub target_cut: Option<f64>,
}

impl Default for MaxCutConfig {
    fn default() -> Self {
        MaxCutConfig {
            method: Method::BreakoutLocalSearch,
            seed: 0,
            restarts: 2,
            moves_per_restart: 1_000_000,
            time_limit: None,
            target_cut: None,
        }
    }
}

/// The best cut found.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxCut {
    /// Cut value, recomputed from the partition.
    pub cut: f64,
    /// `side[v]` for each vertex.
    pub side: Vec<bool>,
    pub restarts_run: usize,
    pub restarts_reaching_best: usize,
    pub moves: u64,
    pub stop: StopReason,
    pub time_to_best: Duration,
    pub elapsed: Duration,
}
