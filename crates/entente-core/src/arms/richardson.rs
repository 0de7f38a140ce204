//! The multi-actor Richardson system `X_{t+1} - X_t = A X_t + G` and the
//! threat network that says who reacts to whom.

use nalgebra::{DMatrix, DVector, Schur};

use super::ArmsError;
use crate::ids::Ccode;
use crate::sources::Contiguity;
use crate::world::World;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
