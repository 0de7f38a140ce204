//! The dashboard's JSON view of a run (schema `entente.run-summary/1`, docs/api.md).
//! Arrays are aligned with `states`, `units` or `years`; missing values are
//! `null`, never 0.

use entente_core::scenario::Direction;
use entente_core::simulation::{ClaimResult, Prepared};
use entente_core::summary::{ranked_drivers, Band, Fan, Summary};
use serde_json::{json, Value};

/// The schema name and version written into every summary.
pub const SCHEMA: &str = "entente.run-summary/1";

fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

fn opt(v: Option<f64>) -> Value {
    v.map_or(Value::Null, num)
}

fn nums(v: &[f64]) -> Value {
    Value::Array(v.iter().map(|x| num(*x)).collect())
}

fn band(b: &Option<Band>) -> Value {
    match b {
        Some(b) => json!({"q05": num(b.q05), "q50": num(b.q50), "q95": num(b.q95)}),
        None => Value::Null,
    }
}

fn fan(f: &Option<Fan>) -> Value {
    match f {
        Some(f) => json!({
            "q05": nums(&f.q05), "q25": nums(&f.q25), "q50": nums(&f.q50),
            "q75": nums(&f.q75), "q95": nums(&f.q95),
        }),
        None => Value::Null,
    }
}

/// The summary of a run as JSON.
pub fn to_json(prep: &Prepared, s: &Summary, claims: &[ClaimResult], run_id: &str) -> Value {
    let sc = prep.scenario;
    json!({
        "schema": SCHEMA,
        "run_id": run_id,
        "scenario": {
            "name": sc.name, "title": sc.title, "base_year": sc.base_year,
            "horizon_years": sc.horizon_years, "issue": sc.issue,
        },
        "experiment": {
            "seed": sc.experiment.seed, "base_samples": sc.experiment.base_samples,
            "sampler": sc.experiment.sampler.name(),
            "replications": sc.experiment.replications,
            "draws": prep.draws(),
        },
        "framing": {
            "region": s.framing.region, "west": s.framing.west, "east": s.framing.east,
            "report_states": s.framing.report_states,
        },
        "years": s.years,
        "baseline": s.baseline,
        "options": sc.options.iter().map(|o| json!({"id": o.id, "description": o.description})).collect::<Vec<_>>(),
        "states": s.states.iter().map(|st| json!({
            "ccode": st.ccode.0,
            "iso3": st.iso3.map(|i| i.to_string()),
            "iso_numeric": st.iso_numeric,
            "name": st.name,
            "label": st.label,
            "unit": st.unit,
            "cinc": opt(st.cinc),
            "lat": opt(st.capital_lat_lon.map(|c| c.0)),
            "lon": opt(st.capital_lat_lon.map(|c| c.1)),
        })).collect::<Vec<_>>(),
        "units": s.units.iter().map(|u| json!({
            "label": u.label,
            "members": u.members.iter().map(|c| c.0).collect::<Vec<_>>(),
            "cinc": num(u.cinc),
        })).collect::<Vec<_>>(),
        "by_option": s.options.iter().map(|o| json!({
            "option": o.option,
            "milex_const2023_usd_m": o.milex.iter().map(fan).collect::<Vec<_>>(),
            "threat": o.threat.iter().map(band).collect::<Vec<_>>(),
            "with_east": o.with_east.iter().map(|v| opt(*v)).collect::<Vec<_>>(),
            "with_west": o.with_west.iter().map(|v| opt(*v)).collect::<Vec<_>>(),
            "unaligned": o.unaligned.iter().map(|v| opt(*v)).collect::<Vec<_>>(),
            "edges": o.edges.iter().map(|e| json!({
                "a": e.a, "b": e.b, "obligation": e.obligation,
                "added": !e.added.is_empty(), "removed": !e.removed.is_empty(),
                "added_kinds": e.added, "removed_kinds": e.removed,
            })).collect::<Vec<_>>(),
            "bargaining_median": band(&o.bargaining_median),
        })).collect::<Vec<_>>(),
        "claims": sc.claims.iter().zip(claims).map(|(c, r)| json!({
            "id": c.id,
            "text": c.text,
            "source": c.source,
            "metric": c.metric.map(|m| m.name()),
            "why_not": if c.metric.is_none() { Value::String(c.why_not.clone()) } else { Value::Null },
            "treatment": c.treatment,
            "baseline": c.baseline,
            "direction": match c.direction { Direction::Above => "above", Direction::Below => "below" },
            "threshold": num(c.threshold),
            "probability": opt(r.probability),
            "lo": opt(r.interval.map(|i| i.0)),
            "hi": opt(r.interval.map(|i| i.1)),
            "status": r.status.name(),
            "status_text": r.status.explain(),
            "without_mechanisms": r.without_mechanisms().and_then(|v| v.holds),
            "drivers": ranked_drivers(r).iter().map(|d| json!({
                "param": d.param.name(), "s1": opt(d.first_order), "st": opt(d.total),
                "s1_lo": opt(d.first_order_interval.map(|i| i.0)), "s1_hi": opt(d.first_order_interval.map(|i| i.1)),
                "st_lo": opt(d.total_interval.map(|i| i.0)), "st_hi": opt(d.total_interval.map(|i| i.1)),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
