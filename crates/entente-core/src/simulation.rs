//! The Monte Carlo engine: every policy option of a scenario, run over the
//! same sampled worlds (common random numbers), through the model chain
//!
//! world -> power at a distance -> dispute hazard and threat -> spending over
//! the horizon -> alignment landscape -> bargaining -> metrics.
//!
//! Draws follow a Saltelli design (base samples `N`, `k` uncertain parameters,
//! `N (k + 2)` draws), so the same runs give the claims' probabilities and their
//! Sobol drivers. Draw `d` takes its parameters from row `d` of the design and
//! its noise from ChaCha stream `d` of the scenario's seed: results are
//! bit-identical whatever the thread count or shard split.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::bargaining;
use crate::hazard::fit::{self, FitConfig, FitError, Fitted};
use crate::hazard::model::Regressor;
use crate::hazard::{Coefficients, HazardConfig, Relevance};
use crate::ids::Ccode;
use crate::power::{self, PowerConfig};
use crate::scenario::{Comparison, Direction, Edit, Metric, Param, PolicyOption, Scenario};
use crate::sensitivity::{self, ConfidenceIntervals, Design, Sampler};
use crate::threat::{self, Threat, ThreatConfig};
use crate::world::{Archive, World, WorldError};

/// Why a scenario cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulationError {
    #[error(transparent)]
    World(#[from] WorldError),
    #[error("scenario has no options")]
    NoOptions,
    #[error("bargaining: {0}")]
    Bargaining(String),
    #[error("alignment: {0}")]
    Alignment(String),
    #[error("experiment design: {0} (give at least one parameter a non-fixed prior)")]
    Design(String),
    #[error("dispute hazard: {0}")]
    Hazard(#[from] FitError),
}

/// A unit of the alignment landscape: a state, or a bloc counted as one actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub label: String,
    pub members: Vec<Ccode>,
}

/// Spending baseline of one state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendingBase {
    /// Constant 2023 US$ m in the base year.
    pub level: f64,
    /// Mean annual log growth over the ten years before the base year.
    pub growth: f64,
}

/// Everything computed once per scenario.
pub struct Prepared<'a> {
    pub archive: &'a Archive,
    pub scenario: &'a Scenario,
    pub base: World,
    /// Miller's (2022) published dispute-onset coefficients (a reference).
    pub coefficients: Coefficients,
    /// The dispute-onset model refit on the data up to the base year (or the
    /// dispute data's end), with its coefficient covariance.
    pub hazard: Fitted,
    pub region: Vec<Ccode>,
    pub spending: Vec<Option<SpendingBase>>,
    pub units: Vec<Unit>,
    /// Uncertain parameters in design order, and all parameters' fixed values.
    pub uncertain: Vec<Param>,
    pub design: Design,
}

