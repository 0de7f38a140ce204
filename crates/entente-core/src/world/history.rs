//! Dyads through time: the years two states were in the system together, and
//! their dispute record, from which peace years are counted.
//!
//! A dyad-year exists when both states were members of the COW system on a
//! common day of the year (a state leaving in May and another entering in June
//! make none), as in peacesciencer's dyad-year frames. Peace years follow
//! `stevemisc::ps_btscs` on the dispute-ongoing indicator over the dyad's
//! dyad-years from 1816: the number of the dyad's dyad-years strictly between
//! the last year a dispute was ongoing and this one, or since the dyad's first
//! year if it never had one. `scripts/data/mid_disputes.py` checks the same rule
//! against the published 1946-2014 onset frame row by row.

use crate::ids::IdMap as HashMap;

use crate::ids::Ccode;
use crate::sources::{Date, DisputeYear, StateSpell};

/// System membership by year and the dispute years of each dyad.
#[derive(Debug, Clone, Default)]
pub struct DyadHistory {
    first: i32,
    last: i32,
    /// Per state: a bit per year in which any of its spells has a day.
    touch: HashMap<Ccode, Vec<u64>>,
    /// Per state: its spells (carried-forward states extended to `last`).
    spells: HashMap<Ccode, Vec<(Date, Date)>>,
    /// Per state: years in which one of its spells starts or ends inside the year.
    partial: HashMap<Ccode, Vec<i32>>,
    /// Per dyad (a < b): years with an ongoing dispute, sorted.
    ongoing: HashMap<(Ccode, Ccode), Vec<i32>>,
    /// Years the dispute data cover.
    disputes: Option<(i32, i32)>,
    /// Dispute-years that are not dyad-years (a state outside the system).
    outside_system: usize,
}

