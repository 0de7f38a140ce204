//! The refit dispute-onset model on the bundled data: signs against Miller
//! (2022), nothing after the cut-off leaks into the fit, determinism.

use entente_core::hazard::fit::{fit, FitConfig, Fitted};
use entente_core::hazard::model::Regressor;
use entente_core::sources::Sources;
use entente_core::world::Archive;
use entente_data::world_data::{load, DataSource};

fn sources() -> Sources {
    load(&DataSource::bundled())
        .expect("bundled data load")
        .sources
}

fn fitted(src: Sources, until: i32) -> Fitted {
    fit(
        &Archive::new(src).expect("archive"),
        FitConfig::until(until),
    )
    .expect("fit")
}

#[test]
fn the_refit_agrees_with_millers_signs() {
    // The fit the engine uses: all dispute data (1946-2014).
    let f = fitted(sources(), 2014);
    let m = &f.model;
    let c = |r| m.coefficient(r);
    assert!(c(Regressor::LandContiguity) > 0.0, "contiguity");
    assert!(c(Regressor::CapabilityRatio) > 0.0, "parity is dangerous");
    assert!(c(Regressor::DefencePact) < 0.0, "defence pact");
    assert!(c(Regressor::WeakLinkDemocracy) < 0.0, "democratic peace");
    // The first three of those are estimated sharply; the defence pact is not
    // (docs/threat.md): once UN affinity is in the model it is within two
    // standard errors of zero, and this test says so if that changes.
    for r in [
        Regressor::LandContiguity,
        Regressor::CapabilityRatio,
        Regressor::WeakLinkDemocracy,
        Regressor::IdealPointDistance,
    ] {
        assert!(c(r).abs() > 4.0 * m.se(r), "{} is not sharp", r.name());
    }
    assert!(c(Regressor::DefencePact).abs() < 2.0 * m.se(Regressor::DefencePact));
    assert_eq!((m.info.first_year, m.info.last_year), (1946, 2014));
    assert!(m.info.dyad_years > 70_000 && m.info.onsets > 1_500);
    // Joining rates: defence allies join more often than consultation partners.
    assert!(f.joining_defence.rate > f.joining_consultation.rate);
    assert!(f.joining_defence.rate > 0.0 && f.joining_defence.rate < 0.2);
}

#[test]
fn nothing_after_the_cut_off_reaches_the_fit() {
    const CUT: i32 = 1995;
    let original = sources();
    let mut changed = original.clone();
    // Rewrite every data set the fit reads, after the cut-off only.
    changed.disputes.retain(|d| d.year <= CUT);
    let extra = entente_core::sources::DisputeYear {
        ccode1: entente_core::ids::Ccode(2),
        ccode2: entente_core::ids::Ccode(20),
        year: 2000,
        onset: true,
        hostlev: 4,
        fatality: Some(0),
        dispnum: 99_999,
    };
    changed.disputes.push(extra);
    for r in changed.nmc.iter_mut().filter(|r| r.year > CUT) {
        r.milper_k = r.milper_k.map(|v| v * 3.0);
        r.cinc = r.cinc.map(|v| v * 0.5);
        r.irst_kt = r.irst_kt.map(|v| v * 7.0);
    }
    for r in changed.democracy.iter_mut().filter(|r| r.year > CUT) {
        r.uds = Some(-1.5);
    }
    for r in changed.ideal_points.iter_mut().filter(|r| r.year > CUT) {
        r.ideal_point += 1.0;
    }
    for r in changed.atop.iter_mut().filter(|r| r.year > CUT) {
        r.obligations.defence = !r.obligations.defence;
    }
    let a = fitted(original, CUT);
    let b = fitted(changed, CUT);
    assert_eq!(a, b, "data after {CUT} changed the fit");
}

#[test]
fn the_fit_does_not_depend_on_the_thread_count() {
    let src = sources();
    let archive = Archive::new(src).expect("archive");
    let many = fit(&archive, FitConfig::until(1990)).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| fit(&archive, FitConfig::until(1990)).unwrap());
    assert_eq!(many, one);
}
