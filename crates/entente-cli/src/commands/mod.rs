//! One module per subcommand.

pub mod bdm;
pub mod world;
