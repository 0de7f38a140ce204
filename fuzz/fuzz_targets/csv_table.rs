//! The CSV reader behind every data loader: any bytes give a table or a located error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = entente_data::table::Table::parse(text, "fuzz.csv") {
        // Reading typed cells of every column never panics either.
        for r in t.iter() {
            for c in 0..t.headers.len() {
                let col = entente_data::table::Col { index: c, name: "fuzz" };
                let _ = r.opt_f64(col, &["NA", ""]);
                let _ = r.opt_i64(col);
                let _ = r.opt_iso3(col);
                let _ = r.opt_date(col);
                let _ = r.opt_flag(col);
            }
        }
    }
    let _ = entente_data::series::parse_year_series(text, "fuzz.csv", &["value"]);
});
