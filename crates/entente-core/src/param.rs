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
    /// Annual spending growth noise (sd of log growth).
    GrowthNoise,
    /// Richardson reactivity: share of rivals' spending increase matched each year.
    Reactivity,
    /// Weight of shared threat in alignment propensities.
    SharedThreatWeight,
}

impl Param {
    pub const ALL: [Param; 9] = [
        Param::MilesPerDay,
        Param::Reliability,
        Param::Deterrence,
        Param::ThreatResponse,
        Param::JoiningDefence,
        Param::JoiningConsultation,
        Param::GrowthNoise,
        Param::Reactivity,
        Param::SharedThreatWeight,
    ];

    /// The name used in scenario files and output columns.
    pub fn name(self) -> &'static str {
        match self {
            Param::MilesPerDay => "miles_per_day",
            Param::Reliability => "reliability",
            Param::Deterrence => "deterrence",
            Param::ThreatResponse => "threat_response_pct_per_pp",
            Param::JoiningDefence => "joining_defence",
            Param::JoiningConsultation => "joining_consultation",
            Param::GrowthNoise => "growth_noise_sd",
            Param::Reactivity => "reactivity",
            Param::SharedThreatWeight => "shared_threat_weight",
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
            Param::JoiningDefence | Param::JoiningConsultation => Basis::Estimated,
            Param::MilesPerDay | Param::Reliability | Param::Deterrence | Param::ThreatResponse => {
                Basis::Published
            }
            Param::GrowthNoise | Param::Reactivity | Param::SharedThreatWeight => Basis::Assumption,
        }
    }

    /// The source of the default, in a few words.
    pub fn source(self) -> &'static str {
        match self {
            Param::MilesPerDay => "Bueno de Mesquita 1981; EUGene's 250",
            Param::Reliability => "Leeds 2003: 0.75",
            Param::Deterrence => "Benson 2011: -18% third-party initiation",
            Param::ThreatResponse => "Nordhaus, Oneal & Russett 2012: about 3%",
            Param::JoiningDefence => {
                "COW MID joiners of a defence ally's disputes, 1946 to the base year"
            }
            Param::JoiningConsultation => {
                "COW MID joiners of a consultation partner's disputes, 1946 to the base year"
            }
            Param::GrowthNoise => "annual log-growth noise of spending",
            Param::Reactivity => "Richardson reaction to threatening states' increases",
            Param::SharedThreatWeight => "weight of shared threat in alignment",
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
            Param::ThreatResponse => Prior::Uniform { lo: 1.0, hi: 5.0 },
            Param::JoiningDefence => Prior::Uniform { lo: 0.0, hi: 0.05 },
            Param::JoiningConsultation => Prior::Uniform { lo: 0.0, hi: 0.05 },
            Param::GrowthNoise => Prior::Uniform { lo: 0.01, hi: 0.05 },
            Param::Reactivity => Prior::Uniform { lo: 0.0, hi: 0.3 },
            Param::SharedThreatWeight => Prior::Uniform { lo: 0.5, hi: 2.0 },
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
            assert_eq!(Param::parse(p.name()), Some(*p));
            assert_eq!(p.index(), i);
        }
    }
}
