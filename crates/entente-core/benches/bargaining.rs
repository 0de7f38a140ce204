//! Bargaining model: 10 rounds for n = 10, 50, 200 and 1000 actors (random but seeded inputs).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use entente_core::bargaining::{Actor, Config, Model};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Duration;

fn actors(n: usize, seed: u64) -> Vec<Actor> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| Actor {
            capability: rng.random_range(0.05..1.0),
            position: rng.random_range(0.0..100.0),
            salience: rng.random_range(0.1..1.0),
        })
        .collect()
}

fn ten_rounds(c: &mut Criterion) {
    let mut group = c.benchmark_group("bdm_10_rounds");
    for n in [10usize, 50, 200, 1000] {
        let model = match Model::new(actors(n, 42), Config::default()) {
            Ok(m) => m,
            Err(e) => panic!("benchmark input: {e}"),
        };
        if n >= 1000 {
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(20));
        } else {
            group.sample_size(20);
            group.measurement_time(Duration::from_secs(5));
        }
        group.bench_with_input(BenchmarkId::from_parameter(n), &model, |b, model| {
            b.iter(|| {
                let run = black_box(model).run();
                assert_eq!(run.rounds.len(), 10, "stopped early: {:?}", run.stop);
                run
            })
        });
    }
    group.finish();
}

criterion_group!(benches, ten_rounds);
criterion_main!(benches);
