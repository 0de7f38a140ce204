//! One module per subcommand.

pub mod arms;
pub mod world;
