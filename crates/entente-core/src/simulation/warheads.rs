//! The warhead link: the warhead model ([`crate::warheads`]) fitted once per
//! run on the FAS history up to the base year, its threat elasticity as the
//! run's estimated prior, and each option's stockpiles at the horizon.
//!
//! It runs only when a claim reads warheads. An option moves a stockpile only
//! through the threat its state feels, times the elasticity; the drift, the
//! state's own growth and the noise are the same in every option of a draw.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::hazard::fit::Fitted;
use crate::ids::Ccode;
use crate::prior::Prior;
use crate::scenario::{Metric, Param, Scenario};
use crate::threat::{Threat, ThreatConfig};
use crate::warheads::{self, Draw, FitConfig, Model};
use crate::world::{Archive, World};

use super::{PriorOrigin, RunPrior, SimulationError};

/// The fitted model and, per actor, its row in the model and its stockpile
/// in the base world (`None`: no arsenal to project).
#[derive(Debug, Clone, PartialEq)]
pub struct WarheadLink {
    pub model: Model,
    slots: Vec<Option<(usize, f64)>>,
}

/// Fit the link when a claim of `sc` reads warheads; a warhead claim none of
/// whose states has an arsenal in the base world is an error.
pub fn fit_link(
    archive: &Archive,
    sc: &Scenario,
    base: &World,
    hazard: &Fitted,
) -> Result<Option<WarheadLink>, SimulationError> {
    if !sc.reads_warheads() {
        return Ok(None);
    }
    let cfg = ThreatConfig::from_fit(hazard);
    let (codes, h) = warheads::history(archive, &sc.actors, base.year, &cfg)?;
    let model = warheads::fit_panel(
        &h,
        &FitConfig {
            until: base.year,
            ..FitConfig::default()
        },
    )?;
    let slots: Vec<Option<(usize, f64)>> = sc
        .actors
        .iter()
        .map(|c| {
            let start = base
                .state(*c)
                .and_then(|s| s.nuclear_warheads.value)
                .filter(|v| *v > 0.0)?;
            codes.iter().position(|k| k == c).map(|i| (i, start))
        })
        .collect();
    for claim in sc
        .claims
        .iter()
        .filter(|c| c.metric == Some(Metric::WarheadsHorizon))
    {
        let armed = claim
            .states
            .iter()
            .any(|c| actor_slot(&sc.actors, &slots, *c).is_some());
        if !armed {
            return Err(SimulationError::NoArsenal {
                claim: claim.id.clone(),
                year: base.year,
            });
        }
    }
    Ok(Some(WarheadLink { model, slots }))
}

fn actor_slot(actors: &[Ccode], slots: &[Option<(usize, f64)>], c: Ccode) -> Option<(usize, f64)> {
    actors.iter().position(|a| *a == c).and_then(|i| slots[i])
}

/// The run prior of the threat elasticity: the fit's estimate with its
/// standard error, truncated eight standard errors out.
pub fn estimated_prior(link: &WarheadLink) -> Option<RunPrior> {
    let (beta, se) = link.model.beta();
    if !(beta.is_finite() && se.is_finite() && se > 0.0) {
        return None;
    }
    let prior = Prior::Normal {
        mean: beta,
        sd: se,
        lo: beta - 8.0 * se,
        hi: beta + 8.0 * se,
    };
    prior.validate().ok()?;
    Some(RunPrior {
        prior,
        origin: PriorOrigin::Estimated {
            until: link.model.until,
            basis: format!(
                "warhead model, {} annual changes of {} nuclear states' FAS stockpiles {}-{}",
                link.model.observations,
                link.model.names.len(),
                link.model.first_year,
                link.model.until
            ),
        },
    })
}

/// One draw's coefficients (given its threat elasticity) and noise: the
/// same in every option.
pub struct DrawNoise {
    draw: Draw,
    /// `noise[i][t]`: standard normal of model state `i` in year `t + 1`.
    noise: Vec<Vec<f64>>,
}

impl WarheadLink {
    pub fn draw_noise<R: Rng + ?Sized>(&self, beta: f64, horizon: usize, rng: &mut R) -> DrawNoise {
        let draw = self.model.draw(beta, rng);
        let noise = (0..self.model.names.len())
            .map(|_| (0..horizon).map(|_| StandardNormal.sample(rng)).collect())
            .collect();
        DrawNoise { draw, noise }
    }

    /// Each actor's stockpile at the horizon in an option whose threat in
    /// year `t` of the horizon is `per_year[t]`. The path starts from the
    /// base world's threat (`reference`), whose stockpile it starts from: an
    /// option in force from the base year moves growth from the first year.
    pub fn horizon(
        &self,
        dn: &DrawNoise,
        reference: &Threat,
        per_year: &[&Threat],
    ) -> Vec<Option<f64>> {
        self.slots
            .iter()
            .enumerate()
            .map(|(a, slot)| {
                let (i, start) = (*slot)?;
                let log_threat: Vec<f64> = std::iter::once(reference)
                    .chain(per_year.iter().skip(1).copied())
                    .map(|t| warheads::log_theta(t.theta[a]))
                    .collect();
                Some(
                    self.model
                        .project(&dn.draw, i, start, &log_threat, &dn.noise[i]),
                )
            })
            .collect()
    }
}

/// The parameter the link reads.
pub const PARAM: Param = Param::WarheadThreatElasticity;
