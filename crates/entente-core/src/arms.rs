//! Arms dynamics: Richardson's model of arms races.
//!
//! - [`two_bloc_fit`]: Richardson's own check, the yearly change of the two
//!   blocs' total regressed on the two-year mean of the total (slope `k - alpha`,
//!   zero crossing = the equilibrium total).
//! - [`Richardson`]: the multi-actor discrete annual form
//!   `X_{t+1} - X_t = A X_t + G`, `A = diag(own) + K`, with reactivities
//!   `K >= 0` only on the edges of a [`ThreatNetwork`]; its equilibrium
//!   (`A X* + G = 0`) and stability (spectral radius of `I + A` below 1).
//! - [`estimate`]: per-state least squares on annual spending **levels** (the
//!   caller's unit; Entente uses constant 2023 US$ million), with the
//!   coefficients' covariance, fit quality and an optional break year.
//! - [`FittedRichardson::project`]: Monte Carlo projections drawing the
//!   coefficients from their sampling distribution and adding residual noise.
//! - [`backtest`]: fit up to a cut-off year, forecast the rest, score against a
//!   random-walk persistence forecast with CRPS and MAE.
//! - [`ThreatResponse`]: the spending response to a change in threat (about 3%
//!   per percentage point, Nordhaus, Oneal and Russett 2012).
//!
//! ```
//! use entente_core::arms::{two_bloc_fit, Richardson, ThreatNetwork};
//! use nalgebra::{DMatrix, DVector};
//!
//! // Richardson's 1909-1913 totals (France+Russia, Germany+Austria-Hungary).
//! let fit = two_bloc_fit(&[1909, 1910, 1911, 1912, 1913], &[199.2, 204.8, 214.9, 238.7, 289.0])
//!     .unwrap();
//! assert!((fit.slope_per_year - 0.731).abs() < 0.002 && !fit.stable());
//!
//! // Two rivals, each with fatigue 0.3 and reactivity 0.1 to the other.
//! let net = ThreatNetwork::new(DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 0.0])).unwrap();
//! let k = DMatrix::from_row_slice(2, 2, &[0.0, 0.1, 0.1, 0.0]);
//! let r = Richardson::new(DVector::from_element(2, -0.3), k, DVector::from_element(2, 10.0), &net)
//!     .unwrap();
//! assert!(r.stable().unwrap());
//! assert!((r.equilibrium().unwrap()[0] - 50.0).abs() < 1e-9);
//! ```

use nalgebra::{DMatrix, DVector, Schur, SymmetricEigen};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::ids::Ccode;
use crate::scoring;
use crate::sources::Contiguity;
use crate::world::World;

/// Why an arms-dynamics computation cannot proceed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArmsError {
    #[error("need at least {need} years of data, got {got}")]
    TooFewYears { need: usize, got: usize },
    #[error("years must be consecutive: {after} is followed by {next}")]
    YearGap { after: i32, next: i32 },
    #[error("{what} must be finite numbers")]
    NonFinite { what: String },
    #[error("dimensions do not match: {0}")]
    Dimension(String),
    #[error("threat weight w[{i}][{j}] = {value}: weights must be >= 0 with a zero diagonal")]
    Weight { i: usize, j: usize, value: f64 },
    #[error(
        "reactivity k[{i}][{j}] = {value}: reactivities must be >= 0 and only on threat-network edges"
    )]
    Reactivity { i: usize, j: usize, value: f64 },
    #[error("the system has no unique equilibrium (A is singular)")]
    NoEquilibrium,
    #[error("the eigenvalues of I + A did not converge")]
    NoEigenvalues,
    #[error("{state}: the regressors are collinear over the fit window, least squares is not identified")]
    Collinear { state: String },
    #[error("{state}: spending must be >= 0, got {value} in {year}")]
    NegativeSpending {
        state: String,
        year: i32,
        value: f64,
    },
    #[error("year {year} is outside the data ({first}-{last})")]
    YearOutside { year: i32, first: i32, last: i32 },
    #[error("{0}")]
    Config(String),
}

