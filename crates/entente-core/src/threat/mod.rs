//! Threat: how endangered each state is, through which channel, and how an
//! edit of the alliance network changes it.
//!
//! Threat felt by `i` is `theta_i = 1 - prod_j (1 - q_ij)` (Nordhaus, Oneal and
//! Russett 2012). `q_ij`, the threat to `i` from `j`, combines two channels
//! ([`mechanism::compute`]):
//!
//! - **direct**: the dyad's dispute hazard ([`crate::hazard`], refit on the
//!   dispute data, with the pair's own defence and consultation terms), weighted
//!   by the balance of power `j` can bring to bear on `i` and lowered by
//!   deterrence when `i` has an ally (Benson 2011);
//! - **entrapment**: the chance `i` is drawn into a partner's dispute with `j`, at
//!   the rate states joined their allies' disputes in the data ([`crate::hazard::joining`]).
//!
//! A new pact therefore changes (a) the hazard between its members, by the
//! fitted pact terms; (b) how third parties threaten members (their balance
//! improves, deterrence grows) and how members threaten third parties (the
//! spiral: the members' side grows in the third parties' eyes); and (c) what
//! members can be drawn into. An existing ally is never taken off a state's
//! side against a new partner. [`compare`] splits a change by source and by
//! these three channels, exactly.

pub mod channels;
pub mod mechanism;

use crate::hazard::fit::Fitted;
use crate::hazard::model::Regressor;
use crate::hazard::{self, Covariates, HazardConfig, Relevance};
use crate::ids::{Ccode, IdMap};
use crate::power::{self, PowerConfig};
use crate::world::{Archive, World};

pub use channels::{compare, ThreatChange};
pub use mechanism::{Mechanism, Network, Pact};

/// Whether the moral-hazard effect of offensive pacts is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoralHazard {
    Ignore,
    /// Multiply threat from members of offence pacts by `1 + moral_hazard`.
    Apply,
}

/// Settings of the threat model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreatConfig {
    pub hazard: HazardConfig,
    pub power: PowerConfig,
    /// Share of alliance commitments honoured, weighting allies in the balance
    /// of power (Leeds 2003: about 0.75).
    pub reliability: f64,
    /// Fall in third-party initiation against a defended state (Benson 2011: 0.18).
    pub deterrence: f64,
    /// How often states joined a defence ally's disputes (estimated).
    pub joining_defence: f64,
    /// How often states joined a consultation partner's disputes (estimated).
    pub joining_consultation: f64,
    /// Weight of a consultation partner relative to a defence ally in the
    /// balance and in deterrence; by default the ratio of the two joining rates.
    pub consultation_weight: f64,
    /// Rise in initiation by members of unconditional offensive pacts (Benson 2011: 2.49).
    pub moral_hazard: f64,
    pub moral_hazard_rule: MoralHazard,
}

impl ThreatConfig {
    /// The refit hazard (politically relevant dyads), its estimated joining
    /// rates, and the published defaults for the rest.
    pub fn from_fit(fitted: &Fitted) -> ThreatConfig {
        let (d, c) = (
            fitted.joining_defence.rate,
            fitted.joining_consultation.rate,
        );
        ThreatConfig {
            hazard: HazardConfig {
                model: fitted.model,
                relevance: Relevance::PoliticallyRelevant,
            },
            power: PowerConfig::default(),
            reliability: 0.75,
            deterrence: 0.18,
            joining_defence: d,
            joining_consultation: c,
            consultation_weight: if d > 0.0 { (c / d).min(1.0) } else { 0.0 },
            moral_hazard: 2.49,
            moral_hazard_rule: MoralHazard::Ignore,
        }
    }

    pub fn mechanism(&self) -> Mechanism {
        let m = &self.hazard.model;
        Mechanism {
            beta_defence: m.coefficient(Regressor::DefencePact),
            beta_consultation: m.coefficient(Regressor::ConsultationPact),
            reliability: self.reliability,
            consultation_weight: self.consultation_weight,
            deterrence: self.deterrence,
            joining_defence: self.joining_defence,
            joining_consultation: self.joining_consultation,
            moral_hazard: (self.moral_hazard_rule == MoralHazard::Apply)
                .then_some(self.moral_hazard),
        }
    }
}

