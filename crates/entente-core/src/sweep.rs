//! Lever sweeps (EMA Workbench's vocabulary): policy choices of a scenario's options, each
//! with a set of values, run as a full or sampled grid of settings over the same uncertainty
//! draws.
//!
//! A sweep is resolved into ordinary options and claims before anything runs: each option a
//! lever targets is replaced, in place, by one variant per setting (`<option>@<setting>`,
//! e.g. `pact@start_year=2026+obligation=defence`), and each claim comparing a targeted
//! option by one claim per setting (`<claim>@<setting>`). Every variant is an option of every
//! draw, so all settings see the same parameters and noise (common random numbers), the
//! options no lever touches are computed once per draw, and sharding and merging need
//! nothing new. [`Sweep`] keeps what each variant and claim stands for, for the outputs.

use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::ids::Ccode;
use crate::scenario::{Change, Claim, PolicyOption};
use crate::sources::ObligationKind;

/// Most settings a sweep may run (a full grid past it must be sampled).
pub const MAX_SETTINGS: usize = 64;
/// Most settings a sampled grid may be drawn from.
pub const MAX_GRID: usize = 1_000_000;

/// What a lever sets on its option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeverField {
    /// The year every edit of the option takes effect (`from`).
    StartYear,
    /// The obligation of every pact the option adds.
    Obligation,
    /// The sides (member lists) of every pact the option adds.
    Members,
}

impl LeverField {
    pub const ALL: [LeverField; 3] = [
        LeverField::StartYear,
        LeverField::Obligation,
        LeverField::Members,
    ];
    pub fn name(self) -> &'static str {
        match self {
            LeverField::StartYear => "start_year",
            LeverField::Obligation => "obligation",
            LeverField::Members => "members",
        }
    }
    pub fn parse(s: &str) -> Option<LeverField> {
        LeverField::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// One value of a lever.
#[derive(Debug, Clone, PartialEq)]
pub enum LeverValue {
    StartYear(i32),
    Obligation(ObligationKind),
    /// The pact's sides, with the label the file gives them (`NATO/IP4`).
    Members {
        sides: Vec<Vec<Ccode>>,
        label: String,
    },
}

impl LeverValue {
    /// How the value is written in outputs.
    pub fn label(&self) -> String {
        match self {
            LeverValue::StartYear(y) => y.to_string(),
            LeverValue::Obligation(k) => k.name().to_string(),
            LeverValue::Members { label, .. } => label.clone(),
        }
    }

    /// `option` with this value applied.
    fn apply(&self, option: &mut PolicyOption) {
        for e in &mut option.edits {
            match (self, &mut e.change) {
                (LeverValue::StartYear(y), _) => e.from = Some(*y),
                (LeverValue::Obligation(k), Change::AddPact { kind, .. }) => *kind = *k,
                (LeverValue::Members { sides: s, .. }, Change::AddPact { sides, .. }) => {
                    sides.clone_from(s);
                }
                _ => {}
            }
        }
    }
}

/// A policy lever: a field of one option and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Lever {
    /// Its name in outputs (the column `lever_<name>`).
    pub name: String,
    /// The option it sets.
    pub option: String,
    pub field: LeverField,
    pub values: Vec<LeverValue>,
}

/// A resolved sweep: the levers, the settings run, and what each expanded option and claim
/// stands for. Empty for a scenario without levers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sweep {
    pub levers: Vec<Lever>,
    /// Each setting: the index of each lever's value, in lever order.
    pub settings: Vec<Vec<usize>>,
    /// Whether the settings are a sample of the full grid (`lever_sample`).
    pub sampled: bool,
    /// The full grid's size.
    pub grid: usize,
    /// Each variant option: (its id, its setting, the option it is a variant of).
    pub options: Vec<(String, usize, String)>,
    /// Each expanded claim: (its id, its setting, the claim it expands).
    pub claims: Vec<(String, usize, String)>,
}

impl Sweep {
    pub fn is_empty(&self) -> bool {
        self.levers.is_empty()
    }

