//! `entente slurm`: a sharded run as a Slurm job array and a merge job after it
//! (`entente_report::slurm` writes the scripts); `--resume` resubmits the shards that
//! failed or never ran. `entente status`: each shard's state.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use entente_report::shards::{self, Queue, ShardStatus, State};
use entente_report::slurm::{self as plan_mod, Plan, SbatchOptions, Submission};

use super::world::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    /// A scenario file (TOML). Default: the bundled flagship.
    #[arg(conflicts_with = "resume")]
    pub scenario: Option<PathBuf>,
    /// Number of shards (array tasks).
    #[arg(long, required_unless_present = "resume")]
    pub shards: Option<usize>,
    /// At most this many tasks at once (`--array=...%K`).
    #[arg(long)]
    pub concurrent: Option<usize>,
    /// Draws in all (rounded up to the design's whole base samples or points), passed to
    /// every task.
    #[arg(long)]
    pub draws: Option<usize>,
    /// Seed, passed to every task.
    #[arg(long)]
    pub seed: Option<u64>,
    /// The run's folder (plan, scripts, logs, shards, merged outputs); must not hold a plan.
    #[arg(long, required_unless_present = "resume")]
    pub out: Option<PathBuf>,
    /// Submit the array and the merge job with sbatch (otherwise only write the scripts).
    #[arg(long)]
    pub submit: bool,
    /// Resubmit the failed and missing shards of the run in DIR, and a merge after them.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
    /// With --resume: write the scripts, submit nothing.
    #[arg(long, requires = "resume")]
    pub dry_run: bool,
    /// Slurm partition.
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit per task (Slurm syntax, e.g. 01:00:00).
    #[arg(long)]
    pub time: Option<String>,
    /// CPUs per task (the run's threads).
    #[arg(long)]
    pub cpus_per_task: Option<usize>,
    /// A further #SBATCH argument (repeatable), e.g. --sbatch-arg=--account=proj.
    #[arg(long = "sbatch-arg", allow_hyphen_values = true)]
    pub sbatch_args: Vec<String>,
    /// The entente binary the jobs run (default: this one).
    #[arg(long)]
    pub entente: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    p.canonicalize()
        .with_context(|| format!("{}: cannot resolve", p.display()))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if let Some(dir) = &args.resume {
        return resume(dir, args.dry_run);
    }
    let out = args.out.as_deref().context("--out is required")?;
    let shards = args.shards.context("--shards is required")?;
    if shards == 0 || args.concurrent == Some(0) {
        anyhow::bail!("--shards and --concurrent must be at least 1");
    }
    if out.join(plan_mod::PLAN_FILE).exists() {
        anyhow::bail!(
            "{}: already holds a Slurm plan (use `entente slurm --resume {}` or another --out)",
            out.display(),
            out.display()
        );
    }
    // Load the scenario now, so a bad file fails here and not in every task.
    let data = args.data.load()?;
    let scenario = args.scenario.as_deref().map(absolute).transpose()?;
    let (sc, _) = super::run::load_scenario(
        scenario.as_deref(),
        &data,
        &super::run::ExperimentArgs {
            draws: args.draws,
            seed: args.seed,
            ..Default::default()
        },
    )?;
    for d in ["logs", "shards"] {
        std::fs::create_dir_all(out.join(d))
            .with_context(|| format!("{}: cannot create", out.join(d).display()))?;
    }
    let root = absolute(out)?;
    let entente = match &args.entente {
        Some(p) => absolute(p)?,
        None => std::env::current_exe().context("the entente binary's path")?,
    };
    let mut plan = Plan {
        schema: plan_mod::PLAN_SCHEMA.into(),
        name: sc.name.clone(),
        scenario,
        shards,
        concurrent: args.concurrent,
        draws: args.draws,
        seed: args.seed,
        entente,
        data_dir: args.data.data_dir.as_deref().map(absolute).transpose()?,
        sbatch: SbatchOptions {
            partition: args.partition,
            time: args.time,
            cpus_per_task: args.cpus_per_task,
            extra: args.sbatch_args,
        },
        submissions: vec![],
    };
    let indices: Vec<usize> = (0..shards).collect();
    let sub = write_scripts(&plan, &root, "array.sbatch", &indices)?;
    plan.submissions.push(sub);
    plan.write(&root)?;
    eprintln!(
        "{}: {shards} shards of {}, scripts array.sbatch and merge.sbatch",
        root.display(),
        sc.name,
    );
    if args.submit {
        submit_last(&mut plan, &root)?;
    } else {
        eprintln!(
            "submit with: jid=$(sbatch --parsable {0}/array.sbatch) && sbatch --dependency=afterok:$jid {0}/merge.sbatch",
            root.display()
        );
    }
    Ok(())
}

