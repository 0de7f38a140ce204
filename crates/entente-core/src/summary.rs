//! A run's results reduced to what a reader looks at: spending fans, threat
//! bands and coalition shares per option and state, the alliance network of
//! each option's world, and the claims. The report and the dashboard both draw
//! from it; serialising it is the store's job.

use crate::ids::{Ccode, Iso3};
use crate::simulation::{ClaimResult, DrawResult, Prepared};
use crate::sources::Obligations;
use crate::world::World;

/// Linear-interpolation quantile of sorted data (`NaN` when empty).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (i, f) = (pos.floor() as usize, pos.fract());
    if i + 1 < sorted.len() {
        sorted[i] * (1.0 - f) + sorted[i + 1] * f
    } else {
        sorted[i]
    }
}

/// 5, 50 and 95% points of the finite values; `None` when there are none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
}

impl Band {
    pub fn of(values: impl Iterator<Item = f64>) -> Option<Band> {
        let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        Some(Band {
            q05: quantile(&v, 0.05),
            q50: quantile(&v, 0.5),
            q95: quantile(&v, 0.95),
        })
    }
}

/// A fan chart: per year, the 5, 25, 50, 75 and 95% points over draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    pub q05: Vec<f64>,
    pub q25: Vec<f64>,
    pub q50: Vec<f64>,
    pub q75: Vec<f64>,
    pub q95: Vec<f64>,
}

/// One actor as the views show it.
#[derive(Debug, Clone, PartialEq)]
pub struct StateInfo {
    pub ccode: Ccode,
    pub iso3: Option<Iso3>,
    pub iso_numeric: Option<u16>,
    pub name: String,
    pub label: String,
    /// Index into [`Summary::units`].
    pub unit: usize,
    /// CINC (estimated after NMC's last year) in the base year.
    pub cinc: Option<f64>,
    pub capital_lat_lon: Option<(f64, f64)>,
}

/// An alignment unit (a state, or a bloc the scenario counts as one actor).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitInfo {
    pub label: String,
    pub members: Vec<Ccode>,
    /// Summed CINC of the members with one.
    pub cinc: f64,
}

/// The obligations between two units in an option's world, and how the option changed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    /// The strongest obligation between any members now (before, when the option removed all).
    pub obligation: &'static str,
    /// Kinds the option created between the units.
    pub added: Vec<&'static str>,
    /// Kinds the option removed between the units.
    pub removed: Vec<&'static str>,
}
/// One option's results.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSummary {
    pub option: String,
    /// Per state: military spending fan, constant 2023 US$ m; `None` without data.
    pub milex: Vec<Option<Fan>>,
    /// Per state: threat (theta) over draws.
    pub threat: Vec<Option<Band>>,
    /// Per unit: share of draws on the side of the scenario's `east` state
    /// (`None` when the scenario names no sides).
    pub with_east: Vec<Option<f64>>,
    /// Per unit: share of draws on the side of the `west` state.
    pub with_west: Vec<Option<f64>>,
    /// Per unit: share of draws unaligned (with neither side).
    pub unaligned: Vec<Option<f64>>,
    pub edges: Vec<Edge>,
    pub bargaining_median: Option<Band>,
}

/// The scenario's framing as the views show it.
#[derive(Debug, Clone, PartialEq)]
pub struct FramingInfo {
    /// Name of the region whose balance the run measures.
    pub region: String,
    /// Labels (ISO3) of the states anchoring each side, if the scenario names them.
    pub west: Option<String>,
    pub east: Option<String>,
    /// Indices into [`Summary::states`] of the states the report lists first.
    pub report_states: Vec<usize>,
}

/// Everything the views need of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub framing: FramingInfo,
    pub years: Vec<i32>,
    pub baseline: String,
    pub states: Vec<StateInfo>,
    pub units: Vec<UnitInfo>,
    pub options: Vec<OptionSummary>,
}

/// Obligation kinds from strongest to weakest as alignment signals: a pledge to
/// consult in a crisis says more about alignment than a non-aggression treaty.
const KINDS: [&str; 6] = [
    "defence",
    "offence",
    "neutrality",
    "consultation",
    "nonaggression",
    "cooperation",
];

fn kinds(o: Obligations) -> [bool; 6] {
    [
        o.defence,
        o.offence,
        o.neutrality,
        o.consultation,
        o.nonaggression,
        o.cooperation,
    ]
}

/// Which kinds tie any member of `a` to any member of `b`.
fn unit_ties(world: &World, a: &[Ccode], b: &[Ccode]) -> [bool; 6] {
    let mut any = [false; 6];
    for &x in a {
        for &y in b {
            let mut o = world.obligations_between(x, y);
            o.defence |= world.defence_between(x, y);
            for (k, v) in kinds(o).into_iter().enumerate() {
                any[k] |= v;
            }
        }
    }
    any
}

fn strongest(ties: &[bool; 6]) -> Option<&'static str> {
    ties.iter().position(|t| *t).map(|k| KINDS[k])
}

