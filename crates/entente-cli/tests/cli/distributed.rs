//! Sharded runs past one machine: merge refusing parts of other runs, `entente slurm`'s
//! scripts, `entente status` and `--resume` (without a scheduler: the real Slurm test is
//! scripts/slurm-test.sh), and the Kubernetes shard index.

use std::path::Path;

use crate::{entente, run};

use crate::scenario_fixture as fixture;

/// `entente run small.toml --shard i/N` into `out` (its own store beside it).
fn shard(out: &Path, s: &str, extra: &[&str]) {
    let mut args = vec!["--shard", s];
    args.extend_from_slice(extra);
    crate::run_scenario(&fixture("small.toml"), out, &args);
}

use crate::merge_small as merge;

#[test]
fn merge_refuses_a_part_of_another_seed_scenario_engine_or_data_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (p0, p1) = (dir.path().join("p0"), dir.path().join("p1"));
    shard(&p0, "0/2", &[]);
    shard(&p1, "1/2", &["--seed", "8"]);
    let (ok, err) = merge(&[&p0, &p1], &dir.path().join("m1"));
    assert!(!ok);
    let part = p1.join("part-1-of-2.manifest.json").display().to_string();
    assert!(
        err.contains(&format!("{part}: its seed is 8 but ")) && err.contains("has 7"),
        "{err}"
    );
    // The same seed but another scenario file (the draws changed): its hash differs.
    let edited = dir.path().join("small-edited.toml");
    let text = std::fs::read_to_string(fixture("small.toml")).unwrap();
    std::fs::write(
        &edited,
        text.replace("base_samples = 4", "base_samples = 4 # edited"),
    )
    .unwrap();
    let p2 = dir.path().join("p2");
    let store = dir.path().join("p2.sqlite");
    let (ok, _, err) = run(&[
        "run",
        edited.to_str().unwrap(),
        "--out",
        p2.to_str().unwrap(),
        "--quiet",
        "--store",
        store.to_str().unwrap(),
        "--shard",
        "1/2",
    ]);
    assert!(ok, "{err}");
    let (ok, err) = merge(&[&p0, &p2], &dir.path().join("m2"));
    assert!(!ok);
    assert!(
        err.contains("p2/part-1-of-2.manifest.json: its scenario_sha256 is"),
        "{err}"
    );
    // A part whose manifest records another engine or data version.
    shard(&p1, "1/2", &[]);
    let manifest = p1.join("part-1-of-2.manifest.json");
    let good = std::fs::read_to_string(&manifest).unwrap();
    let m: serde_json::Value = serde_json::from_str(&good).unwrap();
    for (key, value, field) in [
        ("version", "0.0.1-elsewhere", "engine version"),
        ("data_version", "0123456789abcdef", "data version"),
    ] {
        let mut bad = m.clone();
        bad[key] = serde_json::Value::String(value.into());
        std::fs::write(&manifest, bad.to_string()).unwrap();
        let (ok, err) = merge(&[&p0, &p1], &dir.path().join(format!("m-{key}")));
        assert!(!ok);
        assert!(
            err.contains(&format!(
                "p1/part-1-of-2.manifest.json: its {field} is {value}"
            )),
            "{err}"
        );
    }
    // Restored, the same parts merge.
    std::fs::write(&manifest, good).unwrap();
    let (ok, err) = merge(&[&p0, &p1], &dir.path().join("m-ok"));
    assert!(ok, "{err}");
}

#[test]
fn a_kubernetes_indexed_job_takes_its_shard_from_job_completion_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k8s");
    let small = fixture("small.toml");
    let store = dir.path().join("k8s.sqlite");
    let args = [
        "run",
        small.as_str(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--store",
        store.to_str().unwrap(),
    ];
    let o = entente()
        .args(args)
        .args(["--shards", "3"])
        .env("JOB_COMPLETION_INDEX", "2")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("part-2-of-3.manifest.json").exists());
    let o = entente()
        .args(args)
        .env("JOB_COMPLETION_INDEX", "1")
        .env("ENTENTE_SHARD_COUNT", "3")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("part-1-of-3.manifest.json").exists());
    // An index without a count is an error, not a whole run.
    let o = entente()
        .args(args)
        .env("JOB_COMPLETION_INDEX", "1")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no shard count"));
}

