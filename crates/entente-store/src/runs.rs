//! The run record: one SQLite file listing every Monte Carlo run and the claims it supports.
//!
//! Tables (schema version 2, kept in `PRAGMA user_version` and migrated on open):
//! - `runs`: id, scenario, scenario_sha256, seed, draws, shard, version, started_at,
//!   finished_at, status, out_dir, message, host, pid, pid_start, kind (`run` or
//!   `hindcast`; added in version 2, older rows are runs).
//! - `claims`: run_id, claim, probability, lo, hi, metric, threshold, direction, top_driver.
//!
//! Stale runs: a run still `running` whose process is gone was killed (or its machine
//! rebooted). [`RunStore::mark_stale_running_as_interrupted`] marks a run `interrupted` when
//! its recorded host is this host and its pid no longer exists, is a zombie, or now belongs
//! to a process with another start time (pid reuse). Runs of other hosts, or on systems
//! without `/proc`, are left `running`: nothing local can prove them dead.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use crate::process::{Liveness, ProcessId};
use crate::time::{iso8601_utc, now_iso8601_utc, unix_now};
use crate::StoreError;

/// Version 2: what a run computed, so hindcasts and runs share the store.
const SCHEMA_V2: &str = "
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'hindcast'));
";

/// The schema version this code writes; `open` migrates older files up to it.
pub const SCHEMA_VERSION: i64 = 2;

const SCHEMA_V1: &str = "
CREATE TABLE runs (
    id              TEXT PRIMARY KEY,
    scenario        TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL,
    seed            INTEGER NOT NULL,
    draws           INTEGER NOT NULL,
    shard           TEXT,
    version         TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    status          TEXT NOT NULL
                    CHECK (status IN ('running', 'complete', 'failed', 'interrupted')),
    out_dir         TEXT NOT NULL,
    message         TEXT,
    host            TEXT NOT NULL,
    pid             INTEGER NOT NULL,
    pid_start       TEXT
);
CREATE INDEX runs_status ON runs (status);
CREATE TABLE claims (
    run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    claim       TEXT NOT NULL,
    probability REAL NOT NULL,
    lo          REAL NOT NULL,
    hi          REAL NOT NULL,
    metric      TEXT NOT NULL,
    threshold   REAL NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('above', 'below')),
    top_driver  TEXT,
    PRIMARY KEY (run_id, claim)
);
";

/// How long a writer waits for another process's lock (shards share one file).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The id of a run: `YYYYMMDDTHHMMSSZ-xxxxxxxx` (start time, then 8 hex digits hashed from the
/// seed, the time in nanoseconds, the pid and a counter). Sorts by start time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(String);

impl RunId {
    /// A fresh id for a run of `seed` starting now, before it is recorded: the run's folder
    /// carries it, so [`RunStore::start_run_as`] can record the folder with the id.
    pub fn generate(seed: u64) -> RunId {
        new_run_id(seed, &iso8601_utc(unix_now()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for RunId {
    fn from(s: &str) -> RunId {
        RunId(s.to_owned())
    }
}

impl From<String> for RunId {
    fn from(s: String) -> RunId {
        RunId(s)
    }
}

/// Which part of a sharded run this process computes: shard `index` of `count` (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Parses `i/n` as stored in the `shard` column.
    pub fn parse(s: &str) -> Option<Shard> {
        let (i, n) = s.split_once('/')?;
        Some(Shard {
            index: i.parse().ok()?,
            count: n.parse().ok()?,
        })
    }
}

/// A run's state. `running` until the run finishes (`complete` or `failed`) or is found dead
/// (`interrupted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Running,
    Complete,
    Failed,
    Interrupted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Complete => "complete",
            Status::Failed => "failed",
            Status::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "running" => Status::Running,
            "complete" => Status::Complete,
            "failed" => Status::Failed,
            "interrupted" => Status::Interrupted,
            _ => return None,
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a run computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunKind {
    /// Every option of a scenario, with its claims (`entente run`, `merge`, the server).
    #[default]
    Run,
    /// The scenario's chain from a past base year scored against history
    /// (`entente hindcast`: hindcast.json, hindcast.html, forecast.csv).
    Hindcast,
}

impl RunKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RunKind::Run => "run",
            RunKind::Hindcast => "hindcast",
        }
    }

