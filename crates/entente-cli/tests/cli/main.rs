//! The `entente` command as a user sees it: one integration-test harness,
//! one module per subcommand.

mod align;
mod arms;
mod bdm;
mod calibrate;
mod design;
mod distributed;
mod engine;
mod hazard;
mod hindcast;
mod landscape;
mod levers;
mod maxcut;
mod meta;
mod readme;
mod regression;
mod resume;
mod run;
mod serve;
mod smp;
mod threat;
mod warheads;
mod workbench;
mod world;

use assert_cmd::Command;

pub fn entente() -> Command {
    Command::cargo_bin("entente").expect("the entente binary")
}

/// Run and return (success, stdout, stderr).
pub fn run(args: &[&str]) -> (bool, String, String) {
    let out = entente().args(args).output().expect("run entente");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A scenario of tests/fixtures/scenarios, as a path argument.
/// `entente run SCENARIO --out OUT --quiet` with its store beside the folder (never in
/// the source tree) and `extra` flags; panics with stderr on failure, returns stdout
/// and stderr.
pub fn run_scenario(scenario: &str, out: &std::path::Path, extra: &[&str]) -> (String, String) {
    let store = out.with_extension("sqlite").display().to_string();
    let mut args = vec![
        "run",
        scenario,
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--store",
        store.as_str(),
    ];
    args.extend_from_slice(extra);
    let (ok, stdout, err) = run(&args);
    assert!(ok, "{err}");
    (stdout, err)
}

pub fn scenario_fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/scenarios")
        .join(name)
        .display()
        .to_string()
}

/// `entente merge` of the parts in `dirs`, run from tests/fixtures/scenarios/small.toml, into
/// `out` (its store beside it): whether it succeeded, and its stderr.
pub fn merge_small(dirs: &[&std::path::Path], out: &std::path::Path) -> (bool, String) {
    let small = scenario_fixture("small.toml");
    let store = out.with_extension("sqlite").display().to_string();
    let mut args: Vec<&str> = vec!["merge"];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    args.extend([
        "--scenario",
        small.as_str(),
        "--out",
        out.to_str().unwrap(),
        "--store",
        store.as_str(),
    ]);
    let (ok, _, err) = run(&args);
    (ok, err)
}

/// `entente runs --format csv` on `store`: the header and one line per run.
pub fn store_listing(store: &std::path::Path) -> Vec<String> {
    let (ok, listing, err) = run(&[
        "runs",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(ok, "{err}");
    listing.lines().map(str::to_string).collect()
}

/// Every entry of a run folder, by name (a folder left in it is an error).
pub fn run_files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            assert!(p.is_file(), "{} is left in the run folder", p.display());
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// A JSON file with the fields that name the run (id, start time) removed.
fn without_run_identity(bytes: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    if let Some(o) = v.as_object_mut() {
        o.remove("run_id");
        o.remove("started");
    }
    v
}

/// Two run folders hold the same files, byte for byte, but for the run's identity: its id
/// and start time in summary.json and run.json, and its id in draws.parquet and draws.csv,
/// where each must be the id its own run.json gives (`what` names the comparison in
/// failures).
pub fn assert_same_run(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    let id = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        files.get("run.json").map(|j| {
            let v: serde_json::Value = serde_json::from_slice(j).unwrap();
            v["run_id"].as_str().unwrap().to_string()
        })
    };
    for (name, bytes) in a {
        if name == "summary.json" || name == "run.json" {
            assert_eq!(
                without_run_identity(bytes),
                without_run_identity(&b[name]),
                "{what}: {name}"
            );
        } else if name == "draws.parquet" || name == "draws.csv" {
            assert_same_draws(name, (bytes, id(a)), (&b[name], id(b)), what);
        } else {
            assert!(bytes == &b[name], "{what}: {name} differs");
        }
    }
}

/// draws.parquet (or draws.csv, by `name`) of two runs hold the same draws, each under its
/// own run id: `expected` (when given) is the id its rows must carry.
pub fn assert_same_draws(
    name: &str,
    a: (&[u8], Option<String>),
    b: (&[u8], Option<String>),
    what: &str,
) {
    if name == "draws.csv" {
        // Every line starts with the run id (the header with `run_id`).
        let rest = |bytes: &[u8], id: &Option<String>| -> Vec<String> {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            let mut lines = text.lines();
            assert!(lines.next().unwrap().starts_with("run_id,seed,draw,"));
            lines
                .map(|l| {
                    let (run, rest) = l.split_once(',').unwrap();
                    if let Some(id) = id {
                        assert_eq!(run, id, "{what}: draws.csv's run_id");
                    }
                    rest.to_string()
                })
                .collect()
        };
        assert!(
            rest(a.0, &a.1) == rest(b.0, &b.1),
            "{what}: draws.csv differs"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let table = |bytes: &[u8], id: &Option<String>, file: &str| {
        let path = dir.path().join(file);
        std::fs::write(&path, bytes).unwrap();
        let t = entente_store::read_draws_parquet(&path).unwrap();
        if let Some(id) = id {
            assert_eq!(
                &t.run().unwrap().run_id,
                id,
                "{what}: draws.parquet's run_id"
            );
        }
        t
    };
    let (ta, tb) = (table(a.0, &a.1, "a.parquet"), table(b.0, &b.1, "b.parquet"));
    assert!(
        ta.same_draws_as(&tb),
        "{what}: draws.parquet holds other draws"
    );
    assert!(!ta.is_empty(), "{what}: draws.parquet is empty");
}

/// The draws files of two run folders: the same draws, each under the id of its run.json.
pub fn assert_same_draws_in(a: &std::path::Path, b: &std::path::Path, name: &str) {
    let id = |d: &std::path::Path| {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(d.join("run.json")).unwrap()).unwrap();
        Some(v["run_id"].as_str().unwrap().to_string())
    };
    let (ra, rb) = (
        std::fs::read(a.join(name)).unwrap(),
        std::fs::read(b.join(name)).unwrap(),
    );
    assert_same_draws(
        name,
        (&ra, id(a)),
        (&rb, id(b)),
        &format!("{} against {}", a.display(), b.display()),
    );
}

/// stdout parsed as JSON (the text in the failure when it is not).
pub fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}
