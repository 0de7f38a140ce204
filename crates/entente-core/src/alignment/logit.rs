//! McFadden's conditional logit, the estimator behind both of the alignment
//! model's fits: which of its places (west, east, unaligned) each state takes
//! given the others' (a pseudo-likelihood: Besag 1975), and whether a pair
//! forms a new tie (the binary logit, two alternatives with the first at 0).
//!
//! Newton-Raphson on the log-likelihood with a ridge penalty (a normal prior
//! of sd `ridge_sd` on each coefficient, so a term that separates the data
//! perfectly gets a finite estimate), and a covariance clustered by group
//! (the sandwich `H^-1 B H^-1`, B from the clusters' summed scores), because
//! neither the states of one year nor the years of one pair are independent.

use nalgebra::{DMatrix, DVector};

/// One choice: the alternatives' terms, the one chosen, and its cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub alternatives: Vec<Vec<f64>>,
    pub chosen: usize,
    pub cluster: usize,
}

/// A fitted conditional logit.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub coef: Vec<f64>,
    /// Cluster-robust covariance (row-major `k x k`).
    pub cov: Vec<f64>,
    /// Log-likelihood at the estimate (without the penalty).
    pub log_likelihood: f64,
    pub choices: usize,
    pub clusters: usize,
    pub iterations: u32,
}

impl Fit {
    pub fn se(&self) -> Vec<f64> {
        let k = self.coef.len();
        (0..k)
            .map(|i| self.cov[i * k + i].max(0.0).sqrt())
            .collect()
    }

    /// The coefficients moved by `z` (standard normal, one per coefficient)
    /// through the Cholesky factor of the covariance; `None` when the
    /// covariance is not positive definite.
    pub fn draw(&self, z: &[f64]) -> Option<Vec<f64>> {
        let k = self.coef.len();
        let m = DMatrix::from_row_slice(k, k, &self.cov);
        let l = m.cholesky()?.l();
        let z = DVector::from_column_slice(&z[..k]);
        let d = l * z;
        Some(self.coef.iter().zip(d.iter()).map(|(c, e)| c + e).collect())
    }
}

/// Why a fit failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LogitError {
    #[error("no choices to fit")]
    Empty,
    #[error("choice {0} has fewer than two alternatives, terms of the wrong length or a chosen index out of range")]
    BadChoice(usize),
    #[error("the information matrix is singular")]
    Singular,
    #[error("Newton-Raphson did not converge in {0} iterations")]
    NoConvergence(u32),
}

/// Probabilities of a choice's alternatives at `b` (and the log-probability of the chosen).
fn probabilities(c: &Choice, b: &[f64]) -> (Vec<f64>, f64) {
    let u: Vec<f64> = c
        .alternatives
        .iter()
        .map(|x| x.iter().zip(b).map(|(a, w)| a * w).sum())
        .collect();
    let m = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = u.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    let lp = u[c.chosen] - m - s.ln();
    (e.into_iter().map(|v| v / s).collect(), lp)
}

fn penalised(choices: &[Choice], b: &[f64], lambda: f64) -> f64 {
    choices.iter().map(|c| probabilities(c, b).1).sum::<f64>()
        - 0.5 * lambda * b.iter().map(|v| v * v).sum::<f64>()
}

/// Score contribution and information of one choice at `b`.
fn score_info(c: &Choice, b: &[f64], k: usize) -> (DVector<f64>, DMatrix<f64>) {
    let (p, _) = probabilities(c, b);
    let mut mean = DVector::<f64>::zeros(k);
    for (x, &pz) in c.alternatives.iter().zip(&p) {
        for i in 0..k {
            mean[i] += pz * x[i];
        }
    }
    let mut g = DVector::<f64>::zeros(k);
    for i in 0..k {
        g[i] = c.alternatives[c.chosen][i] - mean[i];
    }
    let mut h = DMatrix::<f64>::zeros(k, k);
    for (x, &pz) in c.alternatives.iter().zip(&p) {
        for i in 0..k {
            let di = x[i] - mean[i];
            for j in 0..k {
                h[(i, j)] += pz * di * (x[j] - mean[j]);
            }
        }
    }
    (g, h)
}

