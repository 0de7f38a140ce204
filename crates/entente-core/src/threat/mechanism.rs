//! The threat mechanism on a network of states, free of the world: hazards,
//! commitments and projected power in, threat by channel out. Kept separate so
//! its properties (zero effect at zero strength, continuity, monotonicity) can
//! be tested on arbitrary networks.

/// The commitments between two states, each a strength in `[0, 1]` (1: the
/// pact as the data code it; an edit may grade it).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pact {
    pub defence: f64,
    /// A consultation pact without a defence pact.
    pub consultation: f64,
}

impl Pact {
    /// The pact with each commitment raised to at least `other`'s.
    pub fn max(self, other: Pact) -> Pact {
        Pact {
            defence: self.defence.max(other.defence),
            consultation: self.consultation.max(other.consultation),
        }
    }
    pub fn is_none(&self) -> bool {
        self.defence == 0.0 && self.consultation == 0.0
    }
}

/// The states and what ties them. States `0..n` are the actors (threat is
/// computed among them); states `n..m` are their allies outside the set, which
/// count in the balance of power only.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub n: usize,
    /// `z0[i][j]`: the actors' hazard log-odds without their own pact terms;
    /// `NEG_INFINITY` where the model does not apply (not politically relevant).
    pub z0: Vec<Vec<f64>>,
    /// `pact[i][k]`: commitments between actor `i` and state `k` (`n x m`).
    pub pact: Vec<Vec<Pact>>,
    /// `proj[k][i]`: capability state `k` can bring to bear on actor `i`
    /// (`m x n`; `proj[i][i]` is `i`'s own at home).
    pub proj: Vec<Vec<f64>>,
    /// Actors with an offence obligation (for the moral-hazard setting).
    pub offensive: Vec<bool>,
}

/// The mechanism's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mechanism {
    /// Fitted log-odds shift of the hazard between defence allies.
    pub beta_defence: f64,
    /// Fitted log-odds shift between consultation partners.
    pub beta_consultation: f64,
    /// Share of commitments honoured in the balance of power (Leeds 2003: 0.75).
    pub reliability: f64,
    /// Weight of a consultation partner relative to a defence ally in the
    /// balance and in deterrence.
    pub consultation_weight: f64,
    /// Fall in initiation against a state with a defence ally (Benson 2011: 0.18).
    pub deterrence: f64,
    /// How often a state joins a defence ally's dispute, and a consultation partner's.
    pub joining_defence: f64,
    pub joining_consultation: f64,
    /// Rise in threat from members of offence pacts, when applied (Benson 2011: 2.49).
    pub moral_hazard: Option<f64>,
}

/// Threat among the actors, by channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Channels {
    /// `p[i][j]`: the dyad's dispute hazard, with its pact terms (symmetric).
    pub p: Vec<Vec<f64>>,
    /// `direct[i][j]`: threat to `i` from `j`'s own initiation.
    pub direct: Vec<Vec<f64>>,
    /// `entrapment[i][j]`: threat to `i` of being drawn into an ally's dispute with `j`.
    pub entrapment: Vec<Vec<f64>>,
    /// `q[i][j] = 1 - (1 - direct)(1 - entrapment)`.
    pub q: Vec<Vec<f64>>,
    pub theta: Vec<f64>,
}

impl Mechanism {
    /// A commitment's weight in the balance and in deterrence.
    fn strength(&self, c: Pact) -> f64 {
        (c.defence + self.consultation_weight * c.consultation).clamp(0.0, 1.0)
    }
    fn joining(&self, c: Pact) -> f64 {
        (self.joining_defence * c.defence + self.joining_consultation * c.consultation)
            .clamp(0.0, 1.0)
    }
}

/// Threat among the actors of `net`:
///
/// - hazard `p_ij = logistic(z0_ij + beta_d c_d + beta_c c_c)` with the pair's
///   own commitments `c`;
/// - balance `w_ij = P_j / (P_j + P_i)`: the target `i` counts its own power and
///   every ally's at `reliability x strength` (an ally is never taken off its
///   side); the challenger `j` counts an ally `k` only by how much more it is
///   committed to `j` than to `i` (`max(0, s_jk - s_ik)`): a defensive
///   commitment does not extend to attacking another ally;
/// - direct threat `d_ij = min(1, 2 w_ij p_ij) (1 - deterrence a_ij)`, `a_ij` the
///   strongest commitment `i` has from a third state;
/// - entrapment `e_ij = (1 - s_ij) max_k joining_ik p_kj` over `i`'s partners `k`
///   among the actors (partners' disputes with one rival are largely the same
///   disputes, so the most dangerous counts; not against `i`'s own partner);
/// - `q_ij = 1 - (1 - d_ij)(1 - e_ij)` and `theta_i = 1 - prod_j (1 - q_ij)`.
pub fn compute(net: &Network, m: &Mechanism) -> Channels {
    let n = net.n;
    let states = net.proj.len();
    let strength: Vec<Vec<f64>> = net
        .pact
        .iter()
        .map(|row| row.iter().map(|c| m.strength(*c)).collect())
        .collect();
    // Each actor's partners (sparse), in state order.
    let partners: Vec<Vec<(usize, f64)>> = strength
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .filter(|(_, s)| **s > 0.0)
                .map(|(k, s)| (k, *s))
                .collect()
        })
        .collect();
    let p: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    if i == j || net.z0[i][j] == f64::NEG_INFINITY {
                        return 0.0;
                    }
                    let c = net.pact[i][j];
                    let z = net.z0[i][j]
                        + m.beta_defence * c.defence
                        + m.beta_consultation * c.consultation;
                    1.0 / (1.0 + (-z).exp())
                })
                .collect()
        })
        .collect();
    let mut direct = vec![vec![0.0; n]; n];
    let mut entrapment = vec![vec![0.0; n]; n];
    let mut q = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let mut own = net.proj[i][i];
            let mut deterred: f64 = 0.0;
            for &(k, s) in &partners[i] {
                if k != j && k != i {
                    own += m.reliability * s * net.proj[k][i];
                    deterred = deterred.max(s);
                }
            }
            let mut other = net.proj[j][i];
            for &(k, s) in &partners[j] {
                if k != j && k != i && k < states {
                    let extra = (s - strength[i][k]).max(0.0);
                    other += m.reliability * extra * net.proj[k][i];
                }
            }
            let w = if own + other > 0.0 {
                other / (own + other)
            } else {
                0.5
            };
            let mut d = (2.0 * w * p[i][j]).min(1.0) * (1.0 - m.deterrence * deterred);
            if let (Some(mh), true) = (m.moral_hazard, net.offensive[j]) {
                d *= 1.0 + mh;
            }
            let d = d.clamp(0.0, 1.0);
            // Partners' disputes with the same rival are largely the same
            // disputes: the most dangerous one counts, not their product.
            let mut drawn_in: f64 = 0.0;
            for &(k, _) in partners[i].iter().filter(|(k, _)| *k < n) {
                if k != j && k != i {
                    drawn_in = drawn_in.max(m.joining(net.pact[i][k]) * p[k][j]);
                }
            }
            // A state is not drawn in against its own partner.
            let e = ((1.0 - strength[i][j]) * drawn_in).clamp(0.0, 1.0);
            direct[i][j] = d;
            entrapment[i][j] = e;
            q[i][j] = 1.0 - (1.0 - d) * (1.0 - e);
        }
    }
    let theta = q
        .iter()
        .map(|row| 1.0 - row.iter().map(|x| 1.0 - x).product::<f64>())
        .collect();
    Channels {
        p,
        direct,
        entrapment,
        q,
        theta,
    }
}
