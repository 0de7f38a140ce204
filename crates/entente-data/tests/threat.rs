//! Threat in the real 2024 world: allies are not each other's largest threat
//! (unless their own disputes say so), and a pact's effect splits by channel.

use entente_core::hazard::fit::{fit, FitConfig};
use entente_core::ids::Ccode;
use entente_core::sources::ObligationKind;
use entente_core::threat::{self, ThreatConfig};
use entente_core::world::{Archive, World};
use entente_data::world_data::{load, DataSource};

fn archive() -> Archive {
    let l = load(&DataSource::bundled()).expect("bundled data load");
    Archive::new(l.sources).expect("archive")
}

/// The flagship's states: NATO, the IP4, ASEAN, China, Russia, North Korea,
/// India and Taiwan.
fn flagship(w: &World) -> Vec<Ccode> {
    let mut v: Vec<Ccode> = Vec::new();
    for g in ["NATO", "IP4", "ASEAN"] {
        v.extend_from_slice(w.group(g));
    }
    v.extend([Ccode(710), Ccode(365), Ccode(731), Ccode(750), Ccode(713)]);
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn in_2024_no_states_largest_threat_is_a_defence_ally_without_disputes_of_their_own() {
    let a = archive();
    let cfg = ThreatConfig::from_fit(&fit(&a, FitConfig::until(2014)).unwrap());
    let w = World::for_year(&a, 2024).unwrap();
    let actors = flagship(&w);
    assert_eq!(actors.len(), 51);
    let th = threat::threat(&a, &w, &actors, &cfg);
    let mut allied_top = Vec::new();
    for (i, &c) in actors.iter().enumerate() {
        let (j, _) = th
            .largest_source(i)
            .expect("every state is threatened by someone");
        if w.defence_between(c, actors[j]) {
            allied_top.push((w.label(c), w.label(actors[j]), w.peace_years(c, actors[j])));
        }
    }
    // Greece and Turkey, NATO allies, had a dispute going on when the MID data
    // end (2014): their own record puts Turkey first for Greece. No other
    // state's largest threat is an ally.
    assert_eq!(
        allied_top,
        vec![("GRC".to_string(), "TUR".to_string(), Some(0))]
    );
    // The examples: New Zealand's and Australia's largest threat is
    // China, not the United States, Britain or France.
    for s in ["NZL", "AUS"] {
        let i = actors.iter().position(|c| w.label(*c) == s).unwrap();
        let (j, _) = th.largest_source(i).unwrap();
        assert_eq!(w.label(actors[j]), "CHN", "{s}");
    }
}

#[test]
fn a_nato_ip4_pact_splits_exactly_by_channel_and_never_removes_allies() {
    let a = archive();
    let cfg = ThreatConfig::from_fit(&fit(&a, FitConfig::until(2014)).unwrap());
    let w = World::for_year(&a, 2024).unwrap();
    let actors = flagship(&w);
    let sides = vec![w.group("NATO").to_vec(), w.group("IP4").to_vec()];
    let before = threat::threat(&a, &w, &actors, &cfg);
    for kind in [ObligationKind::Consultation, ObligationKind::Defence] {
        let mut e = w.clone();
        e.add_pact("nato-ip4", &sides, kind);
        let after = threat::threat(&a, &e, &actors, &cfg);
        let ix = |s: &str| actors.iter().position(|c| w.label(*c) == s).unwrap();
        for ch in threat::compare(&before, &after) {
            let sum = ch.partners + ch.non_partners + ch.entrapment;
            assert!(
                (sum - ch.delta()).abs() < 1e-12,
                "{}: {sum} vs {}",
                ch.ccode,
                ch.delta()
            );
        }
        // Montenegro's threat from Japan does not jump (the old bookkeeping made
        // it rise 14-fold): its NATO allies still count on its side.
        let (mne, jpn, chn) = (ix("MNE"), ix("JPN"), ix("CHN"));
        assert!(
            after.direct[mne][jpn] <= before.direct[mne][jpn] * 1.5,
            "{kind:?}: {} -> {}",
            before.direct[mne][jpn],
            after.direct[mne][jpn]
        );
        // Third parties: Japan's direct threat from China falls (its side grows).
        assert!(after.direct[jpn][chn] < before.direct[jpn][chn], "{kind:?}");
    }
}