    /// The output column of each lever: `lever_<name>`.
    pub fn columns(&self) -> Vec<String> {
        self.levers
            .iter()
            .map(|l| format!("lever_{}", l.name))
            .collect()
    }

    /// The values of setting `s`, one per lever, as written in outputs.
    pub fn values(&self, s: usize) -> Vec<String> {
        self.levers
            .iter()
            .zip(&self.settings[s])
            .map(|(l, &v)| l.values[v].label())
            .collect()
    }

    /// Setting `s` as one label: `start_year=2026+obligation=defence`.
    pub fn label(&self, s: usize) -> String {
        self.levers
            .iter()
            .zip(self.values(s))
            .map(|(l, v)| format!("{}={v}", l.name))
            .collect::<Vec<_>>()
            .join("+")
    }

    /// The setting of an option, if it is a variant.
    pub fn option_setting(&self, id: &str) -> Option<usize> {
        self.options.iter().find(|o| o.0 == id).map(|o| o.1)
    }

    /// The setting and original id of a claim, if it is an expanded one.
    pub fn claim_setting(&self, id: &str) -> Option<(usize, &str)> {
        self.claims
            .iter()
            .find(|c| c.0 == id)
            .map(|c| (c.1, c.2.as_str()))
    }

    /// The claims the sweep expanded, in file order, each once.
    pub fn swept_claims(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.claims {
            if !out.contains(&c.2.as_str()) {
                out.push(&c.2);
            }
        }
        out
    }
}

/// Every setting of the grid of levers with these numbers of values, the last lever
/// varying fastest.
pub fn full_grid(sizes: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    for &n in sizes {
        out = out
            .into_iter()
            .flat_map(|s| {
                (0..n).map(move |v| {
                    let mut t = s.clone();
                    t.push(v);
                    t
                })
            })
            .collect();
    }
    out
}

/// `k` settings of the full grid drawn without replacement with `seed` (in grid order, so
/// the same seed always gives the same settings in the same order).
pub fn sampled_grid(sizes: &[usize], k: usize, seed: u64) -> Vec<Vec<usize>> {
    let grid = full_grid(sizes);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // A stream of its own, apart from every draw's.
    rng.set_stream(u64::MAX);
    let mut picked = sample(&mut rng, grid.len(), k.min(grid.len())).into_vec();
    picked.sort_unstable();
    picked.into_iter().map(|i| grid[i].clone()).collect()
}

