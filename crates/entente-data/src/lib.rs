//! Loaders for Entente's bundled data and for users' input files.
//!
//! Parsers here take text plus the name to report it under, and return plain
//! records for `entente-core` or a [`DataError`] naming file, line and field.

pub mod error;
pub mod ktab;

pub use error::DataError;
