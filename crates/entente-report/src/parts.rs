//! Shard parts and their manifests (`entente run --shard i/N` writes them,
//! `entente merge` reads them): one JSON record per draw in
//! `part-<i>-of-<N>.jsonl`, and `part-<i>-of-<N>.manifest.json` saying which
//! run and which draws the part holds.
//!
//! Everything read here comes from files a user can edit, so every size is
//! checked before anything is allocated from it, and every problem is a
//! [`PartError`] naming the file and line: never a panic.

use entente_core::simulation::{DrawResult, OptionResult};
use serde_json::{json, Value};

/// What is wrong with a part or a manifest, located.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PartError {
    #[error("{file}:{line}: {message}")]
    Record {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Manifest { file: String, message: String },
    #[error("{0}")]
    Coverage(String),
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
            let v: Value = serde_json::from_str(l)
                .map_err(|e| at(i + 1, format!("not a draw record: {e}")))?;
            draw_from_json(&v)
                .map(|r| (i + 1, r))
                .map_err(|m| at(i + 1, m))
        })
        .collect()
}

/// What a manifest says of its part.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub scenario_hash: String,
    pub seed: u64,
    pub base_samples: Option<u64>,
    pub total_draws: u64,
    /// The draws the part holds, in order.
    pub draws: Vec<usize>,
}

/// A manifest's text, checked: the fields merge needs, of the right types.
pub fn parse_manifest(text: &str, file: &str) -> Result<Manifest, PartError> {
    let bad = |message: String| PartError::Manifest {
        file: file.to_string(),
        message,
    };
    let m: Value = serde_json::from_str(text).map_err(|e| bad(format!("not a manifest: {e}")))?;
    let draws = m["draws"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
                .collect::<Option<Vec<usize>>>()
        })
        .ok_or_else(|| bad("`draws` is not a list of draw numbers".into()))?;
    Ok(Manifest {
        scenario_hash: m["scenario_hash"]
            .as_str()
            .ok_or_else(|| bad("no `scenario_hash`".into()))?
            .to_string(),
        seed: m["seed"].as_u64().ok_or_else(|| bad("no `seed`".into()))?,
        base_samples: m["base_samples"].as_u64(),
        total_draws: m["total_draws"]
            .as_u64()
            .ok_or_else(|| bad("no `total_draws`".into()))?,
        draws,
    })
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
                "{o}: a place other than 0 (west), 1 (east) or 2 (unaligned)"
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
        let ok = r#"{"scenario_hash":"h","seed":1,"base_samples":2,"total_draws":1000000000000000000,"draws":[0,1]}"#;
        let m = parse_manifest(ok, "m.json").unwrap();
        assert_eq!(
            (m.total_draws, m.draws.clone()),
            (1_000_000_000_000_000_000, vec![0, 1])
        );
        for bad in [
            "",
            "[]",
            r#"{"seed":1}"#,
            r#"{"scenario_hash":"h","seed":1,"total_draws":2,"draws":[-1]}"#,
        ] {
            let e = parse_manifest(bad, "m.json").unwrap_err();
            assert!(e.to_string().starts_with("m.json: "), "{e}");
        }
        let e = read_part("{\"draw\":0,\"options\":[]}\nnot json\n", "p.jsonl").unwrap_err();
        assert!(
            e.to_string().starts_with("p.jsonl:2: not a draw record"),
            "{e}"
        );
        let e = read_part("{\"options\":[]}\n", "p.jsonl").unwrap_err();
        assert_eq!(e.to_string(), "p.jsonl:1: missing draw");
    }
}
