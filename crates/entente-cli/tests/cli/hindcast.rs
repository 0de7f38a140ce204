//! `entente hindcast`: the flagship's chain from a past base year, scored.

use std::path::Path;

use serde_json::Value;

use crate::{run, store_listing};

fn data(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data")
            .join(rel),
    )
    .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn hindcast(out: &Path, extra: &[&str]) -> (bool, String, String) {
    // Each hindcast records itself in a store beside its folder, never in the source tree.
    let store = out.with_extension("sqlite").display().to_string();
    let mut args = vec![
        "hindcast",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
        "--store",
        store.as_str(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("hindcast.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The Done-when check of the hindcast: from 2016 to 2024 the chain beats the
/// random walk with drift in log spending fitted on 2000-2016, overall and
/// for the median state, with 90% intervals that hold 75-98% of realised
/// state-years.
#[test]
fn from_2016_the_chain_beats_the_random_walk_with_drift() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h");
    let (ok, _, err) = hindcast(&out, &["--from", "2016", "--to", "2024", "--draws", "140"]);
    assert!(ok, "{err}");
    let v = json(&out);
    assert_eq!(v["schema"], "entente.hindcast/1");
    assert_eq!(
        (v["base_year"].as_i64(), v["last_year"].as_i64()),
        (Some(2016), Some(2024))
    );
    assert!(!out.join("RUNNING").exists(), "the marker is removed last");
    // Recorded in the run store as a hindcast, pointing at its folder.
    let store = out.with_extension("sqlite");
    let rows = store_listing(&store);
    let listing = rows.join("\n");
    assert_eq!(rows.len(), 2, "{listing}");
    assert!(rows[0].ends_with(",kind"), "{listing}");
    assert!(
        rows[1].contains(",complete,") && rows[1].ends_with(",hindcast"),
        "{listing}"
    );
    let folder = out.canonicalize().unwrap().display().to_string();
    assert!(rows[1].contains(&folder), "{listing}");
    let o = &v["overall"];
    let skill = o["skill_rw_drift"].as_f64().unwrap();
    let median = o["median_skill_rw_drift"].as_f64().unwrap();
    let inside = o["inside_90"].as_f64().unwrap();
    assert!(skill > 0.0, "overall skill {skill}");
    assert!(median >= 0.0, "median skill {median}");
    assert!((0.75..=0.98).contains(&inside), "90% coverage {inside}");
    // The Asia-Pacific states and the two sides' anchors are scored.
    let states: Vec<&str> = v["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    for s in ["USA", "CHN", "JPN", "KOR", "AUS", "NZL", "IND", "IDN"] {
        assert!(states.contains(&s), "{s} not scored: {states:?}");
    }
    assert!(!states.contains(&"DEU"), "{states:?}");
    // The observed option applied the ties that formed after 2016.
    assert!(v["observed_tie_changes"].as_u64().unwrap() > 0);
    let fit = &v["spending_fit"];
    assert_eq!(fit["cutoff_year"], 2016);
    assert_eq!(fit["parameters"].as_array().unwrap().len(), 6);

    let csv = std::fs::read_to_string(out.join("forecast.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("state,year,draw,option,value_const2023_usd_m")
    );
    let mut years = std::collections::BTreeSet::new();
    let mut options = std::collections::BTreeSet::new();
    for l in lines {
        let c: Vec<&str> = l.split(',').collect();
        years.insert(c[1].parse::<i32>().unwrap());
        options.insert(c[3].to_string());
        assert!(c[4] == "NA" || c[4].parse::<f64>().unwrap() >= 0.0, "{l}");
    }
    assert_eq!(years.first(), Some(&2017));
    assert_eq!(years.last(), Some(&2024));
    assert_eq!(
        options.into_iter().collect::<Vec<_>>(),
        vec!["frozen".to_string(), "observed".to_string()]
    );
    let html = std::fs::read_to_string(out.join("hindcast.html")).unwrap();
    assert!(html.contains("data-ready=\"1\""));
    assert!(html.contains("<svg class=\"chart fan\""), "fans");
    assert!(
        html.contains("class=\"realised-point\""),
        "the realised path"
    );
    assert!(html.contains("data-state=\"CHN\""));
}

/// Every value after `year` (disputes: every dispute-year) in the tables the chain reads for the past
/// (spending, capabilities, GDP, population, democracy, UN votes, disputes,
/// nuclear stockpiles) changed; the ties are the observed option's input and
/// stay. (The one assumed-spending row, North Korea's, spans 2002-2024 at one
/// value: nothing in it is after the base year alone.)
fn change_after(year: i32, rel: &str, text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    out.push_str(header);
    out.push('\n');
    let cols: Vec<&str> = header.split(',').collect();
    let year_col = cols
        .iter()
        .position(|c| c.eq_ignore_ascii_case("year"))
        .unwrap_or_else(|| panic!("{rel}: no year column"));
    let keys = [
        "year",
        "ccode",
        "ccode1",
        "ccode2",
        "location_code",
        "dispnum",
        "version",
        "is_projection",
    ];
    for line in lines {
        // Quoted names hold commas: split on commas outside quotes.
        let mut cells: Vec<String> = Vec::new();
        let (mut cur, mut quoted) = (String::new(), false);
        for ch in line.chars() {
            match ch {
                '"' => {
                    quoted = !quoted;
                    cur.push(ch);
                }
                ',' if !quoted => cells.push(std::mem::take(&mut cur)),
                _ => cur.push(ch),
            }
        }
        cells.push(cur);
        let y: Option<i32> = cells.get(year_col).and_then(|c| c.trim().parse().ok());
        // Disputes after the year are dropped (a dispute-year row is all
        // keys and flags).
        if rel.starts_with("mid/") && y.is_some_and(|y| y > year) {
            continue;
        }
        if y.is_some_and(|y| y > year) {
            for (k, c) in cells.iter_mut().enumerate() {
                let name = cols.get(k).copied().unwrap_or("");
                if keys.contains(&name) {
                    continue;
                }
                match name {
                    "euds" => {
                        if let Ok(v) = c.parse::<f64>() {
                            *c = format!("{}", -v);
                        }
                    }
                    "idealpointfp" => {
                        if let Ok(v) = c.parse::<f64>() {
                            *c = format!("{}", -v);
                        }
                    }
                    "v2x_polyarchy" => {
                        if let Ok(v) = c.parse::<f64>() {
                            *c = format!("{}", (1.0 - v).clamp(0.0, 1.0));
                        }
                    }
                    _ => {
                        if let Ok(v) = c.parse::<f64>() {
                            if v >= 0.0 {
                                *c = format!("{}", v * 3.0 + 1.0);
                            }
                        }
                    }
                }
            }
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Nothing after the base year enters a hindcast from it: with every data
/// value after 2012 changed, the forecast is byte-identical; the scores
/// (which read the realised values) change.
#[test]
fn nothing_after_the_base_year_enters_the_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let altered = dir.path().join("data");
    for rel in [
        "sipri/sipri_milex_flagship_subset_2000_2024.csv",
        "cow/NMC-70-abridged.csv",
        "economy/imf_weo_oct2025_gdp_current_usd_bn_long.csv",
        "economy/imf_weo_oct2025_gdp_ppp_current_intl_bn_long.csv",
        "economy/un_wpp2024_poptot_median_2024_2100.csv",
        "democracy/isard_democracy_euds_vdem_1816_2025.csv",
        "unga/voeten_idealpoints_fp_1946_2024.csv",
        "mid/cow_mid5_dispute_years_ndy.csv",
        "nuclear/fas2023_nuclear_weapons_stockpiles.csv",
    ] {
        let changed = change_after(2012, rel, &data(rel));
        assert_ne!(changed, data(rel), "{rel}: nothing after 2012 to change");
        let p = altered.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, changed).unwrap();
    }
    let args = [
        "--from", "2012", "--to", "2016", "--draws", "28", "--seed", "5",
    ];
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let (ok, _, err) = hindcast(&a, &args);
    assert!(ok, "{err}");
    let mut with: Vec<&str> = args.to_vec();
    with.extend(["--data-dir", altered.to_str().unwrap()]);
    let (ok, _, err) = hindcast(&b, &with);
    assert!(ok, "{err}");
    let fa = std::fs::read(a.join("forecast.csv")).unwrap();
    let fb = std::fs::read(b.join("forecast.csv")).unwrap();
    assert!(
        fa == fb,
        "the forecast changed with data after the base year"
    );
    let (ja, jb) = (json(&a), json(&b));
    assert_eq!(ja["spending_fit"], jb["spending_fit"]);
    assert_ne!(
        ja["overall"], jb["overall"],
        "the realised values were changed"
    );
}

#[test]
fn windows_outside_the_data_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let (ok, _, err) = hindcast(&out, &["--from", "2003"]);
    assert!(!ok);
    assert!(err.contains("the first base year is 2005"), "{err}");
    let (ok, _, err) = hindcast(&out, &["--from", "2016", "--to", "2030"]);
    assert!(!ok);
    assert!(err.contains("the spending data end in 2024"), "{err}");
    let (ok, _, err) = hindcast(&out, &["--from", "2016", "--to", "2016"]);
    assert!(!ok);
    assert!(err.contains("must come after the base year"), "{err}");
    assert!(!out.exists(), "nothing written for a bad window");
}
