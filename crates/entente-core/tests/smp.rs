//! Reference tests: Entente's SMP against KTAB's printed runs
//! (`tests/fixtures/ktab`, see SOURCE.md there).
//!
//! entente-core cannot depend on entente-data (which depends on it), so this file
//! carries a minimal reader for the shipped inputs; the real reader is tested
//! in entente-data.

use std::path::PathBuf;

use entente_core::smp::{self, SmpActor, SmpConfig, SmpHistory, SmpScenario};

fn fixture(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/ktab")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Minimal reader for KTAB's scenario CSV (no quoted commas in the shipped files
/// after the first line).
fn scenario(name: &str) -> SmpScenario {
    let text = fixture(&format!("inputs/{name}.csv"));
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    // The description may be quoted; the counts are the 3rd and 4th fields from a
    // split that respects one quoted field.
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in first.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    fields.push(cur);
    let na: usize = fields[2].trim().parse().unwrap();
    let nd: usize = fields[3].trim().parse().unwrap();
    let header: Vec<&str> = lines.next().unwrap().split(',').map(str::trim).collect();
    let dims = (0..nd).map(|k| header[3 + 2 * k].to_string()).collect();
    let actors = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').map(str::trim).collect();
            let num = |i: usize| f[i].parse::<f64>().unwrap();
            SmpActor {
                name: f[0].to_string(),
                description: f[1].to_string(),
                capability: num(2),
                position: (0..nd).map(|k| num(3 + 2 * k) / 100.0).collect(),
                salience: (0..nd).map(|k| num(4 + 2 * k) / 100.0).collect(),
            }
        })
        .collect::<Vec<_>>();
    assert_eq!(actors.len(), na);
    SmpScenario {
        name: fields[0].trim().to_string(),
        description: fields[1].trim().to_string(),
        dimensions: dims,
        actors,
    }
}

struct Expected {
    ratios: Vec<f64>,
    /// Per actor, per state.
    probs: Vec<Vec<f64>>,
    /// Per actor and dimension (actor-major), per state, 0-100 scale.
    positions: Vec<Vec<f64>>,
}

fn expected(name: &str) -> Expected {
    let text = fixture(&format!("expected/{name}.txt"));
    let mut e = Expected {
        ratios: vec![],
        probs: vec![],
        positions: vec![],
    };
    let nums = |s: &str| -> Vec<f64> {
        s.split_whitespace()
            .map(|x| x.parse::<f64>().unwrap())
            .collect()
    };
    let mut in_history = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Fractional change compared to first step:") {
            e.ratios
                .push(nums(rest.split("(target").next().unwrap())[0]);
        } else if line.starts_with("History of actor positions") {
            in_history = true;
        } else if let Some((_, rest)) = line.split_once(", prob :") {
            e.probs.push(nums(rest));
        } else if in_history && !line.trim().is_empty() {
            let (_, rest) = line.rsplit_once(':').unwrap();
            e.positions.push(nums(rest));
        }
    }
    e
}

/// Compare a run to KTAB's printed output: same number of turns, ratios and
/// probabilities to 4 decimals, positions to 1 decimal on 0-100.
fn check(name: &str, h: &SmpHistory) -> Vec<String> {
    let e = expected(name);
    let mut bad = Vec::new();
    if h.turns() != e.ratios.len() {
        bad.push(format!("turns: got {}, KTAB {}", h.turns(), e.ratios.len()));
    }
    // Half a unit of the last printed digit, plus room for binary representation.
    let tol4 = 0.5e-4 + 1e-9;
    let tol1 = 0.05 + 1e-9;
    for (t, (&got, &want)) in h.ratios.iter().zip(&e.ratios).enumerate() {
        if (got - want).abs() > tol4 {
            bad.push(format!("ratio turn {}: got {got:.6}, KTAB {want}", t + 1));
        }
    }
    let n = h.actors();
    let d = h.dims();
    // Guard against a silently short parse of the expected file.
    assert_eq!(e.probs.len(), n, "{name}: prob lines");
    assert_eq!(e.positions.len(), n * d, "{name}: position lines");
    for row in e.probs.iter().chain(&e.positions) {
        assert_eq!(row.len(), e.ratios.len() + 1, "{name}: states per line");
    }
    for a in 0..n {
        for (t, &want) in e.probs[a].iter().enumerate() {
            if let Some(p) = h.probabilities.get(t) {
                if (p[a] - want).abs() > tol4 {
                    bad.push(format!(
                        "prob actor {a} turn {t}: got {:.6}, KTAB {want}",
                        p[a]
                    ));
                }
            }
        }
        for k in 0..d {
            for (t, &want) in e.positions[a * d + k].iter().enumerate() {
                if t <= h.turns() {
                    let got = 100.0 * h.position(t, a, k);
                    if (got - want).abs() > tol1 {
                        bad.push(format!(
                            "position actor {a} dim {k} turn {t}: got {got:.4}, KTAB {want}"
                        ));
                    }
                }
            }
        }
    }
    bad
}

fn run_and_check(name: &str) {
    let s = scenario(name);
    let h = smp::run(&s, &SmpConfig::default()).unwrap();
    let bad = check(name, &h);
    assert!(
        bad.is_empty(),
        "{name}: {} mismatches, first ones:\n{}",
        bad.len(),
        bad.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn ktab_dummy_data_3dim() {
    run_and_check("dummyData_3Dim");
}

#[test]
fn ktab_soe_pol_comp() {
    run_and_check("SOE-Pol-Comp");
}

#[test]
fn ktab_soe_policy() {
    run_and_check("SOE-Policy");
}

#[test]
fn ktab_dummy_data_6dim() {
    run_and_check("dummyData_6Dim");
}
