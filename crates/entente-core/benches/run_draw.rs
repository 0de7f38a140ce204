//! The hot path of `entente run`: one draw of the flagship (every option
//! through the chain), and preparing the engine once per run.

use criterion::{criterion_group, criterion_main, Criterion};
use entente_core::simulation::Prepared;
use entente_core::world::Archive;

fn flagship(c: &mut Criterion) {
    let loaded = entente_data::world_data::load(&entente_data::world_data::DataSource::bundled())
        .expect("bundled data");
    let archive = Archive::new(loaded.sources).expect("archive");
    let sc = entente_data::scenario::parse_scenario(
        entente_data::scenario::FLAGSHIP,
        entente_data::scenario::FLAGSHIP_PATH,
        &archive,
    )
    .expect("flagship");
    let mut g = c.benchmark_group("flagship");
    g.sample_size(10);
    g.bench_function("prepare", |b| {
        b.iter(|| Prepared::new(&archive, &sc, loaded.hazard_coefficients).expect("prepare"))
    });
    let prep = Prepared::new(&archive, &sc, loaded.hazard_coefficients).expect("prepare");
    let mut d = 0;
    g.bench_function("run_draw", |b| {
        b.iter(|| {
            d = (d + 1) % prep.draws();
            prep.run_draw(d).expect("draw")
        })
    });
    g.finish();
}

criterion_group!(benches, flagship);
criterion_main!(benches);
