//! The Monte Carlo engine: every policy option of a scenario, run over the
//! same sampled worlds (common random numbers), through the chain of the
//! models' own links:
//!
//! option worlds ([`options`], built once per run) -> threat
//! ([`crate::threat`]) -> spending over the horizon -> regional power
//! ([`crate::power`]) -> alignment ([`crate::alignment`]: propensities,
//! units, the size-capped ground state) -> bargaining
//! ([`crate::bargaining::forecast`]) -> claim metrics ([`metrics`]); beside
//! spending, nuclear stockpiles ([`warheads`], only when a claim reads them).
//!
//! This module holds no model of its own: it samples the parameters, calls
//! each link and keeps the results.
//!
//! Draws follow the experiment's design ([`design`]): by default a Saltelli design (base
//! samples `N`, `k` uncertain parameters, `N (k + 2)` points), so the same runs give the
//! claims' probabilities and their Sobol drivers; or a Sobol', Latin hypercube or random
//! point set (probabilities without drivers); each point run `R` times (replications).
//! Draw `d` takes its parameters from point `d / R` of the design and its noise from
//! ChaCha stream `d` of the scenario's seed, one region of the stream per link: results
//! are bit-identical whatever the thread count or shard split, and every option of a draw
//! replays the same noise.

pub mod align;
pub mod checks;
mod claims;
pub mod corners;
pub mod design;
pub mod metrics;
pub mod options;
mod params;
mod spending;
pub mod warheads;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

pub use checks::{identical_options, IdenticalOption};
pub use claims::{
    claims, crossing, rests_on, threshold_curve, top_driver, ClaimResult, ClaimStatus,
    CornerVerdict, CurvePoint, Driver,
};
pub use design::{DesignRow, RunDesign};
pub use options::{OptionWorld, Segment};
pub use params::DrawParams;
pub use spending::MIN_FIT_YEARS;

use crate::alignment::{self, AlignmentError, GroundConfig, Solver, Unit};
use crate::bargaining::{self, StakeholderDraw};
use crate::hazard::fit::{self, FitConfig, FitError, Fitted};
use crate::hazard::model::K as HAZARD_TERMS;
use crate::hazard::Coefficients;
use crate::ids::Ccode;
use crate::power::{self, PowerConfig};
use crate::prior::{Prior, PriorError};
use crate::scenario::{Basis, Influence, Param, Scenario};
use crate::sensitivity::SensitivityError;
use crate::threat::{self, Threat, ThreatConfig};
use crate::world::{Archive, World, WorldError};

