//! Miller's (2022) published dispute-onset logit (Table 2), kept as the
//! reference the refit is compared with.
//!
//! Continuous regressors were scaled in the source as `(x - mean) / (2 sd)`
//! over politically relevant dyad-years 1816-2010; [`Scaling::from_archive`]
//! recomputes those moments from Entente's bundled data. The source's GDP per
//! capita (Anders et al. 2020 simulations) is not bundled and is held at its
//! mean; its cubic peace-years term is printed as 0.000, so only `t` and `t^2`
//! are used, with `t` capped at the rounded quadratic's minimum (37 years),
//! beyond which the rounding would make long peace dangerous.

use std::collections::HashSet;

use super::Covariates;
use crate::ids::Ccode;
use crate::sources::Date;
use crate::world::Archive;

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

/// Mean and standard deviation of a regressor over an estimation sample.
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

/// Welford's running mean and variance (one pass, stable).
#[derive(Default)]
pub(crate) struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    pub(crate) fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }
    pub(crate) fn moments(&self) -> Moments {
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

/// Scaling of the published model's continuous regressors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    pub cincprop: Moments,
    pub minmilit: Moments,
    /// Weak-link extended UDS.
    pub mindemest: Moments,
    /// Politically relevant dyad-years in the sample.
    pub dyad_years: u64,
    pub first_year: i32,
    pub last_year: i32,
}

impl Scaling {
    /// Means and sds over politically relevant, non-directed dyad-years from
    /// `first_year` to `last_year` (the source: 1816-2010), from the bundled
    /// NMC, state system, major-power, contiguity and democracy data.
    pub fn from_archive(archive: &Archive, first_year: i32, last_year: i32) -> Scaling {
        let src = archive.sources();
        let (mut cincprop, mut minmilit, mut mindem) =
            (Welford::default(), Welford::default(), Welford::default());
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
                let uds = |c| archive.democracy(c, year).0.value;
                if let (Some(da), Some(db)) = (uds(a), uds(b)) {
                    mindem.push(da.min(db));
                }
            }
        }
        Scaling {
            cincprop: cincprop.moments(),
            minmilit: minmilit.moments(),
            mindemest: mindem.moments(),
            dyad_years,
            first_year,
            last_year,
        }
    }
}

pub(crate) fn militarisation(r: &crate::sources::NmcRow) -> Option<f64> {
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

/// Peace years beyond this are held here: the published, rounded quadratic
/// `-0.148 t + 0.002 t^2` turns upward after its minimum at 37 years.
pub const PEACE_YEARS_CAP: f64 = 37.0;

/// The published model's annual onset probability for a dyad-year. Missing
/// regressors and GDP per capita are held at the sample mean (0 after scaling);
/// a defence commitment counts as COW's `cow_defense`.
pub fn probability(b: &Coefficients, s: &Scaling, x: &Covariates) -> f64 {
    let scaled = |v: Option<f64>, m: &Moments| v.map_or(0.0, |v| m.scale(v));
    let flag = |v: bool| if v { 1.0 } else { 0.0 };
    let t = x
        .peace_years
        .unwrap_or(PEACE_YEARS_CAP)
        .min(PEACE_YEARS_CAP);
    let z = b.intercept.coef
        + b.landcontig.coef * flag(x.landcontig)
        + b.cincprop.coef * scaled(x.cincprop, &s.cincprop)
        + b.cowmajdyad.coef * flag(x.major)
        + b.cow_defense.coef * x.defence
        + b.mindemest.coef * scaled(x.min_democracy, &s.mindemest)
        + b.minmilit.coef * scaled(x.min_militarisation, &s.minmilit)
        + b.t.coef * t
        + b.t2.coef * t * t;
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
pub(crate) mod tests {
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

    pub(crate) fn scaling() -> Scaling {
        let m = Moments {
            mean: 0.3,
            sd: 0.25,
            n: 100,
        };
        Scaling {
            cincprop: m,
            minmilit: m,
            mindemest: m,
            dyad_years: 100,
            first_year: 1816,
            last_year: 2010,
        }
    }

    #[test]
    fn at_the_means_with_no_flags_it_is_the_intercept_plus_peace_years() {
        let x = Covariates {
            peace_years: Some(20.0),
            cincprop: Some(0.3),
            min_militarisation: Some(0.3),
            min_democracy: Some(0.3),
            ..Covariates::default()
        };
        let z: f64 = -3.055 - 0.148 * 20.0 + 0.002 * 400.0;
        let p = probability(&miller(), &scaling(), &x);
        assert!((p - 1.0 / (1.0 + (-z).exp())).abs() < 1e-15);
    }

    #[test]
    fn each_regressor_moves_the_published_hazard_its_way() {
        let (b, s) = (miller(), scaling());
        let base = Covariates {
            peace_years: Some(10.0),
            ..Covariates::default()
        };
        let p0 = probability(&b, &s, &base);
        let with = |f: fn(&mut Covariates)| {
            let mut x = base;
            f(&mut x);
            probability(&b, &s, &x)
        };
        assert!(with(|x| x.landcontig = true) > p0);
        assert!(with(|x| x.major = true) > p0);
        assert!(with(|x| x.defence = 1.0) < p0);
        assert!(with(|x| x.peace_years = Some(0.0)) > p0);
        assert!(with(|x| x.cincprop = Some(1.0)) > p0, "parity is dangerous");
        assert!(with(|x| x.min_democracy = Some(2.0)) < p0);
        // Beyond the cap the rounded quadratic is held, not followed upward.
        assert_eq!(
            with(|x| x.peace_years = Some(80.0)),
            with(|x| x.peace_years = Some(PEACE_YEARS_CAP))
        );
    }
}
