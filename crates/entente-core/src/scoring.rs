//! Scores of forecasts against what happened: CRPS from predictive samples and
//! the mean absolute error of point forecasts.

/// Continuous ranked probability score of the empirical distribution of
/// `samples` at the outcome `y`: `E|X - y| - E|X - X'| / 2`, both expectations
/// over the samples (the second with the `1/m^2` normalisation, i.e. the CRPS
/// of the sample's empirical distribution). Lower is better; for a single
/// sample it is the absolute error. O(m log m) through sorting.
///
/// Returns `None` for no samples or non-finite input.
pub fn crps_from_samples(samples: &[f64], y: f64) -> Option<f64> {
    if samples.is_empty() || !y.is_finite() || samples.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() as f64;
    let abs_err: f64 = s.iter().map(|x| (x - y).abs()).sum::<f64>() / m;
    // sum_{i,j} |x_i - x_j| = 2 sum_i (2i - m - 1) x_(i) for sorted x, i 1-based.
    let spread: f64 = s
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - m - 1.0) * x)
        .sum::<f64>()
        * 2.0
        / (m * m);
    Some(abs_err - 0.5 * spread)
}

/// Mean absolute error of point forecasts; `None` when empty or of unequal length.
pub fn mae(forecast: &[f64], actual: &[f64]) -> Option<f64> {
    if forecast.is_empty() || forecast.len() != actual.len() {
        return None;
    }
    Some(
        forecast
            .iter()
            .zip(actual)
            .map(|(f, a)| (f - a).abs())
            .sum::<f64>()
            / forecast.len() as f64,
    )
}

/// The median of `values` (mean of the two middle values for an even count).
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
    use proptest::prelude::*;

    /// The O(m^2) definition, for checking.
    fn crps_naive(s: &[f64], y: f64) -> f64 {
        let m = s.len() as f64;
        let a: f64 = s.iter().map(|x| (x - y).abs()).sum::<f64>() / m;
        let b: f64 = s
            .iter()
            .flat_map(|x| s.iter().map(move |z| (x - z).abs()))
            .sum::<f64>()
            / (m * m);
        a - 0.5 * b
    }

    #[test]
    fn crps_of_one_sample_is_the_absolute_error() {
        assert_eq!(crps_from_samples(&[3.0], 5.0), Some(2.0));
        assert_eq!(crps_from_samples(&[], 5.0), None);
        assert_eq!(crps_from_samples(&[f64::NAN], 5.0), None);
    }

    #[test]
    fn crps_of_a_uniform_sample_at_its_centre() {
        // Two points at -1 and 1, outcome 0: E|X-y| = 1, E|X-X'| = 1, CRPS = 0.5.
        assert_eq!(crps_from_samples(&[-1.0, 1.0], 0.0), Some(0.5));
    }

    #[test]
    fn mae_and_median() {
        assert_eq!(mae(&[1.0, 2.0], &[2.0, 0.0]), Some(1.5));
        assert_eq!(mae(&[1.0], &[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    proptest! {
        #[test]
        fn sorted_crps_equals_the_definition(
            s in proptest::collection::vec(-100.0f64..100.0, 1..40),
            y in -150.0f64..150.0,
        ) {
            let fast = crps_from_samples(&s, y).unwrap();
            let slow = crps_naive(&s, y);
            prop_assert!((fast - slow).abs() <= 1e-9 * (1.0 + slow.abs()), "{fast} vs {slow}");
            prop_assert!(fast >= -1e-9);
        }
    }
}
