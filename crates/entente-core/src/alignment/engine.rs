//! Heuristic search for large instances: breakout local search and simulated annealing.
//!
//! Both work on a sparse [`Problem`]: `q` states per vertex, a state-distance matrix `D`,
//! per-vertex state costs and weighted edges, energy
//! `E = sum_{edges} w_ij D[x_i][x_j] + sum_i cost_i[x_i]`. Each vertex keeps its fields
//! `g_i[c] = sum of w_ij over neighbours j in state c` and its best single move, so a move
//! costs O(degree * q^2) and choosing the best move O(n).
//!
//! Breakout local search (Benlic and Hao 2013) alternates steepest descent with perturbations
//! whose strength adapts: it grows when the search falls back into the same local optimum and
//! jumps to its maximum after `T` descents without a new best. Perturbations are directed
//! (best non-tabu move), recency-based (the vertex left alone longest) or random.
//!
//! Restart r draws from `ChaCha8Rng` seeded with the seed on stream r, and restarts are reduced
//! in index order, so without a time limit or target the result is the same for a seed whatever
//! the thread count. A time limit or target makes it depend on speed, and the result says which
//! stopped it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::cut_search::{self, IntProblem};
use super::{AlignmentError, Landscape, Minimum, Model};

/// Which heuristic to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Breakout local search: descent plus adaptive tabu/recency/random perturbation.
    #[default]
    BreakoutLocalSearch,
    /// Simulated annealing over `moves_per_restart` moves with geometric cooling, finished by
    /// steepest descent.
    SimulatedAnnealing,
}

/// What [`Landscape::heuristic`] runs.
#[derive(Debug, Clone, PartialEq)]
pub struct HeuristicConfig {
    pub model: Model,
    pub method: Method,
    pub seed: u64,
    /// Independent restarts, each from a random configuration.
    pub restarts: usize,
    /// Single-actor moves each restart may make (the annealing schedule's length).
    pub moves_per_restart: u64,
    /// Stop every restart at this wall-clock time after the start.
    pub time_limit: Option<Duration>,
    /// Stop every restart once some restart reaches an energy at or below this.
    pub target: Option<f64>,
}

impl Default for HeuristicConfig {
    fn default() -> Self {
        HeuristicConfig {
            model: Model::default(),
            method: Method::default(),
            seed: 0,
            restarts: 16,
            moves_per_restart: 200_000,
            time_limit: None,
            target: None,
        }
    }
}

/// Why the search stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Every restart used its move budget.
    Budget,
    /// The time limit ran out.
    TimeLimit,
    /// A restart reached the target energy.
    Target,
}

/// The outcome of a heuristic search.
#[derive(Debug, Clone, PartialEq)]
pub struct HeuristicResult {
    /// Best configuration found (canonical states; no basin).
    pub best: Minimum,
    /// Restarts that ran (fewer than asked when time ran out first).
    pub restarts_run: usize,
    /// Restarts whose own best equals the overall best.
    pub restarts_reaching_best: usize,
    /// Moves made over all restarts.
    pub moves: u64,
    pub stop: StopReason,
    /// Wall-clock time until the best energy was first found, and in all.
    pub time_to_best: Duration,
    pub elapsed: Duration,
}

/// A sparse energy function over vertices with `q` states each.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    n: usize,
    q: usize,
    dist: Vec<f64>,
    /// `cost[i * q + z]`: cost of vertex i being in state z.
    cost: Vec<f64>,
    start: Vec<usize>,
    adj: Vec<(u32, f64)>,
    /// Moves that change E by less than this are ties.
    tol: f64,
}

impl Problem {
    pub(crate) fn from_landscape(land: &Landscape, model: &Model) -> Self {
        let n = land.len();
        let q = model.states();
        let mut cost = vec![0.0; n * q];
        if let (Some(c), Some(ns)) = (model.neutral_cost, model.neutral_state()) {
            for i in 0..n {
                cost[i * q + usize::from(ns)] = land.neutral_cost_of(i, c);
            }
        }
        let mut start = Vec::with_capacity(n + 1);
        let mut adj = Vec::new();
        start.push(0);
        for i in 0..n {
            for j in 0..n {
                let w = land.weight(i, j);
                if j != i && w != 0.0 {
                    adj.push((j as u32, w));
                }
            }
            start.push(adj.len());
        }
        Self::build(n, q, model.distances(), cost, start, adj)
    }