fn key(a: Ccode, b: Ccode) -> (Ccode, Ccode) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl DyadHistory {
    /// From the state system (spells ending on 31 December of `states_last`
    /// are carried to `last`) and the dispute years.
    pub fn new(
        states: &[StateSpell],
        states_last: i32,
        disputes: &[DisputeYear],
        last: i32,
    ) -> DyadHistory {
        let Some(first) = states.iter().map(|s| s.start.year).min() else {
            return DyadHistory::default();
        };
        let last = last.max(states_last).max(first);
        let words = ((last - first + 1) as usize).div_ceil(64);
        let mut h = DyadHistory {
            first,
            last,
            ..DyadHistory::default()
        };
        for s in states {
            let end = if s.end == Date::last_of(states_last) {
                Date::last_of(last)
            } else {
                s.end
            };
            if end < s.start {
                continue;
            }
            h.spells.entry(s.ccode).or_default().push((s.start, end));
            let bits = h.touch.entry(s.ccode).or_insert_with(|| vec![0; words]);
            for y in s.start.year.max(first)..=end.year.min(last) {
                let i = (y - first) as usize;
                bits[i / 64] |= 1 << (i % 64);
            }
            let p = h.partial.entry(s.ccode).or_default();
            if s.start != Date::first_of(s.start.year) {
                p.push(s.start.year);
            }
            if end != Date::last_of(end.year) {
                p.push(end.year);
            }
        }
        for p in h.partial.values_mut() {
            p.sort_unstable();
            p.dedup();
        }
        for d in disputes {
            if h.together(d.ccode1, d.ccode2, d.year) {
                h.ongoing
                    .entry(key(d.ccode1, d.ccode2))
                    .or_default()
                    .push(d.year);
            } else {
                h.outside_system += 1;
            }
        }
        for v in h.ongoing.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        h.disputes = match (
            disputes.iter().map(|d| d.year).min(),
            disputes.iter().map(|d| d.year).max(),
        ) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        h
    }

    /// The years the dispute data cover.
    pub fn dispute_years(&self) -> Option<(i32, i32)> {
        self.disputes
    }

    /// Dispute-years set aside because a state was outside the system.
    pub fn outside_system(&self) -> usize {
        self.outside_system
    }

    fn touches(&self, c: Ccode, y: i32) -> bool {
        if y < self.first || y > self.last {
            return false;
        }
        let i = (y - self.first) as usize;
        self.touch
            .get(&c)
            .is_some_and(|b| b[i / 64] & (1 << (i % 64)) != 0)
    }

    /// Whether both states were in the system on a common day of `y`.
    pub fn together(&self, a: Ccode, b: Ccode, y: i32) -> bool {
        if a == b || !self.touches(a, y) || !self.touches(b, y) {
            return false;
        }
        let partial = |c: Ccode| {
            self.partial
                .get(&c)
                .is_some_and(|p| p.binary_search(&y).is_ok())
        };
        if !partial(a) && !partial(b) {
            return true;
        }
        let (lo, hi) = (Date::first_of(y), Date::last_of(y));
        let clipped = |c: Ccode| {
            self.spells
                .get(&c)
                .into_iter()
                .flatten()
                .filter_map(move |&(s, e)| {
                    let (s, e) = (s.max(lo), e.min(hi));
                    (s <= e).then_some((s, e))
                })
        };
        clipped(a).any(|(sa, ea)| clipped(b).any(|(sb, eb)| sa.max(sb) <= ea.min(eb)))
    }

    /// The dyad-years of `a` and `b` in `lo..=hi`.
    pub fn count(&self, a: Ccode, b: Ccode, lo: i32, hi: i32) -> u32 {
        let (lo, hi) = (lo.max(self.first), hi.min(self.last));
        if lo > hi || a == b {
            return 0;
        }
        let (Some(ta), Some(tb)) = (self.touch.get(&a), self.touch.get(&b)) else {
            return 0;
        };
        let (i0, i1) = ((lo - self.first) as usize, (hi - self.first) as usize);
        let mut n = 0;
        for w in i0 / 64..=i1 / 64 {
            let mut m = ta[w] & tb[w];
            if w == i0 / 64 {
                m &= !0u64 << (i0 % 64);
            }
            if w == i1 / 64 && i1 % 64 < 63 {
                m &= (1u64 << (i1 % 64 + 1)) - 1;
            }
            n += m.count_ones();
        }
        // Years touched by both in which one enters or leaves: check the days.
        let mut edge: Vec<i32> = [a, b]
            .iter()
            .flat_map(|c| self.partial.get(c).into_iter().flatten().copied())
            .filter(|y| (lo..=hi).contains(y))
            .collect();
        edge.sort_unstable();
        edge.dedup();
        for y in edge {
            if self.touches(a, y) && self.touches(b, y) && !self.together(a, b, y) {
                n -= 1;
            }
        }
        n
    }

    /// Whether a dispute was ongoing between `a` and `b` in `y`.
    pub fn ongoing(&self, a: Ccode, b: Ccode, y: i32) -> bool {
        self.ongoing
            .get(&key(a, b))
            .is_some_and(|v| v.binary_search(&y).is_ok())
    }

    /// The last year before `y` in which a dispute was ongoing.
    pub fn last_dispute_before(&self, a: Ccode, b: Ccode, y: i32) -> Option<i32> {
        let v = self.ongoing.get(&key(a, b))?;
        let i = v.partition_point(|&x| x < y);
        (i > 0).then(|| v[i - 1])
    }

    /// Peace years of the dyad in `y` (see the module docs), or `None` outside
    /// the dispute data's years (the caller decides what to carry).
    pub fn peace_years(&self, a: Ccode, b: Ccode, y: i32) -> Option<u32> {
        let (first, last) = self.disputes?;
        if y < first || y > last + 1 {
            return None;
        }
        Some(match self.last_dispute_before(a, b, y) {
            Some(l) => self.count(a, b, l + 1, y - 1),
            None => self.count(a, b, self.first, y - 1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(c: u16, s: Date, e: Date) -> StateSpell {
        StateSpell {
            ccode: Ccode(c),
            abb: String::new(),
            name: String::new(),
            start: s,
            end: e,
        }
    }

    fn dispute(a: u16, b: u16, year: i32) -> DisputeYear {
        DisputeYear {
            ccode1: Ccode(a),
            ccode2: Ccode(b),
            year,
            onset: true,
            hostlev: 3,
            fatality: Some(0),
            dispnum: 1,
        }
    }

    #[test]
    fn peace_years_count_dyad_years_since_the_last_dispute() {
        let states = [
            spell(2, Date::new(1816, 1, 1), Date::new(2016, 12, 31)),
            spell(20, Date::new(1920, 1, 10), Date::new(2016, 12, 31)),
            // Leaves in July 1940, back in June 1945.
            spell(210, Date::new(1816, 1, 1), Date::new(1940, 7, 14)),
            spell(210, Date::new(1945, 6, 26), Date::new(2016, 12, 31)),
            // Leaves in May 1945.
            spell(255, Date::new(1816, 1, 1), Date::new(1945, 5, 8)),
        ];
        let h = DyadHistory::new(
            &states,
            2016,
            &[
                dispute(2, 20, 1979),
                dispute(210, 255, 1940),
                dispute(20, 365, 1918),
                dispute(2, 210, 1990),
            ],
            2024,
        );
        // US-Canada: the published frame has 59 in 1979 and 0 in 1980.
        assert_eq!(h.peace_years(Ccode(2), Ccode(20), 1920), Some(0));
        assert_eq!(h.peace_years(Ccode(2), Ccode(20), 1979), Some(59));
        assert_eq!(h.peace_years(Ccode(2), Ccode(20), 1980), Some(0));
        assert_eq!(h.peace_years(Ccode(2), Ccode(20), 1982), Some(2));
        // No common day in 1945: no dyad-year then.
        assert!(h.together(Ccode(210), Ccode(255), 1940));
        assert!(!h.together(Ccode(210), Ccode(255), 1945));
        assert_eq!(h.count(Ccode(210), Ccode(255), 1816, 2000), 125);
        // Outside the dispute data's years (and the year after) there is no count.
        assert_eq!(h.peace_years(Ccode(2), Ccode(20), 1981), Some(1));
        assert_eq!(h.peace_years(Ccode(2), Ccode(20), 1991), Some(11));
        assert_eq!(h.peace_years(Ccode(2), Ccode(20), 1992), None);
        // Canada entered in 1920: the 1918 dispute-year is not a dyad-year.
        assert_eq!(h.outside_system(), 1);
        // Carried-forward states are in the system after the list ends.
        assert!(h.together(Ccode(2), Ccode(20), 2024));
    }
}