/// One option's results in one draw.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionResult {
    pub option: String,
    /// Spending path per actor (constant 2023 US$ m), base year to horizon;
    /// `None` for actors without a spending baseline.
    pub milex: Vec<Option<Vec<f64>>>,
    /// Threat felt by each actor after the option's edits.
    pub theta: Vec<f64>,
    /// Coalition (0 or 1) of each alignment unit in the global minimum.
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
        let fit_until = archive
            .coverage()
            .disputes_last
            .map_or(scenario.base_year, |l| l.min(scenario.base_year));
        let hazard = fit::fit(archive, FitConfig::until(fit_until))?;
        let region = base.group("Indo-Pacific").to_vec();
        // Spending baselines: SIPRI constant 2023 US$ (or the assumption), with
        // the mean log growth of the previous ten years.
        let mut history: Vec<Vec<Option<f64>>> = vec![Vec::new(); scenario.actors.len()];
        let first = (scenario.base_year - 10).max(archive.coverage().first_year);
        for y in first..=scenario.base_year {
            let w = World::for_year(archive, y)?;
            for (i, c) in scenario.actors.iter().enumerate() {
                history[i].push(w.state(*c).and_then(|s| s.milex.const2023_usd_m.value));
            }
        }
        let spending = history
            .iter()
            .map(|h| {
                let level = (*h.last()?)?;
                let known: Vec<(usize, f64)> = h
                    .iter()
                    .enumerate()
                    .filter_map(|(t, v)| v.filter(|x| *x > 0.0).map(|x| (t, x)))
                    .collect();
                let growth = match (known.first(), known.last()) {
                    (Some(&(t0, x0)), Some(&(t1, x1))) if t1 > t0 => {
                        (x1 / x0).ln() / (t1 - t0) as f64
                    }
                    _ => 0.0,
                };
                (level > 0.0).then_some(SpendingBase { level, growth })
            })
            .collect();
        let units = alignment_units(&base, &scenario.actors);
        let uncertain: Vec<Param> = scenario.uncertain().iter().map(|p| p.0).collect();
        // A scrambled Sobol' sequence: quasi-random points converge faster than
        // independent ones, and the shift makes them depend on the seed.
        let design = Design::new(
            uncertain.len(),
            scenario.experiment.base_samples,
            Sampler::SobolShifted {
                seed: scenario.experiment.seed,
            },
        )
        .map_err(|e| SimulationError::Design(e.to_string()))?;
        Ok(Prepared {
            archive,
            scenario,
            base,
            coefficients,
            hazard,
            region,
            spending,
            units,
            uncertain,
            design,
        })
    }

    pub fn draws(&self) -> usize {
        self.design.runs()
    }

    /// Every parameter's value in draw `d` (in `Param::ALL` order).
    pub fn params(&self, d: usize) -> Vec<f64> {
        let u = self.design.unit_point(d).unwrap_or_default();
        Param::ALL
            .iter()
            .map(|p| {
                let prior = self
                    .scenario
                    .priors
                    .iter()
                    .find(|(q, _)| q == p)
                    .map_or(p.default_prior(), |x| x.1);
                match self.uncertain.iter().position(|q| q == p) {
                    Some(i) => prior.quantile(u[i]),
                    None => prior.quantile(0.5),
                }
            })
            .collect()
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

    /// One draw: every option over the same parameters and noise.
    pub fn run_draw(&self, d: usize) -> Result<DrawResult, SimulationError> {
        let params = self.params(d);
        let get = |p: Param| params[Param::ALL.iter().position(|q| *q == p).unwrap_or(0)];
        // Until the engine draws the refit's coefficients from their covariance
        // (`Model::draw`), the intercept moves by `hazard_intercept_z` of its
        // standard error; peace years come from the dispute data, so
        // `peace_years_rivals` is no longer read.
        let mut model = self.hazard.model;
        model.coef[Regressor::Intercept.index()] +=
            get(Param::HazardIntercept) * model.se(Regressor::Intercept);
        let hazard = HazardConfig {
            model,
            relevance: Relevance::PoliticallyRelevant,
        };
        let mut cfg = ThreatConfig::from_fit(&self.hazard);
        cfg.hazard = hazard;
        cfg.power = PowerConfig {
            miles_per_day: get(Param::MilesPerDay),
            ..PowerConfig::default()
        };
        cfg.reliability = get(Param::Reliability);
        cfg.deterrence = get(Param::Deterrence);
        cfg.consultation_weight = get(Param::ConsultationWeight);
        let actors = &self.scenario.actors;
        // Threat in the unedited world: the reference for spending responses.
        let reference = threat::threat(self.archive, &self.base, actors, &cfg);
        let mut options = Vec::with_capacity(self.scenario.options.len());
        for opt in &self.scenario.options {
            let (world, growth_shift) = self.edited(opt);
            let th = threat::threat(self.archive, &world, actors, &cfg);
            // Common random numbers: every option replays draw d's noise.
            let mut rng = ChaCha8Rng::seed_from_u64(self.scenario.experiment.seed);
            rng.set_stream(d as u64);
            let milex = self.project(&th, &reference, &growth_shift, &params, &mut rng);
            let regional = power::regional(&world, &self.region, &cfg.power);
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
            let propensity = self.propensities(&world, &th, get(Param::SharedThreatWeight));
            let coalition = self.align(&world, &propensity)?;
            let bargaining_median = self.bargain(&mut rng)?;
            let mut r = OptionResult {
                option: opt.id.clone(),
                milex,
                theta: th.theta.clone(),
                coalition,
                region_share,
                bargaining_median,
                claim_values: Vec::new(),
            };
            r.claim_values = self
                .scenario
                .claims
                .iter()
                .map(|c| {
                    self.metric(
                        c.metric,
                        &c.states,
                        &c.sources,
                        &world,
                        &th,
                        &propensity,
                        &r,
                        cfg.reliability,
                    )
                })
                .collect();
            options.push(r);
        }
        Ok(DrawResult {
            draw: d,
            params,
            options,
        })
    }

    /// The base world with an option's pact edits applied, and the shift in
    /// each actor's annual spending growth (a fraction) that its spending edits make.
    pub fn edited(&self, opt: &PolicyOption) -> (World, Vec<f64>) {
        let actors = &self.scenario.actors;
        let mut world = self.base.clone();
        let mut growth_shift: Vec<f64> = vec![0.0; actors.len()];
        for (k, e) in opt.edits.iter().enumerate() {
            match e {
                Edit::AddPact { sides, kind } => {
                    world.add_pact(&format!("{}-{}", opt.id, k + 1), sides, *kind)
                }
                Edit::RemovePact { sides, kind } => world.remove_pact(sides, *kind),
                Edit::Spending {
                    states,
                    pct_per_year,
                } => {
                    for (i, c) in actors.iter().enumerate() {
                        if states.contains(c) {
                            growth_shift[i] += pct_per_year / 100.0;
                        }
                    }
                }
            }
        }
        (world, growth_shift)
    }

    /// Spending paths: trend growth plus noise, a level response to the change
    /// in threat (Nordhaus-Oneal-Russett), and a Richardson-type reaction to
    /// threatening states' increases.
    fn project(
        &self,
        th: &Threat,
        reference: &Threat,
        growth_shift: &[f64],
        params: &[f64],
        rng: &mut ChaCha8Rng,
    ) -> Vec<Option<Vec<f64>>> {
        let get = |p: Param| params[Param::ALL.iter().position(|q| *q == p).unwrap_or(0)];
        let (noise, react, response) = (
            get(Param::GrowthNoise),
            get(Param::Reactivity),
            get(Param::ThreatResponse),
        );
        let n = self.scenario.actors.len();
        let h = self.scenario.horizon_years as usize;
        let mut x: Vec<Option<f64>> = self.spending.iter().map(|s| s.map(|s| s.level)).collect();
        // A one-point rise in threat raises spending by `response` percent.
        for (i, xi) in x.iter_mut().enumerate() {
            if let Some(v) = xi.as_mut() {
                *v *= (1.0 + response * (th.theta[i] - reference.theta[i])).max(0.0);
            }
        }
        let mut paths: Vec<Option<Vec<f64>>> = x.iter().map(|v| v.map(|v| vec![v])).collect();
        // Threat shares: whom each state reacts to.
        let weights: Vec<Vec<f64>> =
            th.q.iter()
                .map(|row| {
                    let s: f64 = row.iter().sum();
                    row.iter()
                        .map(|q| if s > 0.0 { q / s } else { 0.0 })
                        .collect()
                })
                .collect();
        let mut prev = x.clone();
        for _ in 0..h {
            // Draw noise for every actor every year, so paths share noise across options.
            let eps: Vec<f64> = (0..n).map(|_| standard_normal(rng)).collect();
            let next: Vec<Option<f64>> = (0..n)
                .map(|i| {
                    let v = x[i]?;
                    let base = self.spending[i].map_or(0.0, |s| s.growth) + growth_shift[i];
                    let reaction: f64 = (0..n)
                        .filter_map(|j| Some(weights[i][j] * (x[j]? - prev[j]?).max(0.0)))
                        .sum();
                    Some((v * (base + noise * eps[i]).exp() + react * reaction).max(0.0))
                })
                .collect();
            prev = x;
            x = next;
            for (p, v) in paths.iter_mut().zip(&x) {
                if let (Some(p), Some(v)) = (p.as_mut(), v) {
                    p.push(*v);
                }
            }
        }
        paths
    }

    /// Pairwise alignment propensities among the actors: ties, rivalry, shared
    /// threat and mutual threat.
    pub fn propensities(&self, world: &World, th: &Threat, shared_weight: f64) -> Vec<Vec<f64>> {
        let actors = &self.scenario.actors;
        let n = actors.len();
        let mut qbar = 0.0;
        for i in 0..n {
            for j in 0..n {
                qbar += th.q[i][j];
            }
        }
        qbar /= (n * n.saturating_sub(1)).max(1) as f64;
        let mut p = vec![vec![0.0; n]; n];
        for i in 0..n {
            for j in (i + 1)..n {
                let o = world.obligations_between(actors[i], actors[j]);
                let rivals = world.rivalry_between(actors[i], actors[j]);
                let ties = (f64::from(u8::from(world.defence_between(actors[i], actors[j])))
                    + 0.5 * f64::from(u8::from(o.consultation))
                    + 0.25 * f64::from(u8::from(o.cooperation)))
                .min(1.5);
                let rival = f64::from(u8::from(rivals));
                let (mut lo, mut hi) = (0.0, 0.0);
                for k in 0..n {
                    if k != i && k != j {
                        lo += th.q[i][k].min(th.q[j][k]);
                        hi += th.q[i][k].max(th.q[j][k]);
                    }
                }
                let shared = if hi > 0.0 { lo / hi } else { 0.0 };
                let mutual = if qbar > 0.0 {
                    ((th.q[i][j] + th.q[j][i]) / (2.0 * qbar)).min(2.0)
                } else {
                    0.0
                };
                let v = ties - rival + shared_weight * shared - mutual;
                p[i][j] = v;
                p[j][i] = v;
            }
        }
        p
    }

    /// The global minimum of the alignment landscape over the units.
    fn align(&self, world: &World, propensity: &[Vec<f64>]) -> Result<Vec<u8>, SimulationError> {
        let actors = &self.scenario.actors;
        let idx = |c: &Ccode| actors.iter().position(|a| a == c);
        let sizes: Vec<f64> = self
            .units
            .iter()
            .map(|u| {
                u.members
                    .iter()
                    .filter_map(|c| power::capability(world, *c))
                    .sum::<f64>()
                    .max(1e-9)
            })
            .collect();
        let m = self.units.len();
        let mut prop = vec![vec![0.0; m]; m];
        #[allow(clippy::needless_range_loop)] // symmetric fill by index pairs
        for a in 0..m {
            for b in (a + 1)..m {
                let (mut s, mut k) = (0.0, 0);
                for x in self.units[a].members.iter().filter_map(idx) {
                    for y in self.units[b].members.iter().filter_map(idx) {
                        s += propensity[x][y];
                        k += 1;
                    }
                }
                let v = if k > 0 { s / k as f64 } else { 0.0 };
                prop[a][b] = v;
                prop[b][a] = v;
            }
        }
        let w: Vec<f64> = (0..m * m)
            .map(|k| sizes[k / m] * sizes[k % m] * prop[k / m][k % m])
            .collect();
        Ok(global_minimum(&w, m).1)
    }

    /// The bargaining forecast on the scenario's issue with positions and
    /// saliences drawn within the stakeholders' ranges.
    fn bargain(&self, rng: &mut ChaCha8Rng) -> Result<f64, SimulationError> {
        let st = &self.scenario.stakeholders;
        if st.len() < 2 {
            return Ok(f64::NAN);
        }
        let actors: Vec<bargaining::Actor> = st
            .iter()
            .map(|s| {
                let u1: f64 = rng.random();
                let u2: f64 = rng.random();
                bargaining::Actor {
                    capability: power::capability(&self.base, s.state)
                        .unwrap_or(0.0)
                        .max(1e-6),
                    position: s.position.0 + u1 * (s.position.1 - s.position.0),
                    salience: s.salience.0 + u2 * (s.salience.1 - s.salience.0),
                }
            })
            .collect();
        // Nothing to bargain over (all positions drawn equal) leaves the forecast undefined.
        let Ok(model) = bargaining::Model::new(actors, bargaining::Config::default()) else {
            return Ok(f64::NAN);
        };
        let run = model.run();
        // Runs cycle: the forecast is the median over the cycle where there is one.
        Ok(match &run.cycle {
            Some(c) => c.median_mean,
            None => run
                .rounds
                .last()
                .map_or(run.initial.median, |r| r.forecast.median),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn metric(
        &self,
        metric: Option<Metric>,
        states: &[Ccode],
        sources: &[Ccode],
        world: &World,
        th: &Threat,
        propensity: &[Vec<f64>],
        r: &OptionResult,
        reliability: f64,
    ) -> f64 {
        let actors = &self.scenario.actors;
        let ix: Vec<usize> = states
            .iter()
            .filter_map(|c| actors.iter().position(|a| a == c))
            .collect();
        let mean = |v: Vec<f64>| {
            if v.is_empty() {
                f64::NAN
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        match metric {
            None => f64::NAN,
            Some(Metric::MilexHorizon) => ix
                .iter()
                .filter_map(|&i| r.milex[i].as_ref().and_then(|p| p.last().copied()))
                .sum(),
            Some(Metric::Threat) => mean(ix.iter().map(|&i| th.theta[i]).collect()),
            Some(Metric::ThreatFrom) => {
                let src: Vec<usize> = sources
                    .iter()
                    .filter_map(|c| actors.iter().position(|a| a == c))
                    .collect();
                mean(
                    ix.iter()
                        .map(|&i| src.iter().map(|&j| th.q[i][j]).sum())
                        .collect(),
                )
            }
            Some(Metric::BlocCohesion) => {
                let mut v = Vec::new();
                for (a, &i) in ix.iter().enumerate() {
                    for &j in &ix[a + 1..] {
                        v.push(propensity[i][j]);
                    }
                }
                mean(v)
            }
            Some(Metric::Division) => {
                let mut count = [0usize; 2];
                for (u, unit) in self.units.iter().enumerate() {
                    if unit.members.len() == 1 && states.contains(&unit.members[0]) {
                        count[usize::from(r.coalition[u] != 0)] += 1;
                    }
                }
                let total = count[0] + count[1];
                if total == 0 {
                    f64::NAN
                } else {
                    count[0].min(count[1]) as f64 / total as f64
                }
            }
            Some(Metric::CoalitionPowerShare) => {
                // The states' own shares plus their defence allies' at reliability.
                let mut allies: Vec<Ccode> = Vec::new();
                for &c in states {
                    for s in &world.states {
                        if s.ccode != c
                            && !states.contains(&s.ccode)
                            && world.defence_between(c, s.ccode)
                            && !allies.contains(&s.ccode)
                        {
                            allies.push(s.ccode);
                        }
                    }
                }
                let share = |c: &Ccode| {
                    actors
                        .iter()
                        .position(|a| a == c)
                        .map_or(0.0, |i| r.region_share[i])
                };
                states.iter().map(share).sum::<f64>()
                    + reliability * allies.iter().map(share).sum::<f64>()
            }
            Some(Metric::BargainingMedian) => r.bargaining_median,
        }
    }
}

/// The exact global minimum of a two-coalition landscape with pair weights
/// `w` (`n x n`, `w[i n + j] = s_i s_j p_ij`): energy and each actor's side.
///
/// Gray-code enumeration of the 2^(n-1) configurations (the last actor stays
/// on side 0) with the local fields updated per flip: O(n) per configuration
/// and no allocation, several times faster than the general solver in
/// [`crate::alignment`], which also collects local minima. Ties keep the first
/// configuration met.
pub fn global_minimum(w: &[f64], n: usize) -> (f64, Vec<u8>) {
    if n < 2 {
        return (0.0, vec![0; n]);
    }
    let free = n - 1;
    let mut w = w.to_vec();
    for i in 0..n {
        w[i * n + i] = 0.0;
    }
    // sigma = +1 everywhere: energy 0 (no pair is split), fields f_i = sum_j w_ij.
    let mut sigma = vec![1.0f64; n];
    let mut field: Vec<f64> = (0..n).map(|i| w[i * n..(i + 1) * n].iter().sum()).collect();
    let (mut energy, mut best, mut best_code) = (0.0f64, 0.0f64, 0u64);
    for t in 1u64..(1u64 << free) {
        let k = t.trailing_zeros() as usize;
        // Splitting or joining k's pairs: dE = sigma_k f_k.
        energy += sigma[k] * field[k];
        let sk2 = 2.0 * sigma[k];
        // The diagonal of `w` is zero, so k's own field is left as it is
        // and the loop needs no branch (it vectorises).
        for (f, wk) in field.iter_mut().zip(&w[k * n..(k + 1) * n]) {
            *f -= wk * sk2;
        }
        sigma[k] = -sigma[k];
        if energy < best {
            best = energy;
            best_code = t ^ (t >> 1);
        }
    }
    let sides = (0..n)
        .map(|i| {
            if i < free {
                ((best_code >> i) & 1) as u8
            } else {
                0
            }
        })
        .collect();
    (best, sides)
}

/// A standard normal variate (Box-Muller; one uniform pair per variate keeps
/// the stream's use fixed).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// The alignment units: the scenario's states outside NATO-Europe one by one,
/// NATO's European members as one bloc.
pub fn alignment_units(world: &World, actors: &[Ccode]) -> Vec<Unit> {
    let nato = world.group("NATO");
    let europe: Vec<Ccode> = actors
        .iter()
        .copied()
        .filter(|c| nato.contains(c) && c.0 >= 200)
        .collect();
    let mut units: Vec<Unit> = actors
        .iter()
        .filter(|c| !europe.contains(c))
        .map(|&c| Unit {
            label: world
                .state(c)
                .map(|s| {
                    s.iso3
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| s.abb.clone())
                })
                .unwrap_or_else(|| c.to_string()),
            members: vec![c],
        })
        .collect();
    if !europe.is_empty() {
        units.push(Unit {
            label: "NATO-Europe".into(),
            members: europe,
        });
    }
    units
}

/// A claim's result over all draws.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimResult {
    pub id: String,
    /// Share of draws in which the claim holds; `None` when the models cannot speak to it.
    pub probability: Option<f64>,
    /// 95% Wilson interval.
    pub interval: Option<(f64, f64)>,
    /// Paired differences (treatment vs baseline) per draw, in draw order.
    pub differences: Vec<f64>,
    /// Sobol total index of the difference for each uncertain parameter.
    pub drivers: Vec<(Param, Option<f64>, Option<f64>)>,
}

/// Evaluate every claim over `results` (all draws of the design, in draw order).
pub fn claims(prep: &Prepared, results: &[DrawResult]) -> Vec<ClaimResult> {
    let sc = prep.scenario;
    sc.claims
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let (Some(_), Some(t), Some(b)) = (
                c.metric,
                sc.options.iter().position(|o| o.id == c.treatment),
                sc.options.iter().position(|o| o.id == c.baseline),
            ) else {
                return ClaimResult {
                    id: c.id.clone(),
                    probability: None,
                    interval: None,
                    differences: Vec::new(),
                    drivers: Vec::new(),
                };
            };
            let differences: Vec<f64> = results
                .iter()
                .map(|r| {
                    let (x, y) = (r.options[t].claim_values[ci], r.options[b].claim_values[ci]);
                    match c.comparison {
                        Comparison::Difference => x - y,
                        Comparison::PercentChange => {
                            if y != 0.0 {
                                100.0 * (x - y) / y.abs()
                            } else {
                                f64::NAN
                            }
                        }
                    }
                })
                .collect();
            let valid: Vec<f64> = differences
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            let holds = valid
                .iter()
                .filter(|&&v| match c.direction {
                    Direction::Above => v > c.threshold,
                    Direction::Below => v < c.threshold,
                })
                .count();
            let probability = (!valid.is_empty()).then(|| holds as f64 / valid.len() as f64);
            let interval = crate::scoring::wilson_interval(holds as u64, valid.len() as u64, 0.95)
                .ok()
                .map(|w| (w.lower, w.upper));
            // Sobol indices of the continuous paired difference (the indicator
            // "claim holds" would give coarse indices).
            let drivers =
                match sensitivity::analyze(&prep.design, &differences, ConfidenceIntervals::Off) {
                    Ok(ix) => ix
                        .parameters
                        .iter()
                        .zip(&prep.uncertain)
                        .map(|(x, p)| (*p, x.first_order, x.total))
                        .collect(),
                    Err(_) => Vec::new(),
                };
            ClaimResult {
                id: c.id.clone(),
                probability,
                interval,
                differences,
                drivers,
            }
        })
        .collect()
}

/// The parameter with the largest total index, if any.
pub fn top_driver(c: &ClaimResult) -> Option<(Param, f64)> {
    c.drivers
        .iter()
        .filter_map(|(p, _, st)| st.map(|s| (*p, s)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alignment::{ExactConfig, Landscape};
    use proptest::prelude::*;

    proptest! {
        /// The engine's fast enumerator finds the same global minimum energy as
        /// the alignment module's exact solver.
        #[test]
        fn fast_global_minimum_matches_the_exact_solver(
            n in 2usize..11,
            sizes in prop::collection::vec(0.1f64..2.0, 11),
            p in prop::collection::vec(-1.0f64..1.0, 121),
        ) {
            let prop: Vec<Vec<f64>> = (0..n)
                .map(|i| (0..n).map(|j| if i == j { 0.0 } else { p[i.min(j) * 11 + i.max(j)] }).collect())
                .collect();
            let s = &sizes[..n];
            let w: Vec<f64> = (0..n * n).map(|k| s[k / n] * s[k % n] * prop[k / n][k % n]).collect();
            let (e, sides) = global_minimum(&w, n);
            let land = Landscape::new(s.to_vec(), &prop).unwrap();
            let exact = land.exact(&ExactConfig { basins: false, ..ExactConfig::default() }).unwrap();
            prop_assert!((e - exact.global_minimum.energy).abs() < 1e-9, "{} vs {}", e, exact.global_minimum.energy);
            // The sides returned have that energy.
            let mut check = 0.0;
            for i in 0..n {
                for j in (i + 1)..n {
                    if sides[i] != sides[j] {
                        check += w[i * n + j];
                    }
                }
            }
            prop_assert!((check - e).abs() < 1e-9);
        }
    }

    #[test]
    fn design_has_n_times_k_plus_2_runs() {
        let d = Design::new(3, 4, Sampler::SobolShifted { seed: 1 }).unwrap();
        assert_eq!(d.runs(), 4 * (3 + 2));
    }
}
