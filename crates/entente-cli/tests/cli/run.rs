use std::path::{Path, PathBuf};

use crate::{run, store_listing};

use crate::scenario_fixture as fixture;

fn run_small(out: &Path, extra: &[&str]) -> String {
    crate::run_scenario(&fixture("small.toml"), out, extra).0
}

fn read(p: PathBuf) -> Vec<u8> {
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn a_scenario_with_five_mistakes_reports_all_five_located() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let (ok, _, err) = run(&[
        "run",
        &fixture("five-mistakes.toml"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("5 problems"), "{err}");
    for (line, what) in [
        (8, "unknown actor `JPM`"),
        (
            15,
            "uniform prior needs finite lo < hi, got lo = 0.9, hi = 0.6",
        ),
        (
            16,
            "unknown parameter `deterence`: did you mean `deterrence`?",
        ),
        (23, "`defense-ish` is not an obligation"),
        (
            31,
            "treatment `pakt` is not an option: did you mean `pact`?",
        ),
    ] {
        assert!(
            err.contains(&format!("five-mistakes.toml:{line}:")) && err.contains(what),
            "line {line}, {what}: {err}"
        );
    }
    assert!(err.contains("JPN (Japan)"), "suggestion: {err}");
    assert!(!out.exists(), "nothing is written for an invalid scenario");
}

#[test]
fn same_seed_gives_byte_identical_claims_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("t1"), dir.path().join("t2"));
    run_small(&a, &["--threads", "1"]);
    run_small(&b, &["--threads", "2"]);
    assert_eq!(read(a.join("claims.csv")), read(b.join("claims.csv")));
    crate::assert_same_draws_in(&a, &b, "draws.parquet");
    // A different seed gives different draws.
    let c = dir.path().join("seed");
    run_small(&c, &["--seed", "8"]);
    let table =
        |d: &std::path::Path| entente_store::read_draws_parquet(d.join("draws.parquet")).unwrap();
    assert!(!table(&a).same_draws_as(&table(&c)));
    assert_eq!(table(&c).run().unwrap().seed, 8);
}

#[test]
fn shards_merged_equal_the_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    run_small(&whole, &[]);
    let (p0, p1) = (dir.path().join("p0"), dir.path().join("p1"));
    run_small(&p0, &["--shard", "0/2"]);
    run_small(&p1, &["--shard", "1/2"]);
    assert!(p0.join("part-0-of-2.manifest.json").exists());
    let merged = dir.path().join("merged");
    let (ok, err) = crate::merge_small(&[&p0, &p1], &merged);
    assert!(ok, "{err}");
    for f in ["claims.csv", "claims_curve.csv", "report.md", "report.html"] {
        assert_eq!(read(whole.join(f)), read(merged.join(f)), "{f}");
    }
    crate::assert_same_draws_in(&whole, &merged, "draws.parquet");
    // A missing shard is caught.
    let (ok, err) = crate::merge_small(&[&p0], &dir.path().join("bad"));
    assert!(!ok);
    assert!(err.contains("exactly once"), "{err}");
}

