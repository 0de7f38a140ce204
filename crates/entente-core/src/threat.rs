//! Threat: how endangered each state is, and how an edit of the alliance
//! network changes it, source by source.
//!
//! Threat felt by `i` is `theta_i = 1 - prod_j (1 - q_ij)` (Nordhaus, Oneal and
//! Russett 2012), where `q_ij` is the dyad's annual dispute hazard
//! ([`crate::hazard`]) weighted by the balance of power `j` can bring to bear on
//! `i` and adjusted for alliances:
//!
//! - Balance: `w_ij = P_j->i / (P_j->i + P_i)`, where `P_j->i` is `j`'s capability
//!   projected to `i` ([`crate::power`]) plus its defence allies' projected
//!   capability counted at their reliability (allies honour commitments about
//!   75% of the time, Leeds 2003), and `P_i` is `i`'s own plus its allies' the
//!   same way (an ally of both counts for neither). Consultation-pact partners
//!   can count too, at `consultation_weight` of an ally's weight (0 by default).
//!   `q_ij = min(1, 2 w_ij p_ij)`: at parity the threat is the hazard itself.
//! - Deterrence (Benson 2011): if `i` has a defensive ally (not allied to `j`),
//!   third-party initiation falls by about 18%: `q_ij *= 1 - 0.18`.
//! - Moral hazard (Benson 2011): unconditional compellent pacts raise their
//!   members' own initiation by about 249%. ATOP's offence obligations do not say
//!   whether a pact is unconditional, so this is off by default.
//!
//! A pact therefore both deters (allies add to the target's side) and alarms
//! (they add to the challenger's side, as the target's rivals see it): the
//! spiral and deterrence arguments in one quantity.

use std::collections::HashMap;

use crate::hazard::{self, HazardConfig};
use crate::ids::Ccode;
use crate::power::{self, PowerConfig};
use crate::world::{Archive, World};

/// Whether the moral-hazard effect of offensive pacts is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoralHazard {
    Ignore,
    /// Multiply threat from members of offence pacts by `1 + moral_hazard`.
    Apply,
}

/// Settings of the threat model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreatConfig {
    pub hazard: HazardConfig,
    pub power: PowerConfig,
    /// Share of alliance commitments honoured (Leeds 2003: about 0.75).
    pub reliability: f64,
    /// Fall in third-party initiation against a defended state (Benson 2011: 0.18).
    pub deterrence: f64,
    /// Rise in initiation by members of unconditional offensive pacts (Benson 2011: 2.49).
    pub moral_hazard: f64,
    pub moral_hazard_rule: MoralHazard,
    /// Weight of consultation-pact partners relative to defence allies in the
    /// balance of power (0: consultation pacts carry no military weight).
    pub consultation_weight: f64,
}

impl ThreatConfig {
    /// The published defaults around a hazard configuration.
    pub fn new(hazard: HazardConfig) -> ThreatConfig {
        ThreatConfig {
            hazard,
            power: PowerConfig::default(),
            reliability: 0.75,
            deterrence: 0.18,
            moral_hazard: 2.49,
            moral_hazard_rule: MoralHazard::Ignore,
            consultation_weight: 0.0,
        }
    }
}

/// Threat among a set of states.
#[derive(Debug, Clone, PartialEq)]
pub struct Threat {
    pub actors: Vec<Ccode>,
    /// `q[i][j]`: threat to `actors[i]` from `actors[j]` (0 on the diagonal).
    pub q: Vec<Vec<f64>>,
    /// `p[i][j]`: the dyad's dispute hazard (symmetric).
    pub p: Vec<Vec<f64>>,
    /// Threat felt by each actor.
    pub theta: Vec<f64>,
}

impl Threat {
    pub fn index(&self, c: Ccode) -> Option<usize> {
        self.actors.iter().position(|&a| a == c)
    }
}

