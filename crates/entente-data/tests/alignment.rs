//! The alignment link faces history (issue 14): the flagship's actors take
//! their observed places in 2010, 2016, 2020 and 2024 with weights fitted on
//! the years before each, North Korea stands with China, the new-tie forecast
//! from 2010 beats the realised share of new ties, and nothing after a
//! cut-off reaches a fit.

use entente_core::alignment::Side;
use entente_core::scenario::Scenario;
use entente_core::simulation::align;
use entente_core::world::{Archive, World};
use entente_data::world_data::{load, DataSource};

fn flagship() -> (Archive, Scenario) {
    let loaded = load(&DataSource::bundled()).expect("bundled data");
    let archive = Archive::new(loaded.sources).expect("archive");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/nato-ip4.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let sc = entente_data::scenario::parse_scenario(&text, path, &archive).expect("scenario");
    (archive, sc)
}

#[test]
fn observed_places_are_modal_and_north_korea_stands_with_china() {
    let (archive, sc) = flagship();
    let nato = World::for_year(&archive, sc.base_year)
        .unwrap()
        .group("NATO")
        .to_vec();
    let prk = World::for_year(&archive, 2024)
        .unwrap()
        .resolve("PRK", &archive)
        .unwrap()[0];
    for year in [2010, 2016, 2020, 2024] {
        let a = align::align_year(&archive, &sc, year, 48).expect("align");
        let world = World::for_year(&archive, year).unwrap();
        let mut agree = 0;
        let mut misses = Vec::new();
        let mut total = 0;
        for (u, unit) in a.units.iter().enumerate() {
            if unit.members.iter().all(|c| nato.contains(c)) {
                continue;
            }
            total += unit.members.len();
            if a.modal(u) == a.observed[u] {
                agree += unit.members.len();
            } else {
                misses.push(format!(
                    "{} observed {} modal {} {:?}",
                    unit.label,
                    a.observed[u].name(),
                    a.modal(u).name(),
                    a.shares(u)
                ));
            }
        }
        assert!(total >= 15, "{year}: {total} non-NATO actors");
        let share = agree as f64 / total as f64;
        assert!(
            share >= 0.85,
            "{year}: {agree} of {total} at their observed place; {misses:?}"
        );
        let u = a.units.iter().position(|u| u.members == [prk]).unwrap();
        assert_eq!(a.observed[u], Side::East, "{year}: North Korea's treaties");
        let east = a.shares(u)[1];
        assert!(east >= 0.8, "{year}: North Korea east in {east}");
        // Every unit stands somewhere in every draw.
        for (u, c) in a.counts.iter().enumerate() {
            assert_eq!(
                c.iter().sum::<u32>() as usize,
                a.draws,
                "{}",
                a.units[u].label
            );
        }
        assert_eq!(world.year, year);
    }
}

#[test]
fn new_tie_forecast_from_2010_beats_the_realised_share() {
    let (archive, sc) = flagship();
    let cov = archive.coverage();
    let hazard = entente_core::hazard::fit::fit(
        &archive,
        entente_core::hazard::fit::FitConfig::until(cov.disputes_last.unwrap().min(2010)),
    )
    .unwrap();
    let anchors = &sc.framing.anchors;
    let records = align::history(
        &archive,
        &sc.actors,
        anchors,
        &hazard,
        align::HISTORY_FROM,
        2018,
    )
    .unwrap();
    let fit = align::fit_weights(&records, 2009).unwrap();
    let (w, _) = fit.point();
    let upto: Vec<align::YearRecord> = records.iter().filter(|r| r.year <= 2010).cloned().collect();
    let model = align::fit_ties(&upto, &w, 8, 2010).unwrap();
    assert!(model.base_years.1 <= 2002, "{:?}", model.base_years);
    let base = records.iter().find(|r| r.year == 2010).unwrap();
    let later: Vec<&align::YearRecord> = records.iter().filter(|r| r.year > 2010).collect();
    let f = align::tie_forecasts(base, &later, &w, &model);
    let (p, y): (Vec<f64>, Vec<bool>) = f.iter().filter_map(|t| Some((t.p?, t.formed?))).unzip();
    let formed = y.iter().filter(|v| **v).count();
    assert!(formed > 0 && formed < y.len(), "{formed} of {}", y.len());
    let rate = formed as f64 / y.len() as f64;
    let b = entente_core::scoring::brier_score(&p, &y).unwrap();
    let b0 = entente_core::scoring::brier_score(&vec![rate; y.len()], &y).unwrap();
    assert!(b < b0, "Brier {b} vs {b0} for the realised share {rate}");
}

