//! Breakout local search specialised to two states and integer weights (max-cut on graphs
//! such as the G-set, or two-coalition landscapes with whole-number weights).
//!
//! Each vertex keeps its gain (the drop in energy if it changed side) as an integer, and
//! vertices sit in buckets by gain (doubly linked lists indexed by gain), so a move costs
//! O(degree) and the best move is found at the top bucket in amortised O(1) instead of a scan
//! over all vertices. Nothing is allocated after a restart's set-up.
//!
//! The search follows Benlic and Hao (2013): steepest descent to a local optimum, then a
//! perturbation of `L` moves, directed (best non-tabu move, tabu tenure drawn from
//! `3..=n/10`, aspiration on a new best) with probability `max(exp(-w/T), P0)` and random
//! otherwise, where `w` counts local optima since the last new best. `L` grows by one each
//! time the search falls back to an optimum of the same energy, returns to `L0` otherwise, and
//! jumps to `Lmax` after `T` optima without a new best.

use std::sync::atomic::Ordering;
use std::time::Duration;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::engine::{Limits, Problem, Round};

const NONE: u32 = u32::MAX;

/// Directed moves draw among the first few allowed vertices of the best bucket. The lists are
/// last-in first-out, so these are the vertices whose gain changed most recently: keeping the
/// perturbation near the last moves did better on the G-set than a uniform draw over the
/// bucket (G14, 15 s, three seeds: 3062/3061/3058 against 3059/3055/3056).
const CANDIDATES: u32 = 4;

/// Local optima without a better one (per vertex, and at most), after which a trajectory
/// restarts from random sides.
const RESTART_AFTER_PER_VERTEX: u64 = 25;
const RESTART_AFTER_MAX: u64 = 20_000;

/// A two-state problem with integer edge weights: `E = sum over cut edges of w`.
#[derive(Debug, Clone)]
pub(crate) struct IntProblem {
    n: usize,
    start: Vec<usize>,
    nbr: Vec<u32>,
    w: Vec<i64>,
    /// Largest `sum_j |w_ij|` over vertices: gains lie in `-span..=span`.
    span: i64,
}

impl IntProblem {
    /// The integer form of `p`, if `p` has two states at distance 1, no state costs, whole
    /// weights, and a gain range small enough for buckets (a few per vertex); else `None`.
    pub(crate) fn from_problem(p: &Problem) -> Option<Self> {
        if !p.is_plain_two_state() {
            return None;
        }
        let n = p.n();
        let mut start = Vec::with_capacity(n + 1);
        let mut nbr = Vec::with_capacity(p.adj_len());
        let mut w = Vec::with_capacity(p.adj_len());
        let mut span = 0i64;
        start.push(0);
        for i in 0..n {
            let mut sum = 0i64;
            for &(j, x) in p.neighbours_of(i) {
                // Whole numbers well inside i64 only; anything else takes the general engine.
                if x.fract() != 0.0 || x.abs() > 1e9 {
                    return None;
                }
                let x = x as i64;
                sum += x.abs();
                nbr.push(j);
                w.push(x);
            }
            span = span.max(sum);
            start.push(nbr.len());
        }
        if span > 4 * n as i64 + 256 {
            return None;
        }
        Some(IntProblem {
            n,
            start,
            nbr,
            w,
            span,
        })
    }
}

/// Sides, gains and the gain buckets of one configuration.
struct Cut<'a> {
    p: &'a IntProblem,
    side: Vec<u8>,
    gain: Vec<i64>,
    head: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    /// No bucket above this one is occupied.
    top: usize,
    e: i64,
}

impl<'a> Cut<'a> {
    fn new(p: &'a IntProblem, side: Vec<u8>) -> Self {
        let n = p.n;
        let mut c = Cut {
            p,
            side,
            gain: vec![0; n],
            head: vec![NONE; 2 * p.span as usize + 1],
            next: vec![NONE; n],
            prev: vec![NONE; n],
            top: 0,
            e: 0,
        };
        c.recount();
        c
    }

