//! The alignment model's weights, estimated on history: for every year of the
//! sample, each unit's observed place (west, east or unaligned, from its
//! formal ties: [`super::sides::observed`]) is modelled as its best response
//! to where the others stand, with the landscape's energy as (minus) its
//! utility. That is a conditional logit over the three places, fitted by
//! maximum pseudo-likelihood (Besag 1975), the standard estimator of a
//! Potts/Ising model's couplings from observed configurations.
//!
//! A unit i in place z, the others in their observed places x_j, has utility
//! (per unit of its size) `-sum_j s_j p_ij d(z, x_j) + r [z = unaligned]`,
//! with `p_ij = sum_k w_k f_k(i, j)` ([`super::propensity`]) and `d`
//! Axelrod and Bennett's distance. The utility is linear in `(w, r)`, so the
//! fit is one concave problem. `r` is the value of standing apart: the
//! landscape's neutral cost is `-r`. Sizes are capability shares among the
//! year's units.

use super::logit::{self, Choice, LogitError};
use super::propensity::{Features, Weights, FEATURES, FEATURE_NAMES};
use super::sides::Side;

/// Number of estimated parameters: the pair weights, then `r`.
pub const PARAMS: usize = FEATURES + 1;

/// The parameters' names, in order.
pub fn param_names() -> Vec<&'static str> {
    let mut v = FEATURE_NAMES.to_vec();
    v.push("unaligned_value");
    v
}

/// The ridge prior's sd on every coefficient (a placeholder of the fit, not a
/// finding: it only keeps a perfectly separating term finite).
pub const RIDGE_SD: f64 = 10.0;

/// One year of history: the units' sizes (capability shares), the terms of
/// every pair (row-major `m x m`) and each unit's observed place.
#[derive(Debug, Clone, PartialEq)]
pub struct YearSample {
    pub year: i32,
    pub sizes: Vec<f64>,
    pub features: Vec<Features>,
    pub observed: Vec<Side>,
}

/// The fitted weights.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignmentFit {
    /// First and last year of the sample.
    pub years: (i32, i32),
    pub logit: logit::Fit,
    /// Log-likelihood of the uniform choice (each place 1/3), for comparison.
    pub null_log_likelihood: f64,
    /// Share of the sample's choices whose most probable place is the
    /// observed one (each unit given the others' observed places).
    pub best_response_agreement: f64,
}

/// The terms of each of unit `i`'s three places, given the others' observed places.
fn alternatives(s: &YearSample, i: usize) -> Vec<Vec<f64>> {
    let m = s.sizes.len();
    Side::ALL
        .iter()
        .map(|&z| {
            let mut x = vec![0.0; PARAMS];
            for j in (0..m).filter(|&j| j != i) {
                let d = z.distance(s.observed[j]) * s.sizes[j];
                if d > 0.0 {
                    for (xk, fk) in x.iter_mut().zip(&s.features[i * m + j]) {
                        *xk -= d * fk;
                    }
                }
            }
            x[FEATURES] = f64::from(u8::from(z == Side::Unaligned));
            x
        })
        .collect()
}

fn choices(samples: &[YearSample]) -> Vec<Choice> {
    let mut out = Vec::new();
    for (t, s) in samples.iter().enumerate() {
        for i in 0..s.sizes.len() {
            out.push(Choice {
                alternatives: alternatives(s, i),
                chosen: usize::from(s.observed[i].code()),
                cluster: t,
            });
        }
    }
    out
}

/// Fit the weights on `samples` (clusters: years).
pub fn fit(samples: &[YearSample]) -> Result<AlignmentFit, LogitError> {
    let ch = choices(samples);
    let f = logit::fit(&ch, RIDGE_SD)?;
    let agree = ch
        .iter()
        .filter(|c| {
            let p = logit::predict(&c.alternatives, &f.coef);
            let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b]));
            best == Some(c.chosen)
        })
        .count();
    Ok(AlignmentFit {
        years: (
            samples.first().map_or(0, |s| s.year),
            samples.last().map_or(0, |s| s.year),
        ),
        null_log_likelihood: -(ch.len() as f64) * 3f64.ln(),
        best_response_agreement: agree as f64 / ch.len().max(1) as f64,
        logit: f,
    })
}

impl AlignmentFit {
    /// The pair weights and the landscape's neutral cost at coefficients `coef`.
    pub fn model_at(coef: &[f64]) -> (Weights, f64) {
        let mut w = [0.0; FEATURES];
        w.copy_from_slice(&coef[..FEATURES]);
        (Weights(w), -coef[FEATURES])
    }

    /// The estimate's pair weights and neutral cost.
    pub fn point(&self) -> (Weights, f64) {
        Self::model_at(&self.logit.coef)
    }

    /// A draw from the estimate's sampling distribution (`z` standard normal,
    /// [`PARAMS`] of them); the estimate itself if the covariance is not
    /// positive definite.
    pub fn draw(&self, z: &[f64; PARAMS]) -> (Weights, f64) {
        match self.logit.draw(z) {
            Some(c) => Self::model_at(&c),
            None => self.point(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two camps that always stand apart, and one state that never joins
    /// either: the fit finds affinity within camps (a positive defence
    /// weight) and a positive value of standing apart for the loner.
    #[test]
    fn recovers_camps_and_a_loner() {
        let m = 5;
        let mut samples = Vec::new();
        for year in 0..30 {
            let mut features = vec![[0.0; FEATURES]; m * m];
            let camp = |i: usize| i % 2;
            for i in 0..m {
                for j in 0..m {
                    if i != j {
                        features[i * m + j][0] = 1.0;
                        let tied = i < 4 && j < 4 && camp(i) == camp(j);
                        features[i * m + j][1] = f64::from(u8::from(tied));
                        features[i * m + j][4] =
                            f64::from(u8::from(i < 4 && j < 4 && camp(i) != camp(j)));
                    }
                }
            }
            let observed = vec![
                Side::West,
                Side::East,
                Side::West,
                Side::East,
                Side::Unaligned,
            ];
            samples.push(YearSample {
                year,
                sizes: vec![0.2; m],
                features,
                observed,
            });
        }
        let f = fit(&samples).unwrap();
        let (w, cost) = f.point();
        assert!(w.0[1] > 0.0, "{w:?}");
        assert!(cost < 0.0, "standing apart has value: {cost}");
        assert_eq!(f.best_response_agreement, 1.0);
        assert!(f.logit.log_likelihood > f.null_log_likelihood);
    }
}
