//! The corners of the prior box: extra draws at the edges of the parameters'
//! priors, and one with every mechanism weight at zero, so a claim that holds
//! in every draw can be told apart from one that holds whatever the
//! parameters (robust) or because the option cannot move its metric
//! (structural).
//!
//! Each corner is a full draw of the chain with its parameters set, and its
//! noise from a ChaCha stream past the design's (stream `draws + i`), so the
//! corners are as reproducible as the draws.

use rayon::prelude::*;

use crate::scenario::Param;

use super::{DrawParams, DrawResult, Prepared, SimulationError};

/// The label of the corner with every mechanism weight at zero.
pub const MECHANISMS_OFF: &str = "mechanisms off";

/// How far into each prior's tails the box's edges sit.
const EDGE: f64 = 0.005;

/// One corner: its label, its parameters and the chain's results there.
#[derive(Debug, Clone, PartialEq)]
pub struct Corner {
    pub label: String,
    /// The parameter moved to an edge alone (the others at their medians),
    /// for the one-at-a-time corners.
    pub alone: Option<Param>,
    pub params: DrawParams,
    pub result: DrawResult,
}

impl Prepared<'_> {
    /// The corners' parameters: every uncertain parameter at its low edge,
    /// then at its high edge; each alone at either edge (the others at their
    /// medians); the mechanism weights all at their high edges; and every
    /// mechanism weight at zero.
    pub fn corner_params(&self) -> Vec<(String, DrawParams)> {
        self.corner_specs()
            .into_iter()
            .map(|(label, _, params)| (label, params))
            .collect()
    }

    /// [`Prepared::corner_params`] with the parameter each one-at-a-time
    /// corner moves.
    fn corner_specs(&self) -> Vec<(String, Option<Param>, DrawParams)> {
        let at = |u: f64, p: Param| self.priors[p.index()].prior.at(u);
        let median: Vec<f64> = Param::ALL.iter().map(|&p| at(0.5, p)).collect();
        let with = |f: &dyn Fn(Param) -> Option<f64>| {
            DrawParams(
                Param::ALL
                    .iter()
                    .zip(&median)
                    .map(|(&p, &m)| f(p).unwrap_or(m))
                    .collect(),
            )
        };
        let uncertain = |p: Param| self.uncertain.contains(&p);
        let mut out = vec![
            (
                "all low".to_string(),
                None,
                with(&|p| uncertain(p).then(|| at(EDGE, p))),
            ),
            (
                "all high".to_string(),
                None,
                with(&|p| uncertain(p).then(|| at(1.0 - EDGE, p))),
            ),
        ];
        for &q in &self.uncertain {
            for (edge, u) in [("low", EDGE), ("high", 1.0 - EDGE)] {
                out.push((
                    format!("{} {edge}", q.name()),
                    Some(q),
                    with(&|p| (p == q).then(|| at(u, p))),
                ));
            }
        }
        out.push((
            "mechanisms high".to_string(),
            None,
            with(&|p| p.is_mechanism().then(|| at(1.0 - EDGE, p))),
        ));
        out.push((
            MECHANISMS_OFF.to_string(),
            None,
            with(&|p| p.is_mechanism().then_some(0.0)),
        ));
        out
    }

    /// Run the chain at every corner (in parallel; results in corner order).
    pub fn run_corners(&self) -> Result<Vec<Corner>, SimulationError> {
        let first = self.draws();
        // With the mechanisms off, no state reacts through an elasticity of its own either.
        let still = self.spending.without_own_elasticities();
        self.corner_specs()
            .into_par_iter()
            .enumerate()
            .map(|(i, (label, alone, params))| {
                // With the mechanisms off, pacts reach the landscape through no tie term either.
                let off = label == MECHANISMS_OFF;
                let model = if off { &still } else { &self.spending };
                let result = self.run_with_spending(first + i, params.clone(), model, !off)?;
                Ok(Corner {
                    label,
                    alone,
                    params,
                    result,
                })
            })
            .collect()
    }
}
