//! Properties of the threat mechanism and its decomposition.

use proptest::prelude::*;

use super::mechanism::{compute, Channels, Mechanism, Network, Pact};
use super::*;

const N: usize = 5;
const M: usize = 7;

fn mech(beta_d: f64, beta_c: f64) -> Mechanism {
    Mechanism {
        beta_defence: beta_d,
        beta_consultation: beta_c,
        reliability: 0.75,
        consultation_weight: 0.4,
        deterrence: 0.18,
        joining_defence: 0.05,
        joining_consultation: 0.02,
        moral_hazard: None,
    }
}

prop_compose! {
    fn network()(
        z in prop::collection::vec(prop_oneof![Just(f64::NEG_INFINITY), -7.0f64..-1.0], N * N),
        ties in prop::collection::vec(0u8..6, N * M),
        proj in prop::collection::vec(0.001f64..0.3, M * N),
    ) -> Network {
        let mut z0 = vec![vec![f64::NEG_INFINITY; N]; N];
        for i in 0..N {
            for j in (i + 1)..N {
                z0[i][j] = z[i * N + j];
                z0[j][i] = z[i * N + j];
            }
        }
        // Symmetric ties among the actors; ties to outside states as drawn.
        let mut pact = vec![vec![Pact::default(); M]; N];
        for i in 0..N {
            for k in 0..M {
                let t = if k < N { ties[i.min(k) * M + i.max(k)] } else { ties[i * M + k] };
                if i != k {
                    pact[i][k] = match t {
                        0 => Pact { defence: 1.0, consultation: 0.0 },
                        1 => Pact { defence: 0.0, consultation: 1.0 },
                        _ => Pact::default(),
                    };
                }
            }
        }
        let proj = (0..M).map(|k| (0..N).map(|i| proj[k * N + i]).collect()).collect();
        Network { n: N, z0, pact, proj, offensive: vec![false; N] }
    }
}

