//! Scenario files: any text gives a scenario or every problem located by line.
#![no_main]

use std::sync::OnceLock;

use entente_core::world::Archive;
use libfuzzer_sys::fuzz_target;

fn archive() -> &'static Archive {
    static A: OnceLock<Archive> = OnceLock::new();
    A.get_or_init(|| {
        let l = entente_data::world_data::load(&entente_data::world_data::DataSource::bundled())
            .expect("bundled data");
        Archive::new(l.sources).expect("bundled archive")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = entente_data::scenario::parse_scenario(text, "fuzz.toml", archive()) {
        let lines = text.lines().count().max(1);
        for p in &e.problems {
            assert!(p.line >= 1 && p.line <= lines + 1, "problem outside the file: {p:?}");
        }
    }
});
