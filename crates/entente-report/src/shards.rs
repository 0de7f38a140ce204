//! A sharded run's contract, whatever schedules it (Slurm job arrays, Kubernetes Indexed
//! Jobs, a shell loop): which shard a process is ([`shard_from_env`]), where each shard
//! writes (`<root>/shards/<i>/`, [`shard_dir`]) and what state each shard is in, read
//! from the files it left and, when a scheduler can be asked, its queue ([`scan`]).
//!
//! A shard's folder holds, over its life, the run's `RUNNING` marker (written first),
//! then `part-<i>-of-<N>.jsonl` and its manifest (see [`crate::parts`]). A shard is
//! *done* when its manifest is valid, names shard `i/N`, lists exactly the draws
//! `d < total` with `d mod N = i`, and its part has one record per listed draw.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::parts;

/// A shard: index and count (`0 <= index < count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A shard that cannot be worked out, saying from what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("{source_name} `{value}`: {message}")]
    Bad {
        source_name: String,
        value: String,
        message: String,
    },
    #[error("{0}")]
    Incomplete(String),
}

/// `i/N` as given by `source_name` (`--shard`, an environment variable...).
pub fn parse_shard(s: &str, source_name: &str) -> Result<Shard, ShardError> {
    let bad = |message: String| ShardError::Bad {
        source_name: source_name.to_string(),
        value: s.to_string(),
        message,
    };
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| bad("expected i/N, e.g. 0/2".into()))?;
    let num = |t: &str| {
        t.trim()
            .parse::<usize>()
            .map_err(|_| bad(format!("`{t}` is not a number")))
    };
    let (index, count) = (num(i)?, num(n)?);
    if count == 0 || index >= count {
        return Err(bad("needs 0 <= i < N".into()));
    }
    Ok(Shard { index, count })
}

/// The environment variable of a shard count where the scheduler gives none (a
/// Kubernetes Indexed Job gives the index only; set it to the Job's `completions`).
pub const SHARD_COUNT_VAR: &str = "ENTENTE_SHARD_COUNT";

/// The shard a process is, from its environment (`get` looks a variable up) when no
/// `--shard i/N` was given, in this order:
///
/// 1. Slurm: `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT`;
/// 2. Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX`, with the count from `shards`
///    (`--shards`) or else [`SHARD_COUNT_VAR`].
///
/// `None` when neither names an index (an unsharded run); a count without an index, or an
/// index without a count, is an error rather than a silent whole run.
///
/// ```
/// use entente_report::shards::{shard_from_env, Shard};
/// let env = |k: &str| (k == "JOB_COMPLETION_INDEX").then(|| "3".to_string());
/// assert_eq!(shard_from_env(env, Some(4)).unwrap(), Some(Shard { index: 3, count: 4 }));
/// ```
pub fn shard_from_env(
    get: impl Fn(&str) -> Option<String>,
    shards: Option<usize>,
) -> Result<Option<Shard>, ShardError> {
    if let (Some(i), Some(n)) = (get("SLURM_ARRAY_TASK_ID"), get("SLURM_ARRAY_TASK_COUNT")) {
        return parse_shard(
            &format!("{}/{}", i.trim(), n.trim()),
            "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT",
        )
        .map(Some);
    }
    let count = match shards {
        Some(n) => Some(n.to_string()),
        None => get(SHARD_COUNT_VAR),
    };
    match (get("JOB_COMPLETION_INDEX"), count) {
        (Some(i), Some(n)) => parse_shard(
            &format!("{}/{}", i.trim(), n.trim()),
            "JOB_COMPLETION_INDEX/shard count",
        )
        .map(Some),
        (Some(i), None) => Err(ShardError::Incomplete(format!(
            "JOB_COMPLETION_INDEX is {i} but no shard count: pass --shards N or set {SHARD_COUNT_VAR}"
        ))),
        (None, Some(n)) => Err(ShardError::Incomplete(format!(
            "a shard count ({n}) but no shard index: pass --shard i/N, or run as a Slurm array task or a Kubernetes Indexed Job"
        ))),
        (None, None) => Ok(None),
    }
}

/// The folder of shard `index` of a sharded run rooted at `root`.
pub fn shard_dir(root: &Path, index: usize) -> PathBuf {
    root.join("shards").join(index.to_string())
}

/// `part-<i>-of-<N>`: the stem of a shard's part and manifest files.
pub fn part_stem(s: Shard) -> String {
    format!("part-{}-of-{}", s.index, s.count)
}

/// What a scheduler's queue says of a shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    /// Waiting to start.
    Pending,
    /// Started and not finished.
    Running,
}

/// The scheduler's live view: shard index to its queue state. Shards absent from it are
/// not queued or running anywhere.
pub type Queue = BTreeMap<usize, Queued>;