/// Why a scenario cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulationError {
    #[error(transparent)]
    World(#[from] WorldError),
    #[error("scenario has no options")]
    NoOptions,
    #[error("prior of `{param}`: {source}")]
    Prior {
        param: &'static str,
        #[source]
        source: PriorError,
    },
    #[error("alignment: {0}")]
    Alignment(#[from] AlignmentError),
    #[error("experiment design: {0} (give at least one parameter a non-fixed prior)")]
    Design(#[from] SensitivityError),
    #[error("dispute hazard: {0}")]
    Hazard(#[from] FitError),
    #[error("spending model: {0}")]
    Spending(#[from] crate::arms::ArmsError),
    #[error("bargaining: no {measure} in {year} for {states}: give each a `weight` in the file")]
    NoInfluence {
        measure: &'static str,
        year: i32,
        states: String,
    },
    #[error("alignment fit: {0}")]
    AlignmentFit(#[source] alignment::logit::LogitError),
    #[error("tie formation: no base year of the history has its {horizon_years}-year horizon end by {until}")]
    NoTieHistory { horizon_years: u32, until: i32 },
    #[error("alignment: year {year} is outside {first}-{last} (the model needs at least one year of history before it)")]
    AlignYear { year: i32, first: i32, last: i32 },
    #[error(transparent)]
    Warheads(#[from] crate::warheads::WarheadError),
    #[error("claim `{claim}`: none of its states holds nuclear warheads in {year}, so the warhead model has nothing to project")]
    NoArsenal { claim: String, year: i32 },
    #[error("spending model: the data hold no SIPRI spending")]
    NoSpendingData,
    #[error("spending model: base year {base_year} leaves fewer than {need} years of SIPRI spending (from {first}) to fit on; the first base year is {}", first + need - 1)]
    SpendingHistory {
        base_year: i32,
        first: i32,
        need: i32,
    },
}

/// A parameter's prior in a run, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPrior {
    pub prior: Prior,
    pub origin: PriorOrigin,
}

/// Where a run's prior came from.
#[derive(Debug, Clone, PartialEq)]
pub enum PriorOrigin {
    /// The scenario file.
    Scenario,
    /// Estimated on the data up to the year given, with what it rests on.
    Estimated { until: i32, basis: String },
    /// The parameter's default (published or an assumption).
    Default(Basis),
}

impl PriorOrigin {
    /// A few words for outputs.
    pub fn describe(&self) -> String {
        match self {
            PriorOrigin::Scenario => "scenario file".into(),
            PriorOrigin::Estimated { until, basis } => format!("estimated to {until}: {basis}"),
            PriorOrigin::Default(b) => b.name().into(),
        }
    }
}

/// The streams of a draw's noise, one per link that draws any.
#[derive(Debug, Clone, Copy)]
enum Link {
    Spending = 0,
    Bargaining = 1,
    /// The refit hazard's coefficients, drawn from their sampling distribution.
    Hazard = 2,
    /// The alignment weights, drawn from their fit's sampling distribution.
    Alignment = 3,
    /// The warhead model's coefficients and noise.
    Warheads = 4,
}

/// The ChaCha stream of draw `d` for one link: stream `d` of the seed,
/// starting at a region of its own (2^60 words apart, far more than a draw uses).
fn link_rng(seed: u64, d: usize, link: Link) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(d as u64);
    rng.set_word_pos((link as u128) << 60);
    rng
}

/// Everything computed once per scenario.
pub struct Prepared<'a> {
    pub archive: &'a Archive,
    pub scenario: &'a Scenario,
    pub base: World,
    /// Miller's (2022) published dispute-onset coefficients (a reference).
    pub coefficients: Coefficients,
    /// The dispute-onset model refit on the data up to the base year (or the
    /// dispute data's end), with its coefficient covariance and joining rates.
    pub hazard: Fitted,
    /// The spending model fitted on the data up to the base year (its
    /// states in actor order).
    pub spending: crate::spending::Model,
    /// The warhead model fitted on the FAS history up to the base year,
    /// when a claim reads warheads.
    pub warheads: Option<warheads::WarheadLink>,
    pub units: Vec<Unit>,
    /// Each option's worlds over the horizon, in option order.
    pub worlds: Vec<OptionWorld>,
    /// `partners[i][j]`: actors `i` and `j` have a commitment in some
    /// option's world in some year (see [`metrics::Context::partners`]).
    pub partners: Vec<Vec<bool>>,
    /// Every parameter's prior, in [`Param::ALL`] order, with its origin.
    pub priors: Vec<RunPrior>,
    /// Uncertain parameters in design order.
    pub uncertain: Vec<Param>,
    /// The experiment's design points and replications.
    pub design: RunDesign,
    /// How the alignment's ground state is solved (exact up to a size cap).
    pub ground: GroundConfig,
    /// The alignment weights and the value of standing unaligned, fitted on
    /// the actors' places in the years before the base year.
    pub alignment: alignment::fit::AlignmentFit,
    /// The units holding the framing's west and east states.
    pub west_unit: Option<usize>,
    pub east_unit: Option<usize>,
    /// How far along the chain each draw goes.
    pub chain: Chain,
    /// Each stakeholder's weight in the bargaining model (the scenario's
    /// influence measure in the base world, or the weight the file gives).
    pub influence: std::collections::BTreeMap<Ccode, f64>,
}

/// How far along the chain a draw goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Chain {
    /// Every link, to the claims' metrics.
    #[default]
    Full,
    /// Threat and spending only (a hindcast scores spending; alignment,
    /// bargaining and the metrics feed nothing back into it). Results carry
    /// no coalition, no bargaining forecast and no claim values.
    ThroughSpending,
}

/// One option's results in one draw.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionResult {
    pub option: String,
    /// Spending path per actor (constant 2023 US$ m), base year to horizon;
    /// `None` for actors without a spending baseline.
    pub milex: Vec<Option<Vec<f64>>>,
    /// Threat felt by each actor in the option's world at the horizon.
    pub theta: Vec<f64>,
    /// Place of each alignment unit in the ground state, as
    /// [`alignment::Side::code`]: 0 west, 1 east, 2 unaligned.
    pub coalition: Vec<u8>,
    /// Regional power share of each actor.
    pub region_share: Vec<f64>,
    pub bargaining_median: f64,
    /// The value of each claim's metric (NaN where the claim has none).
    pub claim_values: Vec<f64>,
}

/// One draw: its parameters and every option's results.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawResult {
    pub draw: usize,
    /// Values of all parameters (in `Param::ALL` order).
    pub params: Vec<f64>,
    pub options: Vec<OptionResult>,
}