#[test]
fn outputs_are_complete_and_tidy() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let stdout = run_small(&out, &["--csv"]);
    assert!(stdout.contains("china-spends-more"));
    assert!(
        !out.join("RUNNING").exists(),
        "the incomplete-run marker is removed"
    );
    let claims = String::from_utf8(read(out.join("claims.csv"))).unwrap();
    assert!(
        claims.starts_with("claim,status,probability,lo,hi,metric,comparison,direction,threshold,")
    );
    assert!(claims.contains("not-modelled,not_modelled,NA,NA,NA,NA,"));
    // The engine tells a claim the option cannot move from one it does.
    let status = |id: &str| {
        let row = claims
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap_or_else(|| panic!("{id} in {claims}"));
        row.split(',').nth(1).unwrap().to_string()
    };
    assert_eq!(status("pact-moves-bargaining"), "structural", "{claims}");
    // Threshold curves: 41 thresholds per modelled claim, the probability
    // never rising with the threshold of an "above" claim, nor falling for "below".
    let curve = String::from_utf8(read(out.join("claims_curve.csv"))).unwrap();
    assert!(
        curve.starts_with("claim,threshold,probability,lo,hi\n"),
        "{curve}"
    );
    for (id, above) in [("china-spends-more", true), ("japan-safer", false)] {
        let pts: Vec<(f64, f64, f64, f64)> = curve
            .lines()
            .filter(|l| l.starts_with(&format!("{id},")))
            .map(|l| {
                let v: Vec<f64> = l.split(',').skip(1).map(|x| x.parse().unwrap()).collect();
                (v[0], v[1], v[2], v[3])
            })
            .collect();
        assert_eq!(pts.len(), 41, "{id}");
        for w in pts.windows(2) {
            assert!(w[1].0 > w[0].0, "{id}: thresholds increase");
            if above {
                assert!(w[1].1 <= w[0].1, "{id}: {w:?}");
            } else {
                assert!(w[1].1 >= w[0].1, "{id}: {w:?}");
            }
        }
        assert!(pts.iter().all(|p| p.2 <= p.1 && p.1 <= p.3), "{id}");
    }
    assert!(!curve.contains("not-modelled,"), "{curve}");
    assert_ne!(status("japan-safer"), "structural", "{claims}");
    assert!(
        stdout.contains("pact-moves-bargaining") && stdout.contains("moved in no draw"),
        "{stdout}"
    );
    let draws = String::from_utf8(read(out.join("draws.csv"))).unwrap();
    let header = draws.lines().next().unwrap();
    assert!(
        header.starts_with(
            "run_id,seed,draw,point,replication,block,option,year,state,metric,value,miles_per_day,"
        ),
        "{header}"
    );
    // 4 base samples x (k + 2) draws, k = the parameters `--list-params`
    // prints minus the one the fixture fixes and the warhead elasticity,
    // which varies only when a claim reads warheads (the fixture has none).
    let (ok, params, _) = run(&["run", "--list-params"]);
    assert!(ok);
    let warheads: Vec<&str> = params
        .lines()
        .filter(|l| l.contains("varies only when a claim reads warheads"))
        .collect();
    assert_eq!(warheads.len(), 1, "{params}");
    assert!(warheads[0].starts_with("warhead_threat_elasticity"));
    let k = params.lines().count() - 1 - warheads.len();
    assert!(k >= 8, "{params}");
    let draws_seen: std::collections::BTreeSet<&str> = draws
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(draws_seen.len(), 4 * (k + 2));
    // Every row names its run (run.json's id), the seed, and its draw's Saltelli block:
    // draws 0-3 are A, 4-7 B, then one block of 4 per uncertain parameter.
    let record: serde_json::Value = serde_json::from_slice(&read(out.join("run.json"))).unwrap();
    let id = record["run_id"].as_str().unwrap();
    let blocks: std::collections::BTreeMap<usize, String> = draws
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            assert_eq!((c[0], c[1]), (id, "7"), "{l}");
            assert_eq!(
                (c[2], c[4]),
                (c[3], "0"),
                "one replication: point = draw: {l}"
            );
            (c[2].parse().unwrap(), c[5].to_string())
        })
        .collect();
    assert_eq!((blocks[&0].as_str(), blocks[&4].as_str()), ("A", "B"));
    assert_eq!(blocks[&8], "AB_reliability", "miles_per_day is fixed");
    assert_eq!(
        blocks.values().filter(|b| b.starts_with("AB_")).count(),
        4 * k
    );
    // One timestamp format everywhere: RFC 3339 in UTC, as the store and the server write it.
    let record: serde_json::Value = serde_json::from_slice(&read(out.join("run.json"))).unwrap();
    let started = record["started"].as_str().unwrap();
    let b = started.as_bytes();
    assert!(
        started.len() == 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && started.ends_with('Z'),
        "{started}"
    );
    let html = String::from_utf8(read(out.join("report.html"))).unwrap();
    assert!(html.contains("data-ready=\"1\""));
    assert!(html.contains("<svg class=\"chart fan\""));
    assert!(html.contains(" data-state=\"CHN\">"));
    assert!(html.contains("data-claim=\"japan-safer\""));
    // The modelled claim's paired difference, with its threshold, and the map.
    assert!(html.contains("<svg class=\"chart histogram\""));
    assert!(html.contains("<svg class=\"chart curve\""));
    assert!(html.contains("<line class=\"threshold\""));
    assert!(html.contains("<svg class=\"chart map\""));
    // A structural claim's card prints no probability, a modelled one's does.
    let card = |id: &str| {
        let start = html.find(&format!("data-claim=\"{id}\"><h3>")).unwrap();
        let h3 = &html[start..];
        h3[..h3.find("</h3>").unwrap()].to_string()
    };
    let structural = card("pact-moves-bargaining");
    assert!(
        structural.contains("moves its metric in no draw"),
        "{structural}"
    );
    assert!(!structural.contains("probability"), "{structural}");
    assert!(card("japan-safer").contains("holds with probability"));
    assert!(out.join("draws.parquet").exists());
    // The run is recorded in the store and listed.
    let store = out.with_extension("sqlite");
    let rows = store_listing(&store);
    let listing = rows.join("\n");
    assert!(
        rows[0].starts_with("id,scenario,status,seed,draws"),
        "{listing}"
    );
    assert_eq!(rows.len(), 2, "{listing}");
    assert!(rows[1].contains(",small,complete,7,"), "{listing}");
}

#[test]
fn bad_shard_and_draws_are_errors() {
    let (ok, _, err) = run(&["run", "--shard", "2/2", "--out", "/nonexistent/x"]);
    assert!(!ok);
    assert!(err.contains("0 <= i < N"), "{err}");
    let small = fixture("small.toml");
    for (args, message) in [
        (
            &["--base-samples", "1"][..],
            "--base-samples must be 2-100000",
        ),
        (
            &["--base-samples", "100001"],
            "--base-samples must be 2-100000",
        ),
        (&["--draws", "0"], "--draws must be 1-10000000"),
        (&["--draws", "1000000000000"], "--draws must be 1-10000000"),
        (
            &["--draws", "30", "--base-samples", "4"],
            "cannot be used with",
        ),
        (
            &["--sampler", "lhs", "--base-samples", "4"],
            "--base-samples sizes a Saltelli design, but the sampler is `lhs`",
        ),
        (
            &["--sampler", "latin"],
            "`latin` is not one of saltelli, sobol, lhs, random",
        ),
        (&["--replications", "0"], "--replications must be 1-1000"),
    ] {
        let mut a = vec!["run", small.as_str(), "--out", "/nonexistent/x"];
        a.extend(args);
        let (ok, _, err) = run(&a);
        assert!(!ok, "{args:?}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}
