//! Alignment propensities from the world: how much two states want to be on
//! the same side, as a weighted sum of what the data say about the pair.
//!
//! Each pair gets [`FEATURES`] terms ([`FEATURE_NAMES`]): a constant (the
//! general pull of any partner, which makes larger coalitions attractive), its
//! formal ties of the year (defence, consultation, non-aggression or
//! neutrality), a strategic rivalry, the distance between the two states' UN
//! General Assembly ideal points (with an indicator where either has none, so
//! a missing vote record is not read as agreement), the threat they share
//! from third states and the threat they pose each other. No term is capped:
//! the weights ([`Weights`]) are estimated on history ([`super::fit`]), not
//! assumed, and they carry the scale.

use crate::ids::Ccode;
use crate::threat::Threat;
use crate::world::World;

/// Number of pair terms.
pub const FEATURES: usize = 9;

/// The pair terms' names, in order (also the weights' names in outputs).
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "constant",
    "defence",
    "consultation",
    "nonaggression",
    "rivalry",
    "unga_distance",
    "unga_missing",
    "shared_threat",
    "mutual_threat_pp",
];

/// One pair's terms.
pub type Features = [f64; FEATURES];

/// The terms of every pair of `actors` (row-major `n x n`, symmetric, the
/// diagonal zero). `threat` must be over the same `actors`, in the same order.
///
/// - defence: a defence pact in COW's, ATOP's or the hand-coded data (0/1);
/// - consultation, nonaggression (ATOP's non-aggression or neutrality): 0/1;
/// - rivalry: a strategic rivalry (Thompson and Dreyer) in force (0/1);
/// - unga_distance: the absolute distance of their ideal points (Bailey,
///   Strezhnev and Voeten), 0 with unga_missing = 1 where either has none;
/// - shared_threat: `sum_k min / sum_k max` of their threat from every third
///   actor k (0 to 1);
/// - mutual_threat_pp: the mean of the threat each poses the other, in
///   percentage points of annual dispute probability.
pub fn features(world: &World, threat: &Threat, actors: &[Ccode]) -> Vec<Features> {
    let n = actors.len();
    let q = &threat.q;
    let mut f = vec![[0.0; FEATURES]; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let (a, b) = (actors[i], actors[j]);
            let o = world.obligations_between(a, b);
            let flag = |x: bool| f64::from(u8::from(x));
            let (dist, missing) = match world.ideal_point_distance(a, b) {
                Some(d) if d.is_finite() => (d, 0.0),
                _ => (0.0, 1.0),
            };
            let (mut lo, mut hi) = (0.0, 0.0);
            for (k, (x, y)) in q[i].iter().zip(&q[j]).enumerate().take(n) {
                if k != i && k != j {
                    lo += x.min(*y);
                    hi += x.max(*y);
                }
            }
            let shared = if hi > 0.0 { lo / hi } else { 0.0 };
            let v = [
                1.0,
                flag(world.defence_between(a, b)),
                flag(o.consultation),
                flag(o.nonaggression || o.neutrality),
                flag(world.rivalry_between(a, b)),
                dist,
                missing,
                shared,
                50.0 * (q[i][j] + q[j][i]),
            ];
            f[i * n + j] = v;
            f[j * n + i] = v;
        }
    }
    f
}

/// The weights of the pair terms: a pair's propensity is `sum_k w_k f_k`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights(pub Features);

impl Weights {
    pub fn propensity(&self, f: &Features) -> f64 {
        self.0.iter().zip(f).map(|(w, x)| w * x).sum()
    }
}

/// Pairwise propensities from the terms of every pair (row-major, as
/// [`features`] returns them) as a matrix for [`super::Landscape::new`].
pub fn propensities(features: &[Features], n: usize, weights: &Weights) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    if i == j {
                        0.0
                    } else {
                        weights.propensity(&features[i * n + j])
                    }
                })
                .collect()
        })
        .collect()
}
