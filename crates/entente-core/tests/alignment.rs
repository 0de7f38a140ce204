//! Reference and property tests for the alignment (landscape) model.

use entente_core::alignment::{
    canonical, coalitions, ExactConfig, HeuristicConfig, Landscape, Method, Model,
};
use proptest::prelude::*;

const ACTORS: &str = include_str!("../../../tests/fixtures/landscape/furnas_syria_2016/actors.csv");
const ACTORS_WEAK: &str =
    include_str!("../../../tests/fixtures/landscape/furnas_syria_2016/actors_weaksyria.csv");
const PROPENSITY: &str =
    include_str!("../../../tests/fixtures/landscape/furnas_syria_2016/propensity_feb20.csv");
const FURNAS_OUT: &str = include_str!(
    "../../../tests/fixtures/landscape/furnas_syria_2016/original/Landscape_Favored_Alignments_2016-02-20.csv"
);
const FURNAS_OUT_WEAK: &str = include_str!(
    "../../../tests/fixtures/landscape/furnas_syria_2016/original/Landscape_Favored_Alignments_weaksyria_2016-02-20.csv"
);

/// Minimal readers for the converted fixtures (the real parsers live in entente-data).
fn sizes(text: &str) -> (Vec<String>, Vec<f64>) {
    text.lines()
        .skip(1)
        .map(|l| {
            let (a, s) = l.split_once(',').unwrap();
            (a.to_string(), s.parse::<f64>().unwrap())
        })
        .unzip()
}

fn matrix(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .skip(1)
                .map(|c| {
                    if c.is_empty() {
                        0.0
                    } else {
                        c.parse().unwrap()
                    }
                })
                .collect()
        })
        .collect()
}

fn furnas(actors: &str) -> (Vec<String>, Landscape) {
    let (names, s) = sizes(actors);
    (names, Landscape::new(s, &matrix(PROPENSITY)).unwrap())
}

fn named(names: &[String], groups: &[Vec<usize>]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| g.iter().map(|&i| names[i].clone()).collect())
        .collect()
}

fn check_case(actors: &str, energy: f64, minority: &[&str]) {
    let (names, land) = furnas(actors);
    let r = land.exact(&ExactConfig::default()).unwrap();
    let model = Model::default();
    assert_eq!(r.global_minimum.energy, energy);
    let (groups, neutral) = coalitions(&model, &r.global_minimum.states);
    assert!(neutral.is_empty());
    let named = named(&names, &groups);
    let rest: Vec<String> = names
        .iter()
        .filter(|n| !minority.contains(&n.as_str()))
        .cloned()
        .collect();
    let minority: Vec<String> = minority.iter().map(|s| s.to_string()).collect();
    assert_eq!(named, vec![rest, minority]);
    // The only single-flip local minimum, so every descent ends there.
    assert_eq!(r.local_minima.len(), 1);
    assert_eq!(r.local_minima_total, 1);
    assert_eq!(r.global_minimum.basin, Some(1.0));
    assert_eq!(r.configurations, 1024);
}

#[test]
fn furnas_syria_global_minimum() {
    check_case(ACTORS, -41600.0, &["Turkey", "ISIS", "Nusra"]);
}

#[test]
fn furnas_weak_syria_global_minimum() {
    check_case(ACTORS_WEAK, -32800.0, &["ISIS", "Nusra"]);
}

