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