/// Fit by penalised maximum likelihood; see the module's documentation.
pub fn fit(choices: &[Choice], ridge_sd: f64) -> Result<Fit, LogitError> {
    const MAX_ITER: u32 = 200;
    let first = choices.first().ok_or(LogitError::Empty)?;
    let k = first.alternatives.first().map_or(0, Vec::len);
    for (i, c) in choices.iter().enumerate() {
        if c.alternatives.len() < 2
            || c.chosen >= c.alternatives.len()
            || c.alternatives
                .iter()
                .any(|x| x.len() != k || x.iter().any(|v| !v.is_finite()))
        {
            return Err(LogitError::BadChoice(i));
        }
    }
    let lambda = 1.0 / (ridge_sd * ridge_sd);
    let mut b = vec![0.0; k];
    let mut obj = penalised(choices, &b, lambda);
    for it in 1..=MAX_ITER {
        let mut g = DVector::from_iterator(k, b.iter().map(|v| -lambda * v));
        let mut h = DMatrix::identity(k, k) * lambda;
        for c in choices {
            let (gc, hc) = score_info(c, &b, k);
            g += gc;
            h += hc;
        }
        let step = h.clone().cholesky().ok_or(LogitError::Singular)?.solve(&g);
        let mut t = 1.0;
        let mut next: Vec<f64> = b.iter().zip(step.iter()).map(|(x, s)| x + s).collect();
        let mut obj_next = penalised(choices, &next, lambda);
        while obj_next < obj - 1e-12 * obj.abs() && t > 1e-8 {
            t /= 2.0;
            next = b.iter().zip(step.iter()).map(|(x, s)| x + t * s).collect();
            obj_next = penalised(choices, &next, lambda);
        }
        b = next;
        obj = obj_next;
        if step.amax() * t < 1e-9 {
            return finish(choices, b, lambda, it);
        }
    }
    Err(LogitError::NoConvergence(MAX_ITER))
}

fn finish(
    choices: &[Choice],
    b: Vec<f64>,
    lambda: f64,
    iterations: u32,
) -> Result<Fit, LogitError> {
    let k = b.len();
    let mut h = DMatrix::identity(k, k) * lambda;
    let mut by_cluster: std::collections::BTreeMap<usize, DVector<f64>> = Default::default();
    for c in choices {
        let (g, hc) = score_info(c, &b, k);
        h += hc;
        *by_cluster
            .entry(c.cluster)
            .or_insert_with(|| DVector::zeros(k)) += g;
    }
    let hinv = h.cholesky().ok_or(LogitError::Singular)?.inverse();
    let mut meat = DMatrix::<f64>::zeros(k, k);
    for g in by_cluster.values() {
        meat += g * g.transpose();
    }
    let v = &hinv * meat * &hinv;
    let log_likelihood = choices.iter().map(|c| probabilities(c, &b).1).sum();
    Ok(Fit {
        coef: b,
        cov: (0..k * k).map(|i| v[(i / k, i % k)]).collect(),
        log_likelihood,
        choices: choices.len(),
        clusters: by_cluster.len(),
        iterations,
    })
}

/// Probability of each alternative of `alternatives` at `coef`.
pub fn predict(alternatives: &[Vec<f64>], coef: &[f64]) -> Vec<f64> {
    let c = Choice {
        alternatives: alternatives.to_vec(),
        chosen: 0,
        cluster: 0,
    };
    probabilities(&c, coef).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// A binary logit with known coefficients is recovered within a few
    /// standard errors, and its standard errors shrink with the sample.
    #[test]
    fn recovers_a_binary_logit() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let truth = [-1.0, 2.0];
        let sample = |n: usize, rng: &mut rand_chacha::ChaCha8Rng| -> Vec<Choice> {
            (0..n)
                .map(|i| {
                    let x = vec![1.0, rng.random_range(-1.0..1.0)];
                    let z: f64 = x.iter().zip(truth).map(|(a, b)| a * b).sum();
                    let y = rng.random::<f64>() < 1.0 / (1.0 + (-z).exp());
                    Choice {
                        alternatives: vec![vec![0.0, 0.0], x],
                        chosen: usize::from(y),
                        cluster: i,
                    }
                })
                .collect()
        };
        let small = fit(&sample(500, &mut rng), 100.0).unwrap();
        let big = fit(&sample(8000, &mut rng), 100.0).unwrap();
        for (f, tol) in [(&small, 4.0), (&big, 4.0)] {
            let se = f.se();
            for i in 0..2 {
                assert!((f.coef[i] - truth[i]).abs() < tol * se[i], "{f:?}");
            }
        }
        assert!(big.se()[1] < small.se()[1] / 2.0);
    }

    /// Perfect separation gives a finite estimate under the ridge.
    #[test]
    fn separation_stays_finite() {
        let choices: Vec<Choice> = (0..40)
            .map(|i| Choice {
                alternatives: vec![vec![0.0], vec![if i % 2 == 0 { 1.0 } else { -1.0 }]],
                chosen: usize::from(i % 2 == 0),
                cluster: i,
            })
            .collect();
        let f = fit(&choices, 10.0).unwrap();
        assert!(f.coef[0].is_finite() && f.coef[0] > 2.0, "{f:?}");
    }

    #[test]
    fn bad_choices_are_refused() {
        let c = Choice {
            alternatives: vec![vec![0.0]],
            chosen: 0,
            cluster: 0,
        };
        assert_eq!(fit(&[c], 1.0), Err(LogitError::BadChoice(0)));
        assert_eq!(fit(&[], 1.0), Err(LogitError::Empty));
    }
}