impl<'a> Prepared<'a> {
    pub fn new(
        archive: &'a Archive,
        scenario: &'a Scenario,
        coefficients: Coefficients,
    ) -> Result<Prepared<'a>, SimulationError> {
        if scenario.options.is_empty() {
            return Err(SimulationError::NoOptions);
        }
        let base = World::for_year(archive, scenario.base_year)?;
        let influence = influence(&base, scenario)?;
        // Nothing after the base year: the hazard is refit on the disputes up
        // to it (or to the end of the dispute data, if that comes first).
        let fit_until = archive
            .coverage()
            .disputes_last
            .map_or(scenario.base_year, |l| l.min(scenario.base_year));
        let hazard = fit::fit(archive, FitConfig::until(fit_until))?;
        let spending = spending::fit_model(archive, &scenario.actors, &base, &hazard)?;
        let warheads = warheads::fit_link(archive, scenario, &base, &hazard)?;
        let priors = run_priors(
            scenario,
            &hazard,
            fit_until,
            Some(&spending),
            warheads.as_ref(),
        )?;
        let units = alignment::units(&base, &scenario.actors, &scenario.framing.blocs);
        let worlds: Vec<OptionWorld> = scenario
            .options
            .iter()
            .map(|o| OptionWorld::build(&base, scenario, o))
            .collect();
        let partners = partners_in_any(&base, &worlds, &scenario.actors);
        let uncertain: Vec<Param> = scenario.uncertain();
        let design = RunDesign::new(uncertain.len(), &scenario.experiment)?;
        let mut ground = GroundConfig::default();
        ground.heuristic.seed = scenario.experiment.seed;
        let anchors = &scenario.framing.anchors;
        let history = align::history(
            archive,
            &scenario.actors,
            anchors,
            &hazard,
            align::HISTORY_FROM,
            scenario.base_year - 1,
        )?;
        let alignment = align::fit_weights(&history, scenario.base_year - 1)?;
        let unit_of =
            |c: Option<Ccode>| c.and_then(|c| units.iter().position(|u| u.members.contains(&c)));
        let (west_unit, east_unit) = (
            unit_of(scenario.framing.west),
            unit_of(scenario.framing.east),
        );
        Ok(Prepared {
            archive,
            scenario,
            base,
            coefficients,
            hazard,
            spending,
            warheads,
            units,
            worlds,
            partners,
            priors,
            uncertain,
            design,
            ground,
            alignment,
            west_unit,
            east_unit,
            chain: Chain::Full,
            influence,
        })
    }

    pub fn draws(&self) -> usize {
        self.design.draws()
    }

    /// Where draw `d` sits in the design.
    pub fn design_row(&self, d: usize) -> DesignRow {
        self.design.row(d)
    }

    /// Whether the alignment landscape is past the exact solver's cap (the
    /// ground state is then a heuristic search's best, not proven optimal).
    pub fn alignment_solver(&self) -> Solver {
        align::solver_for(self.units.len(), &self.ground)
    }

    /// Every parameter's value in draw `d` (in `Param::ALL` order); fixed
    /// parameters take their prior's median.
    pub fn params(&self, d: usize) -> DrawParams {
        params_at(&self.design.unit_point(d), &self.uncertain, &self.priors)
    }

    /// Run draws `draws` in parallel; results come back in the order given.
    pub fn run(
        &self,
        draws: &[usize],
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<DrawResult>, SimulationError> {
        draws
            .par_iter()
            .map(|&d| {
                let r = self.run_draw(d);
                progress();
                r
            })
            .collect()
    }

    fn threat_config(&self, p: &DrawParams, d: usize) -> ThreatConfig {
        threat_config(&self.hazard, self.scenario.experiment.seed, p, d)
    }

    /// One draw: every option over the same parameters and noise.
    pub fn run_draw(&self, d: usize) -> Result<DrawResult, SimulationError> {
        self.run_with(d, self.params(d))
    }

    /// The chain at `params`, with draw `d`'s noise streams.
    pub fn run_with(&self, d: usize, params: DrawParams) -> Result<DrawResult, SimulationError> {
        self.run_with_spending(d, params, &self.spending, true)
    }

    /// The chain at `params` with another fit of the spending model (the
    /// mechanisms-off corner's, without states' own elasticities).
    pub(crate) fn run_with_spending(
        &self,
        d: usize,
        params: DrawParams,
        spending: &crate::spending::Model,
        pact_terms: bool,
    ) -> Result<DrawResult, SimulationError> {
        let cfg = self.threat_config(&params, d);
        // The alignment weights of the draw, the same in every option.
        let (weights, neutral_cost) = align::draw_weights(
            &self.alignment,
            &mut link_rng(self.scenario.experiment.seed, d, Link::Alignment),
        );
        let weights = if pact_terms {
            weights
        } else {
            align::without_ties(weights)
        };
        let sc = self.scenario;
        let actors = &sc.actors;
        let h = sc.horizon_years as usize;
        // Threat in the unedited world: the reference for spending responses.
        let reference = threat::threat(self.archive, &self.base, actors, &cfg);
        // Pacts move no capability: regional power is the same in every option.
        let regional = power::regional(&self.base, &sc.framing.region, &cfg.power);
        let region_share: Vec<f64> = actors
            .iter()
            .map(|c| {
                regional
                    .iter()
                    .find(|r| r.ccode == *c)
                    .and_then(|r| r.region_share)
                    .unwrap_or(0.0)
            })
            .collect();
        // The warhead model's coefficients and noise, the same in every option.
        let warhead_noise = self.warheads.as_ref().map(|l| {
            l.draw_noise(
                params.get(Param::WarheadThreatElasticity),
                h,
                &mut link_rng(sc.experiment.seed, d, Link::Warheads),
            )
        });
        let mut options = Vec::with_capacity(sc.options.len());
        for (opt, ow) in sc.options.iter().zip(&self.worlds) {
            let threats: Vec<Threat> = ow
                .segments
                .iter()
                .map(|s| {
                    if ow.unedited {
                        reference.clone()
                    } else {
                        threat::threat(self.archive, &s.world, actors, &cfg)
                    }
                })
                .collect();
            let per_year: Vec<&Threat> = (0..=h)
                .map(|t| &threats[ow.segment_of(sc.base_year + t as i32)])
                .collect();
            let inputs = spending::inputs(spending, &per_year, &reference, ow)?;
            let milex = spending.project(
                &inputs,
                &spending::draw_params(&params),
                &mut link_rng(sc.experiment.seed, d, Link::Spending),
            );
            let (world, th) = (ow.last(), per_year[h]);
            if self.chain == Chain::ThroughSpending {
                options.push(OptionResult {
                    option: opt.id.clone(),
                    milex,
                    theta: th.theta.clone(),
                    coalition: Vec::new(),
                    region_share: region_share.clone(),
                    bargaining_median: f64::NAN,
                    claim_values: Vec::new(),
                });
                continue;
            }
            let terms = alignment::propensity::features(world, th, actors);
            let propensity = alignment::propensity::propensities(&terms, actors.len(), &weights);
            let unit_terms = alignment::unit_features(&self.units, actors, &terms);
            let coalition = align::solve(
                world,
                &self.units,
                &unit_terms,
                &weights,
                neutral_cost,
                self.west_unit,
                self.east_unit,
                &self.ground,
            )?
            .iter()
            .map(|s| s.code())
            .collect();
            let bargaining_median = self.bargain(d);
            let stockpiles = match (&self.warheads, &warhead_noise) {
                (Some(l), Some(n)) => l.horizon(n, &reference, &per_year),
                _ => Vec::new(),
            };
            let mut r = OptionResult {
                option: opt.id.clone(),
                milex,
                theta: th.theta.clone(),
                coalition,
                region_share: region_share.clone(),
                bargaining_median,
                claim_values: Vec::new(),
            };
            let cx = metrics::Context {
                actors,
                units: &self.units,
                world,
                threat: th,
                propensity: &propensity,
                partners: &self.partners,
                result: &r,
                reliability: cfg.reliability,
                warheads: &stockpiles,
            };
            let values = sc
                .claims
                .iter()
                .map(|c| metrics::value(c.metric, &c.states, &c.sources, &cx))
                .collect();
            r.claim_values = values;
            options.push(r);
        }
        Ok(DrawResult {
            draw: d,
            params: params.0,
            options,
        })
    }

    /// The bargaining forecast on the scenario's issue, positions and
    /// saliences drawn within the stakeholders' ranges (the same in every option).
    fn bargain(&self, d: usize) -> f64 {
        let st: Vec<StakeholderDraw> = self
            .scenario
            .stakeholders
            .iter()
            .map(|s| StakeholderDraw {
                capability: self.influence.get(&s.state).copied().unwrap_or(0.0),
                position: s.position,
                salience: s.salience,
            })
            .collect();
        let mut rng = link_rng(self.scenario.experiment.seed, d, Link::Bargaining);
        bargaining::forecast(&st, bargaining::Config::default(), &mut rng).median
    }
}