    /// Gains, energy and buckets from scratch for the current sides (no allocation).
    fn recount(&mut self) {
        let p = self.p;
        let n = p.n;
        let c = self;
        c.head.fill(NONE);
        c.top = 0;
        c.e = 0;
        for i in 0..n {
            let mut g = 0;
            for k in p.start[i]..p.start[i + 1] {
                let j = p.nbr[k] as usize;
                let cut = c.side[i] != c.side[j];
                g += if cut { p.w[k] } else { -p.w[k] };
                if cut && j > i {
                    c.e += p.w[k];
                }
            }
            c.gain[i] = g;
            c.insert(i);
        }
    }

    fn bucket(&self, i: usize) -> usize {
        (self.gain[i] + self.p.span) as usize
    }

    fn insert(&mut self, i: usize) {
        let b = self.bucket(i);
        let h = self.head[b];
        self.next[i] = h;
        self.prev[i] = NONE;
        if h != NONE {
            self.prev[h as usize] = i as u32;
        }
        self.head[b] = i as u32;
        self.top = self.top.max(b);
    }

    fn remove(&mut self, i: usize) {
        let (pv, nx) = (self.prev[i], self.next[i]);
        if pv == NONE {
            let b = self.bucket(i);
            self.head[b] = nx;
        } else {
            self.next[pv as usize] = nx;
        }
        if nx != NONE {
            self.prev[nx as usize] = pv;
        }
    }

    /// The highest occupied bucket.
    fn top_bucket(&mut self) -> usize {
        while self.top > 0 && self.head[self.top] == NONE {
            self.top -= 1;
        }
        self.top
    }

    fn flip(&mut self, i: usize) {
        let p = self.p;
        self.e -= self.gain[i];
        let si = self.side[i];
        for k in p.start[i]..p.start[i + 1] {
            let j = p.nbr[k] as usize;
            // Edge ij was cut iff the sides differ; flipping i toggles that, and with it the
            // sign of the edge's share of j's gain.
            let d = if self.side[j] != si {
                -2 * p.w[k]
            } else {
                2 * p.w[k]
            };
            self.remove(j);
            self.gain[j] += d;
            self.insert(j);
        }
        self.remove(i);
        self.gain[i] = -self.gain[i];
        self.insert(i);
        self.side[i] ^= 1;
    }

    /// Steepest descent: take a vertex of the highest gain while that gain is positive.
    fn descend(&mut self, moves: &mut u64) {
        let zero = self.p.span as usize;
        loop {
            let b = self.top_bucket();
            if b <= zero {
                return;
            }
            let i = self.head[b] as usize;
            self.flip(i);
            *moves += 1;
        }
    }

    /// The best move not forbidden by the tabu list (a tabu move is allowed if it gives a new
    /// best energy). Among the first [`CANDIDATES`] equal candidates one is drawn at random.
    fn best_allowed(
        &mut self,
        tabu_until: &[u64],
        moves: u64,
        best_e: i64,
        rng: &mut ChaCha8Rng,
    ) -> Option<usize> {
        let mut b = self.top_bucket() as isize;
        while b >= 0 {
            let g = b as i64 - self.p.span;
            let aspiring = self.e - g < best_e;
            let mut v = self.head[b as usize];
            let mut chosen = None;
            let mut seen = 0u32;
            while v != NONE && seen < CANDIDATES {
                let i = v as usize;
                if aspiring || tabu_until[i] <= moves {
                    seen += 1;
                    if rng.random_range(0..seen) == 0 {
                        chosen = Some(i);
                    }
                }
                v = self.next[i];
            }
            if chosen.is_some() {
                return chosen;
            }
            b -= 1;
        }
        None
    }
}

