//! Nuclear warhead stockpiles: how an arsenal grows or shrinks from year to
//! year, and how much of that answers the threat its state faces.
//!
//! The model is a pooled panel of the nuclear states among the actors, on
//! the FAS estimates (docs/nuclear.md). With `y = ln(1 + stockpile)`:
//!
//! ```text
//! y[t] - y[t-1] = a + b y[t-1] + beta (ln theta[t] - ln theta[t-1]) + u_i + e[t]
//! ```
//!
//! - `a + b y` is size-dependent growth: young arsenals grow, large ones
//!   shrink (`b < 0` pulls every arsenal toward a common size, `-a/b` in logs).
//! - `beta` is the within-state elasticity of the stockpile to the threat the
//!   state feels ([`crate::threat::threat`], the same measure the chain uses).
//! - `u_i` is a state's own growth, shrunk to zero by how much the states
//!   differ (empirical Bayes: `tau^2` by the method of moments), so a state
//!   with a short history (North Korea's starts in 2015) leans on the pool.
//! - `e` has a state's own sd, shrunk toward the pooled sd with the weight of
//!   [`FitConfig::sd_prior_years`] years (a labelled placeholder).
//!
//! Only FAS's own values enter the fit (interpolated years are missing), only
//! changes from an existing arsenal (a first weapon is acquisition, not
//! growth), and nothing after [`FitConfig::until`].
//!
//! ```
//! use entente_core::warheads::{fit_panel, FitConfig, History};
//! // Two states: one arsenal growing 10% a year, one shrinking 5%.
//! let grow: Vec<Option<f64>> = (0..12).map(|t| Some((20.0 * 1.1f64.powi(t)).ln_1p())).collect();
//! let shrink: Vec<Option<f64>> = (0..12).map(|t| Some((5000.0 * 0.95f64.powi(t)).ln_1p())).collect();
//! // The threat each felt (its log), varying a little from year to year.
//! let theta = |k: f64| (0..12).map(|t| -2.0 + 0.1 * (k * t as f64).sin()).collect::<Vec<f64>>();
//! let h = History::new(vec!["A".into(), "B".into()], 2000, vec![grow, shrink], vec![theta(0.9), theta(1.7)]);
//! let m = fit_panel(&h.unwrap(), &FitConfig { until: 2011, ..FitConfig::default() }).unwrap();
//! // Small arsenals grow, large ones shrink: the size term is negative.
//! assert!(m.coef[1] < 0.0);
//! ```

pub mod backtest;

use nalgebra::{Matrix3, Vector3};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::ids::Ccode;
use crate::threat::{self, ThreatConfig};
use crate::world::{Archive, Source, World, WorldError};

/// Why the warhead model cannot be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WarheadError {
    #[error(transparent)]
    World(#[from] WorldError),
    #[error("warhead history: {0}")]
    Shape(String),
    #[error(
        "warhead model: {observations} annual changes up to {until}; the fit needs at least {need}"
    )]
    TooFew {
        observations: usize,
        until: i32,
        need: usize,
    },
    #[error(
        "warhead model: the regressors are collinear (no threat or size variation up to {until})"
    )]
    Singular { until: i32 },
}

/// First year of the history the model reads: after the Soviet Union, so
/// Russia's series is one state's.
pub const FIRST_YEAR: i32 = 1992;

/// Each nuclear state's log stockpile and log threat, year by year.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    names: Vec<String>,
    first_year: i32,
    /// `log_stock[i][t]`: `ln(1 + stockpile)` of FAS's own estimate, else `None`.
    log_stock: Vec<Vec<Option<f64>>>,
    /// `log_threat[i][t]`: `ln theta` the state felt.
    log_threat: Vec<Vec<f64>>,
}

