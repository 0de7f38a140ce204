//! The scalar building blocks KTAB's SMP is assembled from: votes, victory
//! probabilities, coalitions and the probabilistic Condorcet election.
//!
//! The order of every floating-point operation follows KTAB's own, so that
//! results agree with its printed logs to the last printed digit.

use rayon::prelude::*;

use super::{PceModel, SmpError, VictoryModel, VoteRule};

/// Below this many options a coalition matrix is built on one thread: the
/// work is too small to be worth splitting.
const PARALLEL_OPTIONS: usize = 24;

/// The vote of an actor with weight `w` between options it values `u1` and `u2`
/// (positive: for the first).
pub(crate) fn vote(rule: VoteRule, w: f64, u1: f64, u2: f64) -> f64 {
    let du = u1 - u2;
    // KTAB's binary response ramps linearly over a tiny band to avoid a jump.
    let r_bin = (du / 1e-8).clamp(-1.0, 1.0);
    match rule {
        VoteRule::Binary => w * r_bin,
        VoteRule::PropBin => w * ((1.0 - 0.2) * du + 0.2 * r_bin),
        VoteRule::Proportional => w * du,
        VoteRule::PropCubic => w * ((1.0 - 0.5) * du + 0.5 * (du * du * du)),
        VoteRule::Cubic => w * (du * du * du),
        VoteRule::AsymmetricProspect => {
            if du < 0.0 {
                w * du
            } else if du > 0.0 {
                (2.0 * w * du) / 3.0
            } else {
                0.0
            }
        }
    }
}

/// Victory probabilities of two coalitions of strengths `s1` and `s2`.
pub(crate) fn victory(model: VictoryModel, s1: f64, s2: f64) -> (f64, f64) {
    let sqr = |x: f64| x * x;
    let qrtc = |x: f64| sqr(sqr(x));
    let (x1, x2) = match model {
        VictoryModel::Linear => (s1, s2),
        VictoryModel::Square => (sqr(s1), sqr(s2)),
        VictoryModel::Quartic => (qrtc(s1), qrtc(s2)),
        VictoryModel::Octic => (sqr(qrtc(s1)), sqr(qrtc(s2))),
        VictoryModel::Binary => {
            // A 10% advantage either way is decisive; linear in between.
            let thresh = 1.10;
            if s1 >= thresh * s2 {
                (1.0, 1e-6)
            } else if s2 >= thresh * s1 {
                (1e-6, 1.0)
            } else {
                let r12 = s1 / (s1 + s2);
                let p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0);
                (p12, 1.0 - p12)
            }
        }
    };
    (x1 / (x1 + x2), x2 / (x1 + x2))
}

/// Coalition strengths `c[i*m+j]` of option i against option j, from `n` voters
/// with weights `w` and utilities `u[k*m+i]` (voter k, option i).
pub(crate) fn coalitions(rule: VoteRule, w: &[f64], u: &[f64], n: usize, m: usize) -> Vec<f64> {
    const MIN_C: f64 = 1e-8;
    // Row i holds the pairs (i, j) for j < i, as KTAB scans the lower-left triangle.
    let row = |i: usize| -> Vec<(f64, f64)> {
        (0..i)
            .map(|j| {
                let mut cij = MIN_C;
                let mut cji = MIN_C;
                for k in 0..n {
                    let v = vote(rule, w[k], u[k * m + i], u[k * m + j]);
                    if v > 0.0 {
                        cij += v;
                    }
                    if v < 0.0 {
                        cji -= v;
                    }
                }
                (cij, cji)
            })
            .collect()
    };
    let rows: Vec<Vec<(f64, f64)>> = if m >= PARALLEL_OPTIONS {
        (0..m).into_par_iter().map(row).collect()
    } else {
        (0..m).map(row).collect()
    };
    let mut c = vec![0.0; m * m];
    for (i, r) in rows.into_iter().enumerate() {
        for (j, (cij, cji)) in r.into_iter().enumerate() {
            c[i * m + j] = cij;
            c[j * m + i] = cji;
        }
        c[i * m + i] = MIN_C;
    }
    c
}

/// Square matrix of victory probabilities from coalition strengths.
pub(crate) fn victory_matrix(model: VictoryModel, c: &[f64], m: usize) -> Vec<f64> {
    let mut p = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..i {
            let (pij, pji) = victory(model, c[i * m + j], c[j * m + i]);
            p[i * m + j] = pij;
            p[j * m + i] = pji;
        }
        p[i * m + i] = 0.5;
    }
    p
}

/// The probabilistic Condorcet election over `m` options given coalition strengths.
pub(crate) fn election(
    pce: PceModel,
    vpm: VictoryModel,
    c: &[f64],
    m: usize,
) -> Result<Vec<f64>, SmpError> {
    let pv = victory_matrix(vpm, c, m);
    match pce {
        PceModel::Conditional => Ok(conditional(&pv, m)),
        PceModel::MarkovUniform => markov_uniform(&pv, m),
        PceModel::MarkovIncentive => markov_incentive(c, &pv, m),
    }
}

/// One-step conditional probabilities: p_i proportional to prod_j P[i > j].
fn conditional(pv: &[f64], m: usize) -> Vec<f64> {
    let mut p: Vec<f64> = (0..m)
        .map(|i| pv[i * m..(i + 1) * m].iter().fold(1.0, |a, &x| a * x))
        .collect();
    let total: f64 = p.iter().fold(0.0, |a, &x| a + x);
    for x in &mut p {
        *x /= total;
    }
    p
}