/// `squeue -h -r -o "%K %T"` (array task index, state), one task a line, as a [`Queue`];
/// lines of jobs that are no array task (`N/A`) are skipped.
pub fn parse_squeue(text: &str) -> Queue {
    let mut q = Queue::new();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let (Some(idx), Some(state)) = (f.next(), f.next()) else {
            continue;
        };
        let Ok(idx) = idx.parse::<usize>() else {
            continue;
        };
        let live = match state {
            "PENDING" | "REQUEUED" | "REQUEUE_HOLD" | "RESV_DEL_HOLD" | "SUSPENDED" => {
                Queued::Pending
            }
            "RUNNING" | "CONFIGURING" | "COMPLETING" | "RESIZING" | "SIGNALING" | "STAGE_OUT" => {
                Queued::Running
            }
            _ => continue,
        };
        // A running task outranks a pending copy of the same index.
        let e = q.entry(idx).or_insert(live);
        if live == Queued::Running {
            *e = live;
        }
    }
    q
}

/// A shard's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Its part and manifest are complete.
    Done,
    /// Started and, as far as anyone can tell, still running.
    Running,
    /// In the scheduler's queue, not started.
    Queued,
    /// Started and not running any more without a complete part (killed, failed), or a
    /// part that is not this shard's.
    Failed,
    /// No trace: never started (or its folder was removed).
    Missing,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Done => "done",
            State::Running => "running",
            State::Queued => "queued",
            State::Failed => "failed",
            State::Missing => "missing",
        }
    }

    /// Whether `entente slurm --resume` submits the shard again.
    pub fn needs_rerun(self) -> bool {
        matches!(self, State::Failed | State::Missing)
    }
}

/// One shard's state and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardStatus {
    pub index: usize,
    pub state: State,
    pub detail: String,
}

/// The state of every shard `0..count` of the run at `root`. `queue` is the scheduler's
/// view when it can be asked; without it a started shard counts as running (nothing can
/// tell it from one that was killed).
pub fn scan(root: &Path, count: usize, queue: Option<&Queue>) -> Vec<ShardStatus> {
    (0..count)
        .map(|index| {
            let (state, detail) = scan_one(root, Shard { index, count }, queue);
            ShardStatus {
                index,
                state,
                detail,
            }
        })
        .collect()
}

fn scan_one(root: &Path, s: Shard, queue: Option<&Queue>) -> (State, String) {
    let dir = shard_dir(root, s.index);
    let stem = part_stem(s);
    let manifest = dir.join(format!("{stem}.manifest.json"));
    let live = queue.and_then(|q| q.get(&s.index).copied());
    let started = dir.join(crate::folder::MARKER).exists();
    if manifest.exists() {
        return match check_done(&dir, &stem, &manifest, s) {
            Ok(n) => (State::Done, format!("{n} draws")),
            Err(m) if live == Some(Queued::Running) => (State::Running, format!("rerunning ({m})")),
            Err(m) => (State::Failed, m),
        };
    }
    match (live, started, queue.is_some()) {
        (Some(Queued::Running), _, _) => (State::Running, "running".into()),
        (Some(Queued::Pending), _, _) => (State::Queued, "queued".into()),
        (None, true, true) => (
            State::Failed,
            "started but no longer queued or running, with no part (killed or failed; see its log)"
                .into(),
        ),
        (None, true, false) => (
            State::Running,
            "started, no part yet (no scheduler queue to ask whether it still runs)".into(),
        ),
        (None, false, _) => (State::Missing, "no trace of a run".into()),
    }
}

