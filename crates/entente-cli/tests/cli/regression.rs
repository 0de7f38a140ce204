//! One test per reproduced failure of issue 19 (Reliability), named for its item, each
//! driving the `entente` binary as a user would. Items whose bug lives in a library have
//! their test there too (`regression_item*` in entente-core, entente-data, entente-report).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{entente, run};

fn fixture(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(dir)
        .join(name)
}

fn small_text() -> String {
    std::fs::read_to_string(fixture("scenarios", "small.toml")).unwrap()
}

/// `entente run FILE ARGS` in folder `cwd`: (success, stderr).
fn run_in(cwd: &Path, file: &Path, args: &[&str]) -> (bool, String) {
    let out = entente()
        .current_dir(cwd)
        .arg("run")
        .arg(file)
        .args(["--quiet"])
        .args(args)
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The run folders under `out` (everything but the store's files).
fn folders(out: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// (out_dir, status) of every run in the store, read directly; none before the store exists
/// (a run killed before it opened the store).
fn store_rows(store: &Path) -> Vec<(PathBuf, String)> {
    if !store.exists() {
        return Vec::new();
    }
    let c = rusqlite::Connection::open(store).unwrap();
    c.busy_timeout(Duration::from_secs(30)).unwrap();
    let Ok(mut st) = c.prepare("SELECT out_dir, status FROM runs") else {
        return Vec::new();
    };
    let rows = st
        .query_map([], |r| {
            Ok((
                PathBuf::from(r.get::<_, String>(0)?),
                r.get::<_, String>(1)?,
            ))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

/// A folder without `RUNNING` that holds outputs has a `complete` store record.
fn assert_no_complete_looking_incomplete_run(out: &Path, store: &Path) {
    let rows = store_rows(store);
    for f in folders(out) {
        let has_outputs = std::fs::read_dir(&f).unwrap().next().is_some();
        if f.join("RUNNING").exists() || !has_outputs {
            continue;
        }
        let f = f.canonicalize().unwrap();
        let status: Vec<&str> = rows
            .iter()
            .filter(|(d, _)| *d == f)
            .map(|(_, s)| s.as_str())
            .collect();
        assert_eq!(
            status,
            ["complete"],
            "{} has no RUNNING marker, so its store record must say complete",
            f.display()
        );
    }
}

#[test]
fn item2_a_scenario_name_cannot_escape_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("a").join("b");
    std::fs::create_dir_all(&cwd).unwrap();
    for name in ["../../escaped", "/abs/path"] {
        let file = cwd.join("bad.toml");
        std::fs::write(
            &file,
            small_text().replace("name = \"small\"", &format!("name = \"{name}\"")),
        )
        .unwrap();
        let (ok, err) = run_in(&cwd, &file, &["--store", "s.sqlite"]);
        assert!(!ok, "{name}: the run must be refused");
        assert!(err.contains("bad.toml:3:"), "{name}: located: {err}");
        assert!(
            err.contains(&format!("scenario name `{name}`")),
            "{name}: {err}"
        );
        // Nothing beside `b` in `a`, nothing at the root, nothing run in `b`.
        let beside: Vec<_> = std::fs::read_dir(dir.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(beside, ["b"], "{name}");
        assert!(!Path::new("/abs").exists(), "{name}");
        assert!(!cwd.join("out").exists(), "{name}: nothing runs");
    }
}

#[test]
fn item3_concurrent_runs_with_the_default_folder_get_a_folder_each() {
    let dir = tempfile::tempdir().unwrap();
    let small = fixture("scenarios", "small.toml");
    let bin = assert_cmd::cargo::cargo_bin("entente");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(&bin)
                .current_dir(dir.path())
                .arg("run")
                .arg(&small)
                .args(["--quiet", "--threads", "1"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = dir.path().join("out");
    let found = folders(&out);
    assert_eq!(found.len(), 4, "one folder per run: {found:?}");
    let rows = store_rows(&out.join("entente.sqlite"));
    assert_eq!(rows.len(), 4);
    let c = rusqlite::Connection::open(out.join("entente.sqlite")).unwrap();
    for f in &found {
        let f = f.canonicalize().unwrap();
        let ids: Vec<String> = c
            .prepare("SELECT id FROM runs WHERE out_dir = ?1 AND status = 'complete'")
            .unwrap()
            .query_map([f.to_string_lossy()], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ids.len(), 1, "{}: one complete record", f.display());
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            name,
            format!("small-{}", ids[0]),
            "the run id names the folder"
        );
        let run_json = std::fs::read_to_string(f.join("run.json")).unwrap();
        assert!(
            run_json.contains(&format!("\"run_id\": \"{}\"", ids[0])),
            "{name}: {run_json}"
        );
        assert!(!f.join("RUNNING").exists());
    }
}

/// Wait until the store lists a `running` run; false after `limit`.
fn wait_for_running(store: &Path, limit: Duration) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit {
        if store.exists() {
            if let Ok(c) = rusqlite::Connection::open(store) {
                let n: rusqlite::Result<i64> = c.query_row(
                    "SELECT count(*) FROM runs WHERE status = 'running'",
                    [],
                    |r| r.get(0),
                );
                if n.is_ok_and(|n| n > 0) {
                    return true;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

#[test]
fn item4_a_run_that_cannot_record_its_end_keeps_its_marker() {
    // The store is locked by another writer from the moment the run is recorded as
    // running: the run computes and writes every file, then cannot say `complete`. Its
    // folder must not look complete.
    let dir = tempfile::tempdir().unwrap();
    let small = fixture("scenarios", "small.toml");
    let store = dir.path().join("out").join("entente.sqlite");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("entente"))
        .current_dir(dir.path())
        .arg("run")
        .arg(&small)
        .args(["--quiet", "--threads", "1", "--base-samples", "8"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_for_running(&store, Duration::from_secs(120)),
        "the run never started"
    );
    let lock = rusqlite::Connection::open(&store).unwrap();
    lock.busy_timeout(Duration::from_secs(30)).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let out = child.wait_with_output().unwrap();
    lock.execute_batch("COMMIT").unwrap();
    drop(lock);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the store was locked: {err}");
    let out_dir = dir.path().join("out");
    let found = folders(&out_dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].join("RUNNING").exists(), "{err}");
    assert_no_complete_looking_incomplete_run(&out_dir, &store);
}

#[test]
fn item4_a_run_killed_at_any_point_never_looks_complete() {
    let dir = tempfile::tempdir().unwrap();
    let small = fixture("scenarios", "small.toml");
    let out_dir = dir.path().join("out");
    let store = out_dir.join("entente.sqlite");
    // Kill as soon as each file appears, and once the run has gone through.
    for at in ["RUNNING", "claims.csv", "summary.json", "run.json", ""] {
        let before = if out_dir.exists() {
            folders(&out_dir)
        } else {
            Vec::new()
        };
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("entente"))
            .current_dir(dir.path())
            .arg("run")
            .arg(&small)
            .args(["--quiet", "--threads", "1"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let t = Instant::now();
        'wait: while t.elapsed() < Duration::from_secs(120) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if !at.is_empty() && out_dir.exists() {
                for f in folders(&out_dir).iter().filter(|f| !before.contains(f)) {
                    if f.join(at).exists() {
                        child.kill().ok();
                        break 'wait;
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        child.wait().unwrap();
        assert_no_complete_looking_incomplete_run(&out_dir, &store);
    }
}

/// The small scenario run as two shards in `dir` (store `dir/s.sqlite`): the scenario's
/// path and the two part folders, each finished (no marker left).
fn two_parts(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let small = fixture("scenarios", "small.toml");
    let (p0, p1) = (dir.join("p0"), dir.join("p1"));
    for (p, s) in [(&p0, "0/2"), (&p1, "1/2")] {
        let (ok, err) = run_in(
            dir,
            &small,
            &[
                "--shard",
                s,
                "--out",
                p.to_str().unwrap(),
                "--store",
                "s.sqlite",
            ],
        );
        assert!(ok, "{err}");
        assert!(!p.join("RUNNING").exists(), "a finished part has no marker");
    }
    (small, p0, p1)
}

/// `entente merge` of the two parts into `merged` (store `dir/s.sqlite`): success and stderr.
fn merge_parts(dir: &Path, small: &Path, p0: &Path, p1: &Path, merged: &Path) -> (bool, String) {
    let (ok, _, err) = run(&[
        "merge",
        p0.to_str().unwrap(),
        p1.to_str().unwrap(),
        "--scenario",
        small.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--store",
        dir.join("s.sqlite").to_str().unwrap(),
    ]);
    (ok, err)
}

#[test]
fn item4_merge_writes_its_marker_before_it_records_anything() {
    let dir = tempfile::tempdir().unwrap();
    let (small, p0, p1) = two_parts(dir.path());
    // The store is held by another writer for the whole merge: the merge cannot record
    // itself, so its folder keeps the marker.
    let store = dir.path().join("s.sqlite");
    let lock = rusqlite::Connection::open(&store).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let merged = dir.path().join("merged");
    let (ok, err) = merge_parts(dir.path(), &small, &p0, &p1, &merged);
    lock.execute_batch("COMMIT").unwrap();
    assert!(!ok, "the store was locked");
    assert!(merged.join("RUNNING").exists(), "{err}");
    // Unlocked, the merge goes through and removes it.
    let (ok, err) = merge_parts(dir.path(), &small, &p0, &p1, &merged);
    assert!(ok, "{err}");
    assert!(!merged.join("RUNNING").exists());
    assert!(merged.join("summary.json").exists());
    let rows = store_rows(&store);
    let merged = merged.canonicalize().unwrap();
    assert!(
        rows.iter().any(|(d, s)| *d == merged && s == "complete"),
        "{rows:?}"
    );
}

#[test]
fn item5_claims_the_models_cannot_evaluate_are_refused_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let claim = |id: &str, states: &str, threshold: &str, treatment: &str| {
        format!(
            "\n[[claims]]\nid = \"{id}\"\ntext = \"t\"\nsource = \"test\"\nmetric = \"threat\"\n\
             states = {states}\nthreshold = {threshold}\ntreatment = \"{treatment}\"\n\
             baseline = \"status-quo\"\n"
        )
    };
    let mut text = small_text();
    for (id, states, threshold, treatment) in [
        ("nan-threshold", "[\"JPN\"]", "nan", "quad-defence"),
        ("inf-threshold", "[\"JPN\"]", "inf", "quad-defence"),
        ("outside", "[\"IND\"]", "0.0", "quad-defence"),
        ("no-states", "[]", "0.0", "quad-defence"),
        ("same-options", "[\"JPN\"]", "0.0", "status-quo"),
        ("japan-safer", "[\"JPN\"]", "0.0", "quad-defence"),
    ] {
        text.push_str(&claim(id, states, threshold, treatment));
    }
    let file = dir.path().join("claims.toml");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("never");
    let (ok, err) = run_in(
        dir.path(),
        &file,
        &["--out", out.to_str().unwrap(), "--store", "s.sqlite"],
    );
    assert!(!ok, "the scenario must be refused");
    assert!(err.contains("6 problems"), "{err}");
    // Each problem on the line of the field at fault (1-based), after the file's own claims.
    let line_of = |needle: &str, nth: usize| {
        text.lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .nth(nth)
            .map(|(i, _)| i + 1)
            .unwrap()
    };
    for (line, what) in [
        (
            line_of("threshold = nan", 0),
            "threshold must be a finite number, got NaN",
        ),
        (
            line_of("threshold = inf", 0),
            "threshold must be a finite number, got inf",
        ),
        (
            line_of("states = [\"IND\"]", 0),
            "states `IND` is not among the actors",
        ),
        (line_of("states = []", 0), "`states = []`"),
        (
            // The baseline line of the claim `same-options`, wherever the fixture's own claims end.
            line_of("id = \"same-options\"", 0)
                + text
                    .lines()
                    .skip(line_of("id = \"same-options\"", 0))
                    .position(|l| l.contains("baseline = \"status-quo\""))
                    .unwrap()
                + 1,
            "treatment and baseline are both `status-quo`",
        ),
        (
            line_of("id = \"japan-safer\"", 1),
            "claim `japan-safer` is defined twice",
        ),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!("claims.toml:{line}:")) && l.contains(what)),
            "line {line}: {what}: {err}"
        );
    }
    assert!(!out.exists(), "nothing runs");
}

#[test]
fn item5_a_manifest_that_disagrees_with_its_part_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (small, p0, p1) = two_parts(dir.path());
    // Drop the last draw from p0's manifest: it lists one draw fewer than its part holds.
    let manifest = p0.join("part-0-of-2.manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let draws = m["draws"].as_array_mut().unwrap();
    let held = draws.len();
    draws.pop();
    std::fs::write(&manifest, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let merged = dir.path().join("merged");
    let (ok, err) = merge_parts(dir.path(), &small, &p0, &p1, &merged);
    assert!(!ok, "the merge must be refused");
    assert!(
        err.contains("part-0-of-2.manifest.json")
            && err.contains(&format!("lists {} draws but", held - 1))
            && err.contains(&format!("holds {held}")),
        "{err}"
    );
    assert!(!merged.exists(), "nothing is merged");
}

#[test]
fn item6_a_corrupted_merge_part_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (small, p0, p1) = two_parts(dir.path());
    let part = p1.join("part-1-of-2.jsonl");
    let clean = std::fs::read_to_string(&part).unwrap();
    // Each corruption on the second record of p1: one value short, an extra option, a
    // coalition that is not a side.
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 3] = [
        ("theta", |v| {
            v["options"][0]["theta"].as_array_mut().unwrap().pop();
        }),
        ("options", |v| {
            let o = v["options"][0].clone();
            v["options"].as_array_mut().unwrap().push(o);
        }),
        ("coalition", |v| {
            v["options"][1]["coalition"][0] = serde_json::json!(7);
        }),
    ];
    for (what, edit) in edits {
        let mut lines: Vec<String> = clean.lines().map(str::to_string).collect();
        let mut v: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
        edit(&mut v);
        lines[1] = v.to_string();
        std::fs::write(&part, lines.join("\n") + "\n").unwrap();
        let merged = dir.path().join("merged");
        let (ok, _, err) = run(&[
            "merge",
            p0.to_str().unwrap(),
            p1.to_str().unwrap(),
            "--scenario",
            small.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
            "--store",
            dir.path().join("s.sqlite").to_str().unwrap(),
        ]);
        assert!(!ok, "{what}: the merge must be refused");
        no_panic(&err);
        assert!(
            err.contains("part-1-of-2.jsonl:2: draw") && err.contains(what),
            "{what}: {err}"
        );
        assert!(!merged.exists(), "{what}: nothing is written");
    }
}

fn no_panic(err: &str) {
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn item6_a_time_limit_of_1e20_seconds_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.txt");
    std::fs::write(&g, "3 2\n1 2 1\n2 3 1\n").unwrap();
    let (ok, _, err) = run(&["maxcut", g.to_str().unwrap(), "--time-limit", "1e20"]);
    assert!(!ok);
    no_panic(&err);
    assert!(
        err.contains("--time-limit 100000000000000000000 s is more than a week"),
        "{err}"
    );
    let syria = |f: &str| fixture("landscape/furnas_syria_2016", f);
    let (ok, _, err) = run(&[
        "landscape",
        "--actors",
        syria("actors.csv").to_str().unwrap(),
        "--propensity",
        syria("propensity_feb20.csv").to_str().unwrap(),
        "--mode",
        "heuristic",
        "--time-limit",
        "1e20",
    ]);
    assert!(!ok);
    no_panic(&err);
    assert!(err.contains("is more than a week"), "{err}");
}

#[test]
fn item6_a_maxcut_header_of_a_trillion_vertices_is_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.txt");
    std::fs::write(&g, "1000000000000 1\n1 2 1\n").unwrap();
    let out = entente()
        .arg("maxcut")
        .arg(&g)
        .args(["--time-limit", "1"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    no_panic(&err);
    assert!(
        err.contains("g.txt:1: field `n`: 1000000000000 vertices is more than"),
        "{err}"
    );
}

#[test]
fn item6_landscape_with_fewer_than_two_coalitions_is_refused_not_a_hang() {
    let syria = |f: &str| fixture("landscape/furnas_syria_2016", f);
    for k in ["0", "1"] {
        for neutral in [&[][..], &["--neutral-cost", "0.5"][..]] {
            let out = entente()
                .arg("landscape")
                .arg("--actors")
                .arg(syria("actors.csv"))
                .arg("--propensity")
                .arg(syria("propensity_feb20.csv"))
                .args(["--coalitions", k])
                .args(neutral)
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "--coalitions {k} {neutral:?}");
            no_panic(&err);
            assert!(err.contains("at least 2 coalitions are needed"), "{err}");
        }
    }
}

/// Item 7: a `--data-dir` file that keeps its header but no rows would empty a data set
/// silently; each is refused, naming the override (not another file).
#[test]
fn item7_a_data_override_with_only_a_header_is_refused_naming_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for rel in [
        "cow/NMC-70-abridged.csv",
        "codes/cow_iso3_crosswalk.csv",
        "cow/states2016_from_peacesciencer.csv",
        "sipri/sipri_milex_flagship_subset_2000_2024.csv",
        "atop/atop5_1_ddyr_obligations.csv",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        let header = text.lines().next().unwrap();
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("{header}\n")).unwrap();
        let (ok, _, err) = run(&[
            "world",
            "--year",
            "2024",
            "--data-dir",
            dir.path().to_str().unwrap(),
        ]);
        assert!(!ok, "{rel}: an emptied data set must be refused");
        no_panic(&err);
        assert!(
            err.contains(&path.display().to_string()) && err.contains("no rows"),
            "{rel}: {err}"
        );
    }
}

/// Item 7: every override is said, with its rows against the bundled copy's.
#[test]
fn item7_each_data_override_is_said_with_its_rows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let rel = "cow/majors2016_from_peacesciencer.csv";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::copy(root.join(rel), &path).unwrap();
    let (ok, _, err) = run(&[
        "world",
        "--year",
        "2024",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let line = err
        .lines()
        .find(|l| l.contains(&format!("data/{rel} replaced by")))
        .unwrap_or_else(|| panic!("{err}"));
    let n = std::fs::read_to_string(root.join(rel))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    assert!(
        line.ends_with(&format!("{n} rows (bundled: {n})")),
        "{line}"
    );
}

/// Issue 18's reproduction: a manifest claiming 10^18 draws aborted `merge` (it sized an
/// array from the file). The draws to cover are now the scenario's own.
#[test]
fn a_manifest_claiming_ten_to_the_eighteen_draws_is_refused_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let (small, p0, p1) = two_parts(dir.path());
    for (p, name) in [(&p0, "part-0-of-2"), (&p1, "part-1-of-2")] {
        let manifest = p.join(format!("{name}.manifest.json"));
        let text = std::fs::read_to_string(&manifest).unwrap();
        let mut m: serde_json::Value = serde_json::from_str(&text).unwrap();
        m["total_draws"] = serde_json::json!(1_000_000_000_000_000_000u64);
        std::fs::write(&manifest, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    }
    let merged = dir.path().join("merged");
    let (ok, err) = merge_parts(dir.path(), &small, &p0, &p1, &merged);
    assert!(!ok, "the merge must be refused");
    no_panic(&err);
    assert!(
        err.contains("part-0-of-2.manifest.json")
            && err.contains("total_draws 1000000000000000000 but the scenario has"),
        "{err}"
    );
    assert!(!merged.exists(), "nothing is merged");
}

/// Found by scripts/stress (models): `--restarts 0` or `--moves 0` gave "the heuristic needs
/// at least one restart, one move per restart and time to start one", naming no flag.
#[test]
fn stress_a_search_without_restarts_or_moves_names_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.txt");
    std::fs::write(&g, "3 2\n1 2 1\n2 3 1\n").unwrap();
    let syria = |f: &str| fixture("landscape/furnas_syria_2016", f);
    let (actors, prop) = (syria("actors.csv"), syria("propensity_feb20.csv"));
    for (flag, want) in [
        ("--restarts", "--restarts must be at least 1, got 0"),
        ("--moves", "--moves must be at least 1, got 0"),
    ] {
        let (ok, _, err) = run(&["maxcut", g.to_str().unwrap(), flag, "0"]);
        assert!(!ok, "maxcut {flag} 0");
        assert!(err.contains(want), "maxcut {flag} 0: {err}");
        let (ok, _, err) = run(&[
            "landscape",
            "--actors",
            actors.to_str().unwrap(),
            "--propensity",
            prop.to_str().unwrap(),
            "--mode",
            "heuristic",
            flag,
            "0",
        ]);
        assert!(!ok, "landscape {flag} 0");
        assert!(err.contains(want), "landscape {flag} 0: {err}");
    }
}
