//! The models' own input files: BDM actors, landscape sizes and propensities, rudy graphs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = entente_data::bdm::parse_actors(text, "fuzz.csv");
    let _ = entente_data::landscape::parse_actor_sizes(text, "fuzz.csv");
    let _ = entente_data::landscape::parse_propensity(text, "fuzz.csv");
    let _ = entente_data::graph::parse_rudy(text, "fuzz.txt");
});
