//! `entente run`: the paired Monte Carlo analysis of a scenario's policy
//! options, its claims ledger and report. `entente merge` joins shards.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use entente_core::scenario::{Param, Sampler, Scenario};
use entente_core::simulation::{self, ClaimResult, ClaimStatus, DrawResult, Prepared};

use super::world::{Data, DataArgs};
use entente_report as report;
use entente_report::{scenario_sha256, store_claims};

use entente_data::scenario::{FLAGSHIP, FLAGSHIP_PATH};

#[derive(clap::Args)]
pub struct Args {
    /// A scenario file (TOML). Default: the bundled flagship, scenarios/nato-ip4.toml.
    pub scenario: Option<PathBuf>,
    /// Output folder. Default: a new folder out/<scenario>-<run id>/ (the id starts with the
    /// UTC start time), never shared with another run.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub experiment: ExperimentArgs,
    /// Run only shard i of N (`0/2`): draws d with d mod N = i. Read from
    /// SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT when not given, or from a
    /// Kubernetes Indexed Job's JOB_COMPLETION_INDEX with --shards (or ENTENTE_SHARD_COUNT).
    #[arg(long)]
    pub shard: Option<String>,
    /// The shard count when the index comes from JOB_COMPLETION_INDEX.
    #[arg(long, conflicts_with = "shard")]
    pub shards: Option<usize>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the parameters and their default priors, then stop.
    #[arg(long)]
    pub list_params: bool,
    /// Also write the tidy draws as CSV (draws.csv) beside draws.parquet.
    #[arg(long)]
    pub csv: bool,
    /// Go on with the interrupted run in folder DIR: keep the draws its checkpoint holds,
    /// compute the rest, write the outputs an uninterrupted run writes. Give the same
    /// scenario (--draws and --seed default to the checkpoint's).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["out", "shard", "shards", "list_params"])]
    pub resume: Option<PathBuf>,
    /// Draws per checkpoint chunk (0: no checkpoint).
    #[arg(long, env = "ENTENTE_CHECKPOINT_DRAWS", hide = true,
          default_value_t = report::checkpoint::DEFAULT_CHUNK)]
    pub checkpoint_draws: usize,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Where the run records live.
#[derive(clap::Args, Clone)]
pub struct StoreArgs {
    /// The SQLite run store.
    #[arg(
        long = "store",
        env = "ENTENTE_STORE",
        default_value = "out/entente.sqlite"
    )]
    pub path: PathBuf,
}

impl StoreArgs {
    /// Open the store (creating its folder), marking runs whose process died
    /// as interrupted.
    pub fn open(&self) -> anyhow::Result<entente_store::RunStore> {
        Ok(report::execute::open_store(&self.path)?)
    }
}

use report::shards::Shard;

/// The shard to run: `--shard i/N`, else the scheduler's environment (Slurm's array
/// task, a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` with `--shards`).
fn shard_of(args: &Args) -> anyhow::Result<Option<Shard>> {
    match &args.shard {
        Some(s) => Ok(Some(report::shards::parse_shard(s, "--shard")?)),
        None => Ok(report::shards::shard_from_env(
            |k| std::env::var(k).ok(),
            args.shards,
        )?),
    }
}

/// The experiment's settings a command line can override (each overrides the file).
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub struct ExperimentArgs {
    /// Draws in all: rounded up to whole base samples of the Saltelli design (k + 2 draws
    /// each, times the replications) or to whole points of another sampler.
    #[arg(long, conflicts_with = "base_samples")]
    pub draws: Option<usize>,
    /// Base samples N of the Saltelli design (N (k + 2) points).
    #[arg(long)]
    pub base_samples: Option<usize>,
    /// How design points are drawn: saltelli (Sobol indices), sobol, lhs or random.
    #[arg(long, value_parser = parse_sampler)]
    pub sampler: Option<Sampler>,
    /// Runs of each design point (the same parameters, independent noise).
    #[arg(long)]
    pub replications: Option<usize>,
    /// Seed.
    #[arg(long)]
    pub seed: Option<u64>,
}

