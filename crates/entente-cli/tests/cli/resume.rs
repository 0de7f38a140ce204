//! `entente run --resume DIR`: a run killed half way and resumed writes the files an
//! uninterrupted run writes, byte for byte (but for the run's id and start time in
//! summary.json and run.json, as between the server and the CLI); a checkpoint of another
//! run, a complete folder or one without a checkpoint is refused.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{entente, scenario_fixture};

/// Draws per checkpoint chunk in these tests: the small scenario's 48 draws in 12 chunks.
const CHUNK: &str = "4";

/// `entente run` with the small scenario's store `dir/s.sqlite`, chunks of [`CHUNK`] draws
/// and one thread: (success, stdout, stderr).
fn run_small(dir: &Path, args: &[&str]) -> (bool, String, String) {
    run_chunked(dir, args, CHUNK)
}

/// [`run_small`] with `chunk` draws per checkpoint chunk (0: no checkpoint).
fn run_chunked(dir: &Path, args: &[&str], chunk: &str) -> (bool, String, String) {
    let out = entente()
        .arg("run")
        .args(args)
        .args(["--threads", "1", "--store"])
        .arg(dir.join("s.sqlite"))
        .env("ENTENTE_CHECKPOINT_DRAWS", chunk)
        .timeout(Duration::from_secs(600))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn chunks(folder: &Path) -> usize {
    std::fs::read_dir(folder.join("checkpoint"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".jsonl"))
                .count()
        })
        .unwrap_or(0)
}

fn json_field(path: &Path, key: &str) -> String {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v[key].as_str().unwrap_or_default().to_string()
}

