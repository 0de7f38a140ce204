//! Entente's own SMP scenario form (TOML), and conversion from KTAB's CSV.
//!
//! ```toml
//! [scenario]
//! name = "Japan and NATO"
//! description = "..."                 # optional
//! scale = [0, 100]                    # positions' scale, default [0, 100]
//! salience_scale = [0, 1]             # saliences' scale, default [0, 1]
//! dimensions = ["formal role", { name = "forward presence", scale = [0, 5000] }]
//!
//! [options]                           # optional; KTAB's defaults otherwise
//! vote_rule = "proportional"
//!
//! [[actors]]
//! name = "USA"
//! description = "..."                 # optional
//! capability = 100
//! positions = [70, 1200]              # one per dimension, on its scale
//! saliences = [0.5, 0.3]              # one per dimension, summing to at most 1 on 0-1
//! ```
//!
//! Positions become `(x - low) / (high - low)` and saliences `s / high`, so a file on
//! `[0, 100]` gives exactly the numbers KTAB's reader gives for the same values.
//! Every problem is collected and reported at once with line and column; duplicate
//! actor or dimension names are warnings (the entries stay separate). The format is
//! documented in `docs/smp.md`.

use std::fmt::Write as _;
use std::ops::Range;

use entente_core::smp::{
    self, BargainModel, Interpolation, PceModel, RiskAdjust, RiskRange, SmpActor, SmpConfig,
    SmpScenario, ThirdPartyCommit, Transition, VictoryModel, VoteRule,
};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::scenario::{line_col, nearest, Problem, ScenarioError};
use crate::DataError;

/// A checked TOML scenario with its model options.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpFile {
    /// Positions and saliences converted to the model's 0-1 scale.
    pub scenario: SmpScenario,
    /// `[options]` over KTAB's defaults.
    pub config: SmpConfig,
    /// Each dimension's position scale `(low, high)` as written, to report results on it.
    pub scales: Vec<(f64, f64)>,
    /// Problems that do not stop a run (duplicate names), located.
    pub warnings: Vec<Problem>,
}

type Value<'i> = Spanned<DeValue<'i>>;

/// A dimension as written: its name, its scale (`None` if that was invalid) and where.
struct Dim {
    name: String,
    scale: Option<(f64, f64)>,
    span: Range<usize>,
}

/// Problems found so far, with byte spans.
struct Check<'t> {
    text: &'t str,
    errors: Vec<(Range<usize>, String)>,
    warnings: Vec<(Range<usize>, String)>,
}

/// Option names and the values each takes: (canonical name, value).
const VOTE_RULES: &[(&str, VoteRule)] = &[
    ("proportional", VoteRule::Proportional),
    ("binary", VoteRule::Binary),
    ("prop_bin", VoteRule::PropBin),
    ("prop_cubic", VoteRule::PropCubic),
    ("cubic", VoteRule::Cubic),
    ("asymmetric_prospect", VoteRule::AsymmetricProspect),
];
const VICTORY: &[(&str, VictoryModel)] = &[
    ("linear", VictoryModel::Linear),
    ("square", VictoryModel::Square),
    ("quartic", VictoryModel::Quartic),
    ("octic", VictoryModel::Octic),
    ("binary", VictoryModel::Binary),
];
const PCE: &[(&str, PceModel)] = &[
    ("conditional", PceModel::Conditional),
    ("markov_uniform", PceModel::MarkovUniform),
    ("markov_incentive", PceModel::MarkovIncentive),
];
const RISK_ADJUST: &[(&str, RiskAdjust)] = &[
    ("one_third", RiskAdjust::OneThird),
    ("none", RiskAdjust::None),
    ("half", RiskAdjust::Half),
    ("two_thirds", RiskAdjust::TwoThirds),
    ("full", RiskAdjust::Full),
];
const RISK_RANGE: &[(&str, RiskRange)] = &[
    ("mid", RiskRange::Mid),
    ("min", RiskRange::Min),
    ("max", RiskRange::Max),
];
const THIRD_PARTY: &[(&str, ThirdPartyCommit)] = &[
    ("semi", ThirdPartyCommit::Semi),
    ("no", ThirdPartyCommit::No),
    ("full", ThirdPartyCommit::Full),
];
const INTERPOLATION: &[(&str, Interpolation)] = &[
    ("s2p2", Interpolation::S2P2),
    ("s1p1", Interpolation::S1P1),
    ("s2pmax", Interpolation::S2PMax),
];
const BARGAIN: &[(&str, BargainModel)] = &[
    ("init_only", BargainModel::InitOnly),
    ("init_rcvr", BargainModel::InitRcvr),
    (
        "power_weighted_compromise",
        BargainModel::PowerWeightedCompromise,
    ),
];
const TRANSITIONS: &[(&str, bool)] = &[("deterministic", false), ("stochastic", true)];

