//! A run's checkpoint, so `entente run --resume DIR` keeps the draws an interrupted run
//! finished: `DIR/checkpoint/checkpoint.json` (which run: its id and start, its
//! [`RunSpec`] and shard) and, in draw order,
//! `DIR/checkpoint/chunk-NNNNNN.jsonl`, each a run of consecutive draws in the part format
//! of [`crate::parts`]. Every file is written whole to a `.tmp` and renamed, so a kill leaves
//! whole chunks only (a `.tmp` left behind is ignored). The checkpoint is removed once the
//! store records the run complete, before the `RUNNING` marker goes.
//!
//! Draws are bit-identical whichever process computes them (one random stream per draw),
//! so a resumed run's outputs are byte for byte an uninterrupted run's. Everything read
//! back is checked: the header against the run asked for now ([`check_matches`]), each
//! chunk's draws against the run's order, each record's shape against a draw computed now.

use std::path::{Path, PathBuf};

use entente_core::simulation::DrawResult;
use serde_json::{json, Value};

use crate::identity::RunSpec;
use crate::parts::{self, PartError};
use crate::ReportError;

/// The checkpoint's folder inside a run folder.
pub const DIR: &str = "checkpoint";
/// The checkpoint's header inside [`DIR`].
pub const HEADER: &str = "checkpoint.json";
/// Draws per chunk unless the caller says otherwise (`ENTENTE_CHECKPOINT_DRAWS`).
pub const DEFAULT_CHUNK: usize = 64;

/// Why a folder cannot be resumed.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("{}: no such run folder", dir.display())]
    NoFolder { dir: PathBuf },
    #[error("{}: the run is complete (no RUNNING marker): nothing to resume", dir.display())]
    Complete { dir: PathBuf },
    #[error("{}: no checkpoint ({DIR}/{HEADER}): the run stopped before it checkpointed any draw, or ran without checkpoints; run it again", dir.display())]
    Missing { dir: PathBuf },
    #[error("{file}: {message}")]
    Bad { file: String, message: String },
    #[error("{file}: its {field} is {theirs} but the run asked for now has {ours}: resume with the same scenario, --draws, --seed and data")]
    Mismatch {
        file: String,
        field: &'static str,
        theirs: String,
        ours: String,
    },
    #[error(transparent)]
    Part(#[from] PartError),
}

/// What a checkpoint says of its run.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub run_id: String,
    /// When the run first started (RFC 3339 UTC), kept in its `run.json` when resumed.
    pub started: String,
    /// The scenario, experiment, draws and versions: what the run resumed must share.
    pub spec: RunSpec,
    pub shard: Option<(usize, usize)>,
    /// Whether the run also writes draws.csv.
    pub csv: bool,
}

impl Header {
    pub fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("format".into(), "entente.checkpoint/2".into());
        map.insert("run_id".into(), self.run_id.clone().into());
        map.insert("started".into(), self.started.clone().into());
        self.spec.write_to(&mut map);
        map.insert(
            "shard".into(),
            json!(self.shard.map(|(i, n)| format!("{i}/{n}"))),
        );
        map.insert("csv".into(), self.csv.into());
        Value::Object(map)
    }

    /// A header's text, checked: every field present with its type.
    pub fn parse(text: &str, file: &str) -> Result<Header, CheckpointError> {
        let bad = |message: String| CheckpointError::Bad {
            file: file.to_string(),
            message,
        };
        let v: Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not a checkpoint: {e}")))?;
        if v["format"] == "entente.checkpoint/1" {
            return Err(bad(
                "is a checkpoint of an older entente (format entente.checkpoint/1): run again"
                    .into(),
            ));
        }
        if v["format"] != "entente.checkpoint/2" {
            return Err(bad("`format` is not entente.checkpoint/2".into()));
        }
        let s = |k: &str| {
            v[k].as_str()
                .map(str::to_string)
                .ok_or_else(|| bad(format!("`{k}` is not a string")))
        };
        let shard = match &v["shard"] {
            Value::Null => None,
            Value::String(t) => Some(
                t.split_once('/')
                    .and_then(|(i, n)| Some((i.parse().ok()?, n.parse().ok()?)))
                    .filter(|(i, n)| i < n)
                    .ok_or_else(|| bad(format!("`shard` `{t}` is not i/N with i < N")))?,
            ),
            _ => return Err(bad("`shard` is not a string".into())),
        };
        Ok(Header {
            run_id: s("run_id")?,
            started: s("started")?,
            spec: RunSpec::read_from(&v).map_err(bad)?,
            shard,
            csv: v["csv"]
                .as_bool()
                .ok_or_else(|| bad("`csv` is not true or false".into()))?,
        })
    }
}

