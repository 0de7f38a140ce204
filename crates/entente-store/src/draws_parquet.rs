//! Draws as Parquet (snappy), readable by R's `arrow::read_parquet` and `pandas.read_parquet`.
//!
//! Column types: `draw` UInt32, `option` dictionary-encoded string (a factor in R, a
//! categorical in pandas), `year` Int32, `state` and `metric` strings, `value` nullable
//! Float64, then one Float64 per parameter. Written in batches so peak memory stays near one
//! batch above the table itself.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, UInt32Type};
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray,
    UInt32Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::atomic::{flush, write_atomically};
use crate::draws::{DrawRow, DrawTable};
use crate::StoreError;

/// Rows per Arrow batch handed to the Parquet writer.
const BATCH_ROWS: usize = 1 << 16;

/// Key of the file metadata entry holding the Entente version that wrote the file.
pub const VERSION_KEY: &str = "entente.version";

/// The Arrow schema of a draws file with these parameter columns.
pub fn draws_schema(param_names: &[String]) -> SchemaRef {
    draws_schema_with(&[], param_names)
}

/// The Arrow schema of a draws file with these option columns (nullable strings, after the
/// fixed columns) and parameter columns.
pub fn draws_schema_with(option_columns: &[String], param_names: &[String]) -> SchemaRef {
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let mut fields = vec![
        Field::new("draw", DataType::UInt32, false),
        Field::new("option", dict, false),
        Field::new("year", DataType::Int32, false),
        Field::new("state", DataType::Utf8, false),
        Field::new("metric", DataType::Utf8, false),
        Field::new("value", DataType::Float64, true),
    ];
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
    let schema = draws_schema_with(table.option_columns(), table.param_names());
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![KeyValue::new(
            VERSION_KEY.to_owned(),
            env!("CARGO_PKG_VERSION").to_owned(),
        )]))
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
    let schema = draws_schema_with(table.option_columns(), table.param_names());
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
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(UInt32Array::from(
            table.draw_column()[rows.clone()].to_vec(),
        )),
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
    ];
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
        let mut params = Vec::new();
        let mut param_names = Vec::new();
        let (mut options, mut option_names) = (Vec::new(), Vec::new());
        for (i, field) in schema.fields().iter().enumerate() {
            if fixed.contains(&i) {
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
        table
            .push(DrawRow {
                draw,
                option: opt,
                year,
                state: state.get(i).ok_or_else(|| missing("state"))?,
                metric: metric.get(i).ok_or_else(|| missing("metric"))?,
                value: (!value.is_null(i)).then(|| value.value(i)),
                params: &row_params,
            })
            .map_err(|e| StoreError::Row {
                path: path.to_path_buf(),
                row,
                source: Box::new(e),
            })?;
    }
    Ok(())
}
