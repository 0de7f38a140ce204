//! Claims over all draws: paired differences between a claim's treatment and
//! baseline, the share of draws in which the claim holds with its Wilson
//! interval, how that share should be read (its [`ClaimStatus`], from the
//! draws and the corners of the prior box), and the Sobol drivers of the
//! difference with bootstrap intervals.

use crate::ids::Ccode;
use crate::scenario::{Claim, Comparison, Direction, Param, Scenario};
use crate::sensitivity::{self, Bootstrap, ConfidenceIntervals};

use super::corners::Corner;
use super::{DrawResult, Prepared, SimulationError};

/// How a claim's probability should be read, computed by the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimStatus {
    /// The outcome differs between draws: the probability comes from a
    /// mechanism that could go either way.
    Empirical,
    /// Same outcome in every draw, but not at every corner of the prior
    /// box: the verdict rests on the priors' ranges, not on the models alone.
    PriorBound,
    /// The claim holds (or fails) in every draw and at every corner of the
    /// prior box, though the option does move the metric.
    Robust,
    /// The option cannot move the metric: treatment and baseline give the
    /// same value in every draw and at every corner, so the verdict follows
    /// from the metric's construction, not from the models.
    Structural,
    /// The models cannot speak to the claim (no metric, or the metric is
    /// undefined in every draw).
    NotModelled,
}

impl ClaimStatus {
    pub fn name(self) -> &'static str {
        match self {
            ClaimStatus::Empirical => "empirical",
            ClaimStatus::PriorBound => "prior_bound",
            ClaimStatus::Robust => "robust",
            ClaimStatus::Structural => "structural",
            ClaimStatus::NotModelled => "not_modelled",
        }
    }

    /// One sentence for readers of the report.
    pub fn explain(self) -> &'static str {
        match self {
            ClaimStatus::Empirical => {
                "The outcome differs across the sampled worlds: the probability measures the models' uncertainty."
            }
            ClaimStatus::PriorBound => {
                "Same outcome in every draw, but not at every corner of the prior box: the verdict rests on where the priors were cut off."
            }
            ClaimStatus::Robust => {
                "Same outcome in every draw and at every corner of the prior box, though the option moves the metric: the models agree whatever the parameters."
            }
            ClaimStatus::Structural => {
                "The option cannot move this metric (treatment equals baseline in every draw and at every corner of the prior box): the verdict follows from how the metric is built, not from evidence."
            }
            ClaimStatus::NotModelled => "The models cannot speak to this claim.",
        }
    }
}

/// A parameter's Sobol indices for one claim's difference, with their
/// percentile bootstrap intervals (95%).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Driver {
    pub param: Param,
    pub first_order: Option<f64>,
    pub total: Option<f64>,
    pub first_order_interval: Option<(f64, f64)>,
    pub total_interval: Option<(f64, f64)>,
}

/// A claim's verdict at one corner of the prior box.
#[derive(Debug, Clone, PartialEq)]
pub struct CornerVerdict {
    pub corner: String,
    /// The parameter this corner moves alone, if it is a one-at-a-time corner.
    pub alone: Option<Param>,
    /// The paired comparison there (NaN where undefined).
    pub difference: f64,
    pub holds: Option<bool>,
}

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
    /// Sobol indices of the difference for each uncertain parameter; empty
    /// unless the claim is [`ClaimStatus::Empirical`].
    pub drivers: Vec<Driver>,
    pub status: ClaimStatus,
    /// The verdict at each corner of the prior box (empty when not modelled).
    pub corners: Vec<CornerVerdict>,
}

impl ClaimResult {
    fn not_modelled(id: &str) -> ClaimResult {
        ClaimResult {
            id: id.to_string(),
            probability: None,
            interval: None,
            differences: Vec::new(),
            drivers: Vec::new(),
            status: ClaimStatus::NotModelled,
            corners: Vec::new(),
        }
    }

    /// The verdict with every mechanism weight at zero, if computed.
    pub fn without_mechanisms(&self) -> Option<&CornerVerdict> {
        self.corners
            .iter()
            .find(|c| c.corner == super::corners::MECHANISMS_OFF)
    }
}

