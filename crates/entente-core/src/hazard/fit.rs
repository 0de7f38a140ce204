//! Fitting the dispute-onset logit: Newton-Raphson (iteratively reweighted
//! least squares) on the sample of [`frame`](super::frame), with the inverse
//! information matrix kept as the coefficients' covariance.
//!
//! Rows are summed in a fixed order, so the same data give bit-identical
//! coefficients on any machine and thread count.

use nalgebra::{SMatrix, SVector};

use super::frame::{self, Sample};
use super::joining::Rate;
use super::model::{design, FitInfo, Model, RefitScaling, K};
use super::published::Welford;
use crate::world::{Archive, WorldError};

/// The first year of the sample: UN ideal points start in 1946.
pub const FIRST_YEAR: i32 = 1946;

/// What to fit on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitConfig {
    pub first_year: i32,
    /// The last year whose data are used.
    pub fit_until: i32,
}

impl FitConfig {
    pub fn until(fit_until: i32) -> FitConfig {
        FitConfig {
            first_year: FIRST_YEAR,
            fit_until,
        }
    }
}

/// Why a fit failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error(transparent)]
    World(#[from] WorldError),
    #[error("the sample {0}-{1} has no dyad-years with complete data")]
    Empty(i32, i32),
    #[error("the sample {0}-{1} has no dispute onsets (or only onsets)")]
    NoVariation(i32, i32),
    #[error("the information matrix is singular: a regressor does not vary in the sample")]
    Singular,
    #[error("Newton-Raphson did not converge in {0} iterations")]
    NotConverged(u32),
}

/// A fitted model with what the sample said besides.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub model: Model,
    /// Dyad-years left out for a missing capability, democracy, militarisation
    /// or peace-years value.
    pub incomplete: u64,
    /// Dyad-years left out because a dispute was continuing.
    pub continuations: u64,
    /// How often states joined a defence ally's disputes, and a consultation partner's.
    pub joining_defence: Rate,
    pub joining_consultation: Rate,
}

fn complete(r: &frame::DyadYear) -> bool {
    r.x.cincprop.is_some()
        && r.x.min_democracy.is_some()
        && r.x.min_militarisation.is_some()
        && r.x.peace_years.is_some()
}

/// Moments of the continuous regressors over the complete rows.
pub fn scaling(rows: &[&frame::DyadYear]) -> RefitScaling {
    let mut w: [Welford; 5] = Default::default();
    for r in rows {
        let vals = [
            r.x.cincprop,
            r.x.min_democracy,
            r.x.min_militarisation,
            r.x.ideal_distance,
            r.x.peace_years,
        ];
        for (acc, v) in w.iter_mut().zip(vals) {
            if let Some(v) = v {
                acc.push(v);
            }
        }
    }
    RefitScaling {
        cincprop: w[0].moments(),
        min_democracy: w[1].moments(),
        min_militarisation: w[2].moments(),
        ideal_distance: w[3].moments(),
        peace_years: w[4].moments(),
    }
}

/// Fit on the sample of `cfg`'s years, built from the archive.
pub fn fit(archive: &Archive, cfg: FitConfig) -> Result<Fitted, FitError> {
    let sample = frame::build(archive, cfg.first_year, cfg.fit_until)?;
    fit_sample(&sample)
}

/// Fit on a sample already built.
pub fn fit_sample(sample: &Sample) -> Result<Fitted, FitError> {
    let rows: Vec<&frame::DyadYear> = sample.rows.iter().filter(|r| complete(r)).collect();
    let (first, last) = (sample.first_year, sample.last_year);
    if rows.is_empty() {
        return Err(FitError::Empty(first, last));
    }
    let s = scaling(&rows);
    let x: Vec<[f64; K]> = rows.iter().map(|r| design(&r.x, &s)).collect();
    let y: Vec<bool> = rows.iter().map(|r| r.onset).collect();
    let onsets = y.iter().filter(|v| **v).count() as u64;
    if onsets == 0 || onsets == y.len() as u64 {
        return Err(FitError::NoVariation(first, last));
    }
    let l = logit(&x, &y)?;
    Ok(Fitted {
        model: Model {
            coef: l.coef,
            cov: l.cov,
            scaling: s,
            info: FitInfo {
                first_year: first,
                last_year: last,
                dyad_years: y.len() as u64,
                onsets,
                log_likelihood: l.log_likelihood,
                iterations: l.iterations,
            },
        },
        incomplete: (sample.rows.len() - rows.len()) as u64,
        continuations: sample.continuations,
        joining_defence: sample.joining.defence(),
        joining_consultation: sample.joining.consultation(),
    })
}

/// A fitted logit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Logit {
    pub coef: [f64; K],
    pub cov: [[f64; K]; K],
    pub log_likelihood: f64,
    pub iterations: u32,
}

