//! A hindcast's outputs: `forecast.csv` (every draw's spending path),
//! `hindcast.json` (scores per state and overall, schema
//! `entente.hindcast/1`) and `hindcast.html` (each scored state's fan with
//! the realised path drawn over it, and the score table).

use std::fmt::Write as _;
use std::path::Path;

use entente_core::hindcast::{state_name, FROZEN, OBSERVED};
use entente_core::ids::Ccode;
use entente_core::scoring::{HindcastScores, OverallScore, SeriesScore};
use entente_core::simulation::{DrawResult, Prepared};
use entente_core::summary::Fan;
use serde_json::{json, Value};

use crate::charts::{esc, fan};
use crate::{write_atomic, ReportError};

/// What a hindcast wrote its scores from.
pub struct Hindcast<'a> {
    pub prep: &'a Prepared<'a>,
    pub results: &'a [DrawResult],
    /// Scores of the `observed` option (the headline) and of `frozen`.
    pub observed: &'a HindcastScores,
    pub frozen: &'a HindcastScores,
    /// The scored states, in the order of the scores' series.
    pub scored: &'a [Ccode],
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "NA".into()
    }
}

/// `state,year,draw,option,value`: every actor's spending path in constant
/// 2023 US$ m, years after the base year, both options; actors without a
/// spending path have no rows.
pub fn forecast_csv(prep: &Prepared, results: &[DrawResult]) -> String {
    let sc = prep.scenario;
    let mut s = String::from("state,year,draw,option,value_const2023_usd_m\n");
    let names: Vec<String> = sc
        .actors
        .iter()
        .map(|c| state_name(&prep.base, *c))
        .collect();
    for r in results {
        for o in &r.options {
            for (i, path) in o.milex.iter().enumerate() {
                let Some(path) = path else { continue };
                for (t, v) in path.iter().enumerate().skip(1) {
                    let _ = writeln!(
                        s,
                        "{},{},{},{},{}",
                        names[i],
                        sc.base_year + t as i32,
                        r.draw,
                        o.option,
                        num(*v)
                    );
                }
            }
        }
    }
    s
}

fn opt(v: Option<f64>) -> Value {
    v.filter(|x| x.is_finite())
        .map_or(Value::Null, |x| json!(x))
}

fn series_json(s: &SeriesScore, iso3: &str) -> Value {
    json!({
        "state": iso3,
        "years_scored": s.years.len(),
        "crps_const2023_usd_m": opt(s.crps),
        "crps_rw_drift_const2023_usd_m": opt(s.crps_rw_drift),
        "crps_last_value_const2023_usd_m": opt(s.crps_last_value),
        "skill_rw_drift": opt(s.skill_rw_drift),
        "skill_last_value": opt(s.skill_last_value),
        "inside_50": opt(s.inside_50),
        "inside_90": opt(s.inside_90),
        "baseline_problem": s.baseline_problem,
        "years": s.years.iter().map(|y| json!({
            "year": y.year,
            "realised_const2023_usd_m": y.realised,
            "crps_const2023_usd_m": y.crps,
            "q05": y.quantiles[0], "q25": y.quantiles[1], "q50": y.quantiles[2],
            "q75": y.quantiles[3], "q95": y.quantiles[4],
        })).collect::<Vec<_>>(),
    })
}

fn overall_json(o: Option<&OverallScore>) -> Value {
    o.map_or(Value::Null, |o| {
        json!({
            "states": o.series,
            "state_years": o.series_years,
            "crps_const2023_usd_m": o.crps,
            "crps_rw_drift_const2023_usd_m": o.crps_rw_drift,
            "crps_last_value_const2023_usd_m": o.crps_last_value,
            "skill_rw_drift": o.skill_rw_drift,
            "skill_last_value": o.skill_last_value,
            "median_skill_rw_drift": o.median_skill_rw_drift,
            "median_skill_last_value": o.median_skill_last_value,
            "mean_skill_rw_drift": o.mean_skill_rw_drift,
            "mean_skill_last_value": o.mean_skill_last_value,
            "states_beating_rw_drift": o.beating_rw_drift,
            "states_beating_last_value": o.beating_last_value,
            "inside_50": o.inside_50,
            "inside_90": o.inside_90,
        })
    })
}