pub(crate) fn bls(p: &IntProblem, rng: &mut ChaCha8Rng, lim: &Limits) -> Round {
    let n = p.n;
    // Benlic and Hao's settings for max-cut: L0 = 0.01 n, Lmax = 0.1 n, T = 1000, P0 = 0.8.
    let l0 = (n / 100).max(1);
    // Small graphs: at least 5 moves (or n) at full strength, else 0.1 n is too weak to leave.
    let lmax = (n / 10).max(l0 + 1).max(n.min(5));
    let restart_after = (RESTART_AFTER_PER_VERTEX * n as u64).clamp(1_000, RESTART_AFTER_MAX);
    let t_stag = 1000u64;
    let p0 = 0.8;
    let tenure_max = (n as u64 / 10).max(4);
    let side: Vec<u8> = (0..n).map(|_| rng.random_range(0..2u8)).collect();
    let mut c = Cut::new(p, side);
    let mut tabu_until = vec![0u64; n];
    let mut moves = 0u64;
    let mut best_e = i64::MAX;
    let mut best_side = c.side.clone();
    let mut time_to_best = Duration::ZERO;
    let (mut omega, mut l, mut prev_e) = (0u64, l0, i64::MAX);
    let (mut hit_time, mut hit_target) = (false, false);
    let mut optima = 0u64;
    let (mut run_best, mut since_run_best) = (i64::MAX, 0u64);
    // The tabu clock counts perturbation moves only (descent ignores the tabu list).
    let mut clock = 0u64;
    loop {
        c.descend(&mut moves);
        // A trajectory that has found nothing better for a long time starts again from a
        // random configuration (the overall best is kept).
        if c.e < run_best {
            run_best = c.e;
            since_run_best = 0;
        } else {
            since_run_best += 1;
            if since_run_best > restart_after {
                for s in c.side.iter_mut() {
                    *s = rng.random_range(0..2u8);
                }
                c.recount();
                run_best = i64::MAX;
                since_run_best = 0;
                omega = 0;
                l = l0;
                continue;
            }
        }
        if c.e < best_e {
            best_e = c.e;
            best_side.copy_from_slice(&c.side);
            time_to_best = lim.started.elapsed();
            omega = 0;
            if lim.target.is_some_and(|t| best_e as f64 <= t) {
                hit_target = true;
                lim.stop.store(true, Ordering::Relaxed);
                break;
            }
        } else {
            omega += 1;
        }
        if moves >= lim.budget {
            break;
        }
        // The clock and the other restarts are consulted every 16 optima (a few microseconds).
        optima += 1;
        if optima % 16 == 0 {
            if lim.stop.load(Ordering::Relaxed) {
                break;
            }
            if lim.out_of_time() {
                hit_time = true;
                break;
            }
        }
        // After T optima without a new best, a random jump of full strength.
        let mut escape = false;
        if omega > t_stag {
            l = lmax;
            omega = 0;
            escape = true;
        } else if c.e == prev_e {
            l = (l + 1).min(lmax);
        } else {
            l = l0;
        }
        prev_e = c.e;
        let pd = (-(omega as f64) / t_stag as f64).exp().max(p0);
        let directed = !escape && rng.random::<f64>() < pd;
        for _ in 0..l {
            let i = if directed {
                c.best_allowed(&tabu_until, clock, best_e, rng)
                    .unwrap_or_else(|| rng.random_range(0..n))
            } else {
                rng.random_range(0..n)
            };
            c.flip(i);
            moves += 1;
            clock += 1;
            tabu_until[i] = clock + rng.random_range(3..=tenure_max);
        }
    }
    Round {
        energy: best_e as f64,
        states: best_side,
        moves,
        time_to_best,
        hit_time,
        hit_target,
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    fn cycle(n: usize, w: f64) -> Problem {
        let edges: Vec<(usize, usize, f64)> = (0..n).map(|i| (i, (i + 1) % n, w)).collect();
        Problem::two_state(n, &edges)
    }

    #[test]
    fn only_whole_weights_take_the_bucket_engine() {
        assert!(IntProblem::from_problem(&cycle(5, -1.0)).is_some());
        assert!(IntProblem::from_problem(&cycle(5, -0.5)).is_none());
        // A gain range far wider than the vertex count would make the buckets mostly empty.
        assert!(IntProblem::from_problem(&cycle(5, -1e6)).is_none());
    }

    #[test]
    fn incremental_gains_and_energy_match_a_recount() {
        let edges = [
            (0, 1, 2.0),
            (1, 2, -1.0),
            (2, 3, 3.0),
            (0, 3, -2.0),
            (1, 3, 1.0),
        ];
        let p = IntProblem::from_problem(&Problem::two_state(4, &edges)).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut c = Cut::new(&p, vec![0, 1, 0, 0]);
        for _ in 0..200 {
            c.flip(rng.random_range(0..4));
            let fresh = Cut::new(&p, c.side.clone());
            assert_eq!(c.e, fresh.e);
            assert_eq!(c.gain, fresh.gain);
            // The top bucket holds a vertex of the highest gain.
            let top = c.top_bucket() as i64 - p.span;
            assert_eq!(top, *c.gain.iter().max().unwrap());
        }
    }
}
