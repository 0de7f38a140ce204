//! One module per subcommand.

pub mod bdm;
pub mod power;
pub mod smp;
pub mod threat;
pub mod world;
