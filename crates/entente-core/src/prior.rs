//! Priors over uncertain parameters and their inverse CDFs, which map a point
//! of the unit hypercube to parameter values. One type serves scenario files,
//! the engine's experiment design and the sensitivity analysis.
//!
//! ```
//! use entente_core::prior::Prior;
//! let p = Prior::Uniform { lo: 150.0, hi: 400.0 };
//! assert_eq!(p.validate(), Ok(()));
//! assert_eq!(p.quantile(0.5), Ok(275.0));
//! assert_eq!(p.to_string(), r#"{ dist = "uniform", lo = 150, hi = 400 }"#);
//! ```

/// Why a prior or a quantile request is invalid.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum PriorError {
    #[error("uniform prior needs finite lo < hi, got lo = {lo}, hi = {hi}")]
    Uniform { lo: f64, hi: f64 },
    #[error("normal prior needs a finite mean and a finite sd > 0, got mean = {mean}, sd = {sd}")]
    Normal { mean: f64, sd: f64 },
    #[error("normal prior's truncation needs lo < hi (and not both infinite on one side), got [{lo}, {hi}]")]
    Truncation { lo: f64, hi: f64 },
    #[error("normal prior truncated to [{lo}, {hi}] has no probability mass there (mean = {mean}, sd = {sd})")]
    NoMass {
        mean: f64,
        sd: f64,
        lo: f64,
        hi: f64,
    },
    #[error("log-normal prior needs a finite median > 0 and a finite sigma > 0, got median = {median}, sigma = {sigma}")]
    LogNormal { median: f64, sigma: f64 },
    #[error("triangular prior needs finite lo <= mode <= hi with lo < hi, got lo = {lo}, mode = {mode}, hi = {hi}")]
    Triangular { lo: f64, mode: f64, hi: f64 },
    #[error("fixed value must be a finite number, got {0}")]
    Fixed(f64),
    #[error("its values overflow (not finite in the tails): use a narrower prior")]
    Overflow,
    #[error("its values [{lo}, {hi}] leave the parameter's domain {domain}")]
    Domain {
        lo: f64,
        hi: f64,
        domain: crate::param::Domain,
    },
    #[error("probability {0} is outside the prior's domain (an unbounded prior needs 0 < u < 1, a bounded one 0 <= u <= 1)")]
    Probability(f64),
}

/// A prior distribution for one uncertain parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior {
    /// A known value (the parameter does not vary).
    Fixed(f64),
    /// Uniform on `[lo, hi]`.
    Uniform { lo: f64, hi: f64 },
    /// Normal with the given mean and standard deviation, truncated to
    /// `[lo, hi]` (use infinities for no truncation on a side).
    Normal {
        mean: f64,
        sd: f64,
        lo: f64,
        hi: f64,
    },
    /// Log-normal: `median * exp(sigma * Z)`, `Z` standard normal.
    LogNormal { median: f64, sigma: f64 },
    /// Triangular on `[lo, hi]` with peak at `mode`.
    Triangular { lo: f64, mode: f64, hi: f64 },
}

impl Prior {
    /// An untruncated normal prior.
    pub fn normal(mean: f64, sd: f64) -> Self {
        Prior::Normal {
            mean,
            sd,
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
        }
    }

    /// Checks the parameters, and that every draw is a finite number (finite
    /// parameters can still overflow: a log-normal with sigma 1000, a uniform
    /// over the whole f64 range).
    pub fn validate(&self) -> Result<(), PriorError> {
        self.validate_parameters()?;
        let tails = [1e-12, 0.5, 1.0 - 1e-12].map(|u| self.quantile_unchecked(u));
        if tails.iter().all(|v| v.is_finite()) {
            Ok(())
        } else {
            Err(PriorError::Overflow)
        }
    }