impl Summary {
    /// Reduce `results` (any draws, in any order) of the prepared scenario.
    pub fn new(prep: &Prepared, results: &[DrawResult]) -> Summary {
        let sc = prep.scenario;
        let h = sc.horizon_years as usize + 1;
        let years = (0..h).map(|t| sc.base_year + t as i32).collect();
        let baseline = sc
            .claims
            .iter()
            .find(|c| c.metric.is_some())
            .map(|c| c.baseline.clone())
            .unwrap_or_else(|| sc.options[0].id.clone());
        let units: Vec<UnitInfo> = prep
            .units
            .iter()
            .map(|u| UnitInfo {
                label: u.label.clone(),
                members: u.members.clone(),
                cinc: u
                    .members
                    .iter()
                    .filter_map(|c| prep.base.state(*c)?.cinc_est.value)
                    .sum(),
            })
            .collect();
        let states = sc
            .actors
            .iter()
            .map(|&c| {
                let s = prep.base.state(c);
                StateInfo {
                    ccode: c,
                    iso3: s.and_then(|s| s.iso3),
                    iso_numeric: s.and_then(|s| s.iso_numeric),
                    name: s.map_or_else(|| c.to_string(), |s| s.name.clone()),
                    label: prep.base.label(c),
                    unit: units
                        .iter()
                        .position(|u| u.members.contains(&c))
                        .unwrap_or(0),
                    cinc: s.and_then(|s| s.cinc_est.value),
                    capital_lat_lon: s
                        .and_then(|s| s.capital.as_ref())
                        .map(|k| (k.lat_deg, k.lon_deg)),
                }
            })
            .collect();
        let fr = &sc.framing;
        let east = fr
            .east
            .and_then(|e| prep.units.iter().position(|u| u.members.contains(&e)));
        let framing = FramingInfo {
            region: fr.region_label.clone(),
            west: fr.west.map(|c| prep.base.label(c)),
            east: fr.east.map(|c| prep.base.label(c)),
            report_states: fr
                .report_states
                .iter()
                .filter_map(|c| sc.actors.iter().position(|a| a == c))
                .collect(),
        };
        let n = results.len().max(1) as f64;
        let base_ties: Vec<[bool; 6]> = pairs(units.len())
            .map(|(a, b)| unit_ties(&prep.base, &units[a].members, &units[b].members))
            .collect();
        let options = sc
            .options
            .iter()
            .enumerate()
            .map(|(oi, opt)| {
                let milex = (0..sc.actors.len())
                    .map(|i| {
                        let mut fan = Fan {
                            q05: Vec::with_capacity(h),
                            q25: Vec::with_capacity(h),
                            q50: Vec::with_capacity(h),
                            q75: Vec::with_capacity(h),
                            q95: Vec::with_capacity(h),
                        };
                        for t in 0..h {
                            let mut v: Vec<f64> = results
                                .iter()
                                .filter_map(|r| r.options[oi].milex[i].as_ref()?.get(t).copied())
                                .filter(|v| v.is_finite())
                                .collect();
                            if v.is_empty() {
                                return None;
                            }
                            v.sort_by(f64::total_cmp);
                            fan.q05.push(quantile(&v, 0.05));
                            fan.q25.push(quantile(&v, 0.25));
                            fan.q50.push(quantile(&v, 0.5));
                            fan.q75.push(quantile(&v, 0.75));
                            fan.q95.push(quantile(&v, 0.95));
                        }
                        Some(fan)
                    })
                    .collect();
                let threat = (0..sc.actors.len())
                    .map(|i| Band::of(results.iter().map(|r| r.options[oi].theta[i])))
                    .collect();
                let share_at = |side: crate::alignment::Side| -> Vec<Option<f64>> {
                    (0..units.len())
                        .map(|u| {
                            east?;
                            let k = results
                                .iter()
                                .filter(|r| r.options[oi].coalition[u] == side.code())
                                .count();
                            (!results.is_empty()).then(|| k as f64 / n)
                        })
                        .collect()
                };
                let with_east = share_at(crate::alignment::Side::East);
                let with_west = share_at(crate::alignment::Side::West);
                let unaligned = share_at(crate::alignment::Side::Unaligned);
                let world = prep.worlds[oi].last();
                let edges = pairs(units.len())
                    .zip(&base_ties)
                    .filter_map(|((a, b), before)| {
                        let now = unit_ties(world, &units[a].members, &units[b].members);
                        let changed = |x: &[bool; 6], y: &[bool; 6]| {
                            (0..6)
                                .filter(|&k| x[k] && !y[k])
                                .map(|k| KINDS[k])
                                .collect()
                        };
                        Some(Edge {
                            a,
                            b,
                            obligation: strongest(&now).or_else(|| strongest(before))?,
                            added: changed(&now, before),
                            removed: changed(before, &now),
                        })
                    })
                    .collect();
                OptionSummary {
                    option: opt.id.clone(),
                    milex,
                    threat,
                    with_east,
                    with_west,
                    unaligned,
                    edges,
                    bargaining_median: Band::of(
                        results.iter().map(|r| r.options[oi].bargaining_median),
                    ),
                }
            })
            .collect();
        Summary {
            framing,
            years,
            baseline,
            states,
            units,
            options,
        }
    }
}

fn pairs(n: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..n).flat_map(move |a| (a + 1..n).map(move |b| (a, b)))
}

/// The claims' top drivers, largest total index first.
pub fn ranked_drivers(c: &ClaimResult) -> Vec<crate::simulation::Driver> {
    let mut d = c.drivers.clone();
    d.sort_by(|a, b| {
        b.total
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.total.unwrap_or(f64::NEG_INFINITY))
    });
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert!((quantile(&v, 0.1) - 1.4).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn bands_skip_missing_values() {
        let b = Band::of([f64::NAN, 2.0, 1.0, 3.0].into_iter()).unwrap();
        assert_eq!(b.q50, 2.0);
        assert!(Band::of([f64::NAN].into_iter()).is_none());
    }

    #[test]
    fn the_strongest_obligation_wins() {
        let o = Obligations {
            consultation: true,
            nonaggression: true,
            ..Obligations::default()
        };
        assert_eq!(strongest(&kinds(o)), Some("consultation"));
        let o = Obligations { defence: true, ..o };
        assert_eq!(strongest(&kinds(o)), Some("defence"));
        assert_eq!(strongest(&kinds(Obligations::default())), None);
    }
}
