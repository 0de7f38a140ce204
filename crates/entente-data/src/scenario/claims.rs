//! The `[[claims]]` of a scenario file: each claim resolved and checked against the actors
//! and options, so a claim the models cannot evaluate is refused here, located, rather
//! than shown as "not modelled" after the run.

use entente_core::ids::Ccode;
use entente_core::scenario::{Claim, Comparison, Direction, Metric};
use serde::Deserialize;
use toml::Spanned;

use super::{nearest, Problems};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClaim {
    id: Spanned<String>,
    text: String,
    source: String,
    #[serde(default)]
    metric: Option<Spanned<String>>,
    #[serde(default)]
    why_not: String,
    #[serde(default)]
    states: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    sources: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    responders: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    comparison: Option<Spanned<String>>,
    #[serde(default)]
    direction: Option<Spanned<String>>,
    #[serde(default)]
    threshold: Option<Spanned<f64>>,
    #[serde(default)]
    treatment: Option<Spanned<String>>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
}

/// The claims, given the option ids, the actors and whether the file has `[bargaining]`.
pub(super) fn parse_claims(
    raw: &[RawClaim],
    ids: &[String],
    actors: &[Ccode],
    has_bargaining: bool,
    resolve: &dyn Fn(&Spanned<String>, &mut Problems) -> Vec<Ccode>,
    pr: &mut Problems,
) -> Vec<Claim> {
    let mut claims = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for c in raw {
        let id = c.id.get_ref().as_str();
        if seen.contains(&id) {
            pr.add(c.id.span(), format!("claim `{id}` is defined twice"));
        }
        seen.push(id);
        let metric = c.metric.as_ref().and_then(|m| {
            let v = Metric::parse(m.get_ref());
            if v.is_none() {
                let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                pr.add(
                    m.span(),
                    format!(
                        "unknown metric `{}`{} ({})",
                        m.get_ref(),
                        nearest(m.get_ref(), &names),
                        names.join(", ")
                    ),
                );
            }
            v
        });
        if c.metric.is_none() && c.why_not.trim().is_empty() {
            pr.add(
                c.id.span(),
                "a claim without a metric must say why the models cannot speak to it (why_not)",
            );
        }
        let option_ref = |o: &Option<Spanned<String>>, what: &str, pr: &mut Problems| -> String {
            match o {
                Some(s) if ids.contains(s.get_ref()) => s.get_ref().clone(),
                Some(s) => {
                    let names: Vec<&str> = ids.iter().map(String::as_str).collect();
                    pr.add(
                        s.span(),
                        format!(
                            "{what} `{}` is not an option{}",
                            s.get_ref(),
                            nearest(s.get_ref(), &names)
                        ),
                    );
                    String::new()
                }
                None => {
                    if c.metric.is_some() {
                        pr.add(c.id.span(), format!("claim needs a {what} option"));
                    }
                    String::new()
                }
            }
        };
        let treatment = option_ref(&c.treatment, "treatment", pr);
        let baseline = option_ref(&c.baseline, "baseline", pr);
        if let Some(b) = &c.baseline {
            if !treatment.is_empty() && treatment == baseline {
                pr.add(
                    b.span(),
                    format!("claim `{id}`: treatment and baseline are both `{baseline}`: a claim compares two different options"),
                );
            }
        }
        let comparison = match c
            .comparison
            .as_ref()
            .map(|s| (s.get_ref().as_str(), s.span()))
        {
            None | Some(("difference", _)) => Comparison::Difference,
            Some(("percent", _)) => Comparison::PercentChange,
            Some((other, span)) => {
                pr.add(
                    span,
                    format!("comparison `{other}` is not `difference` or `percent`"),
                );
                Comparison::Difference
            }
        };
        let direction = match c
            .direction
            .as_ref()
            .map(|s| (s.get_ref().as_str(), s.span()))
        {
            None | Some(("above", _)) => Direction::Above,
            Some(("below", _)) => Direction::Below,
            Some((other, span)) => {
                pr.add(
                    span,
                    format!("direction `{other}` is not `above` or `below`"),
                );
                Direction::Above
            }
        };
        let threshold = match &c.threshold {
            None => 0.0,
            Some(t) if t.get_ref().is_finite() => *t.get_ref(),
            Some(t) => {
                pr.add(
                    t.span(),
                    format!(
                        "claim `{id}`: threshold must be a finite number, got {}",
                        t.get_ref()
                    ),
                );
                0.0
            }
        };
        // Which state lists the metric reads; a list it needs must name actors only.
        let (needs_states, needs_sources) = match metric {
            None | Some(Metric::BargainingMedian) => (false, false),
            Some(Metric::ThreatFrom) => (true, true),
            Some(_) => (true, false),
        };
        let states = states_of(c, &c.states, "states", needs_states, actors, resolve, pr);
        let sources = states_of(c, &c.sources, "sources", needs_sources, actors, resolve, pr);
        // Responders, when given, must be actors; each is compared on its own spending path.
        let responders = states_of(
            c,
            &c.responders,
            "responders",
            c.responders.is_some(),
            actors,
            resolve,
            pr,
        );
        if let (Some(r), Some(m)) = (&c.responders, metric) {
            if m != Metric::MilexHorizon {
                pr.add(
                    r.span(),
                    format!(
                        "claim `{id}`: responders need metric `{}` (each responder's own spending at the horizon), not `{}`",
                        Metric::MilexHorizon.name(),
                        m.name()
                    ),
                );
            }
        }
        if metric == Some(Metric::BlocCohesion) && states.len() == 1 {
            if let Some(s) = &c.states {
                pr.add(
                    s.span(),
                    format!("claim `{id}`: bloc_cohesion needs at least two states"),
                );
            }
        }
        if metric == Some(Metric::BargainingMedian) && !has_bargaining {
            if let Some(m) = &c.metric {
                pr.add(
                    m.span(),
                    format!("claim `{id}`: bargaining_median needs a [bargaining] table"),
                );
            }
        }
        claims.push(Claim {
            id: id.to_string(),
            text: c.text.clone(),
            source: c.source.clone(),
            metric,
            why_not: c.why_not.clone(),
            states,
            sources,
            responders,
            comparison,
            direction,
            threshold,
            treatment,
            baseline,
        });
    }
    claims
}

