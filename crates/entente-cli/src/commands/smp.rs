//! `entente smp`: run KTAB's spatial model of politics on a scenario in Entente's
//! TOML form or KTAB's CSV (chosen by extension), or convert a KTAB CSV to TOML.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use entente_core::smp::{self, SmpConfig, SmpScenario, Transition};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario: Entente's TOML form (`.toml`, see docs/smp.md) or a KTAB scenario CSV
    /// (`.csv`: name,description,nActors,nDims / header / one row per actor, 0-100).
    pub input: PathBuf,
    /// Print the TOML form of a KTAB scenario CSV instead of running it.
    #[arg(long, conflicts_with_all = ["max_turns", "out", "stochastic_seed"])]
    pub convert: bool,
    /// Stop after this many turns at the latest (default: the file's max_turns, else 100).
    #[arg(long)]
    pub max_turns: Option<usize>,
    /// Write positions.csv and probabilities.csv into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Choose bargains by a seeded draw instead of the most probable one.
    #[arg(long)]
    pub stochastic_seed: Option<u64>,
}

/// The two input forms, told apart by the file's extension.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Toml,
    KtabCsv,
}

fn form(path: &std::path::Path) -> anyhow::Result<Form> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("toml") => Ok(Form::Toml),
        Some("csv") => Ok(Form::KtabCsv),
        _ => anyhow::bail!(
            "{}: cannot tell the scenario's form: name it .toml (Entente's form) or .csv (KTAB's)",
            path.display()
        ),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let form = form(&args.input)?;
    let file = args.input.display().to_string();
    let text = entente_data::error::read_text(&args.input)?;
    if args.convert {
        anyhow::ensure!(
            form == Form::KtabCsv,
            "{file}: --convert reads a KTAB scenario CSV (.csv)"
        );
        print!("{}", entente_data::smp::ktab_csv_to_toml(&text, &file)?);
        return Ok(());
    }
    // Scales to report positions on: the file's, or KTAB's 0-100.
    let (scenario, mut config, scales): (SmpScenario, SmpConfig, Vec<(f64, f64)>) = match form {
        Form::Toml => {
            let f = entente_data::smp::parse_smp_toml(&text, &file)?;
            for w in &f.warnings {
                eprintln!("warning: {file}:{}:{}: {}", w.line, w.column, w.message);
            }
            (f.scenario, f.config, f.scales)
        }
        Form::KtabCsv => {
            let s = entente_data::ktab::parse_ktab_smp(&text, &file)?;
            let scales = vec![(0.0, 100.0); s.dimensions.len()];
            (s, SmpConfig::default(), scales)
        }
    };
    if let Some(n) = args.max_turns {
        config.stop.max_turns = n;
    }
    if let Some(seed) = args.stochastic_seed {
        config.transition = Transition::Stochastic { seed };
    }
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
                    let (lo, hi) = scales[k];
                    let x = lo + (hi - lo) * history.position(t, a, k);
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
