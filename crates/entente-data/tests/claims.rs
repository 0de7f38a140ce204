//! The claims ledger on the small test scenario with the bundled data: the
//! corners of the prior box, and the zero-weight check behind a claim's status.

use entente_core::scenario::Param;
use entente_core::simulation::corners::MECHANISMS_OFF;
use entente_core::simulation::{claims, ClaimStatus, Prepared};
use entente_core::world::Archive;
use entente_data::world_data::{load, DataSource};

#[test]
fn with_every_mechanism_weight_at_zero_a_pact_moves_no_spending_and_statuses_follow() {
    let loaded = load(&DataSource::bundled()).expect("bundled data");
    let archive = Archive::new(loaded.sources).expect("archive");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scenarios/small.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let sc = entente_data::scenario::parse_scenario(&text, path, &archive).expect("scenario");
    let prep = Prepared::new(&archive, &sc, loaded.hazard_coefficients).expect("prepare");

    // The corners: 2 + 2 per uncertain parameter + mechanisms high + mechanisms off.
    let corners = prep.corner_params();
    assert_eq!(corners.len(), 2 + 2 * prep.uncertain.len() + 2);
    let (label, off) = corners.last().unwrap();
    assert_eq!(label, MECHANISMS_OFF);
    for p in Param::ALL {
        if p.is_mechanism() {
            assert_eq!(off.get(p), 0.0, "{}", p.name());
        } else {
            let m = prep.priors[p.index()].prior.at(0.5);
            assert_eq!(off.get(p), m, "{}", p.name());
        }
    }

    // With the threat response, the reactivity (and states' own elasticities)
    // at zero, the pact cannot move China's spending path: treatment and
    // baseline are identical there.
    let run = prep.run_corners().expect("corners");
    let corner = run.iter().find(|k| k.label == MECHANISMS_OFF).unwrap();
    assert_eq!(&corner.params, off);
    let r = &corner.result;
    let china = sc
        .actors
        .iter()
        .position(|c| archive_label(&prep, *c) == "CHN")
        .unwrap();
    let (t, b) = (&r.options[1].milex[china], &r.options[0].milex[china]);
    assert_eq!(
        t, b,
        "China's path moves with every mechanism weight at zero"
    );
    // ... while at the draws' parameters it moves.
    let d0 = prep.run_draw(0).expect("draw 0");
    assert_ne!(d0.options[1].milex[china], d0.options[0].milex[china]);

    // The statuses over the whole design.
    let all: Vec<usize> = (0..prep.draws()).collect();
    let results = prep.run(&all, &|| {}).expect("draws");
    let out = claims(&prep, &results).expect("claims");
    let status = |id: &str| {
        let i = sc.claims.iter().position(|c| c.id == id).unwrap();
        (
            out[i].status,
            out[i].probability,
            out[i].without_mechanisms().cloned(),
        )
    };
    assert_eq!(status("not-modelled").0, ClaimStatus::NotModelled);
    assert_eq!(status("pact-moves-bargaining").0, ClaimStatus::Structural);
    let (st, _, off) = status("china-spends-more");
    assert_ne!(st, ClaimStatus::Structural);
    // China's spending difference is exactly zero with the mechanisms off, so
    // "spends more" (above 0) fails there.
    let off = off.expect("the mechanisms-off corner is judged");
    assert_eq!(off.difference, 0.0);
    assert_eq!(off.holds, Some(false));
    // No claim with probability 0 or 1 is empirical.
    for (c, r) in sc.claims.iter().zip(&out) {
        if matches!(r.probability, Some(x) if x == 0.0 || x == 1.0) {
            assert_ne!(r.status, ClaimStatus::Empirical, "{}", c.id);
        }
    }
}

fn archive_label(prep: &Prepared, c: entente_core::ids::Ccode) -> String {
    prep.base.label(c)
}

#[test]
fn the_flagships_bargaining_is_natos_decision_weighted_by_spending() {
    let loaded = load(&DataSource::bundled()).expect("bundled data");
    let archive = Archive::new(loaded.sources).expect("archive");
    let text = entente_data::scenario::FLAGSHIP;
    let sc =
        entente_data::scenario::parse_scenario(text, "nato-ip4.toml", &archive).expect("flagship");
    assert_eq!(
        sc.influence,
        entente_core::scenario::Influence::MilitarySpending
    );
    let w = entente_core::world::World::for_year(&archive, sc.base_year).unwrap();
    let mut want: Vec<_> = w.group("NATO").to_vec();
    want.extend_from_slice(w.group("IP4"));
    want.sort_unstable();
    let mut got: Vec<_> = sc.stakeholders.iter().map(|s| s.state).collect();
    got.sort_unstable();
    assert_eq!(
        got, want,
        "the stakeholders are NATO's members and the IP4, once each"
    );
    let prep = Prepared::new(&archive, &sc, loaded.hazard_coefficients).expect("prepare");
    // Influence is base-year military spending: the United States holds the most.
    let usa = *prep
        .influence
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    assert_eq!(w.label(usa), "USA");
    // The forecast is the same under every option (the options do not enter it).
    let d = prep.run_draw(0).unwrap();
    let first = d.options[0].bargaining_median;
    assert!(first.is_finite());
    assert!(d.options.iter().all(|o| o.bargaining_median == first));

    // Iceland, which has no armed forces, weighs nothing (SIPRI codes a real 0).
    let isl = sc
        .stakeholders
        .iter()
        .find(|s| w.label(s.state) == "ISL")
        .unwrap();
    assert_eq!(prep.influence[&isl.state], 0.0);
    // A stakeholder without the measure is an error, not a zero: SIPRI's
    // constant-dollar series start in 2000.
    let bad = text.replace("base_year = 2024", "base_year = 1995");
    assert_ne!(bad, text);
    let sc = entente_data::scenario::parse_scenario(&bad, "bad.toml", &archive).unwrap();
    let err = Prepared::new(&archive, &sc, loaded.hazard_coefficients)
        .err()
        .expect("no SIPRI spending in 1995");
    assert!(
        err.to_string().contains("no military_spending in 1995 for"),
        "{err}"
    );
    // An unknown measure is located.
    let bad = text.replace(
        "influence = \"military_spending\"",
        "influence = \"charisma\"",
    );
    let err = entente_data::scenario::parse_scenario(&bad, "bad.toml", &archive).unwrap_err();
    assert!(err.to_string().contains("influence `charisma`"), "{err}");
}
