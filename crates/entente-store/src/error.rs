//! Typed errors. Every error about a file names it, so a user can find the file
//! (a draws file, a `.tmp` left behind, the run database) without a backtrace.

use std::path::PathBuf;

/// An error building a draws table, writing or reading an output file, or using the run store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The operating system refused a file operation (create, write, rename, read).
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// The Parquet library failed writing or reading the file.
    #[error("{}: parquet: {source}", path.display())]
    Parquet {
        path: PathBuf,
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// Arrow could not assemble or decode a batch of the file.
    #[error("{}: arrow: {source}", path.display())]
    Arrow {
        path: PathBuf,
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// Arrow could not assemble a batch of draws in memory.
    #[error("draws: arrow: {0}")]
    Batch(#[source] arrow_schema::ArrowError),
    /// The CSV writer failed.
    #[error("{}: csv: {source}", path.display())]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    /// A file read back does not have the draws layout (missing column, wrong type, bad row).
    #[error("{}: not a draws file: {message}", path.display())]
    Layout { path: PathBuf, message: String },
    /// A row read back that the draws table refuses (its own [`StoreError::Table`]).
    #[error("{}: not a draws file: row {row}: {source}", path.display())]
    Row {
        path: PathBuf,
        row: usize,
        #[source]
        source: Box<StoreError>,
    },
    /// A row or a parameter list that does not fit the table (before any file is involved).
    #[error("draws table: {0}")]
    Table(String),
    /// SQLite failed on the run database.
    #[error("{}: sqlite: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// The run database was written by a newer Entente (schema version above ours).
    #[error("{}: run database schema version {found} is newer than this Entente supports ({supported}); upgrade Entente", path.display())]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// No run with that id in the run database.
    #[error("{}: no run with id `{id}`", path.display())]
    UnknownRun { path: PathBuf, id: String },
    /// A run database row holds a value this version cannot interpret.
    #[error("{}: run `{id}`: {message}", path.display())]
    BadRecord {
        path: PathBuf,
        id: String,
        message: String,
    },
    /// An operation on a run that its status does not allow (finishing a run twice).
    #[error("{}: run `{id}`: {message}", path.display())]
    RunState {
        path: PathBuf,
        id: String,
        message: String,
    },
}

impl StoreError {
    pub(crate) fn io(
        path: impl Into<PathBuf>,
        action: &'static str,
        source: std::io::Error,
    ) -> Self {
        StoreError::Io {
            path: path.into(),
            action,
            source,
        }
    }

    pub(crate) fn layout(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        StoreError::Layout {
            path: path.into(),
            message: message.into(),
        }
    }
}
