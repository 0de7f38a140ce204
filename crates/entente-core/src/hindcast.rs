//! Hindcasts: a scenario's chain started from the world of a past year `Y`
//! and run to `Z`, then scored against what happened.
//!
//! Two options: `frozen` (the world of `Y` throughout) and `observed` (the ties
//! that really formed or ended in `(Y, Z]` among the actors, each applied from
//! the year it took effect). Everything else is the scenario's own chain:
//! its actors (those that were states in `Y`), framing and priors; the engine
//! refits the dispute hazard and the spending model on the data up to `Y`
//! only. The one input from after `Y` is the observed ties, by design: the
//! hindcast asks how well the chain does given the alliances that formed.
//! The realised spending after `Y` is read only to score.
//!
//! ```
//! use entente_core::hindcast::{Window, HindcastError};
//! assert!(Window::new(2016, 2024, (2000, 2024)).is_ok());
//! assert!(matches!(Window::new(2016, 2016, (2000, 2024)), Err(HindcastError::Window { .. })));
//! ```

use crate::ids::Ccode;
use crate::scenario::{Change, Edit, PolicyOption, Scenario};
use crate::scoring::{score_hindcast, HindcastScores, HindcastSeries, ScoringError};
use crate::simulation::{DrawResult, Prepared, MIN_FIT_YEARS};
use crate::sources::ObligationKind;
use crate::world::{Archive, Source, World, WorldError};

/// The option with the ties that really formed.
pub const OBSERVED: &str = "observed";
/// The option with the base year's ties throughout.
pub const FROZEN: &str = "frozen";