const OPTION_KEYS: &[&str] = &[
    "vote_rule",
    "victory",
    "pce",
    "transition",
    "seed",
    "risk_adjust",
    "risk_range",
    "third_party",
    "interpolation",
    "bargain_model",
    "max_turns",
    "min_turns",
    "stop_ratio",
    "min_first_move",
];

fn kind(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Lower case without `_`, `-` or spaces, so `PropBin`, `prop-bin` and `prop_bin` agree.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

impl<'t> Check<'t> {
    fn error(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.errors.push((span, msg.into()));
    }

    fn located(&self, list: &[(Range<usize>, String)]) -> Vec<Problem> {
        crate::scenario::locate(self.text, list)
    }

    /// Report keys of `table` not in `allowed`, with the nearest allowed name.
    fn unknown_keys(&mut self, table: &DeTable, allowed: &[&str], place: &str) {
        for (k, _) in table.iter() {
            if !allowed.contains(&k.get_ref().as_ref()) {
                let near = nearest(k.get_ref(), allowed);
                let msg = format!(
                    "unknown key `{}` in {place}{near} (keys: {})",
                    k.get_ref(),
                    allowed.join(", ")
                );
                self.error(k.span(), msg);
            }
        }
    }

    fn string(&mut self, v: &Value, what: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let msg = format!("{what} must be a string, found {}", kind(other));
                self.error(v.span(), msg);
                None
            }
        }
    }

    fn number(&mut self, v: &Value, what: &str) -> Option<f64> {
        let x = match v.get_ref() {
            // Through i64 so that an integer is exactly the float the CSV reader makes of it.
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            other => {
                let msg = format!("{what} must be a number, found {}", kind(other));
                self.error(v.span(), msg);
                return None;
            }
        };
        match x {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                self.error(v.span(), format!("{what} is not a finite number"));
                None
            }
        }
    }

    fn array<'a, 'i>(&mut self, v: &'a Value<'i>, what: &str) -> Option<&'a [Value<'i>]> {
        match v.get_ref() {
            DeValue::Array(a) => Some(a),
            other => {
                let msg = format!("{what} must be an array, found {}", kind(other));
                self.error(v.span(), msg);
                None
            }
        }
    }

    /// `[low, high]` with low < high.
    fn scale(&mut self, v: &Value, what: &str) -> Option<(f64, f64)> {
        let a = self.array(v, what)?;
        let nums: Vec<Option<f64>> = a.iter().map(|x| self.number(x, what)).collect();
        match nums.as_slice() {
            [Some(lo), Some(hi)] if lo < hi => Some((*lo, *hi)),
            [Some(_), Some(_)] => {
                self.error(
                    v.span(),
                    format!("{what} must be [low, high] with low < high"),
                );
                None
            }
            [_, _] => None,
            _ => {
                let msg = format!("{what} must be [low, high], found {} values", a.len());
                self.error(v.span(), msg);
                None
            }
        }
    }

    /// A non-negative integer.
    fn count(&mut self, v: &Value, what: &str) -> Option<usize> {
        match v.get_ref() {
            DeValue::Integer(i) => {
                let n = u64::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .and_then(|n| usize::try_from(n).ok());
                if n.is_none() {
                    self.error(v.span(), format!("{what} must be a non-negative integer"));
                }
                n
            }
            other => {
                let msg = format!("{what} must be an integer, found {}", kind(other));
                self.error(v.span(), msg);
                None
            }
        }
    }

    /// One of the named values of an option.
    fn choice<T: Copy>(&mut self, v: &Value, key: &str, names: &[(&str, T)]) -> Option<T> {
        let s = self.string(v, key)?;
        let n = normalize(&s);
        if let Some((_, t)) = names.iter().find(|(name, _)| normalize(name) == n) {
            return Some(*t);
        }
        let list: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        let msg = format!(
            "`{s}` is not a value of `{key}`{} ({})",
            nearest(&s, &list),
            list.join(", ")
        );
        self.error(v.span(), msg);
        None
    }
}

