//! Loaders for Entente's bundled data and for users' input files.
//!
//! Parsers here take text plus the name to report it under, and return plain
//! records for `entente-core` or a [`DataError`] naming file, line and field.
//!
//! Modules:
//! - [`error`]: the error type.
//! - [`ktab`]: KTAB's SMP scenario CSV ([`ktab::parse_ktab_smp`]).
//!
//! ```
//! let text = "S,d,3,1\nActor,Desc,Power,Issue,Sal\nA,,100,20,80\nB,,60,50,80\nC,,40,90,80\n";
//! let s = entente_data::ktab::parse_ktab_smp(text, "toy.csv").unwrap();
//! assert_eq!(s.actors[2].position, vec![0.9]);
//! ```

pub mod error;
pub mod ktab;

pub use error::DataError;