/// Write the array script over `indices` (and the merge script) into `root`.
fn write_scripts(
    plan: &Plan,
    root: &Path,
    name: &str,
    indices: &[usize],
) -> anyhow::Result<Submission> {
    entente_report::write_atomic(
        root,
        name,
        plan_mod::array_script(plan, root, indices).as_bytes(),
    )?;
    entente_report::write_atomic(
        root,
        "merge.sbatch",
        plan_mod::merge_script(plan, root).as_bytes(),
    )?;
    Ok(Submission {
        script: name.to_string(),
        indices: indices.to_vec(),
        array_job: None,
        merge_job: None,
    })
}

fn sbatch(args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("sbatch")
        .arg("--parsable")
        .args(args)
        .output()
        .context("cannot run sbatch (is Slurm installed and on PATH?)")?;
    if !out.status.success() {
        anyhow::bail!(
            "sbatch {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    plan_mod::parse_job_id(&text).with_context(|| format!("sbatch printed `{}`", text.trim()))
}

/// Submit the plan's last submission: its array, then the merge after it (or alone when
/// the array is empty), recording the job ids in the plan as each is known.
fn submit_last(plan: &mut Plan, root: &Path) -> anyhow::Result<()> {
    let merge = root.join("merge.sbatch").display().to_string();
    let last = plan
        .submissions
        .last()
        .cloned()
        .context("nothing to submit")?;
    let array_job = if last.indices.is_empty() {
        None
    } else {
        let script = root.join(&last.script).display().to_string();
        Some(sbatch(&[&script])?)
    };
    if let Some(s) = plan.submissions.last_mut() {
        s.array_job = array_job.clone();
    }
    plan.write(root)?;
    let merge_job = match &array_job {
        Some(id) => sbatch(&[&format!("--dependency=afterok:{id}"), &merge])?,
        None => sbatch(&[&merge])?,
    };
    if let Some(s) = plan.submissions.last_mut() {
        s.merge_job = Some(merge_job.clone());
    }
    plan.write(root)?;
    match array_job {
        Some(id) => println!("submitted array job {id} and merge job {merge_job}"),
        None => println!("submitted merge job {merge_job}"),
    }
    Ok(())
}

/// The scheduler's view of the plan's jobs, when `squeue` can be asked.
fn queue(plan: &Plan) -> anyhow::Result<Option<Queue>> {
    let ids = plan.job_ids();
    if ids.is_empty() {
        return Ok(None);
    }
    let out = match Command::new("squeue")
        .args(["-h", "-r", "-o", "%K %T", "-j", &ids.join(",")])
        .output()
    {
        Ok(o) => o,
        // No Slurm here: the files alone say what they can.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).context("squeue"),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    // squeue fails on ids it has forgotten (all finished long ago): nothing is queued.
    if !out.status.success() && !stderr.contains("Invalid job id") {
        anyhow::bail!("squeue: {}", stderr.trim());
    }
    Ok(Some(shards::parse_squeue(&String::from_utf8_lossy(
        &out.stdout,
    ))))
}

/// Resubmit what failed or never ran, cancelling merge jobs left waiting on failed arrays.
fn resume(dir: &Path, dry_run: bool) -> anyhow::Result<()> {
    let root = absolute(dir)?;
    let mut plan = Plan::read(&root)?;
    let q = queue(&plan)?;
    if q.is_none() && !plan.job_ids().is_empty() {
        anyhow::bail!(
            "cannot ask squeue which shards still run: resume needs the Slurm client tools"
        );
    }
    let status = shards::scan(&root, plan.shards, q.as_ref());
    let redo: Vec<usize> = status
        .iter()
        .filter(|s| s.state.needs_rerun())
        .map(|s| s.index)
        .collect();
    let waiting = status
        .iter()
        .filter(|s| matches!(s.state, State::Running | State::Queued))
        .count();
    if waiting > 0 {
        // A merge submitted now could not wait for tasks of earlier arrays.
        anyhow::bail!(
            "{waiting} shards are still queued or running (entente status {}): resume once they end, or scancel them",
            root.display()
        );
    }
    if redo.is_empty() && root.join("merged").join("claims.csv").exists() {
        println!(
            "all {} shards are done and merged: nothing to resubmit",
            plan.shards
        );
        return Ok(());
    }
    for &i in &redo {
        let d = shards::shard_dir(&root, i);
        if d.exists() {
            std::fs::remove_dir_all(&d)
                .with_context(|| format!("{}: cannot clear", d.display()))?;
        }
    }
    let name = format!("resume-{}.sbatch", plan.submissions.len());
    let sub = if redo.is_empty() {
        // Every shard is done: the merge alone.
        Submission {
            script: String::new(),
            indices: vec![],
            array_job: None,
            merge_job: None,
        }
    } else {
        write_scripts(&plan, &root, &name, &redo)?
    };
    // Earlier merges wait on arrays that failed: they would never run.
    let stale: Vec<String> = plan
        .submissions
        .iter()
        .filter_map(|s| s.merge_job.clone())
        .collect();
    plan.submissions.push(sub);
    plan.write(&root)?;
    if redo.is_empty() {
        eprintln!("every shard is done: submitting the merge alone");
    } else {
        eprintln!(
            "resubmitting {} shards ({}) with {name}",
            redo.len(),
            plan_mod::array_spec(&redo, None)
        );
    }
    if dry_run {
        return Ok(());
    }
    if !stale.is_empty() {
        // scancel on finished jobs is harmless; its complaints are not ours.
        let _ = Command::new("scancel").args(&stale).output();
    }
    submit_last(&mut plan, &root)
}

#[derive(clap::Args)]
pub struct StatusArgs {
    /// A sharded run's folder (`entente slurm --out`, or any root of `shards/<i>/`).
    pub dir: PathBuf,
    /// The shard count, for a folder without a Slurm plan (e.g. a Kubernetes run).
    #[arg(long)]
    pub shards: Option<usize>,
    #[arg(long, value_enum, default_value_t = crate::output::Format::Table)]
    pub format: crate::output::Format,
}

/// `entente status DIR`: each shard's state, from its files and the Slurm queue.
pub fn status(args: StatusArgs) -> anyhow::Result<()> {
    use crate::output::{Cell, Rows};
    let (count, q) = match (Plan::read(&args.dir), args.shards) {
        (_, Some(n)) if n > 0 => (n, None),
        (Ok(plan), None) => (plan.shards, queue(&plan)?),
        (Err(e), None) => {
            return Err(
                anyhow::Error::from(e).context("pass --shards N for a folder without a plan")
            )
        }
        (_, Some(_)) => anyhow::bail!("--shards must be at least 1"),
    };
    let status: Vec<ShardStatus> = shards::scan(&args.dir, count, q.as_ref());
    let mut rows = Rows::new(vec!["shard", "state", "detail"]);
    for s in &status {
        rows.push(vec![
            Cell::Int(s.index as i64),
            Cell::str(s.state.name()),
            Cell::str(&s.detail),
        ]);
    }
    rows.write(args.format, &mut std::io::stdout().lock())?;
    let count_of = |st: State| status.iter().filter(|s| s.state == st).count();
    let merged = args.dir.join("merged").join("claims.csv").exists();
    eprintln!(
        "{} done, {} running, {} queued, {} failed, {} missing{}",
        count_of(State::Done),
        count_of(State::Running),
        count_of(State::Queued),
        count_of(State::Failed),
        count_of(State::Missing),
        if merged { "; merged" } else { "" }
    );
    Ok(())
}
