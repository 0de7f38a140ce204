//! `entente arms`: arms dynamics.
//!
//! - `richardson FILE.csv --bloc A=c1,c2 --bloc B=c3,c4`: Richardson's two-bloc
//!   fit of the yearly change of the total on the two-year mean.
//! - `backtest --fit-until 2016 --until 2024`: the spending model
//!   (`spending_backtest`) or, with `--model richardson`, the multi-actor
//!   Richardson model (`richardson_backtest`), fitted on SIPRI spending
//!   (constant 2023 US$) up to a cut-off and scored on the years after it
//!   against persistence forecasts.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use entente_core::arms::two_bloc_fit;
use entente_core::ids::Ccode;
use entente_core::world::{Source, World};
use serde_json::{json, Map, Value};

mod richardson_backtest;
mod spending_backtest;

use crate::commands::world::DataArgs;
use crate::output::Format;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: ArmsCommand,
}

#[derive(clap::Subcommand)]
pub enum ArmsCommand {
    /// Richardson's two-bloc fit on a yearly CSV (a `year` column and numbers).
    Richardson(RichardsonArgs),
    /// Fit the spending model (or Richardson's) up to a year, forecast the
    /// rest, score it against persistence (CRPS, skill, interval coverage).
    Backtest(BacktestArgs),
}

#[derive(clap::Args)]
pub struct RichardsonArgs {
    /// CSV file with a `year` column and one column per actor's spending.
    pub file: PathBuf,
    /// A bloc and its columns, `NAME=col1,col2` (give exactly two).
    #[arg(long = "bloc", required = true)]
    pub blocs: Vec<String>,
    /// Output: json (default) or table.
    #[arg(long, value_enum, default_value_t = RichardsonFormat::Json)]
    pub format: RichardsonFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RichardsonFormat {
    Json,
    Table,
}

/// The flagship's Asia-Pacific set (the states scored): ASEAN members are
/// kept only where their series allows.
pub const DEFAULT_STATES: &[&str] = &[
    "USA", "CHN", "RUS", "JPN", "KOR", "AUS", "NZL", "TWN", "IND", "ASEAN",
];

/// Which model `arms backtest` scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BacktestModel {
    /// The spending model (docs/arms.md): log spending, pooled mean-reverting
    /// drifts, reactions as elasticities, calibrated noise.
    Spending,
    /// The multi-actor Richardson model in levels on a rivalry/contiguity network.
    Richardson,
}

#[derive(clap::Args)]
pub struct BacktestArgs {
    #[arg(long, value_enum, default_value_t = BacktestModel::Spending)]
    pub model: BacktestModel,
    /// Last year of the fit window (the forecast origin).
    #[arg(long, default_value_t = 2016)]
    pub fit_until: i32,
    /// Last forecast year [default: SIPRI's last year].
    #[arg(long)]
    pub until: Option<i32>,
    /// First year of the fit window [default: SIPRI's first year].
    #[arg(long)]
    pub fit_from: Option<i32>,
    /// States scored (ISO3, COW codes, names or groups), comma-separated
    /// [default: USA,CHN,RUS,JPN,KOR,AUS,NZL,TWN,IND,ASEAN]. Members of a group
    /// without a usable series are left out with a note; a state named on its
    /// own is an error. The spending model is fitted on the flagship's states
    /// (NATO, IP4, CHN, RUS, PRK, ASEAN, IND, TWN) and these.
    #[arg(long, value_delimiter = ',')]
    pub states: Vec<String>,
    /// Richardson only: a step in every state's drift from this year on.
    #[arg(long)]
    pub break_year: Option<i32>,
    /// Richardson only: threat weight of a strategic rivalry.
    #[arg(long, default_value_t = 1.0)]
    pub rivalry_weight: f64,
    /// Richardson only: threat weight of direct contiguity (land or sea up to 400 miles)
    /// between non-allies without a rivalry (0: rivalries only).
    #[arg(long, default_value_t = 0.5)]
    pub contiguity_weight: f64,
    /// Predictive samples per forecast.
    #[arg(long, default_value_t = 2000)]
    pub draws: usize,
    /// Seed of the ChaCha8 random stream.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        ArmsCommand::Richardson(a) => richardson(a),
        ArmsCommand::Backtest(a) => match a.model {
            BacktestModel::Spending => spending_backtest::run(a),
            BacktestModel::Richardson => richardson_backtest::run(a),
        },
    }
}

/// `NAME=col1,col2` into the name and its columns.
fn parse_bloc(spec: &str) -> anyhow::Result<(String, Vec<String>)> {
    let Some((name, cols)) = spec.split_once('=') else {
        bail!("--bloc `{spec}`: expected NAME=col1,col2");
    };
    let name = name.trim();
    let cols: Vec<String> = cols
        .split(',')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if name.is_empty() {
        bail!("--bloc `{spec}`: the bloc has no name (expected NAME=col1,col2)");
    }
    if cols.is_empty() {
        bail!("--bloc `{spec}`: the bloc has no columns (expected NAME=col1,col2)");
    }
    Ok((name.to_string(), cols))
}

