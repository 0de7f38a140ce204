//! Max-cut on G-set graphs (rudy format). The fast graph runs in CI; the full check of all six
//! graphs against their best-known cuts is `#[ignore]`d (run it with
//! `cargo test --release -p entente-core --test maxcut -- --ignored`, or use
//! scripts/maxcut-check.sh).

use std::time::Duration;

use entente_core::alignment::maxcut::{Graph, MaxCutConfig};
use entente_core::alignment::{ExactConfig, Landscape};
use proptest::prelude::*;

fn read(name: &str) -> String {
    let path = format!(
        "{}/../../tests/fixtures/maxcut/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// A minimal rudy reader for the tests (the real parser is entente_data::graph).
fn graph(name: &str) -> Graph {
    let text = read(name);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let n: usize = lines
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let edges = lines
        .map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            (
                t[0].parse::<usize>().unwrap() - 1,
                t[1].parse::<usize>().unwrap() - 1,
                t[2].parse::<f64>().unwrap(),
            )
        })
        .collect();
    Graph::new(n, edges).unwrap()
}

fn best_known(name: &str) -> f64 {
    read("best_known.csv")
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name},")))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn best_known_g1_partition_has_the_best_known_cut() {
    let g = graph("G1.txt");
    let hex = read("G1_best_known_partition.txt");
    let hex = hex.trim().trim_start_matches("0x");
    // Most significant bit first: vertex 1 is the top bit of the 800-bit number.
    let bits: Vec<bool> = hex
        .chars()
        .flat_map(|c| {
            let d = c.to_digit(16).unwrap();
            (0..4).rev().map(move |b| (d >> b) & 1 == 1)
        })
        .collect();
    let side = bits[bits.len() - 800..].to_vec();
    assert_eq!(g.cut_value(&side).unwrap(), 11624.0);
}

#[test]
fn g1_reaches_best_known() {
    let g = graph("G1.txt");
    let best = best_known("G1");
    let r = g
        .max_cut(&MaxCutConfig {
            restarts: 2,
            moves_per_restart: u64::MAX,
            time_limit: Some(Duration::from_secs(600)),
            target_cut: Some(best),
            ..MaxCutConfig::default()
        })
        .unwrap();
    assert_eq!(r.cut, best);
    assert_eq!(g.cut_value(&r.side).unwrap(), best);
}

#[test]
fn fixed_budget_is_deterministic() {
    let g = graph("G14.txt");
    let cfg = MaxCutConfig {
        seed: 5,
        restarts: 2,
        moves_per_restart: 50_000,
        ..MaxCutConfig::default()
    };
    let (a, b) = (g.max_cut(&cfg).unwrap(), g.max_cut(&cfg).unwrap());
    assert_eq!((a.cut, &a.side, a.moves), (b.cut, &b.side, b.moves));
}

/// A random graph with whole weights in -3..=3 (about a third of the pairs absent), which the
/// bucket-based search handles, and the same instance as a landscape (sizes 1, `p = -w`, so
/// `E = -cut`) for exact enumeration.
#[allow(clippy::needless_range_loop)] // i and j index both the matrix and the edge list
fn random_int_graph(n: usize, seed: u64) -> (Graph, Landscape) {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut edges = Vec::new();
    let mut p = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let w = (next() % 10) as f64 - 3.0;
            if w > 3.0 {
                continue;
            }
            edges.push((i, j, w));
            p[i][j] = -w;
            p[j][i] = -w;
        }
    }
    (
        Graph::new(n, edges).unwrap(),
        Landscape::new(vec![1.0; n], &p).unwrap(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The max-cut search reaches the exact maximum (Gray-code enumeration) up to n = 24, and
    /// its reported cut is the cut of its partition.
    #[test]
    fn max_cut_agrees_with_exact(n in 2usize..=24, seed in any::<u64>()) {
        let (g, land) = random_int_graph(n, seed);
        let exact = land.exact(&ExactConfig { basins: false, ..ExactConfig::default() }).unwrap();
        let r = g.max_cut(&MaxCutConfig {
            seed,
            restarts: 2,
            moves_per_restart: 20_000,
            ..MaxCutConfig::default()
        }).unwrap();
        prop_assert_eq!(r.cut, -exact.global_minimum.energy);
        prop_assert_eq!(g.cut_value(&r.side).unwrap(), r.cut);
    }
}

/// The acceptance check: best-known cuts on G1, G2, G3, G11, G14 and within 0.3% on
/// G22, each inside 60 s. Timing-dependent, so not part of CI.
#[test]
#[ignore]
fn gset_reaches_best_known_within_60s() {
    let mut failures = Vec::new();
    for (name, tolerance) in [
        ("G1", 0.0),
        ("G2", 0.0),
        ("G3", 0.0),
        ("G11", 0.0),
        ("G14", 0.0),
        ("G22", 0.003),
    ] {
        let g = graph(&format!("{name}.txt"));
        let best = best_known(name);
        let target = (best * (1.0 - tolerance)).ceil();
        let r = g
            .max_cut(&MaxCutConfig {
                restarts: 2,
                moves_per_restart: u64::MAX,
                time_limit: Some(Duration::from_secs(60)),
                target_cut: Some(target),
                ..MaxCutConfig::default()
            })
            .unwrap();
        eprintln!(
            "{name}: cut {} (best known {best}, target {target}) after {:.2} s",
            r.cut,
            r.time_to_best.as_secs_f64()
        );
        if r.cut < target {
            failures.push(format!("{name}: {} < {target}", r.cut));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
