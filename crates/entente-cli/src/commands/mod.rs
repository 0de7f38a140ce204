//! One module per subcommand.

pub mod world;