    /// Two states at distance 1, no state costs: `E = sum over cut edges of w`.
    /// Each undirected edge appears once in `edges`; duplicates add up.
    pub(crate) fn two_state(n: usize, edges: &[(usize, usize, f64)]) -> Self {
        let mut deg = vec![0usize; n];
        for &(i, j, _) in edges {
            deg[i] += 1;
            deg[j] += 1;
        }
        let mut start = vec![0usize; n + 1];
        for i in 0..n {
            start[i + 1] = start[i] + deg[i];
        }
        let mut fill = start.clone();
        let mut adj = vec![(0u32, 0.0); start[n]];
        for &(i, j, w) in edges {
            adj[fill[i]] = (j as u32, w);
            fill[i] += 1;
            adj[fill[j]] = (i as u32, w);
            fill[j] += 1;
        }
        Self::build(n, 2, vec![0.0, 1.0, 1.0, 0.0], vec![0.0; 2 * n], start, adj)
    }

    fn build(
        n: usize,
        q: usize,
        dist: Vec<f64>,
        cost: Vec<f64>,
        start: Vec<usize>,
        adj: Vec<(u32, f64)>,
    ) -> Self {
        let scale: f64 =
            adj.iter().map(|e| e.1.abs()).sum::<f64>() + cost.iter().map(|c| c.abs()).sum::<f64>();
        Problem {
            n,
            q,
            dist,
            cost,
            start,
            adj,
            tol: 1e-12 * scale,
        }
    }

    pub(crate) fn n(&self) -> usize {
        self.n
    }

    fn neighbours(&self, i: usize) -> &[(u32, f64)] {
        &self.adj[self.start[i]..self.start[i + 1]]
    }

    pub(crate) fn neighbours_of(&self, i: usize) -> &[(u32, f64)] {
        self.neighbours(i)
    }

    pub(crate) fn adj_len(&self) -> usize {
        self.adj.len()
    }

    /// Two states at distance 1 and no state costs: a max-cut / Ising problem.
    pub(crate) fn is_plain_two_state(&self) -> bool {
        self.q == 2 && self.dist == [0.0, 1.0, 1.0, 0.0] && self.cost.iter().all(|&c| c == 0.0)
    }
}

/// A configuration with its fields and each vertex's best move, updated incrementally.
struct State<'a> {
    p: &'a Problem,
    st: Vec<u8>,
    g: Vec<f64>,
    best_delta: Vec<f64>,
    best_to: Vec<u8>,
    /// Vertices with an improving move, and each vertex's place in that list (or MAX), so
    /// that descent looks only at them.
    improving: Vec<u32>,
    place: Vec<u32>,
    e: f64,
}

impl<'a> State<'a> {
    fn new(p: &'a Problem, st: Vec<u8>) -> Self {
        let (n, q) = (p.n, p.q);
        let mut g = vec![0.0; n * q];
        let mut e = 0.0;
        for i in 0..n {
            for &(j, w) in p.neighbours(i) {
                let j = j as usize;
                g[i * q + usize::from(st[j])] += w;
                if j > i {
                    e += w * p.dist[usize::from(st[i]) * q + usize::from(st[j])];
                }
            }
            e += p.cost[i * q + usize::from(st[i])];
        }
        let mut s = State {
            p,
            st,
            g,
            best_delta: vec![0.0; n],
            best_to: vec![0; n],
            improving: Vec::new(),
            place: vec![u32::MAX; n],
            e,
        };
        for i in 0..n {
            s.refresh(i);
        }
        s
    }

    fn random(p: &'a Problem, rng: &mut ChaCha8Rng) -> Self {
        let st = (0..p.n).map(|_| rng.random_range(0..p.q) as u8).collect();
        Self::new(p, st)
    }

