//! Scenario files (TOML): parse, resolve against the world of the base year,
//! and report every problem at once with file, line and column.
//!
//! The format is documented in `docs/scenarios.md`.

use std::collections::BTreeMap;
use std::ops::Range;

use entente_core::ids::Ccode;
use entente_core::scenario::*;
use entente_core::sources::ObligationKind;
use entente_core::world::{Archive, World};
use serde::Deserialize;
use toml::Spanned;

mod claims;
mod framing;
mod levers;

/// The flagship scenario, bundled so `entente run` and `entente serve` work from any folder.
pub const FLAGSHIP: &str = include_str!("../../../../scenarios/nato-ip4.toml");
/// Where the flagship lives in the repository (the name its errors carry).
pub const FLAGSHIP_PATH: &str = "scenarios/nato-ip4.toml";

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Every problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.file, .problems))]
pub struct ScenarioError {
    pub file: String,
    pub problems: Vec<Problem>,
}

fn render(file: &str, problems: &[Problem]) -> String {
    let mut s = format!(
        "{file}: {} problem{}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str(&format!(
            "\n  {file}:{}:{}: {}",
            p.line, p.column, p.message
        ));
    }
    s
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    scenario: RawMeta,
    world: RawWorld,
    #[serde(default)]
    framing: Option<framing::RawFraming>,
    experiment: RawExperiment,
    #[serde(default)]
    priors: BTreeMap<String, Spanned<RawPrior>>,
    options: Vec<RawOption>,
    #[serde(default)]
    bargaining: Option<RawBargaining>,
    #[serde(default)]
    claims: Vec<claims::RawClaim>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    name: Spanned<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorld {
    base_year: Spanned<i64>,
    horizon_years: Spanned<i64>,
    actors: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExperiment {
    /// Saltelli base samples (N (k + 2) points); exactly one of this and `draws`.
    base_samples: Option<Spanned<i64>>,
    /// Total draws, rounded up to whole base samples or points.
    draws: Option<Spanned<i64>>,
    seed: Spanned<i64>,
    sampler: Option<Spanned<String>>,
    replications: Option<Spanned<i64>>,
    /// Policy levers of the options (docs/scenarios.md, "Lever sweeps").
    #[serde(default)]
    levers: Vec<levers::RawLever>,
    /// Run this many settings drawn from the levers' grid instead of all of them.
    #[serde(default)]
    lever_sample: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrior {
    dist: Spanned<String>,
    value: Option<f64>,
    lo: Option<f64>,
    hi: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    median: Option<f64>,
    sigma: Option<f64>,
    mode: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPact {
    members: Vec<Spanned<String>>,
    obligation: Spanned<String>,
    #[serde(default)]
    from: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpending {
    states: Vec<Spanned<String>>,
    pct_per_year: f64,
    #[serde(default)]
    from: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    id: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    add_pact: Vec<RawPact>,
    #[serde(default)]
    remove_pact: Vec<RawPact>,
    #[serde(default)]
    spending: Vec<RawSpending>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBargaining {
    issue: String,
    #[serde(default)]
    influence: Option<Spanned<String>>,
    stakeholders: Vec<RawStakeholder>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStakeholder {
    actor: Spanned<String>,
    position: Spanned<Vec<f64>>,
    salience: Spanned<Vec<f64>>,
    #[serde(default)]
    weight: Option<Spanned<f64>>,
}

/// Collects problems with their byte spans.
struct Problems<'t> {
    text: &'t str,
    list: Vec<(Range<usize>, String)>,
}

impl Problems<'_> {
    fn add(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.list.push((span, msg.into()));
    }
    fn located(&self) -> Vec<Problem> {
        locate(self.text, &self.list)
    }
}

/// Problems at byte spans of `text`, located by line and column and sorted.
pub(crate) fn locate(text: &str, list: &[(Range<usize>, String)]) -> Vec<Problem> {
    let mut v: Vec<Problem> = list
        .iter()
        .map(|(span, m)| {
            let (line, column) = line_col(text, span.start);
            Problem {
                line,
                column,
                message: m.clone(),
            }
        })
        .collect();
    v.sort_by_key(|p| (p.line, p.column));
    v
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Parse and resolve a scenario.
pub fn parse_scenario(
    text: &str,
    file: &str,
    archive: &Archive,
) -> Result<Scenario, ScenarioError> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        ScenarioError {
            file: file.to_string(),
            problems: vec![Problem {
                line,
                column,
                message: e.message().trim().to_string(),
            }],
        }
    })?;
    let mut pr = Problems {
        text,
        list: Vec::new(),
    };
    if let Err(m) = check_name(raw.scenario.name.get_ref()) {
        pr.add(raw.scenario.name.span(), m);
    }
    let cov = archive.coverage();
    let year = *raw.world.base_year.get_ref();
    let base_year = if (i64::from(cov.first_year)..=i64::from(cov.last_year)).contains(&year) {
        year as i32
    } else {
        pr.add(
            raw.world.base_year.span(),
            format!(
                "base_year {year} is outside the data ({}-{})",
                cov.first_year, cov.last_year
            ),
        );
        cov.last_year
    };
    let world = World::for_year(archive, base_year).map_err(|e| ScenarioError {
        file: file.into(),
        problems: vec![Problem {
            line: 1,
            column: 1,
            message: e.to_string(),
        }],
    })?;
    let resolve = |tok: &Spanned<String>, pr: &mut Problems| -> Vec<Ccode> {
        match world.resolve(tok.get_ref(), archive) {
            Ok(v) => v,
            Err(e) => {
                pr.add(tok.span(), e.to_string());
                Vec::new()
            }
        }
    };
    let horizon = *raw.world.horizon_years.get_ref();
    if !(1..=50).contains(&horizon) {
        pr.add(
            raw.world.horizon_years.span(),
            format!("horizon_years must be 1-50, got {horizon}"),
        );
    }
    let mut actors: Vec<Ccode> = Vec::new();
    for a in &raw.world.actors {
        for c in resolve(a, &mut pr) {
            if !actors.contains(&c) {
                actors.push(c);
            }
        }
    }
    if raw.world.actors.is_empty() {
        pr.add(
            raw.world.base_year.span(),
            "world.actors is empty: name at least two states or groups",
        );
    }
    let ex = &raw.experiment;
    let sampler = match &ex.sampler {
        None => Sampler::Saltelli,
        Some(s) => Sampler::from_name(s.get_ref()).unwrap_or_else(|| {
            let names: Vec<&str> = Sampler::ALL.iter().map(|s| s.name()).collect();
            pr.add(
                s.span(),
                format!(
                    "sampler `{}` is not one of {}{}",
                    s.get_ref(),
                    names.join(", "),
                    nearest(s.get_ref(), &names)
                ),
            );
            Sampler::Saltelli
        }),
    };
    let replications = match &ex.replications {
        None => 1,
        Some(r) if (1..=1000).contains(r.get_ref()) => *r.get_ref() as usize,
        Some(r) => {
            pr.add(
                r.span(),
                format!("replications must be 1-1000, got {}", r.get_ref()),
            );
            1
        }
    };
    // The size: base samples (Saltelli only) or draws, exactly one.
    let mut samples = 2usize;
    let mut draws_asked = None;
    match (&ex.base_samples, &ex.draws) {
        (Some(_), Some(d)) => pr.add(
            d.span(),
            "give either base_samples or draws, not both (draws sets the base samples)",
        ),
        (None, None) => pr.add(
            ex.seed.span(),
            "[experiment] needs base_samples (a Saltelli design's base samples) or draws (the total)",
        ),
        (Some(b), None) => {
            let n = *b.get_ref();
            if sampler != Sampler::Saltelli {
                pr.add(
                    b.span(),
                    format!(
                        "base_samples is the Saltelli design's size, but the sampler is `{}`: give draws instead",
                        sampler.name()
                    ),
                );
            } else if !(2..=100_000).contains(&n) {
                pr.add(b.span(), format!("base_samples must be 2-100000, got {n}"));
            } else {
                samples = n as usize;
            }
        }
        (None, Some(d)) => {
            let n = *d.get_ref();
            if !(1..=10_000_000).contains(&n) {
                pr.add(d.span(), format!("draws must be 1-10000000, got {n}"));
            } else {
                draws_asked = Some(n as usize);
            }
        }
    }
    let seed = *raw.experiment.seed.get_ref();
    if seed < 0 {
        pr.add(
            raw.experiment.seed.span(),
            "seed must be a non-negative integer",
        );
    }

    // Priors the file gives (the engine takes defaults or estimates for the rest).
    let mut priors: Vec<(Param, Prior)> = Vec::new();
    for (name, sp) in &raw.priors {
        if name == "shared_threat_weight" {
            pr.add(
                sp.span(),
                "`shared_threat_weight` is no longer a prior: the alignment weights, shared threat's among them, are estimated on the years before the base year (docs/alignment.md); remove this line",
            );
            continue;
        }
        let Some(param) = Param::parse(name) else {
            let names: Vec<&str> = Param::ALL.iter().map(|p| p.name()).collect();
            let near = nearest(name, &names);
            pr.add(
                sp.span(),
                format!(
                    "unknown parameter `{name}`{near} (parameters: {})",
                    names.join(", ")
                ),
            );
            continue;
        };
        let r = sp.get_ref();
        let need = |v: Option<f64>, f: &str, pr: &mut Problems| -> f64 {
            v.unwrap_or_else(|| {
                pr.add(
                    r.dist.span(),
                    format!("`{}` prior for `{name}` needs `{f}`", r.dist.get_ref()),
                );
                f64::NAN
            })
        };
        let prior = match r.dist.get_ref().as_str() {
            "fixed" => Prior::Fixed(need(r.value, "value", &mut pr)),
            "uniform" => Prior::Uniform {
                lo: need(r.lo, "lo", &mut pr),
                hi: need(r.hi, "hi", &mut pr),
            },
            "normal" => Prior::Normal {
                mean: need(r.mean, "mean", &mut pr),
                sd: need(r.sd, "sd", &mut pr),
                lo: r.lo.unwrap_or(f64::NEG_INFINITY),
                hi: r.hi.unwrap_or(f64::INFINITY),
            },
            "lognormal" => Prior::LogNormal {
                median: need(r.median, "median", &mut pr),
                sigma: need(r.sigma, "sigma", &mut pr),
            },
            "triangular" => Prior::Triangular {
                lo: need(r.lo, "lo", &mut pr),
                mode: need(r.mode, "mode", &mut pr),
                hi: need(r.hi, "hi", &mut pr),
            },
            other => {
                let near = nearest(
                    other,
                    &["fixed", "uniform", "normal", "lognormal", "triangular"],
                );
                pr.add(
                    r.dist.span(),
                    format!("unknown distribution `{other}`{near} (fixed, uniform, normal, lognormal, triangular)"),
                );
                continue;
            }
        };
        if let Err(m) = prior.validate().and_then(|()| param.check_prior(&prior)) {
            pr.add(r.dist.span(), format!("prior for `{name}`: {m}"));
        }
        priors.push((param, prior));
    }

    let framing = framing::parse_framing(raw.framing.as_ref(), &actors, &world, &resolve, &mut pr);

    // Options.
    let mut options = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let obligation = |o: &Spanned<String>, pr: &mut Problems| -> Option<ObligationKind> {
        let k = ObligationKind::parse(o.get_ref());
        if k.is_none() {
            let names: Vec<&str> = ObligationKind::ALL.iter().map(|k| k.name()).collect();
            pr.add(
                o.span(),
                format!(
                    "`{}` is not an obligation{} ({})",
                    o.get_ref(),
                    nearest(o.get_ref(), &names),
                    names.join(", ")
                ),
            );
        }
        k
    };
    let last_year = i64::from(base_year) + horizon.clamp(0, 50);
    let from_year = |f: &Option<Spanned<i64>>, pr: &mut Problems| -> Option<i32> {
        let f = f.as_ref()?;
        let y = *f.get_ref();
        if y < i64::from(base_year) || y > last_year {
            pr.add(
                f.span(),
                format!("`from = {y}` is outside the scenario's years ({base_year}-{last_year})"),
            );
            return None;
        }
        Some(y as i32)
    };
    for o in &raw.options {
        let id = o.id.get_ref().clone();
        if ids.contains(&id) {
            pr.add(o.id.span(), format!("option `{id}` is defined twice"));
        }
        ids.push(id.clone());
        let mut edits = Vec::new();
        for (pacts, add) in [(&o.add_pact, true), (&o.remove_pact, false)] {
            for p in pacts {
                let sides: Vec<Vec<Ccode>> = p
                    .members
                    .iter()
                    .map(|m| resolve(m, &mut pr))
                    .filter(|v| !v.is_empty())
                    .collect();
                let kind = obligation(&p.obligation, &mut pr);
                let distinct: std::collections::BTreeSet<Ccode> =
                    sides.iter().flatten().copied().collect();
                if p.members.len() < 2 || (sides.len() == p.members.len() && distinct.len() < 2) {
                    pr.add(
                        p.obligation.span(),
                        "a pact needs members on at least two sides, e.g. members = [\"NATO\", \"IP4\"]",
                    );
                }
                let from = from_year(&p.from, &mut pr);
                if let Some(kind) = kind {
                    let change = if add {
                        Change::AddPact { sides, kind }
                    } else {
                        Change::RemovePact { sides, kind }
                    };
                    edits.push(Edit { change, from });
                }
            }
        }
        for s in &o.spending {
            let states: Vec<Ccode> = s.states.iter().flat_map(|m| resolve(m, &mut pr)).collect();
            let from = from_year(&s.from, &mut pr);
            edits.push(Edit {
                change: Change::Spending {
                    states,
                    pct_per_year: s.pct_per_year,
                },
                from,
            });
        }
        options.push(PolicyOption {
            id,
            description: o.description.clone(),
            edits,
        });
    }
    if raw.options.is_empty() {
        pr.add(0..0, "the scenario needs at least one [[options]]");
    }

    // Bargaining.
    let (issue, stakeholders, influence) = match &raw.bargaining {
        None => (String::new(), Vec::new(), Influence::Capability),
        Some(b) => {
            let mut st = Vec::new();
            for s in &b.stakeholders {
                let range = |v: &Spanned<Vec<f64>>,
                             lo: f64,
                             hi: f64,
                             what: &str,
                             pr: &mut Problems|
                 -> (f64, f64) {
                    let x = v.get_ref();
                    match x.as_slice() {
                        [a, b] if lo <= *a && a <= b && *b <= hi => (*a, *b),
                        [a] if (lo..=hi).contains(a) => (*a, *a),
                        _ => {
                            pr.add(
                                v.span(),
                                format!("{what} must be [low, high] within {lo}-{hi}, low <= high"),
                            );
                            (lo, lo)
                        }
                    }
                };
                let position = range(&s.position, 0.0, 100.0, "position", &mut pr);
                let weight = s.weight.as_ref().map(|w| {
                    let v = *w.get_ref();
                    if !(v.is_finite() && v >= 0.0) {
                        pr.add(
                            w.span(),
                            format!("weight must be a finite number >= 0, got {v}"),
                        );
                    }
                    v
                });
                let salience = range(&s.salience, 0.0, 1.0, "salience", &mut pr);
                // A group stands for each of its members not listed on their own.
                let states = resolve(&s.actor, &mut pr);
                let group = states.len() > 1;
                for state in states {
                    let named = b.stakeholders.iter().any(|o| {
                        !std::ptr::eq(o, s)
                            && world
                                .resolve(o.actor.get_ref(), archive)
                                .is_ok_and(|v| v == [state])
                    });
                    if group && named {
                        continue;
                    }
                    if st.iter().any(|x: &Stakeholder| x.state == state) {
                        pr.add(s.actor.span(), "this stakeholder is listed twice");
                        continue;
                    }
                    st.push(Stakeholder {
                        state,
                        label: if group {
                            world.label(state)
                        } else {
                            s.actor.get_ref().clone()
                        },
                        position,
                        salience,
                        weight,
                    });
                }
            }
            let influence = match &b.influence {
                None => Influence::Capability,
                Some(i) => Influence::parse(i.get_ref()).unwrap_or_else(|| {
                    let names: Vec<&str> = Influence::ALL.iter().map(|x| x.name()).collect();
                    pr.add(
                        i.span(),
                        format!(
                            "influence `{}` is not one of {}",
                            i.get_ref(),
                            names.join(", ")
                        ),
                    );
                    Influence::Capability
                }),
            };
            (b.issue.clone(), st, influence)
        }
    };

    let mut claims = claims::parse_claims(
        &raw.claims,
        &ids,
        &actors,
        raw.bargaining.is_some(),
        &resolve,
        &mut pr,
    );
    let (levers, settings, sampled) = levers::parse_levers(
        &raw.experiment.levers,
        raw.experiment.lever_sample.as_ref(),
        &levers::Context {
            options: &options,
            base_year,
            last_year,
            seed: seed.max(0) as u64,
            resolve: &resolve,
        },
        &mut pr,
    );

    if !pr.list.is_empty() {
        return Err(ScenarioError {
            file: file.to_string(),
            problems: pr.located(),
        });
    }
    let sweep = entente_core::sweep::expand(levers, settings, sampled, &mut options, &mut claims);
    let mut scenario = Scenario {
        name: raw.scenario.name.get_ref().clone(),
        title: raw.scenario.title,
        source: raw.scenario.source,
        base_year,
        horizon_years: horizon as u32,
        actors,
        framing,
        options,
        priors,
        issue,
        stakeholders,
        influence,
        claims,
        experiment: Experiment {
            base_samples: samples,
            seed: seed as u64,
            sampler,
            replications,
        },
        sweep,
    };
    // Draws need the number of uncertain parameters, known once the priors and claims are.
    if let Some(d) = draws_asked {
        scenario.set_draws(d);
    }
    Ok(scenario)
}

/// ": did you mean X?" for the nearest name within a small edit distance.
pub(crate) fn nearest(word: &str, names: &[&str]) -> String {
    names
        .iter()
        .map(|n| (entente_core::world::edit_distance(word, n), *n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map_or(String::new(), |(_, n)| format!(": did you mean `{n}`?"))
}
