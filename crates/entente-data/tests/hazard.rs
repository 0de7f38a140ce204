//! The refit dispute-onset model on the bundled data: signs against Miller
//! (2022), no leakage past the cut-off, determinism.

use entente_core::hazard::backtest::{backtest, BacktestConfig};
use entente_core::hazard::fit::{fit, FitConfig};
use entente_core::hazard::model::Regressor;
use entente_core::world::Archive;
use entente_data::world_data::{load, DataSource};

fn loaded() -> (Archive, entente_core::hazard::Coefficients) {
    let l = load(&DataSource::bundled()).expect("bundled data load");
    (Archive::new(l.sources).expect("archive"), l.hazard_coefficients)
}

#[test]
fn explore() {
    let (a, miller) = loaded();
    let t = std::time::Instant::now();
    let w = entente_core::world::World::for_year(&a, 1990).unwrap();
    eprintln!("one world {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let s = entente_core::hazard::frame::build(&a, 1946, 1995).unwrap();
    eprintln!("frame {:?} rows {}", t.elapsed(), s.rows.len());
    let t = std::time::Instant::now();
    let _ = entente_core::hazard::fit::fit_sample(&s).unwrap();
    eprintln!("fit_sample {:?}", t.elapsed());
    let _ = w;
    let t = std::time::Instant::now();
    let f = fit(&a, FitConfig::until(1995)).unwrap();
    eprintln!("fit {:?}", t.elapsed());
    for r in Regressor::ALL {
        eprintln!("{:20} {:9.4} {:7.4}", r.name(), f.model.coefficient(r), f.model.se(r));
    }
    eprintln!("{:?} incomplete {} cont {}", f.model.info, f.incomplete, f.continuations);
    eprintln!("join def {:?} con {:?}", f.joining_defence, f.joining_consultation);
    let t = std::time::Instant::now();
    let b = backtest(&a, &miller, BacktestConfig { fit_until: 1995, until: 2014, bins: 10 }).unwrap();
    eprintln!("backtest {:?}", t.elapsed());
    eprintln!("rows {} onsets {} base {}", b.rows, b.onsets, b.base_rate);
    eprintln!("model {:?}\nbase {:?}\npub {:?}\nbss {} pbss {}", b.model, b.base, b.published, b.brier_skill(), b.published_brier_skill());
    for bin in &b.reliability { eprintln!("{:?}", bin); }
}

#[test]
fn explore_peace_basis() {
    use entente_core::hazard::{fit, frame, model};
    let (a, _) = loaded();
    let s = frame::build(&a, 1946, 1995).unwrap();
    let held = frame::build(&a, 1996, 2014).unwrap();
    let rows: Vec<&frame::DyadYear> = s.rows.iter().filter(|r| r.x.cincprop.is_some() && r.x.min_democracy.is_some() && r.x.min_militarisation.is_some() && r.x.peace_years.is_some()).collect();
    let sc = fit::scaling(&rows);
    let mut ts: Vec<f64> = rows.iter().map(|r| r.x.peace_years.unwrap()).collect();
    ts.sort_by(f64::total_cmp);
    let q = |p: f64| ts[(p * (ts.len() - 1) as f64) as usize];
    eprintln!("peace years quantiles 50 {} 75 {} 90 {} 95 {} 99 {} max {}", q(0.5), q(0.75), q(0.9), q(0.95), q(0.99), q(1.0));
    let bases: Vec<(&str, Box<dyn Fn(f64) -> [f64; 3]>)> = vec![
        ("cubic t/10 cap60", Box::new(|t: f64| { let u = t.min(60.0) / 10.0; [u, u * u, u * u * u] })),
        ("cubic t/10 cap40", Box::new(|t: f64| { let u = t.min(40.0) / 10.0; [u, u * u, u * u * u] })),
        ("cubic t/10 cap30", Box::new(|t: f64| { let u = t.min(30.0) / 10.0; [u, u * u, u * u * u] })),
        ("cubic ln1p", Box::new(|t: f64| { let u = t.ln_1p(); [u, u * u, u * u * u] })),
        ("cubic t/10 nocap", Box::new(|t: f64| { let u = t / 10.0; [u, u * u, u * u * u] })),
    ];
    for (name, f) in &bases {
        let x: Vec<[f64; model::K]> = rows.iter().map(|r| { let mut d = model::design(&r.x, &sc); let b = f(r.x.peace_years.unwrap()); d[10] = b[0]; d[11] = b[1]; d[12] = b[2]; d }).collect();
        let y: Vec<bool> = rows.iter().map(|r| r.onset).collect();
        let l = fit::logit(&x, &y).unwrap();
        let pr = |r: &frame::DyadYear| { let mut d = model::design(&r.x, &sc); let b = f(r.x.peace_years.unwrap_or(sc.peace_years.mean)); d[10] = b[0]; d[11] = b[1]; d[12] = b[2]; let z: f64 = d.iter().zip(l.coef.iter()).map(|(a, b)| a * b).sum(); 1.0 / (1.0 + (-z).exp()) };
        let p: Vec<f64> = held.rows.iter().map(pr).collect();
        let yo: Vec<bool> = held.rows.iter().map(|r| r.onset).collect();
        let curve: Vec<String> = [0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 40.0, 60.0, 100.0].iter().map(|&t| { let b = f(t); format!("{t}:{:.2}", b[0] * l.coef[10] + b[1] * l.coef[11] + b[2] * l.coef[12]) }).collect();
        eprintln!("{name:20} ll {:.2} brier {:.6} ls {:.5} auc {:.4} | {}", l.log_likelihood, entente_core::scoring::brier_score(&p, &yo).unwrap(), entente_core::scoring::log_score(&p, &yo).unwrap(), entente_core::scoring::auroc(&p, &yo).unwrap(), curve.join(" "));
    }
}
