//! Calibrated distributions of the spending model's parameters, as plain values
//! the engine can turn into priors.

use crate::sensitivity::{normal_cdf, normal_quantile};

/// A normal distribution truncated to `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TruncatedNormal {
    pub mean: f64,
    pub sd: f64,
    pub lo: f64,
    pub hi: f64,
}

impl TruncatedNormal {
    /// The `u` quantile (`u` in `[0, 1]`, clamped); a zero sd gives the mean
    /// clamped to the bounds.
    pub fn quantile(&self, u: f64) -> f64 {
        let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
        if self.sd.is_nan() || self.sd <= 0.0 {
            return self.mean.clamp(self.lo, self.hi);
        }
        let a = normal_cdf((self.lo - self.mean) / self.sd);
        let b = normal_cdf((self.hi - self.mean) / self.sd);
        if b - a < 1e-300 {
            // All mass beyond one bound: the nearer bound.
            return if self.mean < self.lo {
                self.lo
            } else {
                self.hi
            };
        }
        let p = (a + u * (b - a)).clamp(1e-300, 1.0 - 1e-16);
        (self.mean + self.sd * normal_quantile(p)).clamp(self.lo, self.hi)
    }
}

/// One parameter's calibrated distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibratedParam {
    /// As in [`super::DrawParams::NAMES`].
    pub name: &'static str,
    pub description: &'static str,
    pub unit: &'static str,
    /// The fitted value (maximum likelihood or calibrated).
    pub estimate: f64,
    pub distribution: TruncatedNormal,
    /// How the distribution was obtained, in a sentence.
    pub basis: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_stay_inside_the_bounds_and_the_median_of_a_symmetric_one_is_the_mean() {
        let d = TruncatedNormal {
            mean: 0.3,
            sd: 0.2,
            lo: 0.0,
            hi: 0.6,
        };
        assert!((d.quantile(0.5) - 0.3).abs() < 1e-9);
        assert!(d.quantile(0.0) >= 0.0 && d.quantile(1.0) <= 0.6);
        assert!(d.quantile(0.1) < d.quantile(0.9));
        // Mass mostly below the lower bound: quantiles crowd at it.
        let e = TruncatedNormal {
            mean: -1.0,
            sd: 0.1,
            lo: 0.0,
            hi: 1.0,
        };
        assert!(e.quantile(0.5) < 0.02);
        let z = TruncatedNormal { sd: 0.0, ..d };
        assert_eq!(z.quantile(0.9), 0.3);
    }
}
