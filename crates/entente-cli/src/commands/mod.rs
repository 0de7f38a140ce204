//! One module per subcommand.

pub mod power;
pub mod threat;
pub mod world;