impl ExperimentArgs {
    /// Only a seed.
    pub fn seed(seed: Option<u64>) -> ExperimentArgs {
        ExperimentArgs {
            seed,
            ..ExperimentArgs::default()
        }
    }
}

fn parse_sampler(s: &str) -> Result<Sampler, String> {
    Sampler::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Sampler::ALL.iter().map(|s| s.name()).collect();
        format!("`{s}` is not one of {}", names.join(", "))
    })
}

/// Apply the command line's experiment settings to `sc`: sampler and replications first,
/// then the size (base samples, or draws rounded up, said on stderr when rounded).
pub fn apply_experiment(sc: &mut Scenario, args: &ExperimentArgs) -> anyhow::Result<()> {
    if let Some(s) = args.sampler {
        sc.experiment.sampler = s;
    }
    if let Some(r) = args.replications {
        if !(1..=1000).contains(&r) {
            anyhow::bail!("--replications must be 1-1000, got {r}");
        }
        sc.experiment.replications = r;
    }
    if let Some(n) = args.base_samples {
        if sc.experiment.sampler != Sampler::Saltelli {
            anyhow::bail!(
                "--base-samples sizes a Saltelli design, but the sampler is `{}`: give --draws instead",
                sc.experiment.sampler.name()
            );
        }
        if !(2..=100_000).contains(&n) {
            anyhow::bail!("--base-samples must be 2-100000, as in a scenario file, got {n}");
        }
        sc.experiment.base_samples = n;
    }
    if let Some(d) = args.draws {
        if !(1..=10_000_000).contains(&d) {
            anyhow::bail!("--draws must be 1-10000000, as in a scenario file, got {d}");
        }
        let got = sc.set_draws(d);
        if got != d {
            let e = sc.experiment;
            let unit = match e.sampler {
                Sampler::Saltelli => format!(
                    "whole base samples of {} draws (k = {} parameters + 2, times {} replication(s))",
                    (sc.uncertain().len() + 2) * e.replications,
                    sc.uncertain().len(),
                    e.replications
                ),
                s => format!(
                    "at least 2 {} points of {} replication(s) each",
                    s.name(),
                    e.replications
                ),
            };
            eprintln!("note: --draws {d}: the design runs in {unit}; running {got} draws");
        }
    }
    if let Some(s) = args.seed {
        sc.experiment.seed = s;
    }
    Ok(())
}

