//! Entente's SMP scenario form (TOML) and KTAB's CSV form.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = entente_data::smp::parse_smp_toml(text, "fuzz.toml");
    let _ = entente_data::ktab::parse_ktab_smp(text, "fuzz.csv");
    let _ = entente_data::smp::ktab_csv_to_toml(text, "fuzz.csv");
});
