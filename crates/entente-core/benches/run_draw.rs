//! The hot path of `entente run`: one draw of the flagship (every option
//! through the chain), preparing the engine once per run, and `entente align`.

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
    // `entente align --year 2024` at its default 384 draws: the history, the
    // fit and every draw's three-place landscape (issue 14: under 5 s on 2 cores).
    let mut g = c.benchmark_group("align");
    g.sample_size(10);
    g.bench_function("align_2024_384_draws", |b| {
        b.iter(|| {
            entente_core::simulation::align::align_year(&archive, &sc, 2024, 384).expect("align")
        })
    });
    g.finish();
}

criterion_group!(benches, flagship);
criterion_main!(benches);
