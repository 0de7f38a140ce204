//! The spending model on the bundled data: the panel of the 51 flagship states
//! (2000-2024, spending and the threat history), the fit with its calibration,
//! and 256 projected draws of ten years. `entente run` and a hindcast pay the
//! first two once per run. And one whole hindcast of the flagship's chain from
//! 2016 to 2024 with 256 draws requested (266: 19 base samples), preparation
//! included (the budget: under 30 s on 2 cores).

use criterion::{criterion_group, criterion_main, Criterion};
use entente_core::hazard::fit::{fit as fit_hazard, FitConfig as HazardFit};
use entente_core::hindcast::{self, Window};
use entente_core::ids::Ccode;
use entente_core::simulation::{Chain, Prepared};
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
    let hazard_coefficients = loaded.hazard_coefficients;
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
    let fitted = match fit_hazard(&archive, HazardFit::until(2014)) {
        Ok(f) => f,
        Err(e) => panic!("hazard: {e}"),
    };
    let threat = ThreatConfig::from_fit(&fitted);
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
    let flagship = match entente_data::scenario::parse_scenario(
        entente_data::scenario::FLAGSHIP,
        "nato-ip4.toml",
        &archive,
    ) {
        Ok(s) => s,
        Err(e) => panic!("flagship: {e}"),
    };
    let window = match Window::new(2016, 2024, (2000, 2024)) {
        Ok(w) => w,
        Err(e) => panic!("window: {e}"),
    };
    let mut hs = match hindcast::scenario(&flagship, &archive, window) {
        Ok(s) => s,
        Err(e) => panic!("hindcast scenario: {e}"),
    };
    hs.experiment.base_samples = 256_usize.div_ceil(hs.uncertain().len() + 2);
    group.bench_function("hindcast_2016_2024_256_draws", |b| {
        b.iter(|| {
            let mut prep = match Prepared::new(&archive, &hs, hazard_coefficients) {
                Ok(p) => p,
                Err(e) => panic!("prepare: {e}"),
            };
            prep.chain = Chain::ThroughSpending;
            let draws: Vec<usize> = (0..prep.draws()).collect();
            match prep.run(&draws, &|| {}) {
                Ok(r) => black_box(r.len()),
                Err(e) => panic!("run: {e}"),
            }
        })
    });
    group.finish();
}

criterion_group!(benches, spending);
criterion_main!(benches);
