//! The outputs of a run: `claims.csv`, tidy `draws.csv`, `report.md` and a
//! self-contained `report.html` with SVG plots, and `run.json`.
//!
//! Every file is written to `NAME.tmp` and renamed when complete, so an
//! interrupted run never leaves a half-written file that looks finished.

use std::fmt::Write as _;
use std::path::Path;

use entente_core::scenario::{Direction, Param};
use entente_core::simulation::{self, ClaimResult, DrawResult, Prepared};
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
        "NA".into()
    }
}

/// claims.csv: one row per claim.
pub fn claims_csv(prep: &Prepared, claims: &[ClaimResult]) -> String {
    let mut s = String::from("claim,probability,lo,hi,metric,threshold,direction,top_driver\n");
    for (c, r) in prep.scenario.claims.iter().zip(claims) {
        let (p, lo, hi) = match (r.probability, r.interval) {
            (Some(p), Some((lo, hi))) => (csv_num(p), csv_num(lo), csv_num(hi)),
            _ => ("NA".into(), "NA".into(), "NA".into()),
        };
        let metric = c.metric.map_or("not_modelled", |m| m.name());
        let dir = match c.direction {
            Direction::Above => "above",
            Direction::Below => "below",
        };
        let top = simulation::top_driver(r).map_or("NA".to_string(), |(p, _)| p.name().to_string());
        let _ = writeln!(
            s,
            "{},{p},{lo},{hi},{metric},{},{dir},{top}",
            c.id,
            csv_num(c.threshold)
        );
    }
    s
}