/// Why a hindcast cannot be run or scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HindcastError {
    #[error("hindcast window {from}-{to}: {why}")]
    Window { from: i32, to: i32, why: String },
    #[error(transparent)]
    World(#[from] WorldError),
    #[error("scoring: {0}")]
    Scoring(#[from] ScoringError),
    #[error("the results have no `{0}` option")]
    MissingOption(&'static str),
}

/// A checked hindcast window: base year `from`, last forecast year `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: i32,
    pub to: i32,
}

impl Window {
    /// `spending_years`: the first and last year of the spending data. The
    /// spending model needs [`MIN_FIT_YEARS`] years up to `from`; `to` must
    /// come after `from` and within the data.
    pub fn new(from: i32, to: i32, spending_years: (i32, i32)) -> Result<Window, HindcastError> {
        let (first, last) = spending_years;
        let err = |why: String| Err(HindcastError::Window { from, to, why });
        let earliest = first + MIN_FIT_YEARS - 1;
        if from < earliest {
            return err(format!(
                "the spending model needs {MIN_FIT_YEARS} years of SIPRI data up to the base year (they start in {first}): the first base year is {earliest}"
            ));
        }
        if to <= from {
            return err("the last year must come after the base year".into());
        }
        if to > last {
            return err(format!(
                "the spending data end in {last}: nothing after it can be scored"
            ));
        }
        Ok(Window { from, to })
    }

    pub fn horizon(&self) -> u32 {
        (self.to - self.from) as u32
    }
}

/// The edits that turn the world of `from` into the ties of each later year
/// up to `to`, among `actors`: every obligation that appears between two
/// actors in year `y` (added from `y`) or disappears (removed from `y`).
pub fn observed_edits(
    archive: &Archive,
    actors: &[Ccode],
    window: Window,
) -> Result<Vec<Edit>, HindcastError> {
    let mut edits = Vec::new();
    let mut prev = World::for_year(archive, window.from)?;
    for year in window.from + 1..=window.to {
        let w = World::for_year(archive, year)?;
        for (i, &a) in actors.iter().enumerate() {
            for &b in &actors[i + 1..] {
                let (before, now) = (prev.obligations_between(a, b), w.obligations_between(a, b));
                for kind in ObligationKind::ALL {
                    let (had, has) = (before.has(kind), now.has(kind));
                    let sides = vec![vec![a], vec![b]];
                    let change = match (had, has) {
                        (false, true) => Change::AddPact { sides, kind },
                        (true, false) => Change::RemovePact { sides, kind },
                        _ => continue,
                    };
                    edits.push(Edit {
                        change,
                        from: Some(year),
                    });
                }
            }
        }
        prev = w;
    }
    Ok(edits)
}

/// The scenario of a hindcast: `sc`'s chain from `window.from` to
/// `window.to`, with the [`FROZEN`] and [`OBSERVED`] options, no claims and
/// no bargaining (neither feeds the spending paths scored).
pub fn scenario(
    sc: &Scenario,
    archive: &Archive,
    window: Window,
) -> Result<Scenario, HindcastError> {
    let base = World::for_year(archive, window.from)?;
    let actors: Vec<Ccode> = sc
        .actors
        .iter()
        .copied()
        .filter(|c| base.state(*c).is_some())
        .collect();
    let edits = observed_edits(archive, &actors, window)?;
    let mut out = sc.clone();
    out.name = format!("{}-hindcast-{}-{}", sc.name, window.from, window.to);
    out.title = format!(
        "Hindcast of {} from {} to {}",
        sc.title, window.from, window.to
    );
    out.base_year = window.from;
    out.horizon_years = window.horizon();
    out.framing.region.retain(|c| actors.contains(c));
    out.framing.report_states.retain(|c| actors.contains(c));
    out.actors = actors;
    out.claims.clear();
    // A hindcast's options are its own: no lever sets them.
    out.sweep = crate::sweep::Sweep::default();
    out.stakeholders.clear();
    out.options = vec![
        PolicyOption {
            id: FROZEN.into(),
            description: format!("The ties of {} throughout.", window.from),
            edits: Vec::new(),
        },
        PolicyOption {
            id: OBSERVED.into(),
            description: format!(
                "The ties that formed or ended among the actors in {}-{}, each from the year it took effect ({} changes).",
                window.from + 1,
                window.to,
                edits.len()
            ),
            edits,
        },
    ];
    Ok(out)
}

/// The states a hindcast is scored on: the actors in the scenario's region,
/// the states its report lists and the two sides' anchors (all actors when
/// the scenario names none of these), with SIPRI spending in the base year.
pub fn scored_states(prep: &Prepared) -> Vec<Ccode> {
    let sc = prep.scenario;
    let f = &sc.framing;
    let named = |c: &Ccode| {
        f.region.contains(c)
            || f.report_states.contains(c)
            || f.west == Some(*c)
            || f.east == Some(*c)
    };
    let any_named = sc.actors.iter().any(named);
    sc.actors
        .iter()
        .copied()
        .filter(|c| !any_named || named(c))
        .filter(|c| sipri(&prep.base, *c).is_some())
        .collect()
}

fn sipri(w: &World, c: Ccode) -> Option<f64> {
    w.state(c)
        .map(|s| s.milex.const2023_usd_m)
        .filter(|m| m.source == Source::Sipri)
        .and_then(|m| m.value)
}

/// Each scored state's SIPRI series: `(history first..=from, realised
/// from+1..=to)`.
type Series = (Vec<Option<f64>>, Vec<Option<f64>>);

/// Scores of the [`OBSERVED`] option's spending draws against SIPRI's
/// realised values, with the two persistence baselines fitted on the years up
/// to the base year. Returns the scores and the states scored, in order.
pub fn score(
    prep: &Prepared,
    results: &[DrawResult],
    option: &'static str,
) -> Result<(HindcastScores, Vec<Ccode>), HindcastError> {
    let sc = prep.scenario;
    let k = sc
        .options
        .iter()
        .position(|o| o.id == option)
        .ok_or(HindcastError::MissingOption(option))?;
    let states = scored_states(prep);
    let first = prep
        .archive
        .sources()
        .sipri
        .iter()
        .map(|r| r.year)
        .min()
        .unwrap_or(sc.base_year);
    let last = sc.base_year + sc.horizon_years as i32;
    let worlds: Vec<World> = (first..=last)
        .map(|y| World::for_year(prep.archive, y))
        .collect::<Result<_, _>>()?;
    let series: Vec<Series> = states
        .iter()
        .map(|&c| {
            let v: Vec<Option<f64>> = worlds.iter().map(|w| sipri(w, c)).collect();
            let split = (sc.base_year - first + 1) as usize;
            (v[..split].to_vec(), v[split..].to_vec())
        })
        .collect();
    let h = sc.horizon_years as usize;
    let draws: Vec<Vec<Vec<f64>>> = states
        .iter()
        .map(|c| {
            let i = sc.actors.iter().position(|a| a == c).unwrap_or(usize::MAX);
            (1..=h)
                .map(|t| {
                    results
                        .iter()
                        .filter_map(|r| r.options.get(k)?.milex.get(i)?.as_ref()?.get(t).copied())
                        .collect()
                })
                .collect()
        })
        .collect();
    let names: Vec<String> = states.iter().map(|c| state_name(&prep.base, *c)).collect();
    let input: Vec<HindcastSeries> = states
        .iter()
        .enumerate()
        .map(|(j, _)| HindcastSeries {
            name: &names[j],
            history: &series[j].0,
            draws: &draws[j],
            realised: &series[j].1,
        })
        .collect();
    Ok((score_hindcast(sc.base_year, &input)?, states))
}

/// A state's ISO3 code (its COW code where it has none).
pub fn state_name(w: &World, c: Ccode) -> String {
    w.state(c)
        .and_then(|s| s.iso3)
        .map_or_else(|| c.to_string(), |i| i.to_string())
}
