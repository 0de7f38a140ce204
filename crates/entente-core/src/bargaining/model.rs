//! The rounds of the model: risk exponents, votes and probabilities by
//! prefix sums, offers, and each actor's choice among them.

use rayon::prelude::*;
use std::collections::HashMap;

use super::*;

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
    pub(super) fn map_actors<T: Send, F: Fn(usize) -> T + Sync + Send>(
        &self,
        n: usize,
        f: F,
    ) -> Vec<T> {
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
    pub(super) fn probabilities(&self, table: &Positions, r: &[f64]) -> Probabilities {
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
    pub(super) fn total_votes(&self, table: &Positions, util: &[f64]) -> f64 {
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
    pub(super) fn utilities(&self, r: f64, a: f64, b: f64) -> (f64, f64, f64) {
        let half_d = 0.5 * (a - b).abs() / self.range;
        let us = 2.0 - 4.0 * pow(0.5 - half_d, r);
        let uf = 2.0 - 4.0 * pow(0.5 + half_d, r);
        let usq = 2.0 - 4.0 * pow(0.5, r);
        (us, uf, usq)
    }

    /// The offer receiver i accepts, if any.
    pub(super) fn best_offer(
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

    pub(super) fn capitulates(&self, eu_ij: f64, eu_ji: f64) -> bool {
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
pub(super) fn pow(x: f64, r: f64) -> f64 {
    if r == 1.0 {
        x
    } else {
        x.powf(r)
    }
}

/// `E = s_t [P U_s + (1 - P) U_f] + (1 - s_t) U_s - Q U_sq`, s_t the target's salience.
pub(super) fn expected_utility(prob: f64, target_salience: f64, us: f64, uf: f64, usq: f64) -> f64 {
    target_salience * (prob * us + (1.0 - prob) * uf) + (1.0 - target_salience) * us - Q * usq
}

/// Distinct positions, sorted, with each actor's slot among them.
pub(super) struct Positions {
    /// Distinct positions, increasing.
    pub(super) values: Vec<f64>,
    /// Actors at each distinct position.
    pub(super) count: Vec<usize>,
    /// `below[u]`: actors at positions below `values[u]` (length m + 1).
    pub(super) below: Vec<usize>,
    /// Each actor's index into `values`.
    pub(super) slot: Vec<usize>,
    /// Actors by increasing position (ties in input order).
    pub(super) order: Vec<usize>,
    pub(super) actor_positions: Vec<f64>,
}

impl Positions {
    pub(super) fn new(positions: &[f64]) -> Positions {
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
pub(super) struct Probabilities {
    pub(super) m: usize,
    pub(super) p: Vec<f64>,
    pub(super) pt: Vec<f64>,
}

impl Probabilities {
    /// 0 on the diagonal: an actor cannot prevail against its own position.
    #[cfg(test)]
    pub(super) fn get(&self, u: usize, v: usize) -> f64 {
        if u == v {
            0.0
        } else {
            self.p[u * self.m + v]
        }
    }

    /// P(u, v) for all v.
    pub(super) fn row_for(&self, u: usize) -> &[f64] {
        &self.p[u * self.m..(u + 1) * self.m]
    }

    /// P(v, u) for all v.
    pub(super) fn against_row(&self, u: usize) -> &[f64] {
        &self.pt[u * self.m..(u + 1) * self.m]
    }
}
