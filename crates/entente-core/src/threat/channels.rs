//! An exact decomposition of each state's change in threat between two
//! worlds: by source, and by channel.
//!
//! With `theta = 1 - exp(S)`, `S = sum_j [ln(1 - d_j) + ln(1 - e_j)]` (direct and
//! entrapment channels of each source), every term's change in `S` times the
//! secant slope `(theta_1 - theta_0) / (S_1 - S_0)` is its share of the change,
//! so shares add up to the total exactly, offsetting ones included. Grouping
//! the same terms by source gives the split by source; grouping them by
//! channel gives:
//!
//! - **partners**: the direct threat from states whose commitments with the
//!   state changed (the hazard between new partners, and their balance);
//! - **non-partners**: the direct threat from everyone else (deterrence when the
//!   state's side grows, alarm when a rival's does);
//! - **entrapment**: the threat of being drawn into partners' disputes.

use super::Threat;
use crate::ids::Ccode;

/// The change in one state's threat between two worlds.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatChange {
    pub ccode: Ccode,
    pub before: f64,
    pub after: f64,
    /// Contributions by source state, largest magnitude first; they sum to
    /// `after - before` exactly (up to rounding).
    pub sources: Vec<(Ccode, f64)>,
    /// Channel (a): direct threat from states whose commitments changed.
    pub partners: f64,
    /// Channel (b): direct threat from the others (deterrence or alarm).
    pub non_partners: f64,
    /// Channel (c): being drawn into partners' disputes.
    pub entrapment: f64,
}

impl ThreatChange {
    pub fn delta(&self) -> f64 {
        self.after - self.before
    }
}

fn ln1m(x: f64) -> f64 {
    (1.0 - x).max(1e-300).ln()
}

/// Decompose each state's change in threat by source and by channel.
pub fn compare(before: &Threat, after: &Threat) -> Vec<ThreatChange> {
    let mut out = Vec::new();
    for (i, &c) in before.actors.iter().enumerate() {
        let Some(i2) = after.index(c) else { continue };
        // (source, partner?, change in ln(1 - direct), change in ln(1 - entrapment))
        let mut terms: Vec<(Ccode, bool, f64, f64)> = Vec::new();
        for (j, &s) in before.actors.iter().enumerate() {
            let Some(j2) = after.index(s) else { continue };
            if i == j {
                continue;
            }
            let partner = before.pacts[i][j] != after.pacts[i2][j2];
            let dd = ln1m(after.direct[i2][j2]) - ln1m(before.direct[i][j]);
            let de = ln1m(after.entrapment[i2][j2]) - ln1m(before.entrapment[i][j]);
            terms.push((s, partner, dd, de));
        }
        let (t0, t1) = (before.theta[i], after.theta[i2]);
        let d_s: f64 = terms.iter().map(|t| t.2 + t.3).sum();
        // theta = 1 - e^S: the secant slope, or the derivative -e^S when S barely moves.
        let slope = if d_s.abs() > 1e-12 {
            (t1 - t0) / d_s
        } else {
            -(1.0 - t0)
        };
        let (mut partners, mut non_partners, mut entrapment) = (0.0, 0.0, 0.0);
        for t in &terms {
            if t.1 {
                partners += t.2 * slope;
            } else {
                non_partners += t.2 * slope;
            }
            entrapment += t.3 * slope;
        }
        let mut sources: Vec<(Ccode, f64)> = terms
            .iter()
            .map(|t| (t.0, (t.2 + t.3) * slope))
            .filter(|x| x.1 != 0.0)
            .collect();
        sources.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        out.push(ThreatChange {
            ccode: c,
            before: t0,
            after: t1,
            sources,
            partners,
            non_partners,
            entrapment,
        });
    }
    out
}
