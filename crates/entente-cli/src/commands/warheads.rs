//! `entente warheads`: the nuclear stockpile model on the FAS estimates.
//!
//! - `fit --fit-until 2023`: its coefficients, each state's own growth and sd.
//! - `backtest --fit-until 2015 --until 2023`: each nuclear state's stockpile
//!   forecast for every held-out year, scored with CRPS against persistence.
//!
//! The states are the nuclear ones among the scenario's actors, and threat is
//! measured over those actors, as the flagship chain measures it.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use entente_core::hazard::fit::{fit, FitConfig as HazardFit};
use entente_core::threat::ThreatConfig;
use entente_core::warheads::backtest::{backtest, Backtest, BacktestConfig};
use entente_core::warheads::{self, FitConfig, Model};
use serde_json::{json, Value};

use super::run::load_scenario;
use super::world::{Data, DataArgs};
use crate::output::{Cell, Format, Rows};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: WarheadsCommand,
}

#[derive(clap::Subcommand)]
pub enum WarheadsCommand {
    /// Fit the stockpile model up to a year: coefficients and each state's terms.
    Fit(FitArgs),
    /// Fit up to a year, forecast every later year, score against persistence.
    Backtest(BacktestArgs),
}

#[derive(clap::Args)]
pub struct FitArgs {
    /// Scenario whose actors are the panel (default: the bundled flagship).
    pub scenario: Option<PathBuf>,
    /// Last year of the fit [default: the last year of FAS data].
    #[arg(long)]
    pub fit_until: Option<i32>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(clap::Args)]
pub struct BacktestArgs {
    /// Scenario whose actors are the panel (default: the bundled flagship).
    pub scenario: Option<PathBuf>,
    /// Last year of the fit.
    #[arg(long)]
    pub fit_until: i32,
    /// Last held-out year [default: the last year of FAS data].
    #[arg(long)]
    pub until: Option<i32>,
    /// Forecast draws per state.
    #[arg(long, default_value_t = 1000)]
    pub draws: usize,
    #[arg(long, default_value_t = 20240710)]
    pub seed: u64,
    /// Print every held-out state-year, not only the scores.
    #[arg(long)]
    pub rows: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        WarheadsCommand::Fit(a) => run_fit(a),
        WarheadsCommand::Backtest(a) => run_backtest(a),
    }
}

/// The last year of the warhead data (FAS's estimates, with OWID's 2025
/// release) that the world also covers.
fn fas_last(data: &Data) -> anyhow::Result<i32> {
    let last = data
        .archive
        .sources()
        .warheads
        .iter()
        .map(|r| r.year)
        .max()
        .context("the warhead data are empty")?;
    Ok(last.min(data.archive.coverage().last_year))
}

/// The threat measure of a fit to `until`: the dispute hazard refit on the
/// disputes up to then (or the dispute data's end).
fn threat_config(data: &Data, until: i32) -> anyhow::Result<ThreatConfig> {
    let h_until = data
        .archive
        .coverage()
        .disputes_last
        .map_or(until, |l| l.min(until));
    let f = fit(&data.archive, HazardFit::until(h_until))
        .with_context(|| format!("refitting the dispute hazard to {h_until}"))?;
    Ok(ThreatConfig::from_fit(&f))
}

fn actors(
    data: &Data,
    scenario: Option<&std::path::Path>,
) -> anyhow::Result<Vec<entente_core::ids::Ccode>> {
    let (sc, _) = load_scenario(scenario, data, &Default::default())?;
    Ok(sc.actors)
}

fn model_rows(m: &Model) -> Rows {
    let mut rows = Rows::new(vec!["term", "state", "estimate", "se", "n"]);
    for (k, name) in ["intercept", "size", "threat_elasticity"]
        .iter()
        .enumerate()
    {
        rows.push(vec![
            Cell::str(*name),
            Cell::str(""),
            Cell::Num(Some(m.coef[k])),
            Cell::Num(Some(m.cov[k][k].max(0.0).sqrt())),
            Cell::Int(m.observations as i64),
        ]);
    }
    for (i, s) in m.names.iter().enumerate() {
        rows.push(vec![
            Cell::str("own_growth"),
            Cell::str(s),
            Cell::Num(Some(m.effect[i])),
            Cell::Num(Some(m.effect_var[i].max(0.0).sqrt())),
            Cell::Int(m.n[i] as i64),
        ]);
        rows.push(vec![
            Cell::str("residual_sd"),
            Cell::str(s),
            Cell::Num(Some(m.sd[i])),
            Cell::Num(None),
            Cell::Int(m.n[i] as i64),
        ]);
    }
    rows
}

fn model_json(m: &Model) -> Value {
    json!({
        "first_year": m.first_year,
        "until": m.until,
        "observations": m.observations,
        "intercept": {"estimate": m.coef[0], "se": m.cov[0][0].sqrt()},
        "size": {"estimate": m.coef[1], "se": m.cov[1][1].sqrt()},
        "threat_elasticity": {"estimate": m.coef[2], "se": m.cov[2][2].sqrt()},
        "common_size_warheads": m.common_size(),
        "sigma": m.sigma,
        "tau": m.tau,
        "states": m.names.iter().enumerate().map(|(i, s)| json!({
            "state": s, "changes": m.n[i], "own_growth": m.effect[i],
            "own_growth_se": m.effect_var[i].sqrt(), "residual_sd": m.sd[i],
        })).collect::<Vec<_>>(),
    })
}

