//! Scenarios: a world, policy options as edits of it, priors over the uncertain
//! parameters, the bargaining issue's stakeholders, claims to test, and the
//! experiment. These are resolved values (states are COW codes); reading and
//! validating a scenario file is the data crate's job.

use crate::ids::Ccode;
use crate::sources::ObligationKind;

/// A distribution over one uncertain parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior {
    Fixed(f64),
    Uniform {
        lo: f64,
        hi: f64,
    },
    /// A normal truncated to `[lo, hi]`.
    Normal {
        mean: f64,
        sd: f64,
        lo: f64,
        hi: f64,
    },
    /// Log-normal with the given median and log-scale sd.
    LogNormal {
        median: f64,
        sigma: f64,
    },
    Triangular {
        lo: f64,
        mode: f64,
        hi: f64,
    },
}

impl Prior {
    /// The value at cumulative probability `u` in (0, 1).
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(1e-12, 1.0 - 1e-12);
        match *self {
            Prior::Fixed(v) => v,
            Prior::Uniform { lo, hi } => lo + u * (hi - lo),
            Prior::Normal { mean, sd, lo, hi } => {
                // Inverse CDF of the truncated normal.
                let (a, b) = (norm_cdf((lo - mean) / sd), norm_cdf((hi - mean) / sd));
                (mean + sd * norm_quantile(a + u * (b - a))).clamp(lo, hi)
            }
            Prior::LogNormal { median, sigma } => median * (sigma * norm_quantile(u)).exp(),
            Prior::Triangular { lo, mode, hi } => {
                let f = (mode - lo) / (hi - lo);
                if u < f {
                    lo + (u * (hi - lo) * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - u) * (hi - lo) * (hi - mode)).sqrt()
                }
            }
        }
    }

    /// Problems with the parameters, if any.
    pub fn check(&self) -> Option<String> {
        let bad = |ok: bool, m: &str| (!ok).then(|| m.to_string());
        self.check_parameters().or_else(|| {
            // Finite parameters can still overflow (a log-normal with sigma 1000,
            // a uniform over the whole f64 range): every draw must be a number.
            let tails = [1e-12, 0.5, 1.0 - 1e-12].map(|u| self.quantile(u));
            bad(
                tails.iter().all(|v| v.is_finite()),
                "its values overflow (not finite in the tails): use a narrower prior",
            )
        })
    }

    fn check_parameters(&self) -> Option<String> {
        let bad = |ok: bool, m: &str| (!ok).then(|| m.to_string());
        match *self {
            Prior::Fixed(v) => bad(v.is_finite(), "value must be a finite number"),
            Prior::Uniform { lo, hi } => bad(lo < hi, "needs lo < hi"),
            Prior::Normal { sd, lo, hi, .. } => {
                bad(sd > 0.0, "needs sd > 0").or_else(|| bad(lo < hi, "needs lo < hi"))
            }
            Prior::LogNormal { median, sigma } => bad(median > 0.0, "needs median > 0")
                .or_else(|| bad(sigma > 0.0, "needs sigma > 0")),
            Prior::Triangular { lo, mode, hi } => bad(
                lo <= mode && mode <= hi && lo < hi,
                "needs lo <= mode <= hi, lo < hi",
            ),
        }
    }

    pub fn is_fixed(&self) -> bool {
        matches!(self, Prior::Fixed(_))
    }
}