/// Each stakeholder's influence on the bargaining issue: the weight the file
/// gives, else the scenario's measure in the base world; a stakeholder
/// without it is an error (missing is not zero).
fn influence(
    base: &World,
    sc: &Scenario,
) -> Result<std::collections::BTreeMap<Ccode, f64>, SimulationError> {
    let mut out = std::collections::BTreeMap::new();
    let mut missing = Vec::new();
    for s in &sc.stakeholders {
        let v = s.weight.or_else(|| match sc.influence {
            Influence::Capability => power::capability(base, s.state),
            Influence::MilitarySpending => base
                .state(s.state)
                .and_then(|st| st.milex.const2023_usd_m.value),
        });
        match v {
            Some(v) if v.is_finite() && v >= 0.0 => {
                out.insert(s.state, v);
            }
            _ => missing.push(s.label.clone()),
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(SimulationError::NoInfluence {
            measure: sc.influence.name(),
            year: sc.base_year,
            states: missing.join(", "),
        })
    }
}

/// Which actor pairs have a commitment (defence or consultation) in the base
/// world or in any option's world in any year.
fn partners_in_any(base: &World, worlds: &[OptionWorld], actors: &[Ccode]) -> Vec<Vec<bool>> {
    let n = actors.len();
    let mut out = vec![vec![false; n]; n];
    let all = std::iter::once(base).chain(
        worlds
            .iter()
            .flat_map(|w| w.segments.iter().map(|s| &s.world)),
    );
    for w in all {
        for i in 0..n {
            for j in i + 1..n {
                if !out[i][j] && !threat::pact_between(w, actors[i], actors[j]).is_none() {
                    out[i][j] = true;
                    out[j][i] = true;
                }
            }
        }
    }
    out
}

/// The prior of a parameter estimated on the data, when it is one and the
/// data estimate it: a normal at the estimate with its standard error,
/// truncated to the parameter's range.
/// Every parameter's prior in a run, in [`Param::ALL`] order: the file's,
/// else the estimate on the data up to `fit_until` (the joining rates; the
/// spending model's parameters when `spending` is given; the warhead
/// elasticity when `warheads` is), else the default.
pub fn run_priors(
    scenario: &Scenario,
    hazard: &Fitted,
    fit_until: i32,
    spending: Option<&crate::spending::Model>,
    warheads: Option<&warheads::WarheadLink>,
) -> Result<Vec<RunPrior>, SimulationError> {
    Param::ALL
        .iter()
        .map(|&p| {
            let run = match scenario.given(p) {
                Some(prior) => RunPrior {
                    prior,
                    origin: PriorOrigin::Scenario,
                },
                None => estimated_prior(p, hazard, fit_until)
                    .or_else(|| spending.and_then(|m| spending::estimated_prior(p, m)))
                    .or_else(|| {
                        warheads
                            .filter(|_| p == warheads::PARAM)
                            .and_then(warheads::estimated_prior)
                    })
                    .unwrap_or(RunPrior {
                        prior: p.default_prior(),
                        origin: PriorOrigin::Default(p.basis()),
                    }),
            };
            // Given priors must stay in the parameter's domain (estimates
            // are truncated to the fit's own range).
            let in_domain = match run.origin {
                PriorOrigin::Estimated { .. } => Ok(()),
                _ => p.check_prior(&run.prior),
            };
            run.prior
                .validate()
                .and(in_domain)
                .map(|()| run)
                .map_err(|source| SimulationError::Prior {
                    param: p.name(),
                    source,
                })
        })
        .collect()
}

/// Every parameter's value at row `d` of `design` (in [`Param::ALL`] order);
/// fixed parameters take their prior's median.
/// Every parameter's value at the design's unit point `u` (uncertain parameters in design
/// order); fixed parameters, and any past `u`'s end, take their prior's median.
pub fn params_at(u: &[f64], uncertain: &[Param], priors: &[RunPrior]) -> DrawParams {
    DrawParams(
        Param::ALL
            .iter()
            .zip(priors)
            .map(|(p, rp)| match uncertain.iter().position(|q| q == p) {
                Some(i) => rp.prior.at(u.get(i).copied().unwrap_or(0.5)),
                None => rp.prior.at(0.5),
            })
            .collect(),
    )
}

/// The threat model's settings in draw `d`: the refit hazard with its
/// coefficients drawn from their sampling distribution (the same in every
/// option of the draw), and the draw's parameters.
pub fn threat_config(hazard: &Fitted, seed: u64, p: &DrawParams, d: usize) -> ThreatConfig {
    let mut cfg = ThreatConfig::from_fit(hazard);
    let mut rng = link_rng(seed, d, Link::Hazard);
    let mut z = [0.0; HAZARD_TERMS];
    for v in &mut z {
        *v = rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut rng);
    }
    if let Some(m) = hazard.model.draw(&z) {
        cfg.hazard.model = m;
    }
    cfg.power = PowerConfig {
        miles_per_day: p.get(Param::MilesPerDay),
        ..PowerConfig::default()
    };
    cfg.reliability = p.get(Param::Reliability);
    cfg.deterrence = p.get(Param::Deterrence);
    let (jd, jc) = (
        p.get(Param::JoiningDefence),
        p.get(Param::JoiningConsultation),
    );
    cfg.joining_defence = jd;
    cfg.joining_consultation = jc;
    // A consultation partner weighs what its joining rate says, relative to an ally's.
    cfg.consultation_weight = if jd > 0.0 { (jc / jd).min(1.0) } else { 0.0 };
    cfg
}

