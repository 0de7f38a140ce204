//! The chain's alignment link, estimated on history: the years before the
//! base year (each actor's formal ties, UN votes, rivalries and the refit
//! hazard's threat), the propensity weights fitted on the places the actors
//! took ([`crate::alignment::fit`]), the tie-formation model fitted on the
//! ties that formed ([`crate::alignment::ties`]), and the landscape of a year
//! solved with three places: west, east and unaligned.

use rayon::prelude::*;

use crate::alignment::fit::{self as afit, AlignmentFit, YearSample, PARAMS};
use crate::alignment::propensity::{self, Features, Weights};
use crate::alignment::sides::{self, Anchors, Side};
use crate::alignment::ties::{self, TieModel};
use crate::alignment::{self, GroundConfig, Landscape, Model, Solver, Unit};
use crate::hazard::fit::Fitted;
use crate::ids::Ccode;
use crate::power;
use crate::sources::Contiguity;
use crate::threat::{self, ThreatConfig};
use crate::world::{Archive, World};

use super::SimulationError;

/// First year of the alignment model's history (UN votes start in 1946; the
/// first years after the war have few states and no alliances yet).
pub const HISTORY_FROM: i32 = 1950;

/// One year of the actors' history, as the alignment fits see it.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRecord {
    pub year: i32,
    /// The scenario's actors that exist this year.
    pub actors: Vec<Ccode>,
    /// Pair terms, row-major over `actors`.
    pub features: Vec<Features>,
    pub observed: Vec<Side>,
    /// Capability shares among `actors`.
    pub sizes: Vec<f64>,
    /// Row-major: the pair has a defence or consultation tie.
    pub tied: Vec<bool>,
    /// Row-major: the pair is directly contiguous (land or up to 400 miles of water).
    pub contiguous: Vec<bool>,
}

impl YearRecord {
    fn index(&self, c: Ccode) -> Option<usize> {
        self.actors.iter().position(|&a| a == c)
    }

    fn sample(&self) -> YearSample {
        YearSample {
            year: self.year,
            sizes: self.sizes.clone(),
            features: self.features.clone(),
            observed: self.observed.clone(),
        }
    }
}

/// Capability shares of `groups` (each a list of states) in `world`; a group
/// without capability data gets a share of zero (it has no weight in the
/// landscape, and the notes of the world say why).
fn shares(world: &World, groups: &[Vec<Ccode>]) -> Vec<f64> {
    let raw: Vec<f64> = groups
        .iter()
        .map(|g| g.iter().filter_map(|c| power::capability(world, *c)).sum())
        .collect();
    let total: f64 = raw.iter().sum();
    raw.iter()
        .map(|v| if total > 0.0 { v / total } else { 0.0 })
        .collect()
}

/// The record of one year: `world` with the threat of the refit hazard at its
/// point estimates and the published defaults.
pub fn year_record(
    archive: &Archive,
    world: &World,
    actors: &[Ccode],
    anchors: &Anchors,
    cfg: &ThreatConfig,
) -> YearRecord {
    let present: Vec<Ccode> = actors
        .iter()
        .copied()
        .filter(|&c| world.state(c).is_some())
        .collect();
    let th = threat::threat(archive, world, &present, cfg);
    let n = present.len();
    let features = propensity::features(world, &th, &present);
    let mut tied = vec![false; n * n];
    let mut contiguous = vec![false; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let (a, b) = (present[i], present[j]);
                let o = world.obligations_between(a, b);
                tied[i * n + j] = world.defence_between(a, b) || o.consultation;
                contiguous[i * n + j] = world.contiguity_between(a, b) != Contiguity::None;
            }
        }
    }
    let groups: Vec<Vec<Ccode>> = present.iter().map(|&c| vec![c]).collect();
    YearRecord {
        year: world.year,
        observed: present
            .iter()
            .map(|&c| sides::observed(world, c, anchors))
            .collect(),
        sizes: shares(world, &groups),
        actors: present,
        features,
        tied,
        contiguous,
    }
}

