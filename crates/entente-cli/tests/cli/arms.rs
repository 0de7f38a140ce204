use crate::{json, run};
use serde_json::Value;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/richardson/richardson_1909_1913.csv"
);

#[test]
fn richardson_reproduces_the_1909_1913_fit() {
    let (ok, out, err) = run(&[
        "arms",
        "richardson",
        FIXTURE,
        "--bloc",
        "A=france,russia",
        "--bloc",
        "B=germany,austria_hungary",
    ]);
    assert!(ok, "{err}");
    let v = json(&out);
    let slope = v["slope_per_year"].as_f64().unwrap();
    let eq = v["equilibrium_total"].as_f64().unwrap();
    let r = v["r"].as_f64().unwrap();
    assert!((slope - 0.731).abs() <= 0.002, "{slope}");
    assert!((eq - 194.9).abs() <= 0.5, "{eq}");
    assert!(r > 0.999, "{r}");
    assert_eq!(v["stable"], Value::Bool(false));
    assert_eq!(v["intervals"].as_array().unwrap().len(), 4);
}

fn richardson_err(csv: &str, blocs: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budgets.csv");
    std::fs::write(&path, csv).unwrap();
    let mut args = vec!["arms", "richardson", path.to_str().unwrap()];
    for b in blocs {
        args.push("--bloc");
        args.push(b);
    }
    let (ok, _, err) = run(&args);
    assert!(!ok);
    err
}

#[test]
fn richardson_errors_name_file_line_and_field() {
    let e = richardson_err("year,a,b\n1909,1,2\n1910,x,3\n1911,2,4\n", &["A=a", "B=b"]);
    assert!(
        e.contains("budgets.csv:3: field `a`: `x` is not a number"),
        "{e}"
    );
    let e = richardson_err("year,a,b\n1909,1,2\n1911,2,3\n", &["A=a", "B=b"]);
    assert!(
        e.contains("budgets.csv:3: field `year`: 1911 follows 1909"),
        "{e}"
    );
    let e = richardson_err("year,a,b\n1909,1,2\n", &["A=a", "B=c"]);
    assert!(e.contains("no column `c`"), "{e}");
    let e = richardson_err("year,a,b\n1909,1,2\n", &["A=a"]);
    assert!(e.contains("exactly two blocs"), "{e}");
    let e = richardson_err("year,a,b\n1909,1,2\n", &["A", "B=b"]);
    assert!(e.contains("expected NAME=col1,col2"), "{e}");
    let e = richardson_err("year,a,b\n1909,1,2\n1910,2,3\n", &["A=a", "B=b"]);
    assert!(e.contains("need at least 3 years"), "{e}");
    let (ok, _, err) = run(&[
        "arms",
        "richardson",
        "/nonexistent/x.csv",
        "--bloc",
        "A=a",
        "--bloc",
        "B=b",
    ]);
    assert!(!ok);
    assert!(err.contains("/nonexistent/x.csv: cannot read"), "{err}");
}

#[test]
fn backtest_scores_the_spending_model_against_both_baselines() {
    let args = [
        "arms",
        "backtest",
        "--fit-until",
        "2016",
        "--until",
        "2024",
        "--draws",
        "200",
        "--format",
        "json",
    ];
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    let v = json(&out);
    assert_eq!(v["model"], "spending");
    let states = v["states"].as_object().unwrap();
    for s in [
        "USA", "CHN", "RUS", "JPN", "KOR", "AUS", "NZL", "TWN", "IND", "IDN", "MYS", "PHL", "SGP",
        "THA", "BRN", "KHM", "MMR", "VNM",
    ] {
        let st = &states[s];
        for k in [
            "crps",
            "crps_rw_drift",
            "crps_last_value",
            "skill_rw_drift",
            "inside_90",
        ] {
            assert!(st[k].is_f64(), "{s} {k}: {st}");
        }
        let skill = st["skill_rw_drift"].as_f64().unwrap();
        let expect = 1.0 - st["crps"].as_f64().unwrap() / st["crps_rw_drift"].as_f64().unwrap();
        assert!((skill - expect).abs() < 1e-9);
        let years = st["years"].as_array().unwrap();
        // Viet Nam's SIPRI series stops in 2018: only its realised years count.
        assert_eq!(years.len(), if s == "VNM" { 2 } else { 8 }, "{s}");
        assert_eq!(years[0]["year"], 2017);
        let y = &years[0];
        assert!(
            y["q05"].as_f64() <= y["median"].as_f64() && y["median"].as_f64() <= y["q95"].as_f64()
        );
    }
    // Laos has no SIPRI value in 2016: left out, with a note.
    assert!(!states.contains_key("LAO"));
    assert!(err.contains("note: LAO left out"), "{err}");
    assert_eq!(states.len(), 18);
    let o = &v["overall"];
    for k in [
        "crps",
        "skill_rw_drift",
        "skill_last_value",
        "median_skill_rw_drift",
        "inside_50",
        "inside_90",
    ] {
        assert!(o[k].is_f64(), "{k}: {o}");
    }
    assert_eq!(o["state_years"], 8 * 17 + 2);
    let names: Vec<&str> = v["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "long_run_growth",
            "drift_persistence",
            "drift_sd",
            "reactivity",
            "threat_response_pct_per_pp",
            "noise_scale"
        ]
    );
    // The 51 flagship states of 2016 minus those without SIPRI data are fitted.
    assert!(v["states_fitted"].as_u64().unwrap() >= 40);
    // Same seed, same numbers.
    let (_, again, _) = run(&args);
    assert_eq!(out, again);
    let table = run(&["arms", "backtest", "--draws", "50", "--states", "CHN,JPN"]).1;
    assert!(
        table.contains("overall") && table.contains("random walk with drift"),
        "{table}"
    );
}

