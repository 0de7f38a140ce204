//! Scenarios: a world, policy options as edits of it, priors over the uncertain
//! parameters, the bargaining issue's stakeholders, claims to test, and the
//! experiment. These are resolved values (states are COW codes); reading and
//! validating a scenario file is the data crate's job.

use crate::ids::Ccode;
use crate::sources::ObligationKind;

pub use crate::param::{Basis, Param};
pub use crate::prior::{Prior, PriorError};

/// What an edit of the world changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
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

/// One edit of the world that a policy option makes, from the year it takes effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub change: Change,
    /// First year the edit is in force; `None`: from the base year on.
    pub from: Option<i32>,
}

impl Edit {
    /// An edit in force from the base year.
    pub fn now(change: Change) -> Edit {
        Edit { change, from: None }
    }

    /// Whether the edit is in force in `year` of a scenario based in `base_year`.
    pub fn in_force(&self, year: i32, base_year: i32) -> bool {
        year >= self.from.unwrap_or(base_year)
    }
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
    /// Influence given in the file, instead of the scenario's measure (e.g.
    /// 0 for Iceland, which has no armed forces).
    pub weight: Option<f64>,
}

/// What a stakeholder's capability in the bargaining model measures: its
/// influence on this decision (a stated choice, printed in the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Influence {
    /// The CINC capability share (Bueno de Mesquita's original coding).
    #[default]
    Capability,
    /// Military spending in the base year (constant 2023 US$, SIPRI): the
    /// weight of a member in an alliance's decision on what it commits to.
    MilitarySpending,
}

impl Influence {
    pub const ALL: [Influence; 2] = [Influence::Capability, Influence::MilitarySpending];
    pub fn name(self) -> &'static str {
        match self {
            Influence::Capability => "capability",
            Influence::MilitarySpending => "military_spending",
        }
    }
    pub fn parse(s: &str) -> Option<Influence> {
        Influence::ALL.into_iter().find(|i| i.name() == s)
    }
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
    /// Direct threat to `states` from the actors that are their partners
    /// in no option (`1 - prod (1 - direct)`, mean over targets): the
    /// deterrence channel, free of the bookkeeping of who becomes a partner.
    ThreatFromNonPartners,
    /// Mean alignment propensity among `states` (the counter-bloc's cohesion).
    BlocCohesion,
    /// Division of `states` across the landscape's three places (west, east,
    /// unaligned): the chance that two of them picked at random stand in
    /// different places (Gini-Simpson: 0 all in one place, 2/3 evenly spread).
    Division,
    /// Whether `states` all stand on one side (west or east, not unaligned): 1 or 0.
    SameSide,
    /// Share of the framing region's power of the coalition of `states`
    /// plus their defence allies.
    CoalitionPowerShare,
    /// The bargaining forecast (weighted median) of the issue, 0-100.
    BargainingMedian,
    /// Nuclear warheads at the horizon (the warhead model), summed over `states`.
    WarheadsHorizon,
}

impl Metric {
    pub const ALL: [Metric; 10] = [
        Metric::MilexHorizon,
        Metric::Threat,
        Metric::ThreatFrom,
        Metric::ThreatFromNonPartners,
        Metric::BlocCohesion,
        Metric::Division,
        Metric::SameSide,
        Metric::CoalitionPowerShare,
        Metric::BargainingMedian,
        Metric::WarheadsHorizon,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Metric::MilexHorizon => "milex_horizon_const2023_usd_m",
            Metric::Threat => "threat",
            Metric::ThreatFrom => "threat_from",
            Metric::ThreatFromNonPartners => "threat_from_non_partners",
            Metric::BlocCohesion => "bloc_cohesion",
            Metric::Division => "division",
            Metric::SameSide => "same_side",
            Metric::CoalitionPowerShare => "coalition_power_share",
            Metric::BargainingMedian => "bargaining_median",
            Metric::WarheadsHorizon => "warheads_horizon",
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
    /// For a reciprocal claim (an arms race): states at least one of which
    /// must also be beyond the threshold, each compared on its own spending
    /// at the horizon. Empty for other claims.
    pub responders: Vec<Ccode>,
    pub comparison: Comparison,
    pub direction: Direction,
    pub threshold: f64,
    pub treatment: String,
    pub baseline: String,
}

/// How an experiment's design points are drawn from the priors' unit hypercube.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sampler {
    /// Saltelli's design (scrambled Sobol' points in the matrices A, B and AB_i): N (k + 2)
    /// points for N base samples, and the only design that gives Sobol indices.
    #[default]
    Saltelli,
    /// The Sobol' sequence in k dimensions, digitally shifted by the seed (quasi-Monte Carlo).
    Sobol,
    /// A Latin hypercube (McKay, Beckman & Conover 1979).
    Lhs,
    /// Independent uniform points.
    Random,
}

