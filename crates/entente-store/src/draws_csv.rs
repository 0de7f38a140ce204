//! Draws as CSV: the same columns as the Parquet file, in its order, `NA` for a missing value
//! (and for `block` outside a Saltelli design).
//!
//! Numbers are written in Rust's shortest round-trip form (`0.1`, `1e-7`), infinities as
//! `Inf`/`-Inf` and NaN as `NaN`, spellings both R's `read.csv` and pandas parse.

use std::path::Path;

use crate::atomic::{flush, write_atomically};
use crate::draws::{DrawTable, DESIGN_COLUMNS, FIXED_COLUMNS, RUN_COLUMNS};
use crate::StoreError;

/// A value as CSV text (`NA` if missing).
pub fn csv_number(value: Option<f64>) -> String {
    match value {
        None => "NA".to_owned(),
        Some(v) if v.is_nan() => "NaN".to_owned(),
        Some(v) if v == f64::INFINITY => "Inf".to_owned(),
        Some(v) if v == f64::NEG_INFINITY => "-Inf".to_owned(),
        // Debug, not Display: Display never uses an exponent (1e300 would be 301 digits).
        Some(v) => format!("{v:?}"),
    }
}

/// Writes `table` to `path` as CSV with a header row, atomically (via `path.tmp`).
pub fn write_draws_csv(path: impl AsRef<Path>, table: &DrawTable) -> Result<(), StoreError> {
    let path = path.as_ref();
    write_atomically(path, |out, path| {
        let csv_err = |source| StoreError::Csv {
            path: path.to_path_buf(),
            source,
        };
        let mut w = csv::Writer::from_writer(&mut *out);
        let run = table.run();
        // The same order as the Parquet file: run columns, draw, design columns, the rest.
        let (run_cols, design_cols): (&[&str], &[&str]) = match run {
            Some(_) => (&RUN_COLUMNS, &DESIGN_COLUMNS),
            None => (&[], &[]),
        };
        let header = run_cols
            .iter()
            .chain(&FIXED_COLUMNS[..1])
            .chain(design_cols)
            .chain(&FIXED_COLUMNS[1..])
            .copied()
            .chain(table.option_columns().iter().map(String::as_str))
            .chain(table.param_names().iter().map(String::as_str));
        w.write_record(header).map_err(csv_err)?;
        let mut record: Vec<String> = Vec::with_capacity(11 + table.param_names().len());
        for (i, row) in table.rows().enumerate() {
            record.clear();
            if let Some(r) = run {
                record.push(r.run_id.clone());
                record.push(r.seed.to_string());
            }
            record.push(row.draw.to_string());
            if run.is_some() {
                let d = table.design_at(i);
                record.push(d.map_or(0, |d| d.point).to_string());
                record.push(d.map_or(0, |d| d.replication).to_string());
                record.push(
                    d.and_then(|d| d.block.clone())
                        .unwrap_or_else(|| "NA".to_owned()),
                );
            }
            record.push(row.option.to_owned());
            record.push(row.year.to_string());
            record.push(row.state.to_owned());
            record.push(row.metric.to_owned());
            record.push(csv_number(row.value));
            record.extend(
                (0..table.option_columns().len())
                    .map(|j| table.option_value_at(i, j).unwrap_or("NA").to_owned()),
            );
            record.extend(row.params.iter().map(|&p| csv_number(Some(p))));
            w.write_record(&record).map_err(csv_err)?;
        }
        w.flush()
            .map_err(|e| StoreError::io(path, "cannot write", e))?;
        drop(w);
        flush(out, path)
    })
}
