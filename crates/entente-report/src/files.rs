//! The outputs of a run: `claims.csv`, `codebook.csv`, tidy `draws.csv`, `report.md` and a
//! self-contained `report.html` with SVG plots, and `run.json`.
//!
//! Every file is written to `NAME.tmp` and renamed when complete, so an
//! interrupted run never leaves a half-written file that looks finished.

use std::fmt::Write as _;
use std::path::Path;

use entente_core::scenario::{Comparison, Direction, Param};
use entente_core::simulation::{self, ClaimResult, ClaimStatus, DrawResult, Prepared};
use entente_core::summary::{quantile, Summary};

use crate::ReportError;

/// Write `text` to `dir/name` atomically.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), ReportError> {
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| ReportError::io(&tmp, "cannot write", e))?;
    std::fs::rename(&tmp, dir.join(name)).map_err(|e| ReportError::io(&tmp, "cannot rename", e))?;
    Ok(())
}

/// A number for CSV: shortest round-trip form, NA for missing.
fn csv_num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        NA.into()
    }
}

/// How a CSV file spells a missing value.
const NA: &str = "NA";

/// A text field, NA when empty.
fn or_na(s: &str) -> &str {
    if s.is_empty() {
        NA
    } else {
        s
    }
}

/// The columns of claims.csv.
pub const CLAIMS_COLUMNS: [&str; 15] = [
    "claim",
    "status",
    "probability",
    "lo",
    "hi",
    "metric",
    "comparison",
    "direction",
    "threshold",
    "treatment",
    "baseline",
    "top_driver",
    "top_driver_total_index",
    "top_driver_total_lo",
    "top_driver_total_hi",
];

