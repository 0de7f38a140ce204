//! Scores of a hindcast: forecast draws of annual series (one per state) from a
//! cut-off year, against what happened and against two persistence baselines
//! fitted on the years up to the cut-off.
//!
//! Baselines, fitted on the last run of consecutive positive values ending at
//! the cut-off (`n` log changes `g`, at least 2), each with its own predictive
//! spread, log-normal in the level:
//!
//! - random walk with drift in logs: `ln x_{T+k} ~ N(ln x_T + k mean(g),
//!   s^2 (k + k^2 / n))`, `s` the sample sd of `g` (the `k^2 / n` term is the
//!   estimated drift's uncertainty);
//! - last value: `ln x_{T+k} ~ N(ln x_T, k mean(g^2))` (a random walk without drift).
//!
//! CRPS is in the series' unit (levels), per state the mean over its realised
//! years; skill is `1 - CRPS / CRPS_baseline` (positive: better than the
//! baseline). Overall: the skill of the mean of the states' CRPS (dominated by
//! the largest series, as a sum of dollars is), the median and mean of the
//! states' skills (scale-free), and the share of realised state-years inside the
//! central 50% and 90% intervals of the draws.

use super::{crps_from_samples, crps_lognormal, median, CrpsEstimator, ScoringError};

/// One series to score. Years are `history_first_year..=cutoff_year` for
/// `history`, `cutoff_year + 1..` for `draws` and `realised`.
#[derive(Debug, Clone, Copy)]
pub struct HindcastSeries<'a> {
    pub name: &'a str,
    /// Values up to the cut-off (`None`: no data), the baselines' fit window.
    pub history: &'a [Option<f64>],
    /// `draws[k]`: the forecast sample for year `cutoff_year + 1 + k`.
    pub draws: &'a [Vec<f64>],
    /// Realised values of the same years (`None`: not observed, not scored).
    pub realised: &'a [Option<f64>],
}

/// Scores of one year of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct YearScore {
    pub year: i32,
    pub realised: f64,
    pub crps: f64,
    pub crps_rw_drift: Option<f64>,
    pub crps_last_value: Option<f64>,
    /// The draws' 5%, 25%, 50%, 75% and 95% quantiles.
    pub quantiles: [f64; 5],
}

/// Scores of one series over its realised years.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesScore {
    pub name: String,
    pub years: Vec<YearScore>,
    /// Means over `years` (`None` when no year was realised).
    pub crps: Option<f64>,
    pub crps_rw_drift: Option<f64>,
    pub crps_last_value: Option<f64>,
    pub skill_rw_drift: Option<f64>,
    pub skill_last_value: Option<f64>,
    /// Share of realised years inside the central 50% / 90% interval.
    pub inside_50: Option<f64>,
    pub inside_90: Option<f64>,
    /// Why the baselines could not be fitted, if they could not.
    pub baseline_problem: Option<String>,
}

/// Over the series with realised years and baselines.
#[derive(Debug, Clone, PartialEq)]
pub struct OverallScore {
    pub series: usize,
    pub series_years: usize,
    pub crps: f64,
    pub crps_rw_drift: f64,
    pub crps_last_value: f64,
    /// Skill of the mean CRPS.
    pub skill_rw_drift: f64,
    pub skill_last_value: f64,
    pub median_skill_rw_drift: f64,
    pub median_skill_last_value: f64,
    pub mean_skill_rw_drift: f64,
    pub mean_skill_last_value: f64,
    /// Series with positive skill.
    pub beating_rw_drift: usize,
    pub beating_last_value: usize,
    pub inside_50: f64,
    pub inside_90: f64,
}

/// A hindcast's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct HindcastScores {
    pub cutoff_year: i32,
    pub series: Vec<SeriesScore>,
    /// `None` when no series has both realised years and baselines.
    pub overall: Option<OverallScore>,
}

/// Log-normal predictive of a baseline: `(mu, sigma)` per horizon.
#[derive(Debug, Clone, Copy)]
struct Baselines {
    last_log: f64,
    drift: f64,
    drift_var: f64,
    mean_square: f64,
    n: f64,
}

impl Baselines {
    fn fit(history: &[Option<f64>]) -> Result<Baselines, String> {
        // The last run of consecutive positive values ending at the cut-off.
        let mut run: Vec<f64> = Vec::new();
        for v in history.iter().rev() {
            match v {
                Some(x) if *x > 0.0 && x.is_finite() => run.push(x.ln()),
                _ => break,
            }
        }
        run.reverse();
        if run.len() < 3 {
            return Err(format!(
                "{} consecutive positive values up to the cut-off (3 needed)",
                run.len()
            ));
        }
        let g: Vec<f64> = run.windows(2).map(|w| w[1] - w[0]).collect();
        let n = g.len() as f64;
        let drift = g.iter().sum::<f64>() / n;
        let drift_var = g.iter().map(|x| (x - drift).powi(2)).sum::<f64>() / (n - 1.0);
        let mean_square = g.iter().map(|x| x * x).sum::<f64>() / n;
        Ok(Baselines {
            last_log: run[run.len() - 1],
            drift,
            drift_var,
            mean_square,
            n,
        })
    }

