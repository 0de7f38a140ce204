use crate::{json, run};

#[test]
fn a_fit_to_1995_forecasts_1996_2014_better_than_the_base_rate() {
    let (ok, out, err) = run(&[
        "hazard",
        "backtest",
        "--fit-until",
        "1995",
        "--until",
        "2014",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v = json(&out);
    let auroc = v["refit"]["auroc"].as_f64().unwrap();
    let skill = v["brier_skill"].as_f64().unwrap();
    assert!(auroc >= 0.85, "AUROC {auroc}");
    assert!(skill > 0.0, "Brier skill {skill}");
    // The published model is scored on the same rows.
    let published = v["miller2022"]["auroc"].as_f64().unwrap();
    assert!((0.5..1.0).contains(&published), "{published}");
    assert!(v["miller2022_brier_skill"].as_f64().is_some());
    assert_eq!(v["held_out"]["first_year"], 1996);
    assert_eq!(v["held_out"]["last_year"], 2014);
    assert!(v["held_out"]["onsets"].as_u64().unwrap() > 300);
    // The base rate comes from the fit sample, not the held-out years.
    let fit = &v["fit"];
    let base = fit["onsets"].as_f64().unwrap() / fit["dyad_years"].as_f64().unwrap();
    assert_eq!(v["base_rate"].as_f64().unwrap(), base);
    assert_eq!(fit["last_year"], 1995);
    let bins = v["reliability"].as_array().unwrap();
    assert_eq!(bins.len(), 10);
    let n: u64 = bins.iter().map(|b| b["n"].as_u64().unwrap()).sum();
    assert_eq!(n, v["held_out"]["dyad_years"].as_u64().unwrap());
}

#[test]
fn the_backtest_table_prints_the_published_scores_beside_the_refit() {
    let (ok, out, err) = run(&["hazard", "backtest", "--fit-until", "2005", "--bins", "5"]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("held out 2006-2014"), "{out}");
    assert!(lines[1].starts_with("forecast") && lines[1].contains("auroc"));
    for (l, name) in lines[2..5].iter().zip(["refit", "miller2022", "base_rate"]) {
        assert!(l.starts_with(name), "{l}");
    }
    let (ok, out, err) = run(&[
        "hazard",
        "backtest",
        "--fit-until",
        "2005",
        "--format",
        "csv",
    ]);
    assert!(ok, "{err}");
    assert!(out.starts_with("forecast,brier,brier_skill,log_score,log_skill,auroc\n"));
    assert_eq!(out.lines().count(), 4);
}

#[test]
fn the_fit_lists_coefficients_beside_millers() {
    let (ok, out, err) = run(&["hazard", "fit", "--fit-until", "1995", "--format", "json"]);
    assert!(ok, "{err}");
    let v = json(&out);
    let rows = v["coefficients"].as_array().unwrap();
    let get = |t: &str| rows.iter().find(|r| r["term"] == t).unwrap();
    assert_eq!(get("landcontig")["miller_coef"].as_f64(), Some(1.044));
    assert!(get("ideal_distance")["miller_coef"].is_null());
    assert!(get("ideal_distance")["coef"].as_f64().unwrap() > 0.0);
    assert_eq!(v["last_year"], 1995);
}

#[test]
fn bad_years_are_clear_errors() {
    let (ok, _, err) = run(&[
        "hazard",
        "backtest",
        "--fit-until",
        "2000",
        "--until",
        "1999",
    ]);
    assert!(!ok);
    assert!(err.contains("must be after --fit-until 2000"), "{err}");
    let (ok, _, err) = run(&[
        "hazard",
        "backtest",
        "--fit-until",
        "2000",
        "--until",
        "2020",
    ]);
    assert!(!ok);
    assert!(err.contains("the dispute data end in 2014"), "{err}");
    let (ok, _, err) = run(&["hazard", "fit", "--fit-until", "1940"]);
    assert!(!ok);
    assert!(err.contains("no dyad-years"), "{err}");
}
