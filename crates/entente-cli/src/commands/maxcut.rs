//! `entente maxcut`: weighted max-cut on a rudy-format graph (e.g. the G-set), by the breakout
//! local search that powers `entente landscape --mode heuristic`.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use entente_core::alignment::maxcut::{Graph, MaxCutConfig};
use entente_core::alignment::StopReason;
use entente_data::graph::parse_rudy;

#[derive(clap::Args)]
pub struct Args {
    /// Graph in rudy format: `n m`, then `i j w` per edge (1-based).
    pub graph: PathBuf,
    /// Seconds before the search stops.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Independent searches run in parallel.
    #[arg(long, default_value_t = 2)]
    pub restarts: usize,
    /// Moves per search (default: until the time limit).
    #[arg(long)]
    pub moves: Option<u64>,
    /// Stop as soon as a cut of at least this value is found.
    #[arg(long)]
    pub target: Option<f64>,
    /// Write the partition here: one line `vertex side` (1-based vertex, side 0 or 1).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let limit = super::time_limit(args.time_limit)?;
    super::search_budget(args.restarts, args.moves)?;
    let file = args.graph.display().to_string();
    let text = entente_data::error::read_text(&args.graph)?;
    let g = parse_rudy(&text, &file)?;
    for warning in &g.warnings {
        eprintln!("warning: {warning}");
    }
    let graph = Graph::new(g.n, g.edges).with_context(|| file.clone())?;
    let cfg = MaxCutConfig {
        seed: args.seed,
        restarts: args.restarts,
        moves_per_restart: args.moves.unwrap_or(u64::MAX),
        time_limit: Some(limit),
        target_cut: args.target,
        ..MaxCutConfig::default()
    };
    let r = graph
        .max_cut(&cfg)
        .map_err(|e| super::search_error(e, args.time_limit))?;
    if let Some(path) = &args.out {
        let mut s = String::new();
        for (v, &side) in r.side.iter().enumerate() {
            let _ = writeln!(s, "{} {}", v + 1, u8::from(side));
        }
        std::fs::write(path, s).with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "graph {file}: {} vertices, {} edges",
        graph.vertices(),
        graph.edges().len()
    );
    println!(
        "searches {}, reaching the best {}, moves {}, stopped by {}",
        r.restarts_run,
        r.restarts_reaching_best,
        r.moves,
        match r.stop {
            StopReason::Budget => "move budget",
            StopReason::TimeLimit => "time limit",
            StopReason::Target => "target",
        }
    );
    println!(
        "time-to-best {:.3} s of {:.3} s",
        r.time_to_best.as_secs_f64(),
        r.elapsed.as_secs_f64()
    );
    println!("cut {}", r.cut);
    Ok(())
}