impl History {
    pub fn new(
        names: Vec<String>,
        first_year: i32,
        log_stock: Vec<Vec<Option<f64>>>,
        log_threat: Vec<Vec<f64>>,
    ) -> Result<History, WarheadError> {
        let n = names.len();
        if log_stock.len() != n || log_threat.len() != n {
            return Err(WarheadError::Shape(format!(
                "{n} states but {} stock and {} threat series",
                log_stock.len(),
                log_threat.len()
            )));
        }
        let t = log_stock.first().map_or(0, Vec::len);
        if log_stock.iter().any(|s| s.len() != t) || log_threat.iter().any(|s| s.len() != t) {
            return Err(WarheadError::Shape("series of unequal length".into()));
        }
        Ok(History {
            names,
            first_year,
            log_stock,
            log_threat,
        })
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
    pub fn first_year(&self) -> i32 {
        self.first_year
    }
    pub fn last_year(&self) -> i32 {
        self.first_year + self.years() as i32 - 1
    }
    fn years(&self) -> usize {
        self.log_stock.first().map_or(0, Vec::len)
    }
    /// `ln(1 + stockpile)` of state `i` in `year`, where FAS gives one.
    pub fn log_stock(&self, i: usize, year: i32) -> Option<f64> {
        let t = usize::try_from(year - self.first_year).ok()?;
        self.log_stock.get(i)?.get(t).copied().flatten()
    }
}

/// The history of the nuclear states among `actors` (a state counts if FAS
/// gives it a stockpile in any year up to `last_year`), years
/// [`FIRST_YEAR`]`..=last_year`, with the threat each felt from the actors
/// as the chain measures it. Names are ISO3 codes where there is one.
/// Nothing after `last_year` is read. Returns the states' codes too.
pub fn history(
    archive: &Archive,
    actors: &[Ccode],
    last_year: i32,
    cfg: &ThreatConfig,
) -> Result<(Vec<Ccode>, History), WarheadError> {
    let first = FIRST_YEAR.min(last_year);
    let worlds: Vec<World> = (first..=last_year)
        .map(|y| World::for_year(archive, y))
        .collect::<Result<_, _>>()?;
    let fas = |w: &World, c: Ccode| {
        w.state(c)
            .map(|s| s.nuclear_warheads)
            .filter(|v| v.source == Source::Fas)
            .and_then(|v| v.value)
    };
    let nuclear: Vec<(usize, Ccode)> = actors
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, c)| worlds.iter().any(|w| fas(w, c).is_some_and(|s| s > 0.0)))
        .collect();
    let mut stock = vec![Vec::with_capacity(worlds.len()); nuclear.len()];
    let mut log_threat = vec![Vec::with_capacity(worlds.len()); nuclear.len()];
    for w in &worlds {
        let t = threat::threat(archive, w, actors, cfg);
        for (k, &(i, c)) in nuclear.iter().enumerate() {
            stock[k].push(fas(w, c).map(f64::ln_1p));
            log_threat[k].push(log_theta(t.theta[i]));
        }
    }
    let last = worlds.last();
    let names = nuclear
        .iter()
        .map(|&(_, c)| {
            last.and_then(|w| w.state(c))
                .and_then(|s| s.iso3)
                .map_or_else(|| c.to_string(), |i| i.to_string())
        })
        .collect();
    let codes = nuclear.iter().map(|&(_, c)| c).collect();
    Ok((codes, History::new(names, first, stock, log_threat)?))
}

/// `ln theta`, with a floor so a state that feels no threat stays finite.
pub fn log_theta(theta: f64) -> f64 {
    theta.max(1e-9).ln()
}

/// How the model is fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitConfig {
    /// Last year whose change enters the fit.
    pub until: i32,
    /// Weight, in years of data, of the pooled sd in each state's own sd
    /// (an assumption, labelled in docs/nuclear.md).
    pub sd_prior_years: f64,
}

impl Default for FitConfig {
    fn default() -> FitConfig {
        FitConfig {
            until: i32::MAX,
            sd_prior_years: 4.0,
        }
    }
}

/// Annual changes a fit needs.
pub const MIN_OBSERVATIONS: usize = 10;

/// The fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub names: Vec<String>,
    /// `(a, b, beta)`: intercept, size term, threat elasticity.
    pub coef: [f64; 3],
    /// Their covariance (`sigma^2 (X'X)^-1`).
    pub cov: [[f64; 3]; 3],
    /// Each state's own growth `u_i` (shrunk) and its posterior variance.
    pub effect: Vec<f64>,
    pub effect_var: Vec<f64>,
    /// Each state's residual sd (shrunk toward `sigma`).
    pub sd: Vec<f64>,
    /// Annual changes of each state in the fit.
    pub n: Vec<usize>,
    /// Pooled residual sd and the sd of the states' own growth.
    pub sigma: f64,
    pub tau: f64,
    pub observations: usize,
    /// Years of the changes fitted.
    pub first_year: i32,
    pub until: i32,
}

