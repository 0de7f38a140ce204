//! CLI tests for `entente landscape` on Furnas' Syria case and on bad input.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::str::contains;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/landscape/furnas_syria_2016")
        .join(name)
}

fn entente() -> Command {
    Command::cargo_bin("entente").unwrap()
}

fn json_run(actors: &str, extra: &[&str]) -> serde_json::Value {
    let out = entente()
        .arg("landscape")
        .arg("--actors")
        .arg(fixture(actors))
        .arg("--propensity")
        .arg(fixture("propensity_feb20.csv"))
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn syria_exact_json() {
    let v = json_run("actors.csv", &[]);
    assert_eq!(v["global_minimum"]["energy"], -41600.0);
    assert_eq!(
        v["global_minimum"]["coalitions"],
        serde_json::json!([
            [
                "Baghdad",
                "Hezbollah",
                "Iran",
                "Iraqi_Kurds",
                "Russia",
                "Saudi_Arabia",
                "Syria",
                "US"
            ],
            ["ISIS", "Nusra", "Turkey"]
        ])
    );
    let minima = v["local_minima"].as_array().unwrap();
    assert_eq!(minima.len(), 1);
    assert_eq!(minima[0]["basin"], 1.0);
    assert_eq!(minima[0]["energy"], -41600.0);
    assert_eq!(v["frustration"]["ISIS"], -38000.0);
    assert_eq!(v["frustration"]["US"], -1900.0);
}

#[test]
fn weak_syria_exact_and_heuristic_json() {
    for extra in [
        &[][..],
        &["--mode", "heuristic", "--seed", "3", "--restarts", "4"][..],
    ] {
        let v = json_run("actors_weaksyria.csv", extra);
        assert_eq!(v["global_minimum"]["energy"], -32800.0);
        assert_eq!(
            v["global_minimum"]["coalitions"][1],
            serde_json::json!(["ISIS", "Nusra"])
        );
    }
}

#[test]
fn neutral_and_three_coalitions_run() {
    let v = json_run("actors.csv", &["--coalitions", "3", "--neutral-cost", "50"]);
    assert!(v["global_minimum"]["neutral"].is_array());
    let e = v["global_minimum"]["energy"].as_f64().unwrap();
    // More options can only lower the minimum.
    assert!(e <= -41600.0);
}

#[test]
fn table_output() {
    entente()
        .arg("landscape")
        .arg("--actors")
        .arg(fixture("actors.csv"))
        .arg("--propensity")
        .arg(fixture("propensity_feb20.csv"))
        .assert()
        .success()
        .stdout(contains("global minimum: E = -41600"))
        .stdout(contains("{ISIS, Nusra, Turkey}"));
}

fn run_files(actors: &str, matrix: &str) -> assert_cmd::assert::Assert {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("A.csv");
    let p = dir.path().join("P.csv");
    std::fs::write(&a, actors).unwrap();
    std::fs::write(&p, matrix).unwrap();
    let assert = entente()
        .arg("landscape")
        .arg("--actors")
        .arg(&a)
        .arg("--propensity")
        .arg(&p)
        .assert();
    drop(dir);
    assert
}

#[test]
fn asymmetric_matrix_is_averaged_with_a_warning() {
    run_files(
        "actor,size\nA,1\nB,1\nC,1\n",
        ",A,B,C\nA,,1,-1\nB,3,,-1\nC,-1,-1,\n",
    )
    .success()
    .stderr(contains("not symmetric; averaged 1 pair(s)"))
    .stderr(contains("A/B"))
    .stdout(contains("E = -2"));
}

#[test]
fn bad_inputs_give_one_clear_message() {
    let good_p = ",A,B\nA,,1\nB,1,\n";
    run_files("actor,size\nA,1\nB,-1\n", good_p)
        .failure()
        .stderr(contains("A.csv:3: field `size`: -1 is negative"));
    run_files("actor,size\nA,1\nB,1\n", ",A,B\nA,,x\nB,1,\n")
        .failure()
        .stderr(contains("P.csv:2: field `B`: `x` is not a number"));
    run_files("actor,size\nA,1\nB,1\n", ",A,Z\nA,,1\nZ,1,\n")
        .failure()
        .stderr(contains("P.csv:1: field `Z`: actor `Z` is not in"));
    run_files("", good_p)
        .failure()
        .stderr(contains("A.csv: the file is empty"));
    run_files("actor,size\nA,1\nB,1\n", "")
        .failure()
        .stderr(contains("P.csv: the file is empty"));
}

#[test]
fn exact_mode_refuses_large_n() {
    let n = 40;
    let mut a = String::from("actor,size\n");
    let mut p = String::new();
    for i in 0..n {
        a.push_str(&format!("x{i},1\n"));
        p.push_str(&format!(",x{i}"));
    }
    p.push('\n');
    for i in 0..n {
        p.push_str(&format!("x{i}"));
        for j in 0..n {
            p.push_str(if i == j { "," } else { ",1" });
        }
        p.push('\n');
    }
    run_files(&a, &p)
        .failure()
        .stderr(contains("exact mode handles at most 34 actors"))
        .stderr(contains("use heuristic mode"));
}