#[test]
fn the_richardson_backtest_stays_available() {
    let (ok, out, err) = run(&[
        "arms",
        "backtest",
        "--model",
        "richardson",
        "--fit-until",
        "2016",
        "--until",
        "2024",
        "--draws",
        "400",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v = json(&out);
    let states = v["states"].as_object().unwrap();
    for s in [
        "USA", "CHN", "RUS", "JPN", "KOR", "AUS", "NZL", "TWN", "IND", "IDN", "MYS", "PHL", "SGP",
        "THA", "BRN", "KHM",
    ] {
        let st = &states[s];
        for k in ["mae", "crps", "crps_persistence", "skill"] {
            assert!(st[k].is_f64(), "{s} {k}: {st}");
        }
        let skill = st["skill"].as_f64().unwrap();
        let expect = 1.0 - st["crps"].as_f64().unwrap() / st["crps_persistence"].as_f64().unwrap();
        assert!((skill - expect).abs() < 1e-9);
    }
    // ASEAN members without a complete SIPRI series are left out, with a note.
    for s in ["VNM", "LAO", "MMR"] {
        assert!(!states.contains_key(s));
        assert!(err.contains(&format!("note: {s} left out")), "{err}");
    }
    assert_eq!(states.len(), 16);
    for k in ["crps", "crps_persistence", "skill"] {
        assert!(v["overall"][k].is_f64(), "{k}");
    }
    let (_, again, _) = run(&[
        "arms",
        "backtest",
        "--model",
        "richardson",
        "--draws",
        "400",
        "--format",
        "json",
    ]);
    assert_eq!(out, again);
}

#[test]
fn backtest_rejects_unknown_states_and_years_without_data() {
    let (ok, _, err) = run(&["arms", "backtest", "--states", "CHN,XYZ"]);
    assert!(!ok);
    assert!(err.contains("unknown actor `XYZ`"), "{err}");
    // A state named on its own must have SIPRI spending (a complete series for Richardson).
    for model in ["spending", "richardson"] {
        let (ok, _, err) = run(&["arms", "backtest", "--model", model, "--states", "CHN,PRK"]);
        assert!(!ok);
        assert!(
            err.contains("PRK: its spending is an assumption"),
            "{model}: {err}"
        );
        let (ok, _, err) = run(&["arms", "backtest", "--model", model, "--until", "2030"]);
        assert!(!ok);
        assert!(
            err.contains("--until 2030: no spending data"),
            "{model}: {err}"
        );
        let (ok, _, err) = run(&[
            "arms",
            "backtest",
            "--model",
            model,
            "--fit-until",
            "2024",
            "--until",
            "2024",
        ]);
        assert!(!ok);
        assert!(err.contains("must come after"), "{model}: {err}");
    }
    let (ok, _, err) = run(&["arms", "backtest", "--break-year", "2010"]);
    assert!(!ok);
    assert!(err.contains("--model richardson"), "{err}");
    let (ok, _, err) = run(&["arms", "backtest", "--fit-until", "2003"]);
    assert!(!ok);
    assert!(err.contains("at least 6 years"), "{err}");
}