/// Write CSV records (the `csv` crate quotes commas, quotes and newlines).
pub fn csv_bytes<R, I, S>(header: &[&str], records: R) -> Vec<u8>
where
    R: IntoIterator<Item = I>,
    I: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail: the only errors are I/O and field-count
    // mismatches, and every record comes from one fixed header.
    let _ = w.write_record(header);
    for r in records {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// claims.csv: one row per claim, with the engine's [`ClaimStatus`]. A claim
/// without a metric has NA for everything it does not have (no metric,
/// comparison, threshold or direction); the top driver is the parameter with
/// the largest Sobol total index, with that index's 95% bootstrap interval.
pub fn claims_csv(prep: &Prepared, claims: &[ClaimResult]) -> Vec<u8> {
    claims_csv_of(prep.scenario, claims)
}

/// [`claims_csv`] from the scenario alone (what it reads of a run).
pub fn claims_csv_of(sc: &entente_core::scenario::Scenario, claims: &[ClaimResult]) -> Vec<u8> {
    let records = sc.claims.iter().zip(claims).map(|(c, r)| {
        let (p, lo, hi) = match (r.probability, r.interval) {
            (Some(p), Some((lo, hi))) => (csv_num(p), csv_num(lo), csv_num(hi)),
            _ => (NA.into(), NA.into(), NA.into()),
        };
        let top =
            simulation::top_driver(r).and_then(|(p, _)| r.drivers.iter().find(|d| d.param == p));
        let num = |v: Option<f64>| v.map_or_else(|| NA.to_string(), csv_num);
        let driver = [
            top.map_or_else(|| NA.to_string(), |d| d.param.name().to_string()),
            num(top.and_then(|d| d.total)),
            num(top.and_then(|d| d.total_interval).map(|i| i.0)),
            num(top.and_then(|d| d.total_interval).map(|i| i.1)),
        ];
        let (metric, comparison, direction, threshold) = match c.metric {
            None => (NA, NA, NA, NA.to_string()),
            Some(m) => (
                m.name(),
                match c.comparison {
                    Comparison::Difference => "difference",
                    Comparison::PercentChange => "percent",
                },
                match c.direction {
                    Direction::Above => "above",
                    Direction::Below => "below",
                },
                csv_num(c.threshold),
            ),
        };
        let mut row = vec![
            c.id.clone(),
            r.status.name().to_string(),
            p,
            lo,
            hi,
            metric.to_string(),
            comparison.to_string(),
            direction.to_string(),
            threshold,
            or_na(&c.treatment).to_string(),
            or_na(&c.baseline).to_string(),
        ];
        row.extend(driver);
        row.extend(crate::levers::claim_cells(sc, &c.id));
        row
    });
    let mut header: Vec<String> = CLAIMS_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(crate::levers::claim_columns(sc));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_bytes(&header, records)
}

/// codebook.csv: every metric of the run's draws, from [`crate::codebook`].
pub fn codebook_csv(sc: &entente_core::scenario::Scenario) -> Vec<u8> {
    let rows = crate::codebook::rows(sc)
        .into_iter()
        .map(|r| [r.metric, r.unit, r.level.to_string(), r.years, r.meaning]);
    csv_bytes(&["metric", "unit", "level", "years", "meaning"], rows)
}

/// claims_curve.csv: each claim's probability at thresholds around its own
/// (`claim,threshold,probability,lo,hi`; lo and hi the 95% Wilson interval).
pub fn claims_curve_csv(prep: &Prepared, claims: &[ClaimResult]) -> Vec<u8> {
    let records = prep.scenario.claims.iter().zip(claims).flat_map(|(c, r)| {
        simulation::threshold_curve(c, r, crate::html::CURVE_POINTS)
            .into_iter()
            .map(|p| {
                [
                    c.id.clone(),
                    csv_num(p.threshold),
                    csv_num(p.probability),
                    csv_num(p.lo),
                    csv_num(p.hi),
                ]
            })
    });
    csv_bytes(&["claim", "threshold", "probability", "lo", "hi"], records)
}

/// The run's design in words: `Saltelli design, N = 4 base samples, seed 7`, with the
/// replications when more than one.
pub fn design_words(sc: &entente_core::scenario::Scenario) -> String {
    use entente_core::scenario::Sampler;
    let e = sc.experiment;
    let points = match e.sampler {
        Sampler::Saltelli => format!("Saltelli design, N = {} base samples", e.base_samples),
        Sampler::Sobol => format!("Sobol' sequence of {} points", e.base_samples),
        Sampler::Lhs => format!("Latin hypercube of {} points", e.base_samples),
        Sampler::Random => format!("{} independent random points", e.base_samples),
    };
    let reps = if e.replications > 1 {
        format!(", {} replications of each", e.replications)
    } else {
        String::new()
    };
    format!("{points}{reps}, seed {}", e.seed)
}

/// Why a run's claims have no Sobol drivers when its sampler is not Saltelli's; `None`
/// for a Saltelli design.
pub fn no_indices_note(sc: &entente_core::scenario::Scenario) -> Option<String> {
    let s = sc.experiment.sampler;
    (s != entente_core::scenario::Sampler::Saltelli).then(|| {
        format!(
            "Sobol indices need the Saltelli sampler; this run used {}, so no claim has drivers (probabilities, intervals and statuses do not need them)",
            s.name()
        )
    })
}

/// Where draw `d` sits in the run's design: its design point, replication and Saltelli
/// block (`A`, `B`, `AB_<parameter>`; none for another sampler).
pub fn draw_design(prep: &Prepared, d: usize) -> entente_store::DrawDesign {
    use entente_core::sensitivity::Run;
    let row = prep.design_row(d);
    let block = row.block.map(|run| match run {
        Run::A { .. } => "A".to_string(),
        Run::B { .. } => "B".to_string(),
        Run::AB { parameter, .. } => format!("AB_{}", prep.uncertain[parameter].name()),
    });
    entente_store::DrawDesign {
        point: u32::try_from(row.point).unwrap_or(u32::MAX),
        replication: u32::try_from(row.replication).unwrap_or(u32::MAX),
        block,
    }
}

/// The tidy table of run `run_id`: one row per draw, option, year, state and metric, with
/// the run's id and seed, the draw's place in the design and every parameter of the draw on
/// the row. Metric names, levels and years come from [`crate::codebook::CODEBOOK`].
pub fn draws_table(
    prep: &Prepared,
    results: &[DrawResult],
    run_id: &str,
) -> Result<entente_store::DrawTable, ReportError> {
    use crate::codebook::{self as cb, BARGAINING, COALITION, MILEX, REGION_SHARE, THREAT};
    let sc = prep.scenario;
    let mut table = entente_store::DrawTable::new(Param::ALL.iter().map(|p| p.name()))?
        .with_option_columns(sc.sweep.columns())?
        .with_run(entente_store::RunIdentity {
            run_id: run_id.to_string(),
            seed: sc.experiment.seed,
        })?;
    // A lever setting's values on every row of its variant; NA on the options no lever sets.
    for (id, setting, _) in &sc.sweep.options {
        table.set_option_values(
            id,
            sc.sweep.values(*setting).into_iter().map(Some).collect(),
        )?;
    }
    let labels: Vec<String> = sc.actors.iter().map(|c| prep.base.label(*c)).collect();
    let finite = |v: f64| v.is_finite().then_some(v);
    // Single-year metrics: the year the codebook gives them.
    let year = |name: &str| cb::entry(name).years.year(sc).unwrap_or(sc.base_year);
    let (y_threat, y_share, y_side, y_bargain) = (
        year(THREAT),
        year(REGION_SHARE),
        year(COALITION),
        year(BARGAINING),
    );
    let claim_names: Vec<Option<(String, i32)>> = sc
        .claims
        .iter()
        .map(|c| {
            c.metric.map(|m| {
                let y = cb::claim_entry(m).years.year(sc).unwrap_or(sc.base_year);
                (cb::claim_metric(&c.id), y)
            })
        })
        .collect();
    for r in results {
        let draw = u32::try_from(r.draw).map_err(|_| ReportError::DrawNumber(r.draw))?;
        let mut rows = table.begin_draw_in(draw, draw_design(prep, r.draw), &r.params)?;
        for o in &r.options {
            let opt = o.option.as_str();
            for (i, st) in labels.iter().enumerate() {
                if let Some(path) = &o.milex[i] {
                    for (t, v) in path.iter().enumerate() {
                        rows.push(opt, sc.base_year + t as i32, st, MILEX, finite(*v))?;
                    }
                }
                rows.push(opt, y_threat, st, THREAT, finite(o.theta[i]))?;
                rows.push(opt, y_share, st, REGION_SHARE, finite(o.region_share[i]))?;
            }
            for (u, unit) in prep.units.iter().enumerate() {
                let side = o.coalition.get(u).map(|&s| f64::from(s));
                rows.push(opt, y_side, &unit.label, COALITION, side)?;
            }
            rows.push(opt, y_bargain, "", BARGAINING, finite(o.bargaining_median))?;
            for (name, v) in claim_names.iter().zip(&o.claim_values) {
                if let Some((name, y)) = name {
                    rows.push(opt, *y, "", name, finite(*v))?;
                }
            }
        }
    }
    Ok(table)
}

/// Which files a run writes besides the report and claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawFiles {
    Parquet,
    ParquetAndCsv,
}

