//! The `[framing]` table of a scenario file.

use entente_core::ids::Ccode;
use entente_core::scenario::{Bloc, Framing};
use entente_core::world::World;
use serde::Deserialize;
use toml::Spanned;

use super::Problems;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFraming {
    #[serde(default)]
    region: Vec<Spanned<String>>,
    #[serde(default)]
    region_name: Option<String>,
    #[serde(default)]
    sides: Option<RawSides>,
    #[serde(default)]
    anchors: Option<RawAnchors>,
    #[serde(default)]
    blocs: Vec<RawBloc>,
    #[serde(default)]
    report_states: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSides {
    west: Spanned<String>,
    east: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAnchors {
    #[serde(default)]
    west: Vec<Spanned<String>>,
    #[serde(default)]
    east: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBloc {
    id: Spanned<String>,
    members: Vec<Spanned<String>>,
    #[serde(default)]
    except: Vec<Spanned<String>>,
}

/// The `[framing]` table: region, the states anchoring each side, blocs and
/// the report's states, each resolved in the base year. Without the table:
/// the actors are the region, no sides, no blocs, every actor reported.
pub(super) fn parse_framing(
    raw: Option<&RawFraming>,
    actors: &[Ccode],
    world: &World,
    resolve: &dyn Fn(&Spanned<String>, &mut Problems) -> Vec<Ccode>,
    pr: &mut Problems,
) -> Framing {
    let Some(f) = raw else {
        return Framing {
            region_label: "the actors".into(),
            region: actors.to_vec(),
            report_states: actors.to_vec(),
            ..Framing::default()
        };
    };
    let mut region: Vec<Ccode> = Vec::new();
    for t in &f.region {
        for c in resolve(t, pr) {
            if !region.contains(&c) {
                region.push(c);
            }
        }
    }
    let region_label = f.region_name.clone().unwrap_or_else(|| {
        f.region
            .iter()
            .map(|t| t.get_ref().as_str())
            .collect::<Vec<_>>()
            .join("+")
    });
    if region.is_empty() {
        region = actors.to_vec();
    }
    let one_actor = |t: &Spanned<String>, what: &str, pr: &mut Problems| -> Option<Ccode> {
        let v = resolve(t, pr);
        match v.as_slice() {
            [c] if actors.contains(c) => Some(*c),
            [_] => {
                pr.add(
                    t.span(),
                    format!("{what} `{}` is not among the actors", t.get_ref()),
                );
                None
            }
            [] => None,
            _ => {
                pr.add(t.span(), format!("{what} must be one state, not a group"));
                None
            }
        }
    };
    let (west, east) = match &f.sides {
        Some(s) => {
            let w = one_actor(&s.west, "sides.west", pr);
            let e = one_actor(&s.east, "sides.east", pr);
            if w.is_some() && w == e {
                pr.add(
                    s.east.span(),
                    "sides.west and sides.east must be different states",
                );
            }
            (w, e)
        }
        None => (None, None),
    };
    // The states whose defence ties define each side (default: the sides' states).
    let mut anchors = entente_core::alignment::Anchors {
        west: west.into_iter().collect(),
        east: east.into_iter().collect(),
    };
    if let Some(a) = &f.anchors {
        for (list, toks) in [(&mut anchors.west, &a.west), (&mut anchors.east, &a.east)] {
            for t in toks {
                for c in resolve(t, pr) {
                    if !list.contains(&c) {
                        list.push(c);
                    }
                }
            }
        }
        if f.sides.is_none() {
            if let Some(t) = a.west.first().or(a.east.first()) {
                pr.add(
                    t.span(),
                    "anchors need `sides` (the states that name west and east)",
                );
            }
        }
        for t in a.east.iter() {
            for c in resolve(t, pr) {
                if anchors.west.contains(&c) {
                    pr.add(
                        t.span(),
                        format!("anchor `{}` is on both sides", t.get_ref()),
                    );
                }
            }
        }
    }
    let mut blocs: Vec<Bloc> = Vec::new();
    for b in &f.blocs {
        let label = b.id.get_ref().trim().to_string();
        if label.is_empty() || blocs.iter().any(|x| x.label == label) {
            pr.add(
                b.id.span(),
                format!("bloc id `{label}` is empty or used twice"),
            );
        }
        if label
            .parse::<entente_core::ids::Iso3>()
            .ok()
            .and_then(|i| world.by_iso3(i))
            .is_some()
        {
            pr.add(
                b.id.span(),
                format!("bloc id `{label}` is a state's ISO3 code: pick a code no state has"),
            );
        }
        let except: Vec<Ccode> = b.except.iter().flat_map(|t| resolve(t, pr)).collect();
        let mut members: Vec<Ccode> = Vec::new();
        for t in &b.members {
            for c in resolve(t, pr) {
                if actors.contains(&c) && !except.contains(&c) && !members.contains(&c) {
                    members.push(c);
                }
            }
        }
        if members.is_empty() {
            pr.add(
                b.id.span(),
                format!("bloc `{label}` has no member among the actors"),
            );
        }
        blocs.push(Bloc { label, members });
    }
    let mut report_states: Vec<Ccode> = Vec::new();
    for t in &f.report_states {
        for c in resolve(t, pr) {
            if !actors.contains(&c) {
                pr.add(
                    t.span(),
                    format!("report state `{}` is not among the actors", t.get_ref()),
                );
            } else if !report_states.contains(&c) {
                report_states.push(c);
            }
        }
    }
    if report_states.is_empty() {
        report_states = actors.to_vec();
    }
    Framing {
        region_label,
        region,
        west,
        east,
        anchors,
        blocs,
        report_states,
    }
}