    /// Energy of vertex i's edges and cost were it in state z.
    fn f(&self, i: usize, z: usize) -> f64 {
        let q = self.p.q;
        let d = &self.p.dist[z * q..(z + 1) * q];
        let gi = &self.g[i * q..(i + 1) * q];
        d.iter().zip(gi).map(|(a, b)| a * b).sum::<f64>() + self.p.cost[i * q + z]
    }

    fn delta(&self, i: usize, z: usize) -> f64 {
        self.f(i, z) - self.f(i, usize::from(self.st[i]))
    }

    fn refresh(&mut self, i: usize) {
        let cur = usize::from(self.st[i]);
        let fc = self.f(i, cur);
        let mut bd = f64::INFINITY;
        let mut bz = cur;
        for z in 0..self.p.q {
            if z != cur {
                let d = self.f(i, z) - fc;
                if d < bd {
                    bd = d;
                    bz = z;
                }
            }
        }
        self.best_delta[i] = bd;
        self.best_to[i] = bz as u8;
        let listed = self.place[i] != u32::MAX;
        if bd < -self.p.tol && !listed {
            self.place[i] = self.improving.len() as u32;
            self.improving.push(i as u32);
        } else if bd >= -self.p.tol && listed {
            let k = self.place[i] as usize;
            self.improving.swap_remove(k);
            if let Some(&moved) = self.improving.get(k) {
                self.place[moved as usize] = k as u32;
            }
            self.place[i] = u32::MAX;
        }
    }

    fn apply(&mut self, i: usize, z: usize) {
        let p = self.p;
        let q = p.q;
        let x = usize::from(self.st[i]);
        self.e += self.delta(i, z);
        self.st[i] = z as u8;
        for &(j, w) in p.neighbours(i) {
            let j = j as usize;
            self.g[j * q + x] -= w;
            self.g[j * q + z] += w;
            self.refresh(j);
        }
        self.refresh(i);
    }

    /// Steepest descent to a local minimum (ties to the lowest vertex).
    fn descend(&mut self, moves: &mut u64, last_moved: &mut [u64]) {
        loop {
            let mut m = f64::INFINITY;
            let mut arg = usize::MAX;
            for &i in &self.improving {
                let i = i as usize;
                let d = self.best_delta[i];
                if d < m || (d == m && i < arg) {
                    m = d;
                    arg = i;
                }
            }
            if arg == usize::MAX {
                return;
            }
            let z = usize::from(self.best_to[arg]);
            self.apply(arg, z);
            *moves += 1;
            last_moved[arg] = *moves;
        }
    }
}

/// One restart's outcome.
pub(crate) struct Round {
    pub(crate) energy: f64,
    pub(crate) states: Vec<u8>,
    pub(crate) moves: u64,
    pub(crate) time_to_best: Duration,
    pub(crate) hit_time: bool,
    pub(crate) hit_target: bool,
}

/// What stops a restart: its move budget, the clock, a target energy, or another restart.
pub(crate) struct Limits<'a> {
    pub(crate) budget: u64,
    pub(crate) deadline: Option<Instant>,
    pub(crate) target: Option<f64>,
    pub(crate) stop: &'a AtomicBool,
    pub(crate) started: Instant,
}

impl Limits<'_> {
    pub(crate) fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

