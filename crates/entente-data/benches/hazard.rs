//! The dispute-hazard refit on the bundled data, once per `entente run`:
//! - `fit_1946_2014`: building the sample (69 world states) and fitting the logit;
//! - `threat_2024_flagship`: the 51 flagship states' threat in the 2024 world;
//! - `backtest_1995_2014`: the named backtest (fit, held-out sample, both models scored).

use criterion::{criterion_group, criterion_main, Criterion};
use entente_core::hazard::backtest::{backtest, BacktestConfig};
use entente_core::hazard::fit::{fit, FitConfig};
use entente_core::ids::Ccode;
use entente_core::threat::{self, ThreatConfig};
use entente_core::world::{Archive, World};
use entente_data::world_data::{load, DataSource};

fn bench(c: &mut Criterion) {
    let loaded = load(&DataSource::bundled()).expect("bundled data");
    let miller = loaded.hazard_coefficients;
    let archive = Archive::new(loaded.sources).expect("archive");
    let mut g = c.benchmark_group("hazard");
    g.sample_size(10);
    g.bench_function("fit_1946_2014", |b| {
        b.iter(|| fit(&archive, FitConfig::until(2014)).unwrap())
    });
    let cfg = ThreatConfig::from_fit(&fit(&archive, FitConfig::until(2014)).unwrap());
    let w = World::for_year(&archive, 2024).unwrap();
    let mut actors: Vec<Ccode> = ["NATO", "IP4", "ASEAN"]
        .iter()
        .flat_map(|g| w.group(g).to_vec())
        .chain([Ccode(710), Ccode(365), Ccode(731), Ccode(750), Ccode(713)])
        .collect();
    actors.sort_unstable();
    actors.dedup();
    g.bench_function("threat_2024_flagship", |b| {
        b.iter(|| threat::threat(&archive, &w, &actors, &cfg))
    });
    let bt = BacktestConfig {
        fit_until: 1995,
        until: 2014,
        bins: 10,
    };
    g.bench_function("backtest_1995_2014", |b| {
        b.iter(|| backtest(&archive, &miller, bt).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
