//! `entente hazard`: the dispute-onset model refit on the bundled data.
//!
//! - `fit --fit-until 2014`: its coefficients beside Miller's (2022) Table 2.
//! - `backtest --fit-until 1995 --until 2014`: annual onset forecasts for the
//!   held-out dyad-years, scored (Brier, log score, AUROC) against the fit
//!   sample's base rate and Miller's published coefficients on the same rows,
//!   with reliability tables.

use std::io::Write;

use anyhow::Context;
use entente_core::hazard::backtest::{backtest, Backtest, BacktestConfig, Bin, Scores};
use entente_core::hazard::fit::{fit, FitConfig, Fitted};
use entente_core::hazard::model::Regressor;
use entente_core::hazard::Coefficients;
use serde_json::{json, Value};

use crate::commands::world::DataArgs;
use crate::output::{Cell, Format, Rows};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: HazardCommand,
}

#[derive(clap::Subcommand)]
pub enum HazardCommand {
    /// Fit the dispute-onset logit up to a year; coefficients beside Miller (2022).
    Fit(FitArgs),
    /// Fit up to a year, forecast each later dyad-year's onset, and score the
    /// forecasts against the base rate and the published model.
    Backtest(BacktestArgs),
}

#[derive(clap::Args)]
pub struct FitArgs {
    /// Last year of the fit sample [default: the dispute data's last year].
    #[arg(long)]
    pub fit_until: Option<i32>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(clap::Args)]
pub struct BacktestArgs {
    /// Last year of the fit sample.
    #[arg(long)]
    pub fit_until: i32,
    /// Last held-out year [default: the dispute data's last year].
    #[arg(long)]
    pub until: Option<i32>,
    /// Bins of the reliability table (equal counts by forecast).
    #[arg(long, default_value_t = 10)]
    pub bins: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        HazardCommand::Fit(a) => run_fit(a),
        HazardCommand::Backtest(a) => run_backtest(a),
    }
}

fn disputes_last(data: &crate::commands::world::Data) -> anyhow::Result<i32> {
    data.archive
        .coverage()
        .disputes_last
        .context("the dispute data are empty")
}

/// Miller's coefficient for a refit term, on the refit's scale: the refit's
/// peace years are a cubic in ln(1 + t), Miller's in t, so those are not comparable.
fn miller_term(c: &Coefficients, r: Regressor) -> Option<(f64, f64)> {
    let t = match r {
        Regressor::Intercept => c.intercept,
        Regressor::LandContiguity => c.landcontig,
        Regressor::CapabilityRatio => c.cincprop,
        Regressor::MajorPower => c.cowmajdyad,
        Regressor::DefencePact => c.cow_defense,
        Regressor::WeakLinkDemocracy => c.mindemest,
        Regressor::WeakLinkMilitarisation => c.minmilit,
        _ => return None,
    };
    Some((t.coef, t.se))
}

fn coefficient_rows(f: &Fitted, miller: &Coefficients) -> Rows {
    let mut rows = Rows::new(vec![
        "term",
        "coef",
        "se",
        "z",
        "miller_term",
        "miller_coef",
        "miller_se",
    ]);
    for r in Regressor::ALL {
        let (b, se) = (f.model.coefficient(r), f.model.se(r));
        let m = miller_term(miller, r);
        rows.push(vec![
            Cell::str(r.name()),
            Cell::Num(Some(b)),
            Cell::Num(Some(se)),
            Cell::Num((se > 0.0).then(|| b / se)),
            Cell::str(m.and(r.miller_term()).unwrap_or("")),
            Cell::Num(m.map(|x| x.0)),
            Cell::Num(m.map(|x| x.1)),
        ]);
    }
    rows
}

fn fit_json(f: &Fitted) -> Value {
    let i = &f.model.info;
    json!({
        "first_year": i.first_year,
        "last_year": i.last_year,
        "dyad_years": i.dyad_years,
        "onsets": i.onsets,
        "log_likelihood": i.log_likelihood,
        "iterations": i.iterations,
        "incomplete_dyad_years": f.incomplete,
        "continuation_dyad_years": f.continuations,
        "joining_defence": {"rate": f.joining_defence.rate, "se": f.joining_defence.se, "joins": f.joining_defence.events, "chances": f.joining_defence.trials},
        "joining_consultation": {"rate": f.joining_consultation.rate, "se": f.joining_consultation.se, "joins": f.joining_consultation.events, "chances": f.joining_consultation.trials},
    })
}

