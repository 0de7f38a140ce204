//! The warhead model on the bundled FAS stockpiles: its backtest from 2015
//! (the named test of docs/nuclear.md), no leakage past a cut-off, and the
//! chain's warhead link, which an option moves only through threat.

use entente_core::scenario::Param;
use entente_core::simulation::corners::MECHANISMS_OFF;
use entente_core::simulation::{claims, ClaimStatus, Prepared};
use entente_core::threat::ThreatConfig;
use entente_core::warheads::backtest::{backtest, BacktestConfig};
use entente_core::warheads::{fit_panel, history, FitConfig};
use entente_core::world::Archive;
use entente_data::world_data::{load, DataSource};

fn flagship_actors(archive: &Archive) -> Vec<entente_core::ids::Ccode> {
    entente_data::scenario::parse_scenario(
        entente_data::scenario::FLAGSHIP,
        "nato-ip4.toml",
        archive,
    )
    .expect("flagship")
    .actors
}

fn threat_to(archive: &Archive, until: i32) -> ThreatConfig {
    let f = entente_core::hazard::fit::fit(
        archive,
        entente_core::hazard::fit::FitConfig::until(until.min(2014)),
    )
    .expect("hazard fit");
    ThreatConfig::from_fit(&f)
}

#[test]
fn fitted_to_2015_the_model_beats_persistence_on_2016_to_2023() {
    let loaded = load(&DataSource::bundled()).expect("bundled data");
    let archive = Archive::new(loaded.sources).expect("archive");
    let actors = flagship_actors(&archive);
    let cfg = BacktestConfig {
        fit_until: 2015,
        until: 2023,
        draws: 400,
        seed: 20240710,
    };
    let b = backtest(&archive, &actors, &threat_to(&archive, 2015), cfg).expect("backtest");
    assert_eq!(b.model.until, 2015);
    // The seven nuclear states among the flagship's actors, eight years each.
    assert_eq!(b.model.names.len(), 7, "{:?}", b.model.names);
    assert_eq!(b.rows.len(), 7 * 8);
    let prk = b.state("PRK");
    assert_eq!(prk.len(), 8);
    assert_eq!(prk[0].origin, 5.0);
    // The skill docs/nuclear.md reports (0.58 at 1000 draws): above zero
    // overall and for North Korea, whose arsenal persistence holds at 5.
    assert!(b.skill() > 0.3, "skill {}", b.skill());
    let (m, p): (f64, f64) = prk.iter().fold((0.0, 0.0), |a, r| {
        (a.0 + r.crps_log, a.1 + r.persistence_crps_log)
    });
    assert!(m < p, "North Korea: {m} against persistence {p}");
    assert!(b.coverage90() > 0.7, "coverage {}", b.coverage90());
    // Young arsenals grow, large ones shrink.
    assert!(b.model.coef[1] < 0.0);
}

#[test]
fn nothing_after_the_cut_off_reaches_the_warhead_fit() {
    let loaded = load(&DataSource::bundled()).expect("bundled data");
    let sources = loaded.sources;
    let archive = Archive::new(sources.clone()).expect("archive");
    let actors = flagship_actors(&archive);
    let cfg = threat_to(&archive, 2015);
    let fit = |a: &Archive| {
        let (_, h) = history(a, &actors, 2015, &cfg).unwrap();
        assert_eq!(h.last_year(), 2015);
        fit_panel(
            &h,
            &FitConfig {
                until: 2015,
                ..FitConfig::default()
            },
        )
        .unwrap()
    };
    let mut later = sources;
    for r in later.warheads.iter_mut().filter(|r| r.year > 2015) {
        r.stockpile *= 10.0;
    }
    let changed = Archive::new(later).expect("archive");
    assert_eq!(fit(&archive), fit(&changed));
}

#[test]
fn an_option_moves_north_koreas_stockpile_only_through_threat() {
    let loaded = load(&DataSource::bundled()).expect("bundled data");
    let archive = Archive::new(loaded.sources).expect("archive");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scenarios/warheads.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let sc = entente_data::scenario::parse_scenario(&text, path, &archive).expect("scenario");
    // The elasticity varies here (a claim reads warheads) ...
    assert!(sc.uncertain().contains(&Param::WarheadThreatElasticity));
    let prep = Prepared::new(&archive, &sc, loaded.hazard_coefficients).expect("prepare");
    let link = prep.warheads.as_ref().expect("the warhead link is fitted");
    assert_eq!(link.model.until, 2024);
    // ... with the fit's estimate as its prior.
    let prior = &prep.priors[Param::WarheadThreatElasticity.index()];
    assert!(
        prior.origin.describe().starts_with("estimated to 2024"),
        "{}",
        prior.origin.describe()
    );
    let d0 = prep.run_draw(0).expect("draw 0");
    let v = |o: usize| d0.options[o].claim_values[0];
    assert!(v(0).is_finite() && v(0) > 30.0, "status quo {}", v(0));
    let beta = d0.params[Param::WarheadThreatElasticity.index()];
    assert!(beta != 0.0);
    // The pact raises North Korea's threat, so the stockpile follows beta's sign.
    let prk = sc
        .actors
        .iter()
        .position(|c| prep.base.label(*c) == "PRK")
        .unwrap();
    assert!(d0.options[1].theta[prk] > d0.options[0].theta[prk]);
    assert_eq!(
        v(1) > v(0),
        beta > 0.0,
        "{} vs {} at beta {beta}",
        v(1),
        v(0)
    );

    // With every mechanism weight at zero (beta among them) the option moves nothing.
    let run = prep.run_corners().expect("corners");
    let off = run.iter().find(|k| k.label == MECHANISMS_OFF).unwrap();
    assert_eq!(off.params.get(Param::WarheadThreatElasticity), 0.0);
    let r = &off.result;
    assert_eq!(r.options[0].claim_values[0], r.options[1].claim_values[0]);

    // The claim is modelled, and its status is the engine's.
    let all: Vec<usize> = (0..prep.draws()).collect();
    let results = prep.run(&all, &|| {}).expect("draws");
    let out = claims(&prep, &results).expect("claims");
    assert_ne!(out[0].status, ClaimStatus::NotModelled);
    assert_ne!(out[0].status, ClaimStatus::Structural);
    assert!(out[0].probability.is_some());
}

#[test]
fn a_scenario_without_a_warhead_claim_does_not_vary_the_elasticity() {
    let loaded = load(&DataSource::bundled()).expect("bundled data");
    let archive = Archive::new(loaded.sources).expect("archive");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scenarios/small.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let sc = entente_data::scenario::parse_scenario(&text, path, &archive).expect("scenario");
    assert!(!sc.uncertain().contains(&Param::WarheadThreatElasticity));
}
