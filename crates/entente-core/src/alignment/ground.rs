//! The ground state alone: the global minimum of a two-coalition landscape,
//! which the simulation needs once per draw and option. Exact up to a size
//! cap; past it, a seeded heuristic search, and the result says which.
//!
//! The exact path is a Gray-code enumeration of the 2^(n-1) configurations
//! (the last actor stays on side 0) with the local fields updated per flip:
//! O(n) per configuration, no allocation, no local-minimum bookkeeping, and
//! sequential, since the simulation is parallel over draws. It is several
//! times faster than [`Landscape::exact`], which also collects every local
//! minimum; a property test checks the two agree.

use super::{AlignmentError, ExactConfig, HeuristicConfig, Landscape, Method, Model};

/// Largest landscape solved exactly by default: 2^23 configurations, about
/// 0.1 s per solve on one core.
pub const GROUND_EXACT_MAX_ACTORS: usize = 24;

/// How [`Landscape::ground_state`] solves.
#[derive(Debug, Clone, PartialEq)]
pub struct GroundConfig {
    /// Enumerate exactly up to this many actors (at most 40: 2^39 configurations).
    pub exact_max_actors: usize,
    /// The search past the cap: deterministic for a seed (no time limit).
    pub heuristic: HeuristicConfig,
}

impl Default for GroundConfig {
    fn default() -> Self {
        GroundConfig {
            exact_max_actors: GROUND_EXACT_MAX_ACTORS,
            heuristic: HeuristicConfig {
                model: Model::default(),
                method: Method::BreakoutLocalSearch,
                seed: 0,
                restarts: 8,
                moves_per_restart: 50_000,
                time_limit: None,
                target: None,
            },
        }
    }
}

/// Which solver produced a ground state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solver {
    /// Every configuration enumerated: the global minimum.
    Exact,
    /// A heuristic search: the best configuration found, not proven optimal.
    Heuristic,
}

/// A ground state: its energy, each actor's state (its coalition, or the
/// model's neutral state) and the solver.
#[derive(Debug, Clone, PartialEq)]
pub struct Ground {
    pub energy: f64,
    pub sides: Vec<u8>,
    pub solver: Solver,
}

/// Most configurations the general enumeration visits for a ground state
/// (2^20: about a second per solve), far below its own limit, because the
/// simulation solves once per draw and option.
pub const GROUND_GENERAL_MAX_CONFIGS: u64 = 1 << 20;

/// Largest landscape whose ground state under `model` (k coalitions or a
/// neutral place) is enumerated exactly: states^n within
/// [`GROUND_GENERAL_MAX_CONFIGS`] (12 actors with three places).
pub fn general_exact_max(model: &Model) -> usize {
    let q = model.states().max(2) as u64;
    let (mut n, mut c) = (0usize, 1u64);
    while c.saturating_mul(q) <= GROUND_GENERAL_MAX_CONFIGS {
        c *= q;
        n += 1;
    }
    n
}

/// Hard limit of the exact path (the configuration counter is a `u64`, and
/// 2^39 configurations already take hours).
const EXACT_HARD_MAX: usize = 40;

impl Landscape {
    /// The ground state of the model in `cfg.heuristic.model` (two coalitions
    /// by default; k coalitions and a neutral place are solved exactly while
    /// the enumeration is small, by the heuristic past it); see [`GroundConfig`].
    pub fn ground_state(&self, cfg: &GroundConfig) -> Result<Ground, AlignmentError> {
        let n = self.len();
        if cfg.exact_max_actors > EXACT_HARD_MAX {
            return Err(AlignmentError::TooLargeForExact {
                n: cfg.exact_max_actors,
                max: EXACT_HARD_MAX,
                states: 2,
            });
        }
        let model = cfg.heuristic.model;
        model.validate()?;
        if model == Model::default() && n <= cfg.exact_max_actors {
            let (energy, sides) = enumerate(self.weights(), n);
            return Ok(Ground {
                energy,
                sides,
                solver: Solver::Exact,
            });
        }
        if model != Model::default() {
            // k coalitions or a neutral place: the general enumeration, while
            // its configurations (states^n) stay within its limit.
            let exact = ExactConfig {
                model,
                basins: false,
                ..ExactConfig::default()
            };
            if n <= general_exact_max(&model).min(cfg.exact_max_actors) {
                let r = self.exact(&exact)?;
                return Ok(Ground {
                    energy: r.global_minimum.energy,
                    sides: r.global_minimum.states,
                    solver: Solver::Exact,
                });
            }
        }
        let h = cfg.heuristic.clone();
        if h.time_limit.is_some() {
            // A time limit would make the answer depend on the machine.
            return Err(AlignmentError::NoBudget);
        }
        let r = self.heuristic(&h)?;
        Ok(Ground {
            energy: r.best.energy,
            sides: r.best.states,
            solver: Solver::Heuristic,
        })
    }
}

