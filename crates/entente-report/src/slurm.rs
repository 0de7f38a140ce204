//! Slurm job arrays for a sharded run: the plan (`slurm.json`, what `entente slurm`
//! wrote and submitted, so `entente status` and `--resume` need nothing else), the
//! array's sbatch script (one shard per task, its own folder and log) and the merge
//! job's, which runs after the array succeeds (`--dependency=afterok`).
//!
//! Layout of a run's folder `ROOT`:
//!
//! ```text
//! ROOT/slurm.json              the plan and every submission
//! ROOT/array.sbatch            the array (resume-<k>.sbatch for resubmissions)
//! ROOT/merge.sbatch            the merge job
//! ROOT/logs/shard-<i>.out      each task's log; logs/merge.out
//! ROOT/shards/<i>/             each shard's part, manifest and run store
//! ROOT/merged/                 the merged outputs (claims.csv, draws.parquet, ...)
//! ```
//!
//! ```
//! use entente_report::slurm::array_spec;
//! assert_eq!(array_spec(&[0, 1, 2, 3], Some(2)), "0-3%2");
//! assert_eq!(array_spec(&[1, 3, 4, 5], None), "1,3-5");
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The plan's file name inside the run's folder.
pub const PLAN_FILE: &str = "slurm.json";
/// The plan's schema.
pub const PLAN_SCHEMA: &str = "entente.slurm-plan/1";

/// What `entente slurm` was asked for, and what it submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub schema: String,
    /// The scenario's name (job names).
    pub name: String,
    /// The scenario file, absolute; `None` for the bundled flagship.
    pub scenario: Option<PathBuf>,
    pub shards: usize,
    /// At most this many tasks at once (`%K`).
    pub concurrent: Option<usize>,
    /// `--draws` and `--seed` passed to every shard and the merge.
    pub draws: Option<usize>,
    pub seed: Option<u64>,
    /// The `entente` binary the jobs run (absolute).
    pub entente: PathBuf,
    /// `--data-dir` passed to every job.
    pub data_dir: Option<PathBuf>,
    #[serde(default)]
    pub sbatch: SbatchOptions,
    /// Every submission, oldest first.
    #[serde(default)]
    pub submissions: Vec<Submission>,
}

/// Resources asked of Slurm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SbatchOptions {
    pub partition: Option<String>,
    /// `--time` of each task (Slurm's syntax, e.g. `01:00:00`).
    pub time: Option<String>,
    /// CPUs per task (the run's threads).
    pub cpus_per_task: Option<usize>,
    /// Further `#SBATCH` lines' arguments, as given (`--account=x`).
    #[serde(default)]
    pub extra: Vec<String>,
}

/// One submission: an array over some shards and the merge after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// The array's script, relative to the run's folder.
    pub script: String,
    pub indices: Vec<usize>,
    pub array_job: Option<String>,
    pub merge_job: Option<String>,
}

/// A plan that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not an entente Slurm plan: {source}", path.display())]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{}: not an entente Slurm plan: {message}", path.display())]
    Bad { path: PathBuf, message: String },
}

impl Plan {
    /// Read `root/slurm.json`.
    pub fn read(root: &Path) -> Result<Plan, PlanError> {
        let path = root.join(PLAN_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| PlanError::Io {
            path: path.clone(),
            source,
        })?;
        let bad = |message: String| PlanError::Bad {
            path: path.clone(),
            message,
        };
        let plan: Plan = serde_json::from_str(&text).map_err(|source| PlanError::Json {
            path: path.clone(),
            source,
        })?;
        if plan.schema != PLAN_SCHEMA {
            return Err(bad(format!(
                "schema `{}`, expected `{PLAN_SCHEMA}`",
                plan.schema
            )));
        }
        if plan.shards == 0 || plan.concurrent == Some(0) {
            return Err(bad("shards and concurrent must be at least 1".into()));
        }
        Ok(plan)
    }

