//! `entente calibrate`: the spending model fitted on the data up to a year,
//! and each of its parameters' calibrated distribution (docs/calibration.md).
//!
//! The fit reads nothing after `--until`: a hindcast from year Y calibrates
//! with `--until Y`.

use std::io::Write;

use anyhow::{bail, Context};
use entente_core::ids::Ccode;
use entente_core::spending::{self, FitConfig, Model, Panel};
use entente_core::threat::ThreatConfig;
use entente_core::world::{Archive, World};
use serde_json::{json, Value};

use super::threat::{default_actors, fitted_hazard};
use super::world::{select, Data, DataArgs};
use crate::output::{Cell, Format, Rows};

#[derive(clap::Args)]
pub struct Args {
    /// Last year the fit may see [default: SIPRI's last year].
    #[arg(long)]
    pub until: Option<i32>,
    /// First year of the fit [default: SIPRI's first year].
    #[arg(long)]
    pub from: Option<i32>,
    /// States fitted (ISO3, COW codes, names or groups, by membership in
    /// `--until`), comma-separated [default: the flagship's: NATO, IP4, CHN,
    /// RUS, PRK, ASEAN, IND, TWN].
    #[arg(long, value_delimiter = ',')]
    pub actors: Vec<String>,
    /// table (default) or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

/// First and last year of the SIPRI spending data.
pub fn sipri_years(archive: &Archive) -> anyhow::Result<(i32, i32)> {
    match entente_report::execute::sipri_years(archive) {
        Some(years) => Ok(years),
        None => bail!("the SIPRI spending data are empty"),
    }
}

/// The threat model the spending fit reads the past through: the dispute
/// hazard refit on the disputes up to `until` only, so a fit at a cut-off sees
/// nothing later through it.
pub fn threat_config(data: &Data, until: i32) -> anyhow::Result<ThreatConfig> {
    let (fitted, _) = fitted_hazard(&data.archive, until)?;
    Ok(ThreatConfig::from_fit(&fitted))
}

/// The states named by `tokens` in the world of `year` (the flagship's set
/// when empty).
pub fn resolve_actors(
    archive: &Archive,
    year: i32,
    tokens: &[String],
) -> anyhow::Result<Vec<Ccode>> {
    let world = World::for_year(archive, year).with_context(|| format!("the world of {year}"))?;
    if tokens.iter().all(|t| t.trim().is_empty()) {
        Ok(default_actors(&world, archive))
    } else {
        select(&world, archive, tokens)
    }
}

/// The spending panel of `actors`, `first..=last`, with the threat history
/// (its hazard scaling computed on years up to `cutoff` only: a fit at the
/// cut-off must not see later data through it).
pub fn panel(
    data: &Data,
    actors: &[Ccode],
    first: i32,
    last: i32,
    cutoff: i32,
) -> anyhow::Result<Panel> {
    let cfg = threat_config(data, cutoff)?;
    spending::panel_from_archive(&data.archive, actors, first, last, Some(&cfg))
        .context("building the spending panel")
}

/// Check a fit window `(flag, year)` against SIPRI's years (defaults: its first
/// and last year): at least 6 years.
pub fn check_years(
    archive: &Archive,
    from: (&str, Option<i32>),
    until: (&str, Option<i32>),
) -> anyhow::Result<(i32, i32)> {
    let (first, last) = sipri_years(archive)?;
    let (f, u) = (from.1.unwrap_or(first), until.1.unwrap_or(last));
    for (flag, y) in [(from.0, f), (until.0, u)] {
        if y < first || y > last {
            bail!("{flag} {y}: no spending data for that year (SIPRI covers {first}-{last})");
        }
    }
    if u - f < 6 {
        bail!(
            "{} {u}: the fit needs at least 6 years after {} {f}",
            until.0,
            from.0
        );
    }
    Ok((f, u))
}

/// Parameters as JSON values.
pub fn parameters_json(model: &Model) -> Vec<Value> {
    model
        .calibration()
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "description": c.description,
                "unit": c.unit,
                "estimate": c.estimate,
                "distribution": {
                    "dist": "normal",
                    "mean": c.distribution.mean,
                    "sd": c.distribution.sd,
                    "lo": c.distribution.lo,
                    "hi": c.distribution.hi,
                },
                "median": c.distribution.quantile(0.5),
                "basis": c.basis,
            })
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let (from, until) = check_years(
        &data.archive,
        ("--from", args.from),
        ("--until", args.until),
    )?;
    let actors = resolve_actors(&data.archive, until, &args.actors)?;
    let panel = panel(&data, &actors, from, until, until)?;
    let model = spending::fit(&panel, until, &FitConfig::default())?;
    let d = model.diagnostics();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.format == Format::Json {
        let gated: Vec<Value> = model
            .states()
            .iter()
            .filter_map(|s| {
                s.richardson_elasticity
                    .map(|e| json!({"state": s.name, "elasticity": e, "validation_skill": s.richardson_validation_skill}))
            })
            .collect();
        let v = json!({
            "model": "spending (docs/arms.md)",
            "from": from,
            "until": until,
            "parameters": parameters_json(&model),
            "richardson_reactivities": gated,
            "diagnostics": {
                "log_likelihood": d.log_likelihood,
                "observations": d.observations,
                "states_fitted": d.states_fitted,
                "threat_history": d.threat_history,
                "information_regularised": d.information_regularised,
                "calibration_forecasts": d.calibration_forecasts,
                "calibration_inside_50": d.calibration_inside_50,
                "calibration_inside_90": d.calibration_inside_90,
            },
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut rows = Rows::new(vec![
        "parameter",
        "estimate",
        "mean",
        "sd",
        "lo",
        "hi",
        "unit",
    ]);
    for c in model.calibration() {
        let t = c.distribution;
        rows.push(vec![
            Cell::str(c.name),
            Cell::Num(Some(c.estimate)),
            Cell::Num(Some(t.mean)),
            Cell::Num(Some(t.sd)),
            Cell::Num(Some(t.lo)),
            Cell::Num(Some(t.hi)),
            Cell::str(c.unit),
        ]);
    }
    rows.write(args.format, &mut out)?;
    if args.format == Format::Table {
        writeln!(
            out,
            "\nspending model fitted on {from}-{until}: {} annual changes of {} states; each parameter a normal(mean, sd) truncated to [lo, hi]",
            d.observations, d.states_fitted
        )?;
        for c in model.calibration() {
            writeln!(out, "{}: {}", c.name, c.basis)?;
        }
        if let (Some(a), Some(b)) = (d.calibration_inside_50, d.calibration_inside_90) {
            writeln!(
                out,
                "check: {} forecasts before {until} at the calibrated noise scale: {:.0}% inside their 50% intervals, {:.0}% inside their 90% intervals",
                d.calibration_forecasts,
                100.0 * a,
                100.0 * b
            )?;
        }
        let gated: Vec<String> = model
            .states()
            .iter()
            .filter_map(|s| {
                s.richardson_elasticity
                    .map(|e| format!("{} {e:.2}", s.name))
            })
            .collect();
        if !gated.is_empty() {
            writeln!(
                out,
                "Richardson's reactivity (as an elasticity) where it beat persistence before {until}: {}",
                gated.join(", ")
            )?;
        }
    }
    Ok(())
}