fn table<'a, 'i>(v: &'a Value<'i>) -> Option<&'a DeTable<'i>> {
    match v.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

/// The key's own span, for problems about a table as a whole.
fn key_span(t: &DeTable, key: &str) -> Range<usize> {
    t.iter()
        .find(|(k, _)| k.get_ref() == key)
        .map_or(0..0, |(k, _)| k.span())
}

/// Parse and check an SMP scenario in Entente's TOML form.
pub fn parse_smp_toml(text: &str, file: &str) -> Result<SmpFile, ScenarioError> {
    let (doc, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let mut problems: Vec<Problem> = syntax
            .iter()
            .map(|e| {
                let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
                Problem {
                    line,
                    column,
                    message: e.message().trim().to_string(),
                }
            })
            .collect();
        problems.sort_by_key(|p| (p.line, p.column));
        return Err(ScenarioError {
            file: file.to_string(),
            problems,
        });
    }
    let mut ck = Check {
        text,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let root = doc.get_ref();
    ck.unknown_keys(root, &["scenario", "options", "actors"], "the file");

    // [scenario]
    let mut name = String::new();
    let mut description = String::new();
    let mut dims: Vec<Dim> = Vec::new();
    let mut sal_high = Some(1.0);
    match root.get("scenario") {
        None => ck.error(0..0, "missing [scenario] table (name, dimensions)"),
        Some(v) => match table(v) {
            None => ck.error(v.span(), "`scenario` must be a table"),
            Some(t) => {
                let here = key_span(root, "scenario");
                ck.unknown_keys(
                    t,
                    &[
                        "name",
                        "description",
                        "scale",
                        "salience_scale",
                        "dimensions",
                    ],
                    "[scenario]",
                );
                match t.get("name") {
                    Some(v) => name = ck.string(v, "name").unwrap_or_default(),
                    None => ck.error(here.clone(), "[scenario] needs a `name`"),
                }
                if let Some(v) = t.get("description") {
                    description = ck.string(v, "description").unwrap_or_default();
                }
                let scale = match t.get("scale") {
                    Some(v) => ck.scale(v, "scale"),
                    None => Some((0.0, 100.0)),
                };
                if let Some(v) = t.get("salience_scale") {
                    sal_high = match ck.scale(v, "salience_scale") {
                        Some((0.0, hi)) => Some(hi),
                        Some(_) => {
                            ck.error(v.span(), "salience_scale must start at 0, e.g. [0, 100]");
                            None
                        }
                        None => None,
                    };
                }
                match t.get("dimensions") {
                    None => ck.error(here, "[scenario] needs `dimensions`, e.g. [\"trade\"]"),
                    Some(v) => {
                        if let Some(list) = ck.array(v, "dimensions") {
                            if list.is_empty() {
                                ck.error(v.span(), "at least 1 dimension is needed");
                            }
                            for d in list {
                                dims.push(dimension(&mut ck, d, scale));
                            }
                        }
                    }
                }
            }
        },
    }
    for (i, d) in dims.iter().enumerate() {
        let n = &d.name;
        if let Some(first) = dims[..i].iter().find(|e| e.name == *n) {
            let (line, _) = line_col(text, first.span.start);
            ck.warnings.push((
                d.span.clone(),
                format!("dimension `{n}` is also named at line {line}; the two stay separate"),
            ));
        }
    }

    // [options]
    let config = match root.get("options") {
        None => SmpConfig::default(),
        Some(v) => match table(v) {
            None => {
                ck.error(v.span(), "`options` must be a table");
                SmpConfig::default()
            }
            Some(t) => options(&mut ck, t),
        },
    };

    // [[actors]]
    let mut actors = Vec::new();
    let mut spans: Vec<(String, Range<usize>)> = Vec::new();
    match root.get("actors") {
        None => ck.error(0..0, "no [[actors]]: at least 2 are needed"),
        Some(v) => {
            if let Some(list) = ck.array(v, "actors") {
                if list.len() < 2 {
                    let msg = format!("at least 2 actors are needed, found {}", list.len());
                    ck.error(key_span(root, "actors"), msg);
                }
                for a in list {
                    if let Some((actor, span)) = actor(&mut ck, a, &dims, sal_high) {
                        spans.push((actor.name.clone(), span));
                        actors.push(actor);
                    }
                }
            }
        }
    }
    for (i, (n, span)) in spans.iter().enumerate() {
        if let Some(first) = spans[..i].iter().find(|(m, _)| m == n) {
            let (line, _) = line_col(text, first.1.start);
            ck.warnings.push((
                span.clone(),
                format!("actor `{n}` is also named at line {line}; the two stay separate actors"),
            ));
        }
    }

    if ck.errors.is_empty() {
        let scenario = SmpScenario {
            name,
            description,
            dimensions: dims.iter().map(|d| d.name.clone()).collect(),
            actors,
        };
        // The checks above are the model's; this only guards against them drifting apart.
        match smp::validate(&scenario) {
            Ok(()) => {
                return Ok(SmpFile {
                    scenario,
                    config,
                    scales: dims.iter().map(|d| d.scale.unwrap_or((0.0, 1.0))).collect(),
                    warnings: ck.located(&ck.warnings),
                })
            }
            Err(e) => ck.error(0..0, e.to_string()),
        }
    }
    Err(ScenarioError {
        file: file.to_string(),
        problems: ck.located(&ck.errors),
    })
}

/// One entry of `dimensions`: a name, or `{ name = "...", scale = [low, high] }`.
fn dimension(ck: &mut Check, d: &Value, default_scale: Option<(f64, f64)>) -> Dim {
    match d.get_ref() {
        DeValue::Table(t) => {
            ck.unknown_keys(t, &["name", "scale"], "a dimension");
            let name = match t.get("name") {
                Some(v) => ck.string(v, "dimension name").unwrap_or_default(),
                None => {
                    ck.error(d.span(), "a dimension table needs a `name`");
                    String::new()
                }
            };
            let scale = match t.get("scale") {
                Some(v) => ck.scale(v, "scale"),
                None => default_scale,
            };
            Dim {
                name,
                scale,
                span: d.span(),
            }
        }
        _ => {
            let name = ck
                .string(d, "a dimension (a name or { name, scale })")
                .unwrap_or_default();
            Dim {
                name,
                scale: default_scale,
                span: d.span(),
            }
        }
    }
}

/// One `[[actors]]` table; `None` if it is too broken to use.
fn actor(
    ck: &mut Check,
    a: &Value,
    dims: &[Dim],
    sal_high: Option<f64>,
) -> Option<(SmpActor, Range<usize>)> {
    let Some(t) = table(a) else {
        ck.error(
            a.span(),
            format!("an actor must be a table, found {}", kind(a.get_ref())),
        );
        return None;
    };
    ck.unknown_keys(
        t,
        &[
            "name",
            "description",
            "capability",
            "positions",
            "saliences",
        ],
        "an actor",
    );
    let (name, name_span) = match t.get("name") {
        Some(v) => match ck.string(v, "name") {
            Some(n) if n.trim().is_empty() => {
                ck.error(v.span(), "empty actor name");
                (n, v.span())
            }
            Some(n) => (n, v.span()),
            None => (String::new(), v.span()),
        },
        None => {
            ck.error(a.span(), "an actor needs a `name`");
            (String::new(), a.span())
        }
    };
    let who = if name.is_empty() {
        "this actor".to_string()
    } else {
        format!("`{name}`")
    };
    let description = match t.get("description") {
        Some(v) => ck.string(v, "description").unwrap_or_default(),
        None => String::new(),
    };
    let capability = match t.get("capability") {
        Some(v) => match ck.number(v, &format!("capability of {who}")) {
            Some(c) if c <= 0.0 => {
                ck.error(
                    v.span(),
                    format!("capability of {who} is {c}, not positive"),
                );
                None
            }
            c => c,
        },
        None => {
            ck.error(name_span.clone(), format!("{who} needs a `capability`"));
            None
        }
    };
    // Values of one per-dimension array, checked against the count and the range.
    let per_dim = |key: &str, ck: &mut Check| -> Option<Vec<(f64, Range<usize>)>> {
        let Some(v) = t.get(key) else {
            let msg = format!("{who} needs `{key}`, one per dimension");
            ck.error(name_span.clone(), msg);
            return None;
        };
        let list = ck.array(v, key)?;
        if !dims.is_empty() && list.len() != dims.len() {
            let msg = format!(
                "{who} has {} {key} for {} dimensions ({})",
                list.len(),
                dims.len(),
                dims.iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            ck.error(v.span(), msg);
        }
        let mut out = Vec::with_capacity(list.len());
        let mut ok = true;
        for (k, x) in list.iter().enumerate() {
            let one = key.trim_end_matches('s');
            let what = match dims.get(k) {
                Some(d) => format!("{one} of {who} on `{}`", d.name),
                None => format!("{one} of {who}"),
            };
            match ck.number(x, &what) {
                Some(n) => out.push((n, x.span())),
                None => ok = false,
            }
        }
        (ok && list.len() == dims.len()).then_some(out)
    };
    let positions = per_dim("positions", ck);
    let saliences = per_dim("saliences", ck);

    let mut position = Vec::with_capacity(dims.len());
    let mut pos_ok = true;
    for (k, (x, span)) in positions.iter().flatten().enumerate() {
        let Dim {
            name: dim, scale, ..
        } = &dims[k];
        match scale {
            Some((lo, hi)) if (*lo..=*hi).contains(x) => position.push((x - lo) / (hi - lo)),
            Some((lo, hi)) => {
                let msg = format!("position of {who} on `{dim}` is {x}, outside {lo}-{hi}");
                ck.error(span.clone(), msg);
                pos_ok = false;
            }
            None => pos_ok = false,
        }
    }
    let mut salience = Vec::with_capacity(dims.len());
    let mut sal_ok = true;
    if let (Some(list), Some(hi)) = (&saliences, sal_high) {
        for (k, (s, span)) in list.iter().enumerate() {
            if (0.0..=hi).contains(s) {
                salience.push(s / hi);
            } else {
                let msg = format!(
                    "salience of {who} on `{}` is {s}, outside 0-{hi}",
                    dims[k].name
                );
                ck.error(span.clone(), msg);
                sal_ok = false;
            }
        }
        if sal_ok {
            // In file order, as KTAB sums; the tolerance is the model's.
            let raw: f64 = list.iter().map(|(s, _)| s).sum();
            let sum: f64 = salience.iter().sum();
            let span = t.get("saliences").map_or(0..0, |v| v.span());
            if sum > 1.0 + 1e-12 {
                let msg = format!("saliences of {who} sum to {raw}, more than {hi}");
                ck.error(span, msg);
                sal_ok = false;
            } else if sum <= 0.0 {
                ck.error(span, format!("all saliences of {who} are zero"));
                sal_ok = false;
            }
        }
    } else {
        sal_ok = false;
    }
    let actor = SmpActor {
        name,
        description,
        capability: capability?,
        position: positions.filter(|_| pos_ok).map(|_| position)?,
        salience: saliences.filter(|_| sal_ok).map(|_| salience)?,
    };
    Some((actor, name_span))
}

/// `[options]` over KTAB's defaults.
fn options(ck: &mut Check, t: &DeTable) -> SmpConfig {
    ck.unknown_keys(t, OPTION_KEYS, "[options]");
    let mut c = SmpConfig::default();
    macro_rules! pick {
        ($key:literal, $field:ident, $names:expr) => {
            if let Some(v) = t.get($key) {
                if let Some(x) = ck.choice(v, $key, $names) {
                    c.$field = x;
                }
            }
        };
    }
    pick!("vote_rule", vote_rule, VOTE_RULES);
    pick!("victory", victory, VICTORY);
    pick!("pce", pce, PCE);
    pick!("risk_adjust", risk_adjust, RISK_ADJUST);
    pick!("risk_range", risk_range, RISK_RANGE);
    pick!("third_party", third_party, THIRD_PARTY);
    pick!("interpolation", interpolation, INTERPOLATION);
    pick!("bargain_model", bargain_model, BARGAIN);
    let stochastic = t
        .get("transition")
        .and_then(|v| ck.choice(v, "transition", TRANSITIONS));
    let seed = t.get("seed").and_then(|v| ck.count(v, "seed"));
    match (stochastic, seed, t.get("transition")) {
        (Some(true), Some(seed), _) => c.transition = Transition::Stochastic { seed: seed as u64 },
        (Some(true), None, Some(v)) if t.get("seed").is_none() => ck.error(
            v.span(),
            "a stochastic transition needs a `seed` (an integer)",
        ),
        (Some(false) | None, Some(_), _) => {
            if let Some(v) = t.get("seed") {
                ck.error(
                    v.span(),
                    "`seed` is only used with transition = \"stochastic\"",
                );
            }
        }
        _ => {}
    }
    if let Some(v) = t.get("max_turns") {
        match ck.count(v, "max_turns") {
            Some(0) => ck.error(v.span(), "max_turns must be at least 1"),
            Some(n) => c.stop.max_turns = n,
            None => {}
        }
    }
    if let Some(n) = t.get("min_turns").and_then(|v| ck.count(v, "min_turns")) {
        c.stop.min_turns = n;
    }
    for (key, slot) in [
        ("stop_ratio", &mut c.stop.ratio),
        ("min_first_move", &mut c.stop.min_first_move),
    ] {
        if let Some(v) = t.get(key) {
            match ck.number(v, key) {
                Some(x) if x > 0.0 => *slot = x,
                Some(x) => ck.error(v.span(), format!("{key} must be positive, got {x}")),
                None => {}
            }
        }
    }
    c
}

/// A number as TOML that reads back as the same `f64`: integers without a point,
/// everything else in Rust's shortest round-trip form.
mod convert;
pub use convert::ktab_csv_to_toml;

#[cfg(test)]
mod tests;