/// Replace every option a lever targets by its variants and every claim comparing such an
/// option by one claim per setting, in place; returns the sweep. The levers must name
/// options of `options` (the scenario reader checks).
pub fn expand(
    levers: Vec<Lever>,
    settings: Vec<Vec<usize>>,
    sampled: bool,
    options: &mut Vec<PolicyOption>,
    claims: &mut Vec<Claim>,
) -> Sweep {
    let grid = levers.iter().map(|l| l.values.len()).product();
    let mut sweep = Sweep {
        levers,
        settings,
        sampled,
        grid,
        options: Vec::new(),
        claims: Vec::new(),
    };
    if sweep.is_empty() {
        return sweep;
    }
    let targeted = |id: &str| sweep.levers.iter().any(|l| l.option == id);
    let variant = |id: &str, s: usize| format!("{id}@{}", sweep.label(s));
    let mut new_options = Vec::new();
    let mut variants = Vec::new();
    for o in options.drain(..) {
        if !targeted(&o.id) {
            new_options.push(o);
            continue;
        }
        for (s, setting) in sweep.settings.iter().enumerate() {
            let mut v = o.clone();
            v.id = variant(&o.id, s);
            for (l, &i) in sweep.levers.iter().zip(setting) {
                if l.option == o.id {
                    l.values[i].apply(&mut v);
                }
            }
            v.description = format!("{} [levers: {}]", o.description, sweep.label(s));
            variants.push((v.id.clone(), s, o.id.clone()));
            new_options.push(v);
        }
    }
    *options = new_options;
    let mut new_claims = Vec::new();
    let mut expanded = Vec::new();
    for c in claims.drain(..) {
        if !(targeted(&c.treatment) || targeted(&c.baseline)) {
            new_claims.push(c);
            continue;
        }
        for s in 0..sweep.settings.len() {
            let mut e = c.clone();
            e.id = format!("{}@{}", c.id, sweep.label(s));
            for side in [&mut e.treatment, &mut e.baseline] {
                if targeted(side) {
                    *side = variant(side, s);
                }
            }
            expanded.push((e.id.clone(), s, c.id.clone()));
            new_claims.push(e);
        }
    }
    *claims = new_claims;
    sweep.options = variants;
    sweep.claims = expanded;
    sweep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Edit;

    #[test]
    fn the_full_grid_is_every_combination_last_lever_fastest() {
        assert_eq!(
            full_grid(&[2, 3]),
            vec![
                vec![0, 0],
                vec![0, 1],
                vec![0, 2],
                vec![1, 0],
                vec![1, 1],
                vec![1, 2]
            ]
        );
        assert_eq!(full_grid(&[]), vec![Vec::<usize>::new()]);
    }

    #[test]
    fn a_sampled_grid_is_distinct_settings_in_grid_order_fixed_by_the_seed() {
        let a = sampled_grid(&[4, 5], 6, 9);
        assert_eq!(a.len(), 6);
        assert_eq!(a, sampled_grid(&[4, 5], 6, 9));
        let mut sorted = a.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, a);
        assert_ne!(a, sampled_grid(&[4, 5], 6, 10));
    }

    #[test]
    fn levers_expand_the_targeted_option_and_its_claims() {
        let pact = |kind| {
            Edit::now(Change::AddPact {
                sides: vec![vec![Ccode(2)], vec![Ccode(740)]],
                kind,
            })
        };
        let mut options = vec![
            PolicyOption {
                id: "sq".into(),
                description: String::new(),
                edits: vec![],
            },
            PolicyOption {
                id: "pact".into(),
                description: "p".into(),
                edits: vec![pact(ObligationKind::Consultation)],
            },
        ];
        let claim = Claim {
            id: "c".into(),
            text: String::new(),
            source: String::new(),
            metric: None,
            why_not: String::new(),
            states: vec![],
            sources: vec![],
            responders: vec![],
            comparison: crate::scenario::Comparison::Difference,
            direction: crate::scenario::Direction::Above,
            threshold: 0.0,
            treatment: "pact".into(),
            baseline: "sq".into(),
        };
        let mut claims = vec![claim];
        let levers = vec![
            Lever {
                name: "start_year".into(),
                option: "pact".into(),
                field: LeverField::StartYear,
                values: vec![LeverValue::StartYear(2026), LeverValue::StartYear(2028)],
            },
            Lever {
                name: "obligation".into(),
                option: "pact".into(),
                field: LeverField::Obligation,
                values: vec![
                    LeverValue::Obligation(ObligationKind::Consultation),
                    LeverValue::Obligation(ObligationKind::Defence),
                ],
            },
        ];
        let sweep = expand(levers, full_grid(&[2, 2]), false, &mut options, &mut claims);
        let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "sq",
                "pact@start_year=2026+obligation=consultation",
                "pact@start_year=2026+obligation=defence",
                "pact@start_year=2028+obligation=consultation",
                "pact@start_year=2028+obligation=defence"
            ]
        );
        assert_eq!(
            options[4].edits[0],
            Edit {
                change: Change::AddPact {
                    sides: vec![vec![Ccode(2)], vec![Ccode(740)]],
                    kind: ObligationKind::Defence
                },
                from: Some(2028)
            }
        );
        assert_eq!(claims.len(), 4);
        assert_eq!(claims[1].id, "c@start_year=2026+obligation=defence");
        assert_eq!(claims[1].treatment, options[2].id);
        assert_eq!(claims[1].baseline, "sq");
        assert_eq!(sweep.claim_setting(&claims[3].id), Some((3, "c")));
        assert_eq!(sweep.option_setting("sq"), None);
        assert_eq!(sweep.values(2), ["2028", "consultation"]);
        assert_eq!(sweep.columns(), ["lever_start_year", "lever_obligation"]);
        assert_eq!(sweep.grid, 4);
    }
}
