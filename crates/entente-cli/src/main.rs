//! `entente`: the command-line tool.

use clap::{Parser, Subcommand};

mod commands;

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
    /// Alignment landscape (Axelrod and Bennett): coalitions that minimise energy.
    Landscape(commands::landscape::Args),
    /// Weighted max-cut of a rudy-format graph (G-set).
    Maxcut(commands::maxcut::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::World(args) => commands::world::run(args),
        Command::Landscape(args) => commands::landscape::run(args),
        Command::Maxcut(args) => commands::maxcut::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
