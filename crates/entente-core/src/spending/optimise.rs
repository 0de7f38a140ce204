//! Numerical tools of the estimation: Nelder-Mead, a central-difference
//! Hessian, and the inverse of an information matrix.

use nalgebra::{DMatrix, SymmetricEigen};

/// Nelder-Mead minimisation (deterministic; standard coefficients).
pub(super) fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    x0: &[f64],
    step: &[f64],
    max_evals: usize,
) -> Vec<f64> {
    let n = x0.len();
    let mut pts: Vec<Vec<f64>> = vec![x0.to_vec()];
    for i in 0..n {
        let mut p = x0.to_vec();
        p[i] += step[i];
        pts.push(p);
    }
    let mut vals: Vec<f64> = pts.iter().map(|p| f(p)).collect();
    let mut evals = n + 1;
    while evals < max_evals {
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        pts = order.iter().map(|&i| pts[i].clone()).collect();
        vals = order.iter().map(|&i| vals[i]).collect();
        if (vals[n] - vals[0]).abs() < 1e-10 * (1.0 + vals[0].abs()) {
            break;
        }
        let c: Vec<f64> = (0..n)
            .map(|j| pts[..n].iter().map(|p| p[j]).sum::<f64>() / n as f64)
            .collect();
        let along =
            |t: f64| -> Vec<f64> { (0..n).map(|j| c[j] + t * (pts[n][j] - c[j])).collect() };
        let xr = along(-1.0);
        let fr = f(&xr);
        evals += 1;
        if fr < vals[0] {
            let xe = along(-2.0);
            let fe = f(&xe);
            evals += 1;
            if fe < fr {
                (pts[n], vals[n]) = (xe, fe);
            } else {
                (pts[n], vals[n]) = (xr, fr);
            }
        } else if fr < vals[n - 1] {
            (pts[n], vals[n]) = (xr, fr);
        } else {
            let xc = if fr < vals[n] {
                along(-0.5)
            } else {
                along(0.5)
            };
            let fc = f(&xc);
            evals += 1;
            if fc < vals[n].min(fr) {
                (pts[n], vals[n]) = (xc, fc);
            } else {
                for i in 1..=n {
                    pts[i] = (0..n)
                        .map(|j| pts[0][j] + 0.5 * (pts[i][j] - pts[0][j]))
                        .collect();
                    vals[i] = f(&pts[i]);
                }
                evals += n;
            }
        }
    }
    let best = (0..=n)
        .min_by(|&a, &b| vals[a].total_cmp(&vals[b]))
        .unwrap_or(0);
    pts[best].clone()
}

/// Central-difference Hessian.
pub(super) fn hessian(f: &dyn Fn(&[f64]) -> f64, x: &[f64], h: f64) -> DMatrix<f64> {
    let n = x.len();
    let at = |d: &[(usize, f64)]| {
        let mut p = x.to_vec();
        for &(i, v) in d {
            p[i] += v;
        }
        f(&p)
    };
    let f0 = f(x);
    let mut m = DMatrix::zeros(n, n);
    for i in 0..n {
        m[(i, i)] = (at(&[(i, h)]) - 2.0 * f0 + at(&[(i, -h)])) / (h * h);
        for j in 0..i {
            let v = (at(&[(i, h), (j, h)]) - at(&[(i, h), (j, -h)]) - at(&[(i, -h), (j, h)])
                + at(&[(i, -h), (j, -h)]))
                / (4.0 * h * h);
            m[(i, j)] = v;
            m[(j, i)] = v;
        }
    }
    m
}

/// The inverse of a symmetric information matrix, through its eigenvalues
/// (absolute values, floored, when it is not positive definite).
pub(super) fn covariance(info: &DMatrix<f64>) -> (DMatrix<f64>, bool) {
    let e = SymmetricEigen::new(info.clone());
    let max = e.eigenvalues.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let regularised = e
        .eigenvalues
        .iter()
        .any(|&v| v.is_nan() || v <= 1e-10 * max.max(1e-300));
    let inv = e
        .eigenvalues
        .map(|v| 1.0 / v.abs().max(1e-8 * max.max(1e-300)));
    (
        &e.eigenvectors * DMatrix::from_diagonal(&inv) * e.eigenvectors.transpose(),
        regularised,
    )
}

pub(super) fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    })
}