/// A shard's part, checked against its manifest and the draws the shard owns: the
/// number of draws, or what is wrong.
fn check_done(dir: &Path, stem: &str, manifest: &Path, s: Shard) -> Result<usize, String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| format!("manifest: {e}"))?;
    let m =
        parts::parse_manifest(&text, &manifest.display().to_string()).map_err(|e| e.to_string())?;
    if m.shard != Some((s.index, s.count)) {
        return Err(format!(
            "its manifest is of shard {}, not {s}",
            m.shard.map_or("(none)".into(), |(i, n)| format!("{i}/{n}"))
        ));
    }
    let total =
        usize::try_from(m.spec.total_draws).map_err(|_| "total_draws too large".to_string())?;
    // Compared lazily: a manifest claiming 10^18 draws allocates nothing.
    let owned = (s.index..total).step_by(s.count);
    if owned.len() != m.draws.len() || !owned.eq(m.draws.iter().copied()) {
        return Err(format!(
            "its manifest lists draws other than those of shard {s} (d mod {} = {})",
            s.count, s.index
        ));
    }
    let part = dir.join(format!("{stem}.jsonl"));
    let text = std::fs::read_to_string(&part).map_err(|e| format!("{}: {e}", part.display()))?;
    let records = text.lines().filter(|l| !l.trim().is_empty()).count();
    if records != m.draws.len() {
        return Err(format!(
            "{} holds {records} records, its manifest lists {}",
            part.display(),
            m.draws.len()
        ));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(total: usize) -> crate::identity::RunSpec {
        crate::identity::RunSpec {
            seed: 1,
            base_samples: 1,
            total_draws: total as u64,
            ..crate::identity::example()
        }
    }

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_shard_comes_from_slurm_then_kubernetes_and_a_half_given_shard_is_an_error() {
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert_eq!(
            shard_from_env(env(&slurm), None).unwrap(),
            Some(Shard { index: 2, count: 4 })
        );
        let k8s = [("JOB_COMPLETION_INDEX", "1")];
        assert_eq!(
            shard_from_env(env(&k8s), Some(3)).unwrap(),
            Some(Shard { index: 1, count: 3 })
        );
        let k8s_count = [("JOB_COMPLETION_INDEX", "0"), (SHARD_COUNT_VAR, " 5 ")];
        assert_eq!(
            shard_from_env(env(&k8s_count), None).unwrap(),
            Some(Shard { index: 0, count: 5 })
        );
        // --shards wins over the variable.
        assert_eq!(
            shard_from_env(env(&k8s_count), Some(2)).unwrap(),
            Some(Shard { index: 0, count: 2 })
        );
        assert_eq!(shard_from_env(env(&[]), None).unwrap(), None);
        let e = shard_from_env(env(&k8s), None).unwrap_err().to_string();
        assert!(
            e.contains("no shard count") && e.contains(SHARD_COUNT_VAR),
            "{e}"
        );
        let e = shard_from_env(env(&[]), Some(4)).unwrap_err().to_string();
        assert!(e.contains("no shard index"), "{e}");
        let e = shard_from_env(env(&[("JOB_COMPLETION_INDEX", "3")]), Some(3))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "JOB_COMPLETION_INDEX/shard count `3/3`: needs 0 <= i < N"
        );
        let e = shard_from_env(env(&[("JOB_COMPLETION_INDEX", "x")]), Some(3))
            .unwrap_err()
            .to_string();
        assert!(e.contains("`x` is not a number"), "{e}");
    }

    #[test]
    fn squeue_lines_become_the_live_shards() {
        let q = parse_squeue("3 PENDING\n1 RUNNING\nN/A PENDING\n2 COMPLETED\n\n1 PENDING\n");
        assert_eq!(
            q.into_iter().collect::<Vec<_>>(),
            vec![(1, Queued::Running), (3, Queued::Pending)]
        );
    }

    fn write_part(root: &Path, s: Shard, total: usize, records: usize) {
        let dir = shard_dir(root, s.index);
        std::fs::create_dir_all(&dir).unwrap();
        let draws: Vec<usize> = (s.index..total).step_by(s.count).collect();
        let m = parts::Manifest {
            spec: spec(total),
            shard: Some((s.index, s.count)),
            draws,
        };
        let stem = part_stem(s);
        std::fs::write(
            dir.join(format!("{stem}.manifest.json")),
            m.to_json().to_string(),
        )
        .unwrap();
        std::fs::write(dir.join(format!("{stem}.jsonl")), "{}\n".repeat(records)).unwrap();
    }

    #[test]
    fn each_shard_is_done_running_queued_failed_or_missing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_part(root, Shard { index: 0, count: 6 }, 12, 2);
        // Cut short: one record where the manifest lists two.
        write_part(root, Shard { index: 1, count: 6 }, 12, 1);
        for i in [2, 3] {
            std::fs::create_dir_all(shard_dir(root, i)).unwrap();
            std::fs::write(shard_dir(root, i).join(crate::folder::MARKER), "").unwrap();
        }
        let states = |q: Option<&Queue>| -> Vec<&str> {
            scan(root, 6, q).iter().map(|s| s.state.name()).collect()
        };
        // Without a queue a started shard counts as running.
        assert_eq!(
            states(None),
            ["done", "failed", "running", "running", "missing", "missing"]
        );
        let q = parse_squeue("2 RUNNING\n5 PENDING\n");
        assert_eq!(
            states(Some(&q)),
            ["done", "failed", "running", "failed", "missing", "queued"]
        );
        let s = scan(root, 6, Some(&q));
        assert!(s[1].detail.contains("holds 1 records"), "{}", s[1].detail);
        assert!(s[3].detail.contains("killed or failed"), "{}", s[3].detail);
        assert!(s.iter().filter(|s| s.state.needs_rerun()).count() == 3);
        // A part of another split in shard 0's folder is not shard 0 of 6's.
        write_part(root, Shard { index: 0, count: 5 }, 12, 3);
        assert_eq!(scan(root, 5, None)[0].state, State::Done);
        std::fs::remove_file(shard_dir(root, 0).join("part-0-of-6.manifest.json")).unwrap();
        assert_eq!(scan(root, 6, None)[0].state, State::Missing);
        // A manifest of the right name listing another shard's draws is refused.
        let wrong = parts::Manifest {
            spec: spec(12),
            shard: Some((0, 6)),
            draws: vec![1, 7],
        };
        std::fs::write(
            shard_dir(root, 0).join("part-0-of-6.manifest.json"),
            wrong.to_json().to_string(),
        )
        .unwrap();
        let s0 = &scan(root, 6, None)[0];
        assert_eq!(s0.state, State::Failed);
        assert!(
            s0.detail.contains("other than those of shard 0/6"),
            "{}",
            s0.detail
        );
    }
}
