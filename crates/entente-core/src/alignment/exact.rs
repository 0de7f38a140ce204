//! Exact minima by enumerating every configuration.
//!
//! Two coalitions without neutrality use the Ising form: actor 0 is fixed in coalition 0 and
//! the other n-1 actors run through a binary Gray code, so each step flips one actor and
//! updates the local fields `h_i = sum_j w_ij sigma_j` in O(n) (flip k: `dE = sigma_k h_k`,
//! then `h_i -= 2 sigma_k w_ik`). Other models run a reflected mixed-radix Gray code over all
//! `q^n` labelled assignments with per-state fields, and fold label permutations together.
//!
//! Work is split over the high bits (digits) into a number of chunks fixed by n alone, each
//! starting from a freshly computed state, and chunk results are reduced in chunk order, so the
//! results do not depend on the thread count.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::{canonical, AlignmentError, Landscape, Model};

/// Largest n for exact enumeration with two coalitions and no neutral state
/// (2^33 configurations: about a minute on two cores).
pub const ISING_MAX_ACTORS: usize = 34;
/// Largest n for basins with two coalitions (4 bytes per configuration: 128 MiB at 26).
pub const ISING_BASIN_MAX_ACTORS: usize = 26;
/// Most labelled configurations enumerated for other models.
const GENERAL_MAX_CONFIGS: u64 = 1 << 32;
/// Most labelled configurations for basins in other models (4 bytes each).
const GENERAL_BASIN_MAX_CONFIGS: u64 = 1 << 25;

/// What [`Landscape::exact`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactConfig {
    pub model: Model,
    /// Compute each local minimum's basin of attraction (limited to small n, see
    /// [`ExactConfig::max_basin_actors`]).
    pub basins: bool,
    /// Keep at most this many local minima (the lowest); the total is still counted.
    pub max_local_minima: usize,
}

impl Default for ExactConfig {
    fn default() -> Self {
        ExactConfig {
            model: Model::default(),
            basins: true,
            max_local_minima: 1000,
        }
    }
}

impl ExactConfig {
    /// Largest number of actors exact mode accepts for this model.
    pub fn max_actors(&self) -> usize {
        if is_ising(&self.model) {
            ISING_MAX_ACTORS
        } else {
            max_n_for(self.model.states() as u64, GENERAL_MAX_CONFIGS)
        }
    }

    /// Largest number of actors for which basins can be computed.
    pub fn max_basin_actors(&self) -> usize {
        if is_ising(&self.model) {
            ISING_BASIN_MAX_ACTORS
        } else {
            max_n_for(self.model.states() as u64, GENERAL_BASIN_MAX_CONFIGS)
        }
    }
}

fn is_ising(model: &Model) -> bool {
    model.coalitions == 2 && model.neutral_cost.is_none()
}

fn max_n_for(q: u64, limit: u64) -> usize {
    // Fewer than two states is not a model (`Model::validate` refuses it); the loop below
    // would never end for them.
    if q < 2 {
        return 0;
    }
    let mut n = 0;
    let mut c: u64 = 1;
    while c.saturating_mul(q) <= limit {
        c *= q;
        n += 1;
    }
    n
}

/// A minimum: its energy, its canonical state vector and, when computed, the share of all
/// configurations whose steepest descent ends there.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    pub energy: f64,
    pub states: Vec<u8>,
    pub basin: Option<f64>,
}

/// The outcome of exact enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactResult {
    /// The lowest-energy configuration (the first found if several tie).
    pub global_minimum: Minimum,
    /// Local minima (no single actor's move lowers E), lowest energy first, at most
    /// `max_local_minima` of them.
    pub local_minima: Vec<Minimum>,
    /// How many distinct local minima exist (a lower bound when `truncated`).
    pub local_minima_total: u64,
    /// True when more local minima existed than were kept.
    pub truncated: bool,
    /// Configurations enumerated.
    pub configurations: u64,
}

