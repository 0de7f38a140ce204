//! Tests of the spending model: recovery of simulated parameters, no leakage
//! past the cut-off, common random numbers, the threat response and reactions.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// States whose log spending follows the model with `m`, `lambda`, `tau` and
/// residual sds between 0.02 and 0.08, from 2000 for `years` years.
fn simulated(states: usize, years: usize, m: f64, lambda: f64, tau: f64, seed: u64) -> Panel {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let q = (tau * tau * (1.0 - lambda * lambda)).sqrt();
    let levels = (0..states)
        .map(|i| {
            let sigma = 0.02 + 0.06 * i as f64 / states as f64;
            let mut d = m + tau * normal(&mut rng);
            let mut y = (100.0 + 50.0 * i as f64).ln();
            (0..years)
                .map(|t| {
                    if t > 0 {
                        d = m + lambda * (d - m) + q * normal(&mut rng);
                        y += d + sigma * normal(&mut rng);
                    }
                    Some(y.exp())
                })
                .collect()
        })
        .collect();
    let names = (0..states).map(|i| format!("S{i}")).collect();
    Panel::new(names, 2000, levels).unwrap()
}

/// A threat history of `n` states over `years` years: slowly moving threat
/// and a ring of rivals.
fn threat_history(n: usize, years: usize, seed: u64) -> ThreatHistory {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let theta = (0..years)
        .map(|t| {
            (0..n)
                .map(|i| 0.05 + 0.01 * ((t + i) % 5) as f64 + 0.002 * rng.random::<f64>())
                .collect()
        })
        .collect();
    let weights = (0..years)
        .map(|_| {
            (0..n)
                .map(|i| (0..n).map(|j| f64::from(j == (i + 1) % n)).collect())
                .collect()
        })
        .collect();
    ThreatHistory::new(theta, weights).unwrap()
}

fn quick() -> FitConfig {
    FitConfig {
        calibration: Some(InnerCalibration {
            origins: 3,
            bootstrap: 20,
            ..FitConfig::default().calibration.unwrap()
        }),
        ..FitConfig::default()
    }
}

#[test]
fn estimation_recovers_a_simulated_panel() {
    let (m, lambda, tau) = (0.02, 0.8, 0.03);
    let panel = simulated(40, 40, m, lambda, tau, 5);
    let cfg = FitConfig {
        calibration: None,
        ..FitConfig::default()
    };
    let model = fit(&panel, 2039, &cfg).unwrap();
    let p = model.point_params();
    assert!((p.long_run_growth - m).abs() < 0.01, "{p:?}");
    assert!((p.drift_sd - tau).abs() < 0.012, "{p:?}");
    assert!((p.drift_persistence - lambda).abs() < 0.15, "{p:?}");
    // The residual sds: within 30% for nearly every state.
    let close = model
        .states()
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            let truth = 0.02 + 0.06 * *i as f64 / 40.0;
            (s.residual_sd / truth - 1.0).abs() < 0.3
        })
        .count();
    assert!(close >= 36, "{close} of 40");
    // The sds of the estimates are positive and small.
    let c = model.calibration();
    assert!(c[0].distribution.sd > 0.0 && c[0].distribution.sd < 0.01);
    assert_eq!(c.len(), 6);
    assert!(c.iter().zip(DrawParams::NAMES).all(|(c, n)| c.name == n));
}

/// Every value after `cutoff` replaced: spending, threat and weights.
fn scrambled_after(panel: &Panel, cutoff: i32) -> Panel {
    let n = panel.n_states();
    let levels = (0..n)
        .map(|i| {
            (panel.first_year()..=panel.last_year())
                .map(|y| {
                    if y > cutoff {
                        (y % 3 != 0).then(|| 1.0 + 1000.0 * (i + y as usize % 7) as f64)
                    } else {
                        panel.level(i, y)
                    }
                })
                .collect()
        })
        .collect();
    let th = panel.threat().unwrap();
    let years = panel.n_years();
    let cut = (cutoff - panel.first_year()) as usize;
    let theta = (0..years)
        .map(|t| {
            if t > cut {
                (0..n).map(|i| ((i * 7 + t) % 10) as f64 / 10.0).collect()
            } else {
                th.theta(t).to_vec()
            }
        })
        .collect();
    let weights = (0..years)
        .map(|t| {
            if t > cut {
                vec![vec![1.0; n]; n]
            } else {
                th.weights(t).to_vec()
            }
        })
        .collect();
    Panel::new(panel.names().to_vec(), panel.first_year(), levels)
        .unwrap()
        .with_threat(ThreatHistory::new(theta, weights).unwrap())
        .unwrap()
}

