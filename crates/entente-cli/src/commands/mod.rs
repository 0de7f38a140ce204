//! One module per subcommand.

pub mod arms;
pub mod bdm;
pub mod calibrate;
pub mod cite;
pub mod hazard;
pub mod hindcast;
pub mod landscape;
pub mod maxcut;
pub mod power;
pub mod run;
pub mod serve;
pub mod smp;
pub mod threat;
pub mod world;