#[test]
fn nothing_after_the_cut_off_reaches_the_fits() {
    let (archive, sc) = flagship();
    let hazard =
        entente_core::hazard::fit::fit(&archive, entente_core::hazard::fit::FitConfig::until(2000))
            .unwrap();
    let anchors = &sc.framing.anchors;
    let short = align::history(
        &archive,
        &sc.actors,
        anchors,
        &hazard,
        align::HISTORY_FROM,
        2000,
    )
    .unwrap();
    let long = align::history(
        &archive,
        &sc.actors,
        anchors,
        &hazard,
        align::HISTORY_FROM,
        2012,
    )
    .unwrap();
    let a = align::fit_weights(&short, 2000).unwrap();
    let b = align::fit_weights(&long, 2000).unwrap();
    assert_eq!(a, b);
    let (w, _) = a.point();
    assert_eq!(
        align::fit_ties(&short, &w, 5, 2000).unwrap(),
        align::fit_ties(&long, &w, 5, 2000).unwrap()
    );
}

/// The alignment step with every state in the system (issue 14's speed
/// check): past the exact solver's cap the heuristic solves it, and says so;
/// the anchors stand on their own sides.
#[test]
fn every_state_in_the_system_is_aligned_by_the_heuristic() {
    use entente_core::alignment::{GroundConfig, Solver, Unit};
    let (archive, sc) = flagship();
    let world = World::for_year(&archive, 2024).unwrap();
    let actors: Vec<_> = world.states.iter().map(|s| s.ccode).collect();
    assert!(actors.len() > 190, "{}", actors.len());
    let hazard =
        entente_core::hazard::fit::fit(&archive, entente_core::hazard::fit::FitConfig::until(2014))
            .unwrap();
    let history = align::history(
        &archive,
        &sc.actors,
        &sc.framing.anchors,
        &hazard,
        1990,
        2023,
    )
    .unwrap();
    let fit = align::fit_weights(&history, 2023).unwrap();
    let (w, cost) = fit.point();
    let cfg = entente_core::threat::ThreatConfig::from_fit(&hazard);
    let th = entente_core::threat::threat(&archive, &world, &actors, &cfg);
    let terms = entente_core::alignment::propensity::features(&world, &th, &actors);
    let units: Vec<Unit> = actors
        .iter()
        .map(|&c| Unit {
            label: world.label(c),
            members: vec![c],
        })
        .collect();
    let ground = GroundConfig::default();
    assert_eq!(align::solver_for(units.len(), &ground), Solver::Heuristic);
    let at = |iso: &str| actors.iter().position(|&c| world.label(c) == iso);
    let places = align::solve(
        &world,
        &units,
        &terms,
        &w,
        cost,
        at("USA"),
        at("CHN"),
        &ground,
    )
    .expect("solved");
    assert_eq!(places.len(), actors.len());
    assert_eq!(places[at("USA").unwrap()], Side::West);
    assert_eq!(places[at("CHN").unwrap()], Side::East);
    // Every NATO member is allied to the USA: it stands west.
    for &c in world.group("NATO") {
        let i = actors.iter().position(|&a| a == c).unwrap();
        assert_eq!(places[i], Side::West, "{}", world.label(c));
    }
}