/// Markov process in which challengers are chosen uniformly.
fn markov_uniform(pv: &[f64], m: usize) -> Result<Vec<f64>, SmpError> {
    let tol = 1e-6;
    let mut p = vec![1.0 / m as f64; m];
    let mut q = p.clone();
    let mut change = 1.0;
    let mut iter = 0;
    while tol < change {
        change = 0.0;
        for i in 0..m {
            let mut pi = 0.0;
            for j in 0..m {
                pi += pv[i * m + j] * (p[i] + p[j]);
            }
            q[i] = pi / m as f64;
            change = f64::max(change, (q[i] - p[i]).abs());
        }
        for i in 0..m {
            p[i] = (p[i] + q[i]) / 2.0;
        }
        iter += 1;
        if iter >= 1000 {
            return Err(SmpError::NoConvergence);
        }
    }
    Ok(p)
}

/// Markov process in which challenges are proportional to the incentive to challenge.
fn markov_incentive(c: &[f64], pv: &[f64], m: usize) -> Result<Vec<f64>, SmpError> {
    let tol = 1e-8;
    let mut inctv = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..m {
            let mut x = c[i * m + j] * pv[i * m + j];
            if i == j {
                x += 1e-10;
            }
            inctv[i * m + j] = x;
        }
    }
    let mut chlg = vec![0.0; m * m];
    for j in 0..m {
        let sum = (0..m).fold(0.0, |a, k| a + inctv[k * m + j]);
        for i in 0..m {
            chlg[i * m + j] = inctv[i * m + j] / sum;
        }
    }
    let mut p = vec![1.0 / m as f64; m];
    let mut change = 1.0;
    let mut iter = 0;
    while tol < change {
        let mut ct = vec![0.0; m * m];
        for i in 0..m {
            for j in 0..m {
                ct[i * m + j] = p[i] * chlg[j * m + i];
            }
        }
        change = 0.0;
        let mut q = vec![0.0; m];
        for i in 0..m {
            let mut qi = 0.0;
            for j in 0..m {
                qi += pv[i * m + j] * (ct[i * m + j] + ct[j * m + i]);
            }
            q[i] = qi;
            change = f64::max(change, (qi - p[i]).abs());
        }
        for i in 0..m {
            p[i] = (p[i] + q[i]) / 2.0;
        }
        iter += 1;
        if iter >= 1000 {
            return Err(SmpError::NoConvergence);
        }
    }
    Ok(p)
}

/// Election over `m` options valued `u[k*m+i]` by `n` voters of weight `w`.
pub(crate) fn scalar_election(
    rule: VoteRule,
    vpm: VictoryModel,
    pce: PceModel,
    w: &[f64],
    u: &[f64],
    n: usize,
    m: usize,
) -> Result<Vec<f64>, SmpError> {
    let c = coalitions(rule, w, u, n, m);
    election(pce, vpm, &c, m)
}

/// Index of the first largest entry (KTAB's `ndxMaxAbs` on probabilities).
pub(crate) fn first_max(p: &[f64]) -> usize {
    let mut best = 0;
    let mut max = -1.0;
    for (i, &x) in p.iter().enumerate() {
        if max < x.abs() {
            max = x.abs();
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportional_vote_is_weighted_difference() {
        assert_eq!(vote(VoteRule::Proportional, 2.0, 0.75, 0.25), 1.0);
        assert_eq!(vote(VoteRule::Binary, 3.0, 0.5, 0.25), 3.0);
        assert_eq!(vote(VoteRule::Cubic, 1.0, 0.5, 0.0), 0.125);
        assert_eq!(vote(VoteRule::AsymmetricProspect, 3.0, 0.5, 0.0), 1.0);
        assert_eq!(vote(VoteRule::AsymmetricProspect, 3.0, 0.0, 0.5), -1.5);
    }

    #[test]
    fn victory_models_agree_with_their_laws() {
        let (p, q) = victory(VictoryModel::Linear, 2.0, 1.0);
        assert!((p - 2.0 / 3.0).abs() < 1e-15 && (q - 1.0 / 3.0).abs() < 1e-15);
        assert!((victory(VictoryModel::Square, 2.0, 1.0).0 - 0.8).abs() < 1e-15);
        assert!((victory(VictoryModel::Quartic, 2.0, 1.0).0 - 16.0 / 17.0).abs() < 1e-15);
        assert!((victory(VictoryModel::Octic, 2.0, 1.0).0 - 256.0 / 257.0).abs() < 1e-15);
        assert!(victory(VictoryModel::Binary, 1.2, 1.0).0 > 0.999);
        assert!((victory(VictoryModel::Binary, 1.0, 1.0).0 - 0.5).abs() < 1e-12);
    }

    #[test]
    fn elections_sum_to_one_and_favour_the_strong() {
        // Three voters, three options; option 0 is everyone's second-best or better.
        let u = [1.0, 0.6, 0.0, 0.7, 1.0, 0.2, 0.8, 0.1, 1.0];
        let w = [1.0, 1.0, 1.0];
        for pce in [
            PceModel::Conditional,
            PceModel::MarkovUniform,
            PceModel::MarkovIncentive,
        ] {
            let p = scalar_election(
                VoteRule::Proportional,
                VictoryModel::Linear,
                pce,
                &w,
                &u,
                3,
                3,
            )
            .unwrap();
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-6, "{pce:?}");
            assert_eq!(first_max(&p), 0, "{pce:?} {p:?}");
        }
    }
}
