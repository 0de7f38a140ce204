//! `entente align`: the flagship chain's alignment step on the world of a
//! year (the scenario's actors and priors), each actor's share of draws
//! west, east and unaligned; with `--ties`, each pair's probability of a new
//! defence or consultation tie within a horizon, scored where history says.

use std::path::PathBuf;

use anyhow::Context;
use entente_core::alignment::fit::param_names;
use entente_core::alignment::ties::TERM_NAMES;
use entente_core::scoring::{brier_score, log_score};
use entente_core::simulation::align::{self, AlignYear};

use super::run::load_scenario;
use super::world::DataArgs;
use crate::output::{Cell, Format, Rows};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (default: the bundled flagship, nato-ip4).
    pub scenario: Option<PathBuf>,
    /// The year whose world is aligned (the weights are fitted on the years before it).
    #[arg(long)]
    pub year: i32,
    /// Number of draws.
    #[arg(long, default_value_t = 384)]
    pub draws: usize,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print each pair's probability of a new defence or consultation tie instead.
    #[arg(long)]
    pub ties: bool,
    /// Horizon of `--ties`, years.
    #[arg(long, default_value_t = 8, requires = "ties")]
    pub horizon: u32,
    /// Print the fitted weights (and with --ties, the tie model and its scores) to stderr.
    #[arg(long)]
    pub fit: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[arg(long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let archive = &data.archive;
    let (sc, _) = load_scenario(
        args.scenario.as_deref(),
        &data,
        &super::run::ExperimentArgs::seed(args.seed),
    )?;
    anyhow::ensure!(args.draws >= 1, "--draws must be at least 1");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("--threads")?;
    let a = pool
        .install(|| align::align_year(archive, &sc, args.year, args.draws))
        .with_context(|| format!("aligning the world of {}", args.year))?;
    if args.fit || !args.ties {
        print_fit(&a, args.fit);
    }
    let mut out = std::io::stdout().lock();
    if args.ties {
        let rows = pool.install(|| ties(&a, &sc, archive, args.horizon, args.fit))?;
        return rows.write(args.format, &mut out);
    }
    let world = entente_core::world::World::for_year(archive, args.year)?;
    let rows = Rows::from(entente_report::tables::alignment(&a, &world));
    rows.write(args.format, &mut out)
}

fn print_fit(a: &AlignYear, weights: bool) {
    let f = &a.fit;
    eprintln!(
        "alignment {}: {} draws, {} units ({}); weights fitted on {}-{} ({} choices, pseudo-log-likelihood {:.1} vs {:.1} uniform; each state's observed place its most probable in {:.1}%)",
        a.year,
        a.draws,
        a.units.len(),
        match a.solver {
            entente_core::alignment::Solver::Exact => "exact ground state",
            entente_core::alignment::Solver::Heuristic => "heuristic search: past the exact solver's size cap",
        },
        f.years.0,
        f.years.1,
        f.logit.choices,
        f.logit.log_likelihood,
        f.null_log_likelihood,
        100.0 * f.best_response_agreement
    );
    if weights {
        let se = f.logit.se();
        for ((n, c), s) in param_names().iter().zip(&f.logit.coef).zip(&se) {
            eprintln!("  {n:<18} {c:>9.3}  (se {s:.3})");
        }
    }
}

/// The tie forecasts from `a`'s year: the model fitted on base years whose
/// horizon ends by the year, the outcomes read from the years after it.
fn ties(
    a: &AlignYear,
    sc: &entente_core::scenario::Scenario,
    archive: &entente_core::world::Archive,
    horizon: u32,
    verbose: bool,
) -> anyhow::Result<Rows> {
    let cov = archive.coverage();
    let last = (a.year + horizon as i32).min(cov.last_year);
    let hazard = entente_core::hazard::fit::fit(
        archive,
        entente_core::hazard::fit::FitConfig::until(a.hazard_until),
    )?;
    let later = align::history(
        archive,
        &sc.actors,
        &sc.framing.anchors,
        &hazard,
        a.year,
        last,
    )?;
    let mut records = a.history.clone();
    records.push(later[0].clone());
    let (w, _) = a.fit.point();
    let model = align::fit_ties(&records, &w, horizon, a.year)?;
    let after: Vec<&align::YearRecord> = later[1..].iter().collect();
    let f = align::tie_forecasts(&later[0], &after, &w, &model);
    if verbose {
        eprintln!(
            "tie formation within {horizon} years: fitted on base years {}-{} ({} pair-years, {:.2}% formed)",
            model.base_years.0,
            model.base_years.1,
            model.rows,
            100.0 * model.base_rate
        );
        let se = model.logit.se();
        for ((n, c), s) in TERM_NAMES.iter().zip(&model.logit.coef).zip(&se) {
            eprintln!("  {n:<14} {c:>9.3}  (se {s:.3})");
        }
        let scored: Vec<(f64, bool)> = f.iter().filter_map(|t| Some((t.p?, t.formed?))).collect();
        if scored.is_empty() {
            eprintln!(
                "  no outcomes yet: the data end before {}",
                a.year + horizon as i32
            );
        } else {
            let (p, y): (Vec<f64>, Vec<bool>) = scored.into_iter().unzip();
            let rate = y.iter().filter(|v| **v).count() as f64 / y.len() as f64;
            let flat = vec![rate; y.len()];
            let b = brier_score(&p, &y)?;
            let b0 = brier_score(&flat, &y)?;
            eprintln!(
                "  scored on {} pairs ({:.2}% formed {}-{}): Brier {:.4} vs {:.4} for the realised share (skill {:.3}); log score {:.4} vs {:.4}",
                y.len(),
                100.0 * rate,
                a.year + 1,
                a.year + horizon as i32,
                b,
                b0,
                1.0 - b / b0,
                log_score(&p, &y)?,
                log_score(&flat, &y)?
            );
        }
    }
    let world = entente_core::world::World::for_year(archive, a.year)?;
    let mut rows = Rows::new(vec!["actor_a", "actor_b", "p", "tied_now", "formed"]);
    for t in &f {
        rows.push(vec![
            Cell::str(world.label(t.a)),
            Cell::str(world.label(t.b)),
            Cell::Num(t.p),
            Cell::Bool(t.p.is_none()),
            match t.formed {
                Some(v) => Cell::Bool(v),
                None => Cell::Num(None),
            },
        ]);
    }
    Ok(rows)
}
