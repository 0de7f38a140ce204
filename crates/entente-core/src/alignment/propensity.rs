//! Alignment propensities from the world: how much two states want to be on
//! the same side, from their ties, rivalry, the threat they share and the
//! threat they pose each other.

use crate::ids::Ccode;
use crate::threat::Threat;
use crate::world::World;

/// Pairwise propensities among `actors` (symmetric, zero diagonal):
/// `ties - rivalry + shared_weight * shared - mutual`, where
///
/// - ties: 1 for a defence pact, 0.5 for consultation, 0.25 for cooperation,
///   capped at 1.5;
/// - rivalry: 1 for a strategic rivalry;
/// - shared: the threat both face from third states, `sum_k min / sum_k max`
///   of their threat from k (0 to 1);
/// - mutual: the threat they pose each other over the mean threat between
///   actors, capped at 2.
///
/// `threat` must be over the same `actors`, in the same order.
pub fn propensities(
    world: &World,
    threat: &Threat,
    actors: &[Ccode],
    shared_weight: f64,
) -> Vec<Vec<f64>> {
    let n = actors.len();
    let q = &threat.q;
    let mut qbar = 0.0;
    for row in q.iter().take(n) {
        for x in row.iter().take(n) {
            qbar += x;
        }
    }
    qbar /= (n * n.saturating_sub(1)).max(1) as f64;
    let mut p = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let o = world.obligations_between(actors[i], actors[j]);
            let rivals = world.rivalry_between(actors[i], actors[j]);
            let ties = (f64::from(u8::from(world.defence_between(actors[i], actors[j])))
                + 0.5 * f64::from(u8::from(o.consultation))
                + 0.25 * f64::from(u8::from(o.cooperation)))
            .min(1.5);
            let rival = f64::from(u8::from(rivals));
            let (mut lo, mut hi) = (0.0, 0.0);
            for (k, (a, b)) in q[i].iter().zip(&q[j]).enumerate().take(n) {
                if k != i && k != j {
                    lo += a.min(*b);
                    hi += a.max(*b);
                }
            }
            let shared = if hi > 0.0 { lo / hi } else { 0.0 };
            let mutual = if qbar > 0.0 {
                ((q[i][j] + q[j][i]) / (2.0 * qbar)).min(2.0)
            } else {
                0.0
            };
            let v = ties - rival + shared_weight * shared - mutual;
            p[i][j] = v;
            p[j][i] = v;
        }
    }
    p
}
