//! Draws as Parquet (snappy), readable by R's `arrow::read_parquet` and `pandas.read_parquet`.
//!
//! Column types: for a table that knows its run, `run_id` (dictionary-encoded string) and
//! `seed` (UInt64) first; `draw` UInt32; then, for a table that knows its run, the design
//! columns `point` and `replication` (UInt32) and `block` (dictionary-encoded, null outside
//! a Saltelli design); `option` dictionary-encoded string (a factor in R, a categorical in
//! pandas), `year` Int32, `state` and `metric` strings, `value` nullable Float64, then
//! option columns (strings) and one Float64 per parameter. The file's key-value metadata
//! holds the writing version (`entente.version`) and, with a run, `entente.run_id` and
//! `entente.seed`. Written in batches so peak memory stays near one batch above the table
//! itself.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, UInt32Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray,
    UInt32Array, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::atomic::{flush, write_atomically};
use crate::draws::{DrawDesign, DrawRow, DrawTable, RunIdentity};
use crate::StoreError;

/// Rows per Arrow batch handed to the Parquet writer.
const BATCH_ROWS: usize = 1 << 16;

/// Key of the file metadata entry holding the Entente version that wrote the file.
pub const VERSION_KEY: &str = "entente.version";
/// Key of the file metadata entry holding the run id (a table that knows its run).
pub const RUN_ID_KEY: &str = "entente.run_id";
/// Key of the file metadata entry holding the seed (a table that knows its run).
pub const SEED_KEY: &str = "entente.seed";

/// The Arrow schema of a draws file with these parameter columns.
pub fn draws_schema(param_names: &[String]) -> SchemaRef {
    draws_schema_with(&[], param_names)
}

/// The Arrow schema of a draws file with these option columns (nullable strings, after the
/// fixed columns) and parameter columns.
pub fn draws_schema_with(option_columns: &[String], param_names: &[String]) -> SchemaRef {
    schema(false, option_columns, param_names)
}

/// The Arrow schema of a draws file of a table that knows its run ([`DrawTable::with_run`]):
/// the run and design columns too.
pub fn run_draws_schema(option_columns: &[String], param_names: &[String]) -> SchemaRef {
    schema(true, option_columns, param_names)
}

/// The schema `table` is written with.
pub fn draws_schema_of(table: &DrawTable) -> SchemaRef {
    schema(
        table.run().is_some(),
        table.option_columns(),
        table.param_names(),
    )
}

fn schema(run: bool, option_columns: &[String], param_names: &[String]) -> SchemaRef {
    let dict = || DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let mut fields = Vec::new();
    if run {
        fields.push(Field::new("run_id", dict(), false));
        fields.push(Field::new("seed", DataType::UInt64, false));
    }
    fields.push(Field::new("draw", DataType::UInt32, false));
    if run {
        fields.push(Field::new("point", DataType::UInt32, false));
        fields.push(Field::new("replication", DataType::UInt32, false));
        fields.push(Field::new("block", dict(), true));
    }
    fields.extend([
        Field::new("option", dict(), false),
        Field::new("year", DataType::Int32, false),
        Field::new("state", DataType::Utf8, false),
        Field::new("metric", DataType::Utf8, false),
        Field::new("value", DataType::Float64, true),
    ]);
    fields.extend(
        option_columns
            .iter()
            .map(|c| Field::new(c.as_str(), DataType::Utf8, true)),
    );
    fields.extend(
        param_names
            .iter()
            .map(|p| Field::new(p.as_str(), DataType::Float64, false)),
    );
    Arc::new(Schema::new(fields))
}

/// Writes `table` to `path` as Parquet, atomically (via `path.tmp`).
pub fn write_draws_parquet(path: impl AsRef<Path>, table: &DrawTable) -> Result<(), StoreError> {
    let path = path.as_ref();
    let schema = draws_schema_of(table);
    let mut metadata = vec![KeyValue::new(
        VERSION_KEY.to_owned(),
        env!("CARGO_PKG_VERSION").to_owned(),
    )];
    if let Some(run) = table.run() {
        metadata.push(KeyValue::new(RUN_ID_KEY.to_owned(), run.run_id.clone()));
        metadata.push(KeyValue::new(SEED_KEY.to_owned(), run.seed.to_string()));
    }
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(metadata))
        .build();
    let pq = |source| StoreError::Parquet {
        path: path.to_path_buf(),
        source,
    };
    let arrow = |source| StoreError::Arrow {
        path: path.to_path_buf(),
        source,
    };
    write_atomically(path, |out, path| {
        let mut writer =
            ArrowWriter::try_new(&mut *out, schema.clone(), Some(props)).map_err(pq)?;
        // The whole dictionary goes with every batch; keys index into it.
        let dictionary: ArrayRef = Arc::new(StringArray::from_iter_values(table.options()));
        let mut start = 0;
        while start < table.len() {
            let end = (start + BATCH_ROWS).min(table.len());
            let batch = batch(table, start..end, &schema, &dictionary).map_err(arrow)?;
            writer.write(&batch).map_err(pq)?;
            start = end;
        }
        writer.close().map_err(pq)?;
        flush(out, path)
    })
}

