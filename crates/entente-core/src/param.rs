//! The model parameters a scenario can give priors to, each with its basis:
//! estimated on the data before the base year, taken from a publication, or
//! an assumption (a placeholder until it is calibrated on history, and
//! labelled so in every output).
//!
//! ```
//! use entente_core::param::{Basis, Param};
//! assert_eq!(Param::parse("reliability"), Some(Param::Reliability));
//! assert_eq!(Param::JoiningDefence.basis(), Basis::Estimated);
//! ```

use crate::prior::Prior;

/// Where a parameter's default prior comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Estimated by the engine on the data up to the base year, each run.
    Estimated,
    /// A published estimate or range (the source is in [`Param::source`]).
    Published,
    /// Entente's assumption, not yet calibrated on history.
    Assumption,
}

impl Basis {
    pub fn name(self) -> &'static str {
        match self {
            Basis::Estimated => "estimated",
            Basis::Published => "published",
            Basis::Assumption => "assumption",
        }
    }
}

/// The interval of values a parameter can take, each end open or closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    pub lo: f64,
    pub hi: f64,
    /// Whether `lo` itself is excluded.
    pub lo_open: bool,
    /// Whether `hi` itself is excluded.
    pub hi_open: bool,
}

impl Domain {
    /// `[0, 1]`: shares and probabilities.
    pub const UNIT: Domain = Domain {
        lo: 0.0,
        hi: 1.0,
        lo_open: false,
        hi_open: false,
    };
    /// `(0, inf)`.
    pub const POSITIVE: Domain = Domain {
        lo: 0.0,
        hi: f64::INFINITY,
        lo_open: true,
        hi_open: true,
    };
    /// `[0, inf)`.
    pub const NON_NEGATIVE: Domain = Domain {
        lo: 0.0,
        hi: f64::INFINITY,
        lo_open: false,
        hi_open: true,
    };
    /// Any finite number.
    pub const REAL: Domain = Domain {
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
        lo_open: true,
        hi_open: true,
    };

    /// Whether `[lo, hi]` (a prior's support) lies inside the domain. An
    /// unbounded side of the support lies inside only an unbounded side.
    pub fn contains_interval(&self, lo: f64, hi: f64) -> bool {
        let lo_ok = if self.lo_open {
            lo > self.lo || (lo == f64::NEG_INFINITY && self.lo == f64::NEG_INFINITY)
        } else {
            lo >= self.lo
        };
        let hi_ok = if self.hi_open {
            hi < self.hi || (hi == f64::INFINITY && self.hi == f64::INFINITY)
        } else {
            hi <= self.hi
        };
        lo_ok && hi_ok
    }
}

impl std::fmt::Display for Domain {
    /// Interval notation: `[0, 1]`, `(0, inf)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let end = |v: f64| {
            if v == f64::INFINITY {
                "inf".to_string()
            } else if v == f64::NEG_INFINITY {
                "-inf".to_string()
            } else {
                format!("{v}")
            }
        };
        write!(
            f,
            "{}{}, {}{}",
            if self.lo_open { '(' } else { '[' },
            end(self.lo),
            end(self.hi),
            if self.hi_open { ')' } else { ']' }
        )
    }
}

/// A model parameter.
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
    /// How often states join a defence ally's disputes (per ally dispute).
    JoiningDefence,
    /// How often states join a consultation partner's disputes.
    JoiningConsultation,
    /// Spending model: long-run annual log growth every state's drift reverts to.
    LongRunGrowth,
    /// Spending model: share of a drift's deviation from the long-run growth left after a year.
    DriftPersistence,
    /// Spending model: sd of the states' drifts around the long-run growth.
    DriftSd,
    /// Spending model: elasticity of a state's annual change to its rivals'
    /// change of the year before (threat-weighted).
    Reactivity,
    /// Spending model: multiplier of each state's fitted residual sd.
    NoiseScale,
    /// Warhead model: elasticity of a state's stockpile to the threat it
    /// feels (change of ln(1 + stockpile) per change of ln theta).
    WarheadThreatElasticity,
}