/// Median change in threat (treatment - baseline) by state, largest first.
pub(crate) fn threat_changes(
    prep: &Prepared,
    results: &[DrawResult],
    t: usize,
    b: usize,
) -> Vec<(String, f64, f64, f64)> {
    let mut out: Vec<(String, f64, f64, f64)> = prep
        .scenario
        .actors
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut d: Vec<f64> = results
                .iter()
                .map(|r| r.options[t].theta[i] - r.options[b].theta[i])
                .collect();
            d.sort_by(f64::total_cmp);
            (
                prep.base.label(*c),
                quantile(&d, 0.5),
                quantile(&d, 0.05),
                quantile(&d, 0.95),
            )
        })
        .collect();
    out.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    out
}

/// Share of draws in which each alignment unit stands west, east and
/// unaligned, per option (NaN when the scenario names no sides).
fn alignment_table(prep: &Prepared, results: &[DrawResult]) -> (Vec<String>, Vec<Vec<[f64; 3]>>) {
    let named = prep.scenario.framing.east.is_some();
    let labels: Vec<String> = prep.units.iter().map(|u| u.label.clone()).collect();
    let n = results.len().max(1) as f64;
    let shares = (0..prep.scenario.options.len())
        .map(|oi| {
            (0..prep.units.len())
                .map(|u| {
                    let mut v = [f64::NAN; 3];
                    if named {
                        for (k, side) in entente_core::alignment::Side::ALL.iter().enumerate() {
                            let c = results
                                .iter()
                                .filter(|r| r.options[oi].coalition[u] == side.code())
                                .count();
                            v[k] = c as f64 / n;
                        }
                    }
                    v
                })
                .collect()
        })
        .collect();
    (labels, shares)
}

