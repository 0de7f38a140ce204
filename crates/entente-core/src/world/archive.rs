//! [`Archive`]: the [`Sources`] indexed by state and year, with each data
//! set's coverage derived from the data, so world states build quickly.

use std::collections::{BTreeMap, BTreeSet};

use crate::ids::IdMap as HashMap;
use std::sync::Arc;

use super::history::DyadHistory;
use super::*;
use crate::capabilities::{self, Components};
use crate::ids::{Ccode, Iso3};
use crate::sources::Sources;

/// [`Sources`] indexed for building world states quickly.
pub struct Archive {
    pub(super) src: Sources,
    pub(super) coverage: Coverage,
    pub(super) nmc: HashMap<(Ccode, i32), usize>,
    pub(super) nmc_by_year: BTreeMap<i32, Vec<usize>>,
    pub(super) sipri: HashMap<(Ccode, i32), usize>,
    pub(super) gdp: HashMap<(Ccode, i32), usize>,
    pub(super) population: HashMap<(Ccode, i32), f64>,
    pub(super) warheads: HashMap<(Ccode, i32), f64>,
    pub(super) warhead_years: Vec<i32>,
    pub(super) atop_by_year: HashMap<i32, Vec<usize>>,
    pub(super) iso3: HashMap<Ccode, Iso3>,
    pub(super) iso_numeric: HashMap<Ccode, u16>,
    pub(super) by_iso3: HashMap<Iso3, Ccode>,
    pub(super) democracy: HashMap<(Ccode, i32), usize>,
    pub(super) ideal_points: HashMap<(Ccode, i32), f64>,
    /// Years the ideal-point data have any state in (1964 has no recorded votes).
    pub(super) ideal_point_years: BTreeSet<i32>,
    pub(super) history: Arc<DyadHistory>,
    /// Indices of each state's capital spells, in file order.
    pub(super) capitals_of: HashMap<Ccode, Vec<usize>>,
}

pub(super) fn max_year<T>(xs: &[T], f: impl Fn(&T) -> i32) -> Option<i32> {
    xs.iter().map(f).max()
}

