//! `entente threat`: threat felt by each state, and its change (by source and
//! by channel: partners, non-partners, entrapment) when pacts are added to or
//! removed from the world.

use anyhow::Context;
use entente_core::hazard::fit::{self, FitConfig, Fitted};
use entente_core::ids::Ccode;
use entente_core::sources::ObligationKind;
use entente_core::threat::{self, ThreatConfig};
use entente_core::world::{Archive, World};

use super::world::{select, DataArgs};
use crate::output::{Cell, Format, Rows};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    pub year: i32,
    /// Add a multilateral pact: members joined by `+`, then `:` and the
    /// obligation, e.g. `NATO+IP4:defence` (all NATO and IP4 states bound to each
    /// other). Repeatable.
    #[arg(long = "add-pact", value_name = "SIDES:KIND")]
    pub add_pact: Vec<String>,
    /// Remove an obligation between sides (not within a side), e.g.
    /// `TUR+NATO:defence` for Turkey leaving NATO's defence. Repeatable.
    #[arg(long = "drop-pact", value_name = "SIDES:KIND")]
    pub drop_pact: Vec<String>,
    /// States whose threat is computed, and the sources counted (default: the
    /// flagship's set: NATO, IP4, China, Russia, North Korea, ASEAN, India, Taiwan).
    #[arg(long, value_delimiter = ',')]
    pub actors: Vec<String>,
    /// How many largest sources to list per state.
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

/// A parsed `--add-pact`/`--drop-pact` value.
pub struct PactSpec {
    pub sides: Vec<Vec<Ccode>>,
    pub kinds: Vec<ObligationKind>,
}