    fn validate_parameters(&self) -> Result<(), PriorError> {
        match *self {
            Prior::Fixed(v) => {
                if !v.is_finite() {
                    return Err(PriorError::Fixed(v));
                }
            }
            Prior::Uniform { lo, hi } => {
                if !(lo.is_finite() && hi.is_finite() && lo < hi && (hi - lo).is_finite()) {
                    return Err(PriorError::Uniform { lo, hi });
                }
            }
            Prior::Normal { mean, sd, lo, hi } => {
                if !(mean.is_finite() && sd.is_finite() && sd > 0.0) {
                    return Err(PriorError::Normal { mean, sd });
                }
                if lo.is_nan()
                    || hi.is_nan()
                    || lo >= hi
                    || lo == f64::INFINITY
                    || hi == f64::NEG_INFINITY
                {
                    return Err(PriorError::Truncation { lo, hi });
                }
                let (pa, pb, _) = truncation_tails((lo - mean) / sd, (hi - mean) / sd);
                let mass = pb - pa;
                if mass.is_nan() || mass <= 0.0 {
                    return Err(PriorError::NoMass { mean, sd, lo, hi });
                }
            }
            Prior::LogNormal { median, sigma } => {
                if !(median.is_finite() && median > 0.0 && sigma.is_finite() && sigma > 0.0) {
                    return Err(PriorError::LogNormal { median, sigma });
                }
            }
            Prior::Triangular { lo, mode, hi } => {
                if !(lo.is_finite()
                    && hi.is_finite()
                    && lo <= mode
                    && mode <= hi
                    && lo < hi
                    && (hi - lo).is_finite())
                {
                    return Err(PriorError::Triangular { lo, mode, hi });
                }
            }
        }
        Ok(())
    }

    /// Whether the support is bounded on both sides (then `u` may be 0 or 1).
    fn bounded(&self) -> bool {
        match *self {
            Prior::Fixed(_) | Prior::Uniform { .. } | Prior::Triangular { .. } => true,
            Prior::Normal { lo, hi, .. } => lo.is_finite() && hi.is_finite(),
            Prior::LogNormal { .. } => false,
        }
    }

    /// The smallest and largest values the prior can give (infinite for an
    /// unbounded side; a log-normal's lower end is 0, never reached).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Prior::Fixed(v) => (v, v),
            Prior::Uniform { lo, hi }
            | Prior::Normal { lo, hi, .. }
            | Prior::Triangular { lo, hi, .. } => (lo, hi),
            Prior::LogNormal { .. } => (f64::MIN_POSITIVE, f64::INFINITY),
        }
    }

    /// Whether the parameter varies.
    pub fn is_fixed(&self) -> bool {
        matches!(self, Prior::Fixed(_))
    }

    /// The inverse CDF at probability `u`.
    pub fn quantile(&self, u: f64) -> Result<f64, PriorError> {
        self.validate_parameters()?;
        let ok = if self.bounded() {
            (0.0..=1.0).contains(&u)
        } else {
            u > 0.0 && u < 1.0
        };
        if !ok {
            return Err(PriorError::Probability(u));
        }
        Ok(self.quantile_unchecked(u))
    }

    /// The value at a point of an experiment design, whose coordinates lie in
    /// `[0, 1)`: `u` is kept 1e-12 away from 0 and 1 so unbounded priors give
    /// finite values. For a prior that passed [`Prior::validate`].
    pub fn at(&self, u: f64) -> f64 {
        self.quantile_unchecked(u.clamp(1e-12, 1.0 - 1e-12))
    }

    /// The inverse CDF for parameters already checked and `u` in range.
    fn quantile_unchecked(&self, u: f64) -> f64 {
        match *self {
            Prior::Fixed(v) => v,
            Prior::Uniform { lo, hi } => (lo + u * (hi - lo)).clamp(lo, hi),
            Prior::Normal { mean, sd, lo, hi } => {
                let (pa, pb, flipped) = truncation_tails((lo - mean) / sd, (hi - mean) / sd);
                // Work in the tail nearer the truncation so that small
                // probabilities keep their precision.
                let p = if flipped {
                    pa + (1.0 - u) * (pb - pa)
                } else {
                    pa + u * (pb - pa)
                };
                let z = normal_quantile(p);
                let z = if flipped { -z } else { z };
                (mean + sd * z).clamp(lo, hi)
            }
            Prior::LogNormal { median, sigma } => median * (sigma * normal_quantile(u)).exp(),
            Prior::Triangular { lo, mode, hi } => {
                let w = hi - lo;
                let c = (mode - lo) / w;
                let x = if u < c {
                    lo + (u * w * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - u) * w * (hi - mode)).sqrt()
                };
                x.clamp(lo, hi)
            }
        }
    }
}

impl std::fmt::Display for Prior {
    /// The prior in the scenario file's own TOML syntax.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Prior::Fixed(v) => write!(f, r#"{{ dist = "fixed", value = {v} }}"#),
            Prior::Uniform { lo, hi } => {
                write!(f, r#"{{ dist = "uniform", lo = {lo}, hi = {hi} }}"#)
            }
            Prior::Normal { mean, sd, lo, hi } => {
                write!(f, r#"{{ dist = "normal", mean = {mean}, sd = {sd}"#)?;
                if lo.is_finite() {
                    write!(f, ", lo = {lo}")?;
                }
                if hi.is_finite() {
                    write!(f, ", hi = {hi}")?;
                }
                write!(f, " }}")
            }
            Prior::LogNormal { median, sigma } => {
                write!(
                    f,
                    r#"{{ dist = "lognormal", median = {median}, sigma = {sigma} }}"#
                )
            }
            Prior::Triangular { lo, mode, hi } => write!(
                f,
                r#"{{ dist = "triangular", lo = {lo}, mode = {mode}, hi = {hi} }}"#
            ),
        }
    }
}

