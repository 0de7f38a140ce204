//! CLI tests for `entente maxcut`.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/maxcut")
        .join(name)
}

#[test]
fn g3_reaches_best_known_and_writes_the_partition() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g3.part");
    let assert = Command::cargo_bin("entente")
        .unwrap()
        .arg("maxcut")
        .arg(fixture("G3.txt"))
        .args(["--time-limit", "300", "--target", "11622", "--seed", "0"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert_eq!(stdout.lines().last(), Some("cut 11622"));
    let part = std::fs::read_to_string(&out).unwrap();
    assert_eq!(part.lines().count(), 800);
    assert!(part.lines().all(|l| l.ends_with(" 0") || l.ends_with(" 1")));
}

#[test]
fn stray_header_token_of_the_shared_g1_is_a_warning() {
    // The fixture keeps the shared copy's header `800 19176 J`.
    Command::cargo_bin("entente")
        .unwrap()
        .arg("maxcut")
        .arg(fixture("G1.txt"))
        .args(["--moves", "2000", "--time-limit", "30"])
        .assert()
        .success()
        .stderr(contains("warning: "))
        .stderr(contains(
            "G1.txt:1: ignoring `J` after `n m` on the header line",
        ))
        .stdout(contains("graph ").and(contains("800 vertices, 19176 edges")));
}

#[test]
fn malformed_graph_line_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.txt");
    std::fs::write(&g, "3 2\n1 2 1\n2 three 1\n").unwrap();
    Command::cargo_bin("entente")
        .unwrap()
        .arg("maxcut")
        .arg(&g)
        .assert()
        .failure()
        .stderr(contains(
            "g.txt:3: field `j`: `three` is not a whole number",
        ));
}

#[test]
fn small_graph_exact_cut() {
    // A 5-cycle: the maximum cut is 4.
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("c5.txt");
    std::fs::write(&g, "5 5\n1 2 1\n2 3 1\n3 4 1\n4 5 1\n5 1 1\n").unwrap();
    Command::cargo_bin("entente")
        .unwrap()
        .arg("maxcut")
        .arg(&g)
        .args(["--moves", "1000", "--time-limit", "30"])
        .assert()
        .success()
        .stdout(contains("cut 4\n"));
}
