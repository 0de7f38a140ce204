//! `entente serve`: the web dashboard over the run store.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use entente_server::{Catalog, Ctx, InitialRun, Limits, ServerConfig};

use super::run::StoreArgs;
use super::world::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. Loopback by default: the dashboard has no login.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Folder of extra scenario files (*.toml) the page may run, by their `name`.
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
    /// Folder for the outputs of runs started from the page.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Do not run the flagship at start when the store has no run of it.
    #[arg(long)]
    pub no_initial_run: bool,
    /// Base samples of that first flagship run (default: the scenario's own).
    #[arg(long, conflicts_with = "no_initial_run")]
    pub initial_base_samples: Option<usize>,
    /// Runs executing at once (others queue).
    #[arg(long, default_value_t = 1)]
    pub concurrent_runs: usize,
    /// Runs that may wait in the queue; beyond it requests get 429.
    #[arg(long, default_value_t = 4)]
    pub queued_runs: usize,
    /// Largest base sample a run from the page may ask for.
    #[arg(long, default_value_t = 64)]
    pub max_base_samples: usize,
    /// Seconds a client has to send a request head; slower first heads get a 408.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// Seconds a client has to send the body of a run request; slower gets a 408.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout: u64,
    /// Worker threads for a run's draws (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let data = args.data.load()?;
    let mut catalog = Catalog::flagship(&data.archive)?;
    if let Some(dir) = &args.scenarios {
        let n = catalog.add_dir(dir, &data.archive)?;
        eprintln!("{n} scenario(s) from {}", dir.display());
    }
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach it can read runs and start them (no login)",
            args.bind
        );
    }
    let config = ServerConfig {
        addr: SocketAddr::new(args.bind, args.port),
        store: args.store.path.clone(),
        out_dir: args.out.clone(),
        threads: args.threads.unwrap_or(0),
        limits: Limits {
            max_base_samples: args.max_base_samples,
            concurrent_runs: args.concurrent_runs,
            queued_runs: args.queued_runs,
            header_read_timeout: Duration::from_secs(args.header_timeout),
            body_read_timeout: Duration::from_secs(args.body_timeout),
            ..Limits::default()
        },
        initial_run: if args.no_initial_run {
            InitialRun::Never
        } else {
            InitialRun::IfNoneStored {
                base_samples: args.initial_base_samples,
            }
        },
    };
    let ctx = Arc::new(Ctx::new(
        data.archive,
        data.hazard_coefficients,
        catalog,
        config,
    )?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    rt.block_on(entente_server::serve(ctx, |addr| {
        // The first line of stdout is the address (scripts read it when --port 0).
        println!("Entente dashboard: http://{addr}/");
        eprintln!("run store: {}; Ctrl-C stops", args.store.path.display());
    }))?;
    Ok(())
}