/// A claim's `states` or `sources`, resolved; when the metric reads the list (`needed`), it
/// must be given, non-empty, and name only actors (a metric over non-actors is undefined).
fn states_of(
    c: &RawClaim,
    list: &Option<Spanned<Vec<Spanned<String>>>>,
    what: &str,
    needed: bool,
    actors: &[Ccode],
    resolve: &dyn Fn(&Spanned<String>, &mut Problems) -> Vec<Ccode>,
    pr: &mut Problems,
) -> Vec<Ccode> {
    let id = c.id.get_ref();
    let Some(list) = list else {
        if needed {
            pr.add(
                c.id.span(),
                format!("claim `{id}` needs `{what}`: the actors its metric is measured over"),
            );
        }
        return Vec::new();
    };
    if needed && list.get_ref().is_empty() {
        pr.add(
            list.span(),
            format!("claim `{id}`: `{what} = []`: name the actors its metric is measured over"),
        );
    }
    let mut out = Vec::new();
    for t in list.get_ref() {
        let v = resolve(t, pr);
        if !needed {
            out.extend(v);
            continue;
        }
        // A group counts its members among the actors; a state must be one.
        let inside: Vec<Ccode> = v.iter().copied().filter(|s| actors.contains(s)).collect();
        if !v.is_empty() && inside.is_empty() {
            pr.add(
                t.span(),
                format!(
                    "claim `{id}`: {what} `{}` is not among the actors (add it to world.actors)",
                    t.get_ref()
                ),
            );
        }
        out.extend(inside);
    }
    out
}
