//! Variance-based global sensitivity analysis (Sobol' indices) by Saltelli's
//! design: which uncertain parameters drive a model output.
//!
//! For `k` parameters and `N` base samples the design has two `N x k`
//! matrices `A` and `B` of points in the unit hypercube and, for each
//! parameter `i`, the matrix `AB_i`: `A` with column `i` taken from `B`. The
//! model is run on every row of all `k + 2` matrices, `N (k + 2)` runs laid
//! out in blocks of `N` rows:
//!
//! | rows                        | run                          |
//! |-----------------------------|------------------------------|
//! | `0 .. N`                    | `A` (sample `j` = row)       |
//! | `N .. 2N`                   | `B` (sample `j` = row - N)   |
//! | `(2 + i) N .. (3 + i) N`    | `AB_i` (sample `j` = row - (2 + i) N) |
//!
//! [`Design::run`] and [`Design::row`] convert between a row number and this
//! role. Rows are independent: evaluate them in any order or in parallel and
//! hand back the outputs indexed by row to [`analyze`].
//!
//! Estimators (`f_A = f(A)`, etc., means over the `N` samples, `V` the
//! variance of the `2N` outputs of `A` and `B` together):
//! - first order (Saltelli et al. 2010): `S_i = mean(f_B (f_ABi - f_A)) / V`;
//! - total (Jansen 1999): `S_Ti = mean((f_A - f_ABi)^2) / 2 / V`.
//!
//! When the output does not vary (`V` is zero up to rounding) the indices are
//! undefined and reported as `None`.
//!
//! ```
//! use entente_core::sensitivity::{analyze, ConfidenceIntervals, Design, Prior, Sampler};
//! let priors = [Prior::Uniform { lo: 0.0, hi: 1.0 }, Prior::Uniform { lo: 0.0, hi: 1.0 }];
//! let design = Design::new(priors.len(), 1024, Sampler::Sobol)?;
//! // y = x0 + 2 x1: S = S_T = (1/5, 4/5).
//! let outputs = design.evaluate(&priors, |x| x[0] + 2.0 * x[1])?;
//! let s = analyze(&design, &outputs, ConfidenceIntervals::Off)?;
//! assert!((s.parameters[1].total.unwrap() - 0.8).abs() < 0.01);
//! # Ok::<(), entente_core::sensitivity::SensitivityError>(())
//! ```

pub mod points;
mod sobol;

pub use crate::prior::{normal_cdf, normal_pdf, normal_quantile, Prior, PriorError};
pub use sobol::MAX_DIMENSIONS as SOBOL_MAX_DIMENSIONS;

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Why a design cannot be built or analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    #[error("a design needs at least one parameter")]
    NoParameters,
    #[error("a design needs at least 2 base samples, got {0}")]
    TooFewSamples(usize),
    #[error("the Sobol' sequence supports {max} dimensions, i.e. {} parameters; got {parameters}", max / 2)]
    TooManyParameters { parameters: usize, max: usize },
    #[error("the Sobol' sequence has 2^32 points; {0} base samples is too many")]
    TooManySamples(usize),
    #[error("row {row} is outside the design's {runs} runs")]
    RowOutOfRange { row: usize, runs: usize },
    #[error("expected {expected} priors (one per parameter), got {got}")]
    PriorCount { expected: usize, got: usize },
    #[error("prior of parameter {parameter}: {source}")]
    Prior {
        parameter: usize,
        #[source]
        source: PriorError,
    },
    #[error("expected {expected} outputs (one per run), got {got}")]
    OutputCount { expected: usize, got: usize },
    #[error("output of row {row} is not finite ({value})")]
    NonFiniteOutput { row: usize, value: f64 },
    #[error("bootstrap needs at least 2 resamples and a confidence level in (0, 1), got {resamples} and {confidence}")]
    Bootstrap { resamples: usize, confidence: f64 },
}

/// How the points of `A` and `B` are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampler {
    /// The Sobol' sequence (Joe–Kuo direction numbers) in `2k` dimensions:
    /// `A` is its first `k` coordinates and `B` the last `k`, point `j` for
    /// sample `j` (from index 0). Each coordinate is the centre of its
    /// `2^-32` cell, so no point lies on the cube's boundary. Use `N` a power
    /// of two to keep the sequence's balance. At most
    /// [`SOBOL_MAX_DIMENSIONS`]` / 2` parameters.
    Sobol,
    /// The Sobol' sequence with a random digital shift (each dimension XORed
    /// with a 32-bit word from `ChaCha8Rng` seeded with `seed`): randomized
    /// quasi-Monte Carlo, same balance properties, seed-dependent points.
    SobolShifted { seed: u64 },
    /// Independent uniform points from `ChaCha8Rng` seeded with `seed`: `A`
    /// row by row, then `B` row by row, each coordinate in `(0, 1)`.
    Random { seed: u64 },
}

