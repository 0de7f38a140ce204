use crate::run;

/// The CSV rows of `entente world` as maps from column to value.
fn csv_rows(out: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            h.iter()
                .zip(rec.iter())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        })
        .collect()
}

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    iso3: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter()
        .find(|r| r["iso3"] == iso3)
        .unwrap_or_else(|| panic!("no {iso3}"))
}

#[test]
fn world_2022_csv_lists_every_state_with_cinc() {
    let (ok, out, err) = run(&["world", "--year", "2022", "--format", "csv"]);
    assert!(ok, "{err}");
    let rows = csv_rows(&out);
    assert!(rows.len() > 180, "{} states", rows.len());
    let cinc = |iso: &str| row(&rows, iso)["cinc"].parse::<f64>().unwrap();
    assert_eq!(format!("{:.3}", cinc("CHN")), "0.234");
    assert_eq!(format!("{:.3}", cinc("USA")), "0.124");
    // Units are in the column names.
    for col in [
        "milex_current_usd_m",
        "milex_const2023_usd_m",
        "gdp_current_usd_bn",
        "population_k",
    ] {
        assert!(rows[0].contains_key(col), "{col}");
    }
}

#[test]
fn world_2024_flags_spliced_and_assumed_spending() {
    let (ok, out, err) = run(&[
        "world",
        "--year",
        "2024",
        "--actors",
        "CHN,RUS,PRK,SWE,AUT",
        "--format",
        "csv",
    ]);
    assert!(ok, "{err}");
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 5);
    // Sweden is in the 51-state SIPRI subset: spending after NMC's last year.
    for iso in ["CHN", "RUS", "SWE"] {
        assert_eq!(row(&rows, iso)["milex_current_source"], "spliced");
        assert_eq!(row(&rows, iso)["milex_const2023_source"], "sipri");
    }
    assert_eq!(row(&rows, "PRK")["milex_current_source"], "assumed");
    // Missing is NA, not 0: Austria is outside the subset.
    assert_eq!(row(&rows, "AUT")["milex_current_usd_m"], "NA");
    assert_eq!(row(&rows, "AUT")["milex_const2023_usd_m"], "NA");
    assert_eq!(row(&rows, "AUT")["cinc"], "NA");
}

#[test]
fn world_json_and_table_formats() {
    let (ok, out, _) = run(&[
        "world", "--year", "2024", "--actors", "IP4", "--format", "json",
    ]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 4);
    assert!(arr.iter().any(|s| s["iso3"] == "NZL"));
    assert!(arr[0]["cinc"].is_null(), "NA is null in JSON");
    let (ok, out, _) = run(&[
        "world",
        "--year",
        "1936",
        "--actors",
        "DEU,FRA,GBR,ITA,RUS,JPN",
    ]);
    assert!(ok);
    assert!(out.lines().next().unwrap().starts_with("iso3"));
    assert_eq!(out.lines().count(), 7);
}

#[test]
fn world_dyads_show_ties_contiguity_and_distances() {
    let (ok, out, err) = run(&[
        "world",
        "--year",
        "2024",
        "--actors",
        "RUS,PRK,CHN",
        "--dyads",
        "--format",
        "csv",
    ]);
    assert!(ok, "{err}");
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 3);
    let d = rows
        .iter()
        .find(|r| r["iso3_a"] == "RUS" && r["iso3_b"] == "PRK")
        .unwrap();
    assert_eq!(d["defence"], "1");
    assert!(d["ties"].contains("rus-prk-csp"));
    assert_eq!(d["contiguity"], "1");
    let km: f64 = d["capital_distance_km"].parse().unwrap();
    assert!((6000.0..7000.0).contains(&km), "{km}");
}

#[test]
fn unknown_actor_is_an_error_with_a_suggestion() {
    let (ok, _, err) = run(&["world", "--year", "2024", "--actors", "JPM,CHN"]);
    assert!(!ok);
    assert!(err.contains("unknown actor `JPM`"), "{err}");
    assert!(err.contains("JPN"), "{err}");
    // A state that exists but not in that year.
    let (ok, _, err) = run(&["world", "--year", "1900", "--actors", "IDN"]);
    assert!(!ok);
    assert!(err.contains("not in the state system in 1900"), "{err}");
}

#[test]
fn year_outside_the_data_is_an_error() {
    let (ok, _, err) = run(&["world", "--year", "1700"]);
    assert!(!ok);
    assert!(err.contains("1816-2024"), "{err}");
}

#[test]
fn a_malformed_user_data_file_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("cow")).unwrap();
    let nmc = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n\
               USA,2,2022,838814000,1360,80535,3436075,344775,119142,.12356574,2025\n\
               CHN,710,2022,lots,2035,1017959,7370013,1433350,632320,.23409663,2025\n";
    std::fs::write(dir.path().join("cow/NMC-70-abridged.csv"), nmc).unwrap();
    let (ok, _, err) = run(&[
        "world",
        "--year",
        "2022",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains("NMC-70-abridged.csv:3: field `milex`: `lots` is not a number"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn dyads_carry_peace_years_and_ideal_point_distance() {
    let (ok, out, err) = run(&[
        "world",
        "--year",
        "2024",
        "--actors",
        "USA,RUS,CHN,JPN,TWN",
        "--dyads",
        "--format",
        "csv",
    ]);
    assert!(ok, "{err}");
    let rows = csv_rows(&out);
    let dyad = |a: &str, b: &str| {
        rows.iter()
            .find(|r| r["iso3_a"] == a && r["iso3_b"] == b)
            .unwrap_or_else(|| panic!("no {a}-{b}"))
    };
    // China-Japan had a dispute ongoing in 2014: held at 0 after the data end.
    assert_eq!(dyad("CHN", "JPN")["peace_years"], "0");
    let d: f64 = dyad("USA", "RUS")["ideal_point_distance"].parse().unwrap();
    assert!((d - 2.8047).abs() < 1e-3, "{d}");
    // Taiwan has no UN ideal point: missing, not zero.
    assert_eq!(dyad("CHN", "TWN")["ideal_point_distance"], "NA");
    let (ok, _, err) = run(&["world", "--year", "2024", "--actors", "USA", "-v"]);
    assert!(ok);
    assert!(
        err.contains("peace years are held at their 2015 values"),
        "{err}"
    );
}