/// Every configuration Furnas printed: his energy is twice ours (he sums over ordered pairs),
/// his frustrations are ours, and his one `Local Min` row is our global minimum.
#[test]
fn furnas_printed_rows_match() {
    for (actors, out) in [(ACTORS, FURNAS_OUT), (ACTORS_WEAK, FURNAS_OUT_WEAK)] {
        let (_, land) = furnas(actors);
        let model = Model::default();
        let best = land.exact(&ExactConfig::default()).unwrap().global_minimum;
        let mut rows = 0;
        for line in out.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            let states: Vec<u8> = cells[1..12]
                .iter()
                .map(|c| c.parse::<u8>().unwrap() - 1)
                .collect();
            let e: f64 = cells[12].parse().unwrap();
            assert_eq!(2.0 * land.energy(&model, &states).unwrap(), e, "{line}");
            let f = land.frustration(&model, &states).unwrap();
            for (k, c) in cells[13..24].iter().enumerate() {
                assert_eq!(f[k], c.parse::<f64>().unwrap(), "{line}");
            }
            if cells[24] == "TRUE" {
                assert_eq!(canonical(&model, &states), best.states);
            }
            rows += 1;
        }
        assert_eq!(rows, 138);
    }
}

#[test]
fn furnas_actors_who_would_rather_stand_alone() {
    let (names, land) = furnas(ACTORS);
    let model = Model::default();
    let best = land.exact(&ExactConfig::default()).unwrap().global_minimum;
    let report = land.actor_report(&model, &best.states).unwrap();
    let frustration: f64 = report.iter().map(|r| r.frustration).sum();
    assert_eq!(frustration, 2.0 * best.energy);
    // Standing alone changes E by exactly alone_change: check against a 3-coalition energy.
    let m3 = Model {
        coalitions: 3,
        neutral_cost: None,
    };
    for (i, r) in report.iter().enumerate() {
        let mut s = best.states.clone();
        s[i] = 2;
        let e3 = land.energy(&m3, &s).unwrap();
        assert!(
            (e3 - best.energy - r.alone_change).abs() < 1e-9,
            "{}",
            names[i]
        );
    }
    // At a local minimum no-one gains by switching side, yet some would gain by leaving.
    let alone: Vec<&str> = report
        .iter()
        .zip(&names)
        .filter(|(r, _)| r.prefers_alone())
        .map(|(_, n)| n.as_str())
        .collect();
    assert!(!alone.is_empty());
}

#[allow(clippy::needless_range_loop)] // filling a symmetric matrix
fn random_landscape(n: usize, seed: u64) -> Landscape {
    // A small deterministic generator so the instance depends only on (n, seed).
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let sizes: Vec<f64> = (0..n).map(|_| 1.0 + (next() % 20) as f64).collect();
    let mut p = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let v = (next() % 9) as f64 - 4.0;
            p[i][j] = v;
            p[j][i] = v;
        }
    }
    Landscape::new(sizes, &p).unwrap()
}

/// All labelled configurations, their energies, and the canonical local minima.
fn brute_force(land: &Landscape, model: &Model) -> (f64, Vec<(Vec<u8>, f64)>) {
    let n = land.len();
    let q = model.states();
    let total = q.pow(n as u32);
    let decode = |mut c: usize| {
        let mut s = vec![0u8; n];
        for v in s.iter_mut() {
            *v = (c % q) as u8;
            c /= q;
        }
        s
    };
    let mut best = f64::INFINITY;
    let mut minima = std::collections::BTreeMap::new();
    for c in 0..total {
        let s = decode(c);
        let e = land.energy(model, &s).unwrap();
        best = best.min(e);
        let mut local = true;
        'moves: for i in 0..n {
            for z in 0..q as u8 {
                if z != s[i] {
                    let mut t = s.clone();
                    t[i] = z;
                    if land.energy(model, &t).unwrap() < e - 1e-9 {
                        local = false;
                        break 'moves;
                    }
                }
            }
        }
        if local {
            minima.insert(canonical(model, &s), e);
        }
    }
    let mut list: Vec<(Vec<u8>, f64)> = minima.into_iter().collect();
    list.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    (best, list)
}

