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

// ---------------------------------------------------------------------------
// The other KTAB options. There are no KTAB runs for them, so each is checked for
// what it must do: run to completion, stay in range, and differ from the default
// where the option matters on this scenario.

use entente_core::smp::{
    BargainModel, Interpolation, PceModel, RiskAdjust, RiskRange, StopRule, ThirdPartyCommit,
    Transition, VictoryModel, VoteRule,
};

fn short(cfg: SmpConfig) -> SmpHistory {
    let cfg = SmpConfig {
        stop: StopRule {
            max_turns: 6,
            ..StopRule::default()
        },
        ..cfg
    };
    smp::run(&scenario("SOE-Pol-Comp"), &cfg).unwrap()
}

fn assert_sane(h: &SmpHistory, what: &str) {
    for (t, p) in h.probabilities.iter().enumerate() {
        for &x in p {
            assert!((0.0..=1.0 + 1e-12).contains(&x), "{what}: prob {x} at {t}");
        }
    }
    for s in &h.positions {
        for &x in s {
            assert!((0.0..=1.0).contains(&x), "{what}: position {x}");
        }
    }
    assert_eq!(h.ratios.len(), h.turns(), "{what}");
}

#[test]
fn every_option_runs_and_matters() {
    let base = short(SmpConfig::default());
    let d = SmpConfig::default();
    let variants: Vec<(&str, SmpConfig)> = vec![
        (
            "vote Binary",
            SmpConfig {
                vote_rule: VoteRule::Binary,
                ..d
            },
        ),
        (
            "vote PropBin",
            SmpConfig {
                vote_rule: VoteRule::PropBin,
                ..d
            },
        ),
        (
            "vote PropCubic",
            SmpConfig {
                vote_rule: VoteRule::PropCubic,
                ..d
            },
        ),
        (
            "vote Cubic",
            SmpConfig {
                vote_rule: VoteRule::Cubic,
                ..d
            },
        ),
        (
            "vote AsymmetricProspect",
            SmpConfig {
                vote_rule: VoteRule::AsymmetricProspect,
                ..d
            },
        ),
        (
            "victory Square",
            SmpConfig {
                victory: VictoryModel::Square,
                ..d
            },
        ),
        (
            "victory Quartic",
            SmpConfig {
                victory: VictoryModel::Quartic,
                ..d
            },
        ),
        (
            "victory Octic",
            SmpConfig {
                victory: VictoryModel::Octic,
                ..d
            },
        ),
        (
            "victory Binary",
            SmpConfig {
                victory: VictoryModel::Binary,
                ..d
            },
        ),
        (
            "pce MarkovUniform",
            SmpConfig {
                pce: PceModel::MarkovUniform,
                ..d
            },
        ),
        (
            "pce MarkovIncentive",
            SmpConfig {
                pce: PceModel::MarkovIncentive,
                ..d
            },
        ),
        (
            "risk adjust None",
            SmpConfig {
                risk_adjust: RiskAdjust::None,
                ..d
            },
        ),
        (
            "risk adjust Half",
            SmpConfig {
                risk_adjust: RiskAdjust::Half,
                ..d
            },
        ),
        (
            "risk adjust TwoThirds",
            SmpConfig {
                risk_adjust: RiskAdjust::TwoThirds,
                ..d
            },
        ),
        (
            "risk adjust Full",
            SmpConfig {
                risk_adjust: RiskAdjust::Full,
                ..d
            },
        ),
        (
            "risk range Min",
            SmpConfig {
                risk_range: RiskRange::Min,
                ..d
            },
        ),
        (
            "risk range Max",
            SmpConfig {
                risk_range: RiskRange::Max,
                ..d
            },
        ),
        (
            "third party No",
            SmpConfig {
                third_party: ThirdPartyCommit::No,
                ..d
            },
        ),
        (
            "third party Full",
            SmpConfig {
                third_party: ThirdPartyCommit::Full,
                ..d
            },
        ),
        (
            "interp S1P1",
            SmpConfig {
                interpolation: Interpolation::S1P1,
                ..d
            },
        ),
        (
            "interp S2PMax",
            SmpConfig {
                interpolation: Interpolation::S2PMax,
                ..d
            },
        ),
        (
            "bargain InitRcvr",
            SmpConfig {
                bargain_model: BargainModel::InitRcvr,
                ..d
            },
        ),
        (
            "bargain PowerWeightedCompromise",
            SmpConfig {
                bargain_model: BargainModel::PowerWeightedCompromise,
                ..d
            },
        ),
        (
            "stochastic",
            SmpConfig {
                transition: Transition::Stochastic { seed: 7 },
                ..d
            },
        ),
    ];
    for (what, cfg) in variants {
        let h = short(cfg);
        assert_sane(&h, what);
        assert!(
            h.positions != base.positions || h.probabilities != base.probabilities,
            "{what} changed nothing"
        );
    }
}

