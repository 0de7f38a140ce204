//! Shard parts and their manifests (`entente run --shard i/N` writes them,
//! `entente merge` reads them): one JSON record per draw in
//! `part-<i>-of-<N>.jsonl`, and `part-<i>-of-<N>.manifest.json` saying which
//! run and which draws the part holds.
//!
//! Everything read here comes from files a user can edit, so every size is
//! checked before anything is allocated from it, and every problem is a
//! [`PartError`] naming the file and line: never a panic.

use entente_core::simulation::{DrawResult, OptionResult};

use crate::identity::RunSpec;
use serde_json::{json, Value};

/// What is wrong with a part or a manifest, located.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    #[error("{file}:{line}: not a draw record: {source}")]
    RecordJson {
        file: String,
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("{file}:{line}: {message}")]
    Record {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: not a manifest: {source}")]
    ManifestJson {
        file: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("{file}: {message}")]
    Manifest { file: String, message: String },
    #[error("{0}")]
    Coverage(String),
    #[error("{file}: its {field} is {theirs} but {against} has {ours}: parts of different runs are never merged")]
    Mismatch {
        file: String,
        field: &'static str,
        theirs: String,
        ours: String,
        against: String,
    },
}

fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

fn unnum(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// One draw as a part's JSON record.
pub fn draw_to_json(r: &DrawResult) -> Value {
    json!({
        "draw": r.draw,
        "params": r.params.iter().map(|v| num(*v)).collect::<Vec<_>>(),
        "options": r.options.iter().map(|o| json!({
            "option": o.option,
            "milex": o.milex.iter().map(|p| p.as_ref().map(|p| p.iter().map(|v| num(*v)).collect::<Vec<_>>())).collect::<Vec<_>>(),
            "theta": o.theta.iter().map(|v| num(*v)).collect::<Vec<_>>(),
            "coalition": o.coalition,
            "region_share": o.region_share.iter().map(|v| num(*v)).collect::<Vec<_>>(),
            "bargaining_median": num(o.bargaining_median),
            "claim_values": o.claim_values.iter().map(|v| num(*v)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// A part's JSON record as a draw (its shape is checked against the
/// scenario's by [`same_shape`]).
pub fn draw_from_json(v: &Value) -> Result<DrawResult, String> {
    let arr = |v: &Value| -> Vec<f64> {
        v.as_array()
            .map(|a| a.iter().map(unnum).collect())
            .unwrap_or_default()
    };
    let options = v["options"]
        .as_array()
        .ok_or("missing options")?
        .iter()
        .map(|o| OptionResult {
            option: o["option"].as_str().unwrap_or_default().to_string(),
            milex: o["milex"]
                .as_array()
                .map(|a| a.iter().map(|p| p.as_array().map(|_| arr(p))).collect())
                .unwrap_or_default(),
            theta: arr(&o["theta"]),
            coalition: o["coalition"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| x.as_u64().map_or(u8::MAX, |c| c.min(255) as u8))
                        .collect()
                })
                .unwrap_or_default(),
            region_share: arr(&o["region_share"]),
            bargaining_median: unnum(&o["bargaining_median"]),
            claim_values: arr(&o["claim_values"]),
        })
        .collect();
    let draw = v["draw"].as_u64().ok_or("missing draw")?;
    Ok(DrawResult {
        draw: usize::try_from(draw).map_err(|_| format!("draw {draw} is too large"))?,
        params: arr(&v["params"]),
        options,
    })
}

/// The draws of a part file's text, each with its line.
pub fn read_part(text: &str, file: &str) -> Result<Vec<(usize, DrawResult)>, PartError> {
    let at = |line: usize, message: String| PartError::Record {
        file: file.to_string(),
        line,
        message,
    };
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            let v: Value = serde_json::from_str(l).map_err(|source| PartError::RecordJson {
                file: file.to_string(),
                line: i + 1,
                source,
            })?;
            draw_from_json(&v)
                .map(|r| (i + 1, r))
                .map_err(|m| at(i + 1, m))
        })
        .collect()
}

/// What a manifest says of its part.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The scenario, experiment, draws and versions: what every part of the run shares.
    pub spec: RunSpec,
    /// Which shard of how many (`i/N`).
    pub shard: Option<(usize, usize)>,
    /// The draws the part holds, in order.
    pub draws: Vec<usize>,
}

impl Manifest {
    /// The manifest as `part-<i>-of-<N>.manifest.json` holds it.
    pub fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("format".into(), "entente.part/2".into());
        self.spec.write_to(&mut map);
        map.insert(
            "shard".into(),
            json!(self.shard.map(|(i, n)| format!("{i}/{n}"))),
        );
        map.insert("draws".into(), json!(self.draws));
        Value::Object(map)
    }
}

/// `i/N` with `i < N`.
fn parse_shard_field(s: &str) -> Option<(usize, usize)> {
    let (i, n) = s.split_once('/')?;
    let (i, n): (usize, usize) = (i.parse().ok()?, n.parse().ok()?);
    (i < n).then_some((i, n))
}

/// A manifest's text, checked: the fields merge needs, of the right types.
pub fn parse_manifest(text: &str, file: &str) -> Result<Manifest, PartError> {
    let bad = |message: String| PartError::Manifest {
        file: file.to_string(),
        message,
    };
    let m: Value = serde_json::from_str(text).map_err(|source| PartError::ManifestJson {
        file: file.to_string(),
        source,
    })?;
    if !m.is_object() {
        return Err(bad("is not a JSON object".into()));
    }
    let spec = RunSpec::read_from(&m).map_err(bad)?;
    let draws = m["draws"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
                .collect::<Option<Vec<usize>>>()
        })
        .ok_or_else(|| bad("`draws` is not a list of draw numbers".into()))?;
    let shard = match &m["shard"] {
        Value::Null => None,
        Value::String(s) => Some(
            parse_shard_field(s)
                .ok_or_else(|| bad(format!("`shard` `{s}` is not i/N with i < N")))?,
        ),
        _ => return Err(bad("`shard` is not a string".into())),
    };
    Ok(Manifest { spec, shard, draws })
}

/// Every part must come from the same run as the first: the same [`RunSpec`] (scenario
/// and its hash, seed, base samples, draws, engine and data versions); and the engine and
/// data versions must be the merging program's own (`engine`, `data`), since merge
/// recomputes the corners of the prior box with them. The first difference found is
/// refused, naming the part and field.
pub fn check_same_run(
    parts: &[(String, Manifest)],
    engine: &str,
    data: &str,
) -> Result<(), PartError> {
    let Some((first_file, first)) = parts.first() else {
        return Ok(());
    };
    for (file, m) in parts {
        if let Some((field, theirs, ours)) = m.spec.first_difference(&first.spec) {
            return Err(PartError::Mismatch {
                file: file.clone(),
                field,
                theirs,
                ours,
                against: first_file.clone(),
            });
        }
        for (field, theirs, ours) in [
            ("engine version", &m.spec.engine_version, engine),
            ("data version", &m.spec.data_version, data),
        ] {
            if theirs != ours {
                return Err(PartError::Mismatch {
                    file: file.clone(),
                    field,
                    theirs: theirs.to_string(),
                    ours: ours.to_string(),
                    against: "the entente merging".into(),
                });
            }
        }
    }
    Ok(())
}

/// A manifest must list exactly the draws its part holds, in order: a part cut short or
/// padded after its manifest was written is refused, not merged.
pub fn check_manifest_draws(
    manifest_file: &str,
    m: &Manifest,
    part_file: &str,
    in_part: &[usize],
) -> Result<(), PartError> {
    if m.draws != in_part {
        let first = m
            .draws
            .iter()
            .zip(in_part)
            .position(|(a, b)| a != b)
            .unwrap_or(m.draws.len().min(in_part.len()));
        return Err(PartError::Manifest {
            file: manifest_file.to_string(),
            message: format!(
                "lists {} draws but {part_file} holds {} (they first differ at record {})",
                m.draws.len(),
                in_part.len(),
                first + 1
            ),
        });
    }
    Ok(())
}

/// The parts' draws must cover `0..total` exactly once, `total` being the
/// scenario's own number of draws (never a size read from a file, so a
/// manifest claiming 10^18 draws allocates nothing).
pub fn check_coverage(total: usize, draws: &[usize]) -> Result<(), PartError> {
    let mut seen = vec![0u32; total];
    for &d in draws {
        match seen.get_mut(d) {
            Some(s) => *s = s.saturating_add(1),
            None => {
                return Err(PartError::Coverage(format!(
                    "draw {d} is outside 0..{total}, the scenario's draws"
                )))
            }
        }
    }
    let missing: Vec<usize> = (0..total).filter(|&d| seen[d] == 0).collect();
    let twice: Vec<usize> = (0..total).filter(|&d| seen[d] > 1).collect();
    if missing.is_empty() && twice.is_empty() {
        return Ok(());
    }
    Err(PartError::Coverage(format!(
        "the parts do not cover every draw exactly once: {} missing (e.g. {:?}), {} more than once (e.g. {:?})",
        missing.len(),
        &missing[..missing.len().min(5)],
        twice.len(),
        &twice[..twice.len().min(5)]
    )))
}

/// Whether draw record `r` has the shape of `reference` (a draw of the same scenario): the
/// same parameters, options in order and, per option, one value per actor, unit and claim.
pub fn same_shape(reference: &DrawResult, r: &DrawResult) -> Result<(), String> {
    let count = |what: &str, want: usize, got: usize| {
        if want == got {
            Ok(())
        } else {
            Err(format!(
                "{what}: {got} values, the scenario's draws have {want}"
            ))
        }
    };
    count("params", reference.params.len(), r.params.len())?;
    count("options", reference.options.len(), r.options.len())?;
    for (a, b) in reference.options.iter().zip(&r.options) {
        if a.option != b.option {
            return Err(format!(
                "option `{}` where `{}` belongs",
                b.option, a.option
            ));
        }
        let o = &b.option;
        count(&format!("{o}: milex"), a.milex.len(), b.milex.len())?;
        for (x, y) in a.milex.iter().zip(&b.milex) {
            if let (Some(x), Some(y)) = (x, y) {
                count(&format!("{o}: a milex path"), x.len(), y.len())?;
            }
        }
        count(&format!("{o}: theta"), a.theta.len(), b.theta.len())?;
        count(
            &format!("{o}: coalition"),
            a.coalition.len(),
            b.coalition.len(),
        )?;
        if b.coalition.iter().any(|&c| c > 2) {
            return Err(format!(
                "{o}: coalition: a place other than 0 (west), 1 (east) or 2 (unaligned)"
            ));
        }
        count(
            &format!("{o}: region_share"),
            a.region_share.len(),
            b.region_share.len(),
        )?;
        count(
            &format!("{o}: claim_values"),
            a.claim_values.len(),
            b.claim_values.len(),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_checked_against_the_scenarios_draws_not_a_files_size() {
        assert!(check_coverage(3, &[0, 1, 2]).is_ok());
        assert!(check_coverage(3, &[0, 2])
            .unwrap_err()
            .to_string()
            .contains("1 missing"));
        assert!(check_coverage(3, &[0, 1, 1, 2])
            .unwrap_err()
            .to_string()
            .contains("1 more than once"));
        // A draw number from a file far beyond the scenario's is an error, not an allocation.
        assert!(check_coverage(3, &[usize::MAX])
            .unwrap_err()
            .to_string()
            .contains("outside 0..3"));
    }

    #[test]
    fn a_manifest_needs_its_fields_and_a_record_its_draw() {
        let mut v = manifest(0).to_json();
        v["total_draws"] = 1_000_000_000_000_000_000u64.into();
        v["draws"] = serde_json::json!([0, 1]);
        let ok = v.to_string();
        let m = parse_manifest(&ok, "m.json").unwrap();
        assert_eq!(
            (m.spec.total_draws, m.draws.clone()),
            (1_000_000_000_000_000_000, vec![0, 1])
        );
        for bad in [
            "".to_string(),
            "[]".to_string(),
            r#"{"seed":1}"#.to_string(),
            ok.replace("[0,1]", "[-1]"),
            ok.replace("\"seed\":7", "\"seed\":\"7\""),
            // A manifest of an older entente, with the old fingerprint.
            ok.replace("scenario_sha256", "scenario_hash"),
        ] {
            let e = parse_manifest(&bad, "m.json").unwrap_err();
            assert!(e.to_string().starts_with("m.json: "), "{e}");
        }
        let e = parse_manifest(&ok.replace("scenario_sha256", "scenario_hash"), "m.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("older entente"), "{e}");
        let e = read_part("{\"draw\":0,\"options\":[]}\nnot json\n", "p.jsonl").unwrap_err();
        assert!(
            e.to_string().starts_with("p.jsonl:2: not a draw record"),
            "{e}"
        );
        let e = read_part("{\"options\":[]}\n", "p.jsonl").unwrap_err();
        assert_eq!(e.to_string(), "p.jsonl:1: missing draw");
    }

    fn manifest(shard: usize) -> Manifest {
        Manifest {
            spec: crate::identity::example(),
            shard: Some((shard, 2)),
            draws: (shard..24).step_by(2).collect(),
        }
    }

    #[test]
    fn a_manifest_round_trips_through_its_json() {
        let m = manifest(1);
        let text = serde_json::to_string(&m.to_json()).unwrap();
        assert_eq!(parse_manifest(&text, "m.json").unwrap(), m);
        let bad = text.replace("\"1/2\"", "\"2/2\"");
        assert!(parse_manifest(&bad, "m.json")
            .unwrap_err()
            .to_string()
            .contains("`shard` `2/2`"));
    }

    #[test]
    fn parts_of_other_runs_are_refused_naming_the_part_and_the_field() {
        let ok = vec![
            ("a.json".to_string(), manifest(0)),
            ("b.json".into(), manifest(1)),
        ];
        check_same_run(&ok, "0.1.0", "d1").unwrap();
        type Edit = fn(&mut Manifest);
        let cases: [(&str, Edit); 6] = [
            ("seed", |m| m.spec.seed = 8),
            ("base samples", |m| m.spec.base_samples = 8),
            ("scenario_sha256", |m| {
                m.spec.scenario_sha256 = crate::identity::scenario_sha256("other")
            }),
            ("scenario", |m| m.spec.scenario = "other".into()),
            ("engine version", |m| m.spec.engine_version = "0.2.0".into()),
            ("data version", |m| m.spec.data_version = "d2".into()),
        ];
        for (field, edit) in cases {
            let mut parts = ok.clone();
            edit(&mut parts[1].1);
            let e = check_same_run(&parts, "0.1.0", "d1")
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("b.json: its {field} is ")), "{e}");
            assert!(e.contains("but a.json has"), "{e}");
        }
        // Parts agreeing with each other but not with the merging program.
        let e = check_same_run(&ok, "0.1.0", "d9").unwrap_err().to_string();
        assert!(
            e.starts_with("a.json: its data version is d1 but the entente merging has d9"),
            "{e}"
        );
        let e = check_same_run(&ok, "0.3.0", "d1").unwrap_err().to_string();
        assert!(e.contains("engine version is 0.1.0"), "{e}");
    }
}
