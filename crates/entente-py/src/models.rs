//! The models on plain data: the package writes a DataFrame in the CSV form the CLI reads,
//! and these read it through the same located parsers (`entente_data::bdm`, `smp`, `ktab`,
//! `landscape`), so a bad cell is reported by row and column as `entente bdm` would.
//! Results come back as columns (dicts of lists) for pandas.

use std::time::Duration;

use entente_core::alignment::maxcut::{Graph, MaxCutConfig};
use entente_core::alignment::{
    coalitions, symmetrise, ExactConfig, HeuristicConfig, Landscape, Method, Minimum, Model,
    StopReason,
};
use entente_core::bargaining::{
    Capitulation, Config, Denominator, Model as Bdm, OnCycle, StopReason as BdmStop, StopRule,
};
use entente_core::smp::{run_with as smp_run, SmpConfig, Transition};
use pyo3::prelude::*;
use serde_json::{json, Value};

use crate::errors::{Failure, IntoPyResult};

/// Rounds, actors and why the run stopped, as JSON text (columns of lists).
#[pyfunction]
#[pyo3(signature = (text, name, rounds=10, capitulation=false, per_pair_denominator=false, stop_on_cycle=false))]
pub fn bdm(
    py: Python<'_>,
    text: &str,
    name: &str,
    rounds: usize,
    capitulation: bool,
    per_pair_denominator: bool,
    stop_on_cycle: bool,
) -> PyResult<String> {
    let run = || -> Result<String, Failure> {
        let input = entente_data::bdm::parse_actors(text, name)?;
        let config = Config {
            capitulation: if capitulation {
                Capitulation::Fixed
            } else {
                Capitulation::AsScholzCode
            },
            denominator: if per_pair_denominator {
                Denominator::PerPair
            } else {
                Denominator::PerRound
            },
            stop: StopRule {
                max_rounds: rounds,
                on_cycle: if stop_on_cycle {
                    OnCycle::Stop
                } else {
                    OnCycle::Continue
                },
            },
        };
        let model = Bdm::new(input.model_actors(), config)
            .map_err(|e| Failure::input(format!("{name}: {e}")))?;
        let run = model.run();
        let names = input.names();
        let mut r =
            json!({"round": [], "median": [], "mean": [], "min": [], "max": [], "moves": []});
        let initial = std::iter::once((0, run.initial, 0));
        let played = run
            .rounds
            .iter()
            .map(|x| (x.round, x.forecast, x.n_moves()));
        for (round, f, moves) in initial.chain(played) {
            for (k, v) in [
                ("round", json!(round)),
                ("median", json!(f.median)),
                ("mean", json!(f.mean)),
                ("min", json!(f.min)),
                ("max", json!(f.max)),
                ("moves", json!(moves)),
            ] {
                push(&mut r[k], v);
            }
        }
        let mut a = json!({"round": [], "actor": [], "position": [], "risk": [], "offer": [], "proposer": []});
        for (n, &x) in names.iter().zip(&run.initial_positions) {
            for (k, v) in [
                ("round", json!(0)),
                ("actor", json!(n)),
                ("position", json!(x)),
                ("risk", Value::Null),
                ("offer", Value::Null),
                ("proposer", Value::Null),
            ] {
                push(&mut a[k], v);
            }
        }
        for round in &run.rounds {
            for (i, n) in names.iter().enumerate() {
                let (offer, proposer) = match round.moves[i] {
                    Some(m) => (json!(m.kind.as_str()), json!(names[m.proposer])),
                    None => (Value::Null, Value::Null),
                };
                for (k, v) in [
                    ("round", json!(round.round)),
                    ("actor", json!(n)),
                    ("position", num(round.positions[i])),
                    ("risk", num(round.risk[i])),
                    ("offer", offer),
                    ("proposer", proposer),
                ] {
                    push(&mut a[k], v);
                }
            }
        }
        let stop = match run.stop {
            BdmStop::RoundLimit => "round_limit",
            BdmStop::Cycle => "cycle",
            BdmStop::Converged { .. } => "converged",
            BdmStop::NoRiskSpread => "no_risk_spread",
        };
        let out = json!({"rounds": r, "actors": a, "stop": stop, "warnings": input.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>()});
        Ok(out.to_string())
    };
    py.detach(run).py(py)
}

fn push(column: &mut Value, v: Value) {
    if let Some(list) = column.as_array_mut() {
        list.push(v);
    }
}