fn log_likelihood(x: &[[f64; K]], y: &[bool], b: &SVector<f64, K>) -> f64 {
    let mut ll = 0.0;
    for (row, &yi) in x.iter().zip(y) {
        let z: f64 = row.iter().zip(b.iter()).map(|(a, c)| a * c).sum();
        // log sigma(z) and log(1 - sigma(z)) without overflow.
        let log1pexp = |t: f64| {
            if t > 0.0 {
                t + (-t).exp().ln_1p()
            } else {
                t.exp().ln_1p()
            }
        };
        ll -= if yi { log1pexp(-z) } else { log1pexp(z) };
    }
    ll
}

/// Maximum-likelihood logit by Newton-Raphson with step halving.
pub fn logit(x: &[[f64; K]], y: &[bool]) -> Result<Logit, FitError> {
    const MAX_ITER: u32 = 100;
    let n = y.len() as f64;
    let ybar = y.iter().filter(|v| **v).count() as f64 / n;
    let mut b = SVector::<f64, K>::zeros();
    b[0] = (ybar / (1.0 - ybar)).ln();
    let mut ll = log_likelihood(x, y, &b);
    for it in 1..=MAX_ITER {
        let mut g = SVector::<f64, K>::zeros();
        let mut h = SMatrix::<f64, K, K>::zeros();
        for (row, &yi) in x.iter().zip(y) {
            let z: f64 = row.iter().zip(b.iter()).map(|(a, c)| a * c).sum();
            let mu = 1.0 / (1.0 + (-z).exp());
            let w = mu * (1.0 - mu);
            let r = f64::from(u8::from(yi)) - mu;
            for i in 0..K {
                g[i] += row[i] * r;
                let wi = w * row[i];
                for j in i..K {
                    h[(i, j)] += wi * row[j];
                }
            }
        }
        for i in 0..K {
            for j in 0..i {
                h[(i, j)] = h[(j, i)];
            }
        }
        let chol = h.cholesky().ok_or(FitError::Singular)?;
        let step = chol.solve(&g);
        // Halve the step until the likelihood does not fall.
        let mut t = 1.0;
        let mut next = b + step;
        let mut ll_next = log_likelihood(x, y, &next);
        while ll_next < ll - 1e-9 * ll.abs() && t > 1e-6 {
            t /= 2.0;
            next = b + step * t;
            ll_next = log_likelihood(x, y, &next);
        }
        b = next;
        ll = ll_next;
        if step.amax() * t < 1e-10 {
            // Covariance at the optimum (one more pass for the exact information).
            let mut h = SMatrix::<f64, K, K>::zeros();
            for row in x {
                let z: f64 = row.iter().zip(b.iter()).map(|(a, c)| a * c).sum();
                let mu = 1.0 / (1.0 + (-z).exp());
                let w = mu * (1.0 - mu);
                for i in 0..K {
                    for j in i..K {
                        h[(i, j)] += w * row[i] * row[j];
                    }
                }
            }
            for i in 0..K {
                for j in 0..i {
                    h[(i, j)] = h[(j, i)];
                }
            }
            let inv = h.cholesky().ok_or(FitError::Singular)?.inverse();
            let mut coef = [0.0; K];
            let mut cov = [[0.0; K]; K];
            for i in 0..K {
                coef[i] = b[i];
                for j in 0..K {
                    cov[i][j] = inv[(i, j)];
                }
            }
            return Ok(Logit {
                coef,
                cov,
                log_likelihood: ll,
                iterations: it,
            });
        }
    }
    Err(FitError::NotConverged(MAX_ITER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Data drawn from a known logit: the fit recovers its coefficients within
    /// a few standard errors, and the standard errors are the right size.
    #[test]
    fn newton_raphson_recovers_a_known_logit() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut truth = [0.0; K];
        truth[0] = -3.0;
        truth[1] = 1.0;
        truth[2] = 0.5;
        truth[4] = -0.4;
        let n = 40_000;
        let mut x = Vec::with_capacity(n);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let mut row = [0.0; K];
            row[0] = 1.0;
            for v in row.iter_mut().skip(1) {
                *v = rng.random::<f64>() - 0.5;
            }
            row[1] = f64::from(u8::from(rng.random::<f64>() < 0.3));
            let z: f64 = row.iter().zip(&truth).map(|(a, b)| a * b).sum();
            y.push(rng.random::<f64>() < 1.0 / (1.0 + (-z).exp()));
            x.push(row);
        }
        let l = logit(&x, &y).unwrap();
        for (k, want) in truth.iter().enumerate() {
            let se = l.cov[k][k].sqrt();
            assert!(se > 0.0 && se < 0.5, "se {k} = {se}");
            assert!(
                (l.coef[k] - want).abs() < 4.0 * se,
                "{k}: {} vs {want}",
                l.coef[k]
            );
        }
        // Deterministic: the same data give the same bits.
        assert_eq!(logit(&x, &y).unwrap(), l);
    }

    #[test]
    fn a_regressor_that_never_varies_is_a_clear_error() {
        let x = vec![[1.0; K]; 100];
        let y: Vec<bool> = (0..100).map(|i| i % 7 == 0).collect();
        assert_eq!(logit(&x, &y), Err(FitError::Singular));
    }
}
