//! Crisis bargaining (Fearon 1995): the risk-return trade-off of an offer made
//! under uncertainty about the other side's cost of war.
//!
//! A offers B a split of a good worth 1. B's cost of war is uniform on
//! `[0, c_bar]`; A's is `c_a`; `p` is A's chance of winning a war. B accepts
//! `x` if its war payoff `1 - p - c_b` is below `1 - x`. A's optimal demand is
//! `x* = p + (c_bar - c_a) / 2` (capped at `p + c_bar`), and B fights with
//! probability `(c_bar - c_a) / (2 c_bar)` when `c_bar > c_a`, else never.

/// Why a crisis cannot be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum CrisisError {
    #[error("p (A's chance of winning) must be in [0, 1], got {0}")]
    Probability(f64),
    #[error("costs of war must be positive and finite, got c_bar = {c_bar}, c_a = {c_a}")]
    Costs { c_bar: f64, c_a: f64 },
}

/// The outcome of A's optimal offer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crisis {
    /// A's optimal demand (its share of the good).
    pub demand: f64,
    /// Probability that B rejects and war follows.
    pub p_war: f64,
}

/// Fearon's optimal demand and war probability with uniform private costs.
pub fn fearon(p: f64, c_a: f64, c_bar: f64) -> Result<Crisis, CrisisError> {
    if !(0.0..=1.0).contains(&p) {
        return Err(CrisisError::Probability(p));
    }
    if !(c_bar > 0.0 && c_a >= 0.0 && c_bar.is_finite() && c_a.is_finite()) {
        return Err(CrisisError::Costs { c_bar, c_a });
    }
    if c_bar > c_a {
        Ok(Crisis {
            demand: p + (c_bar - c_a) / 2.0,
            p_war: (c_bar - c_a) / (2.0 * c_bar),
        })
    } else {
        // A's own cost is so high that it concedes enough for every type of B.
        Ok(Crisis {
            demand: p,
            p_war: 0.0,
        })
    }
}

/// A's chance of winning from capabilities, with allies' capabilities counted
/// at their reliability: `(a + r A) / (a + r A + b + r B)`.
pub fn win_probability(
    own_a: f64,
    allies_a: f64,
    own_b: f64,
    allies_b: f64,
    reliability: f64,
) -> f64 {
    let (x, y) = (
        own_a + reliability * allies_a,
        own_b + reliability * allies_b,
    );
    if x + y > 0.0 {
        x / (x + y)
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn textbook_case() {
        let c = fearon(0.5, 0.1, 0.3).unwrap();
        assert!((c.demand - 0.6).abs() < 1e-12);
        assert!((c.p_war - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(fearon(0.5, 0.4, 0.3).unwrap().p_war, 0.0);
        assert!(fearon(1.5, 0.1, 0.3).is_err());
    }

    proptest! {
        /// The closed form is the maximum of A's expected utility over a grid.
        #[test]
        fn demand_maximises_expected_utility(p in 0.0f64..1.0, c_a in 0.0f64..0.5, c_bar in 0.01f64..0.5) {
            let c = fearon(p, c_a, c_bar).unwrap();
            // B accepts x with probability P(c_b >= x - p) for x in [p, p + c_bar].
            let eu = |x: f64| {
                let accept = ((p + c_bar - x) / c_bar).clamp(0.0, 1.0);
                accept * x + (1.0 - accept) * (p - c_a)
            };
            let best = (0..=2000).map(|k| p + c_bar * k as f64 / 2000.0).map(eu).fold(f64::MIN, f64::max);
            prop_assert!(eu(c.demand.min(p + c_bar)) >= best - 1e-3);
        }
    }
}