/// Parse `A+B+C:kind[,kind]` against `world`, reporting every problem at once.
pub fn parse_pact(spec: &str, world: &World, archive: &Archive) -> anyhow::Result<PactSpec> {
    let (sides_txt, kinds_txt) = spec
        .split_once(':')
        .with_context(|| format!("`{spec}`: expected SIDES:KIND, e.g. NATO+IP4:defence"))?;
    let mut errors = Vec::new();
    let mut kinds = Vec::new();
    for k in kinds_txt
        .split([',', '|'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        match ObligationKind::parse(k) {
            Some(o) => kinds.push(o),
            None => errors.push(format!(
                "`{k}` is not an obligation ({})",
                ObligationKind::ALL.map(|o| o.name()).join(", ")
            )),
        }
    }
    if kinds.is_empty() && errors.is_empty() {
        errors.push("no obligation after `:`".into());
    }
    let mut sides = Vec::new();
    for tok in sides_txt
        .split('+')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        match world.resolve(tok, archive) {
            Ok(v) if v.is_empty() => {
                errors.push(format!("`{tok}` has no members in {}", world.year))
            }
            Ok(v) => sides.push(v),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let distinct: std::collections::BTreeSet<Ccode> = sides.iter().flatten().copied().collect();
    if errors.is_empty() && (sides.len() < 2 || distinct.len() < 2) {
        errors.push("a pact needs members on at least two sides, e.g. NATO+JPN".into());
    }
    if !errors.is_empty() {
        anyhow::bail!("pact `{spec}`: {}", errors.join("; "));
    }
    Ok(PactSpec { sides, kinds })
}

/// The default actors: the flagship scenario's groups and states, as they
/// stand in the year.
pub const DEFAULT_ACTORS: [&str; 8] = ["NATO", "IP4", "ASEAN", "CHN", "RUS", "PRK", "IND", "TWN"];

/// [`DEFAULT_ACTORS`] resolved in `world`, leaving out what is not a state that year.
pub fn default_actors(world: &World, archive: &Archive) -> Vec<Ccode> {
    let mut v: Vec<Ccode> = DEFAULT_ACTORS
        .iter()
        .flat_map(|t| world.resolve(t, archive).unwrap_or_default())
        .collect();
    v.retain(|c| world.state(*c).is_some());
    v.sort_unstable();
    v.dedup();
    v
}

/// The dispute hazard refit on the data up to `year` (or the dispute data's
/// end, or at least the first 20 years of the sample), with a note of the years.
pub fn fitted_hazard(archive: &Archive, year: i32) -> anyhow::Result<(Fitted, String)> {
    let last = archive
        .coverage()
        .disputes_last
        .context("the dispute data are empty")?;
    let until = year.min(last).max(fit::FIRST_YEAR + 20);
    let f = fit::fit(archive, FitConfig::until(until)).context("fitting the dispute hazard")?;
    let i = &f.model.info;
    let mut note = format!(
        "hazard: refit on {} politically relevant dyad-years {}-{} ({} onsets); joining rates {:.4} (defence), {:.4} (consultation)",
        i.dyad_years, i.first_year, i.last_year, i.onsets, f.joining_defence.rate, f.joining_consultation.rate
    );
    if until > year {
        note.push_str(&format!("; the fit uses years after {year}"));
    }
    Ok((f, note))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let archive = &data.archive;
    let world = World::for_year(archive, args.year).context("--year")?;
    let actors = if args.actors.is_empty() {
        default_actors(&world, archive)
    } else {
        select(&world, archive, &args.actors)?
    };
    let mut edited = world.clone();
    let mut pact_errors = Vec::new();
    for (i, spec) in args.add_pact.iter().enumerate() {
        match parse_pact(spec, &world, archive) {
            Ok(p) => {
                for k in &p.kinds {
                    edited.add_pact(&format!("added-{}", i + 1), &p.sides, *k);
                }
            }
            Err(e) => pact_errors.push(format!("--add-pact {e}")),
        }
    }
    for spec in &args.drop_pact {
        match parse_pact(spec, &world, archive) {
            Ok(p) => {
                for k in &p.kinds {
                    edited.remove_pact(&p.sides, *k);
                }
            }
            Err(e) => pact_errors.push(format!("--drop-pact {e}")),
        }
    }
    if !pact_errors.is_empty() {
        anyhow::bail!("{}", pact_errors.join("\n"));
    }
    let (fitted, note) = fitted_hazard(archive, world.year)?;
    let cfg = ThreatConfig::from_fit(&fitted);
    if args.data.verbose {
        eprintln!("note: {note}");
        for n in &world.notes {
            eprintln!("note: {n}");
        }
    }
    let before = threat::threat(archive, &world, &actors, &cfg);
    let edits = !(args.add_pact.is_empty() && args.drop_pact.is_empty());
    let after = if edits {
        threat::threat(archive, &edited, &actors, &cfg)
    } else {
        before.clone()
    };
    let mut changes = threat::compare(&before, &after);
    if edits {
        changes.sort_by(|a, b| {
            b.delta()
                .abs()
                .total_cmp(&a.delta().abs())
                .then(a.ccode.cmp(&b.ccode))
        });
    } else {
        changes.sort_by(|a, b| b.before.total_cmp(&a.before).then(a.ccode.cmp(&b.ccode)));
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.format == Format::Json {
        let states: Vec<serde_json::Value> = changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "iso3": world.label(c.ccode),
                    "ccode": c.ccode.0,
                    "theta": c.before,
                    "theta_after": c.after,
                    "delta": c.delta(),
                    "partners": c.partners,
                    "non_partners": c.non_partners,
                    "entrapment": c.entrapment,
                    "sources": c.sources.iter().map(|(s, v)| serde_json::json!({"iso3": world.label(*s), "delta": v})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = serde_json::json!({
            "year": world.year,
            "add_pact": args.add_pact,
            "drop_pact": args.drop_pact,
            "hazard": note,
            "states": states,
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        use std::io::Write;
        writeln!(out)?;
        return Ok(());
    }
    let mut rows = Rows::new(vec![
        "year",
        "iso3",
        "name",
        "theta",
        "theta_after",
        "delta",
        "partners",
        "non_partners",
        "entrapment",
        "top_sources",
    ]);
    for c in &changes {
        let top: Vec<String> = c
            .sources
            .iter()
            .take(args.top)
            .map(|(s, v)| format!("{}:{:+.2e}", world.label(*s), v))
            .collect();
        rows.push(vec![
            Cell::Int(world.year.into()),
            Cell::str(world.label(c.ccode)),
            Cell::str(world.state(c.ccode).map_or("", |s| s.name.as_str())),
            Cell::Num(Some(c.before)),
            Cell::Num(Some(c.after)),
            Cell::Num(Some(c.delta())),
            Cell::Num(Some(c.partners)),
            Cell::Num(Some(c.non_partners)),
            Cell::Num(Some(c.entrapment)),
            Cell::str(top.join(" ")),
        ]);
    }
    if args.format == Format::Table && !edits {
        rows = rows.select(&["iso3", "name", "theta"]);
    }
    rows.write(args.format, &mut out)
}
