//! Per-state least-squares estimation of the Richardson system on annual
//! spending levels, and Monte Carlo projection of the fitted system.

use nalgebra::{DMatrix, DVector, SymmetricEigen};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::{ArmsError, Richardson, ThreatNetwork};

/// Annual spending of named states over consecutive years, all complete.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendingPanel {
    names: Vec<String>,
    first_year: i32,
    /// `levels[state][year - first_year]`.
    levels: Vec<Vec<f64>>,
}

impl SpendingPanel {
    /// Every series must have the same length, be finite and non-negative.
    pub fn new(
        names: Vec<String>,
        first_year: i32,
        levels: Vec<Vec<f64>>,
    ) -> Result<SpendingPanel, ArmsError> {
        if names.len() != levels.len() {
            return Err(ArmsError::Dimension(format!(
                "{} names but {} series",
                names.len(),
                levels.len()
            )));
        }
        let len = levels.first().map_or(0, Vec::len);
        for (name, s) in names.iter().zip(&levels) {
            if s.len() != len {
                return Err(ArmsError::Dimension(format!(
                    "{name} has {} years, the first series {len}",
                    s.len()
                )));
            }
            for (t, &v) in s.iter().enumerate() {
                if !v.is_finite() {
                    return Err(ArmsError::NonFinite {
                        what: format!("{name}'s spending"),
                    });
                }
                if v < 0.0 {
                    return Err(ArmsError::NegativeSpending {
                        state: name.clone(),
                        year: first_year + t as i32,
                        value: v,
                    });
                }
            }
        }
        Ok(SpendingPanel {
            names,
            first_year,
            levels,
        })
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
    pub fn first_year(&self) -> i32 {
        self.first_year
    }
    pub fn last_year(&self) -> i32 {
        self.first_year + self.n_years() as i32 - 1
    }
    pub fn n_years(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }
    pub fn n_states(&self) -> usize {
        self.names.len()
    }
    /// `state`'s spending in `year` (`None` outside the panel).
    pub fn level(&self, state: usize, year: i32) -> Option<f64> {
        let t = usize::try_from(year - self.first_year).ok()?;
        self.levels.get(state)?.get(t).copied()
    }
    /// Every state's spending in `year`.
    pub fn levels_in(&self, year: i32) -> Option<DVector<f64>> {
        let v: Option<Vec<f64>> = (0..self.n_states()).map(|i| self.level(i, year)).collect();
        v.map(DVector::from_vec)
    }

    /// The panel cut after `last_year` (the years a fit up to it may see).
    pub fn truncated(&self, last_year: i32) -> SpendingPanel {
        let cut = usize::try_from(last_year - self.first_year + 1).unwrap_or(0);
        SpendingPanel {
            names: self.names.clone(),
            first_year: self.first_year,
            levels: self
                .levels
                .iter()
                .map(|s| s[..cut.min(s.len())].to_vec())
                .collect(),
        }
    }

    pub(super) fn check_year(&self, year: i32) -> Result<(), ArmsError> {
        if year < self.first_year || year > self.last_year() {
            return Err(ArmsError::YearOutside {
                year,
                first: self.first_year,
                last: self.last_year(),
            });
        }
        Ok(())
    }
}

/// Which years to fit and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EstimationConfig {
    /// First level year used (its change is not fitted; it is the first lag).
    /// `None`: the panel's first year.
    pub fit_from: Option<i32>,
    /// Last year whose change is fitted (the forecast origin).
    pub fit_until: i32,
    /// A step in the drift from this year on (Dunne and Smith 2007: Richardson
    /// coefficients are rarely constant); projections use the post-break drift.
    pub break_year: Option<i32>,
}

/// One state's least-squares fit of
/// `X_t - X_{t-1} = own X_{t-1} + k S_{t-1} + g [+ shift * 1(t >= break)]`,
/// `S = sum_j w_ij X_j` the threat-weighted rivals' spending.
#[derive(Debug, Clone, PartialEq)]
pub struct StateFit {
    pub name: String,
    /// Coefficient on own lagged level (negative: fatigue).
    pub own: f64,
    /// Reactivity to threat-weighted rivals' lagged spending (>= 0; 0 when the
    /// state has no rivals in the network or the unrestricted estimate was
    /// negative, see `reactivity_restricted`).
    pub reactivity: f64,
    /// Drift (before the break, if any).
    pub drift: f64,
    /// The drift's step at the break year.
    pub break_shift: Option<f64>,
    /// Names of the estimated coefficients, in the order of `coefficients`.
    pub coefficient_names: Vec<&'static str>,
    pub coefficients: Vec<f64>,
    /// Their sampling covariance `s^2 (X'X)^-1`.
    pub covariance: DMatrix<f64>,
    pub standard_errors: Vec<f64>,
    /// The unrestricted reactivity was negative: refitted with k = 0.
    pub reactivity_restricted: bool,
    pub r_squared: Option<f64>,
    /// Residual standard deviation (degrees-of-freedom corrected).
    pub residual_sd: f64,
    pub n_obs: usize,
}