// ---------------------------------------------------------------------------
// Two blocs (Richardson's 1909-1913 check)

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

fn check_consecutive(years: &[i32]) -> Result<(), ArmsError> {
    for w in years.windows(2) {
        if w[1] != w[0] + 1 {
            return Err(ArmsError::YearGap {
                after: w[0],
                next: w[1],
            });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Threat network

/// Who reacts to whose spending: `w[i][j] >= 0` is how strongly i reacts to
/// j's spending (0: not at all). Not necessarily symmetric.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatNetwork {
    weights: DMatrix<f64>,
}

impl ThreatNetwork {
    /// From a square matrix of row-major weights.
    pub fn new(weights: DMatrix<f64>) -> Result<ThreatNetwork, ArmsError> {
        if !weights.is_square() {
            return Err(ArmsError::Dimension(
                "the threat network must be square".into(),
            ));
        }
        for i in 0..weights.nrows() {
            for j in 0..weights.ncols() {
                let v = weights[(i, j)];
                if !v.is_finite() || v < 0.0 || (i == j && v != 0.0) {
                    return Err(ArmsError::Weight { i, j, value: v });
                }
            }
        }
        Ok(ThreatNetwork { weights })
    }

    /// No edges.
    pub fn empty(n: usize) -> ThreatNetwork {
        ThreatNetwork {
            weights: DMatrix::zeros(n, n),
        }
    }

    pub fn n(&self) -> usize {
        self.weights.nrows()
    }

    pub fn weights(&self) -> &DMatrix<f64> {
        &self.weights
    }

    pub fn weight(&self, i: usize, j: usize) -> f64 {
        self.weights[(i, j)]
    }

    /// Build the network of `states` from the world state: a strategic
    /// rivalry (Thompson, Sakuwa and Suhas) gives `rule.rivalry`; otherwise
    /// direct contiguity (land, or sea up to 400 miles) between states without
    /// a defence obligation gives `rule.contiguity`. Symmetric.
    pub fn from_world(world: &World, states: &[Ccode], rule: &NetworkRule) -> ThreatNetwork {
        let n = states.len();
        let mut w = DMatrix::zeros(n, n);
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let d = world.dyad(states[i], states[j]);
                w[(i, j)] = if d.rivalry.is_some() {
                    rule.rivalry
                } else if d.contiguity != Contiguity::None
                    && !(rule.allies_exempt && d.obligations.defence)
                {
                    rule.contiguity
                } else {
                    0.0
                };
            }
        }
        ThreatNetwork { weights: w }
    }
}

/// Edge weights for [`ThreatNetwork::from_world`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkRule {
    /// Weight of a strategic rivalry.
    pub rivalry: f64,
    /// Weight of direct contiguity without a rivalry.
    pub contiguity: f64,
    /// Contiguous states with a defence obligation between them do not count.
    pub allies_exempt: bool,
}

impl Default for NetworkRule {
    fn default() -> Self {
        NetworkRule {
            rivalry: 1.0,
            contiguity: 0.5,
            allies_exempt: true,
        }
    }
}

// ---------------------------------------------------------------------------
// The multi-actor model

/// The discrete annual Richardson system `X_{t+1} - X_t = A X_t + G` with
/// `A = diag(own) + K`: `own` (negative = fatigue) on the diagonal, the
/// reactivities `K >= 0` off it, and the drift `G`.
#[derive(Debug, Clone, PartialEq)]
pub struct Richardson {
    own: DVector<f64>,
    k: DMatrix<f64>,
    g: DVector<f64>,
}