fn bls(p: &Problem, rng: &mut ChaCha8Rng, lim: &Limits) -> Round {
    let n = p.n;
    // Benlic and Hao's settings: L0 = 0.01 n, Lmax = 0.1 n, T = 1000, P0 = 0.75, Q = 0.5.
    // They were tuned on graphs of 800+ vertices; on small landscapes 0.1 n is one or two
    // moves, too weak to leave a deep basin (a 16-actor case stayed 6 flips from the
    // optimum in every restart), so Lmax is at least half the actors, up to 20.
    let l0 = (n / 100).max(1);
    let lmax = (n / 10).max(l0 + 1).max((n / 2).min(20));
    let t_stag = 1000u64;
    let (p0, q_dir) = (0.75, 0.5);
    let tenure_max = (n / 10).max(4);
    let mut s = State::random(p, rng);
    let mut tabu_until = vec![0u64; n];
    let mut last_moved = vec![0u64; n];
    let mut moves = 0u64;
    let mut best_e = f64::INFINITY;
    let mut best_st = s.st.clone();
    let mut time_to_best = Duration::ZERO;
    let (mut omega, mut l, mut prev_e) = (0u64, l0, f64::NAN);
    let (mut hit_time, mut hit_target) = (false, false);
    loop {
        s.descend(&mut moves, &mut last_moved);
        if s.e < best_e - p.tol {
            best_e = s.e;
            best_st.copy_from_slice(&s.st);
            time_to_best = lim.started.elapsed();
            omega = 0;
        } else {
            omega += 1;
        }
        if lim.target.is_some_and(|t| best_e <= t + p.tol) {
            hit_target = true;
            lim.stop.store(true, Ordering::Relaxed);
            break;
        }
        if moves >= lim.budget || lim.stop.load(Ordering::Relaxed) {
            break;
        }
        if lim.out_of_time() {
            hit_time = true;
            break;
        }
        if omega > t_stag {
            l = lmax;
            omega = 0;
        } else if (s.e - prev_e).abs() <= p.tol {
            l = (l + 1).min(lmax);
        } else {
            l = l0;
        }
        prev_e = s.e;
        // Perturbation type: directed with probability P*Q, recency-based P*(1-Q), random 1-P.
        let pd = (-(omega as f64) / t_stag as f64).exp().max(p0);
        let r: f64 = rng.random();
        for _ in 0..l {
            let (i, z) = if r < pd * q_dir {
                let mut m = f64::INFINITY;
                let mut arg = usize::MAX;
                let mut ties = 0u32;
                for (i, (&d, &until)) in s.best_delta.iter().zip(&tabu_until).enumerate() {
                    let allowed = until <= moves || s.e + d < best_e - p.tol;
                    if !allowed {
                        continue;
                    }
                    if d < m {
                        m = d;
                        arg = i;
                        ties = 1;
                    } else if d == m {
                        ties += 1;
                        if rng.random_range(0..ties) == 0 {
                            arg = i;
                        }
                    }
                }
                if arg == usize::MAX {
                    let i = rng.random_range(0..n);
                    (i, usize::from(s.best_to[i]))
                } else {
                    (arg, usize::from(s.best_to[arg]))
                }
            } else if r < pd {
                let mut arg = 0;
                for i in 1..n {
                    if last_moved[i] < last_moved[arg] {
                        arg = i;
                    }
                }
                (arg, usize::from(s.best_to[arg]))
            } else {
                let i = rng.random_range(0..n);
                let cur = usize::from(s.st[i]);
                let mut z = rng.random_range(0..p.q - 1);
                if z >= cur {
                    z += 1;
                }
                (i, z)
            };
            s.apply(i, z);
            moves += 1;
            last_moved[i] = moves;
            tabu_until[i] = moves + rng.random_range(3..=tenure_max) as u64;
        }
    }
    Round {
        energy: best_e,
        states: best_st,
        moves,
        time_to_best,
        hit_time,
        hit_target,
    }
}