/// Load and resolve a scenario (the flagship when `path` is `None`), with overrides.
pub fn load_scenario(
    path: Option<&Path>,
    data: &Data,
    args: &ExperimentArgs,
) -> anyhow::Result<(Scenario, String)> {
    let (text, name) = match path {
        Some(p) => (
            std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))?,
            p.display().to_string(),
        ),
        None => (FLAGSHIP.to_string(), FLAGSHIP_PATH.to_string()),
    };
    let mut sc = entente_data::scenario::parse_scenario(&text, &name, &data.archive)?;
    apply_experiment(&mut sc, args)?;
    Ok((sc, text))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.list_params {
        for p in Param::ALL {
            let prior = match p.basis() {
                entente_core::param::Basis::Estimated => {
                    "estimated on the data before the base year".to_string()
                }
                _ => p.default_prior().to_string(),
            };
            println!(
                "{:28} {:11} {:12} {prior}  # {}",
                p.name(),
                p.basis().name(),
                p.domain().to_string(),
                p.source()
            );
        }
        return Ok(());
    }
    // A folder that cannot be resumed is refused before any data is read.
    let resumed = match &args.resume {
        Some(dir) => Some(report::checkpoint::read_header(dir)?),
        None => None,
    };
    let shard = match &resumed {
        Some(h) => h.shard.map(|(index, count)| Shard { index, count }),
        None => shard_of(&args)?,
    };
    let data = args.data.load()?;
    // The data's version goes into a shard's manifest and the checkpoint, so a merge or a
    // resume refuses results of other data.
    let data_version = args.data.data_version()?;
    // A resumed run takes the checkpoint's experiment; flags given still apply (and a
    // difference is then refused by the checkpoint's check).
    let ex = match &resumed {
        Some(h) => {
            let mut ex = args.experiment;
            ex.seed = ex.seed.or(Some(h.spec.seed));
            ex.sampler = ex.sampler.or(Some(h.spec.sampler));
            ex.replications = ex.replications.or(Some(h.spec.replications as usize));
            if ex.draws.is_none() && ex.base_samples.is_none() {
                ex.draws = Some(h.spec.total_draws as usize);
            }
            ex
        }
        None => args.experiment,
    };
    let (sc, text) = load_scenario(args.scenario.as_deref(), &data, &ex)?;
    let prep = Prepared::new(&data.archive, &sc, data.hazard_coefficients)?;
    let mut store = args.store.open()?;
    let loaded = match (resumed, &args.resume) {
        (Some(h), Some(dir)) => Some(load_checkpoint(dir, h, &prep, &text, shard, &data_version)?),
        _ => None,
    };
    let id = match &loaded {
        Some(l) => {
            let id = entente_store::RunId::from(l.header.run_id.as_str());
            if let Err(entente_store::StoreError::UnknownRun { .. }) = store.get_run(&id) {
                anyhow::bail!(
                    "{}: no record of run {id}: resume with the --store the run used",
                    args.store.path.display()
                );
            }
            id
        }
        None => entente_store::RunId::generate(sc.experiment.seed),
    };
    let csv = args.csv || loaded.as_ref().is_some_and(|l| l.header.csv);
    let req = report::execute::Request {
        id: &id,
        text: &text,
        out: args.resume.as_deref().or(args.out.as_deref()),
        root: Path::new("out"),
        shard: shard.map(|s| entente_store::Shard {
            index: s.index as u32,
            count: s.count as u32,
        }),
        files: if csv {
            report::DrawFiles::ParquetAndCsv
        } else {
            report::DrawFiles::Parquet
        },
        data_version: Some(&data_version),
        checkpoint: (args.checkpoint_draws > 0 || loaded.is_some()).then_some(
            report::execute::Checkpoints {
                every: args.checkpoint_draws,
                csv,
                resume: loaded.as_ref(),
            },
        ),
    };
    if let (Some(l), false) = (&loaded, args.quiet) {
        eprintln!(
            "resuming run {id}: {} of {} draws from the checkpoint",
            l.results.len(),
            report::execute::shard_draws(prep.draws(), req.shard).len()
        );
    }
    let done = loaded.as_ref().map_or(0, |l| l.results.len());
    let outcome = execute(&args, &prep, req, done, &mut store);
    if !args.quiet {
        eprintln!("run {} recorded in {}", id, args.store.path.display());
    }
    let outcome = outcome?;
    match (shard, &outcome.claims) {
        (Some(s), _) => {
            if !args.quiet {
                eprintln!(
                    "shard {}/{}: {} of {} draws written to {} (join with `entente merge`)",
                    s.index,
                    s.count,
                    outcome.results.len(),
                    prep.draws(),
                    outcome.out.display()
                );
            }
        }
        (None, Some(claims)) => {
            warn_identical(&outcome.results);
            if !args.quiet {
                eprintln!("report: {}", outcome.out.join("report.html").display());
            }
            print_claims(&prep, claims);
        }
        (None, None) => {}
    }
    Ok(())
}