pub(super) fn solve(land: &Landscape, cfg: &ExactConfig) -> Result<ExactResult, AlignmentError> {
    cfg.model.validate()?;
    let n = land.len();
    let states = cfg.model.states();
    let max = cfg.max_actors();
    if n > max {
        return Err(AlignmentError::TooLargeForExact { n, max, states });
    }
    let max_b = cfg.max_basin_actors();
    if cfg.basins && n > max_b {
        return Err(AlignmentError::TooLargeForBasins {
            n,
            max: max_b,
            states,
        });
    }
    let cap = cfg.max_local_minima.max(1);
    // Moves that change E by less than this count as ties: it is far above the rounding
    // drift of the incremental updates and far below any meaningful energy difference.
    let scale: f64 = land.weights().iter().map(|w| w.abs()).sum::<f64>()
        + cfg.model.neutral_cost.unwrap_or(0.0).abs() * land.sizes().iter().sum::<f64>();
    let tol = 1e-9 * scale;
    if is_ising(&cfg.model) {
        Ok(ising(land, cfg, tol, cap))
    } else {
        Ok(general(land, cfg, tol, cap))
    }
}

/// Split `total_digits` digits of radix q into (high, low): the chunk count depends only on
/// the problem size, never on the machine.
fn split_digits(total_digits: usize, q: u64) -> (usize, usize) {
    let mut low = total_digits;
    while low > 0 && q.pow((total_digits - low) as u32) < 256 && q.pow(low as u32) > 4096 {
        low -= 1;
    }
    (total_digits - low, low)
}

struct ChunkOut {
    best: (f64, u64),
    minima: Vec<(f64, u64)>,
    total: u64,
    truncated: bool,
}

fn keep_lowest(v: &mut Vec<(f64, u64)>, cap: usize) -> bool {
    if v.len() <= cap {
        return false;
    }
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v.truncate(cap);
    true
}

fn ising_states(n: usize, idx: u64) -> Vec<u8> {
    let mut s = vec![0u8; n];
    for (b, x) in s.iter_mut().skip(1).enumerate() {
        *x = ((idx >> b) & 1) as u8;
    }
    s
}

fn ising_chunk(
    w: &[f64],
    n: usize,
    prefix: u64,
    low: usize,
    tol: f64,
    cap: usize,
    mut next: Option<&mut [u32]>,
) -> ChunkOut {
    let bits = n - 1;
    let all = (1u64 << bits) - 1;
    let base = prefix << low;
    let mut s = vec![1.0f64; n];
    for b in 0..bits {
        if (base >> b) & 1 == 1 {
            s[b + 1] = -1.0;
        }
    }
    let mut h = vec![0.0f64; n];
    let mut e = 0.0;
    for i in 0..n {
        let row = &w[i * n..(i + 1) * n];
        h[i] = row.iter().zip(&s).map(|(a, b)| a * b).sum();
        for j in (i + 1)..n {
            if s[i] != s[j] {
                e += row[j];
            }
        }
    }
    let mut out = ChunkOut {
        best: (f64::INFINITY, base),
        minima: Vec::new(),
        total: 0,
        truncated: false,
    };
    let count = 1u64 << low;
    let mut idx = base;
    let mut t = 0u64;
    loop {
        // Gain of flipping actor i is sigma_i h_i; a local minimum has no gain below -tol.
        let (m, arg) = match next {
            Some(_) => min_gain_arg(&s, &h),
            None => (min_gain(&s, &h), 0),
        };
        if m >= -tol {
            out.total += 1;
            out.minima.push((e, idx));
            if out.minima.len() > 2 * cap {
                out.truncated |= keep_lowest(&mut out.minima, cap);
            }
        }
        if let Some(nx) = next.as_deref_mut() {
            let to = if m >= -tol {
                idx
            } else if arg == 0 {
                // Flipping actor 0 is flipping everyone else, in canonical form.
                idx ^ all
            } else {
                idx ^ (1 << (arg - 1))
            };
            nx[(idx - base) as usize] = to as u32;
        }
        if e < out.best.0 {
            out.best = (e, idx);
        }
        t += 1;
        if t == count {
            break;
        }
        let b = t.trailing_zeros() as usize;
        let a = b + 1;
        e += s[a] * h[a];
        let c = -2.0 * s[a];
        s[a] = -s[a];
        let row = &w[a * n..(a + 1) * n];
        for (hi, &wi) in h.iter_mut().zip(row) {
            *hi += c * wi;
        }
        idx ^= 1 << b;
    }
    out.truncated |= keep_lowest(&mut out.minima, cap);
    out
}

/// `min_i s_i h_i`, in four independent lanes so that it vectorises.
fn min_gain(s: &[f64], h: &[f64]) -> f64 {
    let mut acc = [f64::INFINITY; 4];
    let mut sc = s.chunks_exact(4);
    let mut hc = h.chunks_exact(4);
    for (a, b) in (&mut sc).zip(&mut hc) {
        for l in 0..4 {
            let g = a[l] * b[l];
            acc[l] = if g < acc[l] { g } else { acc[l] };
        }
    }
    let mut m = acc[0].min(acc[1]).min(acc[2].min(acc[3]));
    for (a, b) in sc.remainder().iter().zip(hc.remainder()) {
        m = m.min(a * b);
    }
    m
}

