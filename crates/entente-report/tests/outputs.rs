//! The run folder's self-description: the codebook table that docs/outputs.md
//! reproduces, and claims.csv quoting what needs quoting.

use std::path::Path;

use entente_core::ids::Ccode;
use entente_core::scenario::{Claim, Comparison, Direction, Experiment, Metric, Param, Scenario};
use entente_core::simulation::{ClaimResult, ClaimStatus, Driver};
use entente_report::codebook::{self, Name, CODEBOOK};

#[test]
fn docs_outputs_reproduces_the_codebook_table() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/outputs.md"),
    )
    .unwrap();
    let (begin, end) = ("<!-- codebook:begin -->\n", "<!-- codebook:end -->");
    let start = doc.find(begin).expect("docs/outputs.md marks the codebook") + begin.len();
    let stop = start + doc[start..].find(end).expect("codebook end marker");
    let expected = codebook::markdown();
    assert_eq!(
        &doc[start..stop],
        expected,
        "docs/outputs.md's codebook differs from the code's table: paste this between the markers:\n{expected}"
    );
    // Every metric of the table is named in the doc.
    for e in CODEBOOK {
        let name = match e.name {
            Name::Row(n) => format!("`{n}`"),
            Name::Claim(m) => format!("metric `{}`", m.name()),
        };
        assert!(doc[start..stop].contains(&name), "{name}");
    }
    // Every claim metric has its entry.
    for m in Metric::ALL {
        assert_eq!(codebook::claim_entry(m).name, Name::Claim(m));
    }
}

fn scenario(claims: Vec<Claim>) -> Scenario {
    Scenario {
        name: "t".into(),
        title: "t".into(),
        source: "t".into(),
        base_year: 2024,
        horizon_years: 10,
        actors: vec![Ccode(2)],
        framing: Default::default(),
        options: Vec::new(),
        priors: Vec::new(),
        issue: String::new(),
        stakeholders: Vec::new(),
        influence: Default::default(),
        claims,
        experiment: Experiment::saltelli(2, 1),
        sweep: Default::default(),
    }
}

fn claim(id: &str, metric: Option<Metric>) -> Claim {
    Claim {
        id: id.into(),
        text: "text, with \"quotes\"".into(),
        source: String::new(),
        metric,
        why_not: String::new(),
        states: Vec::new(),
        sources: Vec::new(),
        responders: Vec::new(),
        comparison: Comparison::PercentChange,
        direction: Direction::Below,
        threshold: -2.5,
        treatment: metric.map_or(String::new(), |_| "pact, formal".into()),
        baseline: metric.map_or(String::new(), |_| "status-quo".into()),
    }
}

fn result(id: &str, p: Option<f64>) -> ClaimResult {
    ClaimResult {
        id: id.into(),
        probability: p,
        interval: p.map(|p| (p / 2.0, p.midpoint(1.0))),
        differences: Vec::new(),
        drivers: p
            .map(|_| Driver {
                param: Param::Reliability,
                first_order: Some(0.3),
                total: Some(0.5),
                first_order_interval: None,
                total_interval: Some((0.25, 0.75)),
            })
            .into_iter()
            .collect(),
        status: if p.is_some() {
            ClaimStatus::Empirical
        } else {
            ClaimStatus::NotModelled
        },
        corners: Vec::new(),
    }
}

#[test]
fn claims_with_commas_and_quotes_round_trip_and_missing_is_na() {
    let odd = "arms race, \"Asian\" edition";
    let sc = scenario(vec![
        claim(odd, Some(Metric::Threat)),
        claim("unmodelled", None),
    ]);
    let results = [result(odd, Some(0.25)), result("unmodelled", None)];
    let bytes = entente_report::claims_csv_of(&sc, &results);
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    let col = |row: &[String], c: &str| row[header.iter().position(|h| h == c).unwrap()].clone();
    assert_eq!(col(&rows[0], "claim"), odd);
    assert_eq!(col(&rows[0], "treatment"), "pact, formal");
    assert_eq!(col(&rows[0], "probability"), "0.25");
    assert_eq!(col(&rows[0], "threshold"), "-2.5");
    assert_eq!(col(&rows[0], "comparison"), "percent");
    assert_eq!(col(&rows[0], "direction"), "below");
    assert_eq!(col(&rows[0], "status"), "empirical");
    assert_eq!(col(&rows[0], "top_driver"), "reliability");
    assert_eq!(col(&rows[0], "top_driver_total_index"), "0.5");
    assert_eq!(col(&rows[0], "top_driver_total_lo"), "0.25");
    assert_eq!(col(&rows[0], "top_driver_total_hi"), "0.75");
    // Not modelled: no threshold 0 or direction `above`, NA instead.
    for c in [
        "probability",
        "metric",
        "threshold",
        "direction",
        "comparison",
        "treatment",
    ] {
        assert_eq!(col(&rows[1], c), "NA", "{c}");
    }
    assert_eq!(col(&rows[1], "status"), "not_modelled");

    // pandas, when python3 has it, reads the same fields.
    let have_pandas = std::process::Command::new("python3")
        .args(["-c", "import pandas"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_pandas {
        println!("note: python3 with pandas not found; the pandas half of this test is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.csv");
    std::fs::write(&path, &bytes).unwrap();
    let script = r#"
import sys, json
import pandas as pd
d = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=["NA"])
print(json.dumps({"claim": list(d["claim"]), "treatment": d["treatment"][0],
                  "probability": d["probability"][0], "threshold_na": bool(pd.isna(d["threshold"][1])),
                  "direction_na": bool(pd.isna(d["direction"][1]))}))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["claim"][0], odd);
    assert_eq!(v["claim"][1], "unmodelled");
    assert_eq!(v["treatment"], "pact, formal");
    assert_eq!(v["probability"], 0.25);
    assert_eq!(v["threshold_na"], true);
    assert_eq!(v["direction_na"], true);
}
