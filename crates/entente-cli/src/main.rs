//! `entente`: the command-line tool.

use clap::{Parser, Subcommand};

mod commands;
mod output;

#[derive(Parser)]
#[command(
    name = "entente",
    version,
    about = "Model international security systems on real data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the world state for a year.
    World(commands::world::Args),
    /// Arms dynamics (Richardson): two-bloc fit, backtest against persistence.
    Arms(commands::arms::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::World(args) => commands::world::run(args),
        Command::Arms(args) => commands::arms::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