/// `net` with a pact of strength `s` among `members` (actors).
fn with_pact(net: &Network, members: &[usize], kind: ObligationKindTest, s: f64) -> Network {
    let mut out = net.clone();
    let add = match kind {
        ObligationKindTest::Defence => Pact {
            defence: s,
            consultation: 0.0,
        },
        ObligationKindTest::Consultation => Pact {
            defence: 0.0,
            consultation: s,
        },
    };
    for &i in members {
        for &k in members {
            if i != k {
                out.pact[i][k] = out.pact[i][k].max(add);
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
enum ObligationKindTest {
    Defence,
    Consultation,
}

fn members_of(mask: u8) -> Vec<usize> {
    (0..N).filter(|i| mask & (1 << i) != 0).collect()
}

fn slop(a: f64) -> f64 {
    1e-12 * (1.0 + a.abs())
}

proptest! {
    /// A pact of strength 0 changes nothing; its effect is continuous in the
    /// strength; and each channel moves one way as the strength grows.
    #[test]
    fn pact_effects_are_zero_at_zero_continuous_and_monotone(
        net in network(),
        mask in 3u8..31,
        defence in any::<bool>(),
        beta_d in -1.0f64..1.0,
        beta_c in -1.0f64..1.0,
        s1 in 0.0f64..1.0,
        s2 in 0.0f64..1.0,
    ) {
        let members = members_of(mask);
        prop_assume!(members.len() >= 2);
        let kind = if defence { ObligationKindTest::Defence } else { ObligationKindTest::Consultation };
        let beta = if defence { beta_d } else { beta_c };
        let m = mech(beta_d, beta_c);
        let base = compute(&net, &m);
        prop_assert_eq!(&compute(&with_pact(&net, &members, kind, 0.0), &m), &base);
        let (lo, hi) = (s1.min(s2), s1.max(s2));
        let a: Channels = compute(&with_pact(&net, &members, kind, lo), &m);
        let b: Channels = compute(&with_pact(&net, &members, kind, hi), &m);
        let c: Channels = compute(&with_pact(&net, &members, kind, (lo + 1e-7).min(1.0)), &m);
        let member = |i: usize| members.contains(&i);
        for i in 0..N {
            for j in 0..N {
                if i == j { continue; }
                prop_assert!((c.q[i][j] - a.q[i][j]).abs() < 1e-5, "jump at {} {} {}", i, j, lo);
                let (da, db) = (a.direct[i][j], b.direct[i][j]);
                match (member(i), member(j)) {
                    // Deterrence: members' balance and allies grow.
                    (true, false) => {
                        prop_assert!(db <= da + slop(da), "member {} from {}: {} -> {}", i, j, da, db);
                        prop_assert!(b.entrapment[i][j] >= a.entrapment[i][j] - slop(a.entrapment[i][j]));
                    }
                    // Alarm: outsiders see the members' side grow.
                    (false, true) => prop_assert!(db >= da - slop(da)),
                    (false, false) => prop_assert_eq!(da, db),
                    // Between members: the hazard moves with the fitted pact term.
                    (true, true) => {
                        let (pa, pb) = (a.p[i][j], b.p[i][j]);
                        if beta <= 0.0 {
                            prop_assert!(pb <= pa + slop(pa));
                            prop_assert!(db <= da + slop(da));
                        } else {
                            prop_assert!(pb >= pa - slop(pa));
                        }
                    }
                }
            }
        }
    }

    /// The split by channel and the split by source both add up to the total.
    #[test]
    fn the_decomposition_sums_to_the_total(
        net in network(),
        mask in 3u8..31,
        s in 0.0f64..1.0,
        beta in -1.0f64..1.0,
    ) {
        let members = members_of(mask);
        let m = mech(beta, beta);
        let to_threat = |c: Channels, net: &Network| Threat {
            actors: (0..N as u16).map(Ccode).collect(),
            q: c.q,
            p: c.p,
            direct: c.direct,
            entrapment: c.entrapment,
            pacts: (0..N).map(|i| net.pact[i][..N].to_vec()).collect(),
            theta: c.theta,
        };
        let after_net = with_pact(&net, &members, ObligationKindTest::Defence, s);
        let t0 = to_threat(compute(&net, &m), &net);
        let t1 = to_threat(compute(&after_net, &m), &after_net);
        for ch in compare(&t0, &t1) {
            let by_channel = ch.partners + ch.non_partners + ch.entrapment;
            let by_source: f64 = ch.sources.iter().map(|s| s.1).sum();
            prop_assert!((by_channel - ch.delta()).abs() < 1e-12, "{} vs {}", by_channel, ch.delta());
            prop_assert!((by_source - ch.delta()).abs() < 1e-12, "{} vs {}", by_source, ch.delta());
            if !members.contains(&(ch.ccode.0 as usize)) {
                // Outsiders gain no partners.
                prop_assert_eq!(ch.partners, 0.0);
            }
        }
    }
}

#[test]
fn no_change_means_no_sources() {
    let net = Network {
        n: 2,
        z0: vec![vec![f64::NEG_INFINITY, -3.0], vec![-3.0, f64::NEG_INFINITY]],
        pact: vec![vec![Pact::default(); 2]; 2],
        proj: vec![vec![0.1, 0.05], vec![0.02, 0.2]],
        offensive: vec![false; 2],
    };
    let c = compute(&net, &mech(0.0, 0.0));
    let t = Threat {
        actors: vec![Ccode(1), Ccode(2)],
        q: c.q,
        p: c.p,
        direct: c.direct,
        entrapment: c.entrapment,
        pacts: net.pact.clone(),
        theta: c.theta,
    };
    // At parity of projected power the threat is the hazard itself.
    assert!(t.q[0][1] > 0.0 && t.q[0][1] < 1.0);
    for ch in compare(&t, &t) {
        assert_eq!(ch.delta(), 0.0);
        assert!(ch.sources.is_empty());
        assert_eq!(
            (ch.partners, ch.non_partners, ch.entrapment),
            (0.0, 0.0, 0.0)
        );
    }
}

#[test]
fn an_ally_of_both_stays_on_the_targets_side() {
    // Three states: 0 and 1 become partners; 2 was allied to 0 all along.
    let mut pact = vec![vec![Pact::default(); 3]; 3];
    let def = Pact {
        defence: 1.0,
        consultation: 0.0,
    };
    pact[0][2] = def;
    pact[2][0] = def;
    let net = Network {
        n: 3,
        z0: vec![vec![-3.0; 3]; 3],
        pact,
        proj: vec![vec![0.05; 3], vec![0.05; 3], vec![0.2; 3]],
        offensive: vec![false; 3],
    };
    let m = mech(0.0, 0.0);
    let before = compute(&net, &m);
    let after = compute(
        &with_pact(&net, &[0, 1, 2], ObligationKindTest::Defence, 1.0),
        &m,
    );
    // 0's threat from its new partner 1 does not rise: 2 still counts for 0.
    assert!(after.direct[0][1] <= before.direct[0][1]);
}