/// The records of `from..=to` (in year order, built in parallel).
pub fn history(
    archive: &Archive,
    actors: &[Ccode],
    anchors: &Anchors,
    hazard: &Fitted,
    from: i32,
    to: i32,
) -> Result<Vec<YearRecord>, SimulationError> {
    let cfg = ThreatConfig::from_fit(hazard);
    (from..=to)
        .into_par_iter()
        .map(|y| {
            let w = World::for_year(archive, y)?;
            Ok(year_record(archive, &w, actors, anchors, &cfg))
        })
        .collect()
}

/// Fit the propensity weights on the records of years up to `until`.
pub fn fit_weights(records: &[YearRecord], until: i32) -> Result<AlignmentFit, SimulationError> {
    let samples: Vec<YearSample> = records
        .iter()
        .filter(|r| r.year <= until && r.actors.len() >= 2)
        .map(YearRecord::sample)
        .collect();
    afit::fit(&samples).map_err(SimulationError::AlignmentFit)
}

/// The tie-formation rows of base year record `r`: pairs without a tie, and
/// whether they form one in the `horizon` records after it (`later`).
fn tie_rows(r: &YearRecord, later: &[&YearRecord], w: &Weights) -> Vec<ties::Row> {
    let n = r.actors.len();
    let mut out = Vec::new();
    for i in 0..n {
        for j in (i + 1)..n {
            if r.tied[i * n + j] {
                continue;
            }
            let (a, b) = (r.actors[i], r.actors[j]);
            let formed = later.iter().any(|l| match (l.index(a), l.index(b)) {
                (Some(x), Some(y)) => l.tied[x * l.actors.len() + y],
                _ => false,
            });
            let same = r.observed[i] == r.observed[j] && r.observed[i] != Side::Unaligned;
            out.push(ties::Row {
                year: r.year,
                pair: (a.0, b.0),
                terms: ties::terms(&r.features[i * n + j], w, same, r.contiguous[i * n + j]),
                formed,
            });
        }
    }
    out
}

/// Fit the tie-formation model on base years whose whole horizon ends by
/// `until` (so nothing after `until` is seen).
pub fn fit_ties(
    records: &[YearRecord],
    weights: &Weights,
    horizon_years: u32,
    until: i32,
) -> Result<TieModel, SimulationError> {
    let h = horizon_years as i32;
    let rows: Vec<ties::Row> = records
        .iter()
        .filter(|r| r.year + h <= until)
        .flat_map(|r| {
            let later: Vec<&YearRecord> = records
                .iter()
                .filter(|l| l.year > r.year && l.year <= r.year + h)
                .collect();
            tie_rows(r, &later, weights)
        })
        .collect();
    if rows.is_empty() {
        return Err(SimulationError::NoTieHistory {
            horizon_years,
            until,
        });
    }
    ties::fit(&rows, horizon_years).map_err(SimulationError::AlignmentFit)
}

/// One pair's tie forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct TieForecast {
    pub a: Ccode,
    pub b: Ccode,
    /// `None` when the pair already has a defence or consultation tie.
    pub p: Option<f64>,
    /// Whether it formed one within the horizon, where the data say.
    pub formed: Option<bool>,
}

/// The forecasts for every pair of `base`'s actors; `later` (the records
/// after the base year, if any) gives the outcomes, never the fit.
pub fn tie_forecasts(
    base: &YearRecord,
    later: &[&YearRecord],
    weights: &Weights,
    model: &TieModel,
) -> Vec<TieForecast> {
    let n = base.actors.len();
    let have_outcomes = later.len() as u32 >= model.horizon_years;
    let rows = tie_rows(base, later, weights);
    let mut rows = rows.into_iter();
    let mut out = Vec::new();
    for i in 0..n {
        for j in (i + 1)..n {
            let (a, b) = (base.actors[i], base.actors[j]);
            if base.tied[i * n + j] {
                out.push(TieForecast {
                    a,
                    b,
                    p: None,
                    formed: None,
                });
            } else if let Some(r) = rows.next() {
                out.push(TieForecast {
                    a,
                    b,
                    p: Some(model.probability(&r.terms)),
                    formed: have_outcomes.then_some(r.formed),
                });
            }
        }
    }
    out
}

