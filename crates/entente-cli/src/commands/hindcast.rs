//! `entente hindcast`: the scenario's chain started from a past base year and
//! scored against what happened (docs/calibration.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use entente_core::hindcast::{self, Window, OBSERVED};
use entente_core::simulation::{Chain, Prepared};
use entente_report::execute;

use super::calibrate::sipri_years;
use super::run::{load_scenario, StoreArgs};
use super::world::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    /// A scenario file (TOML). Default: the bundled flagship.
    pub scenario: Option<PathBuf>,
    /// Base year: the chain starts from the world of this year and is fitted
    /// on the data up to it only.
    #[arg(long)]
    pub from: i32,
    /// Last year forecast and scored [default: the last year of spending data].
    #[arg(long)]
    pub to: Option<i32>,
    /// Draws (rounded up to whole base samples of the scenario's Saltelli
    /// design) [default: the scenario's experiment].
    #[arg(long)]
    pub draws: Option<usize>,
    /// Seed; overrides the file.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder. Default: a new folder out/hindcast-<scenario>-<from>-<to>-<run id>/.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar and no score table.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let archive = &data.archive;
    let (sc, text) = load_scenario(
        args.scenario.as_deref(),
        &data,
        &super::run::ExperimentArgs::seed(args.seed),
    )?;
    let years = sipri_years(archive)?;
    let window = Window::new(args.from, args.to.unwrap_or(years.1), years)?;
    let hs = execute::hindcast_scenario(&sc, archive, window, args.draws)?;
    let mut prep =
        Prepared::new(archive, &hs, data.hazard_coefficients).context("preparing the hindcast")?;
    prep.chain = Chain::ThroughSpending;
    let bar = super::run::progress_bar(args.quiet, prep.draws())?;
    let progress = || bar.inc(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("--threads")?;
    // The run lifecycle of `entente run` (entente_report::execute): a new folder named by the
    // run id unless --out is given, RUNNING first, the store, the files, RUNNING removed last.
    let id = entente_store::RunId::generate(hs.experiment.seed);
    let mut store = args.store.open()?;
    let req = execute::HindcastRequest {
        id: &id,
        name: &sc.name,
        text: &text,
        window,
        out: args.out.as_deref(),
        root: Path::new("out"),
    };
    let done = execute::hindcast(&prep, req, &mut store, |draws| {
        let r = pool.install(|| prep.run(draws, &progress));
        bar.finish_and_clear();
        r
    });
    bar.finish_and_clear();
    let execute::HindcastOutcome {
        out,
        results,
        observed,
        frozen,
        scored,
    } = done?;
    if !args.quiet {
        let mut o = std::io::stdout().lock();
        writeln!(
            o,
            "{:<6} {:>6} {:>12} {:>10} {:>10} {:>8}",
            "state", "years", "crps_usd_m", "skill_rwd", "skill_last", "in_90"
        )?;
        let f = |v: Option<f64>| v.map_or("NA".to_string(), |x| format!("{x:.3}"));
        for (s, c) in observed.series.iter().zip(&scored) {
            writeln!(
                o,
                "{:<6} {:>6} {:>12} {:>10} {:>10} {:>8}",
                hindcast::state_name(&prep.base, *c),
                s.years.len(),
                s.crps.map_or("NA".into(), |x| format!("{x:.0}")),
                f(s.skill_rw_drift),
                f(s.skill_last_value),
                f(s.inside_90)
            )?;
        }
        if let Some(ov) = &observed.overall {
            writeln!(
                o,
                "overall: skill {:.3} vs the random walk with drift (median state {:.3}, {}/{} states > 0), {:.3} vs the last value; inside 50% / 90%: {:.0}% / {:.0}% of {} state-years",
                ov.skill_rw_drift,
                ov.median_skill_rw_drift,
                ov.beating_rw_drift,
                ov.series,
                ov.skill_last_value,
                100.0 * ov.inside_50,
                100.0 * ov.inside_90,
                ov.series_years
            )?;
        }
        if let Some(ov) = &frozen.overall {
            writeln!(
                o,
                "frozen ties of {}: skill {:.3} vs the random walk with drift (median state {:.3})",
                window.from, ov.skill_rw_drift, ov.median_skill_rw_drift
            )?;
        }
        writeln!(
            o,
            "{} draws, seed {}; {} tie changes applied; outputs in {}; hindcast {} recorded in {}",
            results.len(),
            hs.experiment.seed,
            hs.option(OBSERVED).map_or(0, |x| x.edits.len()),
            out.display(),
            id,
            args.store.path.display()
        )?;
    }
    Ok(())
}