/// One observation: state, `y[t-1]`, change of log threat, change of `y`.
struct Obs {
    state: usize,
    lag: f64,
    dthreat: f64,
    dy: f64,
}

/// Fit the model on the changes of `h` up to `cfg.until`.
pub fn fit_panel(h: &History, cfg: &FitConfig) -> Result<Model, WarheadError> {
    let until = cfg.until.min(h.last_year());
    let mut obs = Vec::new();
    for i in 0..h.names.len() {
        for year in h.first_year + 1..=until {
            let t = (year - h.first_year) as usize;
            let (Some(prev), Some(now)) = (h.log_stock[i][t - 1], h.log_stock[i][t]) else {
                continue;
            };
            // Growth of an existing arsenal only.
            if prev <= 0.0 {
                continue;
            }
            obs.push(Obs {
                state: i,
                lag: prev,
                dthreat: h.log_threat[i][t] - h.log_threat[i][t - 1],
                dy: now - prev,
            });
        }
    }
    if obs.len() < MIN_OBSERVATIONS {
        return Err(WarheadError::TooFew {
            observations: obs.len(),
            until,
            need: MIN_OBSERVATIONS,
        });
    }
    let ns = h.names.len();
    let mut n = vec![0usize; ns];
    for o in &obs {
        n[o.state] += 1;
    }
    let x = |o: &Obs| Vector3::new(1.0, o.lag, o.dthreat);
    let xtx: Matrix3<f64> = obs.iter().map(|o| x(o) * x(o).transpose()).sum();
    let inv = xtx
        .try_inverse()
        .filter(|m| m.iter().all(|v| v.is_finite()))
        .ok_or(WarheadError::Singular { until })?;
    let mut u = vec![0.0; ns];
    let (mut coef, mut sigma2, mut tau2) = (Vector3::zeros(), 0.0, 0.0);
    // Alternate the pooled regression and the shrunk state effects; a
    // handful of rounds settles them to machine precision.
    for _ in 0..100 {
        let xty: Vector3<f64> = obs.iter().map(|o| x(o) * (o.dy - u[o.state])).sum();
        let next = inv * xty;
        let mut mean_r = vec![0.0; ns];
        for o in &obs {
            mean_r[o.state] += (o.dy - x(o).dot(&next)) / n[o.state] as f64;
        }
        let within: f64 = obs
            .iter()
            .map(|o| (o.dy - x(o).dot(&next) - mean_r[o.state]).powi(2))
            .sum();
        let with_data = n.iter().filter(|&&k| k > 0).count();
        let dof = obs.len().saturating_sub(with_data + 3).max(1);
        sigma2 = within / dof as f64;
        let between = (0..ns)
            .filter(|&i| n[i] > 0)
            .map(|i| mean_r[i].powi(2) - sigma2 / n[i] as f64)
            .sum::<f64>()
            / with_data as f64;
        tau2 = between.max(0.0);
        let next_u: Vec<f64> = (0..ns)
            .map(|i| {
                if n[i] == 0 {
                    0.0
                } else {
                    tau2 / (tau2 + sigma2 / n[i] as f64) * mean_r[i]
                }
            })
            .collect();
        let moved = (next - coef).amax()
            + next_u
                .iter()
                .zip(&u)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
        coef = next;
        u = next_u;
        if moved < 1e-13 {
            break;
        }
    }
    let resid: Vec<f64> = obs
        .iter()
        .map(|o| o.dy - x(o).dot(&coef) - u[o.state])
        .collect();
    let total2 =
        resid.iter().map(|r| r * r).sum::<f64>() / obs.len().saturating_sub(3).max(1) as f64;
    let cov = inv * total2;
    let mut ss = vec![0.0; ns];
    for (o, r) in obs.iter().zip(&resid) {
        ss[o.state] += r * r;
    }
    let nu = cfg.sd_prior_years;
    let sd = (0..ns)
        .map(|i| ((ss[i] + nu * sigma2) / (n[i] as f64 + nu)).sqrt())
        .collect();
    let effect_var = (0..ns)
        .map(|i| {
            if n[i] == 0 {
                tau2
            } else {
                let w = tau2 / (tau2 + sigma2 / n[i] as f64);
                w * sigma2 / n[i] as f64
            }
        })
        .collect();
    let first_year = h.first_year + 1;
    Ok(Model {
        names: h.names.clone(),
        coef: [coef[0], coef[1], coef[2]],
        cov: [
            [cov[(0, 0)], cov[(0, 1)], cov[(0, 2)]],
            [cov[(1, 0)], cov[(1, 1)], cov[(1, 2)]],
            [cov[(2, 0)], cov[(2, 1)], cov[(2, 2)]],
        ],
        effect: u,
        effect_var,
        sd,
        n,
        sigma: sigma2.sqrt(),
        tau: tau2.sqrt(),
        observations: obs.len(),
        first_year,
        until,
    })
}