/// Exact minimum of `E = sum_{i<j} w_ij [side_i != side_j]` by Gray code.
/// Ties keep the first configuration met. `n <= EXACT_HARD_MAX`.
fn enumerate(w: &[f64], n: usize) -> (f64, Vec<u8>) {
    if n < 2 {
        return (0.0, vec![0; n]);
    }
    let free = n - 1;
    let mut w = w.to_vec();
    for i in 0..n {
        w[i * n + i] = 0.0;
    }
    // sigma = +1 everywhere: energy 0 (no pair is split), fields f_i = sum_j w_ij.
    let mut sigma = vec![1.0f64; n];
    let mut field: Vec<f64> = (0..n).map(|i| w[i * n..(i + 1) * n].iter().sum()).collect();
    let (mut energy, mut best, mut best_code) = (0.0f64, 0.0f64, 0u64);
    for t in 1u64..(1u64 << free) {
        let k = t.trailing_zeros() as usize;
        // Splitting or joining k's pairs: dE = sigma_k f_k.
        energy += sigma[k] * field[k];
        let sk2 = 2.0 * sigma[k];
        // The diagonal of `w` is zero, so k's own field is left as it is
        // and the loop needs no branch (it vectorises).
        for (f, wk) in field.iter_mut().zip(&w[k * n..(k + 1) * n]) {
            *f -= wk * sk2;
        }
        sigma[k] = -sigma[k];
        if energy < best {
            best = energy;
            best_code = t ^ (t >> 1);
        }
    }
    let sides = (0..n)
        .map(|i| {
            if i < free {
                ((best_code >> i) & 1) as u8
            } else {
                0
            }
        })
        .collect();
    (best, sides)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alignment::ExactConfig;
    use proptest::prelude::*;

    fn landscape(n: usize, sizes: &[f64], p: &[f64]) -> Landscape {
        let prop: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        if i == j {
                            0.0
                        } else {
                            p[i.min(j) * 41 + i.max(j)]
                        }
                    })
                    .collect()
            })
            .collect();
        Landscape::new(sizes[..n].to_vec(), &prop).unwrap()
    }

    fn split_energy(l: &Landscape, sides: &[u8]) -> f64 {
        let n = l.len();
        let mut e = 0.0;
        for i in 0..n {
            for j in (i + 1)..n {
                if sides[i] != sides[j] {
                    e += l.weight(i, j);
                }
            }
        }
        e
    }

    proptest! {
        /// The fast enumerator finds the exact solver's global minimum energy,
        /// and the sides it returns have that energy.
        #[test]
        fn ground_state_matches_the_exact_solver(
            n in 2usize..11,
            sizes in prop::collection::vec(0.1f64..2.0, 41),
            p in prop::collection::vec(-1.0f64..1.0, 41 * 41),
        ) {
            let l = landscape(n, &sizes, &p);
            let g = l.ground_state(&GroundConfig::default()).unwrap();
            prop_assert_eq!(g.solver, Solver::Exact);
            let exact = l.exact(&ExactConfig { basins: false, ..ExactConfig::default() }).unwrap();
            prop_assert!((g.energy - exact.global_minimum.energy).abs() < 1e-9);
            prop_assert!((split_energy(&l, &g.sides) - g.energy).abs() < 1e-9);
        }
    }

    proptest! {
        /// With a neutral place, past a cap of zero the heuristic (at the
        /// budget the simulation gives it: 20 moves per actor and state)
        /// finds the general enumeration's global minimum, and a barred
        /// actor never stands neutral, even when the neutral place pays.
        #[test]
        fn three_places_heuristic_matches_exact_and_anchors_stay_on_a_side(
            n in 3usize..9,
            sizes in prop::collection::vec(0.1f64..2.0, 41),
            p in prop::collection::vec(-1.0f64..1.0, 41 * 41),
            reward in 0.0f64..1.5,
        ) {
            let l = landscape(n, &sizes, &p).with_neutral_barred(&[0, 1]);
            let model = Model { coalitions: 2, neutral_cost: Some(-reward) };
            let exact = l
                .exact(&ExactConfig { model, basins: false, ..ExactConfig::default() })
                .unwrap();
            let mut cfg = GroundConfig { exact_max_actors: 0, ..GroundConfig::default() };
            cfg.heuristic.model = model;
            cfg.heuristic.moves_per_restart = (20 * n * 3) as u64;
            let g = l.ground_state(&cfg).unwrap();
            prop_assert_eq!(g.solver, Solver::Heuristic);
            prop_assert!((g.energy - exact.global_minimum.energy).abs() < 1e-9 * (1.0 + g.energy.abs()),
                "{} vs {}", g.energy, exact.global_minimum.energy);
            prop_assert!(g.sides[0] != 2 && g.sides[1] != 2, "{:?}", g.sides);
            // Within the cap the general enumeration answers, with the same energy.
            cfg.exact_max_actors = 24;
            let e = l.ground_state(&cfg).unwrap();
            prop_assert_eq!(e.solver, Solver::Exact);
            prop_assert!((e.energy - exact.global_minimum.energy).abs() < 1e-9 * (1.0 + e.energy.abs()));
        }
    }

    /// Past the cap the heuristic answers, says so, and (on landscapes small
    /// enough to check) finds the global minimum.
    #[test]
    fn the_general_cap_counts_configurations() {
        let three = Model {
            coalitions: 2,
            neutral_cost: Some(0.0),
        };
        assert_eq!(general_exact_max(&three), 12);
        assert_eq!(
            general_exact_max(&Model {
                coalitions: 4,
                neutral_cost: None
            }),
            10
        );
    }

    #[test]
    fn past_the_cap_the_heuristic_answers() {
        let mut rng = 7u64;
        let mut next = || {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (rng >> 11) as f64 / (1u64 << 53) as f64
        };
        let sizes: Vec<f64> = (0..41).map(|_| 0.1 + next()).collect();
        let p: Vec<f64> = (0..41 * 41).map(|_| 2.0 * next() - 1.0).collect();
        let l = landscape(18, &sizes, &p);
        let exact = l.ground_state(&GroundConfig::default()).unwrap();
        let capped = GroundConfig {
            exact_max_actors: 10,
            ..GroundConfig::default()
        };
        let h = l.ground_state(&capped).unwrap();
        assert_eq!(h.solver, Solver::Heuristic);
        assert!(
            (h.energy - exact.energy).abs() < 1e-9,
            "{} vs {}",
            h.energy,
            exact.energy
        );
        // And deterministically so.
        assert_eq!(l.ground_state(&capped).unwrap(), h);
    }

    /// A landscape of 195 actors (every state in the system) is solved, by
    /// the heuristic, instead of wrapping a 64-bit shift.
    #[test]
    fn every_state_in_the_system_is_solved_by_the_heuristic() {
        let n = 195;
        let sizes = vec![1.0; n];
        let prop: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        if i == j {
                            0.0
                        } else if (i % 2) == (j % 2) {
                            1.0
                        } else {
                            -1.0
                        }
                    })
                    .collect()
            })
            .collect();
        let l = Landscape::new(sizes, &prop).unwrap();
        let g = l.ground_state(&GroundConfig::default()).unwrap();
        assert_eq!(g.solver, Solver::Heuristic);
        // Two camps, evens against odds: every positive pair together, every negative split.
        let expect = -(((n / 2 + 1) * (n / 2)) as f64);
        assert!((g.energy - expect).abs() < 1e-6, "{} vs {expect}", g.energy);
        for i in 0..n {
            assert_eq!(g.sides[i] == g.sides[0], i % 2 == 0);
        }
    }

    /// Issue 19, item 1: 67 units, past where the old `1u64 << (n - 1)` loop wrapped and put
    /// every unit in one coalition. The ground state splits the two camps (by the heuristic,
    /// and says so), and an exact cap that large is refused with a typed error.
    #[test]
    fn regression_item1_sixty_seven_units_are_split_not_wrapped() {
        let n = 67;
        let prop: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| match (i == j, i < 30, j < 30) {
                        (true, _, _) => 0.0,
                        (false, a, b) if a == b => 1.0,
                        _ => -1.0,
                    })
                    .collect()
            })
            .collect();
        let l = Landscape::new(vec![1.0; n], &prop).unwrap();
        let g = l.ground_state(&GroundConfig::default()).unwrap();
        assert_eq!(g.solver, Solver::Heuristic);
        for i in 0..n {
            assert_eq!(g.sides[i] == g.sides[0], i < 30, "unit {i}: {:?}", g.sides);
        }
        assert!((g.energy + (30 * 37) as f64).abs() < 1e-9, "{}", g.energy);
        let exact_67 = GroundConfig {
            exact_max_actors: n,
            ..GroundConfig::default()
        };
        assert!(matches!(
            l.ground_state(&exact_67),
            Err(AlignmentError::TooLargeForExact { .. })
        ));
    }
}