/// The run through the shared lifecycle (`entente_report::execute`), its draws on a pool of
/// `--threads` workers behind a progress bar.
fn execute(
    args: &Args,
    prep: &Prepared,
    req: report::execute::Request<'_>,
    done: usize,
    store: &mut entente_store::RunStore,
) -> anyhow::Result<report::execute::Outcome> {
    let total = report::execute::shard_draws(prep.draws(), req.shard).len();
    let bar = progress_bar(args.quiet, total)?;
    bar.set_position(done as u64);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("--threads")?;
    let progress = || bar.inc(1);
    // Called once per checkpoint chunk.
    let outcome = report::execute::run(prep, req, store, |draws| {
        pool.install(|| prep.run(draws, &progress))
    });
    bar.finish_and_clear();
    Ok(outcome?)
}

/// The checkpoint of the interrupted run in `dir` (its header `header`), refused unless it
/// is of the run asked for now: the same scenario hash, seed, draws, shard, engine and data,
/// and its first draw the same, bit for bit, as that draw computed now.
fn load_checkpoint(
    dir: &Path,
    header: report::checkpoint::Header,
    prep: &Prepared,
    text: &str,
    shard: Option<Shard>,
    data_version: &str,
) -> anyhow::Result<report::checkpoint::Loaded> {
    use report::checkpoint;
    let file = dir.join(checkpoint::DIR).join(checkpoint::HEADER);
    let file = file.display().to_string();
    let sc = prep.scenario;
    let now = checkpoint::Header {
        spec: report::identity::RunSpec::new(sc, text, prep.draws(), data_version),
        shard: shard.map(|s| (s.index, s.count)),
        ..header.clone()
    };
    checkpoint::check_matches(&file, &header, &now)?;
    let order = report::execute::shard_draws(
        prep.draws(),
        shard.map(|s| entente_store::Shard {
            index: s.index as u32,
            count: s.count as u32,
        }),
    );
    let Some(&first) = order.first() else {
        anyhow::bail!("{file}: the run has no draws");
    };
    let reference = prep.run_draw(first)?;
    let loaded = checkpoint::load(dir, header, &order, &reference)?;
    if let Some(r) = loaded.results.first() {
        if report::parts::draw_to_json(r) != report::parts::draw_to_json(&reference) {
            anyhow::bail!(
                "{file}: draw {first} as checkpointed differs from the same draw computed now: \
                 the checkpoint is of another build of entente; run again"
            );
        }
    }
    Ok(loaded)
}

/// indicatif draws only on a terminal; `quiet` hides it everywhere.
pub fn progress_bar(quiet: bool, len: usize) -> anyhow::Result<indicatif::ProgressBar> {
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(len as u64)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "[{bar:30}] {pos}/{len} draws  {per_sec}  ETA {eta}",
        )
        .map_err(|e| anyhow::anyhow!("progress bar template: {e}"))?
        .progress_chars("#>-"),
    );
    Ok(bar)
}

/// Say on stderr (also with --quiet: it is a finding, not progress) when an
/// option's results equal another's in every draw; report.html says it too.
fn warn_identical(results: &[DrawResult]) {
    for w in simulation::identical_options(results) {
        eprintln!("warning: {w}");
    }
}

fn print_claims(prep: &Prepared, claims: &[ClaimResult]) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{:<20} {:<12} {:>11}  {:<17} top driver",
        "claim", "status", "probability", "95% interval"
    );
    for (c, r) in prep.scenario.claims.iter().zip(claims) {
        // A structural verdict is no probability: the option cannot move the metric.
        let (p, iv) = match (r.status, r.probability, r.interval) {
            (ClaimStatus::Structural, Some(_), _) => ("-".into(), "moved in no draw".into()),
            (_, Some(p), Some((lo, hi))) => (format!("{p:.2}"), format!("[{lo:.2}, {hi:.2}]")),
            _ => ("n/a".into(), "not modelled".into()),
        };
        let d = simulation::top_driver(r)
            .map_or(String::new(), |(p, s)| format!("{} (S_T {s:.2})", p.name()));
        let _ = writeln!(
            out,
            "{:<20} {:<12} {:>11}  {:<17} {}",
            c.id,
            r.status.name(),
            p,
            iv,
            d
        );
    }
}