/// The role of one run (row) of a design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// Row `sample` of `A`.
    A { sample: usize },
    /// Row `sample` of `B`.
    B { sample: usize },
    /// Row `sample` of `AB_parameter` (`A` with column `parameter` from `B`).
    AB { parameter: usize, sample: usize },
}

/// Saltelli's design: `A`, `B` and the `AB_i`, see the module documentation
/// for the row layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    parameters: usize,
    samples: usize,
    /// `A`, row-major `samples x parameters`, points in `(0, 1)`.
    a: Vec<f64>,
    /// `B`, same layout.
    b: Vec<f64>,
}

const TWO_POW_32: f64 = 4_294_967_296.0;

impl Design {
    /// A design for `parameters` parameters with `samples` base samples
    /// (`samples (parameters + 2)` runs).
    pub fn new(
        parameters: usize,
        samples: usize,
        sampler: Sampler,
    ) -> Result<Self, SensitivityError> {
        if parameters == 0 {
            return Err(SensitivityError::NoParameters);
        }
        if samples < 2 {
            return Err(SensitivityError::TooFewSamples(samples));
        }
        let k = parameters;
        let mut a = vec![0.0; samples * k];
        let mut b = vec![0.0; samples * k];
        match sampler {
            Sampler::Sobol | Sampler::SobolShifted { .. } => {
                let seq = sobol::SobolSequence::new(2 * k).ok_or(
                    SensitivityError::TooManyParameters {
                        parameters: k,
                        max: sobol::MAX_DIMENSIONS,
                    },
                )?;
                if u32::try_from(samples - 1).is_err() {
                    return Err(SensitivityError::TooManySamples(samples));
                }
                let shifts: Vec<u32> = match sampler {
                    Sampler::SobolShifted { seed } => {
                        let mut rng = ChaCha8Rng::seed_from_u64(seed);
                        (0..2 * k).map(|_| rng.next_u32()).collect()
                    }
                    _ => vec![0; 2 * k],
                };
                for j in 0..samples {
                    // Checked above: samples - 1 fits in u32.
                    let idx = j as u32;
                    for d in 0..2 * k {
                        let x = seq.coordinate(idx, d) ^ shifts[d];
                        let u = (f64::from(x) + 0.5) / TWO_POW_32;
                        if d < k {
                            a[j * k + d] = u;
                        } else {
                            b[j * k + d - k] = u;
                        }
                    }
                }
            }
            Sampler::Random { seed } => {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                for u in a.iter_mut().chain(b.iter_mut()) {
                    // 53 random bits, centred in their cell: in (0, 1).
                    *u = ((rng.next_u64() >> 11) as f64 + 0.5) / 9_007_199_254_740_992.0;
                }
            }
        }
        Ok(Self {
            parameters,
            samples,
            a,
            b,
        })
    }

    /// Number of parameters `k`.
    pub fn parameters(&self) -> usize {
        self.parameters
    }

    /// Number of base samples `N`.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// Number of model runs, `N (k + 2)`.
    pub fn runs(&self) -> usize {
        self.samples * (self.parameters + 2)
    }

    /// The role of row `row`, or `None` past the last run.
    pub fn run(&self, row: usize) -> Option<Run> {
        if row >= self.runs() {
            return None;
        }
        let (block, sample) = (row / self.samples, row % self.samples);
        Some(match block {
            0 => Run::A { sample },
            1 => Run::B { sample },
            _ => Run::AB {
                parameter: block - 2,
                sample,
            },
        })
    }

    /// The row of a run, or `None` if it is not in the design.
    pub fn row(&self, run: Run) -> Option<usize> {
        let (block, sample) = match run {
            Run::A { sample } => (0, sample),
            Run::B { sample } => (1, sample),
            Run::AB { parameter, sample } if parameter < self.parameters => (2 + parameter, sample),
            Run::AB { .. } => return None,
        };
        (sample < self.samples).then_some(block * self.samples + sample)
    }

