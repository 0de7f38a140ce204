//! A lever sweep in the outputs ([`entente_core::sweep`]): the lever columns of
//! `claims.csv` and the reports' table of claims per lever setting. Nothing here for a
//! scenario without levers, so its outputs are unchanged.

use std::fmt::Write as _;

use entente_core::scenario::Scenario;
use entente_core::simulation::{ClaimResult, ClaimStatus};

use crate::charts::esc;

/// The extra columns of `claims.csv` in a sweep: `base_claim` (the claim of the file a row
/// expands) and one `lever_<name>` per lever. Empty without levers.
pub fn claim_columns(sc: &Scenario) -> Vec<String> {
    if sc.sweep.is_empty() {
        return Vec::new();
    }
    std::iter::once("base_claim".to_string())
        .chain(sc.sweep.columns())
        .collect()
}

/// A claim's cells of [`claim_columns`]: its base claim and setting, or the claim itself
/// and NA for a claim no lever touches.
pub fn claim_cells(sc: &Scenario, id: &str) -> Vec<String> {
    if sc.sweep.is_empty() {
        return Vec::new();
    }
    match sc.sweep.claim_setting(id) {
        Some((s, base)) => std::iter::once(base.to_string())
            .chain(sc.sweep.values(s))
            .collect(),
        None => std::iter::once(id.to_string())
            .chain(sc.sweep.levers.iter().map(|_| "NA".to_string()))
            .collect(),
    }
}

/// A claim's verdict in a cell: its probability with the 95% interval, or its status.
fn cell(r: &ClaimResult) -> String {
    match (r.status, r.probability, r.interval) {
        (ClaimStatus::Structural, _, _) => "structural".into(),
        (ClaimStatus::NotModelled, _, _) | (_, None, _) | (_, _, None) => "not modelled".into(),
        (s, Some(p), Some((lo, hi))) => {
            let tag = match s {
                ClaimStatus::Empirical => String::new(),
                other => format!(", {}", other.name()),
            };
            format!("{p:.2} ({lo:.2}-{hi:.2}{tag})")
        }
    }
}

/// One setting's row: its lever values, then one cell per swept claim.
type Row = (Vec<String>, Vec<String>);

/// The table's rows: each setting's lever values and, per swept claim, its cell.
fn rows<'s>(sc: &'s Scenario, claims: &[ClaimResult]) -> (Vec<&'s str>, Vec<Row>) {
    let swept = sc.sweep.swept_claims();
    let rows = (0..sc.sweep.settings.len())
        .map(|s| {
            let cells = swept
                .iter()
                .map(|base| {
                    sc.claims
                        .iter()
                        .zip(claims)
                        .find(|(c, _)| sc.sweep.claim_setting(&c.id) == Some((s, base)))
                        .map_or_else(|| "NA".to_string(), |(_, r)| cell(r))
                })
                .collect();
            (sc.sweep.values(s), cells)
        })
        .collect();
    (swept, rows)
}

fn intro(sc: &Scenario) -> String {
    let sw = &sc.sweep;
    let levers: Vec<String> = sw
        .levers
        .iter()
        .map(|l| {
            let v: Vec<String> = l.values.iter().map(|v| v.label()).collect();
            format!(
                "`{}` ({} of `{}`: {})",
                l.name,
                l.field.name(),
                l.option,
                v.join(", ")
            )
        })
        .collect();
    let grid = if sw.sampled {
        format!(
            "{} settings drawn from the full grid of {}",
            sw.settings.len(),
            sw.grid
        )
    } else {
        format!("the full grid of {} settings", sw.settings.len())
    };
    format!(
        "Levers {}: {grid}, every setting over the same draws (common random numbers). Each cell is the claim's probability with its 95% interval (the status when it is not empirical).",
        levers.join(", ")
    )
}

/// The Markdown section "Claims per lever setting" (empty without levers).
pub fn markdown(sc: &Scenario, claims: &[ClaimResult]) -> String {
    if sc.sweep.is_empty() {
        return String::new();
    }
    let (swept, rows) = rows(sc, claims);
    let mut md = format!("\n## Claims per lever setting\n\n{}\n\n", intro(sc));
    let heads: Vec<String> = sc
        .sweep
        .levers
        .iter()
        .map(|l| l.name.clone())
        .chain(swept.iter().map(|c| c.to_string()))
        .collect();
    let _ = writeln!(
        md,
        "| {} |\n|{}",
        heads.join(" | "),
        "---|".repeat(heads.len())
    );
    for (values, cells) in rows {
        let _ = writeln!(md, "| {} | {} |", values.join(" | "), cells.join(" | "));
    }
    md
}

/// The HTML section "Claims per lever setting" (empty without levers).
pub fn html(sc: &Scenario, claims: &[ClaimResult]) -> String {
    if sc.sweep.is_empty() {
        return String::new();
    }
    let (swept, rows) = rows(sc, claims);
    let heads: String = sc
        .sweep
        .levers
        .iter()
        .map(|l| format!("<th>{}</th>", esc(&l.name)))
        .chain(swept.iter().map(|c| format!("<th>{}</th>", esc(c))))
        .collect();
    let body: String = rows
        .iter()
        .map(|(values, cells)| {
            let tds: String = values
                .iter()
                .chain(cells)
                .map(|v| format!("<td>{}</td>", esc(v)))
                .collect();
            format!("<tr>{tds}</tr>")
        })
        .collect();
    format!(
        "<h2>Claims per lever setting</h2><p>{}</p><div class=\"table-wrap\"><table id=\"claims-by-lever\"><tr>{heads}</tr>{body}</table></div>",
        esc(&intro(sc)).replace('`', "")
    )
}