    /// Write `root/slurm.json` atomically.
    pub fn write(&self, root: &Path) -> Result<(), crate::ReportError> {
        let text = serde_json::to_string_pretty(self)?;
        crate::write_atomic(root, PLAN_FILE, text.as_bytes())
    }

    /// Every job id submitted, arrays and merges.
    pub fn job_ids(&self) -> Vec<String> {
        self.submissions
            .iter()
            .flat_map(|s| s.array_job.iter().chain(&s.merge_job))
            .cloned()
            .collect()
    }
}

/// The `--array` value over `indices` (sorted, distinct), runs collapsed to `a-b`, with
/// `%K` when at most K tasks may run at once.
pub fn array_spec(indices: &[usize], concurrent: Option<usize>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < indices.len() {
        let start = indices[i];
        let mut end = start;
        while i + 1 < indices.len() && indices[i + 1] == end + 1 {
            i += 1;
            end += 1;
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    let mut s = parts.join(",");
    if let Some(k) = concurrent {
        s.push_str(&format!("%{k}"));
    }
    s
}

/// `s` quoted for a POSIX shell.
pub fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn path_arg(p: &Path) -> String {
    sh_quote(&p.display().to_string())
}

fn header(plan: &Plan, job_name: &str, log: &Path) -> String {
    let mut s = String::from("#!/bin/bash\n");
    s.push_str(&format!("#SBATCH --job-name={}\n", sh_quote(job_name)));
    s.push_str(&format!("#SBATCH --output={}\n", path_arg(log)));
    if let Some(p) = &plan.sbatch.partition {
        s.push_str(&format!("#SBATCH --partition={}\n", sh_quote(p)));
    }
    if let Some(t) = &plan.sbatch.time {
        s.push_str(&format!("#SBATCH --time={}\n", sh_quote(t)));
    }
    for e in &plan.sbatch.extra {
        s.push_str(&format!("#SBATCH {e}\n"));
    }
    s
}

/// The arguments every job shares: scenario, draws, seed, data.
fn common_args(plan: &Plan) -> String {
    let mut s = String::new();
    if let Some(sc) = &plan.scenario {
        s.push_str(&format!(" {}", path_arg(sc)));
    }
    if let Some(d) = plan.draws {
        s.push_str(&format!(" --draws {d}"));
    }
    if let Some(seed) = plan.seed {
        s.push_str(&format!(" --seed {seed}"));
    }
    if let Some(d) = &plan.data_dir {
        s.push_str(&format!(" --data-dir {}", path_arg(d)));
    }
    s
}

/// The array script over `indices`: task `i` runs shard `i/N` into `root/shards/i`
/// (its own run store there), logging to `root/logs/shard-<i>.out`.
pub fn array_script(plan: &Plan, root: &Path, indices: &[usize]) -> String {
    let mut s = header(
        plan,
        &format!("entente-{}", plan.name),
        &root.join("logs").join("shard-%a.out"),
    );
    s.push_str(&format!(
        "#SBATCH --array={}\n",
        array_spec(indices, plan.concurrent)
    ));
    let cpus = plan.sbatch.cpus_per_task.unwrap_or(1);
    s.push_str(&format!("#SBATCH --cpus-per-task={cpus}\n"));
    s.push_str("set -euo pipefail\n");
    s.push_str(&format!(
        "# Shard i of {n} runs draws d with d mod {n} = i (entente run --shard).\n",
        n = plan.shards
    ));
    s.push_str(&format!("root={}\n", path_arg(root)));
    s.push_str("i=\"$SLURM_ARRAY_TASK_ID\"\n");
    s.push_str(&format!(
        "exec {} run{} --shard \"$i/{}\" --threads \"${{SLURM_CPUS_PER_TASK:-{cpus}}}\" --quiet \\\n  --out \"$root/shards/$i\" --store \"$root/shards/$i/entente.sqlite\"\n",
        path_arg(&plan.entente),
        common_args(plan),
        plan.shards
    ));
    s
}

/// The merge job's script: every shard's folder into `root/merged`, recorded in
/// `root/entente.sqlite`.
pub fn merge_script(plan: &Plan, root: &Path) -> String {
    let mut s = header(
        plan,
        &format!("entente-{}-merge", plan.name),
        &root.join("logs").join("merge.out"),
    );
    s.push_str("set -euo pipefail\n");
    s.push_str(&format!("root={}\n", path_arg(root)));
    let scenario = plan
        .scenario
        .as_ref()
        .map_or(String::new(), |p| format!(" --scenario {}", path_arg(p)));
    let data = plan
        .data_dir
        .as_ref()
        .map_or(String::new(), |d| format!(" --data-dir {}", path_arg(d)));
    s.push_str(&format!(
        "exec {} merge \"$root\"/shards/*{scenario}{data} --out \"$root/merged\" --store \"$root/entente.sqlite\"\n",
        path_arg(&plan.entente),
    ));
    s
}

/// The job id `sbatch --parsable` printed (`123` or `123;cluster`).
pub fn parse_job_id(stdout: &str) -> Option<String> {
    let id = stdout.trim().split(';').next()?.trim();
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit())).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            schema: PLAN_SCHEMA.into(),
            name: "small".into(),
            scenario: Some("/data/my scenario.toml".into()),
            shards: 4,
            concurrent: Some(2),
            draws: Some(8),
            seed: Some(3),
            entente: "/opt/entente".into(),
            data_dir: None,
            sbatch: SbatchOptions {
                partition: Some("short".into()),
                cpus_per_task: Some(2),
                ..SbatchOptions::default()
            },
            submissions: vec![],
        }
    }

    #[test]
    fn the_array_runs_one_shard_per_task_into_its_own_folder_and_log() {
        let s = array_script(&plan(), Path::new("/runs/x"), &[0, 1, 2, 3]);
        for line in [
            "#SBATCH --array=0-3%2\n",
            "#SBATCH --output=/runs/x/logs/shard-%a.out\n",
            "#SBATCH --partition=short\n",
            "#SBATCH --cpus-per-task=2\n",
            "exec /opt/entente run '/data/my scenario.toml' --draws 8 --seed 3 --shard \"$i/4\"",
            "--out \"$root/shards/$i\" --store \"$root/shards/$i/entente.sqlite\"\n",
        ] {
            assert!(s.contains(line), "{line:?} not in\n{s}");
        }
        let resume = array_script(&plan(), Path::new("/runs/x"), &[1, 3]);
        assert!(resume.contains("#SBATCH --array=1,3%2\n"), "{resume}");
        // The count stays the run's, whatever tasks the array holds.
        assert!(resume.contains("--shard \"$i/4\""), "{resume}");
        let m = merge_script(&plan(), Path::new("/runs/x"));
        assert!(m.contains("merge \"$root\"/shards/* --scenario '/data/my scenario.toml' --out \"$root/merged\""), "{m}");
    }

    #[test]
    fn array_specs_quotes_and_job_ids() {
        assert_eq!(array_spec(&[0], None), "0");
        assert_eq!(array_spec(&[0, 2, 3, 4, 7], Some(3)), "0,2-4,7%3");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote(""), "''");
        assert_eq!(sh_quote("$HOME"), "'$HOME'");
        assert_eq!(parse_job_id("42\n"), Some("42".into()));
        assert_eq!(parse_job_id("42;cluster\n"), Some("42".into()));
        assert_eq!(parse_job_id("Submitted batch job 42"), None);
    }

    #[test]
    fn a_plan_round_trips_and_a_bad_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = plan();
        p.submissions.push(Submission {
            script: "array.sbatch".into(),
            indices: vec![0, 1, 2, 3],
            array_job: Some("7".into()),
            merge_job: Some("8".into()),
        });
        p.write(dir.path()).unwrap();
        let back = Plan::read(dir.path()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.job_ids(), ["7", "8"]);
        std::fs::write(dir.path().join(PLAN_FILE), "{\"schema\":\"x\"}").unwrap();
        let e = Plan::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("slurm.json: not an entente Slurm plan"), "{e}");
    }
}
