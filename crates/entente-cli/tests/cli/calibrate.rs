use crate::{json, run};

const NAMES: [&str; 6] = [
    "long_run_growth",
    "drift_persistence",
    "drift_sd",
    "reactivity",
    "threat_response_pct_per_pp",
    "noise_scale",
];

#[test]
fn calibrate_prints_each_parameter_as_a_truncated_normal_with_its_basis() {
    let (ok, out, err) = run(&["calibrate", "--until", "2012", "--format", "json"]);
    assert!(ok, "{err}");
    let v = json(&out);
    assert_eq!(v["until"], 2012);
    assert_eq!(v["from"], 2000);
    let params = v["parameters"].as_array().unwrap();
    assert_eq!(params.len(), 6);
    for (p, name) in params.iter().zip(NAMES) {
        assert_eq!(p["name"], name);
        let d = &p["distribution"];
        assert_eq!(d["dist"], "normal");
        let (lo, hi, sd) = (
            d["lo"].as_f64().unwrap(),
            d["hi"].as_f64().unwrap(),
            d["sd"].as_f64().unwrap(),
        );
        let median = p["median"].as_f64().unwrap();
        assert!(lo < hi && sd >= 0.0 && lo <= median && median <= hi, "{p}");
        assert!(!p["basis"].as_str().unwrap().is_empty());
    }
    let d = &v["diagnostics"];
    assert_eq!(d["threat_history"], true);
    assert!(d["observations"].as_u64().unwrap() > 300, "{d}");
    let inside = d["calibration_inside_90"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&inside));
    let (ok, table, _) = run(&["calibrate", "--until", "2012"]);
    assert!(ok);
    for name in NAMES {
        assert!(table.contains(name), "{table}");
    }
    assert!(table.contains("fitted on 2000-2012"), "{table}");
}

/// Every SIPRI value after `year` changed.
fn sipri_changed_after(year: i32) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/sipri/sipri_milex_flagship_subset_2000_2024.csv"
    ))
    .unwrap();
    let mut out = String::new();
    for (k, line) in text.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        // Names hold no commas except "Korea, North/South", quoted.
        let y = cells
            .iter()
            .position(|c| c.parse::<i32>().is_ok_and(|y| (2000..=2024).contains(&y)));
        if let (true, Some(y)) = (k > 0, y) {
            if cells[y].parse::<i32>().unwrap() > year {
                for c in cells.iter_mut().skip(y + 1) {
                    if let Ok(v) = c.parse::<f64>() {
                        *c = format!("{}", v * 3.0 + 1.0);
                    }
                }
            }
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn calibration_reads_nothing_after_its_year() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sipri")).unwrap();
    let changed = sipri_changed_after(2012);
    std::fs::write(
        dir.path()
            .join("sipri/sipri_milex_flagship_subset_2000_2024.csv"),
        &changed,
    )
    .unwrap();
    let args = ["calibrate", "--until", "2012", "--format", "json"];
    let (ok, bundled, err) = run(&args);
    assert!(ok, "{err}");
    let mut with_dir: Vec<&str> = args.to_vec();
    with_dir.extend(["--data-dir", dir.path().to_str().unwrap()]);
    let (ok, altered, err) = run(&with_dir);
    assert!(ok, "{err}");
    assert_eq!(bundled, altered);
    // The change is real: a calibration that reads 2013 sees it.
    let (_, a, _) = run(&["calibrate", "--until", "2013", "--format", "json"]);
    let mut later: Vec<&str> = vec!["calibrate", "--until", "2013", "--format", "json"];
    later.extend(["--data-dir", dir.path().to_str().unwrap()]);
    let (_, b, _) = run(&later);
    assert_ne!(a, b);
}

#[test]
fn calibrate_rejects_years_without_data() {
    let (ok, _, err) = run(&["calibrate", "--until", "2030"]);
    assert!(!ok);
    assert!(err.contains("--until 2030: no spending data"), "{err}");
    let (ok, _, err) = run(&["calibrate", "--until", "2004"]);
    assert!(!ok);
    assert!(err.contains("at least 6 years"), "{err}");
    let (ok, _, err) = run(&["calibrate", "--actors", "XYZ"]);
    assert!(!ok);
    assert!(err.contains("unknown actor `XYZ`"), "{err}");
}