#[test]
fn nothing_after_the_cut_off_enters_the_fit_or_the_forecasts() {
    let base = simulated(8, 25, 0.03, 0.7, 0.03, 11);
    let panel = base.clone().with_threat(threat_history(8, 25, 3)).unwrap();
    let cutoff = 2016;
    let changed = scrambled_after(&panel, cutoff);
    assert_ne!(panel, changed);
    let a = fit(&panel, cutoff, &quick()).unwrap();
    let b = fit(&changed, cutoff, &quick()).unwrap();
    assert_eq!(a, b);
    assert!(a.diagnostics().threat_history && a.diagnostics().calibration_forecasts > 0);
    let w = vec![vec![1.0; 8]; 8];
    let inputs = ProjectionInputs::frozen(&a, 8, w).unwrap();
    let draw = |m: &Model| {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        m.project(
            &inputs,
            &m.params_at([0.3, 0.6, 0.5, 0.7, 0.4, 0.5]),
            &mut rng,
        )
    };
    let (pa, pb) = (draw(&a), draw(&b));
    assert_eq!(pa, pb);
    // Bit-identical, not merely equal within rounding.
    let bits = |p: &[Option<Vec<f64>>]| -> Vec<u64> {
        p.iter().flatten().flatten().map(|v| v.to_bits()).collect()
    };
    assert_eq!(bits(&pa), bits(&pb));
    // The backtest's forecasts too (its scores use the realised years).
    let spec = BacktestSpec {
        cutoff_year: cutoff,
        until: 2024,
        draws: 50,
        seed: 2,
        scored: (0..8).collect(),
    };
    let (ba, bb) = (
        backtest(&panel, &spec, &quick()).unwrap(),
        backtest(&changed, &spec, &quick()).unwrap(),
    );
    assert_eq!(ba.model, bb.model);
    assert_eq!(ba.draws, bb.draws);
}

fn model() -> Model {
    let panel = simulated(6, 20, 0.02, 0.8, 0.02, 21);
    fit(&panel, 2019, &quick()).unwrap()
}

fn params(reactivity: f64, threat: f64) -> DrawParams {
    DrawParams {
        long_run_growth: 0.02,
        drift_persistence: 0.8,
        drift_sd: 0.02,
        reactivity,
        threat_response_pct_per_pp: threat,
        noise_scale: 1.0,
    }
}

#[test]
fn options_share_their_noise_and_the_threat_response_is_a_level_effect() {
    let m = model();
    let n = m.n_states();
    // State 1 reacts to state 0 only.
    let mut w = vec![vec![0.0; n]; n];
    w[1][0] = 1.0;
    let quiet = ProjectionInputs::frozen(&m, 6, w.clone()).unwrap();
    // State 0's threat rises by 2 points from the second projected year on.
    let mut dtheta = vec![vec![0.0; n]; 6];
    for row in dtheta.iter_mut().skip(1) {
        row[0] = 0.02;
    }
    let tense = ProjectionInputs::new(&m, dtheta, w).unwrap();
    let p = params(0.5, 3.0);
    let (mut ra, mut rb) = (ChaCha8Rng::seed_from_u64(4), ChaCha8Rng::seed_from_u64(4));
    let a = m.project(&quiet, &p, &mut ra);
    let b = m.project(&tense, &p, &mut rb);
    // The stream is consumed identically whatever the inputs.
    assert_eq!(ra.random::<u64>(), rb.random::<u64>());
    let (a0, b0) = (a[0].as_ref().unwrap(), b[0].as_ref().unwrap());
    assert_eq!(a0[..2], b0[..2]);
    // 3% per point, 2 points: a level effect of exp(0.06) from year 2 on.
    for k in 2..=6 {
        assert!((b0[k] / a0[k] - 0.06f64.exp()).abs() < 1e-12, "year {k}");
    }
    // State 1 follows with elasticity 0.5 a year later, and stays there.
    let (a1, b1) = (a[1].as_ref().unwrap(), b[1].as_ref().unwrap());
    assert_eq!(a1[..3], b1[..3]);
    for k in 3..=6 {
        assert!((b1[k] / a1[k] - 0.03f64.exp()).abs() < 1e-12, "year {k}");
    }
    // No one else moves.
    for i in 2..n {
        assert_eq!(a[i], b[i]);
    }
}