#[test]
fn stochastic_runs_repeat_with_their_seed() {
    let cfg = SmpConfig {
        transition: Transition::Stochastic { seed: 42 },
        ..SmpConfig::default()
    };
    let a = short(cfg);
    assert_eq!(a, short(cfg));
    let other = short(SmpConfig {
        transition: Transition::Stochastic { seed: 43 },
        ..SmpConfig::default()
    });
    assert_ne!(a.positions, other.positions);
}

#[test]
fn stop_rule_caps_turns() {
    let h = short(SmpConfig::default());
    assert_eq!(h.turns(), 6, "SOE-Pol-Comp runs 27 turns uncapped");
    let h0 = smp::run(
        &scenario("dummyData_3Dim"),
        &SmpConfig {
            stop: StopRule {
                max_turns: 0,
                ..StopRule::default()
            },
            ..SmpConfig::default()
        },
    )
    .unwrap();
    assert_eq!(h0.turns(), 0);
    assert_eq!(h0.probabilities.len(), 1);
}

#[test]
fn rejects_invalid_scenarios() {
    let good = scenario("dummyData_3Dim");
    let mut s = good.clone();
    s.actors[2].salience = vec![0.5, 0.4, 0.2];
    assert!(matches!(
        smp::validate(&s),
        Err(smp::SmpError::SalienceSum { .. })
    ));
    let mut s = good.clone();
    s.actors[1].capability = 0.0;
    assert!(matches!(
        smp::validate(&s),
        Err(smp::SmpError::OutOfRange { .. })
    ));
    let mut s = good.clone();
    s.actors[1].position[0] = 1.5;
    assert!(smp::run(&s, &SmpConfig::default()).is_err());
    let mut s = good.clone();
    s.actors[0].salience = vec![0.0; 3];
    assert!(matches!(
        smp::validate(&s),
        Err(smp::SmpError::NoSalience { .. })
    ));
    let mut s = good;
    s.actors.truncate(1);
    assert_eq!(smp::validate(&s), Err(smp::SmpError::TooFewActors(1)));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn arb_scenario() -> impl Strategy<Value = SmpScenario> {
        (2usize..7, 1usize..4).prop_flat_map(|(n, d)| {
            proptest::collection::vec(
                (
                    1.0f64..200.0,
                    proptest::collection::vec(0.0f64..=1.0, d),
                    proptest::collection::vec(0.05f64..1.0, d),
                ),
                n,
            )
            .prop_map(move |rows| SmpScenario {
                name: "p".into(),
                description: String::new(),
                dimensions: (0..d).map(|k| format!("d{k}")).collect(),
                actors: rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, (cap, pos, sal))| {
                        let total: f64 = sal.iter().sum();
                        SmpActor {
                            name: format!("a{i}"),
                            description: String::new(),
                            capability: cap,
                            position: pos,
                            // scale so the saliences sum to at most 0.99
                            salience: sal.iter().map(|s| s / total * 0.99).collect(),
                        }
                    })
                    .collect(),
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Positions stay on the 0-1 scale, move only to KTAB's 4-decimal grid or
        /// stay put, probabilities lie in [0, 1], and runs are reproducible.
        #[test]
        fn invariants(s in arb_scenario()) {
            let cfg = SmpConfig { stop: StopRule { max_turns: 8, ..StopRule::default() }, ..SmpConfig::default() };
            let h = smp::run(&s, &cfg).unwrap();
            prop_assert!(h.turns() >= 1 && h.turns() <= 8);
            for t in 1..=h.turns() {
                for (x, old) in h.positions[t].iter().zip(&h.positions[t - 1]) {
                    prop_assert!((0.0..=1.0).contains(x));
                    let on_grid = ((x * 1e4).round() - x * 1e4).abs() < 1e-6;
                    prop_assert!(on_grid || x == old, "{x} neither moved to the grid nor stayed");
                }
            }
            for p in &h.probabilities {
                for &x in p {
                    prop_assert!((0.0..=1.0 + 1e-12).contains(&x));
                }
            }
            prop_assert_eq!(&h, &smp::run(&s, &cfg).unwrap());
        }

        /// Reversing the order of the actors reverses their initial probabilities,
        /// provided no two positions are close enough to be merged (KTAB then
        /// keeps the first one, which depends on the order).
        #[test]
        fn initial_probabilities_follow_actors_under_reversal(s in arb_scenario()) {
            for a in &s.actors {
                for b in &s.actors {
                    if !std::ptr::eq(a, b) {
                        let dist: f64 = a.position.iter().zip(&b.position).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt();
                        prop_assume!(dist > 1e-2);
                    }
                }
            }
            let cfg = SmpConfig { stop: StopRule { max_turns: 0, ..StopRule::default() }, ..SmpConfig::default() };
            let h = smp::run(&s, &cfg).unwrap();
            let mut r = s.clone();
            r.actors.reverse();
            let hr = smp::run(&r, &cfg).unwrap();
            let n = s.actors.len();
            for i in 0..n {
                prop_assert!((h.probabilities[0][i] - hr.probabilities[0][n - 1 - i]).abs() < 1e-9);
            }
        }
    }
}