/// A number, or null when it is not finite (NA in pandas).
fn num(v: f64) -> Value {
    if v.is_finite() {
        json!(v)
    } else {
        Value::Null
    }
}

/// KTAB's spatial model: `form` is `toml` (Entente's form) or `csv` (KTAB's). Positions on
/// the file's scales (KTAB's 0-100 for the CSV form) and each turn's probabilities.
#[pyfunction]
#[pyo3(signature = (text, name, form, max_turns=None, seed=None))]
pub fn smp(
    py: Python<'_>,
    text: &str,
    name: &str,
    form: &str,
    max_turns: Option<usize>,
    seed: Option<u64>,
) -> PyResult<String> {
    let run = || -> Result<String, Failure> {
        let (scenario, mut config, scales, warnings) = match form {
            "toml" => {
                let f = entente_data::smp::parse_smp_toml(text, name)?;
                let w = f
                    .warnings
                    .iter()
                    .map(|w| format!("{name}:{}:{}: {}", w.line, w.column, w.message))
                    .collect::<Vec<_>>();
                (f.scenario, f.config, f.scales, w)
            }
            "csv" => {
                let s = entente_data::ktab::parse_ktab_smp(text, name)?;
                let scales = vec![(0.0, 100.0); s.dimensions.len()];
                (s, SmpConfig::default(), scales, Vec::new())
            }
            other => return Err(Failure::input(format!("unknown smp form `{other}`"))),
        };
        if let Some(n) = max_turns {
            config.stop.max_turns = n;
        }
        if let Some(seed) = seed {
            config.transition = Transition::Stochastic { seed };
        }
        let history = smp_run(&scenario, &config, |_| {})
            .map_err(|e| Failure::input(format!("{name}: {e}")))?;
        let mut pos = json!({"turn": [], "actor": [], "dimension": [], "position": []});
        let mut prob = json!({"turn": [], "actor": [], "probability": []});
        for t in 0..=history.turns() {
            for (a, actor) in scenario.actors.iter().enumerate() {
                for (k, dim) in scenario.dimensions.iter().enumerate() {
                    let (lo, hi) = scales[k];
                    let x = lo + (hi - lo) * history.position(t, a, k);
                    for (c, v) in [
                        ("turn", json!(t)),
                        ("actor", json!(actor.name)),
                        ("dimension", json!(dim)),
                        ("position", num(x)),
                    ] {
                        push(&mut pos[c], v);
                    }
                }
                for (c, v) in [
                    ("turn", json!(t)),
                    ("actor", json!(actor.name)),
                    ("probability", num(history.probabilities[t][a])),
                ] {
                    push(&mut prob[c], v);
                }
            }
        }
        Ok(json!({
            "name": scenario.name,
            "turns": history.turns(),
            "positions": pos,
            "probabilities": prob,
            "warnings": warnings,
        })
        .to_string())
    };
    py.detach(run).py(py)
}

fn minimum_json(model: &Model, names: &[String], m: &Minimum) -> Value {
    let (groups, neutral) = coalitions(model, &m.states);
    let sorted = |ix: &[usize]| {
        let mut v: Vec<String> = ix.iter().map(|&i| names[i].clone()).collect();
        v.sort();
        v
    };
    let groups: Vec<Vec<String>> = groups.iter().map(|g| sorted(g)).collect();
    json!({"energy": m.energy, "coalitions": groups, "neutral": sorted(&neutral), "basin": m.basin})
}

