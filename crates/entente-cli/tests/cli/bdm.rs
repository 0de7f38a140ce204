//! `entente bdm`: the reference runs through the command line, and its errors.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bdm")
}

/// Rows of a CSV, keyed by its header (the csv crate handles quoting).
fn read_csv(path: &Path) -> Vec<Vec<(String, String)>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn get<'a>(row: &'a [(String, String)], key: &str) -> &'a str {
    row.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no column {key}"))
}

fn num(row: &[(String, String)], key: &str) -> f64 {
    get(row, key)
        .parse()
        .unwrap_or_else(|e| panic!("{key}={}: {e}", get(row, key)))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0f64).max(b.abs())
}

fn check(set: &str, extra: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("inputs"))
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|f| f.strip_suffix(".csv").map(str::to_string))
        .collect();
    names.sort();
    assert_eq!(names.len(), 10);
    let mut bad = Vec::new();
    for name in names {
        let out = tempfile::tempdir().expect("tempdir");
        Command::cargo_bin("entente")
            .expect("binary")
            .arg("bdm")
            .arg(fixtures().join("inputs").join(format!("{name}.csv")))
            .args(["--rounds", "10", "--out"])
            .arg(out.path())
            .args(extra)
            .assert()
            .success()
            .stdout(predicate::str::contains("round"));
        let expected = fixtures().join("expected").join(set);
        let got = read_csv(&out.path().join("rounds.csv"));
        let want = read_csv(&expected.join(format!("{name}_rounds.csv")));
        assert_eq!(got.len(), want.len(), "{set}/{name}: rounds");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(get(g, "round"), get(w, "round"));
            for (gc, wc) in [
                ("median", "median_weighted_lower"),
                ("mean", "mean_weighted"),
                ("min", "min_x"),
                ("max", "max_x"),
            ] {
                if !close(num(g, gc), num(w, wc)) {
                    bad.push(format!("{set}/{name} round {}: {gc}", get(g, "round")));
                }
            }
            if get(g, "moves") != get(w, "n_moves") {
                bad.push(format!("{set}/{name} round {}: moves", get(g, "round")));
            }
        }
        let got = read_csv(&out.path().join("actors.csv"));
        let want = read_csv(&expected.join(format!("{name}_actors.csv")));
        assert_eq!(got.len(), want.len(), "{set}/{name}: actor rows");
        for (g, w) in got.iter().zip(&want) {
            let at = format!("{set}/{name} round {} {}", get(w, "round"), get(w, "actor"));
            assert_eq!(get(g, "round"), get(w, "round"), "{at}");
            assert_eq!(get(g, "actor"), get(w, "actor"), "{at}");
            if !close(num(g, "position"), num(w, "x_after_round")) {
                bad.push(format!("{at}: position"));
            }
            match (get(g, "risk"), get(w, "r_used_in_round")) {
                ("", "") => {}
                (a, b) if !a.is_empty() && !b.is_empty() => {
                    if !close(num(g, "risk"), num(w, "r_used_in_round")) {
                        bad.push(format!("{at}: risk {a} vs {b}"));
                    }
                }
                (a, b) => bad.push(format!("{at}: risk {a:?} vs {b:?}")),
            }
            if get(g, "offer") != get(w, "offer_type") || get(g, "proposer") != get(w, "offer_from")
            {
                bad.push(format!("{at}: offer"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn reference_runs_scholz() {
    check("scholz", &[]);
}

#[test]
fn reference_runs_fixed_capitulation() {
    check("scholz_capfix", &["--capitulation"]);
}

fn run_text(text: &str) -> assert_cmd::assert::Assert {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("in.csv");
    std::fs::write(&path, text).expect("write");
    let assert = Command::cargo_bin("entente")
        .expect("binary")
        .arg("bdm")
        .arg(&path)
        .assert();
    drop(dir);
    assert
}

const HEADER: &str = "Actor,Capability,Position,Salience\n";

#[test]
fn input_errors_name_the_line() {
    let cases = [
        ("A,1,0,0.5\n", "at least two"),
        (
            "A,1,0,0.5\nB,lots,1,0.5\n",
            "in.csv:3: field `Capability`: `lots` is not a number",
        ),
        (
            "A,-2,0,0.5\nB,1,1,0.5\n",
            "in.csv:2: field `Capability`: -2 is negative",
        ),
        ("A,1,0,50\nB,1,1,70\n", "0-100 scale"),
        (
            "A,1,0,0.5\nB,1,1,1.5\n",
            "in.csv:3: field `Salience`: 1.5 is outside [0, 1]",
        ),
        ("A,1,4,0.5\nB,1,4,0.5\n", "nothing to bargain over"),
    ];
    for (body, message) in cases {
        run_text(&format!("{HEADER}{body}"))
            .failure()
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn duplicate_names_warn_and_stay_apart() {
    run_text(&format!("{HEADER}A,1,0,0.5\nB,1,10,0.5\nA,1,3,0.5\n"))
        .success()
        .stderr(predicate::str::contains("warning").and(predicate::str::contains("A#2")));
}

#[test]
fn converged_run_stops_cleanly() {
    // The weaker actor gives in at once; round 2 finds nothing left to bargain over.
    run_text(&format!("{HEADER}Weak,1,0,0.1\nStrong,5,1,0.1\n"))
        .success()
        .stdout(
            predicate::str::contains("stopped after round 1")
                .and(predicate::str::contains("nothing is left to bargain over")),
        );
}

#[test]
fn cycles_are_reported_and_can_stop_the_run() {
    let input = fixtures().join("inputs").join("honduras_crisis.csv");
    Command::cargo_bin("entente")
        .expect("binary")
        .arg("bdm")
        .arg(&input)
        .arg("--stop-on-cycle")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("period 2")
                .and(predicate::str::contains("stopped after round 2")),
        );
}
