//! The Kalman filter of one state's log spending changes: likelihood, the
//! residual sd profiled out, and the filtered drift at the cut-off.
//!
//! State: the drift `d_t`, a stationary AR(1) around the long-run growth `m`,
//! `d_t = m + lambda (d_{t-1} - m) + zeta_t`, `zeta ~ N(0, tau^2 (1 - lambda^2))`,
//! starting from its stationary law `N(m, tau^2)`. Observation: the change
//! `g_t = d_t + kappa r_t + beta dtheta_t + eps_t`, `eps ~ N(0, sigma^2)`, with
//! `r_t` the threat-weighted rivals' change of the year before above `m` and
//! `dtheta_t` the change in threat.

/// One observed annual change and its regressors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Obs {
    /// `ln x_t - ln x_{t-1}`.
    pub g: f64,
    /// `sum_j w_ij,t-1 g_j,t-1` over the rivals `j` with a change that year.
    pub react_sum: f64,
    /// `sum_j w_ij,t-1` over the same rivals (so `r = react_sum - m react_weight`).
    pub react_weight: f64,
    /// `theta_t - theta_{t-1}`.
    pub dtheta: f64,
}

/// The parameters shared by all states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Globals {
    pub m: f64,
    pub lambda: f64,
    pub tau: f64,
    pub kappa: f64,
    /// Log change per unit of threat (probability): numerically the % per
    /// percentage point.
    pub beta: f64,
}

impl Globals {
    /// Variance of the drift's annual innovation.
    pub fn q(&self) -> f64 {
        self.tau * self.tau * (1.0 - self.lambda * self.lambda)
    }
}

/// The filter's result: log likelihood and the predicted drift of the year
/// after the last observation (`mean`, `var`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Filtered {
    pub log_lik: f64,
    pub mean: f64,
    pub var: f64,
}

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// Run the filter over `obs` with the state's own reactivity `kappa`.
pub(crate) fn filter(obs: &[Obs], g: &Globals, kappa: f64, sigma: f64) -> Filtered {
    let q = g.q();
    let s2 = sigma * sigma;
    let (mut a, mut p) = (g.m, g.tau * g.tau);
    let mut ll = 0.0;
    for o in obs {
        let pred = a + kappa * (o.react_sum - g.m * o.react_weight) + g.beta * o.dtheta;
        let f = p + s2;
        let v = o.g - pred;
        ll -= 0.5 * (LN_2PI + f.ln() + v * v / f);
        let k = p / f;
        a += k * v;
        p *= 1.0 - k;
        a = g.m + g.lambda * (a - g.m);
        p = g.lambda * g.lambda * p + q;
    }
    Filtered {
        log_lik: ll,
        mean: a,
        var: p,
    }
}

/// Bounds of the residual sd of annual log changes.
pub(crate) const SIGMA_MIN: f64 = 0.002;
pub(crate) const SIGMA_MAX: f64 = 2.0;

/// A normal penalty on `ln sigma` (partial pooling of the residual sds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SigmaPrior {
    pub mean_ln: f64,
    pub sd_ln: f64,
}

/// The residual sd maximising the (penalised) likelihood, by golden-section
/// search on `ln sigma`, and the objective there (negative log likelihood plus
/// penalty).
pub(crate) fn profile_sigma(
    obs: &[Obs],
    g: &Globals,
    kappa: f64,
    prior: Option<SigmaPrior>,
) -> (f64, f64) {
    let f = |ls: f64| -> f64 {
        let pen = prior.map_or(0.0, |p| 0.5 * ((ls - p.mean_ln) / p.sd_ln).powi(2));
        pen - filter(obs, g, kappa, ls.exp()).log_lik
    };
    let (mut lo, mut hi) = (SIGMA_MIN.ln(), SIGMA_MAX.ln());
    const R: f64 = 0.618_033_988_749_894_9;
    let (mut x1, mut x2) = (hi - R * (hi - lo), lo + R * (hi - lo));
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..48 {
        if f1 < f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - R * (hi - lo);
            f1 = f(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + R * (hi - lo);
            f2 = f(x2);
        }
    }
    let ls = 0.5 * (lo + hi);
    (ls.exp(), f(ls))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(g: &[f64]) -> Vec<Obs> {
        g.iter()
            .map(|&g| Obs {
                g,
                react_sum: 0.0,
                react_weight: 0.0,
                dtheta: 0.0,
            })
            .collect()
    }

    #[test]
    fn a_constant_drift_filter_is_the_conjugate_normal_update() {
        // lambda = 1 and tau^2 fixed: the drift is a constant with prior
        // N(m, tau^2); after n observations its posterior is the conjugate one.
        let g = Globals {
            m: 0.02,
            lambda: 1.0,
            tau: 0.05,
            kappa: 0.0,
            beta: 0.0,
        };
        let x = [0.10, 0.06, 0.08, 0.12];
        let sigma = 0.04;
        let f = filter(&obs(&x), &g, 0.0, sigma);
        let prec = 1.0 / (g.tau * g.tau) + x.len() as f64 / (sigma * sigma);
        let mean = (g.m / (g.tau * g.tau) + x.iter().sum::<f64>() / (sigma * sigma)) / prec;
        assert!((f.var - 1.0 / prec).abs() < 1e-15);
        assert!((f.mean - mean).abs() < 1e-12);
    }

    #[test]
    fn the_profiled_sigma_maximises_the_likelihood() {
        let g = Globals {
            m: 0.0,
            lambda: 0.5,
            tau: 0.01,
            kappa: 0.0,
            beta: 0.0,
        };
        let o = obs(&[0.1, -0.05, 0.02, 0.08, -0.1, 0.03]);
        let (s, f) = profile_sigma(&o, &g, 0.0, None);
        for t in [0.9, 0.99, 1.01, 1.1] {
            assert!(-filter(&o, &g, 0.0, s * t).log_lik >= f - 1e-12);
        }
        // A penalty pulls sigma towards its centre.
        let (sp, _) = profile_sigma(
            &o,
            &g,
            0.0,
            Some(SigmaPrior {
                mean_ln: 0.01f64.ln(),
                sd_ln: 0.3,
            }),
        );
        assert!(sp < s);
    }
}
