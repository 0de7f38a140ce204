//! `entente smp` end to end on KTAB's shipped dummyData_3Dim scenario.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::str::contains;

fn input(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/ktab/inputs")
        .join(name)
}

#[test]
fn runs_ktab_scenario_and_writes_histories() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("entente")
        .unwrap()
        .args(["smp"])
        .arg(input("dummyData_3Dim.csv"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(contains(
            "turn   1: fractional change compared to first step 0.9999",
        ))
        .stdout(contains(
            "turn  10: fractional change compared to first step 0.0045",
        ))
        .stdout(contains("10 turns"));
    let pos = std::fs::read_to_string(dir.path().join("positions.csv")).unwrap();
    let lines: Vec<&str> = pos.lines().collect();
    assert_eq!(lines[0], "turn,actor,dimension,position");
    // 11 states x 7 actors x 3 dimensions
    assert_eq!(lines.len(), 1 + 11 * 7 * 3);
    assert_eq!(lines[1], "0,SActor-00,Pstn1,75.7900");
    // KTAB's history: SActor-00 Pstn1 is 78.6 at turn 10.
    let last = lines
        .iter()
        .find(|l| l.starts_with("10,SActor-00,Pstn1,"))
        .unwrap();
    let x: f64 = last.rsplit(',').next().unwrap().parse().unwrap();
    assert!((x - 78.6).abs() <= 0.05 + 1e-9);
    let prob = std::fs::read_to_string(dir.path().join("probabilities.csv")).unwrap();
    let lines: Vec<&str> = prob.lines().collect();
    assert_eq!(lines[0], "turn,actor,probability");
    assert_eq!(lines.len(), 1 + 11 * 7);
    // KTAB: SActor-04's first probability is 0.6001.
    let p: f64 = lines[5].rsplit(',').next().unwrap().parse().unwrap();
    assert!(lines[5].starts_with("0,SActor-04,"));
    assert!((p - 0.6001).abs() <= 0.5e-4 + 1e-9);
}

#[test]
fn max_turns_caps_the_run() {
    Command::cargo_bin("entente")
        .unwrap()
        .args(["smp", "--max-turns", "3"])
        .arg(input("dummyData_3Dim.csv"))
        .assert()
        .success()
        .stdout(contains("3 turns"));
}

#[test]
fn bad_input_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "S,d,2,1,\nActor,Desc,Power,P,S,\nA,a,10,50,60,\nB,b,10,150,60,\n",
    )
    .unwrap();
    Command::cargo_bin("entente")
        .unwrap()
        .arg("smp")
        .arg(&path)
        .assert()
        .failure()
        .stderr(contains(
            "bad.csv:4: field `P (position)`: 150 is outside 0-100",
        ));
}