    pub fn parse(s: &str) -> Option<RunKind> {
        match s {
            "run" => Some(RunKind::Run),
            "hindcast" => Some(RunKind::Hindcast),
            _ => None,
        }
    }
}

/// What the engine knows when a run starts.
#[derive(Debug, Clone, PartialEq)]
pub struct RunMeta {
    /// Scenario name (as the scenario file states it, or its file name).
    pub scenario: String,
    /// sha256 of the scenario file's text, lower-case hex ([`sha256_hex`]).
    pub scenario_sha256: String,
    pub seed: u64,
    pub draws: u32,
    pub shard: Option<Shard>,
    /// Entente's version; [`RunMeta::new`] fills in this build's.
    pub version: String,
    /// Directory the run writes its files to.
    pub out_dir: PathBuf,
    pub kind: RunKind,
}

impl RunMeta {
    /// Metadata for a run of the scenario whose file holds `scenario_text`.
    pub fn new(
        scenario: impl Into<String>,
        scenario_text: &str,
        seed: u64,
        draws: u32,
        out_dir: impl Into<PathBuf>,
    ) -> RunMeta {
        RunMeta {
            scenario: scenario.into(),
            scenario_sha256: sha256_hex(scenario_text),
            seed,
            draws,
            shard: None,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            out_dir: out_dir.into(),
            kind: RunKind::Run,
        }
    }

    /// The same record for a hindcast.
    pub fn hindcast(mut self) -> RunMeta {
        self.kind = RunKind::Hindcast;
        self
    }

    /// The same run restricted to one shard.
    pub fn with_shard(mut self, shard: Shard) -> RunMeta {
        self.shard = Some(shard);
        self
    }
}

/// Lower-case hex sha256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One row of `runs`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub id: RunId,
    pub meta: RunMeta,
    /// ISO 8601 UTC.
    pub started_at: String,
    /// ISO 8601 UTC; `None` while running, and for an interrupted run (its end is unknown).
    pub finished_at: Option<String>,
    pub status: Status,
    pub message: Option<String>,
    /// The process that ran it.
    pub process: ProcessId,
}

/// Which side of the threshold a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The metric exceeds the threshold.
    Above,
    /// The metric falls below the threshold.
    Below,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Above => "above",
            Direction::Below => "below",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "above" => Some(Direction::Above),
            "below" => Some(Direction::Below),
            _ => None,
        }
    }
}

/// A probabilistic claim a run supports: P(metric is `direction` `threshold`) = `probability`,
/// with interval `[lo, hi]`, and the parameter that moves it most.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The claim's name or sentence; unique within a run.
    pub claim: String,
    pub probability: f64,
    pub lo: f64,
    pub hi: f64,
    pub metric: String,
    pub threshold: f64,
    pub direction: Direction,
    /// Parameter with the largest influence on the outcome, if computed.
    pub top_driver: Option<String>,
}

/// The run database.
#[derive(Debug)]
pub struct RunStore {
    conn: Connection,
    path: PathBuf,
}

static ID_COUNTER: AtomicU64 = AtomicU64::new(0);

