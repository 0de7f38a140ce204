//! The estimation sample: politically relevant, non-directed dyad-years with
//! their covariates and whether a dispute began.
//!
//! Each year's world is built as [`World::for_year`] builds it, so the fit sees
//! exactly the covariates the engine later applies the model to. A dyad-year is
//! in the sample when both states were in the system on a common day of the year
//! and the dyad is politically relevant (contiguous, or with a major power).
//! Years in which a dispute that began earlier was still going on, with no new
//! onset, are left out (the dyad was not at risk of a new onset); they are
//! counted.

use crate::ids::IdMap as HashMap;

use rayon::prelude::*;

use super::joining::JoiningCounts;
use super::{covariates, Covariates};
use crate::ids::Ccode;
use crate::sources::DisputeYear;
use crate::world::{Archive, World, WorldError};

/// One dyad-year of the sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DyadYear {
    pub year: i32,
    pub a: Ccode,
    pub b: Ccode,
    /// A dispute began this year.
    pub onset: bool,
    pub x: Covariates,
}

/// The sample of `first_year..=last_year` and the alliance-joining counts of
/// the same years.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub first_year: i32,
    pub last_year: i32,
    pub rows: Vec<DyadYear>,
    /// Dyad-years left out because a dispute was continuing.
    pub continuations: u64,
    pub joining: JoiningCounts,
}

/// Dispute-years by dyad (a < b) and year.
pub(crate) type DisputeIndex = HashMap<(Ccode, Ccode), Vec<DisputeYear>>;

pub(crate) fn dispute_index(archive: &Archive) -> DisputeIndex {
    let mut m: DisputeIndex = HashMap::default();
    for d in &archive.sources().disputes {
        m.entry((d.ccode1, d.ccode2)).or_default().push(*d);
    }
    for v in m.values_mut() {
        v.sort_by_key(|d| d.year);
    }
    m
}

pub(crate) fn dispute_in(idx: &DisputeIndex, a: Ccode, b: Ccode, y: i32) -> Option<&DisputeYear> {
    let k = if a <= b { (a, b) } else { (b, a) };
    let v = idx.get(&k)?;
    v.binary_search_by_key(&y, |d| d.year).ok().map(|i| &v[i])
}

/// The politically relevant pairs of a world, `(a, b)` with `a < b`, sorted.
pub fn relevant_pairs(world: &World) -> Vec<(Ccode, Ccode)> {
    let mut pairs = world.contiguous_pairs();
    for m in world.states.iter().filter(|s| s.major_power) {
        for s in &world.states {
            if s.ccode != m.ccode {
                pairs.push(if m.ccode < s.ccode {
                    (m.ccode, s.ccode)
                } else {
                    (s.ccode, m.ccode)
                });
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Build the sample of `first_year..=last_year`. Nothing after `last_year` is
/// read: each year's world uses that year's data, and peace years count
/// disputes before the year.
pub fn build(archive: &Archive, first_year: i32, last_year: i32) -> Result<Sample, WorldError> {
    let idx = dispute_index(archive);
    let mut onsets: HashMap<i32, Vec<DisputeYear>> = HashMap::default();
    for d in archive.sources().disputes.iter().filter(|d| d.onset) {
        onsets.entry(d.year).or_default().push(*d);
    }
    for v in onsets.values_mut() {
        v.sort_by_key(|d| (d.ccode1, d.ccode2));
    }
    let years: Vec<i32> = (first_year..=last_year).collect();
    // Years in parallel; collected in year order, so the result does not
    // depend on the thread count.
    let per_year: Vec<(Vec<DyadYear>, u64, JoiningCounts)> = years
        .par_iter()
        .map(|&y| {
            let world = World::for_year(archive, y)?;
            let h = archive.history();
            let mut rows = Vec::new();
            let mut continuations = 0;
            for (a, b) in relevant_pairs(&world) {
                if !h.together(a, b, y) {
                    continue;
                }
                let d = dispute_in(&idx, a, b, y);
                let onset = d.is_some_and(|d| d.onset);
                if d.is_some() && !onset {
                    continuations += 1;
                    continue;
                }
                rows.push(DyadYear {
                    year: y,
                    a,
                    b,
                    onset,
                    x: covariates(archive, &world, a, b),
                });
            }
            let year_onsets = onsets.get(&y).map_or(&[][..], Vec::as_slice);
            let joining = super::joining::count_year(&world, &idx, year_onsets, last_year);
            Ok((rows, continuations, joining))
        })
        .collect::<Result<_, WorldError>>()?;
    let mut sample = Sample {
        first_year,
        last_year,
        rows: Vec::new(),
        continuations: 0,
        joining: JoiningCounts::default(),
    };
    for (rows, c, j) in per_year {
        sample.rows.extend(rows);
        sample.continuations += c;
        sample.joining = sample.joining.plus(j);
    }
    Ok(sample)
}
