//! One module per subcommand.

pub mod landscape;
pub mod maxcut;
pub mod world;