/// Threat among a set of states.
#[derive(Debug, Clone, PartialEq)]
pub struct Threat {
    pub actors: Vec<Ccode>,
    /// `q[i][j]`: threat to `actors[i]` from `actors[j]` (0 on the diagonal).
    pub q: Vec<Vec<f64>>,
    /// `p[i][j]`: the dyad's dispute hazard (symmetric).
    pub p: Vec<Vec<f64>>,
    /// `direct[i][j]`: the direct channel of `q[i][j]`.
    pub direct: Vec<Vec<f64>>,
    /// `entrapment[i][j]`: the entrapment channel of `q[i][j]`.
    pub entrapment: Vec<Vec<f64>>,
    /// `pacts[i][j]`: the commitments between the two.
    pub pacts: Vec<Vec<Pact>>,
    /// Threat felt by each actor.
    pub theta: Vec<f64>,
}

impl Threat {
    pub fn index(&self, c: Ccode) -> Option<usize> {
        self.actors.iter().position(|&a| a == c)
    }

    /// The largest source of threat to actor `i` (index and `q`), if any.
    pub fn largest_source(&self, i: usize) -> Option<(usize, f64)> {
        self.q[i]
            .iter()
            .enumerate()
            .filter(|(j, q)| *j != i && **q > 0.0)
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            .map(|(j, q)| (j, *q))
    }
}

/// The commitments between two states in `world`.
pub fn pact_between(world: &World, a: Ccode, b: Ccode) -> Pact {
    if a == b {
        return Pact::default();
    }
    let defence = world.defence_between(a, b);
    let consultation = !defence && world.obligations_between(a, b).consultation;
    Pact {
        defence: f64::from(u8::from(defence)),
        consultation: f64::from(u8::from(consultation)),
    }
}

/// The network of `actors` in `world`: hazards without their pact terms,
/// commitments to every state, projected power.
pub fn network(archive: &Archive, world: &World, actors: &[Ccode], cfg: &ThreatConfig) -> Network {
    let n = actors.len();
    // The actors' partners outside the set count in the balance.
    let mut states: Vec<Ccode> = actors.to_vec();
    let mut at: IdMap<Ccode, usize> = states.iter().enumerate().map(|(k, c)| (*c, k)).collect();
    let mut pact_rows: Vec<Vec<(usize, Pact)>> = vec![Vec::new(); n];
    for (i, &a) in actors.iter().enumerate() {
        for s in &world.states {
            let c = pact_between(world, a, s.ccode);
            if c.is_none() {
                continue;
            }
            let k = *at.entry(s.ccode).or_insert_with(|| {
                states.push(s.ccode);
                states.len() - 1
            });
            pact_rows[i].push((k, c));
        }
    }
    let m = states.len();
    let mut pact = vec![vec![Pact::default(); m]; n];
    for (i, row) in pact_rows.into_iter().enumerate() {
        for (k, c) in row {
            pact[i][k] = c;
        }
    }
    let mut z0 = vec![vec![f64::NEG_INFINITY; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let x = hazard::covariates(archive, world, actors[i], actors[j]);
            let x0 = Covariates {
                defence: 0.0,
                consultation: 0.0,
                ..x
            };
            let h = hazard::probability(&x0, &cfg.hazard);
            z0[i][j] = h.log_odds;
            z0[j][i] = h.log_odds;
        }
    }
    let proj = states
        .iter()
        .map(|&k| {
            actors
                .iter()
                .map(|&t| power::projected(world, k, t, &cfg.power).unwrap_or(0.0))
                .collect()
        })
        .collect();
    let offensive = actors
        .iter()
        .map(|&a| {
            world
                .states
                .iter()
                .any(|s| s.ccode != a && world.obligations_between(a, s.ccode).offence)
        })
        .collect();
    Network {
        n,
        z0,
        pact,
        proj,
        offensive,
    }
}

/// Threat to and from every state in `actors` (sources are the same set).
pub fn threat(archive: &Archive, world: &World, actors: &[Ccode], cfg: &ThreatConfig) -> Threat {
    let net = network(archive, world, actors, cfg);
    let ch = mechanism::compute(&net, &cfg.mechanism());
    let n = actors.len();
    Threat {
        actors: actors.to_vec(),
        q: ch.q,
        p: ch.p,
        direct: ch.direct,
        entrapment: ch.entrapment,
        pacts: (0..n).map(|i| net.pact[i][..n].to_vec()).collect(),
        theta: ch.theta,
    }
}

#[cfg(test)]
mod tests;
