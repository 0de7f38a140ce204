//! `entente power`: capability shares, power projected into a region, bloc
//! balances, and the comparison with the Lowy Asia Power Index.

use anyhow::Context;
use entente_core::ids::Ccode;
use entente_core::power::{self, DistanceMeasure, PowerConfig};
use entente_core::world::World;

use super::world::{select, DataArgs};
use crate::output::{Cell, Format, Rows};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    pub year: i32,
    /// A region (a group such as `indo-pacific`): power is projected into its states.
    #[arg(long)]
    pub region: Option<String>,
    /// Miles per day of the loss-of-strength gradient.
    #[arg(long, default_value_t = 250.0)]
    pub miles_per_day: f64,
    #[arg(long, value_enum, default_value_t = Distance::Capital)]
    pub distance: Distance,
    /// Blocs of the balance table: `LABEL=TOKEN,...` (groups and states of the
    /// year; `-TOKEN` leaves members out), repeatable.
    #[arg(
        long = "bloc",
        default_values_t = [
            "NATO-Europe=NATO,-USA,-CAN".to_string(), "USA".into(), "IP4".into(), "CHN".into(),
            "RUS".into(), "PRK".into(), "ASEAN".into(), "IND".into(),
        ]
    )]
    pub blocs: Vec<String>,
    /// States to list (default: every state, ranked).
    #[arg(long, value_delimiter = ',')]
    pub actors: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Distance {
    Capital,
    Minimum,
}