impl RunStore {
    /// Opens (creating if needed) the run database at `path` and migrates its schema.
    pub fn open(path: impl AsRef<Path>) -> Result<RunStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(|source| StoreError::Sqlite {
            path: path.clone(),
            source,
        })?;
        let mut store = RunStore { conn, path };
        store.configure_and_migrate()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn configure_and_migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(sql)?;
        // IMMEDIATE: two processes opening a new file at once must not both create the tables.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                path,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version < 1 {
            tx.execute_batch(SCHEMA_V1).map_err(sql)?;
        }
        // Later versions, in order.
        if version < 2 {
            tx.execute_batch(SCHEMA_V2).map_err(sql)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Records a new run as `running`, owned by this process, and returns its id.
    pub fn start_run(&self, meta: &RunMeta) -> Result<RunId, StoreError> {
        let id = RunId::generate(meta.seed);
        self.start_run_as(&id, meta)?;
        Ok(id)
    }

    /// Records a new run as `running` under an id from [`RunId::generate`] (an id already
    /// recorded is an error: ids are primary keys).
    pub fn start_run_as(&self, id: &RunId, meta: &RunMeta) -> Result<(), StoreError> {
        let started_at = iso8601_utc(unix_now());
        let me = ProcessId::current();
        self.conn
            .execute(
                "INSERT INTO runs (id, scenario, scenario_sha256, seed, draws, shard, version,
                                   started_at, status, out_dir, host, pid, pid_start, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'running', ?9, ?10, ?11, ?12, ?13)",
                params![
                    id.as_str(),
                    meta.scenario,
                    meta.scenario_sha256,
                    // SQLite integers are i64: seeds above 2^63 are stored as their two's
                    // complement and read back exactly.
                    meta.seed as i64,
                    meta.draws,
                    meta.shard.map(|s| s.to_string()),
                    meta.version,
                    started_at,
                    meta.out_dir.to_string_lossy(),
                    me.host,
                    me.pid,
                    me.start,
                    meta.kind.as_str(),
                ],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// Ends a run: `complete` or `failed` (or `interrupted`, e.g. on Ctrl-C), with an optional
    /// message (the error, a summary). A run can be finished only while `running`, or after
    /// being marked `interrupted` by mistake (its process evidently lives).
    pub fn finish_run(
        &self,
        id: &RunId,
        status: Status,
        message: Option<&str>,
    ) -> Result<(), StoreError> {
        if status == Status::Running {
            return Err(self.run_state(id, "cannot finish a run as `running`"));
        }
        let changed = self
            .conn
            .execute(
                "UPDATE runs SET status = ?1, finished_at = ?2, message = ?3
                 WHERE id = ?4 AND status IN ('running', 'interrupted')",
                params![status.as_str(), now_iso8601_utc(), message, id.as_str()],
            )
            .map_err(self.sql())?;
        if changed == 0 {
            let run = self.get_run(id)?;
            return Err(self.run_state(id, &format!("already {}", run.status)));
        }
        Ok(())
    }

    /// Takes over an `interrupted` or `failed` run to resume it in folder `out_dir` (where it
    /// is now, so readers find it): `running` again, owned by this process, its end cleared,
    /// its id and start time kept. A `running` run (its process may live) or a `complete` one
    /// is refused, as is an unknown id.
    pub fn resume_run(&self, id: &RunId, out_dir: &Path, message: &str) -> Result<(), StoreError> {
        let me = ProcessId::current();
        let changed = self
            .conn
            .execute(
                "UPDATE runs SET status = 'running', finished_at = NULL, message = ?1,
                                 out_dir = ?2, host = ?3, pid = ?4, pid_start = ?5
                 WHERE id = ?6 AND status IN ('interrupted', 'failed')",
                params![
                    message,
                    out_dir.to_string_lossy(),
                    me.host,
                    me.pid,
                    me.start,
                    id.as_str()
                ],
            )
            .map_err(self.sql())?;
        if changed == 0 {
            let run = self.get_run(id)?;
            return Err(self.run_state(
                id,
                &format!(
                    "is {}: only an interrupted or failed run can be resumed",
                    run.status
                ),
            ));
        }
        Ok(())
    }

    /// Every run, oldest first.
    pub fn list_runs(&self) -> Result<Vec<RunRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_RUN} ORDER BY started_at, rowid"))
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], raw_run)
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        rows.into_iter()
            .map(|r| r.into_record(&self.path))
            .collect()
    }

    /// One run, or [`StoreError::UnknownRun`].
    pub fn get_run(&self, id: &RunId) -> Result<RunRecord, StoreError> {
        let raw = self
            .conn
            .query_row(
                &format!("{SELECT_RUN} WHERE id = ?1"),
                [id.as_str()],
                raw_run,
            )
            .optional()
            .map_err(self.sql())?;
        match raw {
            Some(raw) => raw.into_record(&self.path),
            None => Err(StoreError::UnknownRun {
                path: self.path.clone(),
                id: id.to_string(),
            }),
        }
    }

    /// Marks `interrupted` every `running` run whose process is provably gone (see the module
    /// doc for the rule) and returns their ids. Call it before listing runs or starting one.
    pub fn mark_stale_running_as_interrupted(&self) -> Result<Vec<RunId>, StoreError> {
        let running: Vec<RunRecord> = self
            .list_runs()?
            .into_iter()
            .filter(|r| r.status == Status::Running)
            .collect();
        let mut marked = Vec::new();
        for run in running {
            if run.process.liveness() != Liveness::Dead {
                continue;
            }
            let message = format!(
                "process {} on {} ended without finishing the run (found {})",
                run.process.pid,
                run.process.host,
                now_iso8601_utc()
            );
            // The status guard makes two processes sweeping at once harmless.
            let changed = self
                .conn
                .execute(
                    "UPDATE runs SET status = 'interrupted', message = ?1
                     WHERE id = ?2 AND status = 'running'",
                    params![message, run.id.as_str()],
                )
                .map_err(self.sql())?;
            if changed == 1 {
                marked.push(run.id);
            }
        }
        Ok(marked)
    }

    /// Stores (or replaces, by claim name) a run's claims, all or none.
    pub fn put_claims(&mut self, run: &RunId, claims: &[Claim]) -> Result<(), StoreError> {
        self.get_run(run)?;
        for c in claims {
            check_claim(c).map_err(|message| StoreError::BadRecord {
                path: self.path.clone(),
                id: run.to_string(),
                message: format!("claim `{}`: {message}", c.claim),
            })?;
        }
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut stmt = tx
                .prepare(
                    "INSERT INTO claims (run_id, claim, probability, lo, hi, metric, threshold,
                                         direction, top_driver)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (run_id, claim) DO UPDATE SET
                         probability = excluded.probability, lo = excluded.lo, hi = excluded.hi,
                         metric = excluded.metric, threshold = excluded.threshold,
                         direction = excluded.direction, top_driver = excluded.top_driver",
                )
                .map_err(sql)?;
            for c in claims {
                stmt.execute(params![
                    run.as_str(),
                    c.claim,
                    c.probability,
                    c.lo,
                    c.hi,
                    c.metric,
                    c.threshold,
                    c.direction.as_str(),
                    c.top_driver,
                ])
                .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// A run's claims, in the order first stored.
    pub fn claims(&self, run: &RunId) -> Result<Vec<Claim>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT claim, probability, lo, hi, metric, threshold, direction, top_driver
                 FROM claims WHERE run_id = ?1 ORDER BY rowid",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([run.as_str()], |r| {
                Ok((
                    Claim {
                        claim: r.get(0)?,
                        probability: r.get(1)?,
                        lo: r.get(2)?,
                        hi: r.get(3)?,
                        metric: r.get(4)?,
                        threshold: r.get(5)?,
                        direction: Direction::Above,
                        top_driver: r.get(7)?,
                    },
                    r.get::<_, String>(6)?,
                ))
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        rows.into_iter()
            .map(|(mut c, dir)| {
                c.direction = Direction::parse(&dir).ok_or_else(|| StoreError::BadRecord {
                    path: self.path.clone(),
                    id: run.to_string(),
                    message: format!("claim `{}`: unknown direction `{dir}`", c.claim),
                })?;
                Ok(c)
            })
            .collect()
    }

    fn run_state(&self, id: &RunId, message: &str) -> StoreError {
        StoreError::RunState {
            path: self.path.clone(),
            id: id.to_string(),
            message: message.to_owned(),
        }
    }
}