impl Sampler {
    pub const ALL: [Sampler; 4] = [
        Sampler::Saltelli,
        Sampler::Sobol,
        Sampler::Lhs,
        Sampler::Random,
    ];

    /// Its name in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Sampler::Saltelli => "saltelli",
            Sampler::Sobol => "sobol",
            Sampler::Lhs => "lhs",
            Sampler::Random => "random",
        }
    }

    pub fn from_name(name: &str) -> Option<Sampler> {
        Sampler::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// The experiment's design, size and seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Experiment {
    /// N: the base samples of a Saltelli design (N (k + 2) design points), or the number of
    /// design points of another sampler.
    pub base_samples: usize,
    pub seed: u64,
    pub sampler: Sampler,
    /// Runs of each design point: the same parameters, independent noise (at least 1).
    pub replications: usize,
}

impl Experiment {
    /// A Saltelli design of `base_samples`, one replication.
    pub fn saltelli(base_samples: usize, seed: u64) -> Experiment {
        Experiment {
            base_samples,
            seed,
            sampler: Sampler::Saltelli,
            replications: 1,
        }
    }

    /// Design points for `k` uncertain parameters.
    pub fn points(&self, k: usize) -> usize {
        match self.sampler {
            Sampler::Saltelli => self.base_samples * (k + 2),
            _ => self.base_samples,
        }
    }

    /// Draws for `k` uncertain parameters: every point's replications.
    pub fn draws(&self, k: usize) -> usize {
        self.points(k) * self.replications.max(1)
    }

    /// Set the size to at least `draws` draws for `k` uncertain parameters: the fewest
    /// whole base samples (at least 2) or points (at least 2) that reach it. Returns the
    /// draws the experiment now makes.
    pub fn set_draws(&mut self, draws: usize, k: usize) -> usize {
        let per = match self.sampler {
            Sampler::Saltelli => (k + 2) * self.replications.max(1),
            _ => self.replications.max(1),
        };
        self.base_samples = draws.div_ceil(per).max(2);
        self.draws(k)
    }
}

/// A bloc counted as one actor of the alignment landscape (e.g. NATO's
/// European members).
#[derive(Debug, Clone, PartialEq)]
pub struct Bloc {
    /// Its code in outputs (documented in the scenario file).
    pub label: String,
    pub members: Vec<Ccode>,
}

/// How a scenario frames its question: which region's balance it measures,
/// which states anchor the two sides, which actors count as one bloc, and
/// which states the report lists first. Nothing of one scenario's cast lives
/// in the engine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Framing {
    /// The region whose balance of power the metrics measure, and its name.
    pub region_label: String,
    pub region: Vec<Ccode>,
    /// The state anchoring each side of the alignment landscape: a unit on the
    /// side of `west` is "west", on the side of `east` "east".
    pub west: Option<Ccode>,
    pub east: Option<Ccode>,
    /// The states whose defence ties define each side's observed members
    /// (what the alignment model is fitted and checked against): by default
    /// `west` and `east` themselves.
    pub anchors: crate::alignment::Anchors,
    pub blocs: Vec<Bloc>,
    /// The states the report's tables and charts list first.
    pub report_states: Vec<Ccode>,
}

/// Longest scenario name: it becomes part of a folder name.
pub const MAX_NAME_CHARS: usize = 64;

