//! docs/codebook.md, generated from the schemas themselves: the world tables' columns
//! ([`crate::tables`]), the source flags ([`entente_core::world::Source`]), the draws' Arrow
//! schema ([`entente_store::draws_parquet::draws_schema`]) with every parameter
//! ([`entente_core::param::Param`]), the draws' metrics ([`crate::codebook`]) and the
//! columns of claims.csv ([`crate::files::CLAIMS_COLUMNS`]). A test checks that the
//! checked-in file is what [`codebook_md`] writes (`ENTENTE_BLESS=1` rewrites it).

use std::fmt::Write as _;

use entente_core::param::Param;
use entente_core::world::Source;

use crate::files::CLAIMS_COLUMNS;
use crate::tables::{DYAD_COLUMN_DOC, STATE_COLUMN_DOC};

/// The fixed columns of the draws, what each holds.
const DRAWS_FIXED: &[(&str, &str)] = &[
    ("run_id", "the run's id in the run store (`runs.id`) and `run.json`; the same on every row, so several runs' draws can be stacked and told apart"),
    ("seed", "the run's seed; the same seed, scenario and design give the same draws (run_id aside)"),
    ("draw", "Monte Carlo draw number (0-based); all rows of a draw share its parameters"),
    ("point", "the design point (row of the experiment design) whose parameter values the draw takes"),
    ("replication", "which replication of its point the draw is (0-based): the same parameters, its own noise"),
    ("block", "the Saltelli block of the draw's point: `A`, `B` or `AB_<parameter>` (`A` with that parameter from `B`); null outside a Saltelli design"),
    ("option", "the policy option (scenario variant), e.g. `status-quo`"),
    ("year", "calendar year (the metric's `years` below say which)"),
    (
        "state",
        "by the metric's level: an actor's ISO3 code, an alignment unit's code, or empty for a system metric",
    ),
    ("metric", "what `value` measures (the metrics below)"),
    ("value", "the value, in the metric's unit; missing (null, NA) never 0"),
];

/// What each column of claims.csv holds.
fn claims_meaning(column: &str) -> &'static str {
    match column {
        "claim" => "the claim's id",
        "status" => "how to read the probability: `empirical`, `prior_bound`, `robust`, `structural` or `not_modelled` (docs/scenarios.md)",
        "probability" => "share of draws in which the claim holds, 0-1",
        "lo" | "hi" => "95% Wilson interval of the probability, 0-1",
        "metric" => "the claim's metric (its `claim:<id>` rows in the draws)",
        "comparison" => "`difference` (treatment - baseline, in the metric's unit) or `percent` (100 (treatment - baseline) / abs(baseline))",
        "direction" => "the claim holds when the comparison is `above` (or `below`) the threshold",
        "threshold" => "the threshold, in the comparison's unit",
        "treatment" | "baseline" => "the two options compared, paired by draw",
        "top_driver" => "the uncertain parameter with the largest Sobol total index of the paired difference (NA unless `empirical`)",
        "top_driver_total_index" => "that parameter's Sobol total index, 0-1",
        "top_driver_total_lo" | "top_driver_total_hi" => "95% bootstrap interval of the total index",
        _ => "",
    }
}

fn table(s: &mut String, head: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
    let _ = writeln!(s, "| {} |", head.join(" | "));
    let _ = writeln!(s, "|{}", " --- |".repeat(head.len()));
    for r in rows {
        let _ = writeln!(s, "| {} |", r.join(" | "));
    }
    s.push('\n');
}

fn code(name: &str) -> String {
    format!("`{name}`")
}

