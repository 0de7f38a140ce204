//! The experiment's design from the command line and the scenario file: `--draws` as draws,
//! `--base-samples`, `--sampler` and `--replications`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::scenario_fixture as fixture;
use crate::{run, run_scenario};

fn draws_of(out: &Path) -> entente_store::DrawTable {
    entente_store::read_draws_parquet(out.join("draws.parquet")).unwrap()
}

#[test]
fn draws_means_draws_rounded_up_to_whole_base_samples() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d30");
    let (_, err) = run_scenario(&fixture("small.toml"), &out, &["--draws", "30"]);
    let t = draws_of(&out);
    // k + 2 draws per base sample: the blocks A, B and one AB_i per uncertain parameter.
    let mut blocks = std::collections::BTreeSet::new();
    for d in 0..t.draw_count() as u32 {
        blocks.insert(t.draw_design(d).unwrap().block.clone().unwrap());
    }
    let per = blocks.len();
    let want = 30usize.div_ceil(per) * per;
    assert_eq!(t.draw_count(), want);
    assert!(
        err.contains(&format!(
            "note: --draws 30: the design runs in whole base samples of {per} draws"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("running {want} draws")), "{err}");
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(record["draws"], want);
    assert_eq!(record["base_samples"], want / per);
    assert_eq!(record["sampler"], "saltelli");
}

#[test]
fn a_latin_hypercube_with_replications_runs_without_drivers_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lhs");
    run_scenario(
        &fixture("small.toml"),
        &out,
        &["--sampler", "lhs", "--draws", "12", "--replications", "2"],
    );
    let t = draws_of(&out);
    assert_eq!(t.draw_count(), 12);
    // Draws 2p and 2p+1 are point p: the same parameters, other noise (a spending path).
    let milex = |d: u32| -> Vec<u64> {
        t.rows()
            .filter(|r| r.draw == d && r.metric == "milex_const2023_usd_m" && r.state == "CHN")
            .map(|r| r.value.unwrap().to_bits())
            .collect()
    };
    for p in 0..6u32 {
        let (a, b) = (2 * p, 2 * p + 1);
        assert_eq!(t.draw_params(a), t.draw_params(b), "point {p}");
        assert_ne!(
            milex(a),
            milex(b),
            "replications of point {p} share their noise"
        );
        for (d, rep) in [(a, 0), (b, 1)] {
            let design = t.draw_design(d).unwrap();
            assert_eq!(
                (design.point, design.replication, design.block.as_deref()),
                (p, rep, None)
            );
        }
    }
    assert_ne!(t.draw_params(0), t.draw_params(2));
    let claims = std::fs::read_to_string(out.join("claims.csv")).unwrap();
    let header: Vec<&str> = claims.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "top_driver").unwrap();
    for line in claims.lines().skip(1) {
        assert_eq!(line.split(',').nth(col), Some("NA"), "{line}");
    }
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("Latin hypercube of 6 points, 2 replications of each, seed 7"),
        "{report}"
    );
    assert!(report.contains("Sobol indices need the Saltelli sampler; this run used lhs"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Sobol indices need the Saltelli sampler; this run used lhs"));
}

#[test]
fn the_file_sets_the_design_and_its_mistakes_are_all_located() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("small.toml")).unwrap();
    assert!(text.contains("base_samples = 4"));
    // The same design from the file as from the flags.
    let file = dir.path().join("lhs.toml");
    std::fs::write(
        &file,
        text.replace(
            "base_samples = 4",
            "sampler = \"lhs\"\ndraws = 12\nreplications = 2",
        ),
    )
    .unwrap();
    let (a, b) = (dir.path().join("file"), dir.path().join("flags"));
    run_scenario(file.to_str().unwrap(), &a, &[]);
    run_scenario(
        &fixture("small.toml"),
        &b,
        &["--sampler", "lhs", "--draws", "12", "--replications", "2"],
    );
    assert!(draws_of(&a).same_draws_as(&draws_of(&b)));
    // Every mistake at once, each at its line.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        text.replace(
            "base_samples = 4",
            "sampler = \"latin\"\nreplications = 0\nbase_samples = 4\ndraws = 10",
        ),
    )
    .unwrap();
    let line_of = |needle: &str| {
        std::fs::read_to_string(&bad)
            .unwrap()
            .lines()
            .position(|l| l.starts_with(needle))
            .unwrap()
            + 1
    };
    let (ok, _, err) = run(&["run", bad.to_str().unwrap(), "--out", "/nonexistent/x"]);
    assert!(!ok);
    for (needle, message) in [
        (
            "sampler",
            "sampler `latin` is not one of saltelli, sobol, lhs, random",
        ),
        ("replications", "replications must be 1-1000, got 0"),
        ("draws", "give either base_samples or draws, not both"),
    ] {
        let at = format!(":{}:", line_of(needle));
        assert!(
            err.lines().any(|l| l.contains(&at) && l.contains(message)),
            "{needle} at {at}: {err}"
        );
    }
    let lhs_base = dir.path().join("lhs-base.toml");
    std::fs::write(
        &lhs_base,
        text.replace("base_samples = 4", "sampler = \"lhs\"\nbase_samples = 4"),
    )
    .unwrap();
    let (ok, _, err) = run(&["run", lhs_base.to_str().unwrap(), "--out", "/nonexistent/x"]);
    assert!(!ok);
    assert!(
        err.contains("base_samples is the Saltelli design's size, but the sampler is `lhs`"),
        "{err}"
    );
}

#[test]
fn a_sharded_latin_hypercube_with_replications_merges_to_the_unsharded_draws() {
    let dir = tempfile::tempdir().unwrap();
    let small = fixture("small.toml");
    let design = ["--sampler", "lhs", "--draws", "10", "--replications", "2"];
    let whole = dir.path().join("whole");
    run_scenario(&small, &whole, &design);
    let mut parts = Vec::new();
    for s in ["0/3", "1/3", "2/3"] {
        let p = dir.path().join(format!("p{}", &s[..1]));
        let mut args = design.to_vec();
        args.extend(["--shard", s]);
        run_scenario(&small, &p, &args);
        parts.push(p);
    }
    let merged = dir.path().join("merged");
    let refs: Vec<&Path> = parts.iter().map(|p| p.as_path()).collect();
    let (ok, err) = crate::merge_small(&refs, &merged);
    assert!(ok, "{err}");
    let files = |d: &Path| -> BTreeMap<String, Vec<u8>> {
        ["claims.csv", "report.md"]
            .iter()
            .map(|f| (f.to_string(), std::fs::read(d.join(f)).unwrap()))
            .collect()
    };
    assert_eq!(files(&whole), files(&merged));
    crate::assert_same_draws_in(&whole, &merged, "draws.parquet");
    // A part of another design is refused, naming the field.
    let m2 = dir.path().join("m2");
    let other = dir.path().join("other");
    run_scenario(
        &small,
        &other,
        &[
            "--sampler",
            "random",
            "--draws",
            "10",
            "--replications",
            "2",
            "--shard",
            "1/3",
        ],
    );
    let (ok, err) = crate::merge_small(&[&parts[0], &other, &parts[2]], &m2);
    assert!(!ok);
    assert!(err.contains("its sampler is random but"), "{err}");
}