// ---- merging shards -------------------------------------------------------

#[derive(clap::Args)]
pub struct MergeArgs {
    /// Folders holding `part-*.jsonl` and their manifests.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The scenario the parts ran (default: the bundled flagship).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Output folder for the merged results.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the tidy draws as CSV.
    #[arg(long)]
    pub csv: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Join shards: check they cover every draw exactly once, then write the same
/// outputs one unsharded run would.
pub fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let mut manifests: Vec<(PathBuf, report::parts::Manifest)> = Vec::new();
    let mut results: Vec<DrawResult> = Vec::new();
    // Where each record came from (part, line), for errors.
    let mut origins: Vec<(PathBuf, usize)> = Vec::new();
    for d in &args.dirs {
        let entries =
            std::fs::read_dir(d).with_context(|| format!("{}: cannot read", d.display()))?;
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for p in names
            .iter()
            .filter(|p| p.to_string_lossy().ends_with(".manifest.json"))
        {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read", p.display()))?;
            let m = report::parts::parse_manifest(&text, &p.display().to_string())?;
            let part = PathBuf::from(p.to_string_lossy().replace(".manifest.json", ".jsonl"));
            let text = std::fs::read_to_string(&part)
                .with_context(|| format!("{}: missing part", part.display()))?;
            let records = report::parts::read_part(&text, &part.display().to_string())?;
            let in_part: Vec<usize> = records.iter().map(|(_, r)| r.draw).collect();
            report::parts::check_manifest_draws(
                &p.display().to_string(),
                &m,
                &part.display().to_string(),
                &in_part,
            )?;
            for (line, r) in records {
                results.push(r);
                origins.push((part.clone(), line));
            }
            manifests.push((p.clone(), m));
        }
    }
    if manifests.is_empty() {
        anyhow::bail!("no part manifests (*.manifest.json) in {:?}", args.dirs);
    }
    // Parts of another run (scenario, seed, draws, engine or data) are refused, naming
    // the part and what differs.
    let named: Vec<(String, report::parts::Manifest)> = manifests
        .iter()
        .map(|(p, m)| (p.display().to_string(), m.clone()))
        .collect();
    report::parts::check_same_run(
        &named,
        env!("CARGO_PKG_VERSION"),
        &args.data.data_version()?,
    )?;
    let first = &manifests[0].1;
    let data = args.data.load()?;
    // The parts' experiment, exactly (never a size that could be rounded).
    let (mut sc, text) = load_scenario(
        args.scenario.as_deref(),
        &data,
        &ExperimentArgs::seed(Some(first.spec.seed)),
    )?;
    sc.experiment.sampler = first.spec.sampler;
    sc.experiment.replications = usize::try_from(first.spec.replications)
        .ok()
        .filter(|&r| (1..=1000).contains(&r))
        .context("the parts' replications are outside 1-1000")?;
    sc.experiment.base_samples = usize::try_from(first.spec.base_samples)
        .ok()
        .filter(|&v| (2..=1 << 20).contains(&v))
        .context("the parts' base_samples are outside 2-1048576")?;
    let hash = scenario_sha256(&text);
    if hash != first.spec.scenario_sha256 {
        anyhow::bail!("the scenario given does not match the parts' scenario_sha256 (pass the same file with --scenario)");
    }
    let prep = Prepared::new(&data.archive, &sc, data.hazard_coefficients)?;
    // The draws to cover are the scenario's own, never a count read from a file.
    let total = prep.draws();
    if first.spec.total_draws != total as u64 {
        anyhow::bail!(
            "{}: total_draws {} but the scenario has {total} draws",
            manifests[0].0.display(),
            first.spec.total_draws
        );
    }
    let draws: Vec<usize> = results.iter().map(|r| r.draw).collect();
    report::parts::check_coverage(total, &draws)?;
    // Every record must have the shape a draw of this scenario has, checked against one
    // computed here, before anything is written (a corrupted part used to panic midway).
    let reference = prep.run_draw(0)?;
    for (r, (part, line)) in results.iter().zip(&origins) {
        report::parts::same_shape(&reference, r)
            .map_err(|m| anyhow::anyhow!("{}:{line}: draw {}: {m}", part.display(), r.draw))?;
    }
    results.sort_by_key(|r| r.draw);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create", args.out.display()))?;
    let merged_out = args.out.canonicalize().unwrap_or_else(|_| args.out.clone());
    let started = entente_store::time::now_iso8601_utc();
    let id = entente_store::RunId::generate(sc.experiment.seed);
    let marker = report::folder::Marker::write(
        &merged_out,
        &format!(
            "started {started}\nrun {id}\nscenario {} {hash}\nmerged from shards\n",
            sc.name
        ),
    )?;
    let mut store = args.store.open()?;
    let meta = entente_store::RunMeta::new(
        &sc.name,
        &text,
        sc.experiment.seed,
        results.len() as u32,
        &merged_out,
    );
    store.start_run_as(&id, &meta)?;
    let files = if args.csv {
        report::DrawFiles::ParquetAndCsv
    } else {
        report::DrawFiles::Parquet
    };
    let label = report::RunLabel {
        run_id: id.as_str(),
        scenario_sha256: &hash,
        started: &started,
    };
    let claims = match report::write_all(&merged_out, &prep, &results, label, files) {
        Ok(claims) => {
            store
                .put_claims(&id, &store_claims(&prep, &claims))
                .and_then(|()| {
                    store.finish_run(
                        &id,
                        entente_store::Status::Complete,
                        Some("merged from shards"),
                    )
                })
                .inspect_err(|e| {
                    let _ =
                        store.finish_run(&id, entente_store::Status::Failed, Some(&e.to_string()));
                })?;
            marker.remove()?;
            claims
        }
        Err(e) => {
            store.finish_run(&id, entente_store::Status::Failed, Some(&format!("{e:#}")))?;
            return Err(e.into());
        }
    };
    warn_identical(&results);
    print_claims(&prep, &claims);
    Ok(())
}