/// Standard normal CDF (via erfc, Numerical Recipes' rational approximation; |error| < 1.2e-7).
pub fn norm_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let erfc = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// Standard normal quantile (Acklam's algorithm, relative error < 1.2e-9).
#[allow(clippy::excessive_precision)] // Acklam's published coefficients
pub fn norm_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383577518672690e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let pl = 0.02425;
    if p < pl {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - pl {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// The model parameters a scenario can give priors to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Param {
    /// Loss-of-strength gradient speed (miles per day).
    MilesPerDay,
    /// Share of alliance commitments honoured.
    Reliability,
    /// Fall in third-party initiation against a defended state.
    Deterrence,
    /// Spending response: % change per percentage point of threat.
    ThreatResponse,
    /// Peace years assumed for strategic rivals.
    PeaceYearsRivals,
    /// Multiplier on the published dispute-hazard intercept's standard error draw (z-score).
    HazardIntercept,
    /// Annual spending growth noise (sd of log growth).
    GrowthNoise,
    /// Richardson reactivity: share of rivals' spending increase matched each year.
    Reactivity,
    /// Weight of shared threat in alignment propensities.
    SharedThreatWeight,
    /// Weight of consultation-pact partners in the balance of power, relative to allies.
    ConsultationWeight,
}

impl Param {
    pub const ALL: [Param; 10] = [
        Param::MilesPerDay,
        Param::Reliability,
        Param::Deterrence,
        Param::ThreatResponse,
        Param::PeaceYearsRivals,
        Param::HazardIntercept,
        Param::GrowthNoise,
        Param::Reactivity,
        Param::SharedThreatWeight,
        Param::ConsultationWeight,
    ];

    /// The name used in scenario files and output columns.
    pub fn name(self) -> &'static str {
        match self {
            Param::MilesPerDay => "miles_per_day",
            Param::Reliability => "reliability",
            Param::Deterrence => "deterrence",
            Param::ThreatResponse => "threat_response_pct_per_pp",
            Param::PeaceYearsRivals => "peace_years_rivals",
            Param::HazardIntercept => "hazard_intercept_z",
            Param::GrowthNoise => "growth_noise_sd",
            Param::Reactivity => "reactivity",
            Param::SharedThreatWeight => "shared_threat_weight",
            Param::ConsultationWeight => "consultation_weight",
        }
    }

    pub fn parse(s: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.name() == s)
    }

    /// The default prior, with its basis.
    pub fn default_prior(self) -> Prior {
        match self {
            Param::MilesPerDay => Prior::Uniform {
                lo: 150.0,
                hi: 400.0,
            },
            Param::Reliability => Prior::Uniform { lo: 0.6, hi: 0.9 },
            Param::Deterrence => Prior::Normal {
                mean: 0.18,
                sd: 0.06,
                lo: 0.0,
                hi: 0.5,
            },
            Param::ThreatResponse => Prior::Uniform { lo: 1.0, hi: 5.0 },
            Param::PeaceYearsRivals => Prior::Uniform { lo: 0.0, hi: 6.0 },
            Param::HazardIntercept => Prior::Normal {
                mean: 0.0,
                sd: 1.0,
                lo: -3.0,
                hi: 3.0,
            },
            Param::GrowthNoise => Prior::Uniform { lo: 0.01, hi: 0.05 },
            Param::Reactivity => Prior::Uniform { lo: 0.0, hi: 0.3 },
            Param::SharedThreatWeight => Prior::Uniform { lo: 0.5, hi: 2.0 },
            Param::ConsultationWeight => Prior::Uniform { lo: 0.1, hi: 0.5 },
        }
    }
}

/// One edit of the world that a policy option makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A multilateral pact among the union of `sides`.
    AddPact {
        sides: Vec<Vec<Ccode>>,
        kind: ObligationKind,
    },
    /// Remove an obligation between sides.
    RemovePact {
        sides: Vec<Vec<Ccode>>,
        kind: ObligationKind,
    },
    /// Change the named states' spending growth by `pct_per_year` points.
    Spending {
        states: Vec<Ccode>,
        pct_per_year: f64,
    },
}

/// A policy option.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyOption {
    pub id: String,
    pub description: String,
    pub edits: Vec<Edit>,
}

/// A stakeholder of the bargaining issue, with ranges (sampled per draw).
#[derive(Debug, Clone, PartialEq)]
pub struct Stakeholder {
    pub state: Ccode,
    pub label: String,
    /// Position on the 0-100 issue scale: (low, high).
    pub position: (f64, f64),
    /// Salience in [0, 1]: (low, high).
    pub salience: (f64, f64),
}

/// The metrics a claim can test, computed per draw and option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Military spending at the horizon (constant 2023 US$ m), summed over `states`.
    MilexHorizon,
    /// Threat felt (theta) at the base year, mean over `states`.
    Threat,
    /// Threat to `states` from `sources`, mean over targets of the summed q.
    ThreatFrom,
    /// Mean alignment propensity among `states` (the counter-bloc's cohesion).
    BlocCohesion,
    /// Division of `states` across coalitions in the alignment landscape
    /// (0 = all on one side, 0.5 = evenly split).
    Division,
    /// Share of regional (Indo-Pacific) power of the coalition of `states`
    /// plus their defence allies.
    CoalitionPowerShare,
    /// The bargaining forecast (weighted median) of the issue, 0-100.
    BargainingMedian,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::MilexHorizon,
        Metric::Threat,
        Metric::ThreatFrom,
        Metric::BlocCohesion,
        Metric::Division,
        Metric::CoalitionPowerShare,
        Metric::BargainingMedian,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Metric::MilexHorizon => "milex_horizon_const2023_usd_m",
            Metric::Threat => "threat",
            Metric::ThreatFrom => "threat_from",
            Metric::BlocCohesion => "bloc_cohesion",
            Metric::Division => "division",
            Metric::CoalitionPowerShare => "coalition_power_share",
            Metric::BargainingMedian => "bargaining_median",
        }
    }
    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == s)
    }
}

