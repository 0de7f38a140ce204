//! The spending model on the bundled data: the panel of the 51 flagship states
//! (2000-2024, spending and the threat history), the fit with its calibration,
//! and 256 projected draws of ten years. `entente run` and a hindcast pay the
//! first two once per run.

use criterion::{criterion_group, criterion_main, Criterion};
use entente_core::hazard::{HazardConfig, PeaceYears, Relevance, Scaling};
use entente_core::ids::Ccode;
use entente_core::spending::{draw_paths, fit, panel_from_archive, FitConfig, ProjectionInputs};
use entente_core::threat::ThreatConfig;
use entente_core::world::{Archive, World};
use entente_data::world_data::{load, DataSource};
use std::hint::black_box;
use std::time::Duration;

fn spending(c: &mut Criterion) {
    let loaded = match load(&DataSource::bundled()) {
        Ok(l) => l,
        Err(e) => panic!("bundled data: {e}"),
    };
    let coefficients = loaded.hazard_coefficients;
    let archive = match Archive::new(loaded.sources) {
        Ok(a) => a,
        Err(e) => panic!("archive: {e}"),
    };
    let world = match World::for_year(&archive, 2024) {
        Ok(w) => w,
        Err(e) => panic!("world: {e}"),
    };
    let mut actors: Vec<Ccode> = Vec::new();
    for g in ["NATO", "IP4", "ASEAN"] {
        actors.extend_from_slice(world.group(g));
    }
    actors.extend([Ccode(710), Ccode(365), Ccode(731), Ccode(750), Ccode(713)]);
    actors.sort_unstable();
    actors.dedup();
    let threat = ThreatConfig::new(HazardConfig {
        coefficients,
        scaling: Scaling::from_archive(&archive, archive.coverage().first_year, 2010),
        peace_years: PeaceYears::default(),
        relevance: Relevance::PoliticallyRelevant,
    });
    let build = || match panel_from_archive(&archive, &actors, 2000, 2024, Some(&threat)) {
        Ok(p) => p,
        Err(e) => panic!("panel: {e}"),
    };
    let panel = build();
    let cfg = FitConfig::default();
    let mut group = c.benchmark_group("spending");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("panel_51_states_2000_2024", |b| {
        b.iter(|| black_box(build()))
    });
    group.bench_function("fit_and_calibrate_2024", |b| {
        b.iter(|| match fit(black_box(&panel), 2024, &cfg) {
            Ok(m) => m,
            Err(e) => panic!("fit: {e}"),
        })
    });
    let model = match fit(&panel, 2024, &cfg) {
        Ok(m) => m,
        Err(e) => panic!("fit: {e}"),
    };
    let n = model.n_states();
    let inputs = match ProjectionInputs::frozen(&model, 10, vec![vec![1.0; n]; n]) {
        Ok(i) => i,
        Err(e) => panic!("inputs: {e}"),
    };
    group.bench_function("project_256_draws_10_years", |b| {
        b.iter(|| black_box(draw_paths(&model, &inputs, 256, 1)))
    });
    group.finish();
}

criterion_group!(benches, spending);
criterion_main!(benches);
