//! `entente landscape`: Axelrod and Bennett's landscape model of alignment.

use std::path::PathBuf;

use anyhow::Context;
use entente_core::alignment::{
    coalitions, symmetrise, ExactConfig, HeuristicConfig, Landscape, Method, Minimum, Model,
    StopReason,
};
use entente_data::landscape::{match_propensity, parse_actor_sizes, parse_propensity};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Enumerate every configuration (small n).
    Exact,
    /// Seeded restarts of a local search (any n).
    Heuristic,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchMethod {
    /// Breakout local search.
    Bls,
    /// Simulated annealing.
    Annealing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Actors and sizes: a CSV file with columns `actor,size`.
    #[arg(long)]
    pub actors: PathBuf,
    /// Propensities: a square CSV matrix, actor names on the first row and in the first
    /// column, blank diagonal (a non-symmetric matrix is averaged with its transpose).
    #[arg(long)]
    pub propensity: PathBuf,
    /// Number of coalitions (2 or more).
    #[arg(long, default_value_t = 2)]
    pub coalitions: usize,
    /// Allow neutrality at this cost per unit of size (neutrals interact at half weight).
    #[arg(long)]
    pub neutral_cost: Option<f64>,
    #[arg(long, value_enum, default_value_t = Mode::Exact)]
    pub mode: Mode,
    /// Heuristic mode: seconds before the search stops.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// Heuristic mode: random seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Heuristic mode: independent restarts.
    #[arg(long, default_value_t = 16)]
    pub restarts: usize,
    /// Heuristic mode: moves per restart.
    #[arg(long, default_value_t = 200_000)]
    pub moves: u64,
    /// Heuristic mode: search method.
    #[arg(long, value_enum, default_value_t = SearchMethod::Bls)]
    pub method: SearchMethod,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn read(path: &std::path::Path) -> anyhow::Result<(String, String)> {
    let text = entente_data::error::read_text(path)?;
    Ok((text, path.display().to_string()))
}

/// Names of each coalition (sorted), coalitions in canonical order, and the neutrals.
fn named(model: &Model, names: &[String], m: &Minimum) -> (Vec<Vec<String>>, Vec<String>) {
    let (groups, neutral) = coalitions(model, &m.states);
    let sorted = |ix: &[usize]| {
        let mut v: Vec<String> = ix.iter().map(|&i| names[i].clone()).collect();
        v.sort();
        v
    };
    (groups.iter().map(|g| sorted(g)).collect(), sorted(&neutral))
}

fn minimum_json(model: &Model, names: &[String], m: &Minimum) -> Value {
    let (groups, neutral) = named(model, names, m);
    let mut v = json!({"energy": m.energy, "coalitions": groups});
    if model.neutral_cost.is_some() {
        v["neutral"] = json!(neutral);
    }
    if let Some(b) = m.basin {
        v["basin"] = json!(b);
    }
    v
}

fn describe(model: &Model, names: &[String], m: &Minimum) -> String {
    let (groups, neutral) = named(model, names, m);
    let mut parts: Vec<String> = groups
        .iter()
        .map(|g| format!("{{{}}}", g.join(", ")))
        .collect();
    if !neutral.is_empty() {
        parts.push(format!("neutral {{{}}}", neutral.join(", ")));
    }
    parts.join(" vs ")
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (atext, afile) = read(&args.actors)?;
    let (ptext, pfile) = read(&args.propensity)?;
    let actors = parse_actor_sizes(&atext, &afile)?;
    let matrix = parse_propensity(&ptext, &pfile)?;
    let mut p = match_propensity(&actors, &afile, &matrix, &pfile)?;
    let names: Vec<String> = actors.iter().map(|a| a.name.clone()).collect();
    let asym = symmetrise(&mut p);
    if !asym.is_empty() {
        let shown: Vec<String> = asym
            .iter()
            .take(5)
            .map(|&(i, j)| format!("{}/{}", names[i], names[j]))
            .collect();
        eprintln!(
            "warning: {pfile}: the matrix is not symmetric; averaged {} pair(s) with their transpose ({}{})",
            asym.len(),
            shown.join(", "),
            if asym.len() > 5 { ", ..." } else { "" }
        );
    }
    let sizes: Vec<f64> = actors.iter().map(|a| a.size).collect();
    let land = Landscape::new(sizes, &p).context("building the landscape")?;
    let model = Model {
        coalitions: args.coalitions,
        neutral_cost: args.neutral_cost,
    };
    // Before anything asks the model its size limits.
    model.validate().context("--coalitions / --neutral-cost")?;
    let mut out = json!({});
    let global = match args.mode {
        Mode::Exact => {
            let mut cfg = ExactConfig {
                model,
                ..ExactConfig::default()
            };
            if land.len() > cfg.max_basin_actors() {
                cfg.basins = false;
                if land.len() <= cfg.max_actors() {
                    eprintln!(
                        "note: basins of attraction are computed up to {} actors; listing minima without them",
                        cfg.max_basin_actors()
                    );
                }
            }
            let r = land.exact(&cfg)?;
            out["mode"] = json!("exact");
            out["configurations"] = json!(r.configurations);
            out["local_minima_total"] = json!(r.local_minima_total);
            out["local_minima"] = Value::Array(
                r.local_minima
                    .iter()
                    .map(|m| minimum_json(&model, &names, m))
                    .collect(),
            );
            r.global_minimum
        }
        Mode::Heuristic => {
            let limit = super::time_limit(args.time_limit)?;
            super::search_budget(args.restarts, Some(args.moves))?;
            let cfg = HeuristicConfig {
                model,
                method: match args.method {
                    SearchMethod::Bls => Method::BreakoutLocalSearch,
                    SearchMethod::Annealing => Method::SimulatedAnnealing,
                },
                seed: args.seed,
                restarts: args.restarts,
                moves_per_restart: args.moves,
                time_limit: Some(limit),
                target: None,
            };
            let r = land
                .heuristic(&cfg)
                .map_err(|e| super::search_error(e, args.time_limit))?;
            out["mode"] = json!("heuristic");
            out["local_minima"] = json!([]);
            out["heuristic"] = json!({
                "restarts": r.restarts_run,
                "restarts_reaching_best": r.restarts_reaching_best,
                "moves": r.moves,
                "stopped_by": match r.stop {
                    StopReason::Budget => "budget",
                    StopReason::TimeLimit => "time-limit",
                    StopReason::Target => "target",
                },
                "seconds": r.elapsed.as_secs_f64(),
            });
            r.best
        }
    };
    let report = land.actor_report(&model, &global.states)?;
    out["global_minimum"] = minimum_json(&model, &names, &global);
    out["frustration"] = Value::Object(
        names
            .iter()
            .zip(&report)
            .map(|(n, r)| (n.clone(), json!(r.frustration)))
            .collect(),
    );
    out["stand_alone"] = json!(names
        .iter()
        .zip(&report)
        .filter(|(_, r)| r.prefers_alone())
        .map(|(n, _)| n.clone())
        .collect::<Vec<_>>());
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&out)?),
        Format::Table => {
            println!("global minimum: E = {}", global.energy);
            println!("  {}", describe(&model, &names, &global));
            if let Some(h) = out.get("heuristic") {
                println!(
                    "  heuristic: {} restarts, {} reached this energy, stopped by {}",
                    h["restarts"], h["restarts_reaching_best"], h["stopped_by"]
                );
            }
            if args.mode == Mode::Exact {
                println!("local minima: {}", out["local_minima_total"]);
                println!("  {:>14}  {:>7}  alignment", "energy", "basin");
                for m in out["local_minima"].as_array().into_iter().flatten() {
                    let basin = m["basin"]
                        .as_f64()
                        .map_or("-".to_string(), |b| format!("{:.1}%", 100.0 * b));
                    let groups: Vec<String> = m["coalitions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|g| {
                            let v: Vec<&str> = g
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(Value::as_str)
                                .collect();
                            format!("{{{}}}", v.join(", "))
                        })
                        .collect();
                    println!(
                        "  {:>14}  {:>7}  {}",
                        m["energy"].as_f64().unwrap_or(f64::NAN),
                        basin,
                        groups.join(" vs ")
                    );
                }
            }
            println!(
                "  {:<20} {:>14} {:>14}  would stand alone",
                "actor", "frustration", "alone change"
            );
            for (n, r) in names.iter().zip(&report) {
                println!(
                    "  {:<20} {:>14} {:>14}  {}",
                    n,
                    r.frustration,
                    r.alone_change,
                    if r.prefers_alone() { "yes" } else { "" }
                );
            }
        }
    }
    Ok(())
}