impl Param {
    pub const ALL: [Param; 12] = [
        Param::MilesPerDay,
        Param::Reliability,
        Param::Deterrence,
        Param::ThreatResponse,
        Param::JoiningDefence,
        Param::JoiningConsultation,
        Param::LongRunGrowth,
        Param::DriftPersistence,
        Param::DriftSd,
        Param::Reactivity,
        Param::NoiseScale,
        Param::WarheadThreatElasticity,
    ];

    /// The spending model's parameters, in the order of
    /// [`crate::spending::DrawParams::NAMES`] (same names).
    pub const SPENDING: [Param; 6] = [
        Param::LongRunGrowth,
        Param::DriftPersistence,
        Param::DriftSd,
        Param::Reactivity,
        Param::ThreatResponse,
        Param::NoiseScale,
    ];

    /// Whether the parameter is a weight through which a policy option acts
    /// (a pact's commitments, deterrence, the spending responses, shared
    /// threat): at zero, the option's edits reach no claim through it.
    pub fn is_mechanism(self) -> bool {
        matches!(
            self,
            Param::Reliability
                | Param::Deterrence
                | Param::ThreatResponse
                | Param::JoiningDefence
                | Param::JoiningConsultation
                | Param::Reactivity
                | Param::WarheadThreatElasticity
        )
    }

