//! Unit tests: the prefix-sum shortcuts against the direct sums of the
//! Scholz code, and the model's stopping and cycle rules.

use super::model::*;
use super::*;

fn actors(rows: &[(f64, f64, f64)]) -> Vec<Actor> {
    rows.iter()
        .map(|&(capability, position, salience)| Actor {
            capability,
            position,
            salience,
        })
        .collect()
}

#[test]
fn median_is_lowest_minimiser() {
    // Weights 1,1 at 0 and 1: every x in [0,1] minimises; the lowest is 0.
    assert_eq!(weighted_median(&[1.0, 1.0], &[1.0, 0.0]), 0.0);
    assert_eq!(weighted_median(&[1.0, 3.0], &[0.0, 1.0]), 1.0);
    assert_eq!(weighted_median(&[2.0, 1.0, 1.0], &[5.0, 3.0, 9.0]), 5.0);
}

#[test]
fn rejects_bad_inputs() {
    let cfg = Config::default();
    assert_eq!(
        Model::new(actors(&[(1.0, 0.0, 0.5)]), cfg).err(),
        Some(BargainingError::TooFewActors(1))
    );
    assert!(matches!(
        Model::new(actors(&[(1.0, 0.0, 0.5), (-1.0, 1.0, 0.5)]), cfg),
        Err(BargainingError::NegativeCapability { actor: 1, .. })
    ));
    assert!(matches!(
        Model::new(actors(&[(1.0, 0.0, 50.0), (1.0, 1.0, 0.5)]), cfg),
        Err(BargainingError::SalienceOutOfRange { actor: 0, .. })
    ));
    assert_eq!(
        Model::new(actors(&[(1.0, 3.0, 0.5), (2.0, 3.0, 0.5)]), cfg).err(),
        Some(BargainingError::NoDisagreement(3.0))
    );
    assert_eq!(
        Model::new(actors(&[(0.0, 0.0, 0.5), (1.0, 1.0, 0.0)]), cfg).err(),
        Some(BargainingError::NoWeight)
    );
    assert!(matches!(
        Model::new(actors(&[(f64::NAN, 0.0, 0.5), (1.0, 1.0, 0.5)]), cfg),
        Err(BargainingError::NotFinite { actor: 0, .. })
    ));
}

#[test]
fn converged_round_stops_cleanly() {
    let model = Model::new(
        actors(&[(1.0, 0.0, 0.5), (1.0, 1.0, 0.5)]),
        Config::default(),
    )
    .expect("valid");
    assert_eq!(
        model.step(&[0.5, 0.5]).err(),
        Some(StopReason::Converged { position: 0.5 })
    );
}

#[test]
fn per_pair_probabilities_sum_to_one() {
    let model = Model::new(
        actors(&[(1.0, 0.0, 0.5), (2.0, 1.0, 0.7), (1.5, 0.4, 0.9)]),
        Config {
            denominator: Denominator::PerPair,
            ..Config::default()
        },
    )
    .expect("valid");
    let table = Positions::new(&model.initial);
    let p = model.probabilities(&table, &[1.0, 0.7, 1.6]);
    for u in 0..3 {
        for v in 0..3 {
            if u != v {
                assert!((p.get(u, v) + p.get(v, u) - 1.0).abs() < 1e-12);
            }
        }
    }
}

/// The closed form of the Scholz denominator against the direct triple sum.
#[test]
fn total_votes_matches_direct_sum() {
    let xs = [0.0, 3.0, 3.0, 7.5, 10.0, 1.0, 7.5];
    let acts: Vec<Actor> = xs
        .iter()
        .enumerate()
        .map(|(i, &x)| Actor {
            capability: 1.0 + i as f64,
            position: x,
            salience: 0.1 * (i + 1) as f64,
        })
        .collect();
    let model = Model::new(acts, Config::default()).expect("valid");
    let r: Vec<f64> = (0..xs.len()).map(|i| 0.5 + 0.2 * i as f64).collect();
    let table = Positions::new(&xs);
    let n = xs.len();
    let m = table.values.len();
    let mut util = vec![0.0; m * n];
    for u in 0..m {
        for (j, &k) in table.order.iter().enumerate() {
            util[u * n + j] = ((xs[k] - table.values[u]).abs() / model.range).powf(r[k]);
        }
    }
    let fast = model.total_votes(&table, &util);
    let mut direct = 0.0;
    for k in 0..n {
        for a in 0..n {
            for b in 0..n {
                let ta = ((xs[k] - xs[a]).abs() / model.range).powf(r[k]);
                let tb = ((xs[k] - xs[b]).abs() / model.range).powf(r[k]);
                direct += (model.weight[k] * (tb - ta)).abs();
            }
        }
    }
    assert!(
        (fast - direct).abs() <= 1e-12 * direct,
        "{fast} vs {direct}"
    );
}

/// Prefix-sum probabilities against the direct O(n^3) sums of the Scholz code, with
/// shared positions and voters exactly at midpoints.
#[test]
fn probabilities_match_direct_sums() {
    let xs = [0.0, 2.0, 2.0, 4.0, 1.0, 10.0, 6.0, 3.0, 8.0, 4.0, 5.0];
    let acts: Vec<Actor> = xs
        .iter()
        .enumerate()
        .map(|(i, &x)| Actor {
            capability: 0.5 + (i * 7 % 5) as f64,
            position: x,
            salience: 0.05 + 0.09 * i as f64,
        })
        .collect();
    let n = xs.len();
    let r: Vec<f64> = (0..n)
        .map(|i| 0.5 + 1.5 * (i * 3 % 7) as f64 / 6.0)
        .collect();
    for denominator in [Denominator::PerRound, Denominator::PerPair] {
        let config = Config {
            denominator,
            ..Config::default()
        };
        let model = Model::new(acts.clone(), config).expect("valid");
        let table = Positions::new(&xs);
        let p = model.probabilities(&table, &r);
        let vote = |k: usize, a: f64, b: f64| {
            let t = |x: f64| ((xs[k] - x).abs() / model.range).powf(r[k]);
            model.weight[k] * (t(b) - t(a))
        };
        let mut all = 0.0;
        for k in 0..n {
            for &a in &xs {
                for &b in &xs {
                    all += vote(k, a, b).abs();
                }
            }
        }
        for (u, &a) in table.values.iter().enumerate() {
            for (v, &b) in table.values.iter().enumerate() {
                let num: f64 = (0..n).map(|k| vote(k, a, b).max(0.0)).sum();
                let den = match denominator {
                    Denominator::PerRound => all,
                    Denominator::PerPair => (0..n).map(|k| vote(k, a, b).abs()).sum(),
                };
                let want = if u == v { 0.0 } else { num / den };
                let got = p.get(u, v);
                assert!(
                    (got - want).abs() < 1e-13,
                    "{denominator:?} {a} {b}: {got} vs {want}"
                );
            }
        }
    }
}
