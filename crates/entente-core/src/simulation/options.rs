//! Each option's world over the horizon, built once per run: the base world
//! with the option's edits applied from the year each takes effect.

use crate::scenario::{Change, PolicyOption, Scenario};
use crate::world::World;

/// A stretch of years over which the same edits are in force.
#[derive(Debug, Clone)]
pub struct Segment {
    /// First year of the stretch (the base year for the first).
    pub from: i32,
    pub world: World,
}

/// An option's worlds and spending shifts over the horizon.
#[derive(Debug, Clone)]
pub struct OptionWorld {
    /// In year order; the first starts at the base year. One segment when no
    /// edit is dated after the base year.
    pub segments: Vec<Segment>,
    /// Shift of each actor's annual spending growth (a fraction), per year of
    /// the horizon (index 0 is the base year).
    pub growth_shift: Vec<Vec<f64>>,
    /// The option changes no tie (its worlds are the base world).
    pub unedited: bool,
}

impl OptionWorld {
    pub fn build(base: &World, sc: &Scenario, opt: &PolicyOption) -> OptionWorld {
        let h = sc.horizon_years as usize;
        let last = sc.base_year + h as i32;
        // Years at which the set of pact edits in force changes, within the horizon.
        let mut starts: Vec<i32> = vec![sc.base_year];
        for e in &opt.edits {
            if matches!(e.change, Change::Spending { .. }) {
                continue;
            }
            if let Some(y) = e.from {
                if y > sc.base_year && y <= last && !starts.contains(&y) {
                    starts.push(y);
                }
            }
        }
        starts.sort_unstable();
        let segments = starts
            .iter()
            .map(|&from| {
                let mut world = base.clone();
                for (k, e) in opt.edits.iter().enumerate() {
                    if !e.in_force(from, sc.base_year) {
                        continue;
                    }
                    match &e.change {
                        Change::AddPact { sides, kind } => {
                            world.add_pact(&format!("{}-{}", opt.id, k + 1), sides, *kind)
                        }
                        Change::RemovePact { sides, kind } => world.remove_pact(sides, *kind),
                        Change::Spending { .. } => {}
                    }
                }
                Segment { from, world }
            })
            .collect();
        let growth_shift = (0..=h)
            .map(|t| {
                let year = sc.base_year + t as i32;
                let mut shift = vec![0.0; sc.actors.len()];
                for e in &opt.edits {
                    if let Change::Spending {
                        states,
                        pct_per_year,
                    } = &e.change
                    {
                        if e.in_force(year, sc.base_year) {
                            for (i, c) in sc.actors.iter().enumerate() {
                                if states.contains(c) {
                                    shift[i] += pct_per_year / 100.0;
                                }
                            }
                        }
                    }
                }
                shift
            })
            .collect();
        let unedited = opt
            .edits
            .iter()
            .all(|e| matches!(e.change, Change::Spending { .. }));
        OptionWorld {
            segments,
            growth_shift,
            unedited,
        }
    }

    /// Index of the segment in force in `year`.
    pub fn segment_of(&self, year: i32) -> usize {
        self.segments
            .iter()
            .rposition(|s| s.from <= year)
            .unwrap_or(0)
    }

    /// The world at the end of the horizon.
    pub fn last(&self) -> &World {
        &self.segments[self.segments.len() - 1].world
    }
}