/// The draws as the Arrow batches [`write_draws_parquet`] writes (same schema, same rows per
/// batch, the options' dictionary shared), for readers in memory (Python's `Run.draws`).
pub fn draws_batches(table: &DrawTable) -> Result<(SchemaRef, Vec<RecordBatch>), StoreError> {
    let schema = draws_schema_of(table);
    let dictionary: ArrayRef = Arc::new(StringArray::from_iter_values(table.options()));
    let mut out = Vec::with_capacity(table.len().div_ceil(BATCH_ROWS));
    let mut start = 0;
    while start < table.len() {
        let end = (start + BATCH_ROWS).min(table.len());
        out.push(batch(table, start..end, &schema, &dictionary).map_err(StoreError::Batch)?);
        start = end;
    }
    Ok((schema, out))
}

fn batch(
    table: &DrawTable,
    rows: std::ops::Range<usize>,
    schema: &SchemaRef,
    dictionary: &ArrayRef,
) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let keys: Int32Array = table.option_codes()[rows.clone()]
        .iter()
        // Codes are < options().len(), which a Vec<String> of i32::MAX entries never reaches
        // before memory does; saturate rather than wrap, and let try_new reject it.
        .map(|&c| i32::try_from(c).unwrap_or(i32::MAX))
        .collect();
    let mut columns: Vec<ArrayRef> = Vec::new();
    if let Some(run) = table.run() {
        let n = rows.len();
        columns.push(Arc::new(DictionaryArray::<Int32Type>::try_new(
            Int32Array::from(vec![0; n]),
            Arc::new(StringArray::from_iter_values([run.run_id.as_str()])),
        )?));
        columns.push(Arc::new(UInt64Array::from(vec![run.seed; n])));
    }
    columns.push(Arc::new(UInt32Array::from(
        table.draw_column()[rows.clone()].to_vec(),
    )));
    if table.run().is_some() {
        let design = |i: usize| table.design_at(i);
        columns.push(Arc::new(UInt32Array::from_iter_values(
            rows.clone().map(|i| design(i).map_or(0, |d| d.point)),
        )));
        columns.push(Arc::new(UInt32Array::from_iter_values(
            rows.clone().map(|i| design(i).map_or(0, |d| d.replication)),
        )));
        // Blocks repeat for every row of a draw: a dictionary of the distinct ones.
        let mut names: Vec<&str> = Vec::new();
        let keys: Int32Array = rows
            .clone()
            .map(|i| {
                let b = design(i)?.block.as_deref()?;
                let k = names.iter().position(|n| *n == b).unwrap_or_else(|| {
                    names.push(b);
                    names.len() - 1
                });
                i32::try_from(k).ok()
            })
            .collect();
        columns.push(Arc::new(DictionaryArray::<Int32Type>::try_new(
            keys,
            Arc::new(StringArray::from_iter_values(names)),
        )?));
    }
    columns.extend::<[ArrayRef; 5]>([
        Arc::new(DictionaryArray::<Int32Type>::try_new(
            keys,
            dictionary.clone(),
        )?),
        Arc::new(Int32Array::from(table.year_column()[rows.clone()].to_vec())),
        Arc::new(StringArray::from_iter_values(
            rows.clone().map(|i| table.state_at(i)),
        )),
        Arc::new(StringArray::from_iter_values(
            rows.clone().map(|i| table.metric_at(i)),
        )),
        Arc::new(Float64Array::from(
            table.value_column()[rows.clone()].to_vec(),
        )),
    ]);
    for j in 0..table.option_columns().len() {
        columns.push(Arc::new(StringArray::from_iter(
            rows.clone().map(|i| table.option_value_at(i, j)),
        )));
    }
    for j in 0..table.param_names().len() {
        columns.push(Arc::new(Float64Array::from_iter_values(
            rows.clone().map(|i| table.param_at(i, j)),
        )));
    }
    RecordBatch::try_new(schema.clone(), columns)
}