/// Treatment `x` against baseline `y`: the comparison, and whether the
/// option moved the value at all.
fn compare_values(comparison: Comparison, x: f64, y: f64) -> (f64, bool) {
    // Identical computations give identical values; the tolerance only
    // absorbs rounding in sums taken over different orders.
    let moved = (x - y).abs() > 1e-12 * x.abs().max(y.abs());
    let d = match comparison {
        Comparison::Difference => x - y,
        Comparison::PercentChange => {
            if y != 0.0 {
                100.0 * (x - y) / y.abs()
            } else {
                f64::NAN
            }
        }
    };
    (d, moved)
}

/// Treatment against baseline for claim `ci` in one draw: the comparison
/// and whether the option moved the metric at all. A reciprocal claim
/// compares the states and the responder that went furthest, and holds
/// only when both are beyond the threshold: its value is the nearer of the two.
fn compare(
    c: &Claim,
    ci: usize,
    t: usize,
    b: usize,
    r: &DrawResult,
    actors: &[Ccode],
) -> (f64, bool) {
    let (x, y) = (r.options[t].claim_values[ci], r.options[b].claim_values[ci]);
    let (d, moved) = compare_values(c.comparison, x, y);
    if c.responders.is_empty() {
        return (d, moved);
    }
    let responses: Vec<(f64, bool)> = c
        .responders
        .iter()
        .filter_map(|s| actors.iter().position(|a| a == s))
        .filter_map(|i| {
            let at = |o: usize| {
                r.options[o].milex[i]
                    .as_ref()
                    .and_then(|p| p.last().copied())
            };
            Some(compare_values(c.comparison, at(t)?, at(b)?))
        })
        .filter(|v| v.0.is_finite())
        .collect();
    let any_moved = moved || responses.iter().any(|v| v.1);
    let furthest = match c.direction {
        Direction::Above => responses.iter().map(|v| v.0).reduce(f64::max),
        Direction::Below => responses.iter().map(|v| v.0).reduce(f64::min),
    };
    let joint = match (furthest, c.direction) {
        (Some(_), _) if !d.is_finite() => f64::NAN,
        (Some(f), Direction::Above) => d.min(f),
        (Some(f), Direction::Below) => d.max(f),
        (None, _) => f64::NAN,
    };
    (joint, any_moved)
}

fn holds(c: &Claim, v: f64) -> Option<bool> {
    v.is_finite().then_some(match c.direction {
        Direction::Above => v > c.threshold,
        Direction::Below => v < c.threshold,
    })
}

/// Evaluate every claim over `results` (all draws of the design, in draw
/// order). The corners of the prior box are run here, once for all claims.
pub fn claims(
    prep: &Prepared,
    results: &[DrawResult],
) -> Result<Vec<ClaimResult>, SimulationError> {
    let sc = prep.scenario;
    let corners: Vec<Corner> = if sc.claims.iter().any(|c| c.metric.is_some()) {
        prep.run_corners()?
    } else {
        Vec::new()
    };
    Ok(sc
        .claims
        .iter()
        .enumerate()
        .map(|(ci, c)| evaluate(prep, sc, ci, c, results, &corners))
        .collect())
}

fn evaluate(
    prep: &Prepared,
    sc: &Scenario,
    ci: usize,
    c: &Claim,
    results: &[DrawResult],
    corners: &[Corner],
) -> ClaimResult {
    let (Some(_), Some(t), Some(b)) = (
        c.metric,
        sc.options.iter().position(|o| o.id == c.treatment),
        sc.options.iter().position(|o| o.id == c.baseline),
    ) else {
        return ClaimResult::not_modelled(&c.id);
    };
    let compared: Vec<(f64, bool)> = results
        .iter()
        .map(|r| compare(c, ci, t, b, r, &sc.actors))
        .collect();
    let differences: Vec<f64> = compared.iter().map(|x| x.0).collect();
    let verdicts: Vec<bool> = differences.iter().filter_map(|&v| holds(c, v)).collect();
    if verdicts.is_empty() {
        return ClaimResult {
            differences,
            ..ClaimResult::not_modelled(&c.id)
        };
    }
    let n_holds = verdicts.iter().filter(|&&h| h).count();
    let probability = Some(n_holds as f64 / verdicts.len() as f64);
    let interval = crate::scoring::wilson_interval(n_holds as u64, verdicts.len() as u64, 0.95)
        .ok()
        .map(|w| (w.lower, w.upper));
    let at_corners: Vec<(CornerVerdict, bool)> = corners
        .iter()
        .map(|k| {
            let (d, moved) = compare(c, ci, t, b, &k.result, &sc.actors);
            (
                CornerVerdict {
                    corner: k.label.clone(),
                    alone: k.alone,
                    difference: d,
                    holds: holds(c, d),
                },
                moved,
            )
        })
        .collect();
    let moved = compared.iter().any(|x| x.1) || at_corners.iter().any(|x| x.1);
    let corner_verdicts: Vec<bool> = at_corners.iter().filter_map(|x| x.0.holds).collect();
    let status = status_of(moved, &verdicts, &corner_verdicts);
    let drivers = if status == ClaimStatus::Empirical {
        drivers(prep, &differences)
    } else {
        Vec::new()
    };
    ClaimResult {
        id: c.id.clone(),
        probability,
        interval,
        differences,
        drivers,
        status,
        corners: at_corners.into_iter().map(|x| x.0).collect(),
    }
}

