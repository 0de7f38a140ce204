//! Loaders for Entente's bundled data and for users' input files.
//!
//! Parsers here take text plus the name to report it under, and return plain
//! records for `entente-core` or a [`DataError`] naming file, line and field.
//!
//! Modules:
//! - [`error`]: [`DataError`] and reading a file as text.
//! - [`bdm`]: the bargaining model's actors file (`Actor,Capability,Position,Salience`).
//!
//! ```
//! let text = "Actor,Capability,Position,Salience\nA,1,0,0.5\nB,2,10,0.8\n";
//! let input = entente_data::bdm::parse_actors(text, "actors.csv").unwrap();
//! assert_eq!(input.names(), ["A", "B"]);
//! let err = entente_data::bdm::parse_actors("Actor,Capability,Position,Salience\nA,1,0,0.5\n", "x.csv");
//! assert!(err.unwrap_err().to_string().contains("at least two"));
//! ```

pub mod bdm;
pub mod error;

pub use error::DataError;