/// The landscape of one draw over `units`: their terms and sizes, the
/// weights and neutral cost, solved with three places and named by the anchors.
#[allow(clippy::too_many_arguments)]
pub fn solve(
    world: &World,
    units: &[Unit],
    unit_terms: &[Features],
    weights: &Weights,
    neutral_cost: f64,
    west_unit: Option<usize>,
    east_unit: Option<usize>,
    ground: &GroundConfig,
) -> Result<Vec<Side>, SimulationError> {
    let m = units.len();
    let groups: Vec<Vec<Ccode>> = units.iter().map(|u| u.members.clone()).collect();
    let sizes: Vec<f64> = shares(world, &groups).iter().map(|s| s.max(1e-9)).collect();
    let prop = propensity::propensities(unit_terms, m, weights);
    // The anchors' units define the sides: they stand on one, never apart.
    let anchors: Vec<usize> = west_unit.into_iter().chain(east_unit).collect();
    let land = Landscape::new(sizes, &prop)?.with_neutral_barred(&anchors);
    let model = Model {
        coalitions: 2,
        neutral_cost: Some(neutral_cost),
    };
    let mut cfg = ground.clone();
    cfg.heuristic.model = model;
    // Past the exact cap, a search budget in proportion to the landscape:
    // 20 moves per actor and place for each of the restarts. On the flagship's
    // 22 units, 100 moves per restart already find the energies 50,000 do.
    cfg.heuristic.moves_per_restart = cfg
        .heuristic
        .moves_per_restart
        .min(20 * (m * model.states()) as u64)
        .max(1);
    let g = land.ground_state(&cfg)?;
    let neutral = model.neutral_state().unwrap_or(2);
    Ok(sides::name_places(&g.sides, neutral, west_unit, east_unit))
}

/// The solver a landscape of `units` units with three places takes.
pub fn solver_for(units: usize, ground: &GroundConfig) -> Solver {
    let model = Model {
        coalitions: 2,
        neutral_cost: Some(0.0),
    };
    if units <= alignment::general_exact_max(&model).min(ground.exact_max_actors) {
        Solver::Exact
    } else {
        Solver::Heuristic
    }
}

/// The draw's alignment weights: from the fit's sampling distribution, on
/// stream `rng` (the same in every option of the draw).
pub fn draw_weights(fit: &AlignmentFit, rng: &mut rand_chacha::ChaCha8Rng) -> (Weights, f64) {
    let mut z = [0.0; PARAMS];
    for v in &mut z {
        *v = rand_distr::Distribution::sample(&rand_distr::StandardNormal, rng);
    }
    fit.draw(&z)
}

/// The weights with the tie terms (defence, consultation, non-aggression)
/// at zero: the alignment link with the pact mechanisms off.
pub fn without_ties(w: Weights) -> Weights {
    let mut v = w.0;
    for k in [1, 2, 3] {
        v[k] = 0.0;
    }
    Weights(v)
}

/// `entente align`: the alignment link on the world of `year`, over the
/// scenario's actors and priors, fitted on the years before `year`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignYear {
    pub year: i32,
    pub units: Vec<Unit>,
    /// Each unit's observed place in `year` (from its formal ties).
    pub observed: Vec<Side>,
    /// Per unit: draws in each place, in [`Side::ALL`] order.
    pub counts: Vec<[u32; 3]>,
    pub draws: usize,
    pub solver: Solver,
    pub fit: AlignmentFit,
    /// The records of the fit (the years before `year`).
    pub history: Vec<YearRecord>,
    pub hazard_until: i32,
}

impl AlignYear {
    /// Share of draws in each place, per unit.
    pub fn shares(&self, u: usize) -> [f64; 3] {
        let n = self.draws.max(1) as f64;
        self.counts[u].map(|k| f64::from(k) / n)
    }

    /// The place a unit takes in most draws (ties: the first in [`Side::ALL`]).
    pub fn modal(&self, u: usize) -> Side {
        let c = self.counts[u];
        let mut best = 0;
        for k in 1..3 {
            if c[k] > c[best] {
                best = k;
            }
        }
        Side::ALL[best]
    }
}