/// docs/codebook.md.
pub fn codebook_md() -> String {
    let mut s = String::from(
        "# Codebook\n\n\
         Every column Entente writes or returns, with its unit and source flag, for R and Python\n\
         alike. Generated from the schemas in the code (`crates/entente-report/src/reference.rs`):\n\
         do not edit; `ENTENTE_BLESS=1 cargo test -p entente-report --test reference` rewrites it,\n\
         and the same test fails when it is out of date.\n\n\
         Missing values are `NA` in CSV and R, `pd.NA` in `entente.world`/`entente.dyads`\n\
         (pandas' nullable dtypes), null in Parquet and Arrow, `NaN` in a numpy-backed pandas\n\
         column: never 0. Where 0 is a real value (warheads of a non-nuclear state, no\n\
         contiguity) the column says so.\n\n",
    );
    s.push_str(
        "## World state\n\n\
         `entente world --year Y --format csv`, Python's `entente.world(Y)`: one row per state.\n\n",
    );
    table(
        &mut s,
        &["column", "meaning and unit"],
        STATE_COLUMN_DOC
            .iter()
            .map(|(c, m)| vec![code(c), (*m).to_string()]),
    );
    s.push_str(
        "### Source flags\n\n\
         Every `*_source` column holds one of these (`NA` when the value is missing).\n\n",
    );
    table(
        &mut s,
        &["flag", "meaning"],
        Source::ALL
            .iter()
            .map(|f| vec![code(f.name()), f.describe().to_string()]),
    );
    s.push_str(
        "## Dyads\n\n\
         `entente world --year Y --actors A,B,C --dyads --format csv`, Python's\n\
         `entente.dyads(Y, [A, B, C])`: one row per pair, in the order asked.\n\n",
    );
    table(
        &mut s,
        &["column", "meaning and unit"],
        DYAD_COLUMN_DOC
            .iter()
            .map(|(c, m)| vec![code(c), (*m).to_string()]),
    );
    let params: Vec<String> = Param::ALL.iter().map(|p| p.name().to_string()).collect();
    let schema = entente_store::draws_parquet::run_draws_schema(&[], &params);
    s.push_str(
        "## Draws\n\n\
         A run's `draws.parquet` (and `draws.csv` with `--csv`), Python's `Run.draws` (a pyarrow\n\
         Table with the same schema), R's `read_run(dir)$draws`: one row per draw, option, year,\n\
         state and metric, then every parameter's value in the draw. The file's metadata holds\n\
         `entente.version`, `entente.run_id` and `entente.seed`; two runs of the same scenario,\n\
         seed and design hold the same rows but for `run_id`.\n\n",
    );
    let fixed = DRAWS_FIXED.iter().map(|(c, m)| (*c, (*m).to_string()));
    let per_param = Param::ALL.iter().map(|p| {
        (
            p.name(),
            format!(
                "parameter drawn for this draw ({}; default prior: {})",
                p.basis().name(),
                p.source()
            ),
        )
    });
    let meanings: Vec<(&str, String)> = fixed.chain(per_param).collect();
    table(
        &mut s,
        &["column", "Arrow type", "meaning"],
        schema.fields().iter().map(|f| {
            let m = meanings
                .iter()
                .find(|(c, _)| *c == f.name())
                .map_or(String::new(), |(_, m)| m.clone());
            let nullable = if f.is_nullable() { ", nullable" } else { "" };
            vec![code(f.name()), format!("{}{nullable}", f.data_type()), m]
        }),
    );
    s.push_str(
        "### Metrics\n\n\
         What `metric` can be, with the unit of `value`, the level of `state` and the years (each\n\
         run's `codebook.csv` gives its own years and one `claim:<id>` row per claim).\n\n",
    );
    s.push_str(&crate::codebook::markdown());
    s.push_str(
        "\n## Claims\n\n\
         A run's `claims.csv`, Python's `Run.claims`, R's `read_run(dir)$claims`: one row per claim.\n\n",
    );
    table(
        &mut s,
        &["column", "meaning"],
        CLAIMS_COLUMNS
            .iter()
            .map(|c| vec![code(c), claims_meaning(c).to_string()]),
    );
    s.push_str(
        "The run store (`out/entente.sqlite`: `runs` and `claims` tables; R's `runs()`) is\n\
         described in docs/outputs.md.\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claims_column_has_a_meaning() {
        for c in CLAIMS_COLUMNS {
            assert!(!claims_meaning(c).is_empty(), "{c}");
        }
    }

    #[test]
    fn every_draws_column_has_a_meaning() {
        let doc = codebook_md();
        for p in Param::ALL {
            assert!(doc.contains(&format!("| `{}` | Float64 | parameter", p.name())));
        }
        assert!(doc.contains("| `value` | Float64, nullable |"));
    }
}
