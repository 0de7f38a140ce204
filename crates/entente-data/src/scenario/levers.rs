//! The `levers` of a scenario's `[experiment]`: policy choices of its options, each with a
//! set of values, checked and located here, then expanded into option variants and claims
//! per setting by [`entente_core::sweep::expand`].

use entente_core::ids::Ccode;
use entente_core::scenario::{Change, PolicyOption};
use entente_core::sources::ObligationKind;
use entente_core::sweep::{self, Lever, LeverField, LeverValue, MAX_GRID, MAX_SETTINGS};
use serde::Deserialize;
use toml::Spanned;

use super::{nearest, Problems};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLever {
    /// Its name in outputs (default: the field).
    #[serde(default)]
    name: Option<Spanned<String>>,
    option: Spanned<String>,
    field: Spanned<String>,
    values: Spanned<Vec<Spanned<toml::Value>>>,
}

/// What the levers are checked against.
pub(super) struct Context<'a> {
    pub options: &'a [PolicyOption],
    pub base_year: i32,
    pub last_year: i64,
    pub seed: u64,
    pub resolve: &'a dyn Fn(&Spanned<String>, &mut Problems) -> Vec<Ccode>,
}

/// The levers and the settings to run (the full grid, or `sample` settings of it), with
/// whether they are sampled; every problem is added to `pr`.
pub(super) fn parse_levers(
    raw: &[RawLever],
    sample: Option<&Spanned<i64>>,
    cx: &Context,
    pr: &mut Problems,
) -> (Vec<Lever>, Vec<Vec<usize>>, bool) {
    let mut levers: Vec<Lever> = Vec::new();
    let mut valid = true;
    for r in raw {
        match lever(r, cx, &levers, pr) {
            Some(l) => levers.push(l),
            None => valid = false,
        }
    }
    if raw.is_empty() {
        if let Some(s) = sample {
            pr.add(
                s.span(),
                "`lever_sample` without `levers`: there is no grid to sample",
            );
        }
        return (Vec::new(), Vec::new(), false);
    }
    if !valid {
        return (Vec::new(), Vec::new(), false);
    }
    let sizes: Vec<usize> = levers.iter().map(|l| l.values.len()).collect();
    let grid = sizes
        .iter()
        .try_fold(1usize, |a, &n| a.checked_mul(n))
        .unwrap_or(usize::MAX);
    let at = raw[0].field.span();
    let shape = sizes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" x ");
    match sample {
        None if grid > MAX_SETTINGS => {
            pr.add(
                at,
                format!(
                    "the levers' full grid has {grid} settings ({shape}), more than {MAX_SETTINGS}: give fewer values, or `lever_sample = K` (at most {MAX_SETTINGS}) to run K settings drawn from the grid"
                ),
            );
            (Vec::new(), Vec::new(), false)
        }
        None => (levers, sweep::full_grid(&sizes), false),
        Some(s) => {
            let k = *s.get_ref();
            if grid > MAX_GRID {
                pr.add(
                    at,
                    format!("the levers' grid has {grid} settings ({shape}), more than {MAX_GRID} to sample from"),
                );
            } else if k < 1 || k as usize >= grid {
                pr.add(
                    s.span(),
                    format!("lever_sample must be 1-{} (below the grid's {grid} settings; leave it out to run the full grid), got {k}", grid - 1),
                );
            } else if k as usize > MAX_SETTINGS {
                pr.add(
                    s.span(),
                    format!("lever_sample must be at most {MAX_SETTINGS}, got {k}"),
                );
            } else {
                return (
                    levers,
                    sweep::sampled_grid(&sizes, k as usize, cx.seed),
                    true,
                );
            }
            (Vec::new(), Vec::new(), false)
        }
    }
}