/// Standard normal CDF at the truncation points `za < zb`, in the tail that
/// keeps precision: when both lie above 0 the reflected problem `[-zb, -za]`
/// is returned with `flipped = true`.
fn truncation_tails(za: f64, zb: f64) -> (f64, f64, bool) {
    if za > 0.0 {
        (normal_cdf(-zb), normal_cdf(-za), true)
    } else {
        (normal_cdf(za), normal_cdf(zb), false)
    }
}

/// Standard normal density.
pub fn normal_pdf(x: f64) -> f64 {
    const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
    INV_SQRT_2PI * (-0.5 * x * x).exp()
}

/// Standard normal CDF, accurate to about 1e-15 relative in the lo tail.
///
/// Marsaglia's (2004) series `Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/15 + ...)`
/// for `|x| <= 2` (all terms of one sign), and the continued fraction of
/// Mills' ratio beyond, so the lo tail keeps its relative precision.
pub fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let a = x.abs();
    if a <= 2.0 {
        let mut term = a;
        let mut sum = a;
        let a2 = a * a;
        let mut k = 1.0;
        while term > sum * 1e-17 {
            k += 2.0;
            term *= a2 / k;
            sum += term;
        }
        let half_width = normal_pdf(a) * sum;
        if x >= 0.0 {
            0.5 + half_width
        } else {
            0.5 - half_width
        }
    } else {
        // Upper tail Q(a) = phi(a) / (a + 1/(a + 2/(a + 3/(a + ...)))),
        // evaluated from the back; 120 levels reach 1e-16 relative at a = 2.
        let mut frac = a;
        for k in (1..=120).rev() {
            frac = a + f64::from(k) / frac;
        }
        let q = normal_pdf(a) / frac;
        if x > 0.0 {
            1.0 - q
        } else {
            q
        }
    }
}

/// Inverse of the standard normal CDF: Wichura's algorithm AS 241 (PPND16),
/// relative accuracy about 1e-16. `p` must be in `(0, 1)`; 0 and 1 give the
/// infinities and anything else NaN.
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&AS241_A, r) / poly(&AS241_B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(&AS241_C, r) / poly(&AS241_D, r)
    } else {
        let r = r - 5.0;
        poly(&AS241_E, r) / poly(&AS241_F, r)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

/// Horner evaluation, coefficients in increasing degree.
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &ci| acc * x + ci)
}

