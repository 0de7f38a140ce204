//! `entente world`: the world state for a year.

#[derive(clap::Args)]
pub struct Args {
    /// The year (1816-2024).
    #[arg(long)]
    pub year: i32,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    println!("year {}", args.year);
    Ok(())
}