/// Refuse a checkpoint of another run than `now`, naming the first field that differs
/// (the shard first: a checkpoint of another shard is named for it).
pub fn check_matches(file: &str, found: &Header, now: &Header) -> Result<(), CheckpointError> {
    let shard = |h: &Header| h.shard.map_or("none".into(), |(i, n)| format!("{i}/{n}"));
    let difference = if found.shard == now.shard {
        found.spec.first_difference(&now.spec)
    } else {
        Some(("shard", shard(found), shard(now)))
    };
    match difference {
        None => Ok(()),
        Some((field, theirs, ours)) => Err(CheckpointError::Mismatch {
            file: file.to_string(),
            field,
            theirs,
            ours,
        }),
    }
}

/// Read `dir`'s checkpoint header, refusing a folder that is complete (no `RUNNING`) or
/// holds no checkpoint.
pub fn read_header(dir: &Path) -> Result<Header, CheckpointError> {
    if !dir.is_dir() {
        return Err(CheckpointError::NoFolder {
            dir: dir.to_path_buf(),
        });
    }
    if !dir.join(crate::folder::MARKER).exists() {
        return Err(CheckpointError::Complete {
            dir: dir.to_path_buf(),
        });
    }
    let path = dir.join(DIR).join(HEADER);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CheckpointError::Missing {
                dir: dir.to_path_buf(),
            })
        }
        Err(e) => {
            return Err(CheckpointError::Bad {
                file: path.display().to_string(),
                message: format!("cannot read: {e}"),
            })
        }
    };
    Header::parse(&text, &path.display().to_string())
}

/// A checkpoint's finished draws, read back.
#[derive(Debug)]
pub struct Loaded {
    pub header: Header,
    /// The first draws of the run's order, in that order.
    pub results: Vec<DrawResult>,
    /// The chunks they came from (the next chunk written is numbered this).
    pub chunks: usize,
}

fn chunk_name(k: usize) -> String {
    format!("chunk-{k:06}.jsonl")
}