/// The blocs of the balance table: `LABEL=TOKEN,TOKEN,...`, each token an
/// actor or group resolved in the year, `-TOKEN` to leave members out; a bare
/// token is a bloc of its own.
fn blocs_of(
    specs: &[String],
    world: &World,
    archive: &entente_core::world::Archive,
) -> anyhow::Result<Vec<(String, Vec<Ccode>)>> {
    let mut out = Vec::new();
    for spec in specs {
        let (label, tokens) = spec
            .split_once('=')
            .unwrap_or((spec.as_str(), spec.as_str()));
        let (mut keep, mut drop): (Vec<Ccode>, Vec<Ccode>) = (Vec::new(), Vec::new());
        for t in tokens.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (list, t) = match t.strip_prefix('-') {
                Some(rest) => (&mut drop, rest),
                None => (&mut keep, t),
            };
            list.extend(
                world
                    .resolve(t, archive)
                    .with_context(|| format!("--bloc `{spec}`"))?,
            );
        }
        keep.retain(|c| !drop.contains(c));
        keep.dedup();
        out.push((label.to_string(), keep));
    }
    Ok(out)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if !(args.miles_per_day > 0.0 && args.miles_per_day.is_finite()) {
        anyhow::bail!("--miles-per-day must be a positive number");
    }
    let data = args.data.load()?;
    let world = World::for_year(&data.archive, args.year).context("--year")?;
    let cfg = PowerConfig {
        miles_per_day: args.miles_per_day,
        distance: match args.distance {
            Distance::Capital => DistanceMeasure::Capital,
            Distance::Minimum => DistanceMeasure::Minimum,
        },
    };
    let (region_name, region) = match &args.region {
        Some(r) => {
            let states = world.resolve(r, &data.archive)?;
            (r.clone(), states)
        }
        None => ("world".to_string(), Vec::new()),
    };
    let rows = if region.is_empty() {
        world
            .states
            .iter()
            .map(|s| power::RegionalPower {
                ccode: s.ccode,
                world_share: s.cinc_est.value,
                projected: s.cinc_est.value,
                region_share: s.cinc_est.value,
            })
            .collect()
    } else {
        power::regional(&world, &region, &cfg)
    };
    let blocs = power::blocs(&rows, &blocs_of(&args.blocs, &world, &data.archive)?);

    // Lowy comparison over states both cover.
    let mut pairs: Vec<(String, f64, f64)> = Vec::new();
    for l in &data.lowy {
        let ours = rows
            .iter()
            .find(|r| r.ccode == l.ccode)
            .and_then(|r| r.region_share);
        if let (Some(score), Some(ours)) = (l.score, ours) {
            pairs.push((world.label(l.ccode), score, ours));
        }
    }
    let lowy_x: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let ours_y: Vec<f64> = pairs.iter().map(|p| p.2).collect();
    let rho = power::spearman(&lowy_x, &ours_y);
    let lowy_rank = power::ranks_desc(&lowy_x);
    let our_rank = power::ranks_desc(&ours_y);

    let selected: Vec<Ccode> = if args.actors.is_empty() {
        let mut v: Vec<&power::RegionalPower> = rows.iter().collect();
        v.sort_by(|a, b| {
            b.region_share
                .unwrap_or(-1.0)
                .total_cmp(&a.region_share.unwrap_or(-1.0))
        });
        v.iter().map(|r| r.ccode).collect()
    } else {
        select(&world, &data.archive, &args.actors)?
    };
    let mut states = Rows::new(vec![
        "year",
        "ccode",
        "iso3",
        "name",
        "world_share",
        "projected_power",
        "region_share",
        "lowy_score_2024",
    ]);
    for c in &selected {
        let Some(r) = rows.iter().find(|r| r.ccode == *c) else {
            continue;
        };
        let s = world.state(*c);
        states.push(vec![
            Cell::Int(world.year.into()),
            Cell::Int(c.0.into()),
            Cell::str(world.label(*c)),
            Cell::str(s.map_or("", |s| s.name.as_str())),
            Cell::Num(r.world_share),
            Cell::Num(r.projected),
            Cell::Num(r.region_share),
            Cell::Num(
                data.lowy
                    .iter()
                    .find(|l| l.ccode == *c)
                    .and_then(|l| l.score),
            ),
        ]);
    }
    let mut bloc_rows = Rows::new(vec!["bloc", "members", "world_share", "region_share"]);
    for b in &blocs {
        bloc_rows.push(vec![
            Cell::str(&b.name),
            Cell::Int(b.members.len() as i64),
            Cell::Num(Some(b.world_share)),
            Cell::Num(Some(b.region_share)),
        ]);
    }
    let mut lowy_rows = Rows::new(vec![
        "iso3",
        "lowy_score",
        "lowy_rank",
        "entente_share",
        "entente_rank",
    ]);
    for (k, p) in pairs.iter().enumerate() {
        lowy_rows.push(vec![
            Cell::str(&p.0),
            Cell::Num(Some(p.1)),
            Cell::Num(Some(lowy_rank[k])),
            Cell::Num(Some(p.2)),
            Cell::Num(Some(our_rank[k])),
        ]);
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Csv => states.write(Format::Csv, &mut out)?,
        Format::Json => {
            let mut buf = Vec::new();
            states.write(Format::Json, &mut buf)?;
            let st: serde_json::Value = serde_json::from_slice(&buf)?;
            buf.clear();
            bloc_rows.write(Format::Json, &mut buf)?;
            let bl: serde_json::Value = serde_json::from_slice(&buf)?;
            buf.clear();
            lowy_rows.write(Format::Json, &mut buf)?;
            let lo: serde_json::Value = serde_json::from_slice(&buf)?;
            let v = serde_json::json!({
                "year": world.year,
                "region": region_name,
                "miles_per_day": cfg.miles_per_day,
                "distance": format!("{:?}", args.distance).to_lowercase(),
                "blocs": bl,
                "states": st,
                "lowy": {"spearman_rho": rho, "n": pairs.len(), "states": lo},
            });
            serde_json::to_writer_pretty(&mut out, &v)?;
            use std::io::Write;
            writeln!(out)?;
        }
        Format::Table => {
            use std::io::Write;
            writeln!(
                out,
                "Power in {} ({}), {} miles/day, {:?} distances; shares of projected capability\n",
                region_name, world.year, cfg.miles_per_day, args.distance
            )?;
            bloc_rows.write(Format::Table, &mut out)?;
            writeln!(out)?;
            let top = if args.actors.is_empty() {
                25
            } else {
                usize::MAX
            };
            let mut shown = states.clone();
            shown.rows.truncate(top);
            shown
                .select(&[
                    "iso3",
                    "name",
                    "world_share",
                    "projected_power",
                    "region_share",
                    "lowy_score_2024",
                ])
                .write(Format::Table, &mut out)?;
            writeln!(out)?;
            match rho {
                Some(r) => writeln!(
                    out,
                    "Lowy Asia Power Index 2024 against Entente's {} share: Spearman rho = {r:.3} over {} states",
                    region_name,
                    pairs.len()
                )?,
                None => writeln!(out, "Lowy comparison: too few states in common")?,
            }
            lowy_rows.write(Format::Table, &mut out)?;
        }
    }
    Ok(())
}
