//! Richardson's own check on two blocs (1909-1913): the yearly change of the
//! blocs' total regressed on the two-year mean of the total.

use super::{check_consecutive, ArmsError};

/// One interval of the two-bloc fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub from_year: i32,
    pub delta_total: f64,
    pub mean_total: f64,
    pub fitted_delta: f64,
}

/// Richardson's two-bloc fit: `delta_total = slope * mean_total + intercept`.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoBlocFit {
    /// `k - alpha` per year (positive: the equilibrium is unstable).
    pub slope_per_year: f64,
    /// `g + h`.
    pub intercept: f64,
    /// The zero crossing `-intercept / slope` (`None` for a zero slope).
    pub equilibrium_total: Option<f64>,
    /// Pearson correlation of change and mean.
    pub r: f64,
    pub intervals: Vec<Interval>,
}

impl TwoBlocFit {
    /// Stable when the total is pulled back to the equilibrium (negative slope).
    pub fn stable(&self) -> bool {
        self.slope_per_year < 0.0
    }
}

/// Fit Richardson's two-bloc line to the totals of consecutive years.
pub fn two_bloc_fit(years: &[i32], totals: &[f64]) -> Result<TwoBlocFit, ArmsError> {
    if years.len() != totals.len() {
        return Err(ArmsError::Dimension(format!(
            "{} years but {} totals",
            years.len(),
            totals.len()
        )));
    }
    if years.len() < 3 {
        return Err(ArmsError::TooFewYears {
            need: 3,
            got: years.len(),
        });
    }
    check_consecutive(years)?;
    if totals.iter().any(|t| !t.is_finite()) {
        return Err(ArmsError::NonFinite {
            what: "totals".into(),
        });
    }
    let pts: Vec<(f64, f64)> = totals
        .windows(2)
        .map(|w| (0.5 * (w[0] + w[1]), w[1] - w[0]))
        .collect();
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let syy: f64 = pts.iter().map(|p| (p.1 - my).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx == 0.0 || syy == 0.0 {
        return Err(ArmsError::Config(
            "the totals' means or changes do not vary: no line to fit".into(),
        ));
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let intervals = years
        .iter()
        .zip(&pts)
        .map(|(&y, &(m, d))| Interval {
            from_year: y,
            delta_total: d,
            mean_total: m,
            fitted_delta: slope * m + intercept,
        })
        .collect();
    Ok(TwoBlocFit {
        slope_per_year: slope,
        intercept,
        equilibrium_total: (slope != 0.0).then(|| -intercept / slope),
        r: sxy / (sxx * syy).sqrt(),
        intervals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn richardson_1909() -> (Vec<i32>, Vec<f64>) {
        // France + Russia and Germany + Austria-Hungary, GBP million (see
        // tests/fixtures/richardson).
        (
            vec![1909, 1910, 1911, 1912, 1913],
            vec![199.2, 204.8, 214.9, 238.7, 289.0],
        )
    }

    #[test]
    fn two_bloc_fit_reproduces_richardson() {
        let (y, t) = richardson_1909();
        let f = two_bloc_fit(&y, &t).unwrap();
        assert!(
            (f.slope_per_year - 0.731).abs() < 0.002,
            "{}",
            f.slope_per_year
        );
        assert!((f.equilibrium_total.unwrap() - 194.9).abs() < 0.5);
        assert!(f.r > 0.999);
        assert!(!f.stable());
        assert_eq!(f.intervals.len(), 4);
        assert!((f.intervals[0].fitted_delta - 5.18).abs() < 0.01);
    }

    #[test]
    fn two_bloc_fit_rejects_gaps_and_short_series() {
        assert_eq!(
            two_bloc_fit(&[1909, 1911, 1912], &[1.0, 2.0, 4.0]),
            Err(ArmsError::YearGap {
                after: 1909,
                next: 1911
            })
        );
        assert!(matches!(
            two_bloc_fit(&[1909, 1910], &[1.0, 2.0]),
            Err(ArmsError::TooFewYears { .. })
        ));
        assert!(two_bloc_fit(&[1909, 1910, 1911], &[1.0, f64::NAN, 2.0]).is_err());
    }
}