fn estimated_prior(p: Param, hazard: &Fitted, until: i32) -> Option<RunPrior> {
    let (rate, what) = match p {
        Param::JoiningDefence => (hazard.joining_defence, "defence allies"),
        Param::JoiningConsultation => (hazard.joining_consultation, "consultation partners"),
        _ => return None,
    };
    (rate.rate.is_finite() && rate.se > 0.0).then(|| RunPrior {
        prior: Prior::Normal {
            mean: rate.rate,
            sd: rate.se,
            lo: 0.0,
            hi: 1.0,
        },
        origin: PriorOrigin::Estimated {
            until,
            basis: format!(
                "share of {what}' disputes joined, {} of {} (MID 1946-{until})",
                rate.events, rate.trials
            ),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_has_n_times_k_plus_2_runs() {
        let e = crate::scenario::Experiment::saltelli(4, 1);
        let d = RunDesign::new(3, &e).unwrap();
        assert_eq!(d.draws(), 4 * (3 + 2));
    }

    #[test]
    fn link_streams_are_distinct_and_repeatable() {
        use rand::Rng;
        let a: u64 = link_rng(1, 3, Link::Spending).random();
        let b: u64 = link_rng(1, 3, Link::Bargaining).random();
        let c: u64 = link_rng(1, 4, Link::Spending).random();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, link_rng(1, 3, Link::Spending).random::<u64>());
    }
}