    /// The point of row `row` in the unit hypercube (`k` coordinates).
    pub fn unit_point(&self, row: usize) -> Result<Vec<f64>, SensitivityError> {
        let k = self.parameters;
        let run = self.run(row).ok_or(SensitivityError::RowOutOfRange {
            row,
            runs: self.runs(),
        })?;
        Ok(match run {
            Run::A { sample } => self.a[sample * k..(sample + 1) * k].to_vec(),
            Run::B { sample } => self.b[sample * k..(sample + 1) * k].to_vec(),
            Run::AB { parameter, sample } => {
                let mut p = self.a[sample * k..(sample + 1) * k].to_vec();
                p[parameter] = self.b[sample * k + parameter];
                p
            }
        })
    }

    /// The parameter values of row `row`: its unit point mapped through each
    /// parameter's prior (inverse CDF).
    pub fn values(&self, row: usize, priors: &[Prior]) -> Result<Vec<f64>, SensitivityError> {
        if priors.len() != self.parameters {
            return Err(SensitivityError::PriorCount {
                expected: self.parameters,
                got: priors.len(),
            });
        }
        let mut p = self.unit_point(row)?;
        for (i, (x, prior)) in p.iter_mut().zip(priors).enumerate() {
            *x = prior
                .quantile(*x)
                .map_err(|source| SensitivityError::Prior {
                    parameter: i,
                    source,
                })?;
        }
        Ok(p)
    }

    /// Evaluates `model` on every row in order, a convenience for cheap
    /// models; expensive ones should evaluate [`Design::values`] of each row
    /// in parallel and collect the outputs by row.
    pub fn evaluate<F: FnMut(&[f64]) -> f64>(
        &self,
        priors: &[Prior],
        mut model: F,
    ) -> Result<Vec<f64>, SensitivityError> {
        (0..self.runs())
            .map(|row| self.values(row, priors).map(|x| model(&x)))
            .collect()
    }
}

/// Settings of the bootstrap confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    /// Number of resamples (of the `N` base samples, with replacement).
    pub resamples: usize,
    /// Confidence level of the percentile interval, e.g. 0.95.
    pub confidence: f64,
    /// Seed of the `ChaCha8Rng` that draws the resamples.
    pub seed: u64,
}

/// Whether [`analyze`] computes confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConfidenceIntervals {
    /// Point estimates only.
    Off,
    /// Percentile bootstrap intervals.
    Bootstrap(Bootstrap),
}

/// A confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
}

/// Sobol' indices of one parameter; `None` where undefined (constant output).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParameterIndices {
    /// First-order index `S_i`: the share of the output variance due to this
    /// parameter alone.
    pub first_order: Option<f64>,
    /// Total index `S_Ti`: the share due to this parameter including all its
    /// interactions.
    pub total: Option<f64>,
    /// Bootstrap interval of `S_i` (if requested and defined).
    pub first_order_interval: Option<Interval>,
    /// Bootstrap interval of `S_Ti` (if requested and defined).
    pub total_interval: Option<Interval>,
}

/// The result of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    /// One entry per parameter, in the design's order.
    pub parameters: Vec<ParameterIndices>,
    /// Mean of the `2N` outputs of `A` and `B`.
    pub output_mean: f64,
    /// Variance (divisor `2N`) of the outputs of `A` and `B`; the indices'
    /// denominator.
    pub output_variance: f64,
}

impl SobolIndices {
    /// Parameters ordered by total index, largest first (ties by position);
    /// parameters with undefined indices are left out.
    pub fn ranked_by_total(&self) -> Vec<usize> {
        let mut ranked: Vec<(usize, f64)> = self
            .parameters
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.total.map(|t| (i, t)))
            .collect();
        ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        ranked.into_iter().map(|(i, _)| i).collect()
    }
}

/// Point estimates from the outputs of a subset of samples (given by index).
struct Estimates {
    mean: f64,
    variance: f64,
    /// `(S_i, S_Ti)` per parameter, `None` when the variance is zero.
    indices: Vec<Option<(f64, f64)>>,
}