/// Lowest gain and the first actor achieving it (steepest descent's tie-break).
fn min_gain_arg(s: &[f64], h: &[f64]) -> (f64, usize) {
    let mut m = f64::INFINITY;
    let mut arg = 0;
    for (i, (a, b)) in s.iter().zip(h).enumerate() {
        let g = a * b;
        if g < m {
            m = g;
            arg = i;
        }
    }
    (m, arg)
}

/// Point every configuration at the local minimum its steepest descent reaches.
fn resolve_roots(next: &mut [u32]) {
    let len = next.len();
    for c in 0..len {
        let mut r = c;
        let mut steps = 0;
        // Energy falls along every edge, so there is no cycle; the step bound only guards.
        while next[r] as usize != r && steps <= len {
            r = next[r] as usize;
            steps += 1;
        }
        let mut x = c;
        while x != r {
            let nx = next[x] as usize;
            next[x] = r as u32;
            x = nx;
        }
    }
}

fn ising(land: &Landscape, cfg: &ExactConfig, tol: f64, cap: usize) -> ExactResult {
    let n = land.len();
    let w = land.weights();
    let bits = n - 1;
    let (high, low) = split_digits(bits, 2);
    let chunks = 1u64 << high;
    let configurations = 1u64 << bits;
    let mut next_store = Vec::new();
    let outs: Vec<ChunkOut> = if cfg.basins {
        next_store = vec![0u32; configurations as usize];
        next_store
            .par_chunks_mut(1 << low)
            .enumerate()
            .map(|(p, slice)| ising_chunk(w, n, p as u64, low, tol, cap, Some(slice)))
            .collect()
    } else {
        (0..chunks)
            .into_par_iter()
            .map(|p| ising_chunk(w, n, p, low, tol, cap, None))
            .collect()
    };
    finish(
        land,
        cfg,
        outs,
        configurations,
        cfg.basins.then_some(next_store),
        false,
        |idx| ising_states(n, idx),
    )
}

/// Reduce chunk results in chunk order; energies are recomputed from scratch.
fn finish(
    land: &Landscape,
    cfg: &ExactConfig,
    outs: Vec<ChunkOut>,
    configurations: u64,
    next: Option<Vec<u32>>,
    labelled_copies: bool,
    decode: impl Fn(u64) -> Vec<u8>,
) -> ExactResult {
    let model = &cfg.model;
    let cap = cfg.max_local_minima.max(1);
    let mut best: Option<(f64, Vec<u8>)> = None;
    let mut truncated = false;
    // Canonical states -> (energy, labelled indices seen).
    let mut minima: BTreeMap<Vec<u8>, (f64, Vec<u64>)> = BTreeMap::new();
    let mut counted = 0u64;
    for out in outs {
        truncated |= out.truncated;
        counted += out.total;
        let states = canonical(model, &decode(out.best.1));
        let e = land.energy_unchecked(model, &states);
        if best.as_ref().is_none_or(|b| e < b.0) {
            best = Some((e, states));
        }
        for (_, idx) in out.minima {
            let states = canonical(model, &decode(idx));
            let e = land.energy_unchecked(model, &states);
            minima.entry(states).or_insert((e, Vec::new())).1.push(idx);
        }
    }
    // With actor 0 pinned each minimum is seen once and the chunk counts are exact; with
    // labelled copies the distinct count is exact unless chunks had to drop some.
    let total = if labelled_copies {
        minima.len() as u64
    } else {
        counted
    };
    let mut list: Vec<(Vec<u8>, f64, Vec<u64>)> =
        minima.into_iter().map(|(s, (e, ix))| (s, e, ix)).collect();
    list.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    if list.len() > cap {
        list.truncate(cap);
        truncated = true;
    }
    let basins: Option<Vec<f64>> = next.map(|mut next| {
        resolve_roots(&mut next);
        let mut counts: HashMap<u32, u64> = HashMap::new();
        for &r in &next {
            *counts.entry(r).or_insert(0) += 1;
        }
        list.iter()
            .map(|(_, _, ix)| {
                let c: u64 = ix
                    .iter()
                    .map(|&i| counts.get(&(i as u32)).copied().unwrap_or(0))
                    .sum();
                c as f64 / configurations as f64
            })
            .collect()
    });
    let local_minima: Vec<super::Minimum> = list
        .into_iter()
        .enumerate()
        .map(|(k, (states, energy, _))| super::Minimum {
            energy,
            states,
            basin: basins.as_ref().map(|b| b[k]),
        })
        .collect();
    let (energy, states) = best.unwrap_or((0.0, Vec::new()));
    let basin = local_minima
        .iter()
        .find(|m| m.states == states)
        .and_then(|m| m.basin);
    ExactResult {
        global_minimum: super::Minimum {
            energy,
            states,
            basin,
        },
        local_minima,
        local_minima_total: total,
        truncated,
        configurations,
    }
}

