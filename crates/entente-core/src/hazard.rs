//! Dispute hazard: the annual probability of a militarized interstate dispute
//! between two states, from Miller's (2022) "dangerous dyads" logit (Table 2).
//!
//! Continuous regressors were scaled in the source as `(x - mean) / (2 sd)` over
//! politically relevant dyad-years (contiguous, or with a major power) 1816-2010.
//! Entente computes those means and sds from its own bundled data
//! ([`Scaling::from_archive`]). Regressors it cannot observe (the democracy
//! weak link; GDP per capita, whose source series it does not ship) are held
//! at the sample mean, i.e. 0 after scaling, and reported as such. Peace years
//! (years since the dyad's last dispute) need dispute data Entente does not
//! ship: they are a parameter ([`PeaceYears`]), by default short for strategic
//! rivals and capped for other dyads. Only `t` and `t^2` are used, with `t` capped,
//! since the source's cubic term is printed as 0.000.

use std::collections::{HashMap, HashSet};

use crate::ids::Ccode;
use crate::sources::Date;
use crate::world::{Archive, World};

/// A coefficient with its published standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Term {
    pub coef: f64,
    pub se: f64,
}

/// The logit's coefficients (Miller 2022, Table 2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coefficients {
    pub intercept: Term,
    pub landcontig: Term,
    pub cincprop: Term,
    pub cowmajdyad: Term,
    pub cow_defense: Term,
    pub mindemest: Term,
    pub minwbgdppc: Term,
    pub minmilit: Term,
    pub t: Term,
    pub t2: Term,
}

/// Mean and standard deviation of a regressor over the estimation sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub mean: f64,
    pub sd: f64,
    pub n: u64,
}

impl Moments {
    /// `(x - mean) / (2 sd)` (Gelman's scaling, as in the source).
    pub fn scale(&self, x: f64) -> f64 {
        if self.sd > 0.0 {
            (x - self.mean) / (2.0 * self.sd)
        } else {
            0.0
        }
    }
}

/// Scaling of the continuous regressors Entente observes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    pub cincprop: Moments,
    pub minmilit: Moments,
    /// Politically relevant dyad-years in the sample.
    pub dyad_years: u64,
    pub first_year: i32,
    pub last_year: i32,
}

#[derive(Default)]
struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }
    fn moments(&self) -> Moments {
        Moments {
            mean: self.mean,
            sd: if self.n > 1 {
                (self.m2 / (self.n - 1) as f64).sqrt()
            } else {
                0.0
            },
            n: self.n,
        }
    }
}

impl Scaling {
    /// Means and sds over politically relevant, non-directed dyad-years from
    /// `first_year` to `last_year` (the source: 1816-2010), from the bundled
    /// NMC, state system, major-power and contiguity data.
    pub fn from_archive(archive: &Archive, first_year: i32, last_year: i32) -> Scaling {
        let src = archive.sources();
        let (mut cincprop, mut minmilit) = (Welford::default(), Welford::default());
        let mut dyad_years = 0;
        for year in first_year..=last_year {
            let members: HashSet<Ccode> = src
                .states
                .iter()
                .filter(|s| Date::spell_overlaps(s.start, Some(s.end), year))
                .map(|s| s.ccode)
                .collect();
            let majors: Vec<Ccode> = src
                .majors
                .iter()
                .filter(|m| Date::spell_overlaps(m.start, Some(m.end), year))
                .map(|m| m.ccode)
                .filter(|c| members.contains(c))
                .collect();
            let mut prd: HashSet<(Ccode, Ccode)> = HashSet::new();
            for s in &src.contiguity {
                if s.kind != crate::sources::Contiguity::None
                    && Date::spell_overlaps(s.start, Some(s.end), year)
                    && members.contains(&s.ccode1)
                    && members.contains(&s.ccode2)
                {
                    prd.insert(key(s.ccode1, s.ccode2));
                }
            }
            for &m in &majors {
                for &o in &members {
                    if o != m {
                        prd.insert(key(m, o));
                    }
                }
            }
            // Fixed order so the floating-point sums do not depend on hashing.
            let mut pairs: Vec<(Ccode, Ccode)> = prd.into_iter().collect();
            pairs.sort_unstable();
            for (a, b) in pairs {
                dyad_years += 1;
                let (ra, rb) = (archive.nmc_row(a, year), archive.nmc_row(b, year));
                if let (Some(ca), Some(cb)) = (ra.and_then(|r| r.cinc), rb.and_then(|r| r.cinc)) {
                    if ca.max(cb) > 0.0 {
                        cincprop.push(ca.min(cb) / ca.max(cb));
                    }
                }
                if let (Some(ma), Some(mb)) =
                    (ra.and_then(militarisation), rb.and_then(militarisation))
                {
                    minmilit.push(ma.min(mb));
                }
            }
        }
        Scaling {
            cincprop: cincprop.moments(),
            minmilit: minmilit.moments(),
            dyad_years,
            first_year,
            last_year,
        }
    }
}

