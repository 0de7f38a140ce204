//! `entente arms`: arms dynamics (Richardson).
//!
//! - `richardson FILE.csv --bloc A=c1,c2 --bloc B=c3,c4`: Richardson's two-bloc
//!   fit of the yearly change of the total on the two-year mean.
//! - `backtest --fit-until 2016 --until 2024`: the multi-actor model fitted on
//!   SIPRI spending (constant 2023 US$) up to a cut-off and scored on the years
//!   after it against a persistence forecast.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use entente_core::arms::{
    backtest, two_bloc_fit, BacktestConfig, EstimationConfig, NetworkRule, SpendingPanel,
    ThreatNetwork,
};
use entente_core::ids::Ccode;
use entente_core::world::{Archive, Source, World};
use serde_json::{json, Map, Value};

use crate::commands::world::DataArgs;
use crate::output::{Cell, Format, Rows};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: ArmsCommand,
}

#[derive(clap::Subcommand)]
pub enum ArmsCommand {
    /// Richardson's two-bloc fit on a yearly CSV (a `year` column and numbers).
    Richardson(RichardsonArgs),
    /// Fit the multi-actor model up to a year, forecast the rest, score it
    /// against persistence (CRPS, MAE).
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

/// The flagship's Asia-Pacific set: ASEAN members are kept only where their
/// series is complete.
pub const DEFAULT_STATES: &[&str] = &[
    "USA", "CHN", "RUS", "JPN", "KOR", "AUS", "NZL", "TWN", "IND", "ASEAN",
];

#[derive(clap::Args)]
pub struct BacktestArgs {
    /// Last year of the fit window (the forecast origin).
    #[arg(long, default_value_t = 2016)]
    pub fit_until: i32,
    /// Last forecast year [default: SIPRI's last year].
    #[arg(long)]
    pub until: Option<i32>,
    /// First year of the fit window [default: SIPRI's first year].
    #[arg(long)]
    pub fit_from: Option<i32>,
    /// States (ISO3, COW codes, names or groups), comma-separated [default:
    /// USA,CHN,RUS,JPN,KOR,AUS,NZL,TWN,IND,ASEAN]. Members of a group whose
    /// series is incomplete or assumed are left out with a note; a state named
    /// on its own is an error.
    #[arg(long, value_delimiter = ',')]
    pub states: Vec<String>,
    /// A step in every state's drift from this year on.
    #[arg(long)]
    pub break_year: Option<i32>,
    /// Threat weight of a strategic rivalry.
    #[arg(long, default_value_t = 1.0)]
    pub rivalry_weight: f64,
    /// Threat weight of direct contiguity (land or sea up to 400 miles)
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
        ArmsCommand::Backtest(a) => run_backtest(a),
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
fn series_problem(worlds: &[World], c: Ccode) -> Option<String> {
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
fn span(ys: &[i32]) -> String {
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

fn run_backtest(args: BacktestArgs) -> anyhow::Result<()> {
    let archive: Archive = args.data.archive()?;
    let sipri_years = archive.sources().sipri.iter().map(|r| r.year);
    let (Some(first), Some(last)) = (sipri_years.clone().min(), sipri_years.max()) else {
        bail!("the SIPRI spending data are empty");
    };
    let until = args.until.unwrap_or(last);
    let fit_from = args.fit_from.unwrap_or(first);
    for (flag, y) in [
        ("--fit-from", fit_from),
        ("--fit-until", args.fit_until),
        ("--until", until),
    ] {
        if y < first || y > last {
            bail!("{flag} {y}: no spending data for that year (SIPRI covers {first}-{last})");
        }
    }
    if args.fit_until <= fit_from {
        bail!(
            "--fit-until {} must come after the first fitted year {fit_from}",
            args.fit_until
        );
    }
    if until <= args.fit_until {
        bail!(
            "--until {until} must come after --fit-until {}",
            args.fit_until
        );
    }
    if args.draws < 2 {
        bail!("--draws {}: at least 2 are needed", args.draws);
    }
    for (flag, v) in [
        ("--rivalry-weight", args.rivalry_weight),
        ("--contiguity-weight", args.contiguity_weight),
    ] {
        if !v.is_finite() || v < 0.0 {
            bail!("{flag} {v}: a weight must be a number >= 0");
        }
    }
    let worlds: Vec<World> = (fit_from..=until)
        .map(|y| World::for_year(&archive, y).with_context(|| format!("the world of {y}")))
        .collect::<anyhow::Result<_>>()?;
    let origin = &worlds[(args.fit_until - fit_from) as usize];

    // Resolve the states in the origin year; individually named states must
    // have complete series, group members without one are left out.
    let tokens: Vec<String> = if args.states.iter().all(|s| s.trim().is_empty()) {
        DEFAULT_STATES.iter().map(|s| s.to_string()).collect()
    } else {
        args.states.clone()
    };
    let mut states: Vec<Ccode> = Vec::new();
    let mut errors = Vec::new();
    let mut excluded = Vec::new();
    for t in tokens.iter().filter(|t| !t.trim().is_empty()) {
        let is_group = origin
            .groups
            .keys()
            .any(|g| g.eq_ignore_ascii_case(t.trim()));
        match origin.resolve(t, &archive) {
            Ok(cs) => {
                for c in cs {
                    if states.contains(&c) {
                        continue;
                    }
                    match series_problem(&worlds, c) {
                        None => states.push(c),
                        Some(why) if is_group => {
                            excluded.push((origin.label(c), why));
                        }
                        Some(why) => errors.push(format!("{t}: {why}")),
                    }
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        bail!("--states: {}", errors.join("; "));
    }
    for (s, why) in &excluded {
        eprintln!("note: {s} left out: {why}");
    }
    if states.is_empty() {
        bail!("--states: no state with a complete spending series");
    }
    let names: Vec<String> = states.iter().map(|&c| origin.label(c)).collect();
    let levels: Vec<Vec<f64>> = states
        .iter()
        .map(|&c| {
            worlds
                .iter()
                .map(|w| {
                    w.state(c)
                        .and_then(|s| s.milex.const2023_usd_m.value)
                        .unwrap_or(f64::NAN)
                })
                .collect()
        })
        .collect();
    let panel = SpendingPanel::new(names.clone(), fit_from, levels)?;
    let rule = NetworkRule {
        rivalry: args.rivalry_weight,
        contiguity: args.contiguity_weight,
        allies_exempt: true,
    };
    let network = ThreatNetwork::from_world(origin, &states, &rule);
    let cfg = BacktestConfig {
        estimation: EstimationConfig {
            fit_from: Some(fit_from),
            fit_until: args.fit_until,
            break_year: args.break_year,
        },
        until,
        draws: args.draws,
        seed: args.seed,
    };
    let bt = backtest(&panel, &network, &cfg)?;
    let spectral_radius = bt.fit.model.spectral_radius().ok();
    let equilibrium = bt.fit.model.equilibrium().ok();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.format == Format::Json {
        let mut st = Map::new();
        for (i, (n, s)) in names.iter().zip(&bt.states).enumerate() {
            let f = &bt.fit.states[i];
            let rivals: Vec<&String> = (0..names.len())
                .filter(|&j| network.weight(i, j) > 0.0)
                .map(|j| &names[j])
                .collect();
            st.insert(
                n.clone(),
                json!({
                    "mae": s.mae,
                    "mae_persistence": s.mae_persistence,
                    "crps": s.crps,
                    "crps_persistence": s.crps_persistence,
                    "skill": finite(s.skill),
                    "r_squared": f.r_squared,
                    "residual_sd": f.residual_sd,
                    "own": f.own,
                    "reactivity": f.reactivity,
                    "reactivity_restricted": f.reactivity_restricted,
                    "drift": f.drift,
                    "break_shift": f.break_shift,
                    "rivals": rivals,
                    "equilibrium": equilibrium.as_ref().map(|e| e[i]),
                }),
            );
        }
        let o = &bt.overall;
        let v = json!({
            "unit": "constant 2023 US$ million (SIPRI)",
            "fit_from": fit_from,
            "fit_until": args.fit_until,
            "until": until,
            "draws": args.draws,
            "seed": args.seed,
            "states": st,
            "overall": {
                "mae": o.mae,
                "mae_persistence": o.mae_persistence,
                "crps": o.crps,
                "crps_persistence": o.crps_persistence,
                "skill": finite(o.skill),
                "mean_state_skill": finite(bt.mean_state_skill),
                "states_with_skill": bt.states_with_skill,
            },
            "model": {
                "spectral_radius": spectral_radius,
                "stable": spectral_radius.map(|r| r < 1.0),
            },
            "excluded": excluded.iter().map(|(s, why)| json!({"state": s, "reason": why})).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut rows = Rows::new(vec![
        "state",
        "mae",
        "mae_persistence",
        "crps",
        "crps_persistence",
        "skill",
        "r_squared",
        "own",
        "reactivity",
    ]);
    for (i, (n, s)) in names.iter().zip(&bt.states).enumerate() {
        let f = &bt.fit.states[i];
        rows.push(vec![
            Cell::str(n),
            Cell::Num(Some(s.mae)),
            Cell::Num(Some(s.mae_persistence)),
            Cell::Num(Some(s.crps)),
            Cell::Num(Some(s.crps_persistence)),
            Cell::Num(finite(s.skill)),
            Cell::Num(f.r_squared),
            Cell::Num(Some(f.own)),
            Cell::Num(Some(f.reactivity)),
        ]);
    }
    let o = &bt.overall;
    rows.push(vec![
        Cell::str("overall"),
        Cell::Num(Some(o.mae)),
        Cell::Num(Some(o.mae_persistence)),
        Cell::Num(Some(o.crps)),
        Cell::Num(Some(o.crps_persistence)),
        Cell::Num(finite(o.skill)),
        Cell::Num(None),
        Cell::Num(None),
        Cell::Num(None),
    ]);
    rows.write(args.format, &mut out)?;
    if args.format == Format::Table {
        writeln!(
            out,
            "\nconstant 2023 US$ million; fit {fit_from}-{}, forecast {}-{until}, {} draws, seed {}",
            args.fit_until,
            args.fit_until + 1,
            args.draws,
            args.seed
        )?;
        writeln!(
            out,
            "skill = 1 - CRPS/CRPS_persistence; {} of {} states beat persistence; mean state skill {:.3}",
            bt.states_with_skill,
            names.len(),
            bt.mean_state_skill
        )?;
        match spectral_radius {
            Some(r) => writeln!(
                out,
                "fitted system: spectral radius of I + A {r:.4} ({})",
                if r < 1.0 { "stable" } else { "unstable" }
            )?,
            None => writeln!(out, "fitted system: spectral radius not computable")?,
        }
    }
    Ok(())
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}
