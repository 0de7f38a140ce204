//! Claims over all draws: paired differences between a claim's treatment and
//! baseline, the share of draws in which the claim holds with its Wilson
//! interval, and the Sobol drivers of the difference.

use crate::scenario::{Comparison, Direction, Param};
use crate::sensitivity::{self, ConfidenceIntervals};

use super::{DrawResult, Prepared};

/// A claim's result over all draws.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimResult {
    pub id: String,
    /// Share of draws in which the claim holds; `None` when the models cannot speak to it.
    pub probability: Option<f64>,
    /// 95% Wilson interval.
    pub interval: Option<(f64, f64)>,
    /// Paired differences (treatment vs baseline) per draw, in draw order.
    pub differences: Vec<f64>,
    /// Sobol total index of the difference for each uncertain parameter.
    pub drivers: Vec<(Param, Option<f64>, Option<f64>)>,
}

/// Evaluate every claim over `results` (all draws of the design, in draw order).
pub fn claims(prep: &Prepared, results: &[DrawResult]) -> Vec<ClaimResult> {
    let sc = prep.scenario;
    sc.claims
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let (Some(_), Some(t), Some(b)) = (
                c.metric,
                sc.options.iter().position(|o| o.id == c.treatment),
                sc.options.iter().position(|o| o.id == c.baseline),
            ) else {
                return ClaimResult {
                    id: c.id.clone(),
                    probability: None,
                    interval: None,
                    differences: Vec::new(),
                    drivers: Vec::new(),
                };
            };
            let differences: Vec<f64> = results
                .iter()
                .map(|r| {
                    let (x, y) = (r.options[t].claim_values[ci], r.options[b].claim_values[ci]);
                    match c.comparison {
                        Comparison::Difference => x - y,
                        Comparison::PercentChange => {
                            if y != 0.0 {
                                100.0 * (x - y) / y.abs()
                            } else {
                                f64::NAN
                            }
                        }
                    }
                })
                .collect();
            let valid: Vec<f64> = differences
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            let holds = valid
                .iter()
                .filter(|&&v| match c.direction {
                    Direction::Above => v > c.threshold,
                    Direction::Below => v < c.threshold,
                })
                .count();
            let probability = (!valid.is_empty()).then(|| holds as f64 / valid.len() as f64);
            let interval = crate::scoring::wilson_interval(holds as u64, valid.len() as u64, 0.95)
                .ok()
                .map(|w| (w.lower, w.upper));
            // Sobol indices of the continuous paired difference (the indicator
            // "claim holds" would give coarse indices).
            let drivers =
                match sensitivity::analyze(&prep.design, &differences, ConfidenceIntervals::Off) {
                    Ok(ix) => ix
                        .parameters
                        .iter()
                        .zip(&prep.uncertain)
                        .map(|(x, p)| (*p, x.first_order, x.total))
                        .collect(),
                    Err(_) => Vec::new(),
                };
            ClaimResult {
                id: c.id.clone(),
                probability,
                interval,
                differences,
                drivers,
            }
        })
        .collect()
}

/// The parameter with the largest total index, if any.
pub fn top_driver(c: &ClaimResult) -> Option<(Param, f64)> {
    c.drivers
        .iter()
        .filter_map(|(p, _, st)| st.map(|s| (*p, s)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}
