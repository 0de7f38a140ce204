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