#[derive(clap::Args)]
pub struct RunsArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, value_enum, default_value_t = crate::output::Format::Table)]
    pub format: crate::output::Format,
}

/// `entente runs`: the runs recorded in the store.
pub fn runs(args: RunsArgs) -> anyhow::Result<()> {
    use crate::output::{Cell, Rows};
    if !args.store.path.exists() {
        anyhow::bail!(
            "{}: no run store yet (run `entente run` first)",
            args.store.path.display()
        );
    }
    let store = args.store.open()?;
    let mut rows = Rows::new(vec![
        "id",
        "scenario",
        "status",
        "seed",
        "draws",
        "shard",
        "started_at",
        "finished_at",
        "version",
        "out_dir",
        "message",
        "kind",
    ]);
    for r in store.list_runs()? {
        rows.push(vec![
            Cell::str(r.id.as_str()),
            Cell::str(&r.meta.scenario),
            Cell::str(r.status.as_str()),
            Cell::Int(r.meta.seed as i64),
            Cell::Int(i64::from(r.meta.draws)),
            Cell::str(r.meta.shard.map(|s| s.to_string()).unwrap_or_default()),
            Cell::str(&r.started_at),
            Cell::str(r.finished_at.clone().unwrap_or_default()),
            Cell::str(&r.meta.version),
            Cell::str(r.meta.out_dir.display().to_string()),
            Cell::str(r.message.clone().unwrap_or_default()),
            Cell::str(r.meta.kind.as_str()),
        ]);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    rows.write(args.format, &mut out)
}