/// Reads a draws Parquet file (as written by [`write_draws_parquet`]) back into a table.
///
/// `option` may be dictionary-encoded or plain strings (so files re-saved by R or pandas load
/// too); of the columns after the six fixed ones, strings are option columns (each option's
/// values the same on all its rows) and the others Float64 parameters.
pub fn read_draws_parquet(path: impl AsRef<Path>) -> Result<DrawTable, StoreError> {
    let path = path.as_ref();
    let pq = |source| StoreError::Parquet {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(|e| StoreError::io(path, "cannot open", e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(pq)?;
    let schema = builder.schema().clone();
    let layout = Layout::of(&schema, path)?;
    let reader = builder.build().map_err(pq)?;
    let mut table = DrawTable::new(layout.param_names.clone())?
        .with_option_columns(layout.option_names.clone())?;
    let mut first_row = 0usize;
    for batch in reader {
        let batch = batch.map_err(|source| StoreError::Arrow {
            path: path.to_path_buf(),
            source,
        })?;
        table.reserve(batch.num_rows());
        read_batch(&batch, &layout, first_row, path, &mut table)?;
        first_row += batch.num_rows();
    }
    Ok(table)
}

/// Where each column of a draws file is.
struct Layout {
    fixed: [usize; 6],
    /// `run_id`, `seed`, `point`, `replication`, `block`, when the file knows its run.
    run: Option<[usize; 5]>,
    options: Vec<usize>,
    option_names: Vec<String>,
    params: Vec<usize>,
    param_names: Vec<String>,
}

impl Layout {
    fn of(schema: &Schema, path: &Path) -> Result<Layout, StoreError> {
        let mut fixed = [0usize; 6];
        for (k, name) in crate::draws::FIXED_COLUMNS.iter().enumerate() {
            fixed[k] = schema
                .index_of(name)
                .map_err(|_| StoreError::layout(path, format!("no `{name}` column")))?;
        }
        let run_names = crate::draws::RUN_COLUMNS
            .iter()
            .chain(&crate::draws::DESIGN_COLUMNS);
        let found: Vec<Option<usize>> =
            run_names.clone().map(|n| schema.index_of(n).ok()).collect();
        let run = if found.iter().all(Option::is_none) {
            None
        } else {
            let mut at = [0usize; 5];
            for (k, (name, i)) in run_names.zip(&found).enumerate() {
                at[k] = i.ok_or_else(|| {
                    StoreError::layout(
                        path,
                        format!("no `{name}` column (a file with run columns has all of run_id, seed, point, replication and block)"),
                    )
                })?;
            }
            Some(at)
        };
        let mut params = Vec::new();
        let mut param_names = Vec::new();
        let (mut options, mut option_names) = (Vec::new(), Vec::new());
        for (i, field) in schema.fields().iter().enumerate() {
            if fixed.contains(&i) || run.is_some_and(|r| r.contains(&i)) {
                continue;
            }
            if matches!(field.data_type(), DataType::Utf8 | DataType::Dictionary(..)) {
                options.push(i);
                option_names.push(field.name().clone());
                continue;
            }
            if field.data_type() != &DataType::Float64 {
                return Err(StoreError::layout(
                    path,
                    format!(
                        "parameter column `{}` is {}, not Float64",
                        field.name(),
                        field.data_type()
                    ),
                ));
            }
            params.push(i);
            param_names.push(field.name().clone());
        }
        Ok(Layout {
            fixed,
            run,
            options,
            option_names,
            params,
            param_names,
        })
    }
}

/// A string column as plain or dictionary-encoded (Int32 keys) Utf8.
enum Strings<'a> {
    Plain(&'a StringArray),
    Dict(&'a Int32Array, &'a StringArray),
}

impl<'a> Strings<'a> {
    fn of(col: &'a ArrayRef, name: &str, path: &Path) -> Result<Strings<'a>, StoreError> {
        if let Some(s) = col.as_string_opt::<i32>() {
            return Ok(Strings::Plain(s));
        }
        if let Some(d) = col.as_dictionary_opt::<Int32Type>() {
            if let Some(values) = d.values().as_string_opt::<i32>() {
                return Ok(Strings::Dict(d.keys(), values));
            }
        }
        Err(StoreError::layout(
            path,
            format!("column `{name}` is {}, not a string", col.data_type()),
        ))
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Strings::Plain(s) => (!s.is_null(i)).then(|| s.value(i)),
            Strings::Dict(keys, values) => {
                if keys.is_null(i) {
                    return None;
                }
                let k = usize::try_from(keys.value(i)).ok()?;
                (k < values.len() && !values.is_null(k)).then(|| values.value(k))
            }
        }
    }
}

fn read_batch(
    batch: &RecordBatch,
    layout: &Layout,
    first_row: usize,
    path: &Path,
    table: &mut DrawTable,
) -> Result<(), StoreError> {
    let col = |k: usize| batch.column(layout.fixed[k]);
    let wrong =
        |name: &str, want: &str| StoreError::layout(path, format!("column `{name}` is not {want}"));
    let draw = col(0)
        .as_primitive_opt::<UInt32Type>()
        .ok_or_else(|| wrong("draw", "UInt32"))?;
    let option = Strings::of(col(1), "option", path)?;
    let year = col(2)
        .as_primitive_opt::<Int32Type>()
        .ok_or_else(|| wrong("year", "Int32"))?;
    let state = Strings::of(col(3), "state", path)?;
    let metric = Strings::of(col(4), "metric", path)?;
    let value = col(5)
        .as_any()
        .downcast_ref::<Float64Array>()
        .ok_or_else(|| wrong("value", "Float64"))?;
    let params: Vec<&Float64Array> = layout
        .params
        .iter()
        .filter_map(|&i| batch.column(i).as_any().downcast_ref::<Float64Array>())
        .collect();
    if params.len() != layout.params.len() {
        return Err(StoreError::layout(
            path,
            "a parameter column is not Float64",
        ));
    }
    let option_cols: Vec<Strings> = layout
        .options
        .iter()
        .zip(&layout.option_names)
        .map(|(&i, name)| Strings::of(batch.column(i), name, path))
        .collect::<Result<_, _>>()?;
    let run = match layout.run {
        None => None,
        Some(at) => {
            let c = |k: usize| batch.column(at[k]);
            let u32s = |k: usize, name: &str| {
                c(k).as_primitive_opt::<UInt32Type>()
                    .ok_or_else(|| wrong(name, "UInt32"))
            };
            Some((
                Strings::of(c(0), "run_id", path)?,
                c(1).as_primitive_opt::<UInt64Type>()
                    .ok_or_else(|| wrong("seed", "UInt64"))?,
                u32s(2, "point")?,
                u32s(3, "replication")?,
                Strings::of(c(4), "block", path)?,
            ))
        }
    };
    let mut row_params = vec![0.0; params.len()];
    for i in 0..batch.num_rows() {
        let row = first_row + i + 1;
        let missing = |name: &str| StoreError::layout(path, format!("row {row}: `{name}` is null"));
        let draw = (!draw.is_null(i))
            .then(|| draw.value(i))
            .ok_or_else(|| missing("draw"))?;
        let year = (!year.is_null(i))
            .then(|| year.value(i))
            .ok_or_else(|| missing("year"))?;
        for (j, p) in params.iter().enumerate() {
            if p.is_null(i) {
                return Err(missing(&layout.param_names[j]));
            }
            row_params[j] = p.value(i);
        }
        let opt = option.get(i).ok_or_else(|| missing("option"))?;
        if !option_cols.is_empty() {
            let values: Vec<Option<String>> = option_cols
                .iter()
                .map(|c| c.get(i).map(str::to_owned))
                .collect();
            if values.iter().any(Option::is_some) {
                table
                    .set_option_values(opt, values)
                    .map_err(|e| StoreError::Row {
                        path: path.to_path_buf(),
                        row,
                        source: Box::new(e),
                    })?;
            }
        }
        let at_row = |e: StoreError| StoreError::Row {
            path: path.to_path_buf(),
            row,
            source: Box::new(e),
        };
        let row_state = state.get(i).ok_or_else(|| missing("state"))?;
        let row_metric = metric.get(i).ok_or_else(|| missing("metric"))?;
        let row_value = (!value.is_null(i)).then(|| value.value(i));
        let Some((run_id, seed, point, replication, block)) = &run else {
            table
                .push(DrawRow {
                    draw,
                    option: opt,
                    year,
                    state: row_state,
                    metric: row_metric,
                    value: row_value,
                    params: &row_params,
                })
                .map_err(at_row)?;
            continue;
        };
        let identity = RunIdentity {
            run_id: run_id.get(i).ok_or_else(|| missing("run_id"))?.to_owned(),
            seed: (!seed.is_null(i))
                .then(|| seed.value(i))
                .ok_or_else(|| missing("seed"))?,
        };
        match table.run() {
            None if table.is_empty() => table.set_run(identity).map_err(at_row)?,
            Some(known) if *known == identity => {}
            known => {
                return Err(StoreError::layout(
                    path,
                    format!(
                        "row {row}: run {} seed {} differs from the first row's ({:?})",
                        identity.run_id, identity.seed, known
                    ),
                ))
            }
        }
        let design = DrawDesign {
            point: (!point.is_null(i))
                .then(|| point.value(i))
                .ok_or_else(|| missing("point"))?,
            replication: (!replication.is_null(i))
                .then(|| replication.value(i))
                .ok_or_else(|| missing("replication"))?,
            block: block.get(i).map(str::to_owned),
        };
        table
            .begin_draw_in(draw, design, &row_params)
            .and_then(|mut rows| rows.push(opt, year, row_state, row_metric, row_value))
            .map_err(at_row)?;
    }
    Ok(())
}