/// `hindcast.json`: the window, the fit, and the scores of both options.
pub fn hindcast_json(h: &Hindcast) -> Value {
    let prep = h.prep;
    let sc = prep.scenario;
    let names: Vec<String> = h
        .scored
        .iter()
        .map(|c| state_name(&prep.base, *c))
        .collect();
    let model = &prep.spending;
    let changes = sc.option(OBSERVED).map_or(0, |o| o.edits.len());
    json!({
        "schema": "entente.hindcast/1",
        "scenario": sc.name,
        "base_year": sc.base_year,
        "last_year": sc.base_year + sc.horizon_years as i32,
        "draws": h.results.len(),
        "seed": sc.experiment.seed,
        "option": OBSERVED,
        "observed_tie_changes": changes,
        "scored_on": "states of the scenario's region with SIPRI spending in the base year; CRPS in constant 2023 US$ m; skill = 1 - CRPS / CRPS of the baseline; baselines fitted on the years up to the base year",
        "spending_fit": {
            "cutoff_year": model.cutoff_year(),
            "parameters": model.calibration().iter().map(|c| json!({
                "name": c.name,
                "estimate": c.estimate,
                "mean": c.distribution.mean,
                "sd": c.distribution.sd,
                "lo": c.distribution.lo,
                "hi": c.distribution.hi,
                "basis": c.basis,
            })).collect::<Vec<_>>(),
        },
        "hazard_fit_until": prep.hazard.model.info.last_year,
        "overall": overall_json(h.observed.overall.as_ref()),
        "states": h.observed.series.iter().zip(&names).map(|(s, n)| series_json(s, n)).collect::<Vec<_>>(),
        "frozen": {
            "overall": overall_json(h.frozen.overall.as_ref()),
            "states": h.frozen.series.iter().zip(&names).map(|(s, n)| series_json(s, n)).collect::<Vec<_>>(),
        },
    })
}

