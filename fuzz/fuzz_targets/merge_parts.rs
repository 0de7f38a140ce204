//! Shard parts and manifests as `entente merge` reads them: any text gives
//! draws or a located error, never a panic; a draw read back writes the same
//! record; checks against the scenario's shape and coverage never panic or
//! allocate from a size in the file.
#![no_main]

use entente_report::parts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The same bytes as a manifest: fields of the right types, or an error naming the file.
    match parts::parse_manifest(text, "fuzz.manifest.json") {
        Ok(m) => {
            let _ = parts::check_manifest_draws("fuzz.manifest.json", &m, "fuzz.jsonl", &[0, 1]);
            // Coverage is always checked against the scenario's own count (here 8).
            let _ = parts::check_coverage(8, &m.draws);
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.manifest.json: ")),
    }
    match parts::read_part(text, "fuzz.jsonl") {
        Ok(records) => {
            let Some((_, reference)) = records.first() else {
                return;
            };
            for (line, r) in &records {
                assert!(*line >= 1);
                let _ = parts::same_shape(reference, r);
                // Written and read again, a record gives the same draw (NaN where null).
                let back = parts::draw_from_json(&parts::draw_to_json(r)).expect("round trip");
                assert_eq!(back.draw, r.draw);
                assert_eq!(back.options.len(), r.options.len());
                assert_eq!(back.params.len(), r.params.len());
            }
            let draws: Vec<usize> = records.iter().map(|(_, r)| r.draw).collect();
            let _ = parts::check_coverage(records.len(), &draws);
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.jsonl:")),
    }
});