impl Richardson {
    /// Check that `k` is non-negative and zero wherever `network` has no edge.
    pub fn new(
        own: DVector<f64>,
        k: DMatrix<f64>,
        g: DVector<f64>,
        network: &ThreatNetwork,
    ) -> Result<Richardson, ArmsError> {
        let n = own.len();
        if k.shape() != (n, n) || g.len() != n || network.n() != n {
            return Err(ArmsError::Dimension(format!(
                "own has {n} entries, K is {}x{}, G has {}, the network {}",
                k.nrows(),
                k.ncols(),
                g.len(),
                network.n()
            )));
        }
        if own.iter().chain(g.iter()).any(|v| !v.is_finite()) {
            return Err(ArmsError::NonFinite {
                what: "own coefficients and drifts".into(),
            });
        }
        for i in 0..n {
            for j in 0..n {
                let v = k[(i, j)];
                let allowed = i != j && network.weight(i, j) > 0.0;
                if !v.is_finite() || v < 0.0 || (v != 0.0 && !allowed) {
                    return Err(ArmsError::Reactivity { i, j, value: v });
                }
            }
        }
        Ok(Richardson { own, k, g })
    }

    pub fn n(&self) -> usize {
        self.own.len()
    }

    pub fn own(&self) -> &DVector<f64> {
        &self.own
    }

    pub fn reactivities(&self) -> &DMatrix<f64> {
        &self.k
    }

    pub fn drift(&self) -> &DVector<f64> {
        &self.g
    }

    /// `A = diag(own) + K`.
    pub fn a(&self) -> DMatrix<f64> {
        &self.k + DMatrix::from_diagonal(&self.own)
    }

    /// One year ahead: `X + A X + G`.
    pub fn step(&self, x: &DVector<f64>) -> DVector<f64> {
        x + self.a() * x + &self.g
    }

    /// The deterministic path from `x0` (`steps + 1` points, `x0` first),
    /// without any floor: the linear map as the analysis sees it.
    pub fn iterate(&self, x0: &DVector<f64>, steps: usize) -> Vec<DVector<f64>> {
        let t = self.transition();
        let mut out = Vec::with_capacity(steps + 1);
        out.push(x0.clone());
        for s in 0..steps {
            let next = &t * &out[s] + &self.g;
            out.push(next);
        }
        out
    }

    /// `I + A`, the annual transition matrix.
    pub fn transition(&self) -> DMatrix<f64> {
        DMatrix::identity(self.n(), self.n()) + self.a()
    }

    /// `X*` solving `A X* + G = 0`.
    pub fn equilibrium(&self) -> Result<DVector<f64>, ArmsError> {
        let a = self.a();
        let x = a.lu().solve(&(-&self.g)).ok_or(ArmsError::NoEquilibrium)?;
        if x.iter().all(|v| v.is_finite()) {
            Ok(x)
        } else {
            Err(ArmsError::NoEquilibrium)
        }
    }

    /// Spectral radius of `I + A` (largest modulus of its complex eigenvalues).
    pub fn spectral_radius(&self) -> Result<f64, ArmsError> {
        spectral_radius(&self.transition())
    }

    /// The system returns to its equilibrium after a shock iff the spectral
    /// radius of `I + A` is below 1.
    pub fn stable(&self) -> Result<bool, ArmsError> {
        Ok(self.spectral_radius()? < 1.0)
    }
}

/// Largest modulus of the (complex) eigenvalues of a square matrix.
pub fn spectral_radius(m: &DMatrix<f64>) -> Result<f64, ArmsError> {
    if !m.is_square() {
        return Err(ArmsError::Dimension(
            "spectral radius of a non-square matrix".into(),
        ));
    }
    if m.nrows() == 0 {
        return Ok(0.0);
    }
    if m.iter().any(|v| !v.is_finite()) {
        return Err(ArmsError::NonFinite {
            what: "matrix entries".into(),
        });
    }
    let schur = Schur::try_new(m.clone(), f64::EPSILON, 10_000).ok_or(ArmsError::NoEigenvalues)?;
    Ok(schur
        .complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max))
}