/// The tidy table: one row per draw, option, year, state and metric, with
/// every parameter of the draw on the row.
pub fn draws_table(
    prep: &Prepared,
    results: &[DrawResult],
) -> Result<entente_store::DrawTable, ReportError> {
    let sc = prep.scenario;
    let mut table = entente_store::DrawTable::new(Param::ALL.iter().map(|p| p.name()))?;
    let labels: Vec<String> = sc.actors.iter().map(|c| prep.base.label(*c)).collect();
    let finite = |v: f64| v.is_finite().then_some(v);
    for r in results {
        let draw = u32::try_from(r.draw).map_err(|_| ReportError::DrawNumber(r.draw))?;
        let mut rows = table.begin_draw(draw, &r.params)?;
        for o in &r.options {
            let opt = o.option.as_str();
            for (i, st) in labels.iter().enumerate() {
                if let Some(path) = &o.milex[i] {
                    for (t, v) in path.iter().enumerate() {
                        rows.push(
                            opt,
                            sc.base_year + t as i32,
                            st,
                            "milex_const2023_usd_m",
                            finite(*v),
                        )?;
                    }
                }
                rows.push(opt, sc.base_year, st, "threat", finite(o.theta[i]))?;
                rows.push(
                    opt,
                    sc.base_year,
                    st,
                    "region_share",
                    finite(o.region_share[i]),
                )?;
            }
            for (u, unit) in prep.units.iter().enumerate() {
                rows.push(
                    opt,
                    sc.base_year,
                    &unit.label,
                    "coalition",
                    Some(f64::from(o.coalition[u])),
                )?;
            }
            rows.push(
                opt,
                sc.base_year,
                "",
                "bargaining_median",
                finite(o.bargaining_median),
            )?;
            for (c, v) in sc.claims.iter().zip(&o.claim_values) {
                if c.metric.is_some() {
                    rows.push(
                        opt,
                        sc.base_year,
                        "",
                        &format!("claim:{}", c.id),
                        finite(*v),
                    )?;
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const COLORS: [&str; 6] = [
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860",
];

/// Spending fan chart (5-95% band and median) of one state, all options.
fn fan_svg(prep: &Prepared, results: &[DrawResult], state: usize) -> Option<String> {
    let sc = prep.scenario;
    let h = sc.horizon_years as usize + 1;
    let mut bands = Vec::new();
    for oi in 0..sc.options.len() {
        let mut q = Vec::new();
        for t in 0..h {
            let mut v: Vec<f64> = results
                .iter()
                .filter_map(|r| r.options[oi].milex[state].as_ref().map(|p| p[t]))
                .filter(|v| v.is_finite())
                .collect();
            if v.is_empty() {
                return None;
            }
            v.sort_by(f64::total_cmp);
            q.push((quantile(&v, 0.05), quantile(&v, 0.5), quantile(&v, 0.95)));
        }
        bands.push(q);
    }
    let ymax = bands.iter().flatten().map(|b| b.2).fold(0.0, f64::max) * 1.05;
    let ymin = bands
        .iter()
        .flatten()
        .map(|b| b.0)
        .fold(f64::INFINITY, f64::min)
        * 0.95;
    let (w, hgt, l, b) = (420.0, 240.0, 60.0, 30.0);
    let x = |t: usize| l + (w - l - 10.0) * t as f64 / (h - 1).max(1) as f64;
    let y = |v: f64| 10.0 + (hgt - b - 10.0) * (1.0 - (v - ymin) / (ymax - ymin).max(1e-9));
    let name = prep.base.label(sc.actors[state]);
    let mut s = format!(
        "<svg class=\"fan\" data-state=\"{name}\" viewBox=\"0 0 {w} {hgt}\" width=\"{w}\" height=\"{hgt}\" role=\"img\"><title>{name}: military spending, constant 2023 US$ bn, 5-95% of draws</title>"
    );
    for k in 0..=4 {
        let v = ymin + (ymax - ymin) * k as f64 / 4.0;
        let _ = write!(
            s,
            "<line x1=\"{l}\" x2=\"{}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{:.0}</text>",
            w - 10.0,
            l - 4.0,
            y(v) + 3.0,
            v / 1000.0,
            y0 = y(v)
        );
    }
    for t in (0..h).step_by(2) {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            x(t),
            hgt - 12.0,
            sc.base_year + t as i32
        );
    }
    for (oi, q) in bands.iter().enumerate() {
        let c = COLORS[oi % COLORS.len()];
        let mut poly = String::new();
        for (t, b) in q.iter().enumerate() {
            let _ = write!(poly, "{:.1},{:.1} ", x(t), y(b.2));
        }
        for (t, b) in q.iter().enumerate().rev() {
            let _ = write!(poly, "{:.1},{:.1} ", x(t), y(b.0));
        }
        let _ = write!(
            s,
            "<polygon class=\"band\" data-option=\"{}\" points=\"{poly}\" fill=\"{c}\" fill-opacity=\"0.12\" stroke=\"none\"/>",
            esc(&sc.options[oi].id)
        );
        let line: String = q
            .iter()
            .enumerate()
            .map(|(t, b)| format!("{:.1},{:.1} ", x(t), y(b.1)))
            .collect();
        let _ = write!(
            s,
            "<polyline class=\"series\" data-option=\"{}\" points=\"{line}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"1.8\"/>",
            esc(&sc.options[oi].id)
        );
    }
    let _ = write!(s, "<text x=\"{l}\" y=\"9\" font-size=\"11\" font-weight=\"bold\">{name} (US$ bn, 2023 prices)</text></svg>");
    Some(s)
}

/// Median change in threat (treatment - baseline) by state, largest first.
fn threat_changes(
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

fn threat_svg(rows: &[(String, f64, f64, f64)]) -> String {
    let rows = &rows[..rows.len().min(20)];
    let m = rows
        .iter()
        .map(|r| r.3.abs().max(r.2.abs()))
        .fold(1e-9, f64::max);
    let (w, rh, l) = (520.0, 16.0, 60.0);
    let hgt = rh * rows.len() as f64 + 30.0;
    let mid = l + (w - l - 10.0) / 2.0;
    let sc = (w - l - 10.0) / 2.0 / m;
    let mut s = format!("<svg class=\"threat\" viewBox=\"0 0 {w} {hgt}\" width=\"{w}\" height=\"{hgt}\" role=\"img\"><title>Change in threat, median and 5-95% of draws</title><line x1=\"{mid}\" x2=\"{mid}\" y1=\"0\" y2=\"{hgt}\" stroke=\"#999\"/>");
    for (k, (name, med, lo, hi)) in rows.iter().enumerate() {
        let y = 4.0 + rh * k as f64;
        let (x0, x1) = (mid.min(mid + med * sc), mid.max(mid + med * sc));
        let color = if *med > 0.0 { "#c44e52" } else { "#4c72b0" };
        let _ = write!(
            s,
            "<g class=\"bar\" data-state=\"{name}\" data-delta=\"{med}\"><text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{name}</text><rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\"/><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\"/></g>",
            l - 4.0,
            y + 10.0,
            (x1 - x0).max(0.5),
            rh - 4.0,
            mid + lo * sc,
            mid + hi * sc,
            y + (rh - 4.0) / 2.0,
            y + (rh - 4.0) / 2.0
        );
    }
    let _ = write!(s, "<text x=\"{mid}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">change in annual threat (probability), scale ±{m:.3}</text></svg>", hgt - 6.0);
    s
}

/// Share of draws in which each alignment unit sits on the side of the
/// scenario's `east` state, per option (NaN when the scenario names no sides).
fn alignment_table(prep: &Prepared, results: &[DrawResult]) -> (Vec<String>, Vec<Vec<f64>>) {
    let east = prep
        .scenario
        .framing
        .east
        .and_then(|e| prep.units.iter().position(|u| u.members.contains(&e)));
    let labels: Vec<String> = prep.units.iter().map(|u| u.label.clone()).collect();
    let shares = (0..prep.scenario.options.len())
        .map(|oi| {
            (0..prep.units.len())
                .map(|u| match east {
                    Some(c) => {
                        let k = results
                            .iter()
                            .filter(|r| r.options[oi].coalition[u] == r.options[oi].coalition[c])
                            .count();
                        k as f64 / results.len().max(1) as f64
                    }
                    None => f64::NAN,
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
    /// [`crate::scenario_hash`] of the scenario text and experiment.
    pub scenario_hash: &'a str,
    /// ISO 8601 UTC start time.
    pub started: &'a str,
}

/// Write every output of a complete run: claims.csv, draws.parquet (and
/// draws.csv), report.md, report.html, summary.json and run.json.
pub fn write_all(
    out: &Path,
    prep: &Prepared,
    results: &[DrawResult],
    label: RunLabel,
    files: DrawFiles,
) -> Result<Vec<ClaimResult>, ReportError> {
    let claims = simulation::claims(prep, results);
    write_atomic(out, "claims.csv", claims_csv(prep, &claims).as_bytes())?;
    let table = draws_table(prep, results)?;
    entente_store::write_draws_parquet(out.join("draws.parquet"), &table)?;
    if files == DrawFiles::ParquetAndCsv {
        entente_store::write_draws_csv(out.join("draws.csv"), &table)?;
    }
    let (md, html) = reports(prep, results, &claims);
    write_atomic(out, "report.md", md.as_bytes())?;
    write_atomic(out, "report.html", html.as_bytes())?;
    let summary = Summary::new(prep, results);
    let json = crate::summary_json::to_json(prep, &summary, &claims, label.run_id);
    write_atomic(
        out,
        crate::SUMMARY_FILE,
        serde_json::to_string(&json)?.as_bytes(),
    )?;
    let record = serde_json::json!({
        "run_id": label.run_id,
        "scenario": prep.scenario.name,
        "scenario_hash": label.scenario_hash,
        "seed": prep.scenario.experiment.seed,
        "base_samples": prep.scenario.experiment.base_samples,
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

/// report.md and report.html.
fn reports(prep: &Prepared, results: &[DrawResult], claims: &[ClaimResult]) -> (String, String) {
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
        "Scenario `{}` ({}), base year {}, horizon {} years, {} paired draws (Saltelli design, N = {}, seed {}). Source: {}.\n",
        sc.name,
        sc.source,
        sc.base_year,
        sc.horizon_years,
        results.len(),
        sc.experiment.base_samples,
        sc.experiment.seed,
        sc.source
    );
    let _ = writeln!(
        md,
        "## Claims (`{treatment}` against `{baseline}`, paired by draw)\n"
    );
    let _ = writeln!(md, "| claim | probability | 95% interval | top driver (Sobol S_T) | source |\n|---|---|---|---|---|");
    let mut rows_html = String::new();
    for (c, r) in sc.claims.iter().zip(claims) {
        let (p, iv) = match (r.probability, r.interval) {
            (Some(p), Some((lo, hi))) => (format!("{p:.2}"), format!("{lo:.2}-{hi:.2}")),
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
            "| **{}**: {} | {p} | {iv} | {drv} | {} |",
            c.id, text, c.source
        );
        let _ = write!(
            rows_html,
            "<tr class=\"claim\" data-claim=\"{}\" data-probability=\"{}\"><td><b>{}</b><br>{}</td><td>{p}</td><td>{iv}</td><td>{}</td><td class=\"src\">{}</td></tr>",
            esc(&c.id),
            r.probability.map_or("NA".into(), |p| p.to_string()),
            esc(&c.id),
            if c.metric.is_none() {
                format!("{} <em>Not modelled: {}</em>", esc(&c.text), esc(&c.why_not))
            } else {
                esc(&c.text)
            },
            esc(&drv),
            esc(&c.source)
        );
    }
    // Spending fans for the scenario's report states.
    let fan_states: Vec<usize> = sc
        .framing
        .report_states
        .iter()
        .filter_map(|c| sc.actors.iter().position(|a| a == c))
        .collect();
    let fans: Vec<String> = fan_states
        .iter()
        .filter_map(|&i| fan_svg(prep, results, i))
        .collect();
    let changes = threat_changes(prep, results, t, b);
    let _ = writeln!(
        md,
        "\n## Threat change by state (`{treatment}` - `{baseline}`, median of draws)\n"
    );
    let _ = writeln!(md, "| state | median | 5% | 95% |\n|---|---|---|---|");
    for (n, m, lo, hi) in changes.iter().take(15) {
        let _ = writeln!(md, "| {n} | {m:+.4} | {lo:+.4} | {hi:+.4} |");
    }
    // The bargaining forecast per option (the same stakeholders' draws in every option).
    let mut bargaining_html = String::new();
    if !sc.stakeholders.is_empty() {
        let _ = writeln!(md, "\n## Bargaining: {}\n", sc.issue);
        let _ = writeln!(
            md,
            "| option | median forecast | 5% | 95% |\n|---|---|---|---|"
        );
        for (oi, o) in sc.options.iter().enumerate() {
            let mut v: Vec<f64> = results
                .iter()
                .map(|r| r.options[oi].bargaining_median)
                .filter(|v| v.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            let (m, lo, hi) = (quantile(&v, 0.5), quantile(&v, 0.05), quantile(&v, 0.95));
            let _ = writeln!(md, "| {} | {m:.1} | {lo:.1} | {hi:.1} |", o.id);
            let _ = write!(bargaining_html, "<tr class=\"bargain\" data-option=\"{}\"><td>{}</td><td>{m:.1}</td><td>{lo:.1}</td><td>{hi:.1}</td></tr>", esc(&o.id), esc(&o.id));
        }
    }
    let (units, shares) = alignment_table(prep, results);
    let east = sc
        .framing
        .east
        .map_or_else(|| "(no sides named)".to_string(), |c| prep.base.label(c));
    let blocs: Vec<String> = sc
        .framing
        .blocs
        .iter()
        .map(|b| format!("{} ({} members)", b.label, b.members.len()))
        .collect();
    let blocs = if blocs.is_empty() {
        "every actor on its own".to_string()
    } else {
        format!("blocs counted as one unit: {}", blocs.join(", "))
    };
    let _ = writeln!(
        md,
        "\n## Alignment: share of draws each unit sits with {east}\n\n{} ({blocs}).\n",
        match prep.alignment_solver() {
            entente_core::alignment::Solver::Exact => "The landscape's exact ground state",
            entente_core::alignment::Solver::Heuristic =>
                "The best configuration a seeded heuristic search finds (the landscape is past the exact solver's size cap)",
        }
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
    let mut align_html = String::new();
    for (u, name) in units.iter().enumerate() {
        let cells: Vec<String> = shares.iter().map(|s| format!("{:.2}", s[u])).collect();
        let _ = writeln!(md, "| {name} | {} |", cells.join(" | "));
        let tds: String = shares
            .iter()
            .map(|s| {
                format!(
                    "<td style=\"background:rgba(196,78,82,{:.2})\">{:.2}</td>",
                    s[u] * 0.6,
                    s[u]
                )
            })
            .collect();
        let _ = write!(
            align_html,
            "<tr class=\"unit\" data-unit=\"{}\"><td>{}</td>{tds}</tr>",
            esc(name),
            esc(name)
        );
    }
    let _ = writeln!(
        md,
        "\n## Parameters and assumptions\n\n| parameter | prior |\n|---|---|"
    );
    let mut prior_html = String::new();
    for (p, pr) in &sc.priors {
        let _ = writeln!(md, "| {} | {} |", p.name(), pr);
        let _ = write!(
            prior_html,
            "<tr><td>{}</td><td>{}</td></tr>",
            p.name(),
            esc(&pr.to_string())
        );
    }
    let notes: Vec<String> = prep.base.notes.clone();
    let _ = writeln!(
        md,
        "\nWorld state of {}: {}\n",
        sc.base_year,
        notes.join("; ")
    );
    let _ = writeln!(md, "Data: COW NMC v7.0, COW alliances v4.1, ATOP 5.1, SIPRI Milex 2025 (27-state subset), IMF WEO Oct 2025, UN WPP 2024, FAS nuclear forces, CShapes 2.0, Thompson-Sakuwa-Suhas rivalries, hand-coded ties 2020-2024 (see data/SOURCES.md). Models: docs/threat.md, docs/bargaining.md, docs/alignment.md, docs/scenarios.md.");

    let legend: String = sc
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            format!(
                "<span class=\"key\" data-option=\"{}\"><i style=\"background:{}\"></i>{}</span>",
                esc(&o.id),
                COLORS[i % COLORS.len()],
                esc(&o.id)
            )
        })
        .collect();
    let html = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;font-size:13px;vertical-align:top}}
th{{background:#f4f4f4}}.src{{color:#666;font-size:12px}}.key{{margin-right:1em;font-size:13px}}.key i{{display:inline-block;width:12px;height:12px;margin-right:4px}}
.fans{{display:flex;flex-wrap:wrap;gap:8px}}</style></head><body data-ready="1">
<h1>{title}</h1>
<p>Scenario <code>{name}</code>, base year {year}, horizon {h} years, <b>{n}</b> paired draws (Saltelli design, N = {bs}, seed {seed}). Source: {source}.</p>
<h2>Claims</h2><p>Each claim is evaluated per draw as <code>{treatment}</code> against <code>{baseline}</code> over the same sampled world; the probability is the share of draws where it holds (95% Wilson interval); the top driver is the uncertain parameter with the largest Sobol total index of the paired difference.</p>
<table id="claims"><tr><th>claim</th><th>probability</th><th>95% interval</th><th>top driver (S_T)</th><th>source passage</th></tr>{rows_html}</table>
<h2>Military spending by option</h2><p>{legend}</p><div class="fans">{fans}</div>
<h2>Threat change by state</h2><p><code>{treatment}</code> minus <code>{baseline}</code>: median and 5-95% of draws (red: more threatened).</p>{threat}
<h2>Alignment</h2><p>Share of draws in which each unit sits on the side of {east} at the landscape's {solver} ({blocs}).</p>
<table id="alignment"><tr><th>unit</th>{opt_heads}</tr>{align_html}</table>
<h2>Bargaining</h2><p>{issue}: the expected-utility model's forecast (weighted median; over the cycle where rounds cycle), median and 5-95% of draws. Positions are the scenario's stakeholder ranges, identical across options, so the options do not move it: it is the context for how far a formal role would go.</p>
<table id="bargaining"><tr><th>option</th><th>median</th><th>5%</th><th>95%</th></tr>{bargaining_html}</table>
<h2>Parameters and assumptions</h2><table><tr><th>parameter</th><th>prior</th></tr>{prior_html}</table>
<p>World state of {year}: {notes}</p>
<p>Data: COW NMC v7.0, COW alliances v4.1, ATOP 5.1, SIPRI Milex 2025 (27-state subset), IMF WEO Oct 2025, UN WPP 2024, FAS nuclear forces, CShapes 2.0, Thompson-Sakuwa-Suhas rivalries, hand-coded ties 2020-2024. See data/SOURCES.md and docs/.</p>
</body></html>"#,
        title = esc(&sc.title),
        name = esc(&sc.name),
        year = sc.base_year,
        h = sc.horizon_years,
        n = results.len(),
        bs = sc.experiment.base_samples,
        seed = sc.experiment.seed,
        source = esc(&sc.source),
        treatment = esc(&treatment),
        baseline = esc(&baseline),
        fans = fans.join(""),
        threat = threat_svg(&changes),
        opt_heads = sc
            .options
            .iter()
            .map(|o| format!("<th>{}</th>", esc(&o.id)))
            .collect::<String>(),
        notes = esc(&notes.join("; ")),
        issue = esc(&sc.issue),
        east = esc(&east),
        blocs = esc(&blocs),
        solver = match prep.alignment_solver() {
            entente_core::alignment::Solver::Exact => "exact ground state",
            entente_core::alignment::Solver::Heuristic =>
                "best configuration found by a seeded heuristic search (past the exact solver's size cap)",
        },
    );
    (md, html)
}
