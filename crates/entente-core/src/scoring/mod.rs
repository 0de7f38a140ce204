//! Scores of probabilistic forecasts against outcomes, for backtests, and the
//! Wilson interval used to report a claim's probability.
//!
//! - [`crps_from_samples`]: continuous ranked probability score of a sample
//!   (ensemble) forecast, `E|X - y| - E|X - X'| / 2`, in `O(m log m)`;
//!   [`crps_normal`] and [`crps_lognormal`] are the closed forms for normal and
//!   log-normal forecasts.
//! - [`score_hindcast`] (`hindcast`): forecast draws of annual series scored
//!   against what happened and against two persistence baselines fitted on the
//!   years up to the cut-off (CRPS, skill, interval coverage).
//! - [`brier_score`]: mean squared error of probabilities of binary events.
//! - [`log_score`]: mean log probability of what happened (higher is better).
//! - [`auroc`]: area under the ROC curve (Mann–Whitney, ties count half).
//! - [`mean_absolute_error`].
//! - [`wilson_interval`]: Wilson score interval of a binomial proportion.
//!
//! Lower is better for CRPS, Brier and MAE; higher for AUROC.
//!
//! ```
//! use entente_core::scoring::{crps_from_samples, wilson_interval, CrpsEstimator};
//! // A point forecast's CRPS is its absolute error.
//! assert_eq!(crps_from_samples(&[2.0], 5.0, CrpsEstimator::Empirical)?, 3.0);
//! let w = wilson_interval(8, 10, 0.95)?;
//! assert!((w.lower - 0.4902).abs() < 1e-4 && (w.upper - 0.9433).abs() < 1e-4);
//! # Ok::<(), entente_core::scoring::ScoringError>(())
//! ```

use crate::sensitivity::{normal_cdf, normal_pdf, normal_quantile};

mod hindcast;

pub use hindcast::{
    score_hindcast, HindcastScores, HindcastSeries, OverallScore, SeriesScore, YearScore,
};

/// Why a score cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoringError {
    #[error("no forecasts (or samples) to score")]
    Empty,
    #[error("{what}: {left} forecasts but {right} outcomes")]
    LengthMismatch {
        what: &'static str,
        left: usize,
        right: usize,
    },
    #[error("value {index} is not finite ({value})")]
    NonFinite { index: usize, value: f64 },
    #[error("probability {index} is outside [0, 1] ({value})")]
    Probability { index: usize, value: f64 },
    #[error("the fair CRPS estimator needs at least 2 samples")]
    FairNeedsTwoSamples,
    #[error("AUROC needs both positive and negative outcomes ({positives} positive, {negatives} negative)")]
    OneClass { positives: usize, negatives: usize },
    #[error(
        "a normal forecast needs a finite mean and a finite sd > 0, got mean = {mean}, sd = {sd}"
    )]
    Normal { mean: f64, sd: f64 },
    #[error("Wilson interval needs 0 <= successes <= trials and trials > 0, got {successes} of {trials}")]
    Trials { successes: u64, trials: u64 },
    #[error("confidence level must be in (0, 1), got {0}")]
    Confidence(f64),
}

fn check_finite(values: &[f64]) -> Result<(), ScoringError> {
    match values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        Some((index, &value)) => Err(ScoringError::NonFinite { index, value }),
        None => Ok(()),
    }
}

fn check_lengths(what: &'static str, left: usize, right: usize) -> Result<(), ScoringError> {
    if left != right {
        return Err(ScoringError::LengthMismatch { what, left, right });
    }
    if left == 0 {
        return Err(ScoringError::Empty);
    }
    Ok(())
}

/// How [`crps_from_samples`] estimates `E|X - X'|` from `m` samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrpsEstimator {
    /// Over all `m^2` ordered pairs: the exact CRPS of the sample's empirical
    /// distribution (a single sample gives the absolute error).
    Empirical,
    /// Over the `m (m - 1)` pairs of distinct samples: unbiased for the CRPS
    /// of the distribution the samples were drawn from ("fair" CRPS, Ferro
    /// 2014). Needs `m >= 2`.
    Fair,
}