// ---------------------------------------------------------------------------
// Data and estimation

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

    fn check_year(&self, year: i32) -> Result<(), ArmsError> {
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

fn normal(rng: &mut ChaCha8Rng) -> f64 {
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

/// The naive benchmark: a random walk without drift from the origin level,
/// with the standard deviation of the annual changes over the fit window
/// (so both forecasts are probabilistic). Levels floored at 0.
pub fn persistence_forecast(
    panel: &SpendingPanel,
    cfg: &EstimationConfig,
    horizon: usize,
    draws: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Projection, ArmsError> {
    let from = cfg.fit_from.unwrap_or(panel.first_year());
    panel.check_year(from)?;
    panel.check_year(cfg.fit_until)?;
    if cfg.fit_until - from < 2 {
        return Err(ArmsError::TooFewYears {
            need: 3,
            got: usize::try_from(cfg.fit_until - from + 1).unwrap_or(0),
        });
    }
    let n = panel.n_states();
    let sd: Vec<f64> = (0..n)
        .map(|i| {
            let d: Vec<f64> = (from + 1..=cfg.fit_until)
                .filter_map(|t| Some(panel.level(i, t)? - panel.level(i, t - 1)?))
                .collect();
            let m = d.iter().sum::<f64>() / d.len() as f64;
            (d.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (d.len() - 1) as f64).sqrt()
        })
        .collect();
    let origin = panel
        .levels_in(cfg.fit_until)
        .ok_or(ArmsError::YearOutside {
            year: cfg.fit_until,
            first: panel.first_year(),
            last: panel.last_year(),
        })?;
    let paths = (0..draws)
        .map(|_| {
            let mut x = origin.clone();
            (0..horizon)
                .map(|_| {
                    x = DVector::from_fn(n, |i, _| (x[i] + sd[i] * normal(rng)).max(0.0));
                    x.clone()
                })
                .collect()
        })
        .collect();
    Ok(Projection {
        first_year: cfg.fit_until + 1,
        paths,
    })
}

// ---------------------------------------------------------------------------
// Backtest

/// A backtest: fit up to `estimation.fit_until`, forecast to `until`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BacktestConfig {
    pub estimation: EstimationConfig,
    pub until: i32,
    pub draws: usize,
    pub seed: u64,
}

/// Scores of one state over the forecast years (means over years).
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// MAE of the predictive median.
    pub mae: f64,
    /// MAE of the persistence forecast (the origin level).
    pub mae_persistence: f64,
    pub crps: f64,
    pub crps_persistence: f64,
    /// `1 - crps / crps_persistence` (positive: better than persistence).
    pub skill: f64,
}

/// The backtest's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub fit: FittedRichardson,
    pub years: Vec<i32>,
    /// Per state, in the panel's order.
    pub states: Vec<Score>,
    /// Means of the per-state scores (in the panel's unit, so dominated by the
    /// largest spenders); `skill` from the mean CRPS.
    pub overall: Score,
    /// Mean of the per-state skills (scale-free).
    pub mean_state_skill: f64,
    /// Number of states with positive skill.
    pub states_with_skill: usize,
}

fn skill(crps: f64, crps_persistence: f64) -> f64 {
    if crps_persistence > 0.0 {
        1.0 - crps / crps_persistence
    } else if crps == 0.0 {
        0.0
    } else {
        f64::NEG_INFINITY
    }
}

