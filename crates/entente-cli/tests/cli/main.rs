//! The `entente` command as a user sees it: one integration-test harness,
//! one module per subcommand.

mod align;
mod arms;
mod bdm;
mod calibrate;
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

/// Two run folders hold the same files, byte for byte, but for the run's id and start
/// time in summary.json and run.json (`what` names the comparison in failures).
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
    for (name, bytes) in a {
        if name == "summary.json" || name == "run.json" {
            assert_eq!(
                without_run_identity(bytes),
                without_run_identity(&b[name]),
                "{what}: {name}"
            );
        } else {
            assert!(bytes == &b[name], "{what}: {name} differs");
        }
    }
}

/// stdout parsed as JSON (the text in the failure when it is not).
pub fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}
