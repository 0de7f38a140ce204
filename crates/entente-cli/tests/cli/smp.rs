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

fn entente() -> Command {
    Command::cargo_bin("entente").unwrap()
}

#[test]
fn converted_toml_gives_the_same_outputs_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = entente()
        .args(["smp", "--convert"])
        .arg(input("dummyData_3Dim.csv"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let toml = String::from_utf8(out.stdout).unwrap();
    assert!(toml.contains("dimensions = [\"Pstn1\", \"Pstn2\", \"Pstn3\"]"));
    assert!(toml.contains("positions = [75.79, 6.37, 70.45]"));
    let toml_path = dir.path().join("converted.toml");
    std::fs::write(&toml_path, &toml).unwrap();
    let run = |file: &std::path::Path, out: &std::path::Path| -> String {
        let o = entente()
            .arg("smp")
            .arg(file)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stderr.is_empty());
        // Only the closing line names the output folder.
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("wrote "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(run(&input("dummyData_3Dim.csv"), &a), run(&toml_path, &b));
    for f in ["positions.csv", "probabilities.csv"] {
        let x = std::fs::read(a.join(f)).unwrap();
        assert_eq!(x, std::fs::read(b.join(f)).unwrap(), "{f}");
    }
}

const TOML: &str = r#"[scenario]
name = "Two issues"
dimensions = ["role", { name = "troops", scale = [0, 5000] }]

[options]
max_turns = 2

[[actors]]
name = "USA"
capability = 100
positions = [70, 4000]
saliences = [0.6, 0.4]

[[actors]]
name = "JPN"
capability = 40
positions = [20, 500]
saliences = [0.5, 0.5]

[[actors]]
name = "USA"
capability = 10
positions = [50, 1000]
saliences = [0.3, 0.2]
"#;

#[test]
fn toml_scenario_runs_with_its_options_scales_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.toml");
    std::fs::write(&path, TOML).unwrap();
    entente()
        .arg("smp")
        .arg(&path)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(contains("Two issues: 3 actors, 2 dimensions"))
        .stdout(contains("2 turns"))
        .stderr(contains(
            "two.toml:21:8: actor `USA` is also named at line 9; the two stay separate actors",
        ));
    let pos = std::fs::read_to_string(dir.path().join("positions.csv")).unwrap();
    // Positions are reported on each dimension's own scale.
    assert!(pos.contains("0,USA,role,70.0000\n0,USA,troops,4000.0000\n"));
    assert!(pos.contains("0,USA,troops,1000.0000\n"));
    // The command line overrides the file's max_turns.
    entente()
        .args(["smp", "--max-turns", "1"])
        .arg(&path)
        .assert()
        .success()
        .stdout(contains("1 turns"));
}

#[test]
fn every_toml_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let bad = TOML
        .replace("positions = [70, 4000]", "positions = [70, 6000]")
        .replace("capability = 40", "capability = -4")
        .replace("max_turns = 2", "voting = \"binary\"");
    std::fs::write(&path, bad).unwrap();
    entente()
        .arg("smp")
        .arg(&path)
        .assert()
        .failure()
        .stderr(contains("bad.toml: 3 problems"))
        .stderr(contains("bad.toml:6:1: unknown key `voting` in [options]"))
        .stderr(contains(
            "bad.toml:11:18: position of `USA` on `troops` is 6000, outside 0-5000",
        ))
        .stderr(contains(
            "bad.toml:16:14: capability of `JPN` is -4, not positive",
        ));
}

#[test]
fn form_follows_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.txt");
    std::fs::write(&path, TOML).unwrap();
    entente()
        .arg("smp")
        .arg(&path)
        .assert()
        .failure()
        .stderr(contains("name it .toml (Entente's form) or .csv (KTAB's)"));
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, TOML).unwrap();
    entente()
        .args(["smp", "--convert"])
        .arg(&path)
        .assert()
        .failure()
        .stderr(contains("--convert reads a KTAB scenario CSV"));
}