/// A seconds budget as the CLI checks it.
fn time_limit(secs: f64) -> Result<Duration, Failure> {
    if !(secs.is_finite() && secs > 0.0 && secs <= 7.0 * 86_400.0) {
        return Err(Failure::input(format!(
            "time_limit must be a positive number of seconds up to a week, got {secs}"
        )));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Axelrod-Bennett landscape on an `actor,size` CSV and a square propensity CSV; the
/// result as JSON text (the shape of `entente landscape --format json`).
#[pyfunction]
#[pyo3(signature = (actors, propensity, coalitions=2, neutral_cost=None, mode="exact", time_limit_s=10.0, seed=0, restarts=16, moves=200_000, method="bls"))]
#[allow(clippy::too_many_arguments)]
pub fn landscape(
    py: Python<'_>,
    actors: &str,
    propensity: &str,
    coalitions: usize,
    neutral_cost: Option<f64>,
    mode: &str,
    time_limit_s: f64,
    seed: u64,
    restarts: usize,
    moves: u64,
    method: &str,
) -> PyResult<String> {
    let run = || -> Result<String, Failure> {
        let (afile, pfile) = ("<sizes>", "<propensity>");
        let list = entente_data::landscape::parse_actor_sizes(actors, afile)?;
        let matrix = entente_data::landscape::parse_propensity(propensity, pfile)?;
        let mut p = entente_data::landscape::match_propensity(&list, afile, &matrix, pfile)?;
        let names: Vec<String> = list.iter().map(|a| a.name.clone()).collect();
        let asymmetric = symmetrise(&mut p).len();
        let sizes: Vec<f64> = list.iter().map(|a| a.size).collect();
        let land = Landscape::new(sizes, &p).map_err(|e| Failure::input(e.to_string()))?;
        let model = Model {
            coalitions,
            neutral_cost,
        };
        model
            .validate()
            .map_err(|e| Failure::input(format!("coalitions / neutral_cost: {e}")))?;
        let bad = |e: entente_core::alignment::AlignmentError| Failure::input(e.to_string());
        let mut out = json!({"asymmetric_pairs_averaged": asymmetric});
        let global = match mode {
            "exact" => {
                let mut cfg = ExactConfig {
                    model,
                    ..ExactConfig::default()
                };
                if land.len() > cfg.max_basin_actors() {
                    cfg.basins = false;
                }
                let r = land.exact(&cfg).map_err(bad)?;
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
            "heuristic" => {
                let cfg = HeuristicConfig {
                    model,
                    method: match method {
                        "bls" => Method::BreakoutLocalSearch,
                        "annealing" => Method::SimulatedAnnealing,
                        other => {
                            return Err(Failure::input(format!(
                                "method `{other}`: expected `bls` or `annealing`"
                            )))
                        }
                    },
                    seed,
                    restarts,
                    moves_per_restart: moves,
                    time_limit: Some(time_limit(time_limit_s)?),
                    target: None,
                };
                let r = land.heuristic(&cfg).map_err(bad)?;
                out["mode"] = json!("heuristic");
                out["local_minima"] = json!([]);
                out["heuristic"] = json!({
                    "restarts": r.restarts_run,
                    "restarts_reaching_best": r.restarts_reaching_best,
                    "moves": r.moves,
                    "stopped_by": stop_name(r.stop),
                    "seconds": r.elapsed.as_secs_f64(),
                });
                r.best
            }
            other => {
                return Err(Failure::input(format!(
                    "mode `{other}`: expected `exact` or `heuristic`"
                )))
            }
        };
        let report = land.actor_report(&model, &global.states).map_err(bad)?;
        out["global_minimum"] = minimum_json(&model, &names, &global);
        out["actors"] = json!({
            "actor": names,
            "frustration": report.iter().map(|r| r.frustration).collect::<Vec<_>>(),
            "alone_change": report.iter().map(|r| r.alone_change).collect::<Vec<_>>(),
            "prefers_alone": report.iter().map(|r| r.prefers_alone()).collect::<Vec<_>>(),
        });
        Ok(out.to_string())
    };
    py.detach(run).py(py)
}

fn stop_name(s: StopReason) -> &'static str {
    match s {
        StopReason::Budget => "budget",
        StopReason::TimeLimit => "time-limit",
        StopReason::Target => "target",
    }
}

/// Weighted max-cut of a graph on `n` vertices with 0-based `edges` (i, j, weight), by the
/// breakout local search of `entente maxcut`.
#[pyfunction]
#[pyo3(signature = (n, edges, time_limit_s=10.0, seed=0, restarts=2, moves=None, target=None))]
#[allow(clippy::too_many_arguments)]
pub fn maxcut(
    py: Python<'_>,
    n: usize,
    edges: Vec<(usize, usize, f64)>,
    time_limit_s: f64,
    seed: u64,
    restarts: usize,
    moves: Option<u64>,
    target: Option<f64>,
) -> PyResult<(f64, Vec<bool>, String, u64)> {
    let run = || -> Result<_, Failure> {
        let graph = Graph::new(n, edges).map_err(|e| Failure::input(format!("graph: {e}")))?;
        let cfg = MaxCutConfig {
            seed,
            restarts,
            moves_per_restart: moves.unwrap_or(u64::MAX),
            time_limit: Some(time_limit(time_limit_s)?),
            target_cut: target,
            ..MaxCutConfig::default()
        };
        let r = graph
            .max_cut(&cfg)
            .map_err(|e| Failure::input(format!("graph: {e}")))?;
        Ok((r.cut, r.side, stop_name(r.stop).to_string(), r.moves))
    };
    py.detach(run).py(py)
}
