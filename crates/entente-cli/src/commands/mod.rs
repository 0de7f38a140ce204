//! One module per subcommand.

pub mod smp;
pub mod world;