fn estimate(outputs: &[f64], n: usize, k: usize, samples: &[usize]) -> Estimates {
    let fa = &outputs[..n];
    let fb = &outputs[n..2 * n];
    let m = samples.len() as f64;
    let mut sum = 0.0;
    let mut max_abs: f64 = 0.0;
    for &j in samples {
        sum += fa[j] + fb[j];
        max_abs = max_abs.max(fa[j].abs()).max(fb[j].abs());
    }
    let mean = sum / (2.0 * m);
    let mut ss = 0.0;
    for &j in samples {
        ss += (fa[j] - mean).powi(2) + (fb[j] - mean).powi(2);
    }
    let first = fa[samples[0]];
    let constant = samples.iter().all(|&j| fa[j] == first && fb[j] == first);
    // A constant output has no variance to share out; near-constant outputs
    // whose spread is at rounding level are treated the same.
    let variance = if constant { 0.0 } else { ss / (2.0 * m) };
    let noise = 16.0 * (f64::EPSILON * max_abs).powi(2);
    let defined = variance > noise;
    let indices = (0..k)
        .map(|i| {
            if !defined {
                return None;
            }
            let fab = &outputs[(2 + i) * n..(3 + i) * n];
            let (mut first, mut total) = (0.0, 0.0);
            for &j in samples {
                first += fb[j] * (fab[j] - fa[j]);
                total += (fa[j] - fab[j]).powi(2);
            }
            Some((first / m / variance, total / (2.0 * m) / variance))
        })
        .collect();
    Estimates {
        mean,
        variance,
        indices,
    }
}

/// Percentile interval of `values` (sorted in place) at `confidence`, by
/// linear interpolation between order statistics.
fn percentile_interval(values: &mut [f64], confidence: f64) -> Option<Interval> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = p * (values.len() - 1) as f64;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(values.len() - 1);
        values[lo] + (h - lo as f64) * (values[hi] - values[lo])
    };
    let alpha = 1.0 - confidence;
    Some(Interval {
        lower: q(alpha / 2.0),
        upper: q(1.0 - alpha / 2.0),
    })
}