#[test]
fn slurm_writes_the_array_and_merge_scripts_and_status_and_resume_follow_the_shards() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("exp");
    let small = fixture("small.toml");
    let (ok, _, err) = run(&[
        "slurm",
        &small,
        "--shards",
        "3",
        "--concurrent",
        "2",
        "--out",
        root.to_str().unwrap(),
        "--time",
        "00:10:00",
    ]);
    assert!(ok, "{err}");
    let array = std::fs::read_to_string(root.join("array.sbatch")).unwrap();
    assert!(array.contains("#SBATCH --array=0-2%2\n"), "{array}");
    assert!(array.contains("#SBATCH --time=00:10:00\n"), "{array}");
    assert!(array.contains("--shard \"$i/3\""), "{array}");
    let merge = std::fs::read_to_string(root.join("merge.sbatch")).unwrap();
    assert!(
        merge.contains(" merge \"$root\"/shards/* --scenario "),
        "{merge}"
    );
    // The same folder is never planned twice.
    let (ok, _, err) = run(&[
        "slurm",
        &small,
        "--shards",
        "3",
        "--out",
        root.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("already holds a Slurm plan"), "{err}");
    let status = || {
        let (ok, out, err) = run(&["status", root.to_str().unwrap(), "--format", "csv"]);
        assert!(ok, "{err}");
        out.lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(status(), ["missing", "missing", "missing"]);
    // Run the tasks as Slurm would (by hand here), two of the three.
    for i in [0, 2] {
        let out = root.join("shards").join(i.to_string());
        shard(&out, &format!("{i}/3"), &[]);
    }
    assert_eq!(status(), ["done", "missing", "done"]);
    // A shard cut short is failed.
    let part = root.join("shards/2/part-2-of-3.jsonl");
    let text = std::fs::read_to_string(&part).unwrap();
    std::fs::write(&part, text.lines().next().unwrap()).unwrap();
    assert_eq!(status(), ["done", "missing", "failed"]);
    // Resume writes an array of the failed and missing shards only.
    let (ok, _, err) = run(&["slurm", "--resume", root.to_str().unwrap(), "--dry-run"]);
    assert!(ok, "{err}");
    let resume = std::fs::read_to_string(root.join("resume-1.sbatch")).unwrap();
    assert!(resume.contains("#SBATCH --array=1-2%2\n"), "{resume}");
    assert!(resume.contains("--shard \"$i/3\""), "{resume}");
    // The failed shard's folder is cleared for its rerun.
    assert!(!root.join("shards/2").exists());
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("slurm.json")).unwrap()).unwrap();
    assert_eq!(plan["submissions"][1]["indices"], serde_json::json!([1, 2]));
}

#[test]
fn the_kubernetes_manifests_agree_on_the_shard_count_and_layout() {
    let k8s = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/k8s");
    let job = std::fs::read_to_string(k8s.join("indexed-job.yaml")).unwrap();
    let merge = std::fs::read_to_string(k8s.join("merge-job.yaml")).unwrap();
    let completions: usize = job
        .lines()
        .find_map(|l| l.trim().strip_prefix("completions:"))
        .and_then(|v| v.split('#').next())
        .map(|v| v.trim().parse().unwrap())
        .expect("completions");
    assert!(job.contains("completionMode: Indexed"));
    assert!(job.contains(&format!("--shards {completions} ")), "{job}");
    assert!(
        job.contains("--out /work/exp/shards/$JOB_COMPLETION_INDEX"),
        "{job}"
    );
    assert!(merge.contains(&format!("entente status /work/exp --shards {completions} ")));
    assert!(
        merge.contains("entente merge /work/exp/shards/* "),
        "{merge}"
    );
}