#[test]
fn the_simulated_mean_matches_the_analytic_moments() {
    let m = model();
    let n = m.n_states();
    let p = params(0.0, 3.0);
    let w = vec![vec![0.0; n]; n];
    let inputs = ProjectionInputs::frozen(&m, 5, w.clone()).unwrap();
    let draws = 4000;
    let mut sum = vec![[0.0f64; 2]; n];
    for d in 0..draws {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        rng.set_stream(d);
        for (i, path) in m.project(&inputs, &p, &mut rng).iter().enumerate() {
            let y = path.as_ref().unwrap()[5].ln();
            sum[i][0] += y;
            sum[i][1] += y * y;
        }
    }
    let g = project::globals(&p);
    let mom = project::moments(&m.states, &g, &w, 5);
    for i in 0..n {
        let (mean, vd, vn) = mom[i].as_ref().unwrap()[4];
        let mc = sum[i][0] / draws as f64;
        let var = sum[i][1] / draws as f64 - mc * mc;
        let sd = (vd + vn).sqrt();
        assert!(
            (mc - mean).abs() < 4.0 * sd / (draws as f64).sqrt(),
            "{i}: {mc} vs {mean}"
        );
        assert!(
            (var / (vd + vn) - 1.0).abs() < 0.1,
            "{i}: {var} vs {}",
            vd + vn
        );
    }
}

#[test]
fn states_without_a_base_level_are_not_projected() {
    let wide = simulated(4, 12, 0.02, 0.5, 0.02, 3);
    let mut lv: Vec<Vec<Option<f64>>> = (0..4).map(|i| wide.history(i, 2011)).collect();
    lv[1][11] = None;
    lv[2] = vec![Some(0.0); 12];
    let panel = Panel::new(wide.names().to_vec(), 2000, lv).unwrap();
    let m = fit(&panel, 2011, &quick()).unwrap();
    assert!(m.states()[1].base_level_usd_m.is_none());
    assert!(m.states()[1].fit_years.is_some(), "fitted on 2000-2010");
    assert!(m.states()[2].fit_years.is_none());
    let inputs = ProjectionInputs::frozen(&m, 3, vec![vec![1.0; 4]; 4]).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let p = m.project(&inputs, &m.point_params(), &mut rng);
    assert!(p[0].is_some() && p[3].is_some());
    assert!(p[1].is_none() && p[2].is_none());
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let m = model();
    let n = m.n_states();
    assert!(ProjectionInputs::frozen(&m, 3, vec![vec![0.0; n]; n - 1]).is_err());
    let mut w = vec![vec![0.0; n]; n];
    w[0][1] = -1.0;
    assert!(matches!(
        ProjectionInputs::frozen(&m, 3, w),
        Err(ArmsError::Weight { i: 0, j: 1, .. })
    ));
    let w = vec![vec![0.0; n]; n];
    assert!(ProjectionInputs::new(&m, vec![vec![f64::NAN; n]], w.clone()).is_err());
    assert!(ProjectionInputs::new(&m, vec![vec![0.0; n + 1]], w.clone()).is_err());
    assert!(ProjectionInputs::frozen(&m, 2, w)
        .unwrap()
        .with_growth_shift(vec![0.0; n + 2])
        .is_err());
    let panel = simulated(3, 10, 0.02, 0.5, 0.02, 1);
    assert!(matches!(
        fit(&panel, 2020, &FitConfig::default()),
        Err(ArmsError::YearOutside { year: 2020, .. })
    ));
    assert!(Panel::new(vec!["A".into()], 2000, vec![vec![Some(-1.0)]]).is_err());
    assert!(Panel::new(vec!["A".into()], 2000, vec![vec![Some(f64::INFINITY)]]).is_err());
    assert!(panel.with_threat(threat_history(3, 9, 1)).is_err());
}
