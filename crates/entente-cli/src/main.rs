//! `entente`: the command-line tool.

use clap::{CommandFactory, Parser, Subcommand};

mod commands;
mod output;

/// `--version`: the version and the bundled data sets with theirs.
static LONG_VERSION: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(commands::cite::long_version);

#[derive(Parser)]
#[command(
    name = "entente",
    version,
    long_version = LONG_VERSION.as_str(),
    about = "Model international security systems on real data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario's policy options over paired Monte Carlo draws (default: the flagship).
    Run(commands::run::Args),
    /// Join the parts of a sharded run into the outputs of one run.
    Merge(commands::run::MergeArgs),
    /// List the runs recorded in the run store.
    Runs(commands::run::RunsArgs),
    /// A sharded run as a Slurm job array and a merge job after it; --resume resubmits failures.
    Slurm(commands::slurm::Args),
    /// Each shard of a sharded run: done, running, queued, failed or missing.
    Status(commands::slurm::StatusArgs),
    /// The web dashboard: map, network, fan charts and claims; runs from the page.
    Serve(commands::serve::Args),
    /// Print the world state for a year.
    World(commands::world::Args),
    /// Capability shares, power projected into a region, and bloc balances.
    Power(commands::power::Args),
    /// Threat felt by each state, and its change under an edit of the alliances.
    Threat(commands::threat::Args),
    /// The dispute-onset model: refit on the bundled data, backtest on held-out years.
    Hazard(commands::hazard::Args),
    /// Nuclear stockpiles: the warhead model fitted on FAS's estimates, backtested on held-out years.
    Warheads(commands::warheads::Args),
    /// KTAB's spatial model of politics on a scenario (Entente's TOML or KTAB's CSV).
    Smp(commands::smp::Args),
    /// Bueno de Mesquita's expected-utility bargaining model on an actors file.
    Bdm(commands::bdm::Args),
    /// The chain's alignment step on a year's world: each actor west, east or unaligned; new-tie forecasts.
    Align(commands::align::Args),
    /// Alignment landscape (Axelrod and Bennett): coalitions that minimise energy.
    Landscape(commands::landscape::Args),
    /// Weighted max-cut of a rudy-format graph (G-set).
    Maxcut(commands::maxcut::Args),
    /// Arms dynamics: Richardson's two-bloc fit; spending forecasts backtested against persistence.
    Arms(commands::arms::Args),
    /// The spending model's parameters calibrated on the data up to a year.
    Calibrate(commands::calibrate::Args),
    /// The scenario's chain from a past base year, scored against what happened.
    Hindcast(commands::hindcast::Args),
    /// What to cite: the bundled data sets and the models (text or BibTeX).
    Cite(commands::cite::Args),
    /// Print a shell completion script (e.g. `entente completions bash > ~/.local/share/bash-completion/completions/entente`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page, roff (e.g. `entente man > entente.1; man -l entente.1`).
    Man {
        /// Instead, write entente.1 and one page per subcommand (entente-run.1, ...) into DIR.
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
}

fn main() -> std::process::ExitCode {
    quiet_on_closed_stdout();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run::run(args),
        Command::Merge(args) => commands::run::merge(args),
        Command::Runs(args) => commands::run::runs(args),
        Command::Slurm(args) => commands::slurm::run(args),
        Command::Status(args) => commands::slurm::status(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::World(args) => commands::world::run(args),
        Command::Power(args) => commands::power::run(args),
        Command::Threat(args) => commands::threat::run(args),
        Command::Hazard(args) => commands::hazard::run(args),
        Command::Warheads(args) => commands::warheads::run(args),
        Command::Smp(args) => commands::smp::run(args),
        Command::Bdm(args) => commands::bdm::run(args),
        Command::Align(args) => commands::align::run(args),
        Command::Landscape(args) => commands::landscape::run(args),
        Command::Maxcut(args) => commands::maxcut::run(args),
        Command::Arms(args) => commands::arms::run(args),
        Command::Calibrate(args) => commands::calibrate::run(args),
        Command::Hindcast(args) => commands::hindcast::run(args),
        Command::Cite(args) => commands::cite::run(args),
        Command::Completions { shell } => completions(shell),
        Command::Man { out } => man(out.as_deref()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // A closed pipe (`entente ... | head`) is the reader's choice, not an error.
        Err(e) if broken_pipe(&e) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", message(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The error and its causes joined by ": " (as `{:#}` does), each said once: the
/// libraries' messages quote their typed source (`alignment: {0}`) and also
/// expose it as `source()`, so a cause whose text is already there is skipped.
fn message(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
    }
    out
}

/// Whether an error comes from writing to a closed pipe, whichever writer
/// (plain, CSV or JSON) met it: the CSV and JSON errors hide the I/O error
/// from the source chain, so each is asked in its own way.
fn broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
    })
}

/// `println!` panics when stdout is a closed pipe (Rust ignores SIGPIPE). That
/// is the reader's choice (`entente ... | head`), so end quietly with status 0;
/// any other panic goes to the default hook.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// `entente completions SHELL`. The script is built in memory first:
/// clap_complete panics on a failed write, and a closed pipe is no failure.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    use std::io::Write;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "entente", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(())
}

/// `entente man [--out DIR]`.
fn man(out: Option<&std::path::Path>) -> anyhow::Result<()> {
    use anyhow::Context;
    match out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create", dir.display()))?;
            clap_mangen::generate_to(Cli::command(), dir)
                .with_context(|| format!("{}: cannot write the man pages", dir.display()))
        }
        None => Ok(clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?),
    }
}

#[cfg(test)]
mod tests {
    use super::message;

    /// An error that quotes its source in its message and exposes it too.
    #[derive(Debug)]
    struct Quoting(std::io::Error);

    impl std::fmt::Display for Quoting {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "outer: {}", self.0)
        }
    }

    impl std::error::Error for Quoting {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cause_is_said_once() {
        let io = || std::io::Error::other("disk full");
        // A message that quotes its source does not repeat it...
        let e = anyhow::Error::new(Quoting(io())).context("writing x");
        assert_eq!(message(&e), "writing x: outer: disk full");
        // ...and a context over a plain error still shows both.
        let e = anyhow::Error::new(io()).context("writing x");
        assert_eq!(message(&e), "writing x: disk full");
    }
}