/// CRPS of the forecast given by `samples` for the observation `y`:
/// `E|X - y| - E|X - X'| / 2`. Sorting makes the pair term
/// `sum_{i,j} |x_i - x_j| = 2 sum_i (2i - m - 1) x_(i)` (1-based order
/// statistics), so the cost is `O(m log m)`.
pub fn crps_from_samples(
    samples: &[f64],
    y: f64,
    estimator: CrpsEstimator,
) -> Result<f64, ScoringError> {
    if samples.is_empty() {
        return Err(ScoringError::Empty);
    }
    check_finite(samples)?;
    if !y.is_finite() {
        return Err(ScoringError::NonFinite {
            index: samples.len(),
            value: y,
        });
    }
    let m = samples.len();
    if estimator == CrpsEstimator::Fair && m < 2 {
        return Err(ScoringError::FairNeedsTwoSamples);
    }
    let mut x = samples.to_vec();
    x.sort_by(f64::total_cmp);
    let mf = m as f64;
    let abs_err = x.iter().map(|xi| (xi - y).abs()).sum::<f64>() / mf;
    let pair_sum: f64 = x
        .iter()
        .enumerate()
        .map(|(i, xi)| (2.0 * (i as f64 + 1.0) - mf - 1.0) * xi)
        .sum::<f64>()
        * 2.0;
    let pairs = match estimator {
        CrpsEstimator::Empirical => mf * mf,
        CrpsEstimator::Fair => mf * (mf - 1.0),
    };
    Ok(abs_err - 0.5 * pair_sum / pairs)
}

/// CRPS of a normal forecast `N(mean, sd^2)` for `y` (Gneiting et al. 2005):
/// `sd [z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)]`, `z = (y - mean) / sd`.
pub fn crps_normal(mean: f64, sd: f64, y: f64) -> Result<f64, ScoringError> {
    if !(mean.is_finite() && sd.is_finite() && sd > 0.0) {
        return Err(ScoringError::Normal { mean, sd });
    }
    if !y.is_finite() {
        return Err(ScoringError::NonFinite { index: 0, value: y });
    }
    const INV_SQRT_PI: f64 = 0.564_189_583_547_756_3;
    let z = (y - mean) / sd;
    Ok(sd * (z * (2.0 * normal_cdf(z) - 1.0) + 2.0 * normal_pdf(z) - INV_SQRT_PI))
}

/// CRPS of a log-normal forecast `exp(N(mu, sigma^2))` for `y` (Baran and
/// Lerch 2015): `y (2 Phi(z) - 1) - 2 e^(mu + sigma^2/2) [Phi(z - sigma) +
/// Phi(sigma / sqrt 2) - 1]`, `z = (ln y - mu) / sigma`; for `y <= 0` it is
/// `-y + 2 e^(mu + sigma^2/2) (1 - Phi(sigma / sqrt 2))`. `sigma = 0` is the
/// point forecast `e^mu`.
pub fn crps_lognormal(mu: f64, sigma: f64, y: f64) -> Result<f64, ScoringError> {
    if !(mu.is_finite() && sigma.is_finite() && sigma >= 0.0) {
        return Err(ScoringError::Normal {
            mean: mu,
            sd: sigma,
        });
    }
    if !y.is_finite() {
        return Err(ScoringError::NonFinite { index: 0, value: y });
    }
    if sigma == 0.0 {
        return Ok((mu.exp() - y).abs());
    }
    let mean = (mu + 0.5 * sigma * sigma).exp();
    let half = normal_cdf(sigma / std::f64::consts::SQRT_2);
    if y <= 0.0 {
        return Ok(-y + 2.0 * mean * (1.0 - half));
    }
    let z = (y.ln() - mu) / sigma;
    Ok(y * (2.0 * normal_cdf(z) - 1.0) - 2.0 * mean * (normal_cdf(z - sigma) + half - 1.0))
}

/// Brier score: mean of `(p_i - o_i)^2`, `o_i` 1 if the event happened.
pub fn brier_score(probabilities: &[f64], outcomes: &[bool]) -> Result<f64, ScoringError> {
    check_lengths("Brier score", probabilities.len(), outcomes.len())?;
    if let Some((index, &value)) = probabilities
        .iter()
        .enumerate()
        .find(|(_, p)| !(0.0..=1.0).contains(*p))
    {
        return Err(ScoringError::Probability { index, value });
    }
    let sum: f64 = probabilities
        .iter()
        .zip(outcomes)
        .map(|(p, &o)| (p - if o { 1.0 } else { 0.0 }).powi(2))
        .sum();
    Ok(sum / probabilities.len() as f64)
}

/// Logarithmic score: mean of `ln p_i` where the event happened and
/// `ln(1 - p_i)` where it did not (higher is better; 0 is perfect). A
/// probability of exactly 0 or 1 on the wrong side gives minus infinity.
pub fn log_score(probabilities: &[f64], outcomes: &[bool]) -> Result<f64, ScoringError> {
    check_lengths("log score", probabilities.len(), outcomes.len())?;
    if let Some((index, &value)) = probabilities
        .iter()
        .enumerate()
        .find(|(_, p)| !(0.0..=1.0).contains(*p))
    {
        return Err(ScoringError::Probability { index, value });
    }
    let sum: f64 = probabilities
        .iter()
        .zip(outcomes)
        .map(|(p, &o)| if o { p.ln() } else { (-p).ln_1p() })
        .sum();
    Ok(sum / probabilities.len() as f64)
}