fn militarisation(r: &crate::sources::NmcRow) -> Option<f64> {
    match (r.milper_k, r.tpop_k) {
        (Some(m), Some(p)) if p > 0.0 => Some(m / p),
        _ => None,
    }
}

fn key(a: Ccode, b: Ccode) -> (Ccode, Ccode) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Peace years assumed for dyads (no dispute data are bundled).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeaceYears {
    /// For strategic rivals (disputes are frequent).
    pub rivals: f64,
    /// For every other dyad.
    pub others: f64,
    /// `t` is capped here: the quadratic without the cubic term turns upward later.
    pub cap: f64,
}

impl Default for PeaceYears {
    fn default() -> Self {
        PeaceYears {
            rivals: 2.0,
            others: 20.0,
            cap: 20.0,
        }
    }
}

/// Which dyads the model is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relevance {
    /// Only politically relevant dyads (contiguous, or with a major power), the
    /// population the model was estimated on; other dyads get probability 0.
    PoliticallyRelevant,
    /// Every dyad (an extrapolation outside the estimation sample).
    All,
}

/// Settings of the hazard model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HazardConfig {
    pub coefficients: Coefficients,
    pub scaling: Scaling,
    pub peace_years: PeaceYears,
    pub relevance: Relevance,
}

/// The regressors of one dyad-year, unscaled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Covariates {
    /// Any direct contiguity (land or up to 400 miles of water).
    pub contiguous: bool,
    pub landcontig: bool,
    pub cincprop: Option<f64>,
    pub cowmajdyad: bool,
    pub cow_defense: bool,
    pub minmilit: Option<f64>,
    pub rivals: bool,
}

/// Regressors held at the sample mean because Entente cannot observe them.
pub const ALWAYS_AT_MEAN: [&str; 2] = ["mindemest", "minwbgdppc"];

/// The dyad's regressors in `world`. After NMC's last year, militarisation uses
/// the last NMC year's personnel and population; the capability ratio uses the
/// world's capability estimate.
pub fn covariates(archive: &Archive, world: &World, a: Ccode, b: Ccode) -> Covariates {
    let contiguity = world.contiguity_between(a, b);
    let cap = |c| world.state(c).and_then(|s| s.cinc_est.value);
    let cincprop = match (cap(a), cap(b)) {
        (Some(x), Some(y)) if x.max(y) > 0.0 => Some(x.min(y) / x.max(y)),
        _ => None,
    };
    let year = world.year.min(archive.coverage().nmc_last);
    let milit = |c| archive.nmc_row(c, year).and_then(militarisation);
    let minmilit = match (milit(a), milit(b)) {
        (Some(x), Some(y)) => Some(x.min(y)),
        _ => None,
    };
    let major = |c| world.state(c).is_some_and(|s| s.major_power);
    Covariates {
        contiguous: contiguity != crate::sources::Contiguity::None,
        landcontig: contiguity == crate::sources::Contiguity::Land,
        cincprop,
        cowmajdyad: major(a) || major(b),
        // COW's defence pacts, and ATOP's or hand-coded ones after COW ends.
        cow_defense: world.defence_between(a, b),
        minmilit,
        rivals: world.rivalry_between(a, b),
    }
}

/// The annual dispute probability and which regressors were held at the mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Hazard {
    pub probability: f64,
    pub log_odds: f64,
    pub held_at_mean: Vec<&'static str>,
}