fn run_fit(args: FitArgs) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let until = match args.fit_until {
        Some(y) => y,
        None => disputes_last(&data)?,
    };
    let f = fit(&data.archive, FitConfig::until(until)).context("fitting the dispute hazard")?;
    let rows = coefficient_rows(&f, &data.hazard_coefficients);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.format == Format::Json {
        let mut v = fit_json(&f);
        v["coefficients"] = rows.to_json();
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    if args.format == Format::Table {
        let i = &f.model.info;
        writeln!(
            out,
            "dispute onset logit, politically relevant dyad-years {}-{}: {} dyad-years, {} onsets ({} incomplete, {} continuing disputes left out)",
            i.first_year, i.last_year, i.dyad_years, i.onsets, f.incomplete, f.continuations
        )?;
        writeln!(
            out,
            "joining rates: defence allies {:.4} (se {:.4}), consultation partners {:.4} (se {:.4})",
            f.joining_defence.rate,
            f.joining_defence.se,
            f.joining_consultation.rate,
            f.joining_consultation.se
        )?;
    }
    rows.write(args.format, &mut out)
}

fn scores_json(s: &Scores) -> Value {
    json!({"brier": s.brier, "log_score": s.log_score, "auroc": s.auroc})
}

fn bins_json(b: &[Bin]) -> Value {
    b.iter()
        .map(|b| json!({"n": b.n, "mean_forecast": b.mean_forecast, "observed": b.observed, "observed_lo": b.observed_lo, "observed_hi": b.observed_hi}))
        .collect()
}

fn score_rows(b: &Backtest) -> Rows {
    let mut rows = Rows::new(vec![
        "forecast",
        "brier",
        "brier_skill",
        "log_score",
        "log_skill",
        "auroc",
    ]);
    for (name, s) in [
        ("refit", &b.model),
        ("miller2022", &b.published),
        ("base_rate", &b.base),
    ] {
        rows.push(vec![
            Cell::str(name),
            Cell::Num(Some(s.brier)),
            Cell::Num(Some(1.0 - s.brier / b.base.brier)),
            Cell::Num(Some(s.log_score)),
            Cell::Num(Some(1.0 - s.log_score / b.base.log_score)),
            Cell::Num(Some(s.auroc)),
        ]);
    }
    rows
}

fn reliability_rows(b: &Backtest) -> Rows {
    let mut rows = Rows::new(vec![
        "forecast",
        "bin",
        "n",
        "mean_forecast",
        "observed",
        "observed_lo",
        "observed_hi",
    ]);
    for (name, bins) in [
        ("refit", &b.reliability),
        ("miller2022", &b.published_reliability),
    ] {
        for (k, x) in bins.iter().enumerate() {
            rows.push(vec![
                Cell::str(name),
                Cell::Int(k as i64 + 1),
                Cell::Int(x.n as i64),
                Cell::Num(Some(x.mean_forecast)),
                Cell::Num(Some(x.observed)),
                Cell::Num(Some(x.observed_lo)),
                Cell::Num(Some(x.observed_hi)),
            ]);
        }
    }
    rows
}

fn run_backtest(args: BacktestArgs) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let last = disputes_last(&data)?;
    let until = args.until.unwrap_or(last);
    if until > last {
        anyhow::bail!("--until {until}: the dispute data end in {last}");
    }
    if args.bins == 0 {
        anyhow::bail!("--bins must be at least 1");
    }
    let cfg = BacktestConfig {
        fit_until: args.fit_until,
        until,
        bins: args.bins,
    };
    let b = backtest(&data.archive, &data.hazard_coefficients, cfg)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            let v = json!({
                "fit_until": cfg.fit_until,
                "until": cfg.until,
                "fit": fit_json(&b.fitted),
                "held_out": {"first_year": cfg.fit_until + 1, "last_year": cfg.until, "dyad_years": b.rows, "onsets": b.onsets},
                "base_rate": b.base_rate,
                "refit": scores_json(&b.model),
                "miller2022": scores_json(&b.published),
                "base": scores_json(&b.base),
                "brier_skill": b.brier_skill(),
                "miller2022_brier_skill": b.published_brier_skill(),
                "reliability": bins_json(&b.reliability),
                "miller2022_reliability": bins_json(&b.published_reliability),
            });
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
            Ok(())
        }
        Format::Csv => score_rows(&b).write(Format::Csv, &mut out),
        Format::Table => {
            writeln!(
                out,
                "fit {}-{} ({} dyad-years, {} onsets, base rate {:.4}); held out {}-{}: {} dyad-years, {} onsets",
                b.fitted.model.info.first_year,
                cfg.fit_until,
                b.fitted.model.info.dyad_years,
                b.fitted.model.info.onsets,
                b.base_rate,
                cfg.fit_until + 1,
                cfg.until,
                b.rows,
                b.onsets
            )?;
            score_rows(&b).write(Format::Table, &mut out)?;
            writeln!(out)?;
            reliability_rows(&b).write(Format::Table, &mut out)
        }
    }
}