struct General<'a> {
    w: &'a [f64],
    n: usize,
    q: usize,
    dist: Vec<f64>,
    /// `lin[i * q + z]`: the cost of actor i being in state z (the neutral cost).
    lin: Vec<f64>,
}

impl General<'_> {
    /// Energy of actor i in state z given its fields.
    fn f(&self, g: &[f64], i: usize, z: usize) -> f64 {
        let q = self.q;
        let d = &self.dist[z * q..(z + 1) * q];
        let gi = &g[i * q..(i + 1) * q];
        d.iter().zip(gi).map(|(a, b)| a * b).sum::<f64>() + self.lin[i * q + z]
    }

    fn chunk(
        &self,
        prefix: u64,
        low: usize,
        tol: f64,
        cap: usize,
        mut next: Option<&mut [u32]>,
    ) -> ChunkOut {
        let (n, q, w) = (self.n, self.q, self.w);
        let qq = q as u64;
        let mut pow = vec![1u64; n + 1];
        for j in 1..=n {
            pow[j] = pow[j - 1] * qq;
        }
        let base = prefix * pow[low];
        let mut st = vec![0usize; n];
        for j in low..n {
            st[j] = ((prefix / pow[j - low]) % qq) as usize;
        }
        let mut g = vec![0.0f64; n * q];
        for i in 0..n {
            for j in 0..n {
                g[i * q + st[j]] += w[i * n + j];
            }
        }
        let mut e = 0.0;
        for i in 0..n {
            for j in (i + 1)..n {
                e += w[i * n + j] * self.dist[st[i] * q + st[j]];
            }
            e += self.lin[i * q + st[i]];
        }
        let mut out = ChunkOut {
            best: (f64::INFINITY, base),
            minima: Vec::new(),
            total: 0,
            truncated: false,
        };
        let mut dir = vec![1i64; low];
        let mut idx = base;
        loop {
            let mut m = f64::INFINITY;
            let mut mv = (0usize, 0usize);
            for (i, &si) in st.iter().enumerate() {
                let cur = self.f(&g, i, si);
                for z in 0..q {
                    if z != si {
                        let d = self.f(&g, i, z) - cur;
                        if d < m {
                            m = d;
                            mv = (i, z);
                        }
                    }
                }
            }
            if m >= -tol {
                // Every labelled copy is kept: each copy roots its own share of the basin.
                out.total += 1;
                out.minima.push((e, idx));
                if out.minima.len() > 2 * cap {
                    out.truncated |= keep_lowest(&mut out.minima, cap);
                }
            }
            if let Some(nx) = next.as_deref_mut() {
                let to = if m >= -tol {
                    idx
                } else {
                    let (i, z) = mv;
                    (idx as i64 + (z as i64 - st[i] as i64) * pow[i] as i64) as u64
                };
                nx[(idx - base) as usize] = to as u32;
            }
            if e < out.best.0 {
                out.best = (e, idx);
            }
            // Reflected mixed-radix Gray code: move the lowest digit that can move.
            let mut j = 0;
            while j < low {
                let nd = st[j] as i64 + dir[j];
                if nd >= 0 && nd < q as i64 {
                    break;
                }
                dir[j] = -dir[j];
                j += 1;
            }
            if j == low {
                break;
            }
            let x = st[j];
            let y = (x as i64 + dir[j]) as usize;
            e += self.f(&g, j, y) - self.f(&g, j, x);
            for i in 0..n {
                let wij = w[i * n + j];
                g[i * q + x] -= wij;
                g[i * q + y] += wij;
            }
            st[j] = y;
            idx = if y > x { idx + pow[j] } else { idx - pow[j] };
        }
        out.truncated |= keep_lowest(&mut out.minima, cap);
        out
    }
}

