//! Whole SMP runs on KTAB's shipped inputs (tests/fixtures/ktab/inputs), including
//! the 160-actor file and an 80-actor file made of its first 80 actors.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use entente_core::smp::{self, SmpActor, SmpConfig, SmpScenario};

/// Minimal reader for the shipped files (the real one lives in entente-data).
fn scenario(file: &str) -> SmpScenario {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/ktab/inputs")
        .join(file);
    let text = std::fs::read_to_string(&p).expect("fixture");
    let mut lines = text.lines();
    let first: Vec<&str> = lines.next().expect("line 1").split(',').collect();
    // No shipped file has a comma inside its quoted description.
    let nd: usize = first[3].trim().parse().expect("dimension count");
    lines.next();
    let actors = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<f64> = l
                .split(',')
                .skip(2)
                .filter_map(|x| x.trim().parse().ok())
                .collect();
            SmpActor {
                name: l.split(',').next().unwrap_or("").trim().to_string(),
                description: String::new(),
                capability: f[0],
                position: (0..nd).map(|k| f[1 + 2 * k] / 100.0).collect(),
                salience: (0..nd).map(|k| f[2 + 2 * k] / 100.0).collect(),
            }
        })
        .collect();
    SmpScenario {
        name: file.into(),
        description: String::new(),
        dimensions: (0..nd).map(|k| format!("d{k}")).collect(),
        actors,
    }
}

fn bench(c: &mut Criterion) {
    let cfg = SmpConfig::default();
    let mut g = c.benchmark_group("smp_run");
    g.sample_size(10);
    for file in [
        "SOE-Pol-Comp.csv",
        "SOE-Policy.csv",
        "dummyData_6Dim.csv",
        "dummyData-a080.csv",
        "dummyData-a160.csv",
    ] {
        let s = scenario(file);
        g.bench_function(file, |b| b.iter(|| smp::run(&s, &cfg).expect("run")));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