/// The annual probability of a dispute onset for a dyad.
pub fn probability(x: &Covariates, cfg: &HazardConfig) -> Hazard {
    if cfg.relevance == Relevance::PoliticallyRelevant && !(x.contiguous || x.cowmajdyad) {
        return Hazard {
            probability: 0.0,
            log_odds: f64::NEG_INFINITY,
            held_at_mean: Vec::new(),
        };
    }
    let b = &cfg.coefficients;
    let s = &cfg.scaling;
    let mut held: Vec<&'static str> = ALWAYS_AT_MEAN.to_vec();
    let flag = |v: bool| if v { 1.0 } else { 0.0 };
    let mut scaled = |v: Option<f64>, m: &Moments, name: &'static str| match v {
        Some(v) => m.scale(v),
        None => {
            held.push(name);
            0.0
        }
    };
    let cincprop = scaled(x.cincprop, &s.cincprop, "cincprop");
    let minmilit = scaled(x.minmilit, &s.minmilit, "minmilit");
    let py = cfg.peace_years;
    let t = if x.rivals { py.rivals } else { py.others }.clamp(0.0, py.cap);
    let z = b.intercept.coef
        + b.landcontig.coef * flag(x.landcontig)
        + b.cincprop.coef * cincprop
        + b.cowmajdyad.coef * flag(x.cowmajdyad)
        + b.cow_defense.coef * flag(x.cow_defense)
        + b.minmilit.coef * minmilit
        + b.t.coef * t
        + b.t2.coef * t * t;
    Hazard {
        probability: 1.0 / (1.0 + (-z).exp()),
        log_odds: z,
        held_at_mean: held,
    }
}

/// Hazards of every pair of `actors`, keyed by the ordered pair (a < b).
pub fn all_pairs(
    archive: &Archive,
    world: &World,
    actors: &[Ccode],
    cfg: &HazardConfig,
) -> HashMap<(Ccode, Ccode), Hazard> {
    let mut out = HashMap::new();
    for (i, &a) in actors.iter().enumerate() {
        for &b in &actors[i + 1..] {
            out.insert(
                key(a, b),
                probability(&covariates(archive, world, a, b), cfg),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(c: f64) -> Term {
        Term { coef: c, se: 0.0 }
    }

    pub(crate) fn miller() -> Coefficients {
        Coefficients {
            intercept: term(-3.055),
            landcontig: term(1.044),
            cincprop: term(0.444),
            cowmajdyad: term(0.145),
            cow_defense: term(-0.102),
            mindemest: term(-0.509),
            minwbgdppc: term(0.262),
            minmilit: term(0.267),
            t: term(-0.148),
            t2: term(0.002),
        }
    }

    fn cfg() -> HazardConfig {
        let m = Moments {
            mean: 0.3,
            sd: 0.25,
            n: 100,
        };
        HazardConfig {
            coefficients: miller(),
            scaling: Scaling {
                cincprop: m,
                minmilit: m,
                dyad_years: 100,
                first_year: 1816,
                last_year: 2010,
            },
            peace_years: PeaceYears::default(),
            relevance: Relevance::All,
        }
    }

    fn base() -> Covariates {
        Covariates {
            contiguous: false,
            landcontig: false,
            cincprop: Some(0.3),
            cowmajdyad: false,
            cow_defense: false,
            minmilit: Some(0.3),
            rivals: false,
        }
    }

    #[test]
    fn at_the_means_with_no_flags_it_is_the_intercept_plus_peace_years() {
        let h = probability(&base(), &cfg());
        let z: f64 = -3.055 - 0.148 * 20.0 + 0.002 * 400.0;
        assert!((h.log_odds - z).abs() < 1e-12);
        assert_eq!(h.held_at_mean, vec!["mindemest", "minwbgdppc"]);
    }

    #[test]
    fn each_regressor_moves_the_hazard_the_published_way() {
        let c = cfg();
        let p0 = probability(&base(), &c).probability;
        let with = |f: fn(&mut Covariates)| {
            let mut x = base();
            f(&mut x);
            probability(&x, &c).probability
        };
        assert!(with(|x| x.landcontig = true) > p0);
        assert!(with(|x| x.cowmajdyad = true) > p0);
        assert!(with(|x| x.cow_defense = true) < p0);
        assert!(with(|x| x.rivals = true) > p0);
        assert!(with(|x| x.cincprop = Some(1.0)) > p0, "parity is dangerous");
        let missing = probability(
            &Covariates {
                minmilit: None,
                ..base()
            },
            &c,
        );
        assert!(missing.held_at_mean.contains(&"minmilit"));
    }

    #[test]
    fn politically_irrelevant_dyads_get_zero_by_default() {
        let c = HazardConfig {
            relevance: Relevance::PoliticallyRelevant,
            ..cfg()
        };
        assert_eq!(probability(&base(), &c).probability, 0.0);
        let near = Covariates {
            contiguous: true,
            ..base()
        };
        assert!(probability(&near, &c).probability > 0.0);
    }
}