/// Fit on the years up to the cut-off only, forecast the rest with predictive
/// samples, and score the model and the persistence forecast.
pub fn backtest(
    panel: &SpendingPanel,
    network: &ThreatNetwork,
    cfg: &BacktestConfig,
) -> Result<Backtest, ArmsError> {
    let fit_until = cfg.estimation.fit_until;
    panel.check_year(cfg.until)?;
    if cfg.until <= fit_until {
        return Err(ArmsError::Config(format!(
            "the forecast end {} must come after the fit cut-off {fit_until}",
            cfg.until
        )));
    }
    if cfg.draws < 2 {
        return Err(ArmsError::Config("at least 2 draws are needed".into()));
    }
    // The estimation sees only the years up to the cut-off.
    let first = panel.first_year();
    let cut = usize::try_from(fit_until - first + 1).unwrap_or(0);
    let truncated = SpendingPanel {
        names: panel.names.clone(),
        first_year: first,
        levels: panel
            .levels
            .iter()
            .map(|s| s[..cut.min(s.len())].to_vec())
            .collect(),
    };
    let fit = estimate(&truncated, network, &cfg.estimation)?;
    let horizon = usize::try_from(cfg.until - fit_until).unwrap_or(0);
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let model = fit.project(horizon, cfg.draws, &mut rng);
    rng.set_stream(1);
    let naive = persistence_forecast(&truncated, &cfg.estimation, horizon, cfg.draws, &mut rng)?;
    let years: Vec<i32> = (fit_until + 1..=cfg.until).collect();
    let mut states = Vec::with_capacity(panel.n_states());
    for i in 0..panel.n_states() {
        let origin = fit.origin_levels[i];
        let (mut crps, mut crps_p, mut med, mut actual) = (0.0, 0.0, Vec::new(), Vec::new());
        for &y in &years {
            let obs = panel.level(i, y).unwrap_or(f64::NAN);
            let dm = model.draws(i, y);
            let dp = naive.draws(i, y);
            let nonfinite = || ArmsError::NonFinite {
                what: format!("{}'s forecast for {y}", panel.names[i]),
            };
            crps += scoring::crps_from_samples(&dm, obs, scoring::CrpsEstimator::Empirical)
                .map_err(|_| nonfinite())?;
            crps_p += scoring::crps_from_samples(&dp, obs, scoring::CrpsEstimator::Empirical)
                .map_err(|_| nonfinite())?;
            med.push(scoring::median(&dm).ok_or_else(nonfinite)?);
            actual.push(obs);
        }
        let h = years.len() as f64;
        let (crps, crps_persistence) = (crps / h, crps_p / h);
        let persist = vec![origin; years.len()];
        states.push(Score {
            mae: scoring::mean_absolute_error(&med, &actual).unwrap_or(f64::NAN),
            mae_persistence: scoring::mean_absolute_error(&persist, &actual).unwrap_or(f64::NAN),
            crps,
            crps_persistence,
            skill: skill(crps, crps_persistence),
        });
    }
    let m = states.len().max(1) as f64;
    let mean = |f: fn(&Score) -> f64| states.iter().map(f).sum::<f64>() / m;
    let (crps, crps_persistence) = (mean(|s| s.crps), mean(|s| s.crps_persistence));
    let overall = Score {
        mae: mean(|s| s.mae),
        mae_persistence: mean(|s| s.mae_persistence),
        crps,
        crps_persistence,
        skill: skill(crps, crps_persistence),
    };
    Ok(Backtest {
        fit,
        years,
        mean_state_skill: mean(|s| s.skill),
        states_with_skill: states.iter().filter(|s| s.skill > 0.0).count(),
        states,
        overall,
    })
}

// ---------------------------------------------------------------------------
// Threat response

/// Spending response to a change in threat (Nordhaus, Oneal and Russett 2012:
/// a one-point rise in the annual probability of a fatal dispute raises
/// military spending by about 3%).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreatResponse {
    /// Proportional rise in spending per percentage point of threat.
    pub per_point: f64,
}

impl Default for ThreatResponse {
    fn default() -> Self {
        ThreatResponse { per_point: 0.03 }
    }
}

impl ThreatResponse {
    /// Spending multiplier for a change `delta_theta` in the threat
    /// probability (0.01 = one point): `1 + per_point * 100 * delta_theta`,
    /// floored at 0 (spending cannot turn negative).
    pub fn multiplier(&self, delta_theta: f64) -> f64 {
        (1.0 + self.per_point * 100.0 * delta_theta).max(0.0)
    }

    /// Each level scaled by the multiplier of its own threat change.
    pub fn apply(&self, levels: &DVector<f64>, delta_theta: &DVector<f64>) -> DVector<f64> {
        levels.zip_map(delta_theta, |x, d| x * self.multiplier(d))
    }
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

