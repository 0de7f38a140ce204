//! `entente arms backtest --model richardson`: the multi-actor Richardson
//! model fitted on SIPRI spending up to a cut-off and scored on the years after
//! it against a persistence forecast (docs/arms.md).

use std::io::Write;

use anyhow::{bail, Context};
use entente_core::arms::{
    backtest, BacktestConfig, EstimationConfig, NetworkRule, SpendingPanel, ThreatNetwork,
};
use entente_core::ids::Ccode;
use entente_core::world::{Archive, World};
use serde_json::{json, Map};

use super::{finite, series_problem, BacktestArgs, DEFAULT_STATES};
use crate::output::{Cell, Format, Rows};

pub fn run(args: BacktestArgs) -> anyhow::Result<()> {
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