fn check_against_brute_force(land: &Landscape, model: Model) {
    let r = land
        .exact(&ExactConfig {
            model,
            ..ExactConfig::default()
        })
        .unwrap();
    let (best, minima) = brute_force(land, &model);
    assert!((r.global_minimum.energy - best).abs() < 1e-9);
    assert_eq!(
        land.energy(&model, &r.global_minimum.states).unwrap(),
        r.global_minimum.energy
    );
    let got: Vec<(Vec<u8>, f64)> = r
        .local_minima
        .iter()
        .map(|m| (m.states.clone(), m.energy))
        .collect();
    assert_eq!(got, minima);
    let share: f64 = r.local_minima.iter().map(|m| m.basin.unwrap()).sum();
    assert!((share - 1.0).abs() < 1e-12);
    assert!(r.local_minima.iter().all(|m| m.basin.unwrap() > 0.0));
}

#[test]
fn two_coalitions_match_brute_force() {
    for seed in 0..6 {
        check_against_brute_force(&random_landscape(8, seed), Model::default());
    }
}

#[test]
fn three_and_four_coalitions_match_brute_force() {
    for seed in 0..4 {
        for k in [3, 4] {
            let model = Model {
                coalitions: k,
                neutral_cost: None,
            };
            check_against_brute_force(&random_landscape(6, seed), model);
        }
    }
}

#[test]
fn neutral_option_matches_brute_force() {
    for seed in 0..4 {
        for (k, cost) in [(2, 0.0), (2, 5.0), (2, 40.0), (3, 10.0)] {
            let model = Model {
                coalitions: k,
                neutral_cost: Some(cost),
            };
            check_against_brute_force(&random_landscape(6, seed), model);
        }
    }
}

#[test]
fn neutral_energy_by_hand() {
    // Sizes 1, 2, 3; p12 = 1, p13 = -1, p23 = 2. Actor 1 neutral, 2 and 3 in different
    // coalitions: E = 1*2*1*0.5 + 1*3*(-1)*0.5 + 2*3*2*1 + cost*1.
    let p = vec![
        vec![0.0, 1.0, -1.0],
        vec![1.0, 0.0, 2.0],
        vec![-1.0, 2.0, 0.0],
    ];
    let land = Landscape::new(vec![1.0, 2.0, 3.0], &p).unwrap();
    let model = Model {
        coalitions: 2,
        neutral_cost: Some(4.0),
    };
    assert_eq!(
        land.energy(&model, &[2, 0, 1]).unwrap(),
        1.0 - 1.5 + 12.0 + 4.0
    );
    // Two neutrals are at distance 0 from each other; each pays cost * size.
    assert_eq!(
        land.energy(&model, &[2, 2, 0]).unwrap(),
        -1.5 + 6.0 + 4.0 * 3.0
    );
}

#[test]
fn exact_refuses_large_n_and_suggests_heuristic() {
    let land = random_landscape(40, 1);
    let e = land.exact(&ExactConfig::default()).unwrap_err();
    assert!(e.to_string().contains("use heuristic mode"), "{e}");
    let e = random_landscape(30, 1)
        .exact(&ExactConfig::default())
        .unwrap_err();
    assert!(e.to_string().contains("basins"), "{e}");
}

#[test]
fn exact_is_the_same_on_one_or_two_threads() {
    let land = random_landscape(20, 7);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| land.exact(&ExactConfig::default()).unwrap())
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn heuristic_is_deterministic_for_a_seed() {
    let land = random_landscape(60, 3);
    for method in [Method::BreakoutLocalSearch, Method::SimulatedAnnealing] {
        let cfg = HeuristicConfig {
            method,
            seed: 11,
            restarts: 4,
            moves_per_restart: 20_000,
            ..HeuristicConfig::default()
        };
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| land.heuristic(&cfg).unwrap())
        };
        let (a, b) = (run(1), run(2));
        assert_eq!(a.best, b.best);
        assert_eq!(a.restarts_reaching_best, b.restarts_reaching_best);
        assert_eq!(a.moves, b.moves);
    }
}