/// Quantiles of each year's draws (index 0: the base year) of actor `i`
/// under option `k`.
fn fan_of(results: &[DrawResult], k: usize, i: usize, years: usize) -> Fan {
    let mut f = Fan {
        q05: Vec::new(),
        q25: Vec::new(),
        q50: Vec::new(),
        q75: Vec::new(),
        q95: Vec::new(),
    };
    for t in 0..years {
        let mut v: Vec<f64> = results
            .iter()
            .filter_map(|r| r.options.get(k)?.milex.get(i)?.as_ref()?.get(t).copied())
            .filter(|x| x.is_finite())
            .collect();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| -> f64 {
            if v.is_empty() {
                return f64::NAN;
            }
            let h = (v.len() - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(v.len() - 1);
            v[lo] + (h - lo as f64) * (v[hi] - v[lo])
        };
        f.q05.push(q(0.05));
        f.q25.push(q(0.25));
        f.q50.push(q(0.5));
        f.q75.push(q(0.75));
        f.q95.push(q(0.95));
    }
    f
}

fn cell(v: Option<f64>, d: usize) -> String {
    v.filter(|x| x.is_finite())
        .map_or("NA".into(), |x| format!("{x:.d$}"))
}

/// `hindcast.html`: a self-contained page.
pub fn hindcast_html(h: &Hindcast) -> String {
    let prep = h.prep;
    let sc = prep.scenario;
    let years: Vec<i32> = (0..=sc.horizon_years as i32)
        .map(|t| sc.base_year + t)
        .collect();
    let k_obs = sc
        .options
        .iter()
        .position(|o| o.id == OBSERVED)
        .unwrap_or(0);
    let k_frz = sc.options.iter().position(|o| o.id == FROZEN).unwrap_or(0);
    let mut rows = String::new();
    let mut fans = String::new();
    for (j, c) in h.scored.iter().enumerate() {
        let Some(i) = sc.actors.iter().position(|a| a == c) else {
            continue;
        };
        let iso = state_name(&prep.base, *c);
        let name = prep.base.label(*c);
        let s = &h.observed.series[j];
        let fz = h.frozen.series.get(j);
        let _ = write!(
            rows,
            "<tr data-state=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&iso),
            esc(&name),
            s.years.len(),
            cell(s.crps, 0),
            cell(s.skill_rw_drift, 3),
            cell(s.skill_last_value, 3),
            cell(s.inside_90, 2),
            cell(fz.and_then(|f| f.skill_rw_drift), 3),
            esc(s.baseline_problem.as_deref().unwrap_or("")),
        );
        let mut realised: Vec<(i32, f64)> = Vec::new();
        if let Some(Some(b)) = prep.spending.states().get(i).map(|m| m.base_level_usd_m) {
            realised.push((sc.base_year, b));
        }
        realised.extend(s.years.iter().map(|y| (y.year, y.realised)));
        let fo = fan_of(h.results, k_obs, i, years.len());
        let ff = fan_of(h.results, k_frz, i, years.len());
        let series = [
            fan::Series {
                option: OBSERVED,
                index: 0,
                fan: &fo,
            },
            fan::Series {
                option: FROZEN,
                index: 1,
                fan: &ff,
            },
        ];
        if let Some(svg) = fan::chart_with_realised(&iso, &name, &years, &series, &realised) {
            fans.push_str(&svg);
        }
    }
    let o = h.observed.overall.as_ref();
    let headline = o.map_or_else(
        || "No state could be scored.".to_string(),
        |o| {
            format!(
                "Over {} states and {} realised state-years: CRPS skill {:.3} against the random walk with drift in log spending (median state {:.3}, {} of {} states positive), {:.3} against the last value; {:.0}% of realised values inside the 90% intervals, {:.0}% inside the 50%.",
                o.series,
                o.series_years,
                o.skill_rw_drift,
                o.median_skill_rw_drift,
                o.beating_rw_drift,
                o.series,
                o.skill_last_value,
                100.0 * o.inside_90,
                100.0 * o.inside_50
            )
        },
    );
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;font-size:13px}}th{{background:#f4f4f4}}
.grid{{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:18px 28px}}svg{{width:100%;height:auto}}
.chart-title{{font-weight:600;font-size:13px}}.tick{{font-size:11px;fill:#555}}</style></head><body data-ready="1">
<h1>{title}</h1>
<p>The chain of <code>{name}</code> started from the world of {from} and run to {to}: the dispute hazard and the spending model fitted on the data up to {from} only; option <code>observed</code> applies the {changes} tie changes among the actors that really happened in {from1}-{to}, each from its year; <code>frozen</code> keeps the ties of {from}. {draws} draws, seed {seed}. Scored against SIPRI's realised spending (constant 2023 US$), with two baselines fitted on the years up to {from}: a random walk with drift in log spending and the last value.</p>
<p id="headline"><b>{headline}</b></p>
<h2>Scores by state (option observed)</h2>
<table id="scores"><tr><th>state</th><th>name</th><th>years</th><th>CRPS (US$ m)</th><th>skill vs random walk with drift</th><th>skill vs last value</th><th>in 90%</th><th>frozen: skill vs drift</th><th>baseline note</th></tr>{rows}</table>
<h2>Fans with the realised path</h2><p>Median, 25-75% and 5-95% of draws per option; the dashed black line is what SIPRI recorded.</p>
<div class="grid">{fans}</div>
</body></html>"#,
        title = esc(&sc.title),
        name = esc(&sc.name),
        from = sc.base_year,
        from1 = sc.base_year + 1,
        to = sc.base_year + sc.horizon_years as i32,
        changes = sc.option(OBSERVED).map_or(0, |o| o.edits.len()),
        draws = h.results.len(),
        seed = sc.experiment.seed,
    )
}

/// Write `forecast.csv`, `hindcast.json` and `hindcast.html` into `dir`.
pub fn write(dir: &Path, h: &Hindcast) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, "cannot create", e))?;
    write_atomic(
        dir,
        "forecast.csv",
        forecast_csv(h.prep, h.results).as_bytes(),
    )?;
    let json = serde_json::to_string_pretty(&hindcast_json(h))?;
    write_atomic(dir, "hindcast.json", json.as_bytes())?;
    write_atomic(dir, "hindcast.html", hindcast_html(h).as_bytes())?;
    Ok(())
}
