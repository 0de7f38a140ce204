//! Arms dynamics: Richardson's reference fit and the model's invariants.

use entente_core::arms::{two_bloc_fit, Richardson, ThreatNetwork};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

const BUDGETS: &str = include_str!("../../../tests/fixtures/richardson/richardson_1909_1913.csv");
const FIT: &str = include_str!("../../../tests/fixtures/richardson/richardson_1909_1913_fit.csv");

/// (year, [france, russia, germany, austria_hungary]) from the fixture.
fn budgets() -> Vec<(i32, [f64; 4])> {
    BUDGETS
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = |i: usize| f[i].parse::<f64>().unwrap();
            (f[0].parse().unwrap(), [n(1), n(2), n(3), n(4)])
        })
        .collect()
}

fn expected(stat: &str) -> f64 {
    FIT.lines()
        .find_map(|l| l.strip_prefix(&format!("{stat},")))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn richardson_1909_1913_reference() {
    let b = budgets();
    let years: Vec<i32> = b.iter().map(|r| r.0).collect();
    let totals: Vec<f64> = b.iter().map(|r| r.1.iter().sum()).collect();
    let f = two_bloc_fit(&years, &totals).unwrap();
    assert!((f.slope_per_year - expected("slope_k_minus_alpha_per_year")).abs() < 0.002);
    assert!((f.intercept - expected("intercept_g_plus_h")).abs() < 0.5);
    let eq = f.equilibrium_total.unwrap();
    assert!(
        (eq - expected("x_intercept_equilibrium_total")).abs() < 0.5,
        "{eq}"
    );
    assert!((f.r - expected("pearson_r")).abs() < 0.0005, "{}", f.r);
    // The per-interval table of the reference.
    let rows: Vec<Vec<f64>> = FIT
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split(',').skip(1).map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), f.intervals.len());
    for (r, i) in rows.iter().zip(&f.intervals) {
        assert!((r[0] - i.delta_total).abs() < 1e-9);
        assert!((r[1] - i.mean_total).abs() < 1e-9);
        assert!((r[2] - i.fitted_delta).abs() < 0.01);
    }
}

/// A random system whose transition `I + A` is non-negative with every row
/// summing to `rho`, so its spectral radius is exactly `rho` (Perron-Frobenius).
/// Row i keeps `keep_i` of it on the diagonal and spreads the rest over its
/// rivals (the random edges), or keeps all of it when it has none.
fn system(
    n: usize,
    keep: &[f64],
    edges: &[bool],
    shares: &[f64],
    g: &[f64],
    rho: f64,
) -> Richardson {
    let mut w = DMatrix::zeros(n, n);
    let mut k = DMatrix::zeros(n, n);
    let mut own = DVector::zeros(n);
    for i in 0..n {
        let rivals: Vec<usize> = (0..n).filter(|&j| j != i && edges[i * n + j]).collect();
        if rivals.is_empty() {
            own[i] = rho - 1.0;
            continue;
        }
        own[i] = keep[i] * rho - 1.0;
        let total: f64 = rivals.iter().map(|&j| shares[i * n + j]).sum();
        for &j in &rivals {
            w[(i, j)] = 1.0;
            k[(i, j)] = (1.0 - keep[i]) * rho * shares[i * n + j] / total;
        }
    }
    let net = ThreatNetwork::new(w).unwrap();
    Richardson::new(own, k, DVector::from_column_slice(g), &net).unwrap()
}

type Inputs = (usize, Vec<f64>, Vec<bool>, Vec<f64>, Vec<f64>, Vec<f64>);

fn inputs() -> impl Strategy<Value = Inputs> {
    (1usize..6).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(0.05f64..0.95, n),
            proptest::collection::vec(any::<bool>(), n * n),
            proptest::collection::vec(0.1f64..1.0, n * n),
            proptest::collection::vec(-50.0f64..200.0, n),
            proptest::collection::vec(0.0f64..1000.0, n),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn stable_systems_converge_to_the_equilibrium(
        (n, keep, edges, shares, g, x0) in inputs(),
        rho in 0.3f64..0.95,
    ) {
        let r = system(n, &keep, &edges, &shares, &g, rho);
        let sr = r.spectral_radius().unwrap();
        prop_assert!((sr - rho).abs() < 1e-6, "spectral radius {sr}, row sums {rho}");
        prop_assert!(r.stable().unwrap());
        let eq = r.equilibrium().unwrap();
        let path = r.iterate(&DVector::from_vec(x0), 1500);
        let last = path.last().unwrap();
        let scale = 1.0 + eq.amax();
        prop_assert!((last - &eq).amax() <= 1e-6 * scale, "{last} vs {eq}");
        // The equilibrium is a fixed point of the annual step.
        prop_assert!((r.step(&eq) - &eq).amax() <= 1e-9 * scale);
    }

    #[test]
    fn unstable_systems_are_reported_unstable(
        (n, keep, edges, shares, g, x0) in inputs(),
        rho in 1.05f64..2.0,
    ) {
        let r = system(n, &keep, &edges, &shares, &g, rho);
        let sr = r.spectral_radius().unwrap();
        prop_assert!((sr - rho).abs() < 1e-6, "spectral radius {sr}, row sums {rho}");
        prop_assert!(!r.stable().unwrap());
        // A positive displacement from the equilibrium grows like rho^t.
        if let Ok(eq) = r.equilibrium() {
            let start = &eq + DVector::from_element(n, 1.0) + DVector::from_vec(x0) * 1e-3;
            let path = r.iterate(&start, 100);
            let d0 = (&path[0] - &eq).norm();
            let d = (path.last().unwrap() - &eq).norm();
            prop_assert!(d > 10.0 * d0, "distance {d0} -> {d}");
        }
    }
}
