//! The engine through `entente run`: scenarios of other regions, dated edits.

use std::collections::HashMap;
use std::path::Path;

use crate::scenario_fixture as fixture;

fn run_fixture(name: &str, out: &Path) {
    crate::run_scenario(&fixture(name), out, &["--csv"]);
}

/// A Middle East scenario runs end to end, and nothing of the flagship's cast
/// (its region, blocs, sides or states) appears in any of its outputs.
#[test]
fn a_scenario_of_another_region_carries_nothing_of_the_flagship() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gulf");
    run_fixture("middle-east.toml", &out);
    for file in [
        "claims.csv",
        "report.md",
        "report.html",
        "summary.json",
        "draws.csv",
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        for cast in [
            "Indo-Pacific",
            "NATO",
            "IP4",
            "China",
            "CHN",
            "USA",
            "JPN",
            "ASEAN",
        ] {
            assert!(!text.contains(cast), "{file} mentions `{cast}`");
        }
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["framing"]["east"], "IRN");
    assert_eq!(summary["framing"]["region"], "Middle East");
    let units: Vec<&str> = summary["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["label"].as_str().unwrap())
        .collect();
    assert!(units.contains(&"GCC-SMALL"), "{units:?}");
    assert!(
        !units.contains(&"QAT"),
        "a bloc member stands alone: {units:?}"
    );
    // Iran's unit sits with itself in every draw.
    let iran = units.iter().position(|u| *u == "IRN").unwrap();
    assert_eq!(summary["by_option"][0]["with_east"][iran], 1.0);
}

/// Spending paths of every draw, by (draw, option, state, year).
fn milex(dir: &Path) -> HashMap<(String, String, String, i32), String> {
    let text = std::fs::read_to_string(dir.join("draws.csv")).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let (d, o, y, s, m, v) = (
        col("draw"),
        col("option"),
        col("year"),
        col("state"),
        col("metric"),
        col("value"),
    );
    let mut out = HashMap::new();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        if f[m] == "milex_const2023_usd_m" {
            out.insert(
                (f[d].into(), f[o].into(), f[s].into(), f[y].parse().unwrap()),
                f[v].to_string(),
            );
        }
    }
    out
}

/// An edit from 2027 changes nothing before 2027, and does change what comes
/// after (the pact moves threat, and spending responds).
#[test]
fn an_edit_from_2027_changes_nothing_before_2027() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dated");
    run_fixture("dated.toml", &out);
    let m = milex(&out);
    assert!(!m.is_empty());
    let (mut before, mut after_differs, mut now_differs) = (0, false, false);
    for ((d, o, s, y), v) in &m {
        if o != "pact-2027" {
            continue;
        }
        let sq = &m[&(d.clone(), "status-quo".to_string(), s.clone(), *y)];
        let now = &m[&(d.clone(), "pact-now".to_string(), s.clone(), *y)];
        if *y < 2027 {
            assert_eq!(v, sq, "draw {d} {s} {y}");
            before += 1;
            now_differs |= now != sq;
        } else {
            after_differs |= v != sq;
        }
    }
    assert!(before > 0);
    assert!(now_differs, "the undated pact changes spending before 2027");
    assert!(after_differs, "the dated pact changes spending from 2027");
}
