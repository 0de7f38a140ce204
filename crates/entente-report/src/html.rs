//! `report.html`: one self-contained page (inline CSS and SVG, no script, no
//! external file) with the claims, each claim's paired difference and drivers,
//! the base world's map, spending fans, threat per state, alignment and
//! bargaining. Charts come from [`crate::charts`].

use std::fmt::Write as _;

use entente_core::scenario::{Comparison, Direction};
use entente_core::simulation::{self, ClaimResult, ClaimStatus, DrawResult, Prepared};
use entente_core::summary::{ranked_drivers, Summary};

use crate::atlas::Atlas;
use crate::charts::{self, drivers, esc, fan, histogram, map, threat};

/// How many of the most threatened states the threat chart lists.
const THREAT_ROWS: usize = 20;

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:1200px;margin:2em auto;padding:0 1.25em;color:#1d2430;line-height:1.45}
h1{font-size:1.7em;margin:.2em 0 .4em}h2{margin:1.6em 0 .5em;font-size:1.3em}h3{margin:0 0 .3em;font-size:1.05em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d5d9e0;padding:4px 8px;font-size:13px;vertical-align:top}th{background:#f4f5f7;text-align:left}
.table-wrap{overflow-x:auto}.src,.muted{color:#5d6878;font-size:12px}.key{margin-right:1.2em;font-size:13px;white-space:nowrap}.key i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:18px 28px;align-items:start}
figure{margin:0;min-width:0}figcaption{font-size:13px;color:#5d6878;margin-top:4px}
svg.chart{display:block;width:100%;height:auto;font-family:inherit}svg.chart text{fill:#333}
svg.chart .tick,svg.chart .axis-title,svg.chart .legend,svg.chart .legend-title{fill:#4b5563}svg.chart .chart-title{font-weight:600;font-size:13px}
svg.chart .param{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px}
svg.chart .threshold-label{font-size:12px;fill:#111}
.claim-card{border:1px solid #dde1e7;border-radius:8px;padding:12px 16px 16px;margin:18px 0}
.claim-card .meta{font-size:12.5px;color:#5d6878;margin:.2em 0 .8em}.claim-card code,.meta code{font-size:12px}
.prob{font-weight:600;white-space:nowrap}.status{font-size:12px;padding:1px 6px;border-radius:8px;background:#e8edf3;white-space:nowrap}.status-structural,.status-not_modelled{background:#f6e3c8}.status-robust{background:#dcebdc}.status-prior_bound{background:#f3e9b5}
.warnings{border:1px solid #e0b252;background:#fff8e6;border-radius:8px;padding:4px 16px;margin:1em 0}.warnings h2{margin:.5em 0 .2em;font-size:1.1em}";

/// What the page needs that the Markdown report computes as well.
pub struct Shared<'a> {
    pub treatment: &'a str,
    pub baseline: &'a str,
    /// Threat change per state (label, median, 5%, 95%), largest first.
    pub threat_changes: &'a [(String, f64, f64, f64)],
    /// What the run's checks found (e.g. an option identical to another).
    pub warnings: &'a [String],
}

/// The x-axis label of a claim's paired difference.
fn difference_label(c: &entente_core::scenario::Claim) -> String {
    let metric = c.metric.map_or("", |m| m.name());
    match c.comparison {
        Comparison::Difference => format!("{} \u{2212} {}: {metric}", c.treatment, c.baseline),
        Comparison::PercentChange => {
            format!(
                "% change of {metric}, {} against {}",
                c.treatment, c.baseline
            )
        }
    }
}

/// An anchor-safe id for a claim's section.
fn slug(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Thresholds per claim in `claims_curve.csv` and the report's curves.
pub const CURVE_POINTS: usize = 41;

fn claims_html(prep: &Prepared, claims: &[ClaimResult]) -> (String, String) {
    let sc = prep.scenario;
    let mut rows = String::new();
    let mut cards = String::new();
    for (c, r) in sc.claims.iter().zip(claims) {
        let finite = r.differences.iter().filter(|v| v.is_finite()).count();
        let (p, iv) = match (r.status, r.probability, r.interval) {
            (ClaimStatus::Structural, _, _) => ("structural".into(), "moved in no draw".into()),
            (_, Some(p), Some((lo, hi))) => (format!("{p:.2}"), format!("{lo:.2}-{hi:.2}")),
            _ => ("not modelled".into(), String::new()),
        };
        let drv =
            simulation::top_driver(r).map_or("-".into(), |(p, s)| format!("{} ({s:.2})", p.name()));
        let status = format!(
            "<span class=\"status status-{}\" title=\"{}\">{}</span>",
            r.status.name(),
            esc(r.status.explain()),
            r.status.name().replace('_', " ")
        );
        let text = if c.metric.is_none() {
            format!(
                "{} <em>Not modelled: {}</em>",
                esc(&c.text),
                esc(&c.why_not)
            )
        } else {
            esc(&c.text)
        };
        let link = if finite > 0 {
            format!(
                "<a href=\"#claim-{}\"><b>{}</b></a>",
                slug(&c.id),
                esc(&c.id)
            )
        } else {
            format!("<b>{}</b>", esc(&c.id))
        };
        let _ = write!(
            rows,
            "<tr class=\"claim\" data-claim=\"{}\" data-probability=\"{}\" data-status=\"{}\" data-differences=\"{finite}\"><td>{link}<br>{text}</td><td>{status}</td><td class=\"prob\">{p}</td><td>{iv}</td><td>{}</td><td class=\"src\">{}</td></tr>",
            esc(&c.id),
            r.probability.map_or("NA".into(), |p| p.to_string()),
            r.status.name(),
            esc(&drv),
            esc(&c.source)
        );
        if finite == 0 {
            continue;
        }
        let above = c.direction == Direction::Above;
        let axis_label = difference_label(c);
        let view = histogram::ClaimView {
            id: &c.id,
            axis_label: &axis_label,
            threshold: c.threshold,
            above,
        };
        let hist = histogram::chart(&view, &r.differences).unwrap_or_default();
        let ranked = ranked_drivers(r);
        let names: Vec<&str> = ranked.iter().map(|d| d.param.name()).collect();
        let ds: Vec<drivers::Driver> = ranked
            .iter()
            .zip(&names)
            .map(|(d, name)| drivers::Driver {
                param: name,
                s1: d.first_order,
                st: d.total,
                s1_interval: d.first_order_interval,
                st_interval: d.total_interval,
            })
            .collect();
        // Total indices cannot exceed 1: above it, the estimate is noise.
        let noisy: Vec<&str> = ranked
            .iter()
            .filter(|d| d.total.is_some_and(|t| t > 1.0))
            .map(|d| d.param.name())
            .collect();
        let noise_note = if noisy.is_empty() {
            String::new()
        } else {
            format!(
                " <b>Estimator noise:</b> the total index of {} is above 1, which no true index can be; read the ranking, not the values.",
                noisy.join(", ")
            )
        };
        let drivers_svg = drivers::chart(&c.id, &ds);
        let drivers_fig = match drivers_svg {
            Some(svg) => format!("<figure>{svg}<figcaption>Sobol indices of the paired difference over the Saltelli design: S1 is the share of its variance a parameter explains alone, S_T with its interactions; whiskers are 95% bootstrap intervals over the {} base samples.{}{noise_note}</figcaption></figure>", sc.experiment.base_samples, if sc.experiment.replications > 1 { format!(" Each design point's difference is the mean of its {} replications (the indices of the conditional mean).", sc.experiment.replications) } else { String::new() }),
            None if r.status != ClaimStatus::Empirical => format!("<figure><p class=\"muted\">No drivers: the claim is {} ({})</p></figure>", r.status.name().replace('_', " "), esc(r.status.explain())),
            None => match crate::files::no_indices_note(sc) {
                Some(note) => format!("<figure><p class=\"muted\">{}.</p></figure>", esc(&note)),
                None => "<figure><p class=\"muted\">No Sobol indices: the design has no uncertain parameter, or the difference does not vary.</p></figure>".into(),
            },
        };
        let corners = corners_note(r);
        let curve = simulation::threshold_curve(c, r, CURVE_POINTS);
        let cross = simulation::crossing(&curve).map_or(
            "It does not cross 0.5 over the range of the draws.".to_string(),
            |t| format!("It crosses 0.5 at a threshold of {t:.3}."),
        );
        let curve_fig = charts::curve::chart(&c.id, &axis_label, c.threshold, &curve)
            .map_or(String::new(), |svg| format!("<figure>{svg}<figcaption>The probability that the claim holds at other thresholds (dashed: the scenario's threshold, {}). {cross}</figcaption></figure>", c.threshold));
        // A structural claim's verdict is no probability: its metric never moved.
        let verdict = match (r.status, r.probability, r.interval) {
            (ClaimStatus::Structural, _, _) => {
                "the option moves its metric in no draw".to_string()
            }
            (_, Some(p), Some((lo, hi))) => format!(
                "holds with probability {p:.2} <span class=\"muted\">(95% interval {lo:.2}-{hi:.2})</span>"
            ),
            _ => "no probability".to_string(),
        };
        let _ = write!(
            cards,
            "<section class=\"claim-card\" id=\"claim-{}\" data-claim=\"{}\"><h3>{}: {verdict} <span class=\"status status-{}\">{}</span></h3><p>{}</p><p class=\"meta\">{} {corners}</p><p class=\"meta\">Holds when {} is {} {} \u{b7} {}</p><div class=\"grid\"><figure>{hist}<figcaption>The paired difference in each of the {} draws (the same sampled world under both options), binned from the threshold: blue bars are draws where the claim holds.</figcaption></figure>{drivers_fig}{curve_fig}</div></section>",
            slug(&c.id),
            esc(&c.id),
            esc(&c.id),
            r.status.name(),
            r.status.name().replace('_', " "),
            esc(&c.text),
            esc(r.status.explain()),
            esc(&axis_label),
            if above { "above" } else { "below" },
            c.threshold,
            esc(&c.source),
            r.differences.len()
        );
    }
    (rows, cards)
}

/// What the corners of the prior box say about a claim, in a sentence.
fn corners_note(r: &ClaimResult) -> String {
    let judged: Vec<_> = r.corners.iter().filter(|k| k.holds.is_some()).collect();
    if judged.is_empty() {
        return String::new();
    }
    let held = judged.iter().filter(|k| k.holds == Some(true)).count();
    let off = match r.without_mechanisms().and_then(|k| k.holds) {
        Some(true) => " With every mechanism weight at zero it holds: a claim of no effect that the models would also grant if they had no mechanism.",
        Some(false) => " With every mechanism weight at zero it fails.",
        None => "",
    };
    let failing: Vec<&str> = judged
        .iter()
        .filter(|k| k.holds != Some(true))
        .map(|k| k.corner.as_str())
        .take(4)
        .collect();
    let which = if failing.is_empty() || held == 0 {
        String::new()
    } else {
        format!(" (fails at: {})", esc(&failing.join("; ")))
    };
    format!(
        "It holds at {held} of {} corners of the prior box{which}.{off}",
        judged.len()
    )
}

/// The map of the base world: actors coloured by base-year military spending.
fn base_map(prep: &Prepared, summary: &Summary) -> String {
    let Ok(atlas) = Atlas::bundled() else {
        return String::new();
    };
    let base = summary
        .options
        .iter()
        .position(|o| o.option == summary.baseline)
        .unwrap_or(0);
    let states: Vec<map::State> = summary
        .states
        .iter()
        .enumerate()
        .map(|(i, st)| map::State {
            ccode: st.ccode,
            iso_numeric: st.iso_numeric,
            name: &st.name,
            label: &st.label,
            value: summary.options[base].milex[i]
                .as_ref()
                .and_then(|f| f.q50.first().copied())
                .filter(|v| v.is_finite() && *v > 0.0)
                .map(|v| v / 1000.0),
        })
        .collect();
    map::chart(&atlas, &states, &format!("US$ bn, 2023 prices, {}", prep.scenario.base_year))
        .map(|svg| format!("<figure>{svg}<figcaption>The scenario's {} actors on the Natural Earth 1:110m map (Miller projection, cut where no actor is), coloured by military spending in {} (constant 2023 US$; grey: no data, e.g. outside the bundled SIPRI subset).</figcaption></figure>", states.len(), prep.scenario.base_year))
        .unwrap_or_default()
}

fn fans_html(prep: &Prepared, summary: &Summary) -> String {
    let sc = prep.scenario;
    let mut out = String::new();
    // The scenario's report states, in its order.
    for &i in &summary.framing.report_states {
        let st = &summary.states[i];
        let series: Vec<fan::Series> = summary
            .options
            .iter()
            .enumerate()
            .filter_map(|(oi, o)| {
                o.milex[i].as_ref().map(|f| fan::Series {
                    option: &sc.options[oi].id,
                    index: oi,
                    fan: f,
                })
            })
            .collect();
        if let Some(svg) = fan::chart(&st.label, &st.name, &summary.years, &series) {
            let _ = write!(out, "<figure>{svg}</figure>");
        }
    }
    out
}

fn threat_html(summary: &Summary, shared: &Shared) -> String {
    let n = summary.states.len();
    // The most threatened states under any option, by median.
    let top = |i: usize| {
        summary
            .options
            .iter()
            .filter_map(|o| o.threat[i].map(|b| b.q50))
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| top(*b).total_cmp(&top(*a)));
    order.truncate(THREAT_ROWS);
    let rows: Vec<threat::Row> = order
        .iter()
        .map(|&i| threat::Row {
            label: &summary.states[i].label,
            bands: summary.options.iter().map(|o| o.threat[i]).collect(),
        })
        .collect();
    let options: Vec<&str> = summary.options.iter().map(|o| o.option.as_str()).collect();
    let mut out = String::new();
    if let Some(svg) = threat::levels(&options, &rows) {
        let _ = write!(
            out,
            "<figure>{svg}<figcaption>The {} most threatened of the {n} actors, one line per option (colours as in the legend above). Threat is computed for the base year: the engine does not carry it through the horizon.</figcaption></figure>",
            rows.len()
        );
    }
    let changes = &shared.threat_changes[..shared.threat_changes.len().min(20)];
    if let Some(svg) = threat::changes(changes) {
        let _ = write!(
            out,
            "<h3>Change by state: <code>{}</code> minus <code>{}</code></h3><figure>{svg}<figcaption>Paired by draw; the {} largest median changes.</figcaption></figure>",
            esc(shared.treatment),
            esc(shared.baseline),
            changes.len()
        );
    }
    out
}

/// The whole page.
pub fn page(
    prep: &Prepared,
    results: &[DrawResult],
    claims: &[ClaimResult],
    summary: &Summary,
    shared: &Shared,
) -> String {
    let sc = prep.scenario;
    let (rows_html, cards) = claims_html(prep, claims);
    let legend: String = sc
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            format!(
                "<span class=\"key\" data-option=\"{}\"><i style=\"background:{}\"></i>{}</span>",
                esc(&o.id),
                charts::color(i),
                esc(&o.id)
            )
        })
        .collect();
    // The decision the options stand for: the same forecast under every option, shown once.
    let mut bargaining = String::new();
    if !sc.stakeholders.is_empty() {
        if let Some(b) = summary.options.first().and_then(|s| s.bargaining_median) {
            let _ = write!(bargaining, "<tr class=\"bargain\"><td>{} stakeholders, influence: {}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td></tr>", sc.stakeholders.len(), sc.influence.name().replace('_', " "), b.q50, b.q05, b.q95);
        }
    }
    let mut align = String::new();
    for (u, unit) in summary.units.iter().enumerate() {
        let tds: String = summary
            .options
            .iter()
            .map(|o| {
                let at = |v: &[Option<f64>]| v.get(u).copied().flatten();
                match (at(&o.with_west), at(&o.with_east), at(&o.unaligned)) {
                    (Some(w), Some(e), Some(n)) => format!(
                        "<td style=\"background:rgba(196,78,82,{:.2})\" title=\"west / east / unaligned\">{w:.2} / {e:.2} / {n:.2}</td>",
                        e * 0.6
                    ),
                    _ => "<td>NA</td>".into(),
                }
            })
            .collect();
        let _ = write!(
            align,
            "<tr class=\"unit\" data-unit=\"{}\"><td>{}</td>{tds}</tr>",
            esc(&unit.label),
            esc(&unit.label)
        );
    }
    let priors: String = entente_core::scenario::Param::ALL
        .iter()
        .zip(&prep.priors)
        .map(|(p, rp)| {
            format!(
                "<tr data-param=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                p.name(),
                p.name(),
                esc(&rp.prior.to_string()),
                esc(&rp.origin.describe()),
                esc(&uncalibrated(*p, rp))
            )
        })
        .collect();
    let notes = prep.base.notes.join("; ");
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>{CSS}</style></head><body data-ready="1">
<h1>{title}</h1>
<p>Scenario <code>{name}</code>, base year {year}, horizon {h} years, <b>{n}</b> paired draws ({design}). Source: {source}.</p>{no_indices}{warnings}
<h2>The answer in brief</h2><ul id="brief">{brief}</ul><p class="muted">Statuses: empirical (the outcome differs between draws), prior-bound (the same in every draw but not at every corner of the prior box), robust (the same everywhere), structural (the option cannot move the metric), not modelled.</p>
<h2>Claims</h2><p>Each claim is evaluated per draw as <code>{treatment}</code> against <code>{baseline}</code> over the same sampled world; the probability is the share of draws where it holds (95% Wilson interval); the top driver is the uncertain parameter with the largest Sobol total index of the paired difference.</p>
<div class="table-wrap"><table id="claims"><tr><th>claim</th><th>status</th><th>probability</th><th>95% interval</th><th>top driver (S_T)</th><th>source passage</th></tr>{rows_html}</table></div>{levers}
<h2>Each claim: its paired difference and what drives it</h2>{cards}
<h2>The base world</h2>{map}
<h2>Military spending by option</h2><p>{legend}</p><div class="grid fans">{fans}</div>
<h2>Threat per state</h2><p>{legend}</p>{threat}
<h2>Alignment</h2><p>Share of draws in which each unit stands west / east (the side of {east}) / unaligned at the landscape's {solver}, with three places ({blocs}); the weights are estimated on the years before the base year (docs/alignment.md).</p>
<div class="table-wrap"><table id="alignment"><tr><th>unit</th>{opt_heads}</tr>{align}</table></div>
<h2>Bargaining</h2><p>{issue}: the expected-utility model's forecast of the decision (weighted median; over the cycle where rounds cycle), median and 5-95% of draws, shown once: the options are the outcomes this decision chooses between, so they do not enter it. Positions are the scenario's stakeholder ranges (sources in docs/bargaining.md).</p>
<table id="bargaining"><tr><th>decision-makers</th><th>median</th><th>5%</th><th>95%</th></tr>{bargaining}</table>
<h2>Parameters and assumptions</h2><p>Estimated parameters are fitted on the data up to the base year in every run; beside each is the prior it would take uncalibrated (the published value or the fallback).</p><table id="params"><tr><th>parameter</th><th>in this run</th><th>basis</th><th>uncalibrated prior</th></tr>{priors}</table>
<p>World state of {year}: {notes}</p>
<p>Data: COW NMC v7.0, COW alliances v4.1, ATOP 5.1, SIPRI Milex 2025 (51 flagship states), IMF WEO Oct 2025, UN WPP 2024, FAS nuclear forces, CShapes 2.0, Thompson-Sakuwa-Suhas rivalries, hand-coded ties 2020-2024; map: Natural Earth 1:110m via world-atlas 2.0.2. See data/SOURCES.md and docs/.</p>
</body></html>"#,
        title = esc(&sc.title),
        name = esc(&sc.name),
        year = sc.base_year,
        h = sc.horizon_years,
        n = results.len(),
        design = esc(&crate::files::design_words(sc)),
        no_indices = crate::files::no_indices_note(sc)
            .map_or(String::new(), |n| format!("<p class=\"muted\">{}.</p>", esc(&n))),
        source = esc(&sc.source),
        warnings = warnings_html(shared.warnings),
        brief = crate::files::brief(prep, claims)
            .iter()
            .map(|(id, line)| format!("<li data-claim=\"{}\"><b>{}</b>: {}</li>", esc(id), esc(id), esc(line)))
            .collect::<String>(),
        levers = crate::levers::html(sc, claims),
        treatment = esc(shared.treatment),
        baseline = esc(shared.baseline),
        map = base_map(prep, summary),
        fans = fans_html(prep, summary),
        threat = threat_html(summary, shared),
        opt_heads = sc
            .options
            .iter()
            .map(|o| format!("<th>{}</th>", esc(&o.id)))
            .collect::<String>(),
        notes = esc(&notes),
        issue = esc(&sc.issue),
        east = esc(&summary.framing.east.clone().unwrap_or_else(|| "(no sides named)".into())),
        blocs = esc(&blocs_text(sc)),
        solver = match prep.alignment_solver() {
            entente_core::alignment::Solver::Exact => "exact ground state",
            entente_core::alignment::Solver::Heuristic =>
                "best configuration found by a seeded heuristic search (past the exact solver's size cap)",
        },
    )
}

/// The run's warnings as a list (nothing when there are none).
fn warnings_html(warnings: &[String]) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let items: String = warnings
        .iter()
        .map(|w| format!("<li>{}</li>", esc(w)))
        .collect();
    format!("\n<div class=\"warnings\" id=\"warnings\"><h2>Warnings</h2><ul>{items}</ul></div>")
}

/// The prior a parameter takes without calibration, beside an estimated one
/// (empty when the run's prior is that one).
pub(crate) fn uncalibrated(
    p: entente_core::scenario::Param,
    rp: &entente_core::simulation::RunPrior,
) -> String {
    match rp.origin {
        entente_core::simulation::PriorOrigin::Estimated { .. } => p.default_prior().to_string(),
        _ => String::new(),
    }
}

/// The scenario's blocs in words.
pub(crate) fn blocs_text(sc: &entente_core::scenario::Scenario) -> String {
    let blocs: Vec<String> = sc
        .framing
        .blocs
        .iter()
        .map(|b| format!("{} ({} members)", b.label, b.members.len()))
        .collect();
    if blocs.is_empty() {
        "every actor on its own".to_string()
    } else {
        format!("blocs counted as one unit: {}", blocs.join(", "))
    }
}
