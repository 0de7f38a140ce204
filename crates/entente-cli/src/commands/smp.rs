//! `entente smp`: run KTAB's spatial model of politics on a KTAB scenario CSV.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use entente_core::smp::{self, SmpConfig, StopRule, Transition};

#[derive(clap::Args)]
pub struct Args {
    /// KTAB scenario CSV (name,description,nActors,nDims / header / one row per actor, 0-100).
    pub input: PathBuf,
    /// Stop after this many turns at the latest.
    #[arg(long, default_value_t = 100)]
    pub max_turns: usize,
    /// Write positions.csv and probabilities.csv into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Choose bargains by a seeded draw instead of the most probable one.
    #[arg(long)]
    pub stochastic_seed: Option<u64>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let text = entente_data::error::read_text(&args.input)?;
    let scenario = entente_data::ktab::parse_ktab_smp(&text, &args.input.display().to_string())?;
    let config = SmpConfig {
        stop: StopRule {
            max_turns: args.max_turns,
            ..StopRule::default()
        },
        transition: match args.stochastic_seed {
            Some(seed) => Transition::Stochastic { seed },
            None => Transition::Deterministic,
        },
        ..SmpConfig::default()
    };
    println!(
        "{}: {} actors, {} dimensions",
        scenario.name,
        scenario.actors.len(),
        scenario.dimensions.len()
    );
    let history = smp::run_with(&scenario, &config, |r| {
        println!(
            "turn {:3}: fractional change compared to first step {:.4} (target {:.4})",
            r.turn, r.ratio, config.stop.ratio
        );
    })?;
    println!("{} turns", history.turns());
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut pos = String::from("turn,actor,dimension,position\n");
        let mut prob = String::from("turn,actor,probability\n");
        for t in 0..=history.turns() {
            for (a, actor) in scenario.actors.iter().enumerate() {
                for (k, dim) in scenario.dimensions.iter().enumerate() {
                    let x = 100.0 * history.position(t, a, k);
                    writeln!(
                        pos,
                        "{t},{},{},{x:.4}",
                        csv_field(&actor.name),
                        csv_field(dim)
                    )?;
                }
                writeln!(
                    prob,
                    "{t},{},{}",
                    csv_field(&actor.name),
                    history.probabilities[t][a]
                )?;
            }
        }
        for (name, body) in [("positions.csv", pos), ("probabilities.csv", prob)] {
            let path = dir.join(name);
            std::fs::write(&path, body).with_context(|| format!("writing {}", path.display()))?;
        }
        println!(
            "wrote {}/positions.csv and probabilities.csv",
            dir.display()
        );
    }
    Ok(())
}

/// Quote a CSV field when it needs it.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
