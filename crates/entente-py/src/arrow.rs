//! Tables handed to Python as Arrow: [`ArrowTable`] holds the engine's record batches and
//! exports them through the Arrow PyCapsule interface (`__arrow_c_stream__`), so
//! `pyarrow.table(t)` (or polars, or anything that speaks the interface) takes the buffers
//! without a copy. [`from_table`] turns a [`entente_report::tables::Table`] into one batch.

use std::ffi::CStr;
use std::sync::Arc;

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, RecordBatchIterator, StringArray,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use entente_report::tables::{Cell, Table};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

const STREAM: &CStr = c"arrow_array_stream";

/// Record batches with their schema, exported to Python through `__arrow_c_stream__`.
#[pyclass(frozen, module = "entente")]
pub struct ArrowTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> ArrowTable {
        ArrowTable { schema, batches }
    }
}

#[pymethods]
impl ArrowTable {
    /// Rows in all batches.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The column names.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The Arrow C stream of the batches, in a capsule (the Arrow PyCapsule interface).
    /// The batches' buffers are shared, not copied. A requested schema is ignored: the
    /// stream always has the engine's schema.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let reader = RecordBatchIterator::new(
            self.batches.clone().into_iter().map(Ok),
            self.schema.clone(),
        );
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        // The consumer moves the stream out (leaving its release empty); a stream never
        // consumed is released when the capsule is dropped (FFI_ArrowArrayStream's Drop).
        PyCapsule::new_with_value(py, stream, STREAM)
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowTable({} rows: {})",
            self.num_rows(),
            self.column_names().join(", ")
        )
    }
}

/// One batch of `t`: each column typed by its cells (numbers Float64 with missing as null,
/// integers Int64, booleans, strings with `NA` as null).
pub fn from_table(t: &Table) -> Result<ArrowTable, ArrowError> {
    let mut fields = Vec::with_capacity(t.headers.len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(t.headers.len());
    for (j, name) in t.headers.iter().enumerate() {
        let cells = t.rows.iter().map(|r| &r[j]);
        let (dt, col): (DataType, ArrayRef) = match t.rows.first().map(|r| &r[j]) {
            Some(Cell::Num(_)) => (
                DataType::Float64,
                Arc::new(
                    cells
                        .map(|c| match c {
                            Cell::Num(v) => *v,
                            Cell::Int(i) => Some(*i as f64),
                            _ => None,
                        })
                        .collect::<Float64Array>(),
                ),
            ),
            Some(Cell::Int(_)) => (
                DataType::Int64,
                Arc::new(
                    cells
                        .map(|c| match c {
                            Cell::Int(i) => Some(*i),
                            _ => None,
                        })
                        .collect::<Int64Array>(),
                ),
            ),
            Some(Cell::Bool(_)) => (
                DataType::Boolean,
                Arc::new(
                    cells
                        .map(|c| match c {
                            Cell::Bool(b) => Some(*b),
                            _ => None,
                        })
                        .collect::<BooleanArray>(),
                ),
            ),
            _ => (
                DataType::Utf8,
                Arc::new(
                    cells
                        .map(|c| match c {
                            Cell::Str(s) if s != "NA" => Some(s.clone()),
                            Cell::Num(Some(v)) => Some(v.to_string()),
                            Cell::Int(i) => Some(i.to_string()),
                            Cell::Bool(b) => Some(b.to_string()),
                            _ => None,
                        })
                        .collect::<StringArray>(),
                ),
            ),
        };
        fields.push(Field::new(*name, dt, true));
        columns.push(col);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = if t.headers.is_empty() {
        RecordBatch::new_empty(schema.clone())
    } else {
        RecordBatch::try_new(schema.clone(), columns)?
    };
    Ok(ArrowTable::new(schema, vec![batch]))
}