/// Area under the ROC curve: the probability that a random positive scores
/// higher than a random negative, ties counting one half (Mann–Whitney U with
/// mid-ranks), in `O(n log n)`.
pub fn auroc(scores: &[f64], outcomes: &[bool]) -> Result<f64, ScoringError> {
    check_lengths("AUROC", scores.len(), outcomes.len())?;
    check_finite(scores)?;
    let positives = outcomes.iter().filter(|&&o| o).count();
    let negatives = outcomes.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(ScoringError::OneClass {
            positives,
            negatives,
        });
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Sum of the positives' (1-based, mid-) ranks.
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            end += 1;
        }
        let mid_rank = (start + 1 + end) as f64 / 2.0;
        let tied_positives = order[start..end].iter().filter(|&&i| outcomes[i]).count();
        rank_sum += mid_rank * tied_positives as f64;
        start = end;
    }
    let (p, n) = (positives as f64, negatives as f64);
    Ok((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// Mean absolute error between predictions and observations.
pub fn mean_absolute_error(predictions: &[f64], observations: &[f64]) -> Result<f64, ScoringError> {
    check_lengths("MAE", predictions.len(), observations.len())?;
    check_finite(predictions)?;
    check_finite(observations)?;
    let sum: f64 = predictions
        .iter()
        .zip(observations)
        .map(|(p, o)| (p - o).abs())
        .sum();
    Ok(sum / predictions.len() as f64)
}

/// A proportion with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProportionInterval {
    /// `successes / trials`.
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
}

/// Wilson score interval (Wilson 1927) of a binomial proportion at the given
/// two-sided confidence level: `(p + z^2/2n ± z sqrt(p(1-p)/n + z^2/4n^2)) /
/// (1 + z^2/n)`. Unlike the normal (Wald) interval it stays inside `[0, 1]`
/// and is not degenerate at 0 or `n` successes.
pub fn wilson_interval(
    successes: u64,
    trials: u64,
    confidence: f64,
) -> Result<ProportionInterval, ScoringError> {
    if trials == 0 || successes > trials {
        return Err(ScoringError::Trials { successes, trials });
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(ScoringError::Confidence(confidence));
    }
    let z = normal_quantile(1.0 - (1.0 - confidence) / 2.0);
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2n = z * z / n;
    let denom = 1.0 + z2n;
    let centre = (p + z2n / 2.0) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2n / (4.0 * n)).sqrt();
    // At 0 or n successes one bound is exactly 0 or 1; rounding must not move it.
    let lower = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let upper = if successes == trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Ok(ProportionInterval {
        estimate: p,
        lower,
        upper,
    })
}

