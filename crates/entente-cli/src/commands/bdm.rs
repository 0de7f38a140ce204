//! `entente bdm`: Bueno de Mesquita's expected-utility bargaining model on an actors file.

use anyhow::Context;
use entente_core::bargaining::{
    Capitulation, Config, Denominator, Model, OnCycle, Run, StopReason, StopRule,
};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Actors file with columns Actor,Capability,Position,Salience (salience in [0,1]).
    pub input: PathBuf,
    /// Largest number of rounds to play.
    #[arg(long, default_value_t = 10)]
    pub rounds: usize,
    /// Let capitulation fire (`0 < eu_ji < |eu_ij|`); by default, as in the Scholz code, it never does.
    #[arg(long)]
    pub capitulation: bool,
    /// Use the paper's per-pair probability denominator instead of the Scholz code's per-round one.
    #[arg(long)]
    pub per_pair_denominator: bool,
    /// Stop as soon as the positions repeat an earlier round's (a cycle).
    #[arg(long)]
    pub stop_on_cycle: bool,
    /// Write DIR/rounds.csv and DIR/actors.csv.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let text = entente_data::error::read_text(&args.input)?;
    let file_name = args.input.display().to_string();
    let input = entente_data::bdm::parse_actors(&text, &file_name)?;
    for warning in &input.warnings {
        eprintln!("warning: {warning}");
    }
    let config = Config {
        capitulation: if args.capitulation {
            Capitulation::Fixed
        } else {
            Capitulation::AsScholzCode
        },
        denominator: if args.per_pair_denominator {
            Denominator::PerPair
        } else {
            Denominator::PerRound
        },
        stop: StopRule {
            max_rounds: args.rounds,
            on_cycle: if args.stop_on_cycle {
                OnCycle::Stop
            } else {
                OnCycle::Continue
            },
        },
    };
    let model = Model::new(input.model_actors(), config).with_context(|| file_name.clone())?;
    let run = model.run();
    let names = input.names();

    println!(
        "{:>5}  {:>14}  {:>14}  {:>5}",
        "round", "median", "mean", "moves"
    );
    println!(
        "{:>5}  {:>14.6}  {:>14.6}  {:>5}",
        0, run.initial.median, run.initial.mean, 0
    );
    for r in &run.rounds {
        println!(
            "{:>5}  {:>14.6}  {:>14.6}  {:>5}",
            r.round,
            r.forecast.median,
            r.forecast.mean,
            r.n_moves()
        );
    }
    let played = run.rounds.len();
    match run.stop {
        StopReason::RoundLimit => {}
        StopReason::Cycle => println!("stopped after round {played}: the positions cycle"),
        StopReason::Converged { position } => println!(
            "stopped after round {played}: all actors hold position {position}, nothing is left to bargain over"
        ),
        StopReason::NoRiskSpread => println!(
            "stopped after round {played}: every actor is equally exposed, so risk exponents are undefined"
        ),
    }
    if let Some(c) = run.cycle {
        if c.period == 1 {
            println!(
                "stable: no actor moves after round {}; the forecast is the median {:.6} (mean {:.6})",
                c.start, c.median_mean, c.mean_mean
            );
        } else {
            println!(
                "cycle: the positions after round {} repeat those after round {} (period {}); \
                 over the cycle the median averages {:.6} (from {:.6} to {:.6}) and the mean {:.6}",
                c.start + c.period,
                c.start,
                c.period,
                c.median_mean,
                c.median_min,
                c.median_max,
                c.mean_mean
            );
        }
    }

    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        write_rounds(&dir.join("rounds.csv"), &run)?;
        write_actors(&dir.join("actors.csv"), &run, &names)?;
    }
    Ok(())
}

/// Shortest text that reads back as the same f64.
fn num(x: f64) -> String {
    format!("{x:?}")
}

fn write_rounds(path: &Path, run: &Run) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_path(path).with_context(|| format!("{}", path.display()))?;
    w.write_record(["round", "median", "mean", "min", "max", "moves"])?;
    let initial = std::iter::once((0, run.initial, 0));
    let rounds = run
        .rounds
        .iter()
        .map(|r| (r.round, r.forecast, r.n_moves()));
    for (round, f, moves) in initial.chain(rounds) {
        w.write_record([
            round.to_string(),
            num(f.median),
            num(f.mean),
            num(f.min),
            num(f.max),
            moves.to_string(),
        ])?;
    }
    w.flush().with_context(|| format!("{}", path.display()))?;
    Ok(())
}

fn write_actors(path: &Path, run: &Run, names: &[String]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_path(path).with_context(|| format!("{}", path.display()))?;
    w.write_record(["round", "actor", "position", "risk", "offer", "proposer"])?;
    for (name, &x) in names.iter().zip(&run.initial_positions) {
        w.write_record(["0", name, &num(x), "", "", ""])?;
    }
    for r in &run.rounds {
        for (i, name) in names.iter().enumerate() {
            let (offer, proposer) = match r.moves[i] {
                Some(m) => (m.kind.as_str(), names[m.proposer].as_str()),
                None => ("", ""),
            };
            w.write_record([
                &r.round.to_string(),
                name,
                &num(r.positions[i]),
                &num(r.risk[i]),
                offer,
                proposer,
            ])?;
        }
    }
    w.flush().with_context(|| format!("{}", path.display()))?;
    Ok(())
}