    /// The name used in scenario files and output columns.
    pub fn name(self) -> &'static str {
        match self {
            Param::MilesPerDay => "miles_per_day",
            Param::Reliability => "reliability",
            Param::Deterrence => "deterrence",
            Param::ThreatResponse => "threat_response_pct_per_pp",
            Param::JoiningDefence => "joining_defence",
            Param::JoiningConsultation => "joining_consultation",
            Param::LongRunGrowth => "long_run_growth",
            Param::DriftPersistence => "drift_persistence",
            Param::DriftSd => "drift_sd",
            Param::Reactivity => "reactivity",
            Param::NoiseScale => "noise_scale",
            Param::WarheadThreatElasticity => "warhead_threat_elasticity",
        }
    }

    pub fn parse(s: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.name() == s)
    }

    /// Position in [`Param::ALL`] (the order of parameter columns in outputs).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Where the default prior comes from.
    pub fn basis(self) -> Basis {
        match self {
            Param::JoiningDefence
            | Param::JoiningConsultation
            | Param::LongRunGrowth
            | Param::DriftPersistence
            | Param::DriftSd
            | Param::Reactivity
            | Param::ThreatResponse
            | Param::NoiseScale
            | Param::WarheadThreatElasticity => Basis::Estimated,
            Param::MilesPerDay | Param::Reliability | Param::Deterrence => Basis::Published,
        }
    }

    /// The source of the default, in a few words.
    pub fn source(self) -> &'static str {
        match self {
            Param::MilesPerDay => "Bueno de Mesquita 1981; EUGene's 250",
            Param::Reliability => "Leeds 2003: 0.75",
            Param::Deterrence => "Benson 2011: -18% third-party initiation",
            Param::ThreatResponse => {
                "spending model fit before the base year, with Nordhaus, Oneal & Russett 2012's N(3, 1) as prior"
            }
            Param::JoiningDefence => {
                "COW MID joiners of a defence ally's disputes, 1946 to the base year"
            }
            Param::JoiningConsultation => {
                "COW MID joiners of a consultation partner's disputes, 1946 to the base year"
            }
            Param::LongRunGrowth | Param::DriftPersistence | Param::DriftSd => {
                "spending model likelihood, SIPRI 2000 to the base year (docs/calibration.md)"
            }
            Param::Reactivity => {
                "spending model likelihood: elasticity to threat-weighted rivals' growth (docs/calibration.md)"
            }
            Param::NoiseScale => {
                "spending model: CRPS of forecasts from origins before the base year (docs/calibration.md)"
            }
            Param::WarheadThreatElasticity => {
                "warhead model fit on FAS stockpiles, 1993 to the base year (docs/nuclear.md); varies only when a claim reads warheads"
            }
        }
    }

    /// The values the parameter can take: a prior whose support leaves
    /// them is refused ([`Param::check_prior`]).
    pub fn domain(self) -> Domain {
        match self {
            // A speed: no distance is crossed at zero or negative speed.
            Param::MilesPerDay => Domain::POSITIVE,
            // Shares and probabilities.
            Param::Reliability
            | Param::Deterrence
            | Param::JoiningDefence
            | Param::JoiningConsultation
            | Param::DriftPersistence => Domain::UNIT,
            // Standard deviations and their multipliers, and a weight.
            Param::DriftSd | Param::NoiseScale => Domain::NON_NEGATIVE,
            // Growth rates and elasticities may take either sign.
            Param::ThreatResponse
            | Param::LongRunGrowth
            | Param::Reactivity
            | Param::WarheadThreatElasticity => Domain::REAL,
        }
    }

    /// Whether every value `prior` can give lies in the parameter's domain.
    pub fn check_prior(self, prior: &Prior) -> Result<(), crate::prior::PriorError> {
        let (lo, hi) = prior.support();
        let d = self.domain();
        if d.contains_interval(lo, hi) {
            Ok(())
        } else {
            Err(crate::prior::PriorError::Domain { lo, hi, domain: d })
        }
    }

    /// The default prior. For an estimated parameter this is only the
    /// fallback when the data cannot estimate it; the engine estimates it.
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
            // Nordhaus, Oneal & Russett 2012, the fit's prior.
            Param::ThreatResponse => Prior::Normal {
                mean: 3.0,
                sd: 1.0,
                lo: 0.0,
                hi: 10.0,
            },
            Param::JoiningDefence => Prior::Uniform { lo: 0.0, hi: 0.05 },
            Param::JoiningConsultation => Prior::Uniform { lo: 0.0, hi: 0.05 },
            // Fallbacks only: the spending fit replaces them every run.
            Param::LongRunGrowth => Prior::Uniform { lo: 0.0, hi: 0.04 },
            Param::DriftPersistence => Prior::Uniform { lo: 0.5, hi: 0.9 },
            Param::DriftSd => Prior::Uniform { lo: 0.02, hi: 0.06 },
            Param::Reactivity => Prior::Uniform { lo: 0.0, hi: 0.5 },
            Param::NoiseScale => Prior::Uniform { lo: 0.8, hi: 1.4 },
            // Fallback only: no response to threat, with a wide sd; the
            // warhead fit replaces it in any run with a warhead claim.
            Param::WarheadThreatElasticity => Prior::Normal {
                mean: 0.0,
                sd: 0.5,
                lo: -2.0,
                hi: 2.0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_names_round_trip() {
        for (i, p) in Param::ALL.iter().enumerate() {
            assert_eq!(p.default_prior().validate(), Ok(()), "{p:?}");
            assert_eq!(p.check_prior(&p.default_prior()), Ok(()), "{p:?}");
            assert_eq!(Param::parse(p.name()), Some(*p));
            assert_eq!(p.index(), i);
        }
    }

    #[test]
    fn priors_outside_the_domain_are_refused_with_the_domain() {
        let wide = Prior::Uniform { lo: 0.6, hi: 1.5 };
        let e = Param::Reliability.check_prior(&wide).unwrap_err();
        assert!(e.to_string().contains("[0, 1]"), "{e}");
        assert!(Param::Reliability
            .check_prior(&Prior::Uniform { lo: 0.0, hi: 1.0 })
            .is_ok());
        // Zero speed is outside (0, inf); a log-normal is always positive.
        let e = Param::MilesPerDay
            .check_prior(&Prior::Uniform { lo: 0.0, hi: 300.0 })
            .unwrap_err();
        assert!(e.to_string().contains("(0, inf)"), "{e}");
        assert!(Param::MilesPerDay
            .check_prior(&Prior::LogNormal {
                median: 250.0,
                sigma: 0.3
            })
            .is_ok());
        assert!(Param::MilesPerDay.check_prior(&Prior::Fixed(-5.0)).is_err());
        // An untruncated normal reaches below 0: refused for an sd, fine for a growth rate.
        assert!(Param::DriftSd
            .check_prior(&Prior::normal(0.04, 0.01))
            .is_err());
        assert!(Param::LongRunGrowth
            .check_prior(&Prior::normal(0.02, 0.01))
            .is_ok());
        assert_eq!(Domain::NON_NEGATIVE.to_string(), "[0, inf)");
    }
}
