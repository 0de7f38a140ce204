//! The codebook of the tidy draws: what every `metric` of `draws.parquet`
//! measures, in which unit, at which level and for which years.
//!
//! [`CODEBOOK`] is the one table: [`crate::files::draws_table`] writes rows
//! only under its names, every run folder gets it as `codebook.csv` (with the
//! run's own years and claims), and docs/outputs.md reproduces
//! [`markdown`] (a test compares them).

use entente_core::scenario::{Metric, Scenario};

/// What the `state` column of a metric's rows holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One row per actor: its ISO3 code (the COW abbreviation for a state without one).
    State,
    /// One row per alignment unit: a state's code, or a bloc's code from the
    /// scenario's `[framing]` (e.g. `NATO-Europe`).
    Unit,
    /// One row per option: `state` is empty.
    System,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::State => "state",
            Level::Unit => "unit",
            Level::System => "system",
        }
    }
}

/// Which years a metric has rows for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Years {
    /// Only the base year (computed from the base world).
    Base,
    /// Every year from the base year to the horizon.
    Path,
    /// Only the horizon year (computed from the option's world at the horizon).
    Horizon,
}

impl Years {
    /// In words, for the docs.
    pub fn describe(self) -> &'static str {
        match self {
            Years::Base => "base year",
            Years::Path => "base year to horizon",
            Years::Horizon => "horizon year",
        }
    }

    /// The year of a single-year metric in a scenario (`None` for a path).
    pub fn year(self, sc: &Scenario) -> Option<i32> {
        match self {
            Years::Base => Some(sc.base_year),
            Years::Horizon => Some(horizon_year(sc)),
            Years::Path => None,
        }
    }

    /// The years of a scenario, as codebook.csv writes them (`2024`, `2024-2034`).
    pub fn span(self, sc: &Scenario) -> String {
        match self.year(sc) {
            Some(y) => y.to_string(),
            None => format!("{}-{}", sc.base_year, horizon_year(sc)),
        }
    }
}

/// The scenario's last year.
pub fn horizon_year(sc: &Scenario) -> i32 {
    sc.base_year + sc.horizon_years as i32
}

/// A metric's name: fixed, or one per claim (`claim:<id>`) carrying the claim's metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    Row(&'static str),
    /// `claim:<id>` for each modelled claim whose metric is this one.
    Claim(Metric),
}

/// One entry of the codebook.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: Name,
    pub unit: &'static str,
    pub level: Level,
    pub years: Years,
    pub meaning: &'static str,
}

const fn row(
    name: &'static str,
    unit: &'static str,
    level: Level,
    years: Years,
    meaning: &'static str,
) -> Entry {
    Entry {
        name: Name::Row(name),
        unit,
        level,
        years,
        meaning,
    }
}

const fn claim(m: Metric, unit: &'static str, meaning: &'static str) -> Entry {
    Entry {
        name: Name::Claim(m),
        unit,
        level: Level::System,
        years: Years::Horizon,
        meaning,
    }
}

/// Spending path rows.
pub const MILEX: &str = "milex_const2023_usd_m";
/// Threat felt, per state.
pub const THREAT: &str = "threat";
/// Share of the framing region's power, per state.
pub const REGION_SHARE: &str = "region_share";
/// Side in the alignment ground state, per unit.
pub const COALITION: &str = "coalition";
/// The bargaining forecast.
pub const BARGAINING: &str = "bargaining_median";