    fn rw_drift(&self, k: f64) -> (f64, f64) {
        (
            self.last_log + k * self.drift,
            (self.drift_var * (k + k * k / self.n)).sqrt(),
        )
    }

    fn last_value(&self, k: f64) -> (f64, f64) {
        (self.last_log, (self.mean_square * k).sqrt())
    }
}

/// Linear-interpolation quantile of sorted values (type 7).
fn quantile_sorted(s: &[f64], p: f64) -> f64 {
    let h = (s.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(s.len() - 1);
    s[lo] + (h - lo as f64) * (s[hi] - s[lo])
}

fn skill(crps: f64, baseline: f64) -> Option<f64> {
    (baseline > 0.0).then(|| 1.0 - crps / baseline)
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Score every series' draws against the realised values and the baselines.
pub fn score_hindcast(
    cutoff_year: i32,
    series: &[HindcastSeries],
) -> Result<HindcastScores, ScoringError> {
    let mut out = Vec::with_capacity(series.len());
    for s in series {
        if s.draws.len() != s.realised.len() {
            return Err(ScoringError::LengthMismatch {
                what: "hindcast years (draws vs realised)",
                left: s.draws.len(),
                right: s.realised.len(),
            });
        }
        let baselines = Baselines::fit(s.history);
        let mut years = Vec::new();
        let (mut in50, mut in90) = (0usize, 0usize);
        for (k, (draws, realised)) in s.draws.iter().zip(s.realised).enumerate() {
            let Some(y) = *realised else { continue };
            let crps = crps_from_samples(draws, y, CrpsEstimator::Fair)?;
            let mut sorted = draws.clone();
            sorted.sort_by(f64::total_cmp);
            let q = [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| quantile_sorted(&sorted, p));
            in50 += usize::from(q[1] <= y && y <= q[3]);
            in90 += usize::from(q[0] <= y && y <= q[4]);
            let h = (k + 1) as f64;
            let (crps_rw_drift, crps_last_value) = match &baselines {
                Ok(b) => {
                    let (m1, s1) = b.rw_drift(h);
                    let (m2, s2) = b.last_value(h);
                    (
                        Some(crps_lognormal(m1, s1, y)?),
                        Some(crps_lognormal(m2, s2, y)?),
                    )
                }
                Err(_) => (None, None),
            };
            years.push(YearScore {
                year: cutoff_year + 1 + k as i32,
                realised: y,
                crps,
                crps_rw_drift,
                crps_last_value,
                quantiles: q,
            });
        }
        let n = years.len();
        let avg = |f: &dyn Fn(&YearScore) -> Option<f64>| -> Option<f64> {
            let v: Option<Vec<f64>> = years.iter().map(f).collect();
            v.filter(|v| !v.is_empty()).map(|v| mean(&v))
        };
        let crps = avg(&|y| Some(y.crps));
        let crps_rw_drift = avg(&|y| y.crps_rw_drift);
        let crps_last_value = avg(&|y| y.crps_last_value);
        out.push(SeriesScore {
            name: s.name.to_string(),
            skill_rw_drift: crps.zip(crps_rw_drift).and_then(|(c, b)| skill(c, b)),
            skill_last_value: crps.zip(crps_last_value).and_then(|(c, b)| skill(c, b)),
            crps,
            crps_rw_drift,
            crps_last_value,
            inside_50: (n > 0).then(|| in50 as f64 / n as f64),
            inside_90: (n > 0).then(|| in90 as f64 / n as f64),
            baseline_problem: baselines.err(),
            years,
        });
    }
    let overall = overall(&out);
    Ok(HindcastScores {
        cutoff_year,
        series: out,
        overall,
    })
}

fn overall(series: &[SeriesScore]) -> Option<OverallScore> {
    let used: Vec<&SeriesScore> = series
        .iter()
        .filter(|s| s.crps_rw_drift.is_some() && s.crps_last_value.is_some())
        .collect();
    if used.is_empty() {
        return None;
    }
    let col = |f: fn(&SeriesScore) -> Option<f64>| -> Vec<f64> {
        used.iter().filter_map(|s| f(s)).collect()
    };
    let (crps, rwd, lv) = (
        mean(&col(|s| s.crps)),
        mean(&col(|s| s.crps_rw_drift)),
        mean(&col(|s| s.crps_last_value)),
    );
    let (sk_rwd, sk_lv) = (col(|s| s.skill_rw_drift), col(|s| s.skill_last_value));
    let years: usize = used.iter().map(|s| s.years.len()).sum();
    let inside = |f: fn(&SeriesScore) -> Option<f64>| -> f64 {
        used.iter()
            .map(|s| f(s).unwrap_or(0.0) * s.years.len() as f64)
            .sum::<f64>()
            / years as f64
    };
    Some(OverallScore {
        series: used.len(),
        series_years: years,
        crps,
        crps_rw_drift: rwd,
        crps_last_value: lv,
        skill_rw_drift: skill(crps, rwd).unwrap_or(f64::NAN),
        skill_last_value: skill(crps, lv).unwrap_or(f64::NAN),
        median_skill_rw_drift: median(&sk_rwd).unwrap_or(f64::NAN),
        median_skill_last_value: median(&sk_lv).unwrap_or(f64::NAN),
        mean_skill_rw_drift: if sk_rwd.is_empty() {
            f64::NAN
        } else {
            mean(&sk_rwd)
        },
        mean_skill_last_value: if sk_lv.is_empty() {
            f64::NAN
        } else {
            mean(&sk_lv)
        },
        beating_rw_drift: sk_rwd.iter().filter(|&&v| v > 0.0).count(),
        beating_last_value: sk_lv.iter().filter(|&&v| v > 0.0).count(),
        inside_50: inside(|s| s.inside_50),
        inside_90: inside(|s| s.inside_90),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::normal_quantile;

    /// Stratified draws of a log-normal.
    fn lognormal_draws(mu: f64, sigma: f64, m: usize) -> Vec<f64> {
        (0..m)
            .map(|i| (mu + sigma * normal_quantile((i as f64 + 0.5) / m as f64)).exp())
            .collect()
    }

    #[test]
    fn a_forecast_equal_to_the_drift_baseline_has_zero_skill_against_it() {
        // History with log changes 0.1, 0.0, 0.2, 0.1 from 100.
        let logs = [0.0, 0.1, 0.1, 0.3, 0.4];
        let history: Vec<Option<f64>> = logs.iter().map(|l| Some(100.0 * f64::exp(*l))).collect();
        let (n, drift) = (4.0, 0.1);
        let var = [0.0f64, -0.1, 0.1, 0.0].iter().map(|d| d * d).sum::<f64>() / 3.0;
        let last = 100.0f64.ln() + 0.4;
        let draws: Vec<Vec<f64>> = (1..=3)
            .map(|k| {
                let k = k as f64;
                lognormal_draws(last + k * drift, (var * (k + k * k / n)).sqrt(), 20_000)
            })
            .collect();
        let realised = vec![Some(160.0), None, Some(150.0)];
        let s = score_hindcast(
            2010,
            &[HindcastSeries {
                name: "A",
                history: &history,
                draws: &draws,
                realised: &realised,
            }],
        )
        .unwrap();
        let a = &s.series[0];
        assert_eq!(a.years.len(), 2);
        assert_eq!(a.years[1].year, 2013);
        assert!(
            a.skill_rw_drift.unwrap().abs() < 2e-3,
            "{:?}",
            a.skill_rw_drift
        );
        let o = s.overall.unwrap();
        assert_eq!((o.series, o.series_years), (1, 2));
        assert!((o.median_skill_rw_drift - a.skill_rw_drift.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn coverage_counts_realised_values_inside_the_intervals() {
        let history = vec![Some(100.0), Some(101.0), Some(103.0), Some(102.0)];
        // Draws 1..=100: the 50% interval is [25.75, 75.25], the 90% [5.95, 95.05].
        let sample: Vec<f64> = (1..=100).map(f64::from).collect();
        let draws = vec![sample.clone(), sample.clone(), sample.clone(), sample];
        let realised = vec![Some(50.0), Some(90.0), Some(99.0), Some(30.0)];
        let s = score_hindcast(
            2000,
            &[HindcastSeries {
                name: "B",
                history: &history,
                draws: &draws,
                realised: &realised,
            }],
        )
        .unwrap();
        assert_eq!(s.series[0].inside_50, Some(0.5));
        assert_eq!(s.series[0].inside_90, Some(0.75));
        assert_eq!(s.series[0].years[0].quantiles[2], 50.5);
    }

    #[test]
    fn a_short_history_has_no_baselines_and_stays_out_of_the_overall() {
        let draws = vec![vec![1.0, 2.0]];
        let s = score_hindcast(
            2000,
            &[HindcastSeries {
                name: "C",
                history: &[None, Some(5.0), Some(6.0)],
                draws: &draws,
                realised: &[Some(1.5)],
            }],
        )
        .unwrap();
        assert!(s.series[0].baseline_problem.is_some());
        assert_eq!(s.series[0].skill_rw_drift, None);
        assert!(s.series[0].crps.is_some());
        assert!(s.overall.is_none());
        let bad = score_hindcast(
            2000,
            &[HindcastSeries {
                name: "D",
                history: &[],
                draws: &draws,
                realised: &[],
            }],
        );
        assert!(matches!(bad, Err(ScoringError::LengthMismatch { .. })));
    }
}