#[allow(clippy::excessive_precision)] // AS 241's published digits
const AS241_A: [f64; 8] = [
    3.387_132_872_796_366_608,
    1.331_416_678_917_843_774_5e2,
    1.971_590_950_306_551_442_7e3,
    1.373_169_376_550_946_112_5e4,
    4.592_195_393_154_987_145_7e4,
    6.726_577_092_700_870_085_3e4,
    3.343_057_558_358_812_810_5e4,
    2.509_080_928_730_122_672_7e3,
];
#[allow(clippy::excessive_precision)] // AS 241's published digits
const AS241_B: [f64; 8] = [
    1.0,
    4.231_333_070_160_091_125_2e1,
    6.871_870_074_920_579_083e2,
    5.394_196_021_424_751_107_7e3,
    2.121_379_430_158_659_586_7e4,
    3.930_789_580_009_271_061e4,
    2.872_908_573_572_194_267_4e4,
    5.226_495_278_852_854_561e3,
];
#[allow(clippy::excessive_precision)] // AS 241's published digits
const AS241_C: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_9,
    5.769_497_221_460_691_405_5,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    2.417_807_251_774_506_117_7e-1,
    2.272_384_498_926_918_458_33e-2,
    7.745_450_142_783_414_076_4e-4,
];
#[allow(clippy::excessive_precision)] // AS 241's published digits
const AS241_D: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_4,
    6.897_673_349_851_000_045_5e-1,
    1.481_039_764_274_800_745_9e-1,
    1.519_866_656_361_645_719_66e-2,
    5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_843_24e-9,
];
#[allow(clippy::excessive_precision)] // AS 241's published digits
const AS241_E: [f64; 8] = [
    6.657_904_643_501_103_777_2,
    5.463_784_911_164_114_369_9,
    1.784_826_539_917_291_335_8,
    2.965_605_718_285_048_912_3e-1,
    2.653_218_952_657_612_309_3e-2,
    1.242_660_947_388_078_438_6e-3,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
#[allow(clippy::excessive_precision)] // AS 241's published digits
const AS241_F: [f64; 8] = [
    1.0,
    5.998_322_065_558_879_376_9e-1,
    1.369_298_809_227_358_053_1e-1,
    1.487_536_129_085_061_485_25e-2,
    7.868_691_311_456_132_591e-4,
    1.846_318_317_510_054_681_8e-5,
    1.421_511_758_316_445_888_7e-7,
    2.044_263_103_389_939_785_64e-15,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn normal_cdf_known_values() {
        // Values from R's pnorm (printed to 16 digits).
        let cases = [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.0, 0.158_655_253_931_457_05),
            (1.959_963_984_540_054, 0.975),
            (-3.0, 0.001_349_898_031_630_094_6),
            (-5.0, 2.866_515_718_791_939e-7),
            (-6.0, 9.865_876_450_376_98e-10),
            (-10.0, 7.619_853_024_160_527e-24),
            (-20.0, 2.753_624_118_606_23e-89),
        ];
        for (x, p) in cases {
            assert!(
                close(normal_cdf(x), p, 1e-12),
                "Phi({x}) = {} != {p}",
                normal_cdf(x)
            );
        }
    }

    #[test]
    fn normal_quantile_known_values_and_round_trip() {
        assert_eq!(normal_quantile(0.5), 0.0);
        assert!(close(normal_quantile(0.975), 1.959_963_984_540_054, 1e-15));
        assert!(close(normal_quantile(1e-10), -6.361_340_902_404_056, 1e-14));
        assert!(close(normal_quantile(1e-300), -37.047_096_299_361_2, 1e-13));
        // Round trip where p carries the precision (the lo tail and the
        // centre; above, 1 - p loses digits to rounding of p itself).
        for i in 1..1250 {
            let x = -8.0 + f64::from(i) * 0.008;
            let p = normal_cdf(x);
            assert!(
                (normal_quantile(p) - x).abs() < 1e-9 * x.abs().max(1.0),
                "x = {x}"
            );
        }
        assert!(normal_quantile(1.5).is_nan());
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn priors_quantiles() {
        let u = Prior::Uniform { lo: -1.0, hi: 3.0 };
        assert_eq!(u.quantile(0.25), Ok(0.0));
        let n = Prior::normal(10.0, 2.0);
        assert!(close(
            n.quantile(0.975).unwrap(),
            10.0 + 2.0 * 1.959_963_984_540_054,
            1e-14
        ));
        let ln = Prior::LogNormal {
            median: 3.0,
            sigma: 0.5,
        };
        assert_eq!(ln.quantile(0.5), Ok(3.0));
        let t = Prior::Triangular {
            lo: 0.0,
            mode: 1.0,
            hi: 4.0,
        };
        // CDF at the mode is (mode - lo) / (hi - lo) = 0.25.
        assert!(close(t.quantile(0.25).unwrap(), 1.0, 1e-15));
        assert_eq!(t.quantile(0.0), Ok(0.0));
        assert_eq!(t.quantile(1.0), Ok(4.0));
        // Half-normal: truncated at the mean, the median is at Phi^-1(0.75).
        let h = Prior::Normal {
            mean: 0.0,
            sd: 1.0,
            lo: 0.0,
            hi: f64::INFINITY,
        };
        assert!(close(
            h.quantile(0.5).unwrap(),
            0.674_489_750_196_081_7,
            1e-13
        ));
        // Far-tail truncation keeps precision (reflected branch).
        let far = Prior::Normal {
            mean: 0.0,
            sd: 1.0,
            lo: 10.0,
            hi: 11.0,
        };
        let x = far.quantile(0.5).unwrap();
        assert!(x > 10.0 && x < 10.2, "{x}");
        let both = Prior::Normal {
            mean: 0.0,
            sd: 1.0,
            lo: -1.0,
            hi: 1.0,
        };
        assert_eq!(both.quantile(0.0), Ok(-1.0));
        assert_eq!(both.quantile(1.0), Ok(1.0));
        assert!(both.quantile(0.5).unwrap().abs() < 1e-15);
    }

    #[test]
    fn invalid_priors_and_probabilities_are_errors() {
        assert!(Prior::Uniform { lo: 1.0, hi: 1.0 }.validate().is_err());
        assert!(Prior::Uniform {
            lo: f64::NAN,
            hi: 1.0
        }
        .validate()
        .is_err());
        assert!(Prior::normal(0.0, 0.0).validate().is_err());
        assert!(Prior::normal(0.0, -1.0).validate().is_err());
        assert!(Prior::Normal {
            mean: 0.0,
            sd: 1.0,
            lo: 2.0,
            hi: 1.0
        }
        .validate()
        .is_err());
        assert!(matches!(
            Prior::Normal {
                mean: 0.0,
                sd: 1.0,
                lo: 100.0,
                hi: 101.0
            }
            .validate(),
            Err(PriorError::NoMass { .. })
        ));
        assert!(Prior::LogNormal {
            median: 0.0,
            sigma: 1.0
        }
        .validate()
        .is_err());
        assert!(Prior::LogNormal {
            median: 1.0,
            sigma: 0.0
        }
        .validate()
        .is_err());
        assert!(Prior::Triangular {
            lo: 0.0,
            mode: 2.0,
            hi: 1.0
        }
        .validate()
        .is_err());
        assert!(Prior::Triangular {
            lo: 1.0,
            mode: 1.0,
            hi: 1.0
        }
        .validate()
        .is_err());
        assert_eq!(
            Prior::normal(0.0, 1.0).quantile(0.0),
            Err(PriorError::Probability(0.0))
        );
        assert_eq!(
            Prior::normal(0.0, 1.0).quantile(f64::NAN).map_err(|_| ()),
            Err(())
        );
        assert!(Prior::Uniform { lo: 0.0, hi: 1.0 }.quantile(1.1).is_err());
    }

    #[test]
    fn priors_whose_draws_overflow_are_refused() {
        for p in [
            Prior::LogNormal {
                median: 1.0,
                sigma: 1000.0,
            },
            Prior::Uniform {
                lo: -1e308,
                hi: 1e308,
            },
        ] {
            assert!(p.validate().is_err(), "{p:?} accepted");
        }
        assert_eq!(
            Prior::LogNormal {
                median: 1.0,
                sigma: 1000.0
            }
            .validate(),
            Err(PriorError::Overflow)
        );
        assert!(matches!(
            Prior::Fixed(f64::NAN).validate(),
            Err(PriorError::Fixed(_))
        ));
    }

    #[test]
    fn priors_print_as_scenario_toml() {
        assert_eq!(
            Prior::Fixed(2.5).to_string(),
            r#"{ dist = "fixed", value = 2.5 }"#
        );
        assert_eq!(
            Prior::Normal {
                mean: 0.18,
                sd: 0.06,
                lo: 0.0,
                hi: 0.5
            }
            .to_string(),
            r#"{ dist = "normal", mean = 0.18, sd = 0.06, lo = 0, hi = 0.5 }"#
        );
        assert_eq!(
            Prior::normal(1.0, 2.0).to_string(),
            r#"{ dist = "normal", mean = 1, sd = 2 }"#
        );
        assert_eq!(
            Prior::LogNormal {
                median: 3.0,
                sigma: 0.5
            }
            .to_string(),
            r#"{ dist = "lognormal", median = 3, sigma = 0.5 }"#
        );
    }

    proptest::proptest! {
        /// Any prior `validate` accepts gives finite draws over the whole unit interval.
        #[test]
        fn accepted_priors_give_finite_draws(
            a in -1e6f64..1e6, b in 1e-6f64..1e6, c in 1e-6f64..1e3, u in 0.0f64..1.0,
        ) {
            for p in [
                Prior::Uniform { lo: a, hi: a + b },
                Prior::Normal { mean: a, sd: b, lo: a - c, hi: a + c },
                Prior::LogNormal { median: b, sigma: c },
                Prior::Triangular { lo: a, mode: a + b / 2.0, hi: a + b },
            ] {
                if p.validate().is_ok() {
                    proptest::prop_assert!(p.at(u).is_finite(), "{:?} at {}", p, u);
                }
            }
        }

        #[test]
        fn quantiles_are_monotone_and_in_bounds(u1 in 0.001f64..0.999, du in 0.0001f64..0.5) {
            let u2 = (u1 + du).min(0.9999);
            for p in [
                Prior::Uniform { lo: 1.0, hi: 2.0 },
                Prior::Normal { mean: 0.18, sd: 0.06, lo: 0.0, hi: 0.5 },
                Prior::LogNormal { median: 1.0, sigma: 0.5 },
                Prior::Triangular { lo: 0.0, mode: 0.2, hi: 1.0 },
            ] {
                proptest::prop_assert!(p.at(u1) <= p.at(u2) + 1e-12);
                if let Prior::Normal { lo, hi, .. } = p {
                    proptest::prop_assert!((lo..=hi).contains(&p.at(u1)));
                }
            }
        }
    }
}