fn general(land: &Landscape, cfg: &ExactConfig, tol: f64, cap: usize) -> ExactResult {
    let model = &cfg.model;
    let n = land.len();
    let q = model.states();
    let neutral = model.neutral_state().map(usize::from);
    let mut lin = vec![0.0; n * q];
    if let (Some(cost), Some(ns)) = (model.neutral_cost, neutral) {
        for i in 0..n {
            lin[i * q + ns] = land.neutral_cost_of(i, cost);
        }
    }
    let gen = General {
        w: land.weights(),
        n,
        q,
        dist: model.distances(),
        lin,
    };
    let qq = q as u64;
    let (high, low) = split_digits(n, qq);
    let chunks = qq.pow(high as u32);
    let configurations = qq.pow(n as u32);
    let chunk_len = qq.pow(low as u32) as usize;
    // Room for the labelled copies (label permutations) of the lowest `cap` minima.
    let chunk_cap = cap.saturating_mul(q.min(8));
    let mut next_store = Vec::new();
    let outs: Vec<ChunkOut> = if cfg.basins {
        next_store = vec![0u32; configurations as usize];
        next_store
            .par_chunks_mut(chunk_len)
            .enumerate()
            .map(|(p, slice)| gen.chunk(p as u64, low, tol, chunk_cap, Some(slice)))
            .collect()
    } else {
        (0..chunks)
            .into_par_iter()
            .map(|p| gen.chunk(p, low, tol, chunk_cap, None))
            .collect()
    };
    let decode = |idx: u64| {
        let mut s = vec![0u8; n];
        let mut x = idx;
        for v in s.iter_mut() {
            *v = (x % qq) as u8;
            x /= qq;
        }
        s
    };
    finish(
        land,
        cfg,
        outs,
        configurations,
        cfg.basins.then_some(next_store),
        true,
        decode,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19, item 6: a model of 0 or 1 coalitions used to loop forever in `max_n_for`
    /// when asked its size limits; it is refused by `validate` and has no exact size.
    #[test]
    fn regression_item6_fewer_than_two_coalitions_do_not_hang() {
        for coalitions in [0, 1] {
            for neutral_cost in [None, Some(0.5)] {
                let model = Model {
                    coalitions,
                    neutral_cost,
                };
                assert!(model.validate().is_err());
                let cfg = ExactConfig {
                    model,
                    ..ExactConfig::default()
                };
                if model.states() < 2 {
                    assert_eq!(cfg.max_actors(), 0);
                    assert_eq!(cfg.max_basin_actors(), 0);
                }
            }
        }
    }

    #[test]
    #[allow(clippy::needless_range_loop)] // filling a symmetric matrix
    fn ising_and_general_paths_agree() {
        let n = 7;
        let sizes: Vec<f64> = (0..n).map(|i| 1.0 + i as f64).collect();
        let mut p = vec![vec![0.0; n]; n];
        for i in 0..n {
            for j in (i + 1)..n {
                let v = (((i * 7 + j * 13) % 9) as f64) - 4.0;
                p[i][j] = v;
                p[j][i] = v;
            }
        }
        let land = Landscape::new(sizes, &p).unwrap();
        let cfg = ExactConfig::default();
        let a = ising(&land, &cfg, 1e-9, 1000);
        let b = general(&land, &cfg, 1e-9, 1000);
        assert_eq!(a.global_minimum, b.global_minimum);
        assert_eq!(a.local_minima.len(), b.local_minima.len());
        for (x, y) in a.local_minima.iter().zip(&b.local_minima) {
            assert_eq!(x.states, y.states);
            assert_eq!(x.energy, y.energy);
            // Same steepest-descent rule and tie-break (lowest actor), so the same shares,
            // although the general path visits both labelled copies of each configuration.
            assert!((x.basin.unwrap() - y.basin.unwrap()).abs() < 1e-12);
        }
        let sa: f64 = a.local_minima.iter().map(|m| m.basin.unwrap()).sum();
        let sb: f64 = b.local_minima.iter().map(|m| m.basin.unwrap()).sum();
        assert!((sa - 1.0).abs() < 1e-12 && (sb - 1.0).abs() < 1e-12);
    }

    #[test]
    fn digit_split_is_machine_independent() {
        assert_eq!(split_digits(5, 2), (0, 5));
        let (h, l) = split_digits(31, 2);
        assert_eq!(h + l, 31);
        assert!(h <= 8);
    }
}
