use crate::{json, run};
use serde_json::Value;

#[test]
fn a_warhead_fit_to_2015_forecasts_2016_2023_better_than_persistence() {
    let (ok, out, err) = run(&[
        "warheads",
        "backtest",
        "--fit-until",
        "2015",
        "--until",
        "2023",
        "--draws",
        "400",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v = json(&out);
    assert_eq!(v["fit"]["until"], 2015);
    assert_eq!(v["rows"], 56);
    let (m, p) = (
        v["crps_log"].as_f64().unwrap(),
        v["persistence_crps_log"].as_f64().unwrap(),
    );
    assert!(m < p, "CRPS {m} against persistence {p}");
    assert!((v["skill"].as_f64().unwrap() - (1.0 - m / p)).abs() < 1e-12);
    // Every held-out row is a year after the cut-off, with its interval.
    for r in v["states"].as_array().unwrap() {
        let y = r["year"].as_i64().unwrap();
        assert!((2016..=2023).contains(&y), "{r}");
        assert!(r["lo90"].as_f64() <= r["median"].as_f64(), "{r}");
        assert!(r["median"].as_f64() <= r["hi90"].as_f64(), "{r}");
    }
    let prk: Vec<&Value> = v["states"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["state"] == "PRK")
        .collect();
    assert_eq!(prk.len(), 8);
    assert_eq!(prk[0]["origin"], 5.0);
}

#[test]
fn the_warhead_table_names_each_state_and_a_bad_window_is_refused() {
    let (ok, out, err) = run(&[
        "warheads",
        "backtest",
        "--fit-until",
        "2018",
        "--draws",
        "50",
    ]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("fit 1993-2018"), "{out}");
    assert!(lines[1].contains("held out 2019-"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("PRK")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("all")), "{out}");
    let (ok, _, err) = run(&[
        "warheads",
        "backtest",
        "--fit-until",
        "2023",
        "--until",
        "2020",
    ]);
    assert!(!ok);
    assert!(
        err.contains("--fit-until 2023 must come before --until 2020"),
        "{err}"
    );
    let (ok, out, err) = run(&["warheads", "fit", "--fit-until", "2015", "--format", "csv"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("term,state,estimate,se,n"), "{out}");
    assert!(out.contains("threat_elasticity,"), "{out}");
    assert!(out.contains("own_growth,PRK,"), "{out}");
}
