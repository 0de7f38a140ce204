//! Invariants of the bargaining model on random inputs.

use entente_core::bargaining::{
    Actor, Capitulation, Config, Denominator, Model, OnCycle, Run, StopRule,
};
use proptest::prelude::*;

fn actor() -> impl Strategy<Value = Actor> {
    // Positions often coincide (a small grid) so shared positions and ties get exercised.
    let position = prop_oneof![(0u8..6).prop_map(|k| f64::from(k) * 2.5), -50.0..50.0f64];
    (0.001..10.0f64, position, 0.0..=1.0f64).prop_map(|(capability, position, salience)| Actor {
        capability,
        position,
        salience,
    })
}

fn config() -> impl Strategy<Value = Config> {
    (any::<bool>(), any::<bool>()).prop_map(|(cap, pair)| Config {
        capitulation: if cap {
            Capitulation::Fixed
        } else {
            Capitulation::AsScholzCode
        },
        denominator: if pair {
            Denominator::PerPair
        } else {
            Denominator::PerRound
        },
        stop: StopRule {
            max_rounds: 8,
            on_cycle: OnCycle::Continue,
        },
    })
}

fn valid(actors: &[Actor]) -> bool {
    let first = actors[0].position;
    actors.iter().any(|a| a.position != first)
        && actors.iter().any(|a| a.capability * a.salience > 0.0)
}

fn all_positions(run: &Run) -> impl Iterator<Item = &[f64]> {
    std::iter::once(run.initial_positions.as_slice())
        .chain(run.rounds.iter().map(|r| r.positions.as_slice()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn positions_stay_within_initial_range(
        actors in prop::collection::vec(actor(), 2..12),
        config in config(),
    ) {
        prop_assume!(valid(&actors));
        let lo = actors.iter().map(|a| a.position).fold(f64::INFINITY, f64::min);
        let hi = actors.iter().map(|a| a.position).fold(f64::NEG_INFINITY, f64::max);
        let run = Model::new(actors, config).expect("valid").run();
        for positions in all_positions(&run) {
            for &x in positions {
                prop_assert!((lo..=hi).contains(&x), "{x} outside [{lo}, {hi}]");
            }
        }
        for r in &run.rounds {
            prop_assert!(r.risk.iter().all(|&q| (0.5 - 1e-12..=2.0 + 1e-12).contains(&q)));
        }
    }

    #[test]
    fn median_minimises_weighted_distance(
        actors in prop::collection::vec(actor(), 2..12),
        config in config(),
    ) {
        prop_assume!(valid(&actors));
        let w: Vec<f64> = actors.iter().map(|a| a.capability * a.salience).collect();
        let run = Model::new(actors, config).expect("valid").run();
        let forecasts = std::iter::once(run.initial).chain(run.rounds.iter().map(|r| r.forecast));
        for (positions, f) in all_positions(&run).zip(forecasts) {
            let cost = |x: f64| -> f64 { w.iter().zip(positions).map(|(w, p)| w * (p - x).abs()).sum() };
            prop_assert!(positions.contains(&f.median), "median {} is not a position", f.median);
            let best = positions.iter().map(|&x| cost(x)).fold(f64::INFINITY, f64::min);
            let scale: f64 = w.iter().sum::<f64>() * (f.max - f.min).max(1.0);
            prop_assert!(cost(f.median) <= best + 1e-12 * scale, "{} > {best}", cost(f.median));
            // Lowest minimiser: every lower position costs clearly more.
            for &x in positions.iter().filter(|&&x| x < f.median) {
                prop_assert!(cost(x) > best - 1e-12 * scale);
            }
        }
    }

    /// Scaling every capability by a power of two is exact in floating point, so the run must
    /// be bit-identical: only ratios of capabilities matter.
    #[test]
    fn rescaling_capabilities_changes_nothing(
        actors in prop::collection::vec(actor(), 2..12),
        config in config(),
        exponent in -20i32..20,
    ) {
        prop_assume!(valid(&actors));
        let factor = 2f64.powi(exponent);
        let scaled: Vec<Actor> = actors
            .iter()
            .map(|a| Actor { capability: a.capability * factor, ..*a })
            .collect();
        let a = Model::new(actors, config).expect("valid").run();
        let b = Model::new(scaled, config).expect("valid").run();
        prop_assert_eq!(a, b);
    }
}

/// Any factor, on a reference input: the same forecasts within rounding.
#[test]
fn rescaling_by_any_factor_keeps_the_forecast() {
    let rows = [
        (0.08, 4.0, 0.8),
        (0.08, 7.0, 0.4),
        (0.03, 4.0, 0.2),
        (0.16, 4.0, 0.8),
        (0.16, 10.0, 0.6),
        (0.16, 10.0, 0.6),
        (0.16, 10.0, 0.9),
        (0.05, 7.0, 0.1),
        (0.05, 4.0, 1.0),
        (0.08, 7.0, 0.7),
    ];
    let make = |factor: f64| -> Vec<Actor> {
        rows.iter()
            .map(|&(c, x, s)| Actor {
                capability: c * factor,
                position: x,
                salience: s,
            })
            .collect()
    };
    let base = Model::new(make(1.0), Config::default())
        .expect("valid")
        .run();
    for factor in [3.0, 0.37, 1234.5] {
        let run = Model::new(make(factor), Config::default())
            .expect("valid")
            .run();
        assert_eq!(run.rounds.len(), base.rounds.len());
        for (a, b) in run.rounds.iter().zip(&base.rounds) {
            assert!((a.forecast.median - b.forecast.median).abs() < 1e-9);
            assert!((a.forecast.mean - b.forecast.mean).abs() < 1e-9);
            assert_eq!(a.moves.len(), b.moves.len());
        }
    }
}

/// Large enough for the parallel paths: one thread and several give bit-identical runs.
#[test]
fn thread_count_does_not_change_the_run() {
    let n = 90;
    let actors: Vec<Actor> = (0..n)
        .map(|i| Actor {
            capability: 0.1 + ((i * 37) % 11) as f64,
            position: ((i * 53) % 97) as f64,
            salience: 0.1 + 0.9 * ((i * 17) % 13) as f64 / 12.0,
        })
        .collect();
    let config = Config {
        stop: StopRule {
            max_rounds: 3,
            on_cycle: OnCycle::Continue,
        },
        ..Config::default()
    };
    let model = Model::new(actors, config).expect("valid");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool")
        .install(|| model.run());
    let many = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("pool")
        .install(|| model.run());
    assert_eq!(one.rounds.len(), 3);
    assert_eq!(one, many);
}
