//! Scenario -> prepared engine -> one draw: any scenario that validates runs
//! a draw without a panic (an error is fine: it must be typed, not an abort).
#![no_main]

use std::sync::OnceLock;

use entente_core::simulation::Prepared;
use libfuzzer_sys::fuzz_target;

fn data() -> &'static entente_data::world_data::Loaded {
    static L: OnceLock<entente_data::world_data::Loaded> = OnceLock::new();
    L.get_or_init(|| {
        entente_data::world_data::load(&entente_data::world_data::DataSource::bundled())
            .expect("bundled data")
    })
}

fn archive() -> &'static entente_core::world::Archive {
    static A: OnceLock<entente_core::world::Archive> = OnceLock::new();
    A.get_or_init(|| {
        entente_core::world::Archive::new(data().sources.clone()).expect("bundled archive")
    })
}

fuzz_target!(|data_in: &[u8]| {
    let Ok(text) = std::str::from_utf8(data_in) else {
        return;
    };
    let Ok(sc) = entente_data::scenario::parse_scenario(text, "fuzz.toml", archive()) else {
        return;
    };
    // Keep an input's cost bounded: the engine's cost grows with actors and years.
    if sc.actors.len() > 40 || sc.horizon_years > 20 {
        return;
    }
    let Ok(prep) = Prepared::new(archive(), &sc, data().hazard_coefficients) else {
        return;
    };
    if let Ok(r) = prep.run_draw(0) {
        assert_eq!(r.options.len(), sc.options.len());
        for o in &r.options {
            assert_eq!(o.claim_values.len(), sc.claims.len());
            assert_eq!(o.coalition.len(), prep.units.len());
        }
    }
});