/// The fitted system: point model, per-state fits, and the forecast origin.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedRichardson {
    /// Point estimates, with the post-break drift.
    pub model: Richardson,
    pub states: Vec<StateFit>,
    pub network: ThreatNetwork,
    pub origin_year: i32,
    pub origin_levels: DVector<f64>,
}

struct Ols {
    beta: DVector<f64>,
    cov: DMatrix<f64>,
    sse: f64,
}

/// Least squares through QR on column-scaled regressors (levels in the
/// hundreds of thousands next to an intercept would wreck normal equations).
fn ols(x: &DMatrix<f64>, y: &DVector<f64>) -> Option<Ols> {
    let (n, p) = x.shape();
    if n <= p {
        return None;
    }
    let scale: Vec<f64> = (0..p).map(|j| x.column(j).amax()).collect();
    if scale.iter().any(|&s| s == 0.0 || !s.is_finite()) {
        return None;
    }
    let mut xs = x.clone();
    for (j, s) in scale.iter().enumerate() {
        xs.column_mut(j).scale_mut(1.0 / s);
    }
    let qr = xs.clone().qr();
    let r = qr.r();
    let rmax = (0..p).map(|i| r[(i, i)].abs()).fold(0.0, f64::max);
    if (0..p).any(|i| r[(i, i)].abs() <= 1e-10 * rmax) {
        return None;
    }
    let qty = qr.q().transpose() * y;
    let bs = r.solve_upper_triangular(&qty)?;
    let rinv = r.solve_upper_triangular(&DMatrix::identity(p, p))?;
    let resid = y - &xs * &bs;
    let sse = resid.norm_squared();
    let s2 = sse / (n - p) as f64;
    let inv_s = &rinv * rinv.transpose();
    let beta = DVector::from_iterator(p, bs.iter().zip(&scale).map(|(b, s)| b / s));
    let cov = DMatrix::from_fn(p, p, |i, j| s2 * inv_s[(i, j)] / (scale[i] * scale[j]));
    Some(Ols { beta, cov, sse })
}

