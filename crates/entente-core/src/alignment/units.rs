//! The units of an alignment landscape: each actor on its own, except the
//! blocs a scenario counts as one actor (e.g. NATO's European members), and
//! their propensities from the actors' pairwise propensities.

use crate::ids::Ccode;
use crate::scenario::Bloc;
use crate::world::World;

/// A unit of the alignment landscape: a state, or a bloc counted as one actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// ISO3 (or COW abbreviation) of a state, the bloc's code for a bloc.
    pub label: String,
    pub members: Vec<Ccode>,
}

/// The units for `actors`: every actor outside the blocs on its own (in actor
/// order), then one unit per bloc with its members among the actors. A bloc
/// with no member among the actors is left out; an actor in two blocs counts
/// in the first.
pub fn units(world: &World, actors: &[Ccode], blocs: &[Bloc]) -> Vec<Unit> {
    let mut taken: Vec<Ccode> = Vec::new();
    let mut bloc_units = Vec::new();
    for b in blocs {
        let members: Vec<Ccode> = actors
            .iter()
            .copied()
            .filter(|c| b.members.contains(c) && !taken.contains(c))
            .collect();
        if members.is_empty() {
            continue;
        }
        taken.extend(&members);
        bloc_units.push(Unit {
            label: b.label.clone(),
            members,
        });
    }
    let mut out: Vec<Unit> = actors
        .iter()
        .filter(|c| !taken.contains(c))
        .map(|&c| Unit {
            label: world.label(c),
            members: vec![c],
        })
        .collect();
    out.extend(bloc_units);
    out
}

/// The units' pairwise propensities: the mean propensity over the member
/// pairs (`propensity` is indexed by actor, `actors` in the same order).
pub fn unit_propensities(
    units: &[Unit],
    actors: &[Ccode],
    propensity: &[Vec<f64>],
) -> Vec<Vec<f64>> {
    let idx = |c: &Ccode| actors.iter().position(|a| a == c);
    let m = units.len();
    let mut prop = vec![vec![0.0; m]; m];
    for a in 0..m {
        for b in (a + 1)..m {
            let (mut s, mut k) = (0.0, 0);
            for x in units[a].members.iter().filter_map(idx) {
                for y in units[b].members.iter().filter_map(idx) {
                    s += propensity[x][y];
                    k += 1;
                }
            }
            let v = if k > 0 { s / k as f64 } else { 0.0 };
            prop[a][b] = v;
            prop[b][a] = v;
        }
    }
    prop
}

/// The units' pair terms: the mean of the terms over the member pairs
/// (`features` is row-major over `actors`), so a unit's propensity under any
/// weights is the mean of its members' propensities.
pub fn unit_features(
    units: &[Unit],
    actors: &[Ccode],
    features: &[super::propensity::Features],
) -> Vec<super::propensity::Features> {
    let n = actors.len();
    let idx = |c: &Ccode| actors.iter().position(|a| a == c);
    let m = units.len();
    let mut out = vec![[0.0; super::propensity::FEATURES]; m * m];
    for a in 0..m {
        for b in (a + 1)..m {
            let mut s = [0.0; super::propensity::FEATURES];
            let mut k = 0usize;
            for x in units[a].members.iter().filter_map(idx) {
                for y in units[b].members.iter().filter_map(idx) {
                    for (sv, fv) in s.iter_mut().zip(&features[x * n + y]) {
                        *sv += fv;
                    }
                    k += 1;
                }
            }
            if k > 0 {
                for v in &mut s {
                    *v /= k as f64;
                }
            }
            out[a * m + b] = s;
            out[b * m + a] = s;
        }
    }
    out
}