/// The model's coefficients in one draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    pub a: f64,
    pub b: f64,
    pub beta: f64,
    /// Each state's own growth.
    pub effect: Vec<f64>,
}

impl Model {
    /// The threat elasticity's estimate and standard error.
    pub fn beta(&self) -> (f64, f64) {
        (self.coef[2], self.cov[2][2].max(0.0).sqrt())
    }

    /// The arsenal size every state's growth points to (`-a/b` in logs),
    /// in warheads; `None` when `b` does not pull toward a size.
    pub fn common_size(&self) -> Option<f64> {
        (self.coef[1] < 0.0).then(|| (-self.coef[0] / self.coef[1]).exp_m1())
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// A draw of the coefficients given the threat elasticity `beta`: `a`
    /// and `b` from their normal distribution conditional on it, each
    /// state's growth from its posterior.
    pub fn draw<R: Rng + ?Sized>(&self, beta: f64, rng: &mut R) -> Draw {
        let c = &self.cov;
        let mut z = || -> f64 { StandardNormal.sample(rng) };
        let (za, zb) = (z(), z());
        let vb = c[2][2];
        let (mut ma, mut mb) = (self.coef[0], self.coef[1]);
        let (mut s00, mut s01, mut s11) = (c[0][0], c[0][1], c[1][1]);
        if vb > 0.0 {
            let d = beta - self.coef[2];
            ma += c[0][2] / vb * d;
            mb += c[1][2] / vb * d;
            s00 -= c[0][2] * c[0][2] / vb;
            s01 -= c[0][2] * c[1][2] / vb;
            s11 -= c[1][2] * c[1][2] / vb;
        }
        // Cholesky of the 2x2 conditional covariance.
        let l00 = s00.max(0.0).sqrt();
        let l10 = if l00 > 0.0 { s01 / l00 } else { 0.0 };
        let l11 = (s11 - l10 * l10).max(0.0).sqrt();
        let effect = self
            .effect
            .iter()
            .zip(&self.effect_var)
            .map(|(m, v)| m + v.max(0.0).sqrt() * z())
            .collect();
        Draw {
            a: ma + l00 * za,
            b: mb + l10 * za + l11 * zb,
            beta,
            effect,
        }
    }

    /// State `i`'s stockpile (warheads) after `noise.len()` years from
    /// `start` warheads, with `log_threat[t]` the log threat of year `t`
    /// (`log_threat[0]` the start year's) and `noise` standard normals.
    pub fn project(
        &self,
        draw: &Draw,
        i: usize,
        start: f64,
        log_threat: &[f64],
        noise: &[f64],
    ) -> f64 {
        self.path(draw, i, start, log_threat, noise)
            .last()
            .copied()
            .unwrap_or(start)
    }

    /// The stockpile in each year after the start (as [`Model::project`]).
    pub fn path(
        &self,
        draw: &Draw,
        i: usize,
        start: f64,
        log_threat: &[f64],
        noise: &[f64],
    ) -> Vec<f64> {
        let mut y = start.max(0.0).ln_1p();
        noise
            .iter()
            .enumerate()
            .map(|(t, e)| {
                let dth = match (log_threat.get(t + 1), log_threat.get(t)) {
                    (Some(b), Some(a)) => b - a,
                    _ => 0.0,
                };
                // An empty arsenal stays empty: growth is of an existing one.
                if y > 0.0 {
                    y += draw.a + draw.b * y + draw.beta * dth + draw.effect[i] + self.sd[i] * e;
                    y = y.max(0.0);
                }
                y.exp_m1()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// A panel simulated from known coefficients.
    fn simulated(a: f64, b: f64, beta: f64, sd: f64, seed: u64) -> History {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let starts = [3.0f64, 30.0, 200.0, 800.0, 5000.0, 12000.0];
        let years = 40;
        let mut stock = Vec::new();
        let mut threat = Vec::new();
        for &s in &starts {
            let mut y = s.ln_1p();
            let mut th = -3.0;
            let (mut ys, mut ths) = (vec![Some(y)], vec![th]);
            for _ in 1..years {
                let n: f64 = StandardNormal.sample(&mut rng);
                let d = 0.2 * n;
                th += d;
                let e: f64 = StandardNormal.sample(&mut rng);
                y += a + b * y + beta * d + sd * e;
                ys.push(Some(y));
                ths.push(th);
            }
            stock.push(ys);
            threat.push(ths);
        }
        let names = (0..starts.len()).map(|i| format!("S{i}")).collect();
        History::new(names, 1980, stock, threat).unwrap()
    }

    #[test]
    fn recovers_the_coefficients_it_was_simulated_from() {
        let h = simulated(0.3, -0.05, 0.8, 0.03, 7);
        let m = fit_panel(&h, &FitConfig::default()).unwrap();
        let se = |k: usize| m.cov[k][k].sqrt();
        for (k, truth) in [0.3, -0.05, 0.8].into_iter().enumerate() {
            assert!(
                (m.coef[k] - truth).abs() < 4.0 * se(k),
                "coef {k}: {} (se {}) vs {truth}",
                m.coef[k],
                se(k)
            );
        }
        assert!((m.sigma - 0.03).abs() < 0.006, "sigma {}", m.sigma);
        assert!((m.common_size().unwrap() - (6.0f64).exp_m1()).abs() < 150.0);
    }

    #[test]
    fn nothing_after_the_cut_off_enters_the_fit() {
        let h = simulated(0.3, -0.05, 0.8, 0.03, 3);
        let a = fit_panel(
            &h,
            &FitConfig {
                until: 2005,
                ..FitConfig::default()
            },
        )
        .unwrap();
        // Change every value after 2005: the fit to 2005 is the same.
        let mut stock = h.log_stock.clone();
        let mut threat = h.log_threat.clone();
        for i in 0..stock.len() {
            for t in (2006 - 1980) as usize..stock[i].len() {
                stock[i][t] = Some(9.0);
                threat[i][t] = 5.0;
            }
        }
        let h2 = History::new(h.names.clone(), 1980, stock, threat).unwrap();
        let b = fit_panel(
            &h2,
            &FitConfig {
                until: 2005,
                ..FitConfig::default()
            },
        )
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.until, 2005);
    }

    #[test]
    fn an_option_moves_the_stockpile_only_through_beta() {
        let h = simulated(0.3, -0.05, 0.8, 0.03, 11);
        let m = fit_panel(&h, &FitConfig::default()).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let noise: Vec<f64> = (0..10).map(|_| StandardNormal.sample(&mut rng)).collect();
        let flat = vec![-3.0; 11];
        let mut up = flat.clone();
        for v in up.iter_mut().skip(2) {
            *v += 0.1;
        }
        for beta in [0.0, 0.5, -0.5] {
            let d = m.draw(beta, &mut ChaCha8Rng::seed_from_u64(2));
            let sq = m.project(&d, 0, 40.0, &flat, &noise);
            let opt = m.project(&d, 0, 40.0, &up, &noise);
            if beta == 0.0 {
                assert_eq!(sq, opt);
            } else if beta > 0.0 {
                assert!(opt > sq, "{opt} vs {sq}");
            } else {
                assert!(opt < sq, "{opt} vs {sq}");
            }
        }
    }

    #[test]
    fn too_short_a_history_is_an_error_not_a_fit() {
        let h = simulated(0.3, -0.05, 0.8, 0.03, 1);
        let e = fit_panel(
            &h,
            &FitConfig {
                until: 1981,
                ..FitConfig::default()
            },
        )
        .unwrap_err();
        assert!(matches!(e, WarheadError::TooFew { .. }), "{e}");
    }
}