fn describe(m: &Model) -> String {
    format!(
        "fit {}-{}: {} annual changes of {} states; pooled sd {:.3}, states' own growth sd {:.3}; common size {}",
        m.first_year,
        m.until,
        m.observations,
        m.names.len(),
        m.sigma,
        m.tau,
        m.common_size()
            .map_or_else(|| "none (size term >= 0)".to_string(), |s| format!("{s:.0} warheads"))
    )
}

fn run_fit(args: FitArgs) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let until = match args.fit_until {
        Some(y) => y,
        None => fas_last(&data)?,
    };
    let actors = actors(&data, args.scenario.as_deref())?;
    let cfg = threat_config(&data, until)?;
    let (_, h) = warheads::history(&data.archive, &actors, until, &cfg)?;
    let m = warheads::fit_panel(
        &h,
        &FitConfig {
            until,
            ..FitConfig::default()
        },
    )?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &model_json(&m))?;
            writeln!(out)?;
            Ok(())
        }
        Format::Csv => model_rows(&m).write(Format::Csv, &mut out),
        Format::Table => {
            writeln!(out, "{}", describe(&m))?;
            model_rows(&m).write(Format::Table, &mut out)
        }
    }
}

fn score_rows(b: &Backtest) -> Rows {
    let mut rows = Rows::new(vec![
        "state",
        "rows",
        "crps_log",
        "persistence_crps_log",
        "skill",
        "crps_warheads",
        "persistence_crps_warheads",
        "coverage90",
    ]);
    let mut names: Vec<&str> = b.rows.iter().map(|r| r.state.as_str()).collect();
    names.dedup();
    let mut push = |name: &str, rs: Vec<&entente_core::warheads::backtest::Row>| {
        let n = rs.len() as f64;
        let mean = |f: &dyn Fn(&entente_core::warheads::backtest::Row) -> f64| {
            rs.iter().map(|r| f(r)).sum::<f64>() / n
        };
        let (m, p) = (mean(&|r| r.crps_log), mean(&|r| r.persistence_crps_log));
        rows.push(vec![
            Cell::str(name),
            Cell::Int(rs.len() as i64),
            Cell::Num(Some(m)),
            Cell::Num(Some(p)),
            Cell::Num((p > 0.0).then(|| 1.0 - m / p)),
            Cell::Num(Some(mean(&|r| r.crps))),
            Cell::Num(Some(mean(&|r| r.persistence_crps))),
            Cell::Num(Some(mean(&|r| {
                f64::from(u8::from(r.realised >= r.lo && r.realised <= r.hi))
            }))),
        ]);
    };
    for name in &names {
        push(name, b.state(name));
    }
    push("all", b.rows.iter().collect());
    rows
}

fn detail_rows(b: &Backtest) -> Rows {
    let mut rows = Rows::new(vec![
        "state",
        "year",
        "origin",
        "realised",
        "median",
        "lo90",
        "hi90",
        "crps_log",
        "persistence_crps_log",
    ]);
    for r in &b.rows {
        rows.push(vec![
            Cell::str(&r.state),
            Cell::Int(i64::from(r.year)),
            Cell::Num(Some(r.origin)),
            Cell::Num(Some(r.realised)),
            Cell::Num(Some(r.median)),
            Cell::Num(Some(r.lo)),
            Cell::Num(Some(r.hi)),
            Cell::Num(Some(r.crps_log)),
            Cell::Num(Some(r.persistence_crps_log)),
        ]);
    }
    rows
}

fn run_backtest(args: BacktestArgs) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let last = fas_last(&data)?;
    let until = args.until.unwrap_or(last);
    anyhow::ensure!(
        until <= last,
        "--until {until}: FAS's own estimates end in {last}"
    );
    anyhow::ensure!(
        args.fit_until < until,
        "--fit-until {} must come before --until {until}",
        args.fit_until
    );
    let actors = actors(&data, args.scenario.as_deref())?;
    let cfg = threat_config(&data, args.fit_until)?;
    let b = backtest(
        &data.archive,
        &actors,
        &cfg,
        BacktestConfig {
            fit_until: args.fit_until,
            until,
            draws: args.draws,
            seed: args.seed,
        },
    )?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            let (m, p) = b.crps_log();
            let (mw, pw) = b.crps();
            let v = json!({
                "fit_until": args.fit_until,
                "until": until,
                "fit": model_json(&b.model),
                "rows": b.rows.len(),
                "crps_log": m, "persistence_crps_log": p, "skill": b.skill(),
                "crps_warheads": mw, "persistence_crps_warheads": pw,
                "coverage90": b.coverage90(),
                "states": b.rows.iter().map(|r| json!({
                    "state": r.state, "year": r.year, "origin": r.origin, "realised": r.realised,
                    "median": r.median, "lo90": r.lo, "hi90": r.hi,
                    "crps_log": r.crps_log, "persistence_crps_log": r.persistence_crps_log,
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
            Ok(())
        }
        Format::Csv if args.rows => detail_rows(&b).write(Format::Csv, &mut out),
        Format::Csv => score_rows(&b).write(Format::Csv, &mut out),
        Format::Table => {
            writeln!(out, "{}", describe(&b.model))?;
            writeln!(
                out,
                "held out {}-{}: {} state-years; skill {:.3} against persistence (CRPS in ln(1 + warheads)), {:.0}% inside the 90% intervals",
                args.fit_until + 1,
                until,
                b.rows.len(),
                b.skill(),
                100.0 * b.coverage90()
            )?;
            score_rows(&b).write(Format::Table, &mut out)?;
            if args.rows {
                writeln!(out)?;
                detail_rows(&b).write(Format::Table, &mut out)?;
            }
            Ok(())
        }
    }
}