/// (status, message) of every store record of folder `out`.
fn records(store: &Path, out: &Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(store).unwrap();
    let mut st = c
        .prepare("SELECT status, coalesce(message, '') FROM runs WHERE out_dir = ?1")
        .unwrap();
    let out = out.canonicalize().unwrap();
    st.query_map([out.to_string_lossy()], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

/// Start the small scenario into `out` and SIGKILL it once at least half its chunks are
/// checkpointed; the chunks it had.
fn kill_half_way(dir: &Path, out: &Path) -> usize {
    kill_after(dir, out, &[], 6)
}

/// Start the small scenario with `args` into `out` and SIGKILL it once `want` chunks are
/// checkpointed; the chunks it had.
fn kill_after(dir: &Path, out: &Path, args: &[&str], want: usize) -> usize {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("entente"))
        .args([
            "run",
            &scenario_fixture("small.toml"),
            "--quiet",
            "--threads",
            "1",
        ])
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--store")
        .arg(dir.join("s.sqlite"))
        .env("ENTENTE_CHECKPOINT_DRAWS", CHUNK)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while chunks(out) < want {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before half its draws were checkpointed"
        );
        assert!(t.elapsed() < Duration::from_secs(600), "no checkpoint");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed, not finished: {status}");
    chunks(out)
}

#[test]
fn a_run_killed_half_way_and_resumed_writes_the_files_of_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let small = scenario_fixture("small.toml");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let (ok, _, err) = run_small(
        dir.path(),
        &[&small, "--quiet", "--out", a.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert!(
        !a.join("checkpoint").exists(),
        "a complete run keeps no checkpoint"
    );

    let had = kill_half_way(dir.path(), &b);
    assert!((6..12).contains(&had), "{had} chunks");
    assert!(b.join("RUNNING").exists() && !b.join("claims.csv").exists());
    let header = b.join("checkpoint").join("checkpoint.json");
    let (id, started) = (
        json_field(&header, "run_id"),
        json_field(&header, "started"),
    );
    // A copy of the checkpoint, for the refusals below.
    let c = dir.path().join("c");
    std::fs::create_dir_all(c.join("checkpoint")).unwrap();
    std::fs::write(c.join("RUNNING"), "").unwrap();
    for e in std::fs::read_dir(b.join("checkpoint")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, c.join("checkpoint").join(p.file_name().unwrap())).unwrap();
    }

    let (ok, _, err) = run_small(dir.path(), &["--resume", b.to_str().unwrap(), &small]);
    assert!(ok, "{err}");
    let had_draws = had * 4;
    assert!(
        err.contains(&format!(
            "resuming run {id}: {had_draws} of 48 draws from the checkpoint"
        )),
        "{err}"
    );
    let (fa, fb) = (crate::run_files(&a), crate::run_files(&b));
    crate::assert_same_run(
        &fa,
        &fb,
        "resumed against uninterrupted (no marker, no checkpoint)",
    );
    for name in [
        "claims.csv",
        "claims_curve.csv",
        "draws.parquet",
        "report.md",
    ] {
        assert!(fa.contains_key(name), "{name}");
    }
    // The resumed run is the killed run, continued: its id and start, one store record.
    assert_eq!(json_field(&b.join("run.json"), "run_id"), id);
    assert_eq!(json_field(&b.join("run.json"), "started"), started);
    let rec = records(&dir.path().join("s.sqlite"), &b);
    assert_eq!(rec.len(), 1, "{rec:?}");
    assert_eq!(rec[0].0, "complete");
    assert!(
        rec[0]
            .1
            .contains(&format!("with {had_draws} of 48 draws from the checkpoint")),
        "{rec:?}"
    );

    // Refusals: each names what is wrong and touches nothing.
    let refused = |args: &[&str], want: &str| {
        let (ok, _, err) = run_small(dir.path(), args);
        assert!(!ok, "{args:?} must be refused");
        assert!(err.contains(want), "{args:?}: {err}");
    };
    let cs = c.to_str().unwrap();
    refused(
        &["--resume", a.to_str().unwrap(), &small],
        "the run is complete (no RUNNING marker): nothing to resume",
    );
    refused(
        &["--resume", cs, &small, "--seed", "8"],
        "its seed is 7 but the run asked for now has 8",
    );
    refused(
        &["--resume", cs, &small, "--base-samples", "5"],
        "its base samples is 4 but",
    );
    let other = dir.path().join("other.toml");
    let text = std::fs::read_to_string(&small).unwrap();
    std::fs::write(
        &other,
        text.replace("horizon_years = 4", "horizon_years = 5"),
    )
    .unwrap();
    refused(
        &["--resume", cs, other.to_str().unwrap()],
        "its scenario_sha256 is",
    );
    // The same run, but the store's record is complete (b went through).
    refused(
        &["--resume", cs, &small],
        "is complete: only an interrupted or failed run can be resumed",
    );
    assert!(c.join("RUNNING").exists() && !c.join("claims.csv").exists());
    // Another build's checkpoint: a changed version, or a draw not what this build computes.
    let h = c.join("checkpoint").join("checkpoint.json");
    let text = std::fs::read_to_string(&h).unwrap();
    std::fs::write(
        &h,
        text.replace("\"version\": \"0.1.0\"", "\"version\": \"0.0.9\""),
    )
    .unwrap();
    refused(
        &["--resume", cs, &small],
        "its engine version is 0.0.9 but the run asked for now has",
    );
    std::fs::write(&h, &text).unwrap();
    let chunk = c.join("checkpoint").join("chunk-000000.jsonl");
    let first = std::fs::read_to_string(&chunk).unwrap();
    // One more value where the scenario has none: the record's shape.
    let pos = first.find("\"theta\":[").unwrap() + "\"theta\":[".len();
    std::fs::write(&chunk, format!("{}0.5,{}", &first[..pos], &first[pos..])).unwrap();
    refused(
        &["--resume", cs, &small],
        "chunk-000000.jsonl:1: draw 0: status-quo: theta: ",
    );
    // Another value of the right shape: draw 0 is not this build's draw 0.
    let pos = first.find("\"bargaining_median\":").unwrap() + "\"bargaining_median\":".len();
    let end = pos + first[pos..].find(',').unwrap();
    std::fs::write(&chunk, format!("{}12.5{}", &first[..pos], &first[end..])).unwrap();
    refused(
        &["--resume", cs, &small],
        "draw 0 as checkpointed differs from the same draw computed now",
    );
    // A store without the run.
    std::fs::write(&chunk, &first).unwrap();
    let out = entente()
        .args(["run", "--resume", cs, &small, "--store"])
        .arg(dir.path().join("empty.sqlite"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!(
            "no record of run {id}: resume with the --store the run used"
        )),
        "{err}"
    );
}

#[test]
fn a_killed_shard_resumed_writes_the_part_of_an_uninterrupted_shard() {
    let dir = tempfile::tempdir().unwrap();
    let small = scenario_fixture("small.toml");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let (ok, _, err) = run_chunked(
        dir.path(),
        &[
            &small,
            "--quiet",
            "--shard",
            "1/2",
            "--out",
            a.to_str().unwrap(),
        ],
        "0",
    );
    assert!(ok, "{err}");
    // 24 draws, 6 chunks: killed at half.
    let had = kill_after(dir.path(), &b, &["--shard", "1/2"], 3);
    assert!((3..6).contains(&had), "{had} chunks");
    // The shard comes from the checkpoint.
    let (ok, _, err) = run_small(dir.path(), &["--resume", b.to_str().unwrap(), &small]);
    assert!(ok, "{err}");
    assert!(err.contains("shard 1/2: 24 of 48 draws written"), "{err}");
    assert_eq!(
        crate::run_files(&a),
        crate::run_files(&b),
        "the same part and manifest, byte for byte"
    );
}

#[test]
fn a_folder_without_a_checkpoint_or_without_a_marker_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let small = scenario_fixture("small.toml");
    let f: PathBuf = dir.path().join("f");
    std::fs::create_dir_all(&f).unwrap();
    let (ok, _, err) = run_small(dir.path(), &["--resume", f.to_str().unwrap(), &small]);
    assert!(!ok);
    assert!(
        err.contains("the run is complete (no RUNNING marker)"),
        "{err}"
    );
    std::fs::write(f.join("RUNNING"), "").unwrap();
    let (ok, _, err) = run_small(dir.path(), &["--resume", f.to_str().unwrap(), &small]);
    assert!(!ok);
    assert!(
        err.contains("no checkpoint (checkpoint/checkpoint.json)"),
        "{err}"
    );
    let (ok, _, err) = run_small(dir.path(), &["--resume", "no/such/folder", &small]);
    assert!(!ok);
    assert!(err.contains("no/such/folder: no such run folder"), "{err}");
    let (ok, _, err) = run_small(
        dir.path(),
        &["--resume", f.to_str().unwrap(), "--out", "x", &small],
    );
    assert!(!ok);
    assert!(err.contains("cannot be used with"), "{err}");
}