    #[test]
    fn two_actor_equilibrium_matches_the_closed_form() {
        // dx = a y - m x + g, dy = b x - n y + h.
        let (a, b, m, n, g, h) = (0.1, 0.2, 0.3, 0.4, 5.0, 3.0);
        let net = ThreatNetwork::new(DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 0.0])).unwrap();
        let r = Richardson::new(
            DVector::from_vec(vec![-m, -n]),
            DMatrix::from_row_slice(2, 2, &[0.0, a, b, 0.0]),
            DVector::from_vec(vec![g, h]),
            &net,
        )
        .unwrap();
        let x = r.equilibrium().unwrap();
        let det = m * n - a * b;
        assert!((x[0] - (a * h + n * g) / det).abs() < 1e-12);
        assert!((x[1] - (b * g + m * h) / det).abs() < 1e-12);
        assert!(r.stable().unwrap());
    }

    #[test]
    fn reactivity_off_the_network_is_rejected() {
        let net = ThreatNetwork::empty(2);
        let e = Richardson::new(
            DVector::from_vec(vec![-0.1, -0.1]),
            DMatrix::from_row_slice(2, 2, &[0.0, 0.1, 0.0, 0.0]),
            DVector::zeros(2),
            &net,
        );
        assert!(matches!(e, Err(ArmsError::Reactivity { i: 0, j: 1, .. })));
        assert!(ThreatNetwork::new(DMatrix::from_row_slice(2, 2, &[0.0, -1.0, 0.0, 0.0])).is_err());
    }

    #[test]
    fn spectral_radius_sees_complex_eigenvalues() {
        // A rotation scaled by 1.1: eigenvalues +-1.1i, no real eigenvalue.
        let m = DMatrix::from_row_slice(2, 2, &[0.0, -1.1, 1.1, 0.0]);
        assert!((spectral_radius(&m).unwrap() - 1.1).abs() < 1e-12);
    }

    #[test]
    fn threat_response_is_three_percent_per_point() {
        let t = ThreatResponse::default();
        assert!((t.multiplier(0.01) - 1.03).abs() < 1e-12);
        assert!((t.multiplier(-0.02) - 0.94).abs() < 1e-12);
        assert_eq!(t.multiplier(-1.0), 0.0);
        let v = t.apply(
            &DVector::from_vec(vec![100.0]),
            &DVector::from_vec(vec![0.05]),
        );
        assert!((v[0] - 115.0).abs() < 1e-9);
    }

    /// A panel simulated from a known system with small noise.
    fn simulated_panel(years: usize, seed: u64) -> (SpendingPanel, ThreatNetwork, Richardson) {
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

    #[test]
    fn projections_are_deterministic_for_a_seed() {
        let (panel, net, _) = simulated_panel(30, 3);
        let cfg = BacktestConfig {
            estimation: EstimationConfig {
                fit_from: None,
                fit_until: 1970,
                break_year: Some(1960),
            },
            until: panel.last_year(),
            draws: 200,
            seed: 11,
        };
        let a = backtest(&panel, &net, &cfg).unwrap();
        let b = backtest(&panel, &net, &cfg).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.years.len(), 9);
        assert!(a.states.iter().all(|s| s.crps.is_finite() && s.crps >= 0.0));
        assert!(a.fit.states[0].break_shift.is_some());
    }

    #[test]
    fn backtest_rejects_bad_windows() {
        let (panel, net, _) = simulated_panel(20, 3);
        let mut cfg = BacktestConfig {
            estimation: EstimationConfig {
                fit_from: None,
                fit_until: 1965,
                break_year: None,
            },
            until: 1990,
            draws: 10,
            seed: 1,
        };
        assert!(matches!(
            backtest(&panel, &net, &cfg),
            Err(ArmsError::YearOutside { year: 1990, .. })
        ));
        cfg.until = 1960;
        assert!(backtest(&panel, &net, &cfg).is_err());
        cfg.until = 1969;
        cfg.estimation.fit_until = 1952;
        assert!(matches!(
            backtest(&panel, &net, &cfg),
            Err(ArmsError::TooFewYears { .. })
        ));
    }
}