/// One lever, checked against the options and the levers before it.
fn lever(r: &RawLever, cx: &Context, before: &[Lever], pr: &mut Problems) -> Option<Lever> {
    let mut ok = true;
    let id = r.option.get_ref();
    let option = cx.options.iter().find(|o| &o.id == id);
    if option.is_none() {
        let names: Vec<&str> = cx.options.iter().map(|o| o.id.as_str()).collect();
        pr.add(
            r.option.span(),
            format!(
                "lever on option `{id}`, which is not an option{} (options: {})",
                nearest(id, &names),
                names.join(", ")
            ),
        );
        ok = false;
    }
    let field = LeverField::parse(r.field.get_ref());
    let Some(field) = field else {
        let names: Vec<&str> = LeverField::ALL.iter().map(|f| f.name()).collect();
        pr.add(
            r.field.span(),
            format!(
                "unknown lever field `{}`{} (fields: {})",
                r.field.get_ref(),
                nearest(r.field.get_ref(), &names),
                names.join(", ")
            ),
        );
        return None;
    };
    if let Some(o) = option {
        let adds = o
            .edits
            .iter()
            .any(|e| matches!(e.change, Change::AddPact { .. }));
        let problem = match field {
            LeverField::StartYear if o.edits.is_empty() => {
                Some("has no edits: a start year would change nothing")
            }
            LeverField::Obligation | LeverField::Members if !adds => {
                Some("adds no pact (`add_pact`): the lever would change nothing")
            }
            _ => None,
        };
        if let Some(p) = problem {
            pr.add(
                r.field.span(),
                format!("lever `{}`: option `{id}` {p}", field.name()),
            );
            ok = false;
        }
        if before.iter().any(|l| l.option == *id && l.field == field) {
            pr.add(
                r.field.span(),
                format!(
                    "option `{id}` has two `{}` levers: give one the values of both",
                    field.name()
                ),
            );
            ok = false;
        }
    }
    let name = match &r.name {
        Some(n) => {
            let s = n.get_ref();
            if s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                pr.add(
                    n.span(),
                    format!("lever name `{s}` must be lowercase ASCII letters, digits and `_` (it names the column `lever_<name>`)"),
                );
                ok = false;
            }
            s.clone()
        }
        None => field.name().to_string(),
    };
    if before.iter().any(|l| l.name == name) {
        let at = r.name.as_ref().map_or(r.field.span(), Spanned::span);
        pr.add(
            at,
            format!("two levers are named `{name}`: give this one a `name`"),
        );
        ok = false;
    }
    let values = r.values.get_ref();
    if values.is_empty() {
        pr.add(
            r.values.span(),
            format!("lever `{name}` has no values: give at least one"),
        );
        return None;
    }
    let mut out: Vec<LeverValue> = Vec::new();
    for v in values {
        let Some(lv) = value(field, v, cx, pr) else {
            ok = false;
            continue;
        };
        if out.iter().any(|o| same(o, &lv)) {
            pr.add(
                v.span(),
                format!("lever `{name}` lists the value `{}` twice", lv.label()),
            );
            ok = false;
            continue;
        }
        out.push(lv);
    }
    ok.then(|| Lever {
        name,
        option: id.clone(),
        field,
        values: out,
    })
}

/// Two values that set the same thing (member lists compared as sets of sides).
fn same(a: &LeverValue, b: &LeverValue) -> bool {
    match (a, b) {
        (LeverValue::Members { sides: x, .. }, LeverValue::Members { sides: y, .. }) => {
            let set = |s: &[Vec<Ccode>]| {
                let mut v: Vec<Vec<Ccode>> = s
                    .iter()
                    .map(|side| {
                        let mut side = side.clone();
                        side.sort();
                        side
                    })
                    .collect();
                v.sort();
                v
            };
            set(x) == set(y)
        }
        _ => a == b,
    }
}

/// One value of a lever of `field`, checked against its domain.
fn value(
    field: LeverField,
    v: &Spanned<toml::Value>,
    cx: &Context,
    pr: &mut Problems,
) -> Option<LeverValue> {
    let span = v.span();
    match (field, v.get_ref()) {
        (LeverField::StartYear, toml::Value::Integer(y)) => {
            if *y < i64::from(cx.base_year) || *y > cx.last_year {
                pr.add(
                    span,
                    format!(
                        "start_year {y} is outside the scenario's years ({}-{})",
                        cx.base_year, cx.last_year
                    ),
                );
                return None;
            }
            Some(LeverValue::StartYear(*y as i32))
        }
        (LeverField::Obligation, toml::Value::String(s)) => match ObligationKind::parse(s) {
            Some(k) => Some(LeverValue::Obligation(k)),
            None => {
                let names: Vec<&str> = ObligationKind::ALL.iter().map(|k| k.name()).collect();
                pr.add(
                    span,
                    format!(
                        "`{s}` is not an obligation{} ({})",
                        nearest(s, &names),
                        names.join(", ")
                    ),
                );
                None
            }
        },
        (LeverField::Members, toml::Value::Array(a))
            if a.len() >= 2 && a.iter().all(toml::Value::is_str) =>
        {
            let tokens: Vec<&str> = a.iter().filter_map(toml::Value::as_str).collect();
            let before = pr.list.len();
            let sides: Vec<Vec<Ccode>> = tokens
                .iter()
                .map(|t| (cx.resolve)(&Spanned::new(span.clone(), (*t).to_string()), pr))
                .collect();
            (pr.list.len() == before).then(|| LeverValue::Members {
                sides,
                label: tokens.join("/"),
            })
        }
        (f, other) => {
            let want = match f {
                LeverField::StartYear => "a year (an integer)",
                LeverField::Obligation => "an obligation name (a string)",
                LeverField::Members => "a list of at least two sides, e.g. [\"NATO\", \"IP4\"]",
            };
            pr.add(
                span,
                format!(
                    "a `{}` lever's value must be {want}, got {}",
                    f.name(),
                    other
                ),
            );
            None
        }
    }
}
