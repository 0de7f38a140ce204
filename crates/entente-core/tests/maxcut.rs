//! Max-cut on G-set graphs (rudy format). The fast graph runs in CI; the full check of all six
//! graphs against their best-known cuts is `#[ignore]`d (run it with
//! `cargo test --release -p entente-core --test maxcut -- --ignored`, or use
//! scripts/maxcut-check.sh).

use std::time::Duration;

use entente_core::alignment::maxcut::{Graph, MaxCutConfig};

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
