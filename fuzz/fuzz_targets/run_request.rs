//! The dashboard's prior objects (the part of `POST /api/runs` parsed by hand).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(p) = entente_server::catalog::prior_from_json(&v, "prior") {
        // An accepted prior gives finite quantiles.
        for u in [0.001, 0.5, 0.999] {
            assert!(p.quantile(u).is_finite(), "{p:?} at {u}");
        }
    }
});