/// A modelled claim's status from whether the option moved its metric
/// anywhere, and its verdicts in the draws (at least one) and at the corners.
fn status_of(moved: bool, draws: &[bool], corners: &[bool]) -> ClaimStatus {
    let first = draws.first().copied().unwrap_or(false);
    if !moved {
        ClaimStatus::Structural
    } else if draws.iter().any(|&h| h != first) {
        ClaimStatus::Empirical
    } else if corners.iter().all(|&h| h == first) {
        ClaimStatus::Robust
    } else {
        ClaimStatus::PriorBound
    }
}

/// Sobol indices of the continuous paired difference (the indicator "claim
/// holds" would give coarse indices), with bootstrap intervals over the base
/// samples, seeded by the scenario's seed.
fn drivers(prep: &Prepared, differences: &[f64]) -> Vec<Driver> {
    let boot = ConfidenceIntervals::Bootstrap(Bootstrap {
        resamples: 500,
        confidence: 0.95,
        seed: prep.scenario.experiment.seed,
    });
    // Only a Saltelli design has Sobol indices; with replications, a point's output is the
    // mean of its replications' differences (the indices of the conditional mean).
    let Some(design) = prep.design.saltelli() else {
        return Vec::new();
    };
    match sensitivity::analyze(design, &prep.design.point_means(differences), boot) {
        Ok(ix) => ix
            .parameters
            .iter()
            .zip(&prep.uncertain)
            .map(|(x, p)| Driver {
                param: *p,
                first_order: x.first_order,
                total: x.total,
                first_order_interval: x.first_order_interval.map(|i| (i.lower, i.upper)),
                total_interval: x.total_interval.map(|i| (i.lower, i.upper)),
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The parameter with the largest total index, if any.
pub fn top_driver(c: &ClaimResult) -> Option<(Param, f64)> {
    c.drivers
        .iter()
        .filter_map(|d| d.total.map(|s| (d.param, s)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// The assumption a claim's verdict rests on most, in words for a policy
/// reader: the top driver of an empirical claim; for a robust or prior-bound
/// one, the corner of the prior box (one parameter at an edge of its prior)
/// whose comparison comes nearest to the threshold; the construction of the
/// metric for a structural one; the reason for one not modelled.
pub fn rests_on(claim: &Claim, r: &ClaimResult) -> String {
    match r.status {
        ClaimStatus::NotModelled => {
            if claim.why_not.is_empty() {
                "the metric is undefined in every draw".into()
            } else {
                claim.why_not.trim().trim_end_matches('.').to_string()
            }
        }
        ClaimStatus::Structural => "how its metric is built: the option cannot move it".into(),
        ClaimStatus::Empirical => top_driver(r).map_or_else(
            || "no parameter stands out (no Sobol indices)".into(),
            |(p, s)| format!("{} (Sobol total index {s:.2})", p.name()),
        ),
        ClaimStatus::Robust | ClaimStatus::PriorBound => {
            let nearest = r
                .corners
                .iter()
                .filter(|k| k.difference.is_finite() && k.alone.is_some())
                .min_by(|a, b| {
                    (a.difference - claim.threshold)
                        .abs()
                        .total_cmp(&(b.difference - claim.threshold).abs())
                });
            let flips: Vec<&str> = r
                .corners
                .iter()
                .filter(|k| k.holds.is_some() && k.holds != Some(r.probability == Some(1.0)))
                .map(|k| k.corner.as_str())
                .collect();
            match (flips.first(), nearest) {
                (Some(f), _) => format!("the prior's edge: it flips at {f}"),
                (None, Some(k)) => format!(
                    "no single parameter: nearest to flipping at {} ({:.3} against the threshold {})",
                    k.corner, k.difference, claim.threshold
                ),
                (None, None) => "no single parameter".into(),
            }
        }
    }
}

/// One point of a claim's threshold curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub threshold: f64,
    /// Share of draws in which the claim holds at this threshold.
    pub probability: f64,
    /// 95% Wilson interval.
    pub lo: f64,
    pub hi: f64,
}

/// The probability that a claim holds as a function of its threshold, at
/// `points` thresholds evenly spaced over the range of its finite paired
/// differences, widened by a tenth on each side and far enough to include
/// the claim's own threshold, so the curve shows where it crosses 0.5.
/// Empty when no draw gives a finite difference.
pub fn threshold_curve(claim: &Claim, r: &ClaimResult, points: usize) -> Vec<CurvePoint> {
    let valid: Vec<f64> = r
        .differences
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if valid.is_empty() || points < 2 || !claim.threshold.is_finite() {
        return Vec::new();
    }
    let (mut lo, mut hi) = valid
        .iter()
        .fold((claim.threshold, claim.threshold), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let pad = if hi > lo {
        (hi - lo) / 10.0
    } else {
        lo.abs().max(1.0) / 10.0
    };
    (lo, hi) = (lo - pad, hi + pad);
    (0..points)
        .map(|i| {
            let t = lo + (hi - lo) * i as f64 / (points - 1) as f64;
            let n = valid
                .iter()
                .filter(|&&v| match claim.direction {
                    Direction::Above => v > t,
                    Direction::Below => v < t,
                })
                .count();
            let (l, h) = crate::scoring::wilson_interval(n as u64, valid.len() as u64, 0.95)
                .map_or((f64::NAN, f64::NAN), |w| (w.lower, w.upper));
            CurvePoint {
                threshold: t,
                probability: n as f64 / valid.len() as f64,
                lo: l,
                hi: h,
            }
        })
        .collect()
}

/// Where a threshold curve crosses probability 0.5 (linear between points),
/// if it does.
pub fn crossing(curve: &[CurvePoint]) -> Option<f64> {
    curve.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let (da, db) = (a.probability - 0.5, b.probability - 0.5);
        if da == 0.0 {
            Some(a.threshold)
        } else if da * db < 0.0 {
            Some(a.threshold + (b.threshold - a.threshold) * da / (da - db))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Ccode;
    use crate::scenario::Metric;

    fn claim(direction: Direction, threshold: f64) -> Claim {
        Claim {
            id: "c".into(),
            text: String::new(),
            source: String::new(),
            metric: Some(Metric::Threat),
            why_not: String::new(),
            states: Vec::new(),
            sources: Vec::new(),
            responders: Vec::new(),
            comparison: Comparison::Difference,
            direction,
            threshold,
            treatment: "t".into(),
            baseline: "b".into(),
        }
    }

    fn result(differences: Vec<f64>) -> ClaimResult {
        ClaimResult {
            differences,
            ..ClaimResult::not_modelled("c")
        }
    }

    /// One draw of two options (treatment 0, baseline 1) over actors 1, 2, 3:
    /// the claim's own value and each actor's spending at the horizon.
    fn draw(value: [f64; 2], milex: [[f64; 3]; 2]) -> DrawResult {
        let option = |o: usize| super::super::OptionResult {
            option: format!("o{o}"),
            milex: milex[o].iter().map(|&m| Some(vec![100.0, m])).collect(),
            theta: Vec::new(),
            coalition: Vec::new(),
            region_share: Vec::new(),
            bargaining_median: f64::NAN,
            claim_values: vec![value[o]],
        };
        DrawResult {
            draw: 0,
            params: Vec::new(),
            options: vec![option(0), option(1)],
        }
    }

    #[test]
    fn a_reciprocal_claim_needs_the_states_and_one_responder() {
        let actors = [Ccode(1), Ccode(2), Ccode(3)];
        let mut c = claim(Direction::Above, 1.0);
        c.comparison = Comparison::PercentChange;
        c.responders = vec![Ccode(2), Ccode(3)];
        // The states +5%, responders +0.5% and +3%: the furthest responder (3%) is nearer.
        let r = draw(
            [105.0, 100.0],
            [[105.0, 100.5, 103.0], [100.0, 100.0, 100.0]],
        );
        let (d, moved) = compare(&c, 0, 0, 1, &r, &actors);
        assert!((d - 3.0).abs() < 1e-9 && moved, "{d}");
        assert_eq!(holds(&c, d), Some(true));
        // No responder beyond 1%: no race, however far the states go.
        let r = draw(
            [150.0, 100.0],
            [[150.0, 100.5, 99.0], [100.0, 100.0, 100.0]],
        );
        let (d, _) = compare(&c, 0, 0, 1, &r, &actors);
        assert!((d - 0.5).abs() < 1e-9, "{d}");
        assert_eq!(holds(&c, d), Some(false));
        // Responders racing alone are no race either.
        let r = draw(
            [100.2, 100.0],
            [[100.2, 120.0, 130.0], [100.0, 100.0, 100.0]],
        );
        let (d, _) = compare(&c, 0, 0, 1, &r, &actors);
        assert!((d - 0.2).abs() < 1e-9, "{d}");
        // Nothing moves: not moved, whatever the threshold.
        let r = draw(
            [100.0, 100.0],
            [[100.0, 100.0, 100.0], [100.0, 100.0, 100.0]],
        );
        assert!(!compare(&c, 0, 0, 1, &r, &actors).1);
        // Without responders, the claim is the states' comparison alone.
        c.responders.clear();
        let r = draw(
            [150.0, 100.0],
            [[150.0, 100.5, 99.0], [100.0, 100.0, 100.0]],
        );
        assert!((compare(&c, 0, 0, 1, &r, &actors).0 - 50.0).abs() < 1e-9);
    }

    #[test]
    fn a_status_says_whether_the_verdict_could_go_either_way() {
        use ClaimStatus::*;
        // The option moves nothing: structural, whatever the verdicts.
        assert_eq!(status_of(false, &[true, true], &[true]), Structural);
        assert_eq!(status_of(false, &[false], &[]), Structural);
        // Draws disagree: empirical, whatever the corners say.
        assert_eq!(status_of(true, &[true, false], &[true]), Empirical);
        // Draws agree and so do the corners: robust; a corner disagrees: prior-bound.
        assert_eq!(status_of(true, &[true, true], &[true, true]), Robust);
        assert_eq!(status_of(true, &[false, false], &[false]), Robust);
        assert_eq!(status_of(true, &[true, true], &[true, false]), PriorBound);
        assert_eq!(status_of(true, &[false], &[true]), PriorBound);
    }

    #[test]
    fn the_curve_falls_for_above_rises_for_below_and_crosses_at_the_median() {
        let r = result((1..=100).map(f64::from).chain([f64::NAN]).collect());
        let up = threshold_curve(&claim(Direction::Above, 0.0), &r, 41);
        assert_eq!(up.len(), 41);
        assert!(up.windows(2).all(|w| w[1].probability <= w[0].probability));
        assert_eq!(up[0].probability, 1.0);
        assert_eq!(up[40].probability, 0.0);
        assert!(up
            .iter()
            .all(|p| p.lo <= p.probability && p.probability <= p.hi));
        // The headline threshold (0) is inside the range, below every value.
        assert!(up[0].threshold <= 0.0);
        let x = crossing(&up).unwrap();
        assert!((x - 50.0).abs() < 3.0, "{x}");
        let down = threshold_curve(&claim(Direction::Below, 500.0), &r, 11);
        assert!(down
            .windows(2)
            .all(|w| w[1].probability >= w[0].probability));
        assert!(down[10].threshold >= 500.0);
        assert!(
            threshold_curve(&claim(Direction::Above, 0.0), &result(vec![f64::NAN]), 11).is_empty()
        );
    }
}
