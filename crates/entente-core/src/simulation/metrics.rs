//! The chain's last link: each claim's metric in one draw and option.

use crate::alignment::{Side, Unit};
use crate::ids::Ccode;
use crate::scenario::Metric;
use crate::threat::Threat;
use crate::world::World;

use super::OptionResult;

/// What a metric may look at: the option's world and threat at the end of the
/// horizon, its propensities and results, and the draw's reliability.
pub struct Context<'a> {
    pub actors: &'a [Ccode],
    pub units: &'a [Unit],
    pub world: &'a World,
    pub threat: &'a Threat,
    pub propensity: &'a [Vec<f64>],
    /// `partners[i][j]`: whether actors `i` and `j` have a commitment in any
    /// option's world in any year (the same for every option, so a paired
    /// comparison looks at the same sources).
    pub partners: &'a [Vec<bool>],
    pub result: &'a OptionResult,
    pub reliability: f64,
    /// Each actor's nuclear stockpile at the horizon (empty when no claim
    /// reads warheads; `None` for an actor without an arsenal).
    pub warheads: &'a [Option<f64>],
}

/// The value of `metric` over `states` (and `sources`, for threat from);
/// NaN where it is undefined.
pub fn value(metric: Option<Metric>, states: &[Ccode], sources: &[Ccode], cx: &Context) -> f64 {
    let actors = cx.actors;
    let r = cx.result;
    let ix: Vec<usize> = states
        .iter()
        .filter_map(|c| actors.iter().position(|a| a == c))
        .collect();
    let mean = |v: Vec<f64>| {
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    match metric {
        None => f64::NAN,
        Some(Metric::MilexHorizon) => ix
            .iter()
            .filter_map(|&i| r.milex[i].as_ref().and_then(|p| p.last().copied()))
            .sum(),
        Some(Metric::Threat) => mean(ix.iter().map(|&i| cx.threat.theta[i]).collect()),
        Some(Metric::ThreatFrom) => {
            let src: Vec<usize> = sources
                .iter()
                .filter_map(|c| actors.iter().position(|a| a == c))
                .collect();
            mean(
                ix.iter()
                    .map(|&i| src.iter().map(|&j| cx.threat.q[i][j]).sum())
                    .collect(),
            )
        }
        Some(Metric::ThreatFromNonPartners) => mean(
            ix.iter()
                .map(|&i| {
                    let spared: f64 = (0..actors.len())
                        .filter(|&j| j != i && !cx.partners[i][j])
                        .map(|j| 1.0 - cx.threat.direct[i][j])
                        .product();
                    1.0 - spared
                })
                .collect(),
        ),
        Some(Metric::BlocCohesion) => {
            let mut v = Vec::new();
            for (a, &i) in ix.iter().enumerate() {
                for &j in &ix[a + 1..] {
                    v.push(cx.propensity[i][j]);
                }
            }
            mean(v)
        }
        Some(Metric::Division) => {
            // Each state counts once, at its unit's place.
            let mut count = [0usize; 3];
            for &c in states {
                if let Some(u) = cx.units.iter().position(|u| u.members.contains(&c)) {
                    count[usize::from(r.coalition[u].min(2))] += 1;
                }
            }
            let total: usize = count.iter().sum();
            if total == 0 {
                f64::NAN
            } else {
                let t = total as f64;
                1.0 - count.iter().map(|&k| (k as f64 / t).powi(2)).sum::<f64>()
            }
        }
        Some(Metric::SameSide) => {
            let places: Vec<u8> = states
                .iter()
                .filter_map(|c| cx.units.iter().position(|u| u.members.contains(c)))
                .map(|u| r.coalition[u])
                .collect();
            match places.first() {
                None => f64::NAN,
                Some(&p) => f64::from(u8::from(
                    p != Side::Unaligned.code() && places.iter().all(|&q| q == p),
                )),
            }
        }
        Some(Metric::CoalitionPowerShare) => {
            // The states' own shares plus their defence allies' at reliability.
            let mut allies: Vec<Ccode> = Vec::new();
            for &c in states {
                for s in &cx.world.states {
                    if s.ccode != c
                        && !states.contains(&s.ccode)
                        && cx.world.defence_between(c, s.ccode)
                        && !allies.contains(&s.ccode)
                    {
                        allies.push(s.ccode);
                    }
                }
            }
            let share = |c: &Ccode| {
                actors
                    .iter()
                    .position(|a| a == c)
                    .map_or(0.0, |i| r.region_share[i])
            };
            states.iter().map(share).sum::<f64>()
                + cx.reliability * allies.iter().map(share).sum::<f64>()
        }
        Some(Metric::BargainingMedian) => r.bargaining_median,
        Some(Metric::WarheadsHorizon) => {
            let held: Vec<f64> = ix
                .iter()
                .filter_map(|&i| cx.warheads.get(i).copied().flatten())
                .collect();
            if held.is_empty() {
                f64::NAN
            } else {
                held.iter().sum()
            }
        }
    }
}