/// Fit the Richardson system state by state on the panel's levels, with the
/// reactivities restricted to the threat network and to `k >= 0`.
pub fn estimate(
    panel: &SpendingPanel,
    network: &ThreatNetwork,
    cfg: &EstimationConfig,
) -> Result<FittedRichardson, ArmsError> {
    let n = panel.n_states();
    if network.n() != n {
        return Err(ArmsError::Dimension(format!(
            "{n} states but a threat network of {}",
            network.n()
        )));
    }
    let from = cfg.fit_from.unwrap_or(panel.first_year());
    panel.check_year(from)?;
    panel.check_year(cfg.fit_until)?;
    // Changes from `from + 1` to `fit_until`.
    let years: Vec<i32> = (from + 1..=cfg.fit_until).collect();
    if let Some(b) = cfg.break_year {
        if b < from + 3 || b > cfg.fit_until - 2 {
            return Err(ArmsError::Config(format!(
                "break year {b} must leave at least 2 fitted years on each side \
                 (fit window {from}-{})",
                cfg.fit_until
            )));
        }
    }
    let mut own = DVector::zeros(n);
    let mut k = DMatrix::zeros(n, n);
    let mut g = DVector::zeros(n);
    let mut fits = Vec::with_capacity(n);
    for i in 0..n {
        let name = panel.names()[i].clone();
        let has_rivals = (0..n).any(|j| network.weight(i, j) > 0.0);
        let lag = |t: i32| panel.level(i, t - 1).unwrap_or(0.0);
        let rivals = |t: i32| -> f64 {
            (0..n)
                .map(|j| network.weight(i, j) * panel.level(j, t - 1).unwrap_or(0.0))
                .sum()
        };
        let y = DVector::from_iterator(
            years.len(),
            years
                .iter()
                .map(|&t| panel.level(i, t).unwrap_or(0.0) - lag(t)),
        );
        let fit_with = |with_k: bool| -> Option<(Ols, Vec<&'static str>)> {
            let mut names = vec!["own"];
            if with_k {
                names.push("reactivity");
            }
            names.push("drift");
            if cfg.break_year.is_some() {
                names.push("break_shift");
            }
            let p = names.len();
            let x = DMatrix::from_fn(years.len(), p, |r, c| {
                let t = years[r];
                match names[c] {
                    "own" => lag(t),
                    "reactivity" => rivals(t),
                    "drift" => 1.0,
                    _ => f64::from(u8::from(cfg.break_year.is_some_and(|b| t >= b))),
                }
            });
            ols(&x, &y).map(|o| (o, names))
        };
        let need = 3 + usize::from(has_rivals) + usize::from(cfg.break_year.is_some());
        if years.len() < need + 1 {
            return Err(ArmsError::TooFewYears {
                need: need + 2,
                got: years.len() + 1,
            });
        }
        let collinear = || ArmsError::Collinear {
            state: name.clone(),
        };
        let (mut ols_fit, mut names) = if has_rivals {
            fit_with(true).ok_or_else(collinear)?
        } else {
            fit_with(false).ok_or_else(collinear)?
        };
        let mut restricted = false;
        if has_rivals && ols_fit.beta[1] < 0.0 {
            // One coefficient bounded at zero: the restricted optimum of the
            // convex least-squares problem is the fit without it.
            (ols_fit, names) = fit_with(false).ok_or_else(collinear)?;
            restricted = true;
        }
        let coef = |nm: &str| names.iter().position(|x| *x == nm).map(|p| ols_fit.beta[p]);
        let own_i = coef("own").unwrap_or(0.0);
        let k_i = coef("reactivity").unwrap_or(0.0);
        let drift = coef("drift").unwrap_or(0.0);
        let shift = coef("break_shift");
        own[i] = own_i;
        for j in 0..n {
            k[(i, j)] = k_i * network.weight(i, j);
        }
        g[i] = drift + shift.unwrap_or(0.0);
        let my = y.mean();
        let sst: f64 = y.iter().map(|v| (v - my).powi(2)).sum();
        let p = names.len();
        fits.push(StateFit {
            name,
            own: own_i,
            reactivity: k_i,
            drift,
            break_shift: shift,
            coefficient_names: names,
            coefficients: ols_fit.beta.iter().copied().collect(),
            standard_errors: (0..p)
                .map(|d| ols_fit.cov[(d, d)].max(0.0).sqrt())
                .collect(),
            covariance: ols_fit.cov,
            reactivity_restricted: restricted,
            r_squared: (sst > 0.0).then(|| 1.0 - ols_fit.sse / sst),
            residual_sd: (ols_fit.sse / (years.len() - p) as f64).sqrt(),
            n_obs: years.len(),
        });
    }
    let model = Richardson::new(own, k, g, network)?;
    let origin_levels = panel
        .levels_in(cfg.fit_until)
        .ok_or(ArmsError::YearOutside {
            year: cfg.fit_until,
            first: panel.first_year(),
            last: panel.last_year(),
        })?;
    Ok(FittedRichardson {
        model,
        states: fits,
        network: network.clone(),
        origin_year: cfg.fit_until,
        origin_levels,
    })
}

/// Predictive samples: `paths[draw][step][state]`, step 0 = one year after the origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub first_year: i32,
    pub paths: Vec<Vec<DVector<f64>>>,
}

impl Projection {
    /// The draws of `state` in `year`.
    pub fn draws(&self, state: usize, year: i32) -> Vec<f64> {
        let Ok(step) = usize::try_from(year - self.first_year) else {
            return Vec::new();
        };
        self.paths
            .iter()
            .filter_map(|p| p.get(step).and_then(|x| x.get(state)).copied())
            .collect()
    }
}

/// `L` with `L L' = cov`, through the symmetric eigendecomposition (robust to
/// the near-singular covariances of short, trending series).
fn sqrt_psd(cov: &DMatrix<f64>) -> DMatrix<f64> {
    let e = SymmetricEigen::new(cov.clone());
    let d = e.eigenvalues.map(|l| l.max(0.0).sqrt());
    &e.eigenvectors * DMatrix::from_diagonal(&d)
}

pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    rng.sample(StandardNormal)
}

impl FittedRichardson {
    /// `draws` Monte Carlo paths of `horizon` years after the origin. Each path
    /// draws every state's coefficients from the multivariate normal of its
    /// least-squares estimate (states independently; reactivities truncated at
    /// 0), then adds normal residual noise each year. Levels are floored at 0.
    pub fn project(&self, horizon: usize, draws: usize, rng: &mut ChaCha8Rng) -> Projection {
        let n = self.model.n();
        let roots: Vec<DMatrix<f64>> = self
            .states
            .iter()
            .map(|s| sqrt_psd(&s.covariance))
            .collect();
        let w = self.network.weights();
        let mut paths = Vec::with_capacity(draws);
        for _ in 0..draws {
            let mut own = DVector::zeros(n);
            let mut k = DVector::zeros(n);
            let mut g = DVector::zeros(n);
            for (i, (s, l)) in self.states.iter().zip(&roots).enumerate() {
                let p = s.coefficients.len();
                let z = DVector::from_iterator(p, (0..p).map(|_| normal(rng)));
                let b = DVector::from_column_slice(&s.coefficients) + l * z;
                let mut drift = 0.0;
                for (c, nm) in s.coefficient_names.iter().enumerate() {
                    match *nm {
                        "own" => own[i] = b[c],
                        "reactivity" => k[i] = b[c].max(0.0),
                        // The post-break drift is the sum of both.
                        _ => drift += b[c],
                    }
                }
                g[i] = drift;
            }
            let mut x = self.origin_levels.clone();
            let mut path = Vec::with_capacity(horizon);
            for _ in 0..horizon {
                let rivals = w * &x;
                let next = DVector::from_fn(n, |i, _| {
                    let e = self.states[i].residual_sd * normal(rng);
                    (x[i] + own[i] * x[i] + k[i] * rivals[i] + g[i] + e).max(0.0)
                });
                path.push(next.clone());
                x = next;
            }
            paths.push(path);
        }
        Projection {
            first_year: self.origin_year + 1,
            paths,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use rand::SeedableRng;

    /// A panel simulated from a known system with small noise.
    pub(in crate::arms) fn simulated_panel(
        years: usize,
        seed: u64,
    ) -> (SpendingPanel, ThreatNetwork, Richardson) {
        let net = ThreatNetwork::new(DMatrix::from_row_slice(
            3,
            3,
            &[0.0, 1.0, 0.0, 1.0, 0.0, 0.5, 0.0, 0.5, 0.0],
        ))
        .unwrap();
        let truth = Richardson::new(
            DVector::from_vec(vec![-0.3, -0.25, -0.2]),
            DMatrix::from_row_slice(3, 3, &[0.0, 0.1, 0.0, 0.15, 0.0, 0.05, 0.0, 0.1, 0.0]),
            DVector::from_vec(vec![20.0, 10.0, 5.0]),
            &net,
        )
        .unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut x = DVector::from_vec(vec![30.0, 80.0, 10.0]);
        let mut levels = vec![Vec::new(); 3];
        for _ in 0..years {
            for i in 0..3 {
                levels[i].push(x[i]);
            }
            x = truth.step(&x).map(|v| v + 0.5 * normal(&mut rng));
        }
        let names = vec!["A".into(), "B".into(), "C".into()];
        (SpendingPanel::new(names, 1950, levels).unwrap(), net, truth)
    }

    #[test]
    fn estimation_recovers_a_simulated_system() {
        let (panel, net, truth) = simulated_panel(400, 7);
        let cfg = EstimationConfig {
            fit_from: None,
            fit_until: panel.last_year(),
            break_year: None,
        };
        let fit = estimate(&panel, &net, &cfg).unwrap();
        for i in 0..3 {
            assert!(
                (fit.model.own()[i] - truth.own()[i]).abs() < 0.05,
                "own {i}"
            );
        }
        let xs = fit.model.equilibrium().unwrap();
        let xt = truth.equilibrium().unwrap();
        for i in 0..3 {
            assert!((xs[i] - xt[i]).abs() < 0.05 * xt[i], "{xs} vs {xt}");
            assert!(fit.states[i].r_squared.unwrap() > 0.5);
            assert!((fit.states[i].residual_sd - 0.5).abs() < 0.1);
        }
        assert!(fit.model.stable().unwrap());
    }
}