impl Archive {
    pub fn new(src: Sources) -> Result<Archive, WorldError> {
        let first_year = src
            .nmc
            .iter()
            .map(|r| r.year)
            .min()
            .ok_or(WorldError::NoData)?;
        let nmc_last = max_year(&src.nmc, |r| r.year).ok_or(WorldError::NoData)?;
        let sipri_last = max_year(&src.sipri, |r| r.year);
        let coverage = Coverage {
            first_year,
            last_year: nmc_last.max(sipri_last.unwrap_or(nmc_last)),
            nmc_last,
            states_last: max_year(&src.states, |s| s.end.year).unwrap_or(nmc_last),
            atop_last: max_year(&src.atop, |r| r.year),
            cow_alliance_last: src
                .cow_alliances
                .iter()
                .flat_map(|s| [Some(s.start.year), s.end.map(|e| e.year)])
                .flatten()
                .max(),
            contiguity_last: max_year(&src.contiguity, |s| s.end.year),
            mindist_last: max_year(&src.mindist, |s| s.end_year),
            rivalries_last: max_year(&src.rivalries, |s| s.end_year),
            sipri_last,
            wpp_first: src.population.iter().map(|r| r.year).min(),
            warheads_last: max_year(&src.warheads, |r| r.year),
            disputes_last: max_year(&src.disputes, |r| r.year),
            democracy_last: max_year(&src.democracy, |r| r.year),
            ideal_points_last: max_year(&src.ideal_points, |r| r.year),
        };
        let mut nmc = HashMap::default();
        let mut nmc_by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (i, r) in src.nmc.iter().enumerate() {
            nmc.insert((r.ccode, r.year), i);
            nmc_by_year.entry(r.year).or_default().push(i);
        }
        let sipri = src
            .sipri
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.ccode, r.year), i))
            .collect();
        let gdp = src
            .gdp
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.ccode, r.year), i))
            .collect();
        let population = src
            .population
            .iter()
            .map(|r| ((r.ccode, r.year), r.thousands))
            .collect();
        let warheads = src
            .warheads
            .iter()
            .map(|r| ((r.ccode, r.year), r.stockpile))
            .collect();
        let mut warhead_years: Vec<i32> = src.warheads.iter().map(|r| r.year).collect();
        warhead_years.sort_unstable();
        warhead_years.dedup();
        let mut atop_by_year: HashMap<i32, Vec<usize>> = HashMap::default();
        for (i, r) in src.atop.iter().enumerate() {
            atop_by_year.entry(r.year).or_default().push(i);
        }
        let iso3: HashMap<Ccode, Iso3> = src
            .codes
            .iter()
            .filter_map(|c| c.iso3.map(|i| (c.ccode, i)))
            .collect();
        let by_iso3 = iso3.iter().map(|(c, i)| (*i, *c)).collect();
        let iso_numeric = src
            .codes
            .iter()
            .filter_map(|c| c.iso_numeric.map(|n| (c.ccode, n)))
            .collect();
        let democracy = src
            .democracy
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.ccode, r.year), i))
            .collect();
        let ideal_points = src
            .ideal_points
            .iter()
            .map(|r| ((r.ccode, r.year), r.ideal_point))
            .collect();
        let ideal_point_years = src.ideal_points.iter().map(|r| r.year).collect();
        let history = Arc::new(DyadHistory::new(
            &src.states,
            coverage.states_last,
            &src.disputes,
            coverage.last_year.max(coverage.disputes_last.unwrap_or(0)),
        ));
        let mut capitals_of: HashMap<Ccode, Vec<usize>> = HashMap::default();
        for (i, k) in src.capitals.iter().enumerate() {
            capitals_of.entry(k.ccode).or_default().push(i);
        }
        Ok(Archive {
            src,
            coverage,
            nmc,
            nmc_by_year,
            sipri,
            gdp,
            population,
            warheads,
            warhead_years,
            atop_by_year,
            iso3,
            iso_numeric,
            by_iso3,
            democracy,
            ideal_points,
            ideal_point_years,
            history,
            capitals_of,
        })
    }

    /// System membership through time and each dyad's dispute record.
    pub fn history(&self) -> &DyadHistory {
        &self.history
    }

    /// Democracy scores of a state-year: (extended UDS, V-Dem polyarchy).
    /// After the data end, the last year's scores are carried (`Carried`).
    pub fn democracy(&self, c: Ccode, year: i32) -> (Sourced, Sourced) {
        let Some(last) = self.coverage.democracy_last else {
            return (Sourced::MISSING, Sourced::MISSING);
        };
        let (y, carried) = if year > last {
            (last, true)
        } else {
            (year, false)
        };
        let Some(r) = self.democracy.get(&(c, y)).map(|&i| &self.src.democracy[i]) else {
            return (Sourced::MISSING, Sourced::MISSING);
        };
        let tag = |v: Option<f64>, s: Source| {
            Sourced::from_option(v, if carried { Source::Carried } else { s })
        };
        (tag(r.uds, Source::Uds), tag(r.polyarchy, Source::Vdem))
    }

    /// A state's UN ideal point in `year`. A year the data skip altogether
    /// (1964: no recorded votes) and years after the data end take the latest
    /// earlier year's value (`Carried`); a state without a value (not a member,
    /// before 1946) is missing.
    pub fn ideal_point(&self, c: Ccode, year: i32) -> Sourced {
        let Some(&y) = self.ideal_point_years.range(..=year).next_back() else {
            return Sourced::MISSING;
        };
        match self.ideal_points.get(&(c, y)) {
            Some(&v) if y == year => Sourced::new(v, Source::Unga),
            Some(&v) => Sourced::new(v, Source::Carried),
            None => Sourced::MISSING,
        }
    }

    pub fn coverage(&self) -> Coverage {
        self.coverage
    }

    pub fn sources(&self) -> &Sources {
        &self.src
    }

    /// The COW code of an ISO3 code (current states only).
    pub fn ccode_of(&self, iso3: Iso3) -> Option<Ccode> {
        self.by_iso3.get(&iso3).copied()
    }

    /// NMC components of a state-year, if NMC has the row.
    pub fn nmc_components(&self, c: Ccode, year: i32) -> Option<Components> {
        self.nmc.get(&(c, year)).map(|&i| {
            let r = &self.src.nmc[i];
            Components {
                milex_k: r.milex_k,
                milper_k: r.milper_k,
                irst_kt: r.irst_kt,
                pec_kt_coal: r.pec_kt_coal,
                tpop_k: r.tpop_k,
                upop_k: r.upop_k,
            }
        })
    }

    /// The NMC row of a state-year.
    pub fn nmc_row(&self, c: Ccode, year: i32) -> Option<&crate::sources::NmcRow> {
        self.nmc.get(&(c, year)).map(|&i| &self.src.nmc[i])
    }

    /// Every NMC row of a year with its recomputed CINC, in file order.
    pub fn recomputed_cinc(&self, year: i32) -> Vec<(Ccode, Option<f64>, Option<f64>)> {
        let Some(rows) = self.nmc_by_year.get(&year) else {
            return Vec::new();
        };
        let comps: Vec<Components> = rows
            .iter()
            .filter_map(|&i| self.nmc_components(self.src.nmc[i].ccode, year))
            .collect();
        let c = capabilities::cinc(&comps);
        rows.iter()
            .zip(c)
            .map(|(&i, x)| (self.src.nmc[i].ccode, self.src.nmc[i].cinc, x))
            .collect()
    }

    fn sipri_current_usd_m(&self, c: Ccode, year: i32) -> Option<f64> {
        let s = &self.src.sipri[*self.sipri.get(&(c, year))?];
        let g = self.src.gdp[*self.gdp.get(&(c, year))?].current_usd_bn?;
        Some(s.share_of_gdp? * g * 1000.0)
    }

    /// NMC / SIPRI-current ratio over the last (up to five) years both cover.
    pub fn splice_ratio(&self, c: Ccode) -> Option<f64> {
        let (mut n, mut d, mut k) = (0.0, 0.0, 0);
        for year in (self.coverage.first_year..=self.coverage.nmc_last).rev() {
            if k == 5 {
                break;
            }
            let nmc = self
                .nmc
                .get(&(c, year))
                .and_then(|&i| self.src.nmc[i].milex_k);
            if let (Some(nmc), Some(s)) = (nmc, self.sipri_current_usd_m(c, year)) {
                if s > 0.0 {
                    n += nmc / 1000.0;
                    d += s;
                    k += 1;
                }
            }
        }
        (k > 0 && d > 0.0).then(|| n / d)
    }

    pub(super) fn milex(&self, c: Ccode, year: i32) -> Milex {
        let cov = self.coverage;
        let assumption = self
            .src
            .milex_assumptions
            .iter()
            .find(|a| a.ccode == c && (a.from_year..=a.to_year).contains(&year));
        let nmc = self
            .nmc
            .get(&(c, year))
            .and_then(|&i| self.src.nmc[i].milex_k);
        let mut splice_ratio = None;
        let mut used_assumption = false;
        let current = if year <= cov.nmc_last {
            match (nmc, assumption) {
                (Some(v), _) => Sourced::new(v / 1000.0, Source::Nmc),
                (None, Some(a)) => {
                    used_assumption = true;
                    Sourced::new(a.current_usd_m, Source::Assumed)
                }
                (None, None) => Sourced::MISSING,
            }
        } else {
            splice_ratio = self.splice_ratio(c);
            match (self.sipri_current_usd_m(c, year), splice_ratio, assumption) {
                (Some(s), Some(r), _) => Sourced::new(s * r, Source::Spliced),
                (Some(s), None, _) => Sourced::new(s, Source::Sipri),
                (None, _, Some(a)) => {
                    used_assumption = true;
                    Sourced::new(a.current_usd_m, Source::Assumed)
                }
                (None, _, None) => Sourced::MISSING,
            }
        };
        let sipri_const = self
            .sipri
            .get(&(c, year))
            .and_then(|&i| self.src.sipri[i].milex_const2023_usd_m);
        let constant = match (sipri_const, assumption) {
            (Some(v), _) => Sourced::new(v, Source::Sipri),
            (None, Some(a)) => {
                used_assumption = true;
                Sourced::new(a.current_usd_m, Source::Assumed)
            }
            (None, None) => Sourced::MISSING,
        };
        Milex {
            current_usd_m: current,
            const2023_usd_m: constant,
            assumed_range_usd_m: assumption
                .filter(|_| used_assumption)
                .map(|a| (a.low_usd_m, a.high_usd_m)),
            splice_ratio,
        }
    }

    pub(super) fn population(&self, c: Ccode, year: i32) -> Sourced {
        let cov = self.coverage;
        let nmc_pop = |y: i32| self.nmc.get(&(c, y)).and_then(|&i| self.src.nmc[i].tpop_k);
        if year <= cov.nmc_last {
            return Sourced::from_option(nmc_pop(year), Source::Nmc);
        }
        if let Some(&p) = self.population.get(&(c, year)) {
            return Sourced::new(p, Source::Wpp);
        }
        // The gap between NMC's last year and WPP's first: geometric interpolation.
        if let Some(wpp_first) = cov.wpp_first {
            if year < wpp_first {
                if let (Some(a), Some(&b)) =
                    (nmc_pop(cov.nmc_last), self.population.get(&(c, wpp_first)))
                {
                    if a > 0.0 && b > 0.0 {
                        let f =
                            f64::from(year - cov.nmc_last) / f64::from(wpp_first - cov.nmc_last);
                        return Sourced::new(a * (b / a).powf(f), Source::Interpolated);
                    }
                }
            }
        }
        Sourced::MISSING
    }

    pub(super) fn warheads(&self, c: Ccode, year: i32) -> Sourced {
        let years = &self.warhead_years;
        let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
            return Sourced::MISSING;
        };
        let value_at = |y: i32| self.warheads.get(&(c, y)).copied().unwrap_or(0.0);
        if year < first {
            // FAS starts with the first weapons (1945): none existed before.
            return Sourced::new(0.0, Source::Fas);
        }
        if year > last {
            return Sourced::MISSING;
        }
        if years.binary_search(&year).is_ok() {
            // FAS lists every nuclear-armed state: absence means none.
            return Sourced::new(value_at(year), Source::Fas);
        }
        let lo = years
            .iter()
            .rev()
            .find(|&&y| y < year)
            .copied()
            .unwrap_or(first);
        let hi = years.iter().find(|&&y| y > year).copied().unwrap_or(last);
        let f = f64::from(year - lo) / f64::from(hi - lo);
        Sourced::new(
            value_at(lo) + f * (value_at(hi) - value_at(lo)),
            Source::Interpolated,
        )
    }
}
