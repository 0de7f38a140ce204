//! What a researcher meets first: self-describing run folders (codebook.csv,
//! claims.csv), priors refused outside their domain, a quiet end on a closed
//! pipe, and a warning for an option that changes nothing.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::run;

use crate::scenario_fixture as fixture;

/// The records of a CSV file, with its header.
fn read_csv(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (h, rows)
}

/// Run `scenario` into `out` (quiet, with draws.csv), returning stderr.
fn run_into(scenario: &str, out: &Path) -> String {
    crate::run_scenario(scenario, out, &["--csv"]).1
}

#[test]
fn the_codebook_covers_every_metric_of_the_draws_and_the_claims_say_na() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let err = run_into(&fixture("small.toml"), &out);
    assert!(
        !err.contains("warning"),
        "no option of small.toml is idle: {err}"
    );

    let (h, codebook) = read_csv(&out.join("codebook.csv"));
    assert_eq!(h, ["metric", "unit", "level", "years", "meaning"]);
    let listed: BTreeSet<&str> = codebook.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(listed.len(), codebook.len(), "one row per metric");
    for r in &codebook {
        assert!(r.iter().all(|f| !f.is_empty()), "{r:?}");
    }

    // Every metric of the draws, in CSV and in Parquet, is in the codebook and
    // every codebook metric has rows; each row's year is within its `years`.
    let (h, draws) = read_csv(&out.join("draws.csv"));
    let (mi, yi) = (
        h.iter().position(|c| c == "metric").unwrap(),
        h.iter().position(|c| c == "year").unwrap(),
    );
    let in_csv: BTreeSet<&str> = draws.iter().map(|r| r[mi].as_str()).collect();
    assert_eq!(in_csv, listed);
    let parquet = entente_store::read_draws_parquet(out.join("draws.parquet")).unwrap();
    let in_parquet: BTreeSet<String> = parquet.rows().map(|r| r.metric.to_string()).collect();
    assert_eq!(
        in_parquet,
        listed
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
    );
    let span = |m: &str| -> (i32, i32) {
        let y = &codebook.iter().find(|r| r[0] == m).unwrap()[3];
        match y.split_once('-') {
            Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
            None => (y.parse().unwrap(), y.parse().unwrap()),
        }
    };
    for r in &draws {
        let (a, b) = span(&r[mi]);
        let y: i32 = r[yi].parse().unwrap();
        assert!((a..=b).contains(&y), "{} in {y}, codebook {a}-{b}", r[mi]);
    }
    // small.toml: base year 2024, horizon 4 years; threat is the horizon's.
    assert_eq!(span("milex_const2023_usd_m"), (2024, 2028));
    assert_eq!(span("threat"), (2028, 2028));
    assert_eq!(span("claim:japan-safer"), (2028, 2028));

    let (h, claims) = read_csv(&out.join("claims.csv"));
    assert_eq!(
        h,
        [
            "claim",
            "status",
            "probability",
            "lo",
            "hi",
            "metric",
            "comparison",
            "direction",
            "threshold",
            "treatment",
            "baseline",
            "top_driver",
            "top_driver_total_index",
            "top_driver_total_lo",
            "top_driver_total_hi"
        ]
    );
    let row = |id: &str| claims.iter().find(|r| r[0] == id).unwrap().clone();
    let nm = row("not-modelled");
    assert_eq!(nm[1], "not_modelled");
    for (i, v) in nm.iter().enumerate().skip(2) {
        assert_eq!(v, "NA", "column {} of a not-modelled claim", h[i]);
    }
    let cs = row("china-spends-more");
    assert!(["empirical", "robust"].contains(&cs[1].as_str()), "{cs:?}");
    assert_eq!(
        &cs[5..11],
        [
            "milex_horizon_const2023_usd_m",
            "percent",
            "above",
            "0",
            "quad-defence",
            "status-quo"
        ]
    );
    let p: f64 = cs[2].parse().unwrap();
    let (lo, hi): (f64, f64) = (cs[3].parse().unwrap(), cs[4].parse().unwrap());
    assert!(lo <= p && p <= hi, "{cs:?}");
    assert_eq!(row("japan-safer")[6], "difference");
    // A top driver comes with its total index inside its bootstrap interval.
    if cs[11] != "NA" {
        let v: Vec<f64> = cs[12..15].iter().map(|x| x.parse().unwrap()).collect();
        assert!(v[1] <= v[0] && v[0] <= v[2], "{cs:?}");
    }

    // Every file docs/outputs.md lists for a run folder is there (a --csv run).
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/outputs.md"),
    )
    .unwrap();
    let table = &doc[doc.find("### Files").unwrap()..doc.find("Every draws file").unwrap()];
    let mut listed_files = 0;
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let first = line.split('|').nth(1).unwrap();
        for name in first.split('`').skip(1).step_by(2) {
            listed_files += 1;
            assert!(out.join(name).is_file(), "docs/outputs.md lists {name}");
        }
    }
    assert!(listed_files >= 8, "{listed_files}");
}

#[test]
fn an_option_identical_to_another_is_warned_about_in_the_output_and_report() {
    let dir = tempfile::tempdir().unwrap();
    // small.toml with a third option that edits nothing.
    let text = std::fs::read_to_string(fixture("small.toml"))
        .unwrap()
        .replace(
            "[bargaining]",
            "[[options]]\nid = \"idle\"\ndescription = \"changes nothing\"\n\n[bargaining]",
        );
    let sc = dir.path().join("idle.toml");
    std::fs::write(&sc, text).unwrap();
    let out = dir.path().join("o");
    let err = run_into(sc.to_str().unwrap(), &out);
    assert!(
        err.contains("warning: option `idle` gives results bit-identical to `status-quo` in all"),
        "{err}"
    );
    assert!(!err.contains("`quad-defence` gives"), "{err}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("id=\"warnings\""),
        "report.html has the warning"
    );
    assert!(html.contains("option `idle` gives results bit-identical to `status-quo`"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Warnings"));
}

#[test]
fn priors_outside_a_parameters_domain_are_refused_with_the_domain() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("small.toml"))
        .unwrap()
        .replace(
            "miles_per_day = { dist = \"fixed\", value = 250.0 }",
            "miles_per_day = { dist = \"uniform\", lo = -50.0, hi = 300.0 }\nreliability = { dist = \"uniform\", lo = 0.6, hi = 1.5 }",
        );
    let sc = dir.path().join("wide.toml");
    std::fs::write(&sc, text).unwrap();
    let out = dir.path().join("never");
    let (ok, _, err) = run(&["run", sc.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("2 problems"), "{err}");
    assert!(
        err.contains("wide.toml:17:")
            && err.contains("prior for `miles_per_day`")
            && err.contains("(0, inf)"),
        "{err}"
    );
    assert!(
        err.contains("wide.toml:18:")
            && err.contains("prior for `reliability`")
            && err.contains("[0, 1]"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let bin = assert_cmd::cargo::cargo_bin("entente");
    for args in [
        &["world", "--year", "2024", "--format", "csv"][..],
        &["world", "--year", "2024", "--format", "json"],
        &["world", "--year", "2024"],
        &["run", "--list-params"],
        &["completions", "bash"],
        &["man"],
        &["cite", "--bibtex"],
    ] {
        let mut child = Command::new(&bin)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the first write, as `head` does after its line.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
