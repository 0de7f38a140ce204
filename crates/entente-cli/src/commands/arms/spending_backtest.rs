//! `entente arms backtest` (the default model): the spending model fitted on the
//! data up to `--fit-until` only, projected with parameters drawn from their
//! calibrated distributions in the frozen world of the cut-off (no change in
//! threat), and scored on the years after it against a random walk with drift
//! in log spending and the last value, both fitted on the years up to the
//! cut-off (docs/arms.md, docs/calibration.md).

use std::io::Write;

use anyhow::bail;
use entente_core::ids::Ccode;
use entente_core::scoring::{OverallScore, SeriesScore};
use entente_core::spending::{self, BacktestSpec, FitConfig};
use entente_core::world::{Source, World};
use serde_json::{json, Map, Value};

use super::{finite, BacktestArgs, DEFAULT_STATES};
use crate::commands::calibrate::{
    check_years, panel, parameters_json, resolve_actors, sipri_years,
};
use crate::output::{Cell, Format, Rows};

pub fn run(args: BacktestArgs) -> anyhow::Result<()> {
    if let Some(b) = args.break_year {
        bail!(
            "--break-year {b}: a drift break belongs to the Richardson model (--model richardson)"
        );
    }
    let data = args.data.load()?;
    let archive = &data.archive;
    let (_, last) = sipri_years(archive)?;
    let until = args.until.unwrap_or(last);
    let (fit_from, fit_until) = check_years(
        archive,
        ("--fit-from", args.fit_from),
        ("--fit-until", Some(args.fit_until)),
    )?;
    if until > last || until < fit_until {
        bail!("--until {until}: no spending data for that year (SIPRI covers to {last})");
    }
    if until == fit_until {
        bail!("--until {until} must come after --fit-until {fit_until}");
    }
    if args.draws < 2 {
        bail!("--draws {}: at least 2 are needed", args.draws);
    }
    // The states scored, resolved in the cut-off year: those named alone must
    // have SIPRI spending then; group members without it are left out.
    let origin = World::for_year(archive, fit_until)?;
    let tokens: Vec<String> = if args.states.iter().all(|s| s.trim().is_empty()) {
        DEFAULT_STATES.iter().map(|s| s.to_string()).collect()
    } else {
        args.states.clone()
    };
    let mut scored: Vec<Ccode> = Vec::new();
    let (mut errors, mut excluded) = (Vec::new(), Vec::new());
    for t in tokens.iter().filter(|t| !t.trim().is_empty()) {
        let is_group = origin
            .groups
            .keys()
            .any(|g| g.eq_ignore_ascii_case(t.trim()));
        match origin.resolve(t, archive) {
            Ok(cs) => {
                for c in cs {
                    if scored.contains(&c) {
                        continue;
                    }
                    let m = origin.state(c).map(|s| s.milex.const2023_usd_m);
                    let why = match m {
                        Some(m)
                            if m.source == Source::Sipri && m.value.is_some_and(|v| v > 0.0) =>
                        {
                            None
                        }
                        Some(m) if m.source == Source::Assumed => Some(format!(
                            "its spending is an assumption, not SIPRI data, in {fit_until}"
                        )),
                        _ => Some(format!(
                            "no SIPRI constant-2023-US$ spending in {fit_until}"
                        )),
                    };
                    match why {
                        None => scored.push(c),
                        Some(why) if is_group => excluded.push((origin.label(c), why)),
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
    if scored.is_empty() {
        bail!("--states: no state with SIPRI spending in {fit_until}");
    }
    let mut fitted = resolve_actors(archive, fit_until, &[])?;
    for c in &scored {
        if !fitted.contains(c) {
            fitted.push(*c);
        }
    }
    let panel = panel(&data, &fitted, fit_from, until, fit_until)?;
    let spec = BacktestSpec {
        cutoff_year: fit_until,
        until,
        draws: args.draws,
        seed: args.seed,
        scored: scored
            .iter()
            .filter_map(|c| fitted.iter().position(|f| f == c))
            .collect(),
    };
    let bt = spending::backtest(&panel, &spec, &FitConfig::default())?;
    let Some(overall) = &bt.scores.overall else {
        bail!("no scored state has realised values and a history long enough for the baselines");
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.format == Format::Json {
        let mut st = Map::new();
        for s in &bt.scores.series {
            st.insert(s.name.clone(), series_json(s));
        }
        let v = json!({
            "model": "spending",
            "unit": "constant 2023 US$ million (SIPRI)",
            "fit_from": fit_from,
            "fit_until": fit_until,
            "until": until,
            "draws": args.draws,
            "seed": args.seed,
            "states": st,
            "overall": overall_json(overall),
            "parameters": parameters_json(&bt.model),
            "states_fitted": bt.model.diagnostics().states_fitted,
            "excluded": excluded.iter().map(|(s, why)| json!({"state": s, "reason": why})).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut rows = Rows::new(vec![
        "state",
        "years",
        "crps",
        "crps_rw_drift",
        "crps_last_value",
        "skill_rw_drift",
        "skill_last_value",
        "inside_50",
        "inside_90",
    ]);
    for s in &bt.scores.series {
        rows.push(vec![
            Cell::str(&s.name),
            Cell::Int(s.years.len() as i64),
            Cell::Num(s.crps),
            Cell::Num(s.crps_rw_drift),
            Cell::Num(s.crps_last_value),
            Cell::Num(s.skill_rw_drift),
            Cell::Num(s.skill_last_value),
            Cell::Num(s.inside_50),
            Cell::Num(s.inside_90),
        ]);
    }
    let o = overall;
    rows.push(vec![
        Cell::str("overall"),
        Cell::Int(o.series_years as i64),
        Cell::Num(Some(o.crps)),
        Cell::Num(Some(o.crps_rw_drift)),
        Cell::Num(Some(o.crps_last_value)),
        Cell::Num(finite(o.skill_rw_drift)),
        Cell::Num(finite(o.skill_last_value)),
        Cell::Num(Some(o.inside_50)),
        Cell::Num(Some(o.inside_90)),
    ]);
    rows.write(args.format, &mut out)?;
    if args.format == Format::Table {
        writeln!(
            out,
            "\nspending model, constant 2023 US$ million; fit {fit_from}-{fit_until} ({} states), forecast {}-{until} in the world of {fit_until}, {} draws, seed {}",
            bt.model.diagnostics().states_fitted,
            fit_until + 1,
            args.draws,
            args.seed
        )?;
        writeln!(
            out,
            "skill = 1 - CRPS/CRPS_baseline: median over states {:.3} against the random walk with drift ({} of {} states positive), {:.3} against the last value ({} of {})",
            o.median_skill_rw_drift, o.beating_rw_drift, o.series, o.median_skill_last_value, o.beating_last_value, o.series
        )?;
        writeln!(
            out,
            "realised values inside the 50% / 90% intervals: {:.0}% / {:.0}% of {} state-years",
            100.0 * o.inside_50,
            100.0 * o.inside_90,
            o.series_years
        )?;
        let p = bt.model.point_params();
        writeln!(
            out,
            "fitted: long-run growth {:.4}/yr, drift persistence {:.3}, drift sd {:.4}, reactivity {:.3}, threat response {:.2}%/pp, noise scale {:.2} (`entente calibrate --until {fit_until}` for their distributions)",
            p.long_run_growth, p.drift_persistence, p.drift_sd, p.reactivity, p.threat_response_pct_per_pp, p.noise_scale
        )?;
    }
    Ok(())
}

fn series_json(s: &SeriesScore) -> Value {
    json!({
        "years": s.years.iter().map(|y| json!({
            "year": y.year,
            "realised": y.realised,
            "crps": y.crps,
            "crps_rw_drift": y.crps_rw_drift,
            "crps_last_value": y.crps_last_value,
            "q05": y.quantiles[0],
            "q25": y.quantiles[1],
            "median": y.quantiles[2],
            "q75": y.quantiles[3],
            "q95": y.quantiles[4],
        })).collect::<Vec<_>>(),
        "crps": s.crps,
        "crps_rw_drift": s.crps_rw_drift,
        "crps_last_value": s.crps_last_value,
        "skill_rw_drift": s.skill_rw_drift,
        "skill_last_value": s.skill_last_value,
        "inside_50": s.inside_50,
        "inside_90": s.inside_90,
        "baseline_problem": s.baseline_problem,
    })
}

fn overall_json(o: &OverallScore) -> Value {
    json!({
        "states": o.series,
        "state_years": o.series_years,
        "crps": o.crps,
        "crps_rw_drift": o.crps_rw_drift,
        "crps_last_value": o.crps_last_value,
        "skill_rw_drift": finite(o.skill_rw_drift),
        "skill_last_value": finite(o.skill_last_value),
        "median_skill_rw_drift": finite(o.median_skill_rw_drift),
        "median_skill_last_value": finite(o.median_skill_last_value),
        "mean_skill_rw_drift": finite(o.mean_skill_rw_drift),
        "mean_skill_last_value": finite(o.mean_skill_last_value),
        "states_beating_rw_drift": o.beating_rw_drift,
        "states_beating_last_value": o.beating_last_value,
        "inside_50": o.inside_50,
        "inside_90": o.inside_90,
    })
}