/// The scenario's units in `world`: members that do not exist there dropped,
/// and units left without members with them.
pub fn units_in(world: &World, units: &[Unit]) -> Vec<Unit> {
    units
        .iter()
        .filter_map(|u| {
            let members: Vec<Ccode> = u
                .members
                .iter()
                .copied()
                .filter(|&c| world.state(c).is_some())
                .collect();
            (!members.is_empty()).then(|| Unit {
                label: u.label.clone(),
                members,
            })
        })
        .collect()
}

/// Run the alignment link of `scenario` on the world of `year` for `draws`
/// draws (the draws' parameters from the scenario's design, their hazard
/// coefficients and alignment weights from their fits' sampling distributions).
pub fn align_year(
    archive: &Archive,
    scenario: &crate::scenario::Scenario,
    year: i32,
    draws: usize,
) -> Result<AlignYear, SimulationError> {
    let cov = archive.coverage();
    let (first, last) = (HISTORY_FROM + 1, cov.last_year);
    if year < first || year > last {
        return Err(SimulationError::AlignYear { year, first, last });
    }
    let hazard_until = cov.disputes_last.map_or(year, |l| l.min(year));
    let hazard =
        crate::hazard::fit::fit(archive, crate::hazard::fit::FitConfig::until(hazard_until))?;
    let anchors = &scenario.framing.anchors;
    let history = history(
        archive,
        &scenario.actors,
        anchors,
        &hazard,
        HISTORY_FROM,
        year - 1,
    )?;
    let fit = fit_weights(&history, year - 1)?;
    let world = World::for_year(archive, year)?;
    let all_units = alignment::units(&world, &scenario.actors, &scenario.framing.blocs);
    let units = units_in(&world, &all_units);
    let actors: Vec<Ccode> = units.iter().flat_map(|u| u.members.clone()).collect();
    let unit_of =
        |c: Option<Ccode>| c.and_then(|c| units.iter().position(|u| u.members.contains(&c)));
    let (west_unit, east_unit) = (
        unit_of(scenario.framing.west),
        unit_of(scenario.framing.east),
    );
    let priors = super::run_priors(scenario, &hazard, hazard_until, None, None)?;
    let uncertain = scenario.uncertain();
    let per = uncertain.len() + 2;
    let design = crate::sensitivity::Design::new(
        uncertain.len(),
        draws.div_ceil(per).max(2),
        crate::sensitivity::Sampler::SobolShifted {
            seed: scenario.experiment.seed,
        },
    )?;
    let mut ground = GroundConfig::default();
    ground.heuristic.seed = scenario.experiment.seed;
    let seed = scenario.experiment.seed;
    let places: Vec<Vec<Side>> = (0..draws)
        .into_par_iter()
        .map(|d| {
            let p = super::params_at(
                &design.unit_point(d).unwrap_or_default(),
                &uncertain,
                &priors,
            );
            let cfg = super::threat_config(&hazard, seed, &p, d);
            let th = threat::threat(archive, &world, &actors, &cfg);
            let terms = propensity::features(&world, &th, &actors);
            let unit_terms = alignment::unit_features(&units, &actors, &terms);
            let (w, cost) =
                draw_weights(&fit, &mut super::link_rng(seed, d, super::Link::Alignment));
            solve(
                &world,
                &units,
                &unit_terms,
                &w,
                cost,
                west_unit,
                east_unit,
                &ground,
            )
        })
        .collect::<Result<_, _>>()?;
    let mut counts = vec![[0u32; 3]; units.len()];
    for draw in &places {
        for (u, s) in draw.iter().enumerate() {
            counts[u][usize::from(s.code())] += 1;
        }
    }
    Ok(AlignYear {
        year,
        observed: units
            .iter()
            .map(|u| sides::observed_unit(&world, &u.members, anchors))
            .collect(),
        solver: solver_for(units.len(), &ground),
        units,
        counts,
        draws,
        fit,
        history,
        hazard_until,
    })
}