/// Threat to and from every state in `actors` (sources are the same set).
pub fn threat(archive: &Archive, world: &World, actors: &[Ccode], cfg: &ThreatConfig) -> Threat {
    let n = actors.len();
    let hazards = hazard::all_pairs(archive, world, actors, &cfg.hazard);
    // Dense indices over all states: the inner loops below run n^2 times over
    // alliance lists, so they must not hash.
    let m = world.states.len();
    let pos: HashMap<Ccode, usize> = world
        .states
        .iter()
        .enumerate()
        .map(|(k, s)| (s.ccode, k))
        .collect();
    // Allies of each actor among all states (allies outside the set count too),
    // with their weight in the balance: reliability for defence pacts, less for
    // consultation pacts.
    let mut allies: Vec<Vec<(usize, f64)>> = Vec::with_capacity(n);
    let mut is_ally: Vec<Vec<bool>> = Vec::with_capacity(n);
    let mut defended: Vec<Vec<bool>> = Vec::with_capacity(n);
    let mut offensive: Vec<bool> = Vec::with_capacity(n);
    for &a in actors {
        let (mut v, mut mark, mut def) = (Vec::new(), vec![false; m], vec![false; m]);
        let mut off = false;
        for (k, s) in world.states.iter().enumerate() {
            if s.ccode == a {
                continue;
            }
            let o = world.obligations_between(a, s.ccode);
            if world.defence_between(a, s.ccode) {
                v.push((k, cfg.reliability));
                mark[k] = true;
                def[k] = true;
            } else if o.consultation && cfg.consultation_weight > 0.0 {
                v.push((k, cfg.reliability * cfg.consultation_weight));
                mark[k] = true;
            }
            off |= o.offence;
        }
        allies.push(v);
        is_ally.push(mark);
        defended.push(def);
        offensive.push(off);
    }
    let at: Vec<Option<usize>> = actors.iter().map(|c| pos.get(c).copied()).collect();
    // Projected power from every state to each actor, computed on first use.
    let mut proj = vec![f64::NAN; m * n];
    let mut proj_to = |from: usize, to: usize| -> f64 {
        let cell = &mut proj[from * n + to];
        if cell.is_nan() {
            *cell = power::projected(world, world.states[from].ccode, actors[to], &cfg.power)
                .unwrap_or(0.0);
        }
        *cell
    };
    let mut q = vec![vec![0.0; n]; n];
    let mut p = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (a, b) = (actors[i], actors[j]);
            let k = if a <= b { (a, b) } else { (b, a) };
            let pij = hazards.get(&k).map_or(0.0, |h| h.probability);
            p[i][j] = pij;
            let (Some(ia), Some(ib)) = (at[i], at[j]) else {
                continue;
            };
            // An ally of both counts for neither side.
            let mut side = |own: usize, other: usize, list: &[(usize, f64)]| -> f64 {
                let mut total = proj_to(own, i);
                for &(x, wt) in list {
                    if x != other && !(is_ally[i][x] && is_ally[j][x]) {
                        total += wt * proj_to(x, i);
                    }
                }
                total
            };
            let p_j = side(ib, ia, &allies[j]);
            let p_i = side(ia, ib, &allies[i]);
            let w = if p_j + p_i > 0.0 {
                p_j / (p_j + p_i)
            } else {
                0.5
            };
            let mut qij = 2.0 * w * pij;
            if (0..m).any(|x| defended[i][x] && x != ib && !defended[j][x]) {
                qij *= 1.0 - cfg.deterrence;
            }
            if cfg.moral_hazard_rule == MoralHazard::Apply && offensive[j] {
                qij *= 1.0 + cfg.moral_hazard;
            }
            q[i][j] = qij.clamp(0.0, 1.0);
        }
    }
    let theta = q
        .iter()
        .map(|row| 1.0 - row.iter().map(|x| 1.0 - x).product::<f64>())
        .collect();
    Threat {
        actors: actors.to_vec(),
        q,
        p,
        theta,
    }
}

/// The change in one state's threat between two worlds, by source.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatChange {
    pub ccode: Ccode,
    pub before: f64,
    pub after: f64,
    /// Contributions by source state, largest magnitude first; they sum to
    /// `after - before` exactly (up to rounding).
    pub sources: Vec<(Ccode, f64)>,
}

impl ThreatChange {
    pub fn delta(&self) -> f64 {
        self.after - self.before
    }
}

/// Decompose each state's change in threat by source.
///
/// `theta = 1 - exp(S)` with `S = sum_j ln(1 - q_j)`; each source's share of the
/// change is its change in `S` times the secant slope `d theta / d S`, which
/// makes the contributions add up to the total exactly, offsetting sources
/// included.
pub fn compare(before: &Threat, after: &Threat) -> Vec<ThreatChange> {
    let mut out = Vec::new();
    for (i, &c) in before.actors.iter().enumerate() {
        let Some(i2) = after.index(c) else { continue };
        let ln1m = |x: f64| (1.0 - x).max(1e-300).ln();
        let mut ds: Vec<(Ccode, f64)> = Vec::new();
        for (j, &s) in before.actors.iter().enumerate() {
            let Some(j2) = after.index(s) else { continue };
            if i == j {
                continue;
            }
            ds.push((s, ln1m(after.q[i2][j2]) - ln1m(before.q[i][j])));
        }
        let (t0, t1) = (before.theta[i], after.theta[i2]);
        let d_s: f64 = ds.iter().map(|x| x.1).sum();
        // theta = 1 - e^S: secant slope, or the derivative -e^S when S barely moves.
        let slope = if d_s.abs() > 1e-12 {
            (t1 - t0) / d_s
        } else {
            -(1.0 - t0)
        };
        let mut sources: Vec<(Ccode, f64)> = ds
            .into_iter()
            .map(|(s, d)| (s, d * slope))
            .filter(|x| x.1 != 0.0)
            .collect();
        sources.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        out.push(ThreatChange {
            ccode: c,
            before: t0,
            after: t1,
            sources,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn threat_of(q: Vec<Vec<f64>>) -> Threat {
        let n = q.len();
        let theta = q
            .iter()
            .map(|r| 1.0 - r.iter().map(|x| 1.0 - x).product::<f64>())
            .collect();
        Threat {
            actors: (0..n as u16).map(Ccode).collect(),
            p: q.clone(),
            q,
            theta,
        }
    }

    proptest! {
        #[test]
        fn decomposition_sums_to_the_total(
            a in prop::collection::vec(0.0f64..0.3, 16),
            b in prop::collection::vec(0.0f64..0.3, 16),
        ) {
            let m = |v: &[f64]| -> Vec<Vec<f64>> {
                (0..4).map(|i| (0..4).map(|j| if i == j { 0.0 } else { v[i * 4 + j] }).collect()).collect()
            };
            let (t0, t1) = (threat_of(m(&a)), threat_of(m(&b)));
            for ch in compare(&t0, &t1) {
                let sum: f64 = ch.sources.iter().map(|s| s.1).sum();
                prop_assert!((sum - ch.delta()).abs() < 1e-12, "{} vs {}", sum, ch.delta());
            }
        }
    }

    #[test]
    fn no_change_means_no_sources() {
        let t = threat_of(vec![vec![0.0, 0.1], vec![0.2, 0.0]]);
        for ch in compare(&t, &t) {
            assert_eq!(ch.delta(), 0.0);
            assert!(ch.sources.is_empty());
        }
    }
}