/// Why `name` cannot be a scenario's name, if it cannot. The name becomes part of its run
/// folders, so it must be one plain path component: ASCII letters, digits, `-`, `_` and `.`,
/// starting with a letter or digit (no `/`, no `..`, no hidden or absolute paths).
pub fn check_name(name: &str) -> Result<(), String> {
    let bad = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
    if name.is_empty() {
        Err("scenario name is empty".into())
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(format!(
            "scenario name is longer than {MAX_NAME_CHARS} characters"
        ))
    } else if let Some(c) = bad {
        Err(format!(
            "scenario name `{name}` has `{}`: use ASCII letters, digits, `-`, `_` and `.` (it names the run's folder)",
            c.escape_default()
        ))
    } else if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        Err(format!(
            "scenario name `{name}` must start with a letter or digit (it names the run's folder)"
        ))
    } else {
        Ok(())
    }
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
    pub framing: Framing,
    pub options: Vec<PolicyOption>,
    /// The priors the scenario file gives; every other parameter takes its
    /// default, or its estimate from the data before the base year
    /// ([`Param::basis`]), when the engine is prepared.
    pub priors: Vec<(Param, Prior)>,
    pub issue: String,
    pub stakeholders: Vec<Stakeholder>,
    /// What a stakeholder's weight in the bargaining model measures.
    pub influence: Influence,
    pub claims: Vec<Claim>,
    pub experiment: Experiment,
    /// The experiment's levers, already expanded into `options` and `claims`
    /// ([`crate::sweep`]); empty without levers.
    pub sweep: crate::sweep::Sweep,
}

impl Scenario {
    /// Draws of the experiment: its design points (a Saltelli design's N (k + 2) for k
    /// uncertain parameters, else N) times its replications.
    pub fn draws(&self) -> usize {
        self.experiment.draws(self.uncertain().len())
    }

    /// Size the experiment to at least `draws` draws ([`Experiment::set_draws`]); returns
    /// the draws it now makes.
    pub fn set_draws(&mut self, draws: usize) -> usize {
        let k = self.uncertain().len();
        self.experiment.set_draws(draws, k)
    }

    /// The prior the scenario file gives `p`, if any.
    pub fn given(&self, p: Param) -> Option<Prior> {
        self.priors.iter().find(|(q, _)| *q == p).map(|x| x.1)
    }

    /// The parameters that vary, in canonical order: every parameter but
    /// those the file fixes (defaults and estimates always vary) and the
    /// warhead model's, which varies only when a claim reads warheads (no
    /// other output depends on it, so it would only add draws).
    pub fn uncertain(&self) -> Vec<Param> {
        let warheads = self.reads_warheads();
        Param::ALL
            .into_iter()
            .filter(|p| !self.given(*p).is_some_and(|g| g.is_fixed()))
            .filter(|p| warheads || *p != Param::WarheadThreatElasticity)
            .collect()
    }

    /// Whether a claim reads the warhead model's stockpiles.
    pub fn reads_warheads(&self) -> bool {
        self.claims
            .iter()
            .any(|c| c.metric == Some(Metric::WarheadsHorizon))
    }
    pub fn option(&self, id: &str) -> Option<&PolicyOption> {
        self.options.iter().find(|o| o.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_in_force_from_their_year() {
        let e = Edit {
            change: Change::Spending {
                states: vec![],
                pct_per_year: 1.0,
            },
            from: Some(2027),
        };
        assert!(!e.in_force(2026, 2024));
        assert!(e.in_force(2027, 2024));
        assert!(Edit::now(e.change.clone()).in_force(2024, 2024));
    }

    #[test]
    fn only_plain_folder_names_are_scenario_names() {
        for ok in ["nato-ip4", "small", "gulf_pact.v2", "2024"] {
            assert_eq!(check_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "../../escaped",
            "/abs/path",
            "a/b",
            "a\\b",
            "..",
            ".hidden",
            "",
            "a b",
            "x\0",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_name(&"a".repeat(MAX_NAME_CHARS + 1)).is_err());
    }
}
