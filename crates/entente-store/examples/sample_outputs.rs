//! Writes a small sample of every output file to a directory, to try the R and pandas recipes
//! in docs/outputs.md: `cargo run -p entente-store --example sample_outputs -- OUT_DIR`.

use std::path::PathBuf;

use entente_store::{
    write_draws_csv, write_draws_parquet, Claim, Direction, DrawTable, RunMeta, RunStore, Status,
    StoreError,
};

fn main() -> Result<(), StoreError> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "sample-out".into()),
    );
    std::fs::create_dir_all(&out).map_err(|e| StoreError::Io {
        path: out.clone(),
        action: "cannot create",
        source: e,
    })?;
    let mut store = RunStore::open(out.join("entente.sqlite"))?;
    store.mark_stale_running_as_interrupted()?;
    let id = store.start_run(&RunMeta::new("sample", "name: sample\n", 42, 3, &out))?;

    let mut table = DrawTable::new(["escalation_k", "alliance_weight"])?;
    for draw in 0..3u32 {
        let d = f64::from(draw);
        let mut rows = table.begin_draw(draw, &[0.5 + d / 4.0, 1.0 - d / 10.0])?;
        for option in ["baseline", "aukus_plus"] {
            for year in 2030..2032 {
                rows.push(option, year, "USA", "p_war", Some(0.1 + d / 100.0))?;
                rows.push(option, year, "CHN", "milex_usd_m", Some(300_000.0 + d))?;
                rows.push(option, year, "", "polarity", (draw != 1).then_some(2.0 + d))?;
            }
        }
    }
    write_draws_parquet(out.join("draws.parquet"), &table)?;
    write_draws_csv(out.join("draws.csv"), &table)?;
    store.put_claims(
        &id,
        &[Claim {
            claim: "war by 2031".into(),
            probability: 0.11,
            lo: 0.1,
            hi: 0.12,
            metric: "p_war".into(),
            threshold: 0.105,
            direction: Direction::Above,
            top_driver: Some("escalation_k".into()),
        }],
    )?;
    store.finish_run(&id, Status::Complete, Some("sample"))?;
    println!(
        "wrote {} rows and run {id} to {}",
        table.len(),
        out.display()
    );
    Ok(())
}