/// What identifies a run in its files.
#[derive(Debug, Clone, Copy)]
pub struct RunLabel<'a> {
    /// The run store's id (in `summary.json`, so the dashboard can link back).
    pub run_id: &'a str,
    /// [`crate::scenario_sha256`] of the scenario file's text.
    pub scenario_sha256: &'a str,
    /// ISO 8601 UTC start time.
    pub started: &'a str,
}

/// Write every output of a complete run: claims.csv, codebook.csv, draws.parquet (and
/// draws.csv), report.md, report.html, summary.json and run.json.
pub fn write_all(
    out: &Path,
    prep: &Prepared,
    results: &[DrawResult],
    label: RunLabel,
    files: DrawFiles,
) -> Result<Vec<ClaimResult>, ReportError> {
    let claims = simulation::claims(prep, results)?;
    write_atomic(out, "claims.csv", &claims_csv(prep, &claims))?;
    write_atomic(out, "claims_curve.csv", &claims_curve_csv(prep, &claims))?;
    write_atomic(out, "codebook.csv", &codebook_csv(prep.scenario))?;
    let table = draws_table(prep, results, label.run_id)?;
    entente_store::write_draws_parquet(out.join("draws.parquet"), &table)?;
    if files == DrawFiles::ParquetAndCsv {
        entente_store::write_draws_csv(out.join("draws.csv"), &table)?;
    }
    let summary = Summary::new(prep, results);
    let (md, html) = reports(prep, results, &claims, &summary);
    write_atomic(out, "report.md", md.as_bytes())?;
    write_atomic(out, "report.html", html.as_bytes())?;
    let json = crate::summary_json::to_json(prep, &summary, &claims, label.run_id);
    write_atomic(
        out,
        crate::SUMMARY_FILE,
        serde_json::to_string(&json)?.as_bytes(),
    )?;
    let record = serde_json::json!({
        "run_id": label.run_id,
        "scenario": prep.scenario.name,
        "scenario_sha256": label.scenario_sha256,
        "seed": prep.scenario.experiment.seed,
        "base_samples": prep.scenario.experiment.base_samples,
        "sampler": prep.scenario.experiment.sampler.name(),
        "replications": prep.scenario.experiment.replications,
        "draws": results.len(),
        "version": env!("CARGO_PKG_VERSION"),
        "started": label.started,
        "status": "complete",
    });
    write_atomic(
        out,
        "run.json",
        serde_json::to_string_pretty(&record)?.as_bytes(),
    )?;
    Ok(claims)
}

