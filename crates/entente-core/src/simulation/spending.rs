//! The spending link: the spending model ([`crate::spending`]) fitted once per
//! run on the data up to the base year, its calibrated parameters as the run's
//! estimated priors, and one draw's projection inputs for an option.
//!
//! The flagship and the hindcast use this one code path.

use crate::hazard::fit::Fitted;
use crate::ids::Ccode;
use crate::prior::Prior;
use crate::scenario::Param;
use crate::spending::{self, FitConfig, Model, Panel, ProjectionInputs};
use crate::threat::{Threat, ThreatConfig};
use crate::world::{Archive, World};

use super::{DrawParams, OptionWorld, PriorOrigin, RunPrior, SimulationError};

/// The spending model of a run: fitted on SIPRI's constant-dollar series
/// from SIPRI's first year to `base_year` of the scenario's actors and every
/// other state in the SIPRI data (they inform the pooled parameters), with
/// the threat history read through the hazard refit up to the base year;
/// returned for the actors only, in their order.
///
/// Actors with a spending value in the base world but no SIPRI series (an
/// assumed value, e.g. North Korea's, or a state outside the bundled SIPRI
/// subset) are projected from that value with the pooled drift and the
/// pooled residual sd: their one value enters no likelihood. Nothing after
/// `base_year` is read.
pub fn fit_model(
    archive: &Archive,
    actors: &[Ccode],
    base: &World,
    hazard: &Fitted,
) -> Result<Model, SimulationError> {
    let first = archive
        .sources()
        .sipri
        .iter()
        .map(|r| r.year)
        .min()
        .ok_or(SimulationError::NoSpendingData)?;
    let base_year = base.year;
    if base_year < first + MIN_FIT_YEARS - 1 {
        return Err(SimulationError::SpendingHistory {
            base_year,
            first,
            need: MIN_FIT_YEARS,
        });
    }
    let mut fitted: Vec<Ccode> = actors.to_vec();
    let mut others: Vec<Ccode> = archive
        .sources()
        .sipri
        .iter()
        .filter(|r| r.year <= base_year && r.milex_const2023_usd_m.is_some())
        .map(|r| r.ccode)
        .filter(|c| !actors.contains(c) && base.state(*c).is_some())
        .collect();
    others.sort_unstable();
    others.dedup();
    fitted.extend(others);
    let cfg = ThreatConfig::from_fit(hazard);
    let panel = spending::panel_from_archive(archive, &fitted, first, base_year, Some(&cfg))?;
    let panel = with_assumed_base_levels(panel, actors, base)?;
    let model = spending::fit(&panel, base_year, &FitConfig::default())?;
    let idx: Vec<usize> = (0..actors.len()).collect();
    model.select(&idx).ok_or_else(|| {
        SimulationError::Spending(crate::arms::ArmsError::Dimension(
            "the fitted states lost the scenario's actors".into(),
        ))
    })
}

/// Years of SIPRI data up to the base year a fit needs (five annual changes).
pub const MIN_FIT_YEARS: i32 = 6;

/// The panel with each actor's base-world spending filled in where SIPRI has
/// none in the base year.
fn with_assumed_base_levels(
    panel: Panel,
    actors: &[Ccode],
    base: &World,
) -> Result<Panel, SimulationError> {
    let last = panel.last_year();
    let mut changed = false;
    let levels: Vec<Vec<Option<f64>>> = (0..panel.n_states())
        .map(|i| {
            let mut h = panel.history(i, last);
            if i >= actors.len() {
                return h;
            }
            if let Some(slot) = h.last_mut() {
                if slot.is_none() {
                    *slot = base
                        .state(actors[i])
                        .and_then(|s| s.milex.const2023_usd_m.value)
                        .filter(|v| *v > 0.0);
                    changed |= slot.is_some();
                }
            }
            h
        })
        .collect();
    if !changed {
        return Ok(panel);
    }
    let mut out = Panel::new(panel.names().to_vec(), panel.first_year(), levels)?;
    if let Some(th) = panel.threat() {
        out = out.with_threat(th.clone())?;
    }
    Ok(out)
}

/// The run prior of a spending parameter: its calibrated distribution.
pub fn estimated_prior(p: Param, model: &Model) -> Option<RunPrior> {
    let k = Param::SPENDING.iter().position(|q| *q == p)?;
    let c = model.calibration().get(k)?;
    let d = c.distribution;
    let prior = if d.sd > 0.0 && d.sd.is_finite() {
        Prior::Normal {
            mean: d.mean,
            sd: d.sd,
            lo: d.lo,
            hi: d.hi,
        }
    } else {
        Prior::Fixed(d.mean.clamp(d.lo, d.hi))
    };
    prior.validate().ok()?;
    Some(RunPrior {
        prior,
        origin: PriorOrigin::Estimated {
            until: model.cutoff_year(),
            basis: format!("spending model, {}", c.basis),
        },
    })
}

/// The spending model's parameters in one draw.
pub fn draw_params(p: &DrawParams) -> spending::DrawParams {
    let mut v = [0.0; 6];
    for (k, q) in Param::SPENDING.iter().enumerate() {
        v[k] = p.get(*q);
    }
    spending::DrawParams::from_values(v)
}

/// What the projection of one option needs: each year's change of threat
/// against the reference (the base world), whom each actor reacts to in
/// that year's world, and the option's spending edits in force.
pub fn inputs(
    model: &Model,
    per_year: &[&Threat],
    reference: &Threat,
    ow: &OptionWorld,
) -> Result<ProjectionInputs, SimulationError> {
    // Index 0 of `per_year` is the base year; the projection starts after it.
    let delta: Vec<Vec<f64>> = per_year[1..]
        .iter()
        .map(|th| {
            th.theta
                .iter()
                .zip(&reference.theta)
                .map(|(a, b)| (a - b).clamp(-1.0, 1.0))
                .collect()
        })
        .collect();
    let weights: Vec<Vec<Vec<f64>>> = per_year[1..]
        .iter()
        .map(|th| {
            th.q.iter()
                .map(|row| row.iter().map(|v| v.max(0.0)).collect())
                .collect()
        })
        .collect();
    let first = weights
        .first()
        .cloned()
        .unwrap_or_else(|| vec![vec![0.0; model.n_states()]; model.n_states()]);
    let mut inputs = ProjectionInputs::new(model, delta, first)?;
    if !weights.is_empty() {
        inputs = inputs.with_weights_by_year(weights)?;
    }
    let shift: Vec<Vec<f64>> = ow.growth_shift[1..].to_vec();
    if !shift.is_empty() {
        inputs = inputs.with_growth_shift_by_year(shift)?;
    }
    Ok(inputs)
}
