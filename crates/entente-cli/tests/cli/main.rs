//! The `entente` command as a user sees it: one integration-test harness,
//! one module per subcommand.

mod arms;
mod bdm;
mod calibrate;
mod engine;
mod hazard;
mod hindcast;
mod landscape;
mod maxcut;
mod meta;
mod readme;
mod regression;
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