/// How a claim compares the treatment with the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// treatment - baseline.
    Difference,
    /// (treatment - baseline) / |baseline|, in percent.
    PercentChange,
}

/// Which way the claim says the comparison goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Above,
    Below,
}

/// A claim: a named metric compared between two options, per draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: String,
    pub text: String,
    /// The source passage it paraphrases.
    pub source: String,
    /// `None`: the models cannot speak to it; `why_not` says why.
    pub metric: Option<Metric>,
    pub why_not: String,
    pub states: Vec<Ccode>,
    pub sources: Vec<Ccode>,
    pub comparison: Comparison,
    pub direction: Direction,
    pub threshold: f64,
    pub treatment: String,
    pub baseline: String,
}

/// The experiment's size and seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Experiment {
    /// Base samples N of the Saltelli design: N (k + 2) draws in all.
    pub base_samples: usize,
    pub seed: u64,
}

/// A resolved scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub title: String,
    pub source: String,
    pub base_year: i32,
    pub horizon_years: u32,
    /// The states modelled (resolved from groups and codes).
    pub actors: Vec<Ccode>,
    pub options: Vec<PolicyOption>,
    /// Every parameter with its prior (defaults for those the file leaves out).
    pub priors: Vec<(Param, Prior)>,
    pub issue: String,
    pub stakeholders: Vec<Stakeholder>,
    pub claims: Vec<Claim>,
    pub experiment: Experiment,
}

impl Scenario {
    /// The parameters that vary (non-fixed priors), in canonical order.
    /// Draws of the experiment: the Saltelli design's N (k + 2) for k uncertain parameters.
    pub fn draws(&self) -> usize {
        self.experiment.base_samples * (self.uncertain().len() + 2)
    }

    pub fn uncertain(&self) -> Vec<(Param, Prior)> {
        self.priors
            .iter()
            .copied()
            .filter(|(_, p)| !p.is_fixed())
            .collect()
    }
    pub fn option(&self, id: &str) -> Option<&PolicyOption> {
        self.options.iter().find(|o| o.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normal_quantile_and_cdf_agree() {
        for &x in &[-3.0, -1.0, 0.0, 0.5, 2.0] {
            assert!((norm_quantile(norm_cdf(x)) - x).abs() < 1e-5, "{x}");
        }
        assert!((norm_quantile(0.975) - 1.959964).abs() < 1e-6);
    }

    #[test]
    fn priors_whose_draws_overflow_are_refused() {
        for p in [
            Prior::LogNormal {
                median: 1.0,
                sigma: 1000.0,
            },
            Prior::Uniform {
                lo: -1e308,
                hi: 1e308,
            },
        ] {
            let m = p.check().unwrap_or_else(|| panic!("{p:?} accepted"));
            assert!(m.contains("overflow"), "{m}");
        }
        for p in Param::ALL {
            assert_eq!(p.default_prior().check(), None, "{p:?}");
        }
    }

    proptest! {
        /// Any prior `check` accepts gives finite draws over the whole unit interval.
        #[test]
        fn accepted_priors_give_finite_draws(
            a in -1e6f64..1e6, b in 1e-6f64..1e6, c in 1e-6f64..1e3, u in 0.0f64..1.0,
        ) {
            for p in [
                Prior::Uniform { lo: a, hi: a + b },
                Prior::Normal { mean: a, sd: b, lo: a - c, hi: a + c },
                Prior::LogNormal { median: b, sigma: c },
                Prior::Triangular { lo: a, mode: a + b / 2.0, hi: a + b },
            ] {
                if p.check().is_none() {
                    prop_assert!(p.quantile(u).is_finite(), "{:?} at {}", p, u);
                }
            }
        }
    }

    proptest! {
        #[test]
        fn quantiles_are_monotone_and_in_bounds(u1 in 0.001f64..0.999, du in 0.0001f64..0.5) {
            let u2 = (u1 + du).min(0.9999);
            for p in [
                Prior::Uniform { lo: 1.0, hi: 2.0 },
                Prior::Normal { mean: 0.18, sd: 0.06, lo: 0.0, hi: 0.5 },
                Prior::LogNormal { median: 1.0, sigma: 0.5 },
                Prior::Triangular { lo: 0.0, mode: 0.2, hi: 1.0 },
            ] {
                prop_assert!(p.quantile(u1) <= p.quantile(u2) + 1e-12);
                if let Prior::Normal { lo, hi, .. } = p {
                    prop_assert!((lo..=hi).contains(&p.quantile(u1)));
                }
            }
        }
    }
}
