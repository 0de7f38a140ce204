//! Typed errors for everything read from a file.
//!
//! Every error names the file and, where there is one, the line (1-based, as an
//! editor shows it) and the field, so a user can go straight to the problem.

use std::path::Path;

/// An error reading or parsing an input or data file.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A problem with one field of one line.
    #[error("{file}:{line}: field `{field}`: {message}")]
    Field {
        file: String,
        line: u64,
        field: String,
        message: String,
    },
    /// A field that is not an ISO 3166 alpha-3 code.
    #[error("{file}:{line}: field `{field}`: {source}")]
    Iso3 {
        file: String,
        line: u64,
        field: String,
        #[source]
        source: entente_core::ids::BadIso3,
    },
    /// A problem with one line as a whole (wrong number of fields, bad quoting).
    #[error("{file}:{line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
    /// A problem with the file as a whole (missing column, empty file).
    #[error("{file}: {message}")]
    File { file: String, message: String },
    /// The CSV reader failed (bad quoting, unreadable bytes), at a line when it knows one;
    /// `what` says what was being read (`"cannot read the header: "`).
    #[error("{file}{}: {what}{source}", at_line(*.line))]
    Csv {
        file: String,
        line: Option<u64>,
        what: &'static str,
        #[source]
        source: csv::Error,
    },
    /// The file could not be read at all.
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

impl DataError {
    pub fn field(
        file: impl Into<String>,
        line: u64,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        DataError::Field {
            file: file.into(),
            line,
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn line(file: impl Into<String>, line: u64, message: impl Into<String>) -> Self {
        DataError::Line {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        DataError::File {
            file: file.into(),
            message: message.into(),
        }
    }

    /// A CSV reader's error at the line it reports (0 when it reports none).
    pub fn csv(file: impl Into<String>, what: &'static str, source: csv::Error) -> Self {
        DataError::Csv {
            file: file.into(),
            line: Some(source.position().map_or(0, |p| p.line())),
            what,
            source,
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Self {
        DataError::Io {
            file: path.display().to_string(),
            source,
        }
    }
}

fn at_line(line: Option<u64>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

/// Read a whole file as UTF-8 text, with the error naming the file.
pub fn read_text(path: &Path) -> Result<String, DataError> {
    std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))
}