/// The median of `values` (mean of the middle two for an even count); `None`
/// when empty or when a value is NaN.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return None;
    }
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    Some(if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_score_of_known_forecasts() {
        let s = log_score(&[0.5, 0.5], &[true, false]).unwrap();
        assert!((s - 0.5f64.ln()).abs() < 1e-15);
        assert_eq!(log_score(&[1.0, 0.0], &[true, false]), Ok(0.0));
        assert_eq!(log_score(&[0.0], &[true]), Ok(f64::NEG_INFINITY));
        assert!(log_score(&[1.2], &[true]).is_err());
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }
    use proptest::prelude::*;

    fn naive_crps(x: &[f64], y: f64) -> f64 {
        let m = x.len() as f64;
        let a: f64 = x.iter().map(|xi| (xi - y).abs()).sum::<f64>() / m;
        let b: f64 = x
            .iter()
            .flat_map(|xi| x.iter().map(move |xj| (xi - xj).abs()))
            .sum::<f64>()
            / (m * m);
        a - 0.5 * b
    }

    #[test]
    fn crps_matches_lognormal_closed_form() {
        let (mu, sigma) = (2.0, 0.4);
        let m = 20_000;
        let x: Vec<f64> = (0..m)
            .map(|i| (mu + sigma * normal_quantile((i as f64 + 0.5) / m as f64)).exp())
            .collect();
        for y in [-1.0, 0.0, 3.0, 7.4, 12.0, 40.0] {
            let exact = crps_lognormal(mu, sigma, y).unwrap();
            let est = crps_from_samples(&x, y, CrpsEstimator::Empirical).unwrap();
            assert!(
                (exact - est).abs() < 2e-3 * (1.0 + exact),
                "y={y}: {exact} vs {est}"
            );
        }
        assert_eq!(crps_lognormal(0.0, 0.0, 3.0).unwrap(), 2.0);
        assert!(crps_lognormal(0.0, -1.0, 3.0).is_err());
    }

    #[test]
    fn crps_matches_normal_closed_form() {
        // Stratified quantile samples of N(1, 2^2): their empirical CRPS
        // converges to the closed form as m grows.
        let (mean, sd) = (1.0, 2.0);
        let m = 20_000;
        let x: Vec<f64> = (0..m)
            .map(|i| mean + sd * normal_quantile((i as f64 + 0.5) / m as f64))
            .collect();
        for y in [-3.0, 0.0, 1.0, 2.5, 8.0] {
            let exact = crps_normal(mean, sd, y).unwrap();
            let est = crps_from_samples(&x, y, CrpsEstimator::Empirical).unwrap();
            assert!((est - exact).abs() < 1e-3, "y = {y}: {est} vs {exact}");
        }
        // At the mean, CRPS = sd (sqrt(2) - 1) / sqrt(pi).
        let at_mean = crps_normal(0.0, 1.0, 0.0).unwrap();
        assert!((at_mean - (2f64.sqrt() - 1.0) / std::f64::consts::PI.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn fair_crps_is_unbiased_for_two_point_samples() {
        // X in {0, 1} equally likely, y = 0: CRPS = E|X| - E|X - X'|/2 = 1/2 - 1/4.
        let fair = crps_from_samples(&[0.0, 1.0], 0.0, CrpsEstimator::Fair).unwrap();
        // The pair term over distinct pairs is 1, so 1/2 - 1/2.
        assert_eq!(fair, 0.0);
        let emp = crps_from_samples(&[0.0, 1.0], 0.0, CrpsEstimator::Empirical).unwrap();
        assert_eq!(emp, 0.25);
        assert_eq!(
            crps_from_samples(&[1.0], 0.0, CrpsEstimator::Fair),
            Err(ScoringError::FairNeedsTwoSamples)
        );
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(
            crps_from_samples(&[], 0.0, CrpsEstimator::Empirical),
            Err(ScoringError::Empty)
        );
        assert!(crps_from_samples(&[f64::NAN], 0.0, CrpsEstimator::Empirical).is_err());
        assert!(crps_from_samples(&[1.0], f64::INFINITY, CrpsEstimator::Empirical).is_err());
        assert!(crps_normal(0.0, 0.0, 1.0).is_err());
        assert!(brier_score(&[0.5], &[true, false]).is_err());
        assert!(brier_score(&[1.5], &[true]).is_err());
        assert!(brier_score(&[f64::NAN], &[true]).is_err());
        assert_eq!(brier_score(&[], &[]), Err(ScoringError::Empty));
        assert!(matches!(
            auroc(&[0.1, 0.2], &[true, true]),
            Err(ScoringError::OneClass { .. })
        ));
        assert!(auroc(&[f64::NAN, 0.2], &[true, false]).is_err());
        assert!(mean_absolute_error(&[1.0], &[]).is_err());
        assert!(wilson_interval(0, 0, 0.95).is_err());
        assert!(wilson_interval(3, 2, 0.95).is_err());
        assert!(wilson_interval(1, 2, 1.0).is_err());
        assert!(wilson_interval(1, 2, f64::NAN).is_err());
    }

    #[test]
    fn brier_auroc_mae_known_values() {
        assert_eq!(brier_score(&[1.0, 0.0], &[true, false]), Ok(0.0));
        assert_eq!(brier_score(&[0.0, 1.0], &[true, false]), Ok(1.0));
        let b = brier_score(&[0.7, 0.2], &[true, false]).unwrap();
        assert!((b - 0.065).abs() < 1e-15);
        assert_eq!(
            auroc(&[0.9, 0.8, 0.1, 0.2], &[true, true, false, false]),
            Ok(1.0)
        );
        assert_eq!(auroc(&[0.1, 0.2, 0.9], &[true, true, false]), Ok(0.0));
        assert_eq!(auroc(&[0.5; 4], &[true, false, true, false]), Ok(0.5));
        // One positive at 0.5 tied with a negative, above another: (1 + 0.5) / 2.
        assert_eq!(auroc(&[0.5, 0.5, 0.1], &[true, false, false]), Ok(0.75));
        assert_eq!(mean_absolute_error(&[1.0, 2.0], &[2.0, 0.0]), Ok(1.5));
    }

    #[test]
    fn wilson_known_values() {
        let w = wilson_interval(8, 10, 0.95).unwrap();
        assert_eq!(w.estimate, 0.8);
        // Wilson (1927) in 30-digit arithmetic (mpmath): (0.4901624715366417,
        // 0.9433178485456247).
        assert!((w.lower - 0.490_162_471_536_641_7).abs() < 1e-14, "{w:?}");
        assert!((w.upper - 0.943_317_848_545_624_7).abs() < 1e-14, "{w:?}");
        let w = wilson_interval(0, 20, 0.95).unwrap();
        assert_eq!(w.lower, 0.0);
        // Upper bound at 0 successes: z^2 / (n + z^2).
        let z2 = 1.959_963_984_540_054f64.powi(2);
        assert!((w.upper - z2 / (20.0 + z2)).abs() < 1e-12);
        let w = wilson_interval(20, 20, 0.95).unwrap();
        assert_eq!(w.upper, 1.0);
    }

    proptest! {
        #[test]
        fn crps_sorted_equals_naive(
            x in prop::collection::vec(-100.0f64..100.0, 1..40),
            y in -150.0f64..150.0,
        ) {
            let fast = crps_from_samples(&x, y, CrpsEstimator::Empirical).unwrap();
            let slow = naive_crps(&x, y);
            prop_assert!((fast - slow).abs() < 1e-9 * (1.0 + slow.abs()), "{fast} vs {slow}");
            prop_assert!(fast >= -1e-9);
            // Shifting forecast and observation together changes nothing.
            let shifted: Vec<f64> = x.iter().map(|v| v + 3.0).collect();
            let s = crps_from_samples(&shifted, y + 3.0, CrpsEstimator::Empirical).unwrap();
            prop_assert!((s - fast).abs() < 1e-9 * (1.0 + fast.abs()));
        }

        #[test]
        fn auroc_equals_pairwise_count(
            data in prop::collection::vec((0u8..6, any::<bool>()), 2..60),
        ) {
            let scores: Vec<f64> = data.iter().map(|(s, _)| f64::from(*s)).collect();
            let outcomes: Vec<bool> = data.iter().map(|(_, o)| *o).collect();
            let (mut wins, mut pairs) = (0.0, 0.0);
            for (i, &oi) in outcomes.iter().enumerate() {
                for (j, &oj) in outcomes.iter().enumerate() {
                    if oi && !oj {
                        pairs += 1.0;
                        if scores[i] > scores[j] { wins += 1.0 } else if scores[i] == scores[j] { wins += 0.5 }
                    }
                }
            }
            match auroc(&scores, &outcomes) {
                Ok(a) => prop_assert!((a - wins / pairs).abs() < 1e-12),
                Err(ScoringError::OneClass { .. }) => prop_assert_eq!(pairs, 0.0),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }

        #[test]
        fn brier_in_unit_interval(
            data in prop::collection::vec((0.0f64..=1.0, any::<bool>()), 1..50),
        ) {
            let p: Vec<f64> = data.iter().map(|d| d.0).collect();
            let o: Vec<bool> = data.iter().map(|d| d.1).collect();
            let b = brier_score(&p, &o).unwrap();
            prop_assert!((0.0..=1.0).contains(&b));
        }

        #[test]
        fn mae_is_symmetric_and_nonnegative(
            data in prop::collection::vec((-1e6f64..1e6, -1e6f64..1e6), 1..50),
        ) {
            let a: Vec<f64> = data.iter().map(|d| d.0).collect();
            let b: Vec<f64> = data.iter().map(|d| d.1).collect();
            let m = mean_absolute_error(&a, &b).unwrap();
            prop_assert!(m >= 0.0);
            prop_assert_eq!(m, mean_absolute_error(&b, &a).unwrap());
        }

        #[test]
        fn wilson_contains_estimate_and_widens_with_confidence(
            trials in 1u64..10_000,
            frac in 0.0f64..=1.0,
            c in 0.5f64..0.99,
        ) {
            let successes = ((trials as f64) * frac).floor() as u64;
            let w = wilson_interval(successes, trials, c).unwrap();
            prop_assert!(0.0 <= w.lower && w.lower <= w.estimate && w.estimate <= w.upper && w.upper <= 1.0);
            let wider = wilson_interval(successes, trials, (c + 1.0) / 2.0).unwrap();
            prop_assert!(wider.lower <= w.lower && wider.upper >= w.upper);
            // Symmetry: failures mirror successes.
            let mirror = wilson_interval(trials - successes, trials, c).unwrap();
            prop_assert!((mirror.lower - (1.0 - w.upper)).abs() < 1e-12);
        }
    }
}