/// Sobol' indices from the outputs of every run of `design`, indexed by row
/// (see the module documentation for the layout).
pub fn analyze(
    design: &Design,
    outputs: &[f64],
    intervals: ConfidenceIntervals,
) -> Result<SobolIndices, SensitivityError> {
    if outputs.len() != design.runs() {
        return Err(SensitivityError::OutputCount {
            expected: design.runs(),
            got: outputs.len(),
        });
    }
    if let Some((row, &value)) = outputs.iter().enumerate().find(|(_, y)| !y.is_finite()) {
        return Err(SensitivityError::NonFiniteOutput { row, value });
    }
    if let ConfidenceIntervals::Bootstrap(b) = intervals {
        if b.resamples < 2 || !(b.confidence > 0.0 && b.confidence < 1.0) {
            return Err(SensitivityError::Bootstrap {
                resamples: b.resamples,
                confidence: b.confidence,
            });
        }
    }
    let (n, k) = (design.samples, design.parameters);
    let all: Vec<usize> = (0..n).collect();
    let point = estimate(outputs, n, k, &all);
    let mut parameters: Vec<ParameterIndices> = point
        .indices
        .iter()
        .map(|e| ParameterIndices {
            first_order: e.map(|(s, _)| s),
            total: e.map(|(_, t)| t),
            first_order_interval: None,
            total_interval: None,
        })
        .collect();
    if let ConfidenceIntervals::Bootstrap(b) = intervals {
        if point.indices.iter().any(Option::is_some) {
            let mut rng = ChaCha8Rng::seed_from_u64(b.seed);
            let mut firsts = vec![Vec::with_capacity(b.resamples); k];
            let mut totals = vec![Vec::with_capacity(b.resamples); k];
            let mut pick = vec![0usize; n];
            for _ in 0..b.resamples {
                for p in pick.iter_mut() {
                    *p = rng.random_range(0..n);
                }
                // A resample can be constant even if the full sample is not;
                // its indices are undefined and it is left out.
                let e = estimate(outputs, n, k, &pick);
                for (i, est) in e.indices.iter().enumerate() {
                    if let Some((s, t)) = *est {
                        firsts[i].push(s);
                        totals[i].push(t);
                    }
                }
            }
            for (i, p) in parameters.iter_mut().enumerate() {
                p.first_order_interval = percentile_interval(&mut firsts[i], b.confidence);
                p.total_interval = percentile_interval(&mut totals[i], b.confidence);
            }
        }
    }
    Ok(SobolIndices {
        parameters,
        output_mean: point.mean,
        output_variance: point.variance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_layout_round_trips() {
        let d = Design::new(3, 4, Sampler::Sobol).unwrap();
        assert_eq!(d.runs(), 20);
        assert_eq!(d.run(0), Some(Run::A { sample: 0 }));
        assert_eq!(d.run(5), Some(Run::B { sample: 1 }));
        assert_eq!(
            d.run(19),
            Some(Run::AB {
                parameter: 2,
                sample: 3
            })
        );
        assert_eq!(d.run(20), None);
        for row in 0..d.runs() {
            assert_eq!(d.row(d.run(row).unwrap()), Some(row));
        }
        assert_eq!(
            d.row(Run::AB {
                parameter: 3,
                sample: 0
            }),
            None
        );
        assert_eq!(d.row(Run::A { sample: 4 }), None);
        // AB_1 is A with column 1 from B.
        let a = d.unit_point(2).unwrap();
        let b = d.unit_point(4 + 2).unwrap();
        let ab1 = d
            .unit_point(
                d.row(Run::AB {
                    parameter: 1,
                    sample: 2,
                })
                .unwrap(),
            )
            .unwrap();
        assert_eq!(ab1, vec![a[0], b[1], a[2]]);
        assert!(matches!(
            d.unit_point(20),
            Err(SensitivityError::RowOutOfRange { .. })
        ));
    }

    #[test]
    fn bad_designs_are_errors() {
        assert_eq!(
            Design::new(0, 8, Sampler::Sobol),
            Err(SensitivityError::NoParameters)
        );
        assert_eq!(
            Design::new(2, 1, Sampler::Sobol),
            Err(SensitivityError::TooFewSamples(1))
        );
        assert!(matches!(
            Design::new(33, 8, Sampler::Sobol),
            Err(SensitivityError::TooManyParameters { .. })
        ));
        assert!(Design::new(32, 8, Sampler::Sobol).is_ok());
        assert!(Design::new(100, 8, Sampler::Random { seed: 1 }).is_ok());
    }

    #[test]
    fn constant_output_gives_undefined_indices() {
        let d = Design::new(2, 64, Sampler::Random { seed: 3 }).unwrap();
        let y = vec![0.1; d.runs()];
        let boot = ConfidenceIntervals::Bootstrap(Bootstrap {
            resamples: 50,
            confidence: 0.9,
            seed: 1,
        });
        let s = analyze(&d, &y, boot).unwrap();
        for p in &s.parameters {
            assert_eq!(p.first_order, None);
            assert_eq!(p.total, None);
            assert_eq!(p.first_order_interval, None);
        }
        assert!(s.ranked_by_total().is_empty());
    }

    #[test]
    fn bad_outputs_are_errors() {
        let d = Design::new(2, 8, Sampler::Sobol).unwrap();
        assert!(matches!(
            analyze(&d, &[0.0; 5], ConfidenceIntervals::Off),
            Err(SensitivityError::OutputCount { .. })
        ));
        let mut y = vec![1.0; d.runs()];
        y[7] = f64::NAN;
        assert!(matches!(
            analyze(&d, &y, ConfidenceIntervals::Off),
            Err(SensitivityError::NonFiniteOutput { row: 7, .. })
        ));
        y[7] = 1.0;
        let bad = ConfidenceIntervals::Bootstrap(Bootstrap {
            resamples: 100,
            confidence: 1.0,
            seed: 0,
        });
        assert!(matches!(
            analyze(&d, &y, bad),
            Err(SensitivityError::Bootstrap { .. })
        ));
    }

    #[test]
    fn wrong_priors_are_errors() {
        let d = Design::new(2, 8, Sampler::Sobol).unwrap();
        let one = [Prior::normal(0.0, 1.0)];
        assert!(matches!(
            d.values(0, &one),
            Err(SensitivityError::PriorCount { .. })
        ));
        let bad = [Prior::normal(0.0, 1.0), Prior::normal(0.0, -1.0)];
        assert!(matches!(
            d.values(0, &bad),
            Err(SensitivityError::Prior { parameter: 1, .. })
        ));
    }

    #[test]
    fn sobol_point_zero_maps_to_finite_normal_values() {
        let d = Design::new(2, 8, Sampler::Sobol).unwrap();
        let x = d
            .values(0, &[Prior::normal(0.0, 1.0), Prior::normal(0.0, 1.0)])
            .unwrap();
        assert!(x.iter().all(|v| v.is_finite()));
    }
}