/// Every metric of the tidy draws. Per claim, the value is the claim's metric
/// in one option of one draw (not yet the paired difference).
pub const CODEBOOK: &[Entry] = &[
    row(MILEX, "constant 2023 US$ million", Level::State, Years::Path,
        "military spending projected by the spending model (actors with a SIPRI baseline only)"),
    row(THREAT, "probability 0-1", Level::State, Years::Horizon,
        "threat felt (theta): probability that the state is in at least one new dispute in the year, in the option's world at the horizon"),
    row(REGION_SHARE, "share 0-1", Level::State, Years::Base,
        "share of the framing region's power projected by the state (loss-of-strength gradient at the draw's miles_per_day); the same in every option"),
    row(COALITION, "place 0, 1 or 2", Level::Unit, Years::Horizon,
        "place of the alignment unit in the landscape's ground state: 0 west (the side of the framing's west state), 1 east (the side of its east state), 2 unaligned"),
    row(BARGAINING, "issue scale 0-100", Level::System, Years::Base,
        "bargaining forecast: weighted median position on the scenario's issue after the rounds"),
    claim(Metric::MilexHorizon, "constant 2023 US$ million",
        "military spending at the horizon, summed over the claim's states"),
    claim(Metric::Threat, "probability 0-1",
        "threat felt at the horizon, mean over the claim's states"),
    claim(Metric::ThreatFrom, "probability 0-1 (summed over sources)",
        "threat to the claim's states from its sources (sum of dyadic threats), mean over the states"),
    claim(
        Metric::ThreatFromNonPartners,
        "probability 0-1",
        "direct threat to the claim's states from the actors that are their partners in no option (1 - prod(1 - direct)), mean over the states",
    ),
    claim(Metric::BlocCohesion, "propensity (unitless)",
        "mean alignment propensity among the claim's states"),
    claim(Metric::Division, "probability 0-2/3",
        "division of the claim's states across west, east and unaligned: the chance two of them picked at random stand in different places (0 all in one, 2/3 evenly spread)"),
    claim(Metric::SameSide, "0 or 1",
        "1 when the claim's states all stand on one side (west or east, not unaligned), else 0"),
    claim(Metric::CoalitionPowerShare, "share of regional power (0 to about 1)",
        "regional power share of the claim's states plus their defence allies' at the draw's reliability"),
    claim(Metric::BargainingMedian, "issue scale 0-100",
        "the bargaining forecast on the scenario's issue"),
    claim(Metric::WarheadsHorizon, "warheads (count)",
        "nuclear stockpile at the horizon projected by the warhead model, summed over the claim's states with an arsenal"),
];

/// Where a claim metric's entry sits in [`CODEBOOK`]. The match is
/// exhaustive, so a new [`Metric`] does not compile until it has its row (a
/// test checks each index names its metric).
const fn claim_row(m: Metric) -> usize {
    match m {
        Metric::MilexHorizon => 5,
        Metric::Threat => 6,
        Metric::ThreatFrom => 7,
        Metric::ThreatFromNonPartners => 8,
        Metric::BlocCohesion => 9,
        Metric::Division => 10,
        Metric::SameSide => 11,
        Metric::CoalitionPowerShare => 12,
        Metric::BargainingMedian => 13,
        Metric::WarheadsHorizon => 14,
    }
}

/// The entry of a claim's metric.
pub fn claim_entry(m: Metric) -> &'static Entry {
    &CODEBOOK[claim_row(m)]
}

/// The draws metric a claim's values are written under.
pub fn claim_metric(id: &str) -> String {
    format!("claim:{id}")
}

/// The codebook as a Markdown table (docs/outputs.md reproduces it).
pub fn markdown() -> String {
    let mut s = String::from(
        "| metric | unit | level | years | meaning |\n| --- | --- | --- | --- | --- |\n",
    );
    for e in CODEBOOK {
        let name = match e.name {
            Name::Row(n) => format!("`{n}`"),
            Name::Claim(m) => format!("`claim:<id>` (metric `{}`)", m.name()),
        };
        s.push_str(&format!(
            "| {name} | {} | {} | {} | {} |\n",
            e.unit,
            e.level.name(),
            e.years.describe(),
            e.meaning
        ));
    }
    s
}

/// One row of a run's codebook.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct CodebookRow {
    pub metric: String,
    pub unit: String,
    pub level: &'static str,
    pub years: String,
    pub meaning: String,
}

/// The codebook of a run of `sc`: the fixed metrics, then one row per modelled claim.
pub fn rows(sc: &Scenario) -> Vec<CodebookRow> {
    let mut out = Vec::new();
    for e in CODEBOOK {
        if let Name::Row(n) = e.name {
            out.push(CodebookRow {
                metric: n.to_string(),
                unit: e.unit.to_string(),
                level: e.level.name(),
                years: e.years.span(sc),
                meaning: e.meaning.to_string(),
            });
        }
    }
    for c in &sc.claims {
        let Some(m) = c.metric else { continue };
        let e = claim_entry(m);
        out.push(CodebookRow {
            metric: claim_metric(&c.id),
            unit: e.unit.to_string(),
            level: e.level.name(),
            years: e.years.span(sc),
            meaning: format!(
                "claim `{}` (metric {}: {}), {} vs {}: {}",
                c.id,
                m.name(),
                e.meaning,
                c.treatment,
                c.baseline,
                c.text
            ),
        });
    }
    out
}

/// The entry of a fixed metric.
///
/// # Panics
/// When `name` is not a fixed metric of [`CODEBOOK`] (a programming error:
/// callers pass its constants).
pub fn entry(name: &str) -> &'static Entry {
    CODEBOOK
        .iter()
        .find(|e| matches!(e.name, Name::Row(n) if n == name))
        .unwrap_or_else(|| panic!("`{name}` is not in the codebook"))
}
