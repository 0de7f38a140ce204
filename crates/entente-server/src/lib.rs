//! Entente's dashboard: `entente serve` answers a JSON API (docs/api.md, and
//! `/api/openapi.json`) and serves a page, embedded in the binary, that shows a
//! run on a map, an alignment network, spending fan charts and the claims
//! table, and starts new runs with live progress.
//!
//! - [`config`]: [`ServerConfig`] and the [`Limits`] every request is held to.
//! - [`api`]: the routes ([`router`]) and their handlers.
//! - [`jobs`]: runs started from the page, in a bounded queue, with progress.
//! - [`catalog`]: the scenarios a request may name (looked up, never opened).
//! - [`map`]: which world-map feature is which state.
//! - [`assets`]: the page and vendored libraries, embedded at build time.
//! - [`files`]: a run's files for download, by a fixed table of names.
//! - [`error`]: [`ApiError`], every error answered as JSON.
//! - [`listen`]: the accept loop ([`serve_on`]): hyper, its limits and timeouts,
//!   graceful shutdown.
//! - [`head`]: request heads held to the [`Limits`], refused in JSON.
//!
//! The server does no modelling of its own: runs go through the same
//! `entente-core` engine and `entente-report` outputs as `entente run`, and
//! land in the same run store.
//!
//! ```
//! use entente_server::{map, Limits};
//!
//! // Requests are bounded: a run asks for at most this many Saltelli base samples.
//! assert_eq!(Limits::default().max_base_samples, 64);
//! // Map features without an ISO code are matched by name, normalised like this.
//! assert_eq!(map::normalise_name("Bosnia & Herz."), "bosniaandherz");
//! ```

pub mod api;
pub mod assets;
pub mod catalog;
pub mod config;
pub mod error;
pub mod files;
pub mod head;
pub mod jobs;
pub mod listen;
pub mod map;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use entente_core::hazard::Coefficients;
use entente_core::world::Archive;
use entente_store::{RunStore, StoreError};

pub use api::router;
pub use catalog::Catalog;
pub use config::{InitialRun, Limits, ServerConfig};
pub use error::ApiError;
pub use listen::serve_on;

/// An error starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: cannot create: {source}", path.display())]
    OutDir {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("worker threads: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
    #[error("embedded map: {0}")]
    Map(#[from] entente_report::atlas::AtlasError),
    #[error("initial run: {0}")]
    InitialRun(#[source] error::ApiError),
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Summaries kept in memory (each is some tens of kilobytes).
const SUMMARY_CACHE: usize = 32;

/// What every handler shares.
pub struct Ctx {
    pub archive: Archive,
    pub coefficients: Coefficients,
    pub catalog: Catalog,
    pub config: ServerConfig,
    pub jobs: jobs::Jobs,
    pub pool: rayon::ThreadPool,
    store: Mutex<RunStore>,
    features: Vec<map::Feature>,
    /// Serialised answers, shared by every request that asks again.
    maps: Mutex<HashMap<i32, axum::body::Bytes>>,
    summaries: Mutex<HashMap<String, axum::body::Bytes>>,
}

impl Ctx {
    /// Open the run store (marking runs whose process died as interrupted) and
    /// get ready to serve.
    pub fn new(
        archive: Archive,
        coefficients: Coefficients,
        catalog: Catalog,
        config: ServerConfig,
    ) -> Result<Ctx, ServerError> {
        for dir in [config.store.parent(), Some(config.out_dir.as_path())]
            .into_iter()
            .flatten()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|source| ServerError::OutDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let store = RunStore::open(&config.store)?;
        store.mark_stale_running_as_interrupted()?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.threads)
            .thread_name(|i| format!("entente-draws-{i}"))
            .build()?;
        let topology: serde_json::Value =
            serde_json::from_str(entente_report::atlas::TOPOLOGY_JSON)
                .map_err(entente_report::atlas::AtlasError::from)?;
        let features = map::features(&topology)?;
        Ok(Ctx {
            archive,
            coefficients,
            catalog,
            jobs: jobs::Jobs::new(config.limits.concurrent_runs, config.limits.queued_runs),
            config,
            pool,
            store: Mutex::new(store),
            features,
            maps: Mutex::new(HashMap::new()),
            summaries: Mutex::new(HashMap::new()),
        })
    }

    /// Use the run store (one connection, shared; every use is short).
    pub fn store<T>(
        &self,
        f: impl FnOnce(&mut RunStore) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // The store holds no invariant across calls that a panic could break.
        let mut s = self.store.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut s)
    }

    /// Whether the store holds a complete run of `scenario` with a summary.
    pub fn has_complete_run(&self, scenario: &str) -> Result<bool, StoreError> {
        Ok(self.store(|s| s.list_runs())?.iter().any(|r| {
            r.meta.scenario == scenario
                && r.status == entente_store::Status::Complete
                && r.meta.out_dir.join(entente_report::SUMMARY_FILE).is_file()
        }))
    }

    /// Queue the flagship when the store has no complete run of it.
    pub fn initial_run(self: &Arc<Ctx>) -> Result<Option<Arc<jobs::Job>>, ServerError> {
        let Some(entry) = self.catalog.get(api::FLAGSHIP_NAME) else {
            return Ok(None);
        };
        let InitialRun::IfNoneStored { base_samples } = self.config.initial_run else {
            return Ok(None);
        };
        if self.has_complete_run(api::FLAGSHIP_NAME)? {
            return Ok(None);
        }
        let mut sc = entry.scenario.clone();
        if let Some(n) = base_samples {
            sc.experiment.base_samples = n.max(2);
        }
        let job = self
            .jobs
            .submit(self.clone(), sc, entry.text.clone())
            .map_err(ServerError::InitialRun)?;
        Ok(Some(job))
    }
}

/// Listen on `ctx.config.addr` and serve until Ctrl-C. `on_ready` receives the
/// bound address (the port may have been 0).
pub async fn serve(
    ctx: Arc<Ctx>,
    on_ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), ServerError> {
    let addr = ctx.config.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    let bound = listener.local_addr()?;
    ctx.initial_run()?;
    on_ready(bound);
    serve_on(listener, ctx, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}