fn richardson(args: RichardsonArgs) -> anyhow::Result<()> {
    let mut blocs = Vec::new();
    for b in &args.blocs {
        blocs.push(parse_bloc(b)?);
    }
    if blocs.len() != 2 {
        bail!(
            "--bloc: Richardson's fit takes exactly two blocs, got {}",
            blocs.len()
        );
    }
    if blocs[0].0 == blocs[1].0 {
        bail!("--bloc: two blocs are both named `{}`", blocs[0].0);
    }
    let mut seen = BTreeSet::new();
    for c in blocs.iter().flat_map(|b| &b.1) {
        if !seen.insert(c.as_str()) {
            bail!("--bloc: column `{c}` is given twice");
        }
    }
    let text = entente_data::error::read_text(&args.file)?;
    let file = args.file.display().to_string();
    let cols: Vec<&str> = blocs
        .iter()
        .flat_map(|b| b.1.iter().map(String::as_str))
        .collect();
    let series = entente_data::series::parse_year_series(&text, &file, &cols)?;
    let bloc_totals: Vec<Vec<f64>> = blocs
        .iter()
        .map(|(_, cs)| {
            (0..series.years.len())
                .map(|t| {
                    cs.iter()
                        .filter_map(|c| series.column(c))
                        .map(|v| v[t])
                        .sum()
                })
                .collect()
        })
        .collect();
    let totals: Vec<f64> = (0..series.years.len())
        .map(|t| bloc_totals.iter().map(|b| b[t]).sum())
        .collect();
    let fit = two_bloc_fit(&series.years, &totals).with_context(|| file.clone())?;
    let doubling = (fit.slope_per_year > 0.0).then(|| std::f64::consts::LN_2 / fit.slope_per_year);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        RichardsonFormat::Json => {
            let mut b = Map::new();
            for ((name, cs), t) in blocs.iter().zip(&bloc_totals) {
                b.insert(name.clone(), json!({"columns": cs, "totals": t}));
            }
            let intervals: Vec<Value> = fit
                .intervals
                .iter()
                .map(|i| {
                    json!({
                        "from_year": i.from_year,
                        "to_year": i.from_year + 1,
                        "delta_total": i.delta_total,
                        "mean_total": i.mean_total,
                        "fitted_delta": i.fitted_delta,
                        "residual": i.delta_total - i.fitted_delta,
                    })
                })
                .collect();
            let v = json!({
                "file": file,
                "years": series.years,
                "blocs": b,
                "totals": totals,
                "slope_per_year": fit.slope_per_year,
                "intercept": fit.intercept,
                "equilibrium_total": fit.equilibrium_total,
                "r": fit.r,
                "stable": fit.stable(),
                "doubling_time_years": doubling,
                "intervals": intervals,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        RichardsonFormat::Table => {
            let f = |v: Option<f64>| v.map_or("NA".to_string(), |v| format!("{v:.4}"));
            writeln!(out, "slope_per_year     {}", f(Some(fit.slope_per_year)))?;
            writeln!(out, "intercept          {}", f(Some(fit.intercept)))?;
            writeln!(out, "equilibrium_total  {}", f(fit.equilibrium_total))?;
            writeln!(out, "r                  {}", f(Some(fit.r)))?;
            writeln!(
                out,
                "stable             {} (the total moves {} the equilibrium)",
                fit.stable(),
                if fit.stable() { "towards" } else { "away from" }
            )?;
            writeln!(out, "doubling_time      {}", f(doubling))?;
        }
    }
    Ok(())
}

/// Why `c`'s constant-dollar series is unusable over `worlds`, if it is.
pub(super) fn series_problem(worlds: &[World], c: Ccode) -> Option<String> {
    let mut missing = Vec::new();
    let mut assumed = Vec::new();
    for w in worlds {
        let Some(s) = w.state(c) else {
            missing.push(w.year);
            continue;
        };
        let m = s.milex.const2023_usd_m;
        match (m.value, m.source) {
            (Some(_), Source::Sipri) => {}
            (Some(_), Source::Assumed) => assumed.push(w.year),
            _ => missing.push(w.year),
        }
    }
    if !assumed.is_empty() {
        Some(format!(
            "its spending is an assumption, not SIPRI data, in {}",
            span(&assumed)
        ))
    } else if !missing.is_empty() {
        Some(format!(
            "no SIPRI constant-2023-US$ spending in {}",
            span(&missing)
        ))
    } else {
        None
    }
}

/// Years as ranges: `2000-2002, 2019-2024`.
pub(super) fn span(ys: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ys.len() {
        let mut j = i;
        while j + 1 < ys.len() && ys[j + 1] == ys[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            ys[i].to_string()
        } else {
            format!("{}-{}", ys[i], ys[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

pub(super) fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}