/// One sentence per claim for a policy reader: the claim, its probability
/// (or why there is none), its status and what it rests on most.
pub(crate) fn brief(prep: &Prepared, claims: &[ClaimResult]) -> Vec<(String, String)> {
    prep.scenario
        .claims
        .iter()
        .zip(claims)
        .map(|(c, r)| {
            let verdict = match (r.status, r.probability) {
                (ClaimStatus::NotModelled, _) | (_, None) => "not modelled".to_string(),
                (ClaimStatus::Structural, _) => "no probability: structural".to_string(),
                (s, Some(p)) => format!("probability {p:.2} ({})", s.name().replace('_', "-")),
            };
            let rests = simulation::rests_on(c, r);
            let rests = if r.status == ClaimStatus::NotModelled {
                format!("why: {rests}")
            } else {
                format!("rests most on {rests}")
            };
            (
                c.id.clone(),
                format!(
                    "{} \u{2014} {verdict}; {rests}.",
                    c.text.trim_end_matches('.')
                ),
            )
        })
        .collect()
}

/// report.md and report.html.
fn reports(
    prep: &Prepared,
    results: &[DrawResult],
    claims: &[ClaimResult],
    summary: &Summary,
) -> (String, String) {
    let sc = prep.scenario;
    let opt = |id: &str| sc.options.iter().position(|o| o.id == id);
    let treatment = sc
        .claims
        .iter()
        .find(|c| c.metric.is_some())
        .map(|c| c.treatment.clone())
        .unwrap_or_default();
    let baseline = sc
        .claims
        .iter()
        .find(|c| c.metric.is_some())
        .map(|c| c.baseline.clone())
        .unwrap_or_default();
    let (t, b) = (opt(&treatment).unwrap_or(0), opt(&baseline).unwrap_or(0));

    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", sc.title);
    let _ = writeln!(
        md,
        "Scenario `{}` ({}), base year {}, horizon {} years, {} paired draws ({}). Source: {}.\n",
        sc.name,
        sc.source,
        sc.base_year,
        sc.horizon_years,
        results.len(),
        design_words(sc),
        sc.source
    );
    if let Some(note) = no_indices_note(sc) {
        let _ = writeln!(md, "{note}.\n");
    }
    let warnings: Vec<String> = simulation::identical_options(results)
        .iter()
        .map(ToString::to_string)
        .collect();
    if !warnings.is_empty() {
        let _ = writeln!(md, "## Warnings\n");
        for w in &warnings {
            let _ = writeln!(md, "- **Warning**: {w}.");
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "## The answer in brief\n");
    for (id, line) in brief(prep, claims) {
        let _ = writeln!(md, "- **{id}**: {line}");
    }
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "## Claims (`{treatment}` against `{baseline}`, paired by draw)\n"
    );
    let _ = writeln!(md, "| claim | status | probability | 95% interval | top driver (Sobol S_T) | source |\n|---|---|---|---|---|---|");
    for (c, r) in sc.claims.iter().zip(claims) {
        let (p, iv) = match (r.status, r.probability, r.interval) {
            (ClaimStatus::Structural, _, _) => ("structural".into(), "moved in no draw".into()),
            (_, Some(p), Some((lo, hi))) => (format!("{p:.2}"), format!("{lo:.2}-{hi:.2}")),
            _ => ("not modelled".into(), String::new()),
        };
        let drv =
            simulation::top_driver(r).map_or("-".into(), |(p, s)| format!("{} ({s:.2})", p.name()));
        let text = if c.metric.is_none() {
            format!("{} *Not modelled: {}*", c.text, c.why_not)
        } else {
            c.text.clone()
        };
        let _ = writeln!(
            md,
            "| **{}**: {} | {} | {p} | {iv} | {drv} | {} |",
            c.id,
            text,
            r.status.name(),
            c.source
        );
    }
    md.push_str(&crate::levers::markdown(sc, claims));
    let changes = threat_changes(prep, results, t, b);
    let _ = writeln!(
        md,
        "\n## Threat change by state (`{treatment}` - `{baseline}`, median of draws)\n"
    );
    let _ = writeln!(md, "| state | median | 5% | 95% |\n|---|---|---|---|");
    for (n, m, lo, hi) in changes.iter().take(15) {
        let _ = writeln!(md, "| {n} | {m:+.4} | {lo:+.4} | {hi:+.4} |");
    }
    // The bargaining forecast of the decision the options stand for: the same
    // stakeholders' draws under every option, so it is shown once.
    if !sc.stakeholders.is_empty() {
        let _ = writeln!(md, "\n## Bargaining: {}\n", sc.issue);
        let _ = writeln!(
            md,
            "The forecast of the decision ({} stakeholders, influence: {}); the options do not enter it.\n",
            sc.stakeholders.len(),
            sc.influence.name().replace('_', " ")
        );
        let _ = writeln!(md, "| median forecast | 5% | 95% |\n|---|---|---|");
        let mut v: Vec<f64> = results
            .iter()
            .filter_map(|r| r.options.first().map(|o| o.bargaining_median))
            .filter(|v| v.is_finite())
            .collect();
        v.sort_by(f64::total_cmp);
        let (m, lo, hi) = (quantile(&v, 0.5), quantile(&v, 0.05), quantile(&v, 0.95));
        let _ = writeln!(md, "| {m:.1} | {lo:.1} | {hi:.1} |");
    }
    let (units, shares) = alignment_table(prep, results);
    let east = sc
        .framing
        .east
        .map_or_else(|| "(no sides named)".to_string(), |c| prep.base.label(c));
    let blocs = crate::html::blocs_text(sc);
    let _ = writeln!(
        md,
        "\n## Alignment: share of draws each unit stands west / east (with {east}) / unaligned\n\n{} with three places, west, east and unaligned ({blocs}). Weights estimated on {}-{} (docs/alignment.md).\n",
        match prep.alignment_solver() {
            entente_core::alignment::Solver::Exact => "The landscape's exact ground state",
            entente_core::alignment::Solver::Heuristic =>
                "The best configuration a seeded heuristic search finds (the landscape is past the exact solver's size cap)",
        },
        prep.alignment.years.0,
        prep.alignment.years.1,
    );
    let _ = writeln!(
        md,
        "| unit | {} |\n|---|{}",
        sc.options
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(sc.options.len())
    );
    for (u, name) in units.iter().enumerate() {
        let cells: Vec<String> = shares
            .iter()
            .map(|s| format!("{:.2} / {:.2} / {:.2}", s[u][0], s[u][1], s[u][2]))
            .collect();
        let _ = writeln!(md, "| {name} | {} |", cells.join(" | "));
    }
    let _ = writeln!(
        md,
        "\n## Parameters and assumptions\n\n| parameter | in this run | basis | uncalibrated prior |\n|---|---|---|---|"
    );
    for (p, rp) in entente_core::scenario::Param::ALL.iter().zip(&prep.priors) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            p.name(),
            rp.prior,
            rp.origin.describe(),
            crate::html::uncalibrated(*p, rp)
        );
    }
    let notes: Vec<String> = prep.base.notes.clone();
    let _ = writeln!(
        md,
        "\nWorld state of {}: {}\n",
        sc.base_year,
        notes.join("; ")
    );
    let _ = writeln!(md, "Data: COW NMC v7.0, COW alliances v4.1, ATOP 5.1, SIPRI Milex 2025 (51 flagship states), IMF WEO Oct 2025, UN WPP 2024, FAS nuclear forces, CShapes 2.0, Thompson-Sakuwa-Suhas rivalries, hand-coded ties 2020-2024 (see data/SOURCES.md). Models: docs/threat.md, docs/bargaining.md, docs/alignment.md, docs/scenarios.md.");

    let html = crate::html::page(
        prep,
        results,
        claims,
        summary,
        &crate::html::Shared {
            treatment: &treatment,
            baseline: &baseline,
            threat_changes: &changes,
            warnings: &warnings,
        },
    );
    (md, html)
}
