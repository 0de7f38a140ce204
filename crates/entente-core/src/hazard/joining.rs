//! How often states join their allies' disputes: the entrapment rate the
//! threat model uses, estimated from the dispute data.
//!
//! An opportunity is a dispute `D` that begins between `j` and one or more of
//! `i`'s partners (a defence pact, or a consultation pact without one), with
//! `i` committed to neither kind with `j`; it is counted once per `(i, j, D)`,
//! under `i`'s strongest commitment to those partners, however many of them are
//! in `D`. `i` joined if the `i`-`j` dyad has a dispute-year of `D` in the onset
//! year or later (up to the sample's last year). The MID table keeps one
//! dispute per dyad-year, so a join recorded under another dispute in a year
//! with two is missed; a co-originator counts as joining.

use super::frame::DisputeIndex;
use std::collections::BTreeMap;

use crate::ids::Ccode;
use crate::sources::DisputeYear;
use crate::world::World;

/// Joins and opportunities, by kind of commitment to the disputant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JoiningCounts {
    pub defence_joins: u64,
    pub defence_opportunities: u64,
    pub consultation_joins: u64,
    pub consultation_opportunities: u64,
}

/// A binomial rate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub rate: f64,
    pub se: f64,
    pub events: u64,
    pub trials: u64,
}

impl Rate {
    pub fn new(events: u64, trials: u64) -> Rate {
        let rate = if trials > 0 {
            events as f64 / trials as f64
        } else {
            0.0
        };
        Rate {
            rate,
            se: if trials > 0 {
                (rate * (1.0 - rate) / trials as f64).sqrt()
            } else {
                0.0
            },
            events,
            trials,
        }
    }
}

impl JoiningCounts {
    pub fn plus(self, o: JoiningCounts) -> JoiningCounts {
        JoiningCounts {
            defence_joins: self.defence_joins + o.defence_joins,
            defence_opportunities: self.defence_opportunities + o.defence_opportunities,
            consultation_joins: self.consultation_joins + o.consultation_joins,
            consultation_opportunities: self.consultation_opportunities
                + o.consultation_opportunities,
        }
    }

    pub fn defence(&self) -> Rate {
        Rate::new(self.defence_joins, self.defence_opportunities)
    }

    pub fn consultation(&self) -> Rate {
        Rate::new(self.consultation_joins, self.consultation_opportunities)
    }
}

/// The joins of allies in the disputes that began in `world`'s year.
/// `onsets` are the year's dispute onsets.
pub(crate) fn count_year(
    world: &World,
    idx: &DisputeIndex,
    onsets: &[DisputeYear],
    last_year: i32,
) -> JoiningCounts {
    let y = world.year;
    // (i, j, D) -> i has a defence pact with one of j's opponents in D.
    let mut chances: BTreeMap<(Ccode, Ccode, u32), bool> = BTreeMap::new();
    for d in onsets {
        for (k, j) in [(d.ccode1, d.ccode2), (d.ccode2, d.ccode1)] {
            for s in &world.states {
                let i = s.ccode;
                if i == k || i == j {
                    continue;
                }
                let defence = world.defence_between(i, k);
                let consultation = !defence && world.obligations_between(i, k).consultation;
                if !(defence || consultation)
                    || world.defence_between(i, j)
                    || world.obligations_between(i, j).consultation
                {
                    continue;
                }
                let e = chances.entry((i, j, d.dispnum)).or_insert(false);
                *e |= defence;
            }
        }
    }
    let mut out = JoiningCounts::default();
    for ((i, j, dispnum), defence) in chances {
        let key = if i < j { (i, j) } else { (j, i) };
        let joined = idx.get(&key).is_some_and(|v| {
            v.iter()
                .any(|e| (y..=last_year).contains(&e.year) && e.dispnum == dispnum)
        });
        if defence {
            out.defence_opportunities += 1;
            out.defence_joins += u64::from(joined);
        } else {
            out.consultation_opportunities += 1;
            out.consultation_joins += u64::from(joined);
        }
    }
    out
}