fn check_claim(c: &Claim) -> Result<(), String> {
    let unit = |x: f64| (0.0..=1.0).contains(&x);
    if !(unit(c.probability) && unit(c.lo) && unit(c.hi)) {
        return Err(format!(
            "probability {} and interval [{}, {}] must lie in [0, 1]",
            c.probability, c.lo, c.hi
        ));
    }
    if !(c.lo <= c.probability && c.probability <= c.hi) {
        return Err(format!(
            "probability {} is outside its interval [{}, {}]",
            c.probability, c.lo, c.hi
        ));
    }
    if !c.threshold.is_finite() {
        return Err(format!("threshold {} is not finite", c.threshold));
    }
    Ok(())
}

fn new_run_id(seed: u64, started_at: &str) -> RunId {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let count = ID_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut h = Sha256::new();
    h.update(seed.to_le_bytes());
    h.update(nanos.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(count.to_le_bytes());
    let tag: String = h.finalize()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // 2026-05-01T12:03:04Z -> 20260501T120304Z
    let stamp: String = started_at
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    RunId(format!("{stamp}-{tag}"))
}

const SELECT_RUN: &str = "SELECT id, scenario, scenario_sha256, seed, draws, shard, version,
    started_at, finished_at, status, out_dir, message, host, pid, pid_start, kind FROM runs";

/// A `runs` row as SQLite types, before interpreting shard and status.
struct RawRun {
    id: String,
    scenario: String,
    scenario_sha256: String,
    seed: i64,
    draws: u32,
    shard: Option<String>,
    version: String,
    started_at: String,
    finished_at: Option<String>,
    status: String,
    out_dir: String,
    message: Option<String>,
    host: String,
    pid: u32,
    pid_start: Option<String>,
    kind: String,
}

fn raw_run(r: &Row<'_>) -> rusqlite::Result<RawRun> {
    Ok(RawRun {
        id: r.get(0)?,
        scenario: r.get(1)?,
        scenario_sha256: r.get(2)?,
        seed: r.get(3)?,
        draws: r.get(4)?,
        shard: r.get(5)?,
        version: r.get(6)?,
        started_at: r.get(7)?,
        finished_at: r.get(8)?,
        status: r.get(9)?,
        out_dir: r.get(10)?,
        message: r.get(11)?,
        host: r.get(12)?,
        pid: r.get(13)?,
        pid_start: r.get(14)?,
        kind: r.get(15)?,
    })
}

impl RawRun {
    fn into_record(self, path: &Path) -> Result<RunRecord, StoreError> {
        let bad = |message: String| StoreError::BadRecord {
            path: path.to_path_buf(),
            id: self.id.clone(),
            message,
        };
        let status = Status::parse(&self.status)
            .ok_or_else(|| bad(format!("unknown status `{}`", self.status)))?;
        let kind = RunKind::parse(&self.kind)
            .ok_or_else(|| bad(format!("unknown kind `{}`", self.kind)))?;
        let shard = match &self.shard {
            None => None,
            Some(s) => Some(Shard::parse(s).ok_or_else(|| bad(format!("bad shard `{s}`")))?),
        };
        Ok(RunRecord {
            meta: RunMeta {
                scenario: self.scenario,
                scenario_sha256: self.scenario_sha256,
                seed: self.seed as u64,
                draws: self.draws,
                shard,
                version: self.version,
                out_dir: PathBuf::from(self.out_dir),
                kind,
            },
            id: RunId(self.id),
            started_at: self.started_at,
            finished_at: self.finished_at,
            status,
            message: self.message,
            process: ProcessId {
                host: self.host,
                pid: self.pid,
                start: self.pid_start,
            },
        })
    }
}
