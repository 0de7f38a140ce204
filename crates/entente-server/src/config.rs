//! What an operator can set: where to listen, where runs are recorded, and the
//! limits that keep one request from taking the server.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Bounds on what a request may ask for. Beyond them the answer is a 4xx, not
/// a queue that never drains.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest Saltelli base sample a run may ask for (draws = base x (k + 2)).
    pub max_base_samples: usize,
    /// Largest number of draws a run may make (whatever the parameter count).
    pub max_draws: usize,
    /// Largest number of actors a scenario run from the page may have.
    pub max_actors: usize,
    /// Runs executing at once; the rest wait in the queue.
    pub concurrent_runs: usize,
    /// Runs waiting beyond the executing ones; more get 429.
    pub queued_runs: usize,
    /// Largest request body.
    pub body_bytes: usize,
    /// Longest request target (the path and query of the request line); more is a 414.
    pub uri_bytes: usize,
    /// Largest request head (request line and headers); more is a 431.
    pub header_bytes: usize,
    /// Most header lines in a request; more is a 431.
    pub headers: usize,
    /// Time a client has to send a whole request head. A first request slower than
    /// this gets a 408 and the connection is closed; a later one on a kept-alive
    /// connection is closed without an answer (hyper's own timeout).
    pub header_read_timeout: Duration,
    /// Time a client has to send the body of `POST /api/runs`; slower gets a 408.
    pub body_read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_base_samples: 64,
            max_draws: 1024,
            max_actors: 200,
            concurrent_runs: 1,
            queued_runs: 4,
            body_bytes: 16 * 1024,
            uri_bytes: 8 * 1024,
            header_bytes: 32 * 1024,
            headers: 100,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
        }
    }
}

/// Whether the server runs the flagship at start when the store has no run of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitialRun {
    /// Run the flagship when the store has no complete run of it, with the
    /// scenario's own base samples or the given ones.
    IfNoneStored { base_samples: Option<usize> },
    /// Start idle.
    Never,
}

/// The server's settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub addr: SocketAddr,
    /// The SQLite run store (shared with `entente run`).
    pub store: PathBuf,
    /// Folder under which runs started from the page write their outputs.
    pub out_dir: PathBuf,
    /// Worker threads for the draws of a run (0: all cores).
    pub threads: usize,
    pub limits: Limits,
    pub initial_run: InitialRun,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080),
            store: PathBuf::from("out/entente.sqlite"),
            out_dir: PathBuf::from("out"),
            threads: 0,
            limits: Limits::default(),
            initial_run: InitialRun::IfNoneStored { base_samples: None },
        }
    }
}