#[test]
fn heuristic_handles_k_coalitions_and_neutrality() {
    for (k, cost) in [(3, None), (2, Some(10.0)), (3, Some(10.0))] {
        let model = Model {
            coalitions: k,
            neutral_cost: cost,
        };
        let land = random_landscape(9, 5);
        let exact = land
            .exact(&ExactConfig {
                model,
                basins: false,
                ..ExactConfig::default()
            })
            .unwrap();
        let h = land
            .heuristic(&HeuristicConfig {
                model,
                restarts: 4,
                moves_per_restart: 5_000,
                ..HeuristicConfig::default()
            })
            .unwrap();
        assert!((h.best.energy - exact.global_minimum.energy).abs() < 1e-9);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Breakout local search finds the exact global minimum on random instances up to n = 24.
    #[test]
    fn heuristic_agrees_with_exact(n in 2usize..=24, seed in any::<u64>()) {
        let land = random_landscape(n, seed);
        let exact = land.exact(&ExactConfig { basins: false, ..ExactConfig::default() }).unwrap();
        let h = land.heuristic(&HeuristicConfig {
            seed,
            restarts: 4,
            moves_per_restart: 20_000,
            ..HeuristicConfig::default()
        }).unwrap();
        prop_assert!((h.best.energy - exact.global_minimum.energy).abs() < 1e-9,
            "heuristic {} exact {}", h.best.energy, exact.global_minimum.energy);
        prop_assert!(h.restarts_reaching_best >= 1);
    }

    /// Annealing (finished by descent) also reaches it on smaller instances.
    #[test]
    fn annealing_agrees_with_exact(n in 2usize..=14, seed in any::<u64>()) {
        let land = random_landscape(n, seed);
        let exact = land.exact(&ExactConfig::default()).unwrap();
        let h = land.heuristic(&HeuristicConfig {
            method: Method::SimulatedAnnealing,
            seed,
            restarts: 4,
            moves_per_restart: 20_000,
            ..HeuristicConfig::default()
        }).unwrap();
        prop_assert!((h.best.energy - exact.global_minimum.energy).abs() < 1e-9);
    }

    /// Invariants: frustrations sum to twice the energy; the global minimum is a listed local
    /// minimum; basins sum to one; no single move from a local minimum lowers E.
    #[test]
    fn landscape_invariants(n in 1usize..=10, seed in any::<u64>()) {
        let land = random_landscape(n, seed);
        let model = Model::default();
        let r = land.exact(&ExactConfig::default()).unwrap();
        let f: f64 = land.frustration(&model, &r.global_minimum.states).unwrap().iter().sum();
        prop_assert!((f - 2.0 * r.global_minimum.energy).abs() < 1e-9);
        prop_assert!(r.local_minima.iter().any(|m| m.states == r.global_minimum.states));
        let share: f64 = r.local_minima.iter().map(|m| m.basin.unwrap()).sum();
        prop_assert!((share - 1.0).abs() < 1e-12);
        for m in &r.local_minima {
            for i in 0..n {
                let mut s = m.states.clone();
                s[i] ^= 1;
                prop_assert!(land.energy(&model, &s).unwrap() >= m.energy - 1e-9);
            }
        }
    }
}

/// A case the property test above found (n = 16): the breakout search stopped at -5245
/// where the exact minimum is -5773.
#[test]
fn heuristic_finds_the_exact_minimum_where_proptest_once_failed() {
    let (n, seed) = (16, 2_097_297_160_094_134_355);
    let land = random_landscape(n, seed);
    let exact = land
        .exact(&ExactConfig {
            basins: false,
            ..ExactConfig::default()
        })
        .unwrap();
    let h = land
        .heuristic(&HeuristicConfig {
            seed,
            restarts: 4,
            moves_per_restart: 20_000,
            ..HeuristicConfig::default()
        })
        .unwrap();
    assert!(
        (h.best.energy - exact.global_minimum.energy).abs() < 1e-9,
        "heuristic {} exact {} ({} restarts reached the best)",
        h.best.energy,
        exact.global_minimum.energy,
        h.restarts_reaching_best
    );
}