fn anneal(p: &Problem, rng: &mut ChaCha8Rng, lim: &Limits) -> Round {
    let n = p.n;
    let q = p.q;
    let mut s = State::random(p, rng);
    // Starting temperature: the mean size of an uphill random move, so most are accepted.
    let mut up = 0.0;
    let mut ups = 0u32;
    for _ in 0..(4 * n).max(64) {
        let i = rng.random_range(0..n);
        let mut z = rng.random_range(0..q - 1);
        if z >= usize::from(s.st[i]) {
            z += 1;
        }
        let d = s.delta(i, z);
        if d > p.tol {
            up += d;
            ups += 1;
        }
    }
    let t0 = if ups > 0 { up / f64::from(ups) } else { 1.0 };
    let t1 = t0 * 1e-3;
    let sweep = n.max(1) as u64;
    let sweeps = (lim.budget / sweep).max(1);
    let factor = (t1 / t0).powf(1.0 / sweeps as f64);
    let mut temp = t0;
    let mut moves = 0u64;
    let mut best_e = s.e;
    let mut best_st = s.st.clone();
    let mut time_to_best = Duration::ZERO;
    let mut hit_time = false;
    'outer: for _ in 0..sweeps {
        for _ in 0..sweep {
            let i = rng.random_range(0..n);
            let mut z = rng.random_range(0..q - 1);
            if z >= usize::from(s.st[i]) {
                z += 1;
            }
            let d = s.delta(i, z);
            if d <= 0.0 || rng.random::<f64>() < (-d / temp).exp() {
                s.apply(i, z);
            }
            moves += 1;
        }
        if s.e < best_e - p.tol {
            best_e = s.e;
            best_st.copy_from_slice(&s.st);
            time_to_best = lim.started.elapsed();
        }
        temp *= factor;
        if lim.stop.load(Ordering::Relaxed) {
            break 'outer;
        }
        if lim.out_of_time() {
            hit_time = true;
            break 'outer;
        }
    }
    // Finish at a local minimum: descend from the best configuration seen.
    let mut s = State::new(p, best_st);
    let mut last = vec![0u64; n];
    s.descend(&mut moves, &mut last);
    if s.e < best_e - p.tol {
        time_to_best = lim.started.elapsed();
    }
    let hit_target = lim.target.is_some_and(|t| s.e <= t + p.tol);
    if hit_target {
        lim.stop.store(true, Ordering::Relaxed);
    }
    Round {
        energy: s.e,
        states: s.st,
        moves,
        time_to_best,
        hit_time,
        hit_target,
    }
}

/// Run the restarts and reduce them in index order.
pub(crate) fn search(
    p: &Problem,
    cfg: &HeuristicConfig,
) -> Result<HeuristicResult, AlignmentError> {
    if cfg.restarts == 0 || cfg.moves_per_restart == 0 {
        return Err(AlignmentError::NoBudget);
    }
    if p.n == 0 {
        return Err(AlignmentError::Empty);
    }
    let started = Instant::now();
    let stop = AtomicBool::new(false);
    let lim = Limits {
        budget: cfg.moves_per_restart,
        deadline: cfg.time_limit.map(|d| started + d),
        target: cfg.target,
        stop: &stop,
        started,
    };
    // Max-cut-like problems with whole weights take the bucket-based engine.
    let int_problem = match cfg.method {
        Method::BreakoutLocalSearch => IntProblem::from_problem(p),
        Method::SimulatedAnnealing => None,
    };
    let rounds: Vec<Option<Round>> = (0..cfg.restarts)
        .into_par_iter()
        .map(|r| {
            if stop.load(Ordering::Relaxed) || lim.out_of_time() {
                return None;
            }
            let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
            rng.set_stream(r as u64);
            Some(match cfg.method {
                Method::BreakoutLocalSearch => match &int_problem {
                    Some(ip) => cut_search::bls(ip, &mut rng, &lim),
                    None => bls(p, &mut rng, &lim),
                },
                Method::SimulatedAnnealing => anneal(p, &mut rng, &lim),
            })
        })
        .collect();
    let elapsed = started.elapsed();
    let ran: Vec<Round> = rounds.into_iter().flatten().collect();
    let mut best: Option<&Round> = None;
    for r in &ran {
        if best.is_none_or(|b| r.energy < b.energy - p.tol) {
            best = Some(r);
        }
    }
    let Some(best) = best else {
        // Only possible with a zero time limit: report the empty search honestly.
        return Err(AlignmentError::NoBudget);
    };
    let reaching: Vec<&Round> = ran
        .iter()
        .filter(|r| (r.energy - best.energy).abs() <= p.tol.max(1e-12))
        .collect();
    let stop_reason = if ran.iter().any(|r| r.hit_target) {
        StopReason::Target
    } else if ran.iter().any(|r| r.hit_time) || ran.len() < cfg.restarts {
        StopReason::TimeLimit
    } else {
        StopReason::Budget
    };
    Ok(HeuristicResult {
        best: Minimum {
            energy: best.energy,
            states: best.states.clone(),
            basin: None,
        },
        restarts_run: ran.len(),
        restarts_reaching_best: reaching.len(),
        moves: ran.iter().map(|r| r.moves).sum(),
        stop: stop_reason,
        time_to_best: reaching
            .iter()
            .map(|r| r.time_to_best)
            .min()
            .unwrap_or_default(),
        elapsed,
    })
}