/// Read the chunks of `dir`'s checkpoint: they must be numbered from 0 without a gap and
/// hold, together, the first draws of `order` (the run's draws), each record of the shape
/// of `reference` (a draw of the scenario computed now).
pub fn load(
    dir: &Path,
    header: Header,
    order: &[usize],
    reference: &DrawResult,
) -> Result<Loaded, CheckpointError> {
    let folder = dir.join(DIR);
    let entries = std::fs::read_dir(&folder).map_err(|e| CheckpointError::Bad {
        file: folder.display().to_string(),
        message: format!("cannot read: {e}"),
    })?;
    let mut numbers: Vec<usize> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("chunk-")?
                .strip_suffix(".jsonl")?
                .parse()
                .ok()
        })
        .collect();
    numbers.sort_unstable();
    let mut results: Vec<DrawResult> = Vec::new();
    for (k, &n) in numbers.iter().enumerate() {
        let path = folder.join(chunk_name(k));
        let file = path.display().to_string();
        if n != k {
            return Err(CheckpointError::Bad {
                file,
                message: "missing: the chunks must be numbered from 0 without a gap".into(),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|e| CheckpointError::Bad {
            file: file.clone(),
            message: format!("cannot read: {e}"),
        })?;
        for (line, r) in parts::read_part(&text, &file)? {
            let at = |message: String| PartError::Record {
                file: file.clone(),
                line,
                message,
            };
            match order.get(results.len()) {
                Some(&want) if want == r.draw => {}
                Some(&want) => {
                    return Err(at(format!("draw {} where draw {want} belongs", r.draw)).into())
                }
                None => return Err(at(format!("draw {} is past the run's draws", r.draw)).into()),
            }
            parts::same_shape(reference, &r).map_err(|m| at(format!("draw {}: {m}", r.draw)))?;
            results.push(r);
        }
    }
    Ok(Loaded {
        header,
        results,
        chunks: numbers.len(),
    })
}

/// The checkpoint a run writes as it goes.
#[derive(Debug)]
pub struct Writer {
    folder: PathBuf,
    next: usize,
}

impl Writer {
    /// Start `out`'s checkpoint: its folder and header.
    pub fn create(out: &Path, header: &Header) -> Result<Writer, ReportError> {
        let folder = out.join(DIR);
        std::fs::create_dir_all(&folder)
            .map_err(|e| ReportError::io(&folder, "cannot create", e))?;
        let text = serde_json::to_string_pretty(&header.to_json())?;
        crate::write_atomic(&folder, HEADER, text.as_bytes())?;
        Ok(Writer { folder, next: 0 })
    }

    /// Go on with a checkpoint whose first `chunks` chunks are already written.
    pub fn reopen(out: &Path, chunks: usize) -> Writer {
        Writer {
            folder: out.join(DIR),
            next: chunks,
        }
    }

    /// Write the next chunk: `results`, the draws following the previous chunk's.
    pub fn append(&mut self, results: &[DrawResult]) -> Result<(), ReportError> {
        let mut lines = Vec::new();
        for r in results {
            serde_json::to_writer(&mut lines, &parts::draw_to_json(r))?;
            lines.push(b'\n');
        }
        crate::write_atomic(&self.folder, &chunk_name(self.next), &lines)?;
        self.next += 1;
        Ok(())
    }

    /// Remove the checkpoint (the run is complete).
    pub fn remove(self) -> Result<(), ReportError> {
        std::fs::remove_dir_all(&self.folder)
            .map_err(|e| ReportError::io(&self.folder, "cannot remove", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entente_core::simulation::OptionResult;

    fn header() -> Header {
        Header {
            run_id: "20260101T000000Z-00000001".into(),
            started: "2026-01-01T00:00:00Z".into(),
            spec: crate::identity::example(),
            shard: None,
            csv: false,
        }
    }

    fn draw(d: usize) -> DrawResult {
        DrawResult {
            draw: d,
            params: vec![0.1 * d as f64, f64::NAN],
            options: vec![OptionResult {
                option: "status-quo".into(),
                milex: vec![Some(vec![1.0 / 3.0, 2.5]), None],
                theta: vec![0.25],
                coalition: vec![0, 2],
                region_share: vec![0.5],
                bargaining_median: 42.0,
                claim_values: vec![-0.0],
            }],
        }
    }

    #[test]
    fn a_header_round_trips_and_a_bad_one_is_located() {
        let mut h = header();
        h.shard = Some((1, 3));
        let text = serde_json::to_string(&h.to_json()).unwrap();
        assert_eq!(Header::parse(&text, "c.json").unwrap(), h);
        for bad in [
            "{}".to_string(),
            text.replace("\"1/3\"", "\"3/3\""),
            text.replace("\"seed\":7", "\"seed\":-7"),
        ] {
            let e = Header::parse(&bad, "c.json").unwrap_err().to_string();
            assert!(e.starts_with("c.json: "), "{e}");
        }
    }

    #[test]
    fn a_checkpoint_of_another_run_is_refused_naming_the_field() {
        check_matches("c", &header(), &header()).unwrap();
        type Edit = fn(&mut Header);
        let cases: [(&str, Edit); 6] = [
            ("seed", |h| h.spec.seed = 8),
            ("base samples", |h| h.spec.base_samples = 5),
            ("shard", |h| h.shard = Some((0, 2))),
            ("engine version", |h| h.spec.engine_version = "0.2.0".into()),
            ("data version", |h| h.spec.data_version = "d2".into()),
            ("scenario_sha256", |h| {
                h.spec.scenario_sha256 = crate::identity::scenario_sha256("other")
            }),
        ];
        for (field, edit) in cases {
            let mut now = header();
            edit(&mut now);
            let e = check_matches("c", &header(), &now).unwrap_err().to_string();
            assert!(e.starts_with(&format!("c: its {field} is ")), "{e}");
        }
    }

    #[test]
    fn chunks_are_read_back_in_order_bit_for_bit_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(crate::folder::MARKER), "").unwrap();
        let mut w = Writer::create(dir.path(), &header()).unwrap();
        let order = [0, 2, 4, 6, 8];
        w.append(&[draw(0), draw(2)]).unwrap();
        w.append(&[draw(4)]).unwrap();
        let h = read_header(dir.path()).unwrap();
        assert_eq!(h, header());
        let got = load(dir.path(), h.clone(), &order, &draw(0)).unwrap();
        assert_eq!(got.chunks, 2);
        let bits = |r: &DrawResult| format!("{:?}", parts::draw_to_json(r));
        assert_eq!(
            got.results.iter().map(bits).collect::<Vec<_>>(),
            [0, 2, 4].map(|d| bits(&draw(d)))
        );
        assert_eq!(
            got.results[0].options[0].claim_values[0].to_bits(),
            (-0.0f64).to_bits()
        );
        // A chunk out of the run's order.
        let mut w = Writer::reopen(dir.path(), 2);
        w.append(&[draw(8)]).unwrap();
        let e = load(dir.path(), h.clone(), &order, &draw(0)).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("chunk-000002.jsonl:1: draw 8 where draw 6 belongs"),
            "{e}"
        );
        // A gap in the chunks.
        std::fs::remove_file(dir.path().join(DIR).join("chunk-000001.jsonl")).unwrap();
        let e = load(dir.path(), h.clone(), &order, &draw(0)).unwrap_err();
        assert!(e.to_string().contains("chunk-000001.jsonl: missing"), "{e}");
        // A record of another shape.
        std::fs::remove_file(dir.path().join(DIR).join("chunk-000002.jsonl")).unwrap();
        let mut other = draw(0);
        other.params.push(1.0);
        let e = load(dir.path(), h, &order, &other).unwrap_err();
        assert!(e.to_string().contains("draw 0: params"), "{e}");
        // Complete, or never checkpointed.
        w.remove().unwrap();
        assert!(matches!(
            read_header(dir.path()),
            Err(CheckpointError::Missing { .. })
        ));
        std::fs::remove_file(dir.path().join(crate::folder::MARKER)).unwrap();
        assert!(matches!(
            read_header(dir.path()),
            Err(CheckpointError::Complete { .. })
        ));
    }
}
