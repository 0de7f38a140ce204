//! Runs started from the page: a bounded queue in front of a fixed number of
//! executing runs, each run's draws on one shared thread pool. Progress is a
//! `watch` channel per job, which the events stream follows.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use entente_core::scenario::Scenario;
use entente_core::simulation::Prepared;
use tokio::sync::{watch, Semaphore};

use crate::error::ApiError;
use crate::Ctx;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Complete,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Complete => "complete",
            JobState::Failed => "failed",
        }
    }
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Complete | JobState::Failed)
    }
}

/// A job at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub state: JobState,
    pub done: usize,
    pub total: usize,
    pub run_id: Option<String>,
    pub message: Option<String>,
}

/// One run requested through the API.
#[derive(Debug)]
pub struct Job {
    pub id: String,
    pub scenario: String,
    tx: watch::Sender<Snapshot>,
}

impl Job {
    pub fn snapshot(&self) -> Snapshot {
        self.tx.borrow().clone()
    }
    pub fn subscribe(&self) -> watch::Receiver<Snapshot> {
        self.tx.subscribe()
    }
    fn update(&self, f: impl FnOnce(&mut Snapshot)) {
        self.tx.send_modify(f);
    }
    pub fn json(&self) -> serde_json::Value {
        let s = self.snapshot();
        serde_json::json!({
            "id": self.id,
            "scenario": self.scenario,
            "state": s.state.as_str(),
            "done": s.done,
            "total": s.total,
            "run_id": s.run_id,
            "message": s.message,
            "events": format!("/api/jobs/{}/events", self.id),
        })
    }
}

/// The server's jobs and the gate that bounds them.
#[derive(Debug)]
pub struct Jobs {
    list: Mutex<Vec<Arc<Job>>>,
    next: AtomicU64,
    executing: Arc<Semaphore>,
    /// Jobs queued or running.
    active: Arc<AtomicUsize>,
    capacity: usize,
}

/// Finished jobs kept for late readers of their status.
const KEEP_FINISHED: usize = 100;

impl Jobs {
    pub fn new(concurrent: usize, queued: usize) -> Jobs {
        Jobs {
            list: Mutex::new(Vec::new()),
            next: AtomicU64::new(1),
            executing: Arc::new(Semaphore::new(concurrent.max(1))),
            active: Arc::new(AtomicUsize::new(0)),
            capacity: concurrent.max(1) + queued,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Job>>> {
        // A panic while holding the lock cannot leave the list half-updated
        // (every update is one push or retain), so a poisoned lock is usable.
        self.list.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, id: &str) -> Option<Arc<Job>> {
        self.lock().iter().find(|j| j.id == id).cloned()
    }

    /// Newest first.
    pub fn all(&self) -> Vec<Arc<Job>> {
        self.lock().iter().rev().cloned().collect()
    }

    /// Queue a run of `scenario` (already validated against the limits).
    pub fn submit(
        &self,
        ctx: Arc<Ctx>,
        scenario: Scenario,
        text: String,
    ) -> Result<Arc<Job>, ApiError> {
        // Reserve a slot first so concurrent submissions cannot overshoot.
        let reserved = self
            .active
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.capacity).then_some(n + 1)
            });
        if reserved.is_err() {
            return Err(ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "queue_full",
                format!(
                    "{} runs are already queued or running (the limit); try again when one finishes",
                    self.capacity
                ),
            )
            .with_retry_after(30));
        }
        let total = scenario.draws();
        let id = format!("job-{}", self.next.fetch_add(1, Ordering::Relaxed));
        let (tx, _) = watch::channel(Snapshot {
            state: JobState::Queued,
            done: 0,
            total,
            run_id: None,
            message: None,
        });
        let job = Arc::new(Job {
            id,
            scenario: scenario.name.clone(),
            tx,
        });
        {
            let mut list = self.lock();
            list.push(job.clone());
            // Forget the oldest finished jobs beyond the bound.
            let finished = list
                .iter()
                .filter(|j| j.snapshot().state.is_final())
                .count();
            if finished > KEEP_FINISHED {
                let mut drop = finished - KEEP_FINISHED;
                list.retain(|j| {
                    if drop > 0 && j.snapshot().state.is_final() {
                        drop -= 1;
                        false
                    } else {
                        true
                    }
                });
            }
        }
        let (gate, active, worker_job) = (self.executing.clone(), self.active.clone(), job.clone());
        tokio::spawn(async move {
            let permit = gate.acquire_owned().await;
            worker_job.update(|s| s.state = JobState::Running);
            let j = worker_job.clone();
            let outcome = tokio::task::spawn_blocking(move || execute(&ctx, &j, &scenario, &text))
                .await
                .unwrap_or_else(|e| Err(format!("the run stopped unexpectedly: {e}")));
            drop(permit);
            worker_job.update(|s| match outcome {
                Ok(run_id) => {
                    s.state = JobState::Complete;
                    s.run_id = Some(run_id);
                }
                Err(m) => {
                    s.state = JobState::Failed;
                    s.message = Some(m);
                }
            });
            active.fetch_sub(1, Ordering::SeqCst);
        });
        Ok(job)
    }
}

/// Run the scenario, write its outputs and record it; the run id, or what went wrong.
/// The folder's life follows `entente_report::folder`: a new folder named by the run id,
/// `RUNNING` first, the store's `complete` after the outputs, the marker removed last.
fn execute(ctx: &Ctx, job: &Job, sc: &Scenario, text: &str) -> Result<String, String> {
    let prep = Prepared::new(&ctx.archive, sc, ctx.coefficients).map_err(|e| e.to_string())?;
    let draws: Vec<usize> = (0..prep.draws()).collect();
    job.update(|s| s.total = draws.len());
    let run_id = entente_store::RunId::generate(sc.experiment.seed);
    let out = entente_report::folder::create_run_folder(&ctx.config.out_dir, &sc.name, &run_id)
        .map_err(|e| e.to_string())?;
    let hash = entente_report::scenario_sha256(text);
    let started = entente_store::time::now_iso8601_utc();
    let marker = entente_report::folder::Marker::write(
        &out,
        &format!(
            "started {started}\nrun {run_id}\nscenario {} {hash}\njob {}\n",
            sc.name, job.id
        ),
    )
    .map_err(|e| e.to_string())?;
    let meta =
        entente_store::RunMeta::new(&sc.name, text, sc.experiment.seed, draws.len() as u32, &out);
    ctx.store(|s| s.start_run_as(&run_id, &meta))
        .map_err(|e| e.to_string())?;
    let done = AtomicUsize::new(0);
    let progress = || {
        let k = done.fetch_add(1, Ordering::Relaxed) + 1;
        job.update(|s| s.done = s.done.max(k));
    };
    let written = ctx
        .pool
        .install(|| prep.run(&draws, &progress))
        .map_err(|e| e.to_string())
        .and_then(|results| {
            let label = entente_report::RunLabel {
                run_id: run_id.as_str(),
                scenario_sha256: &hash,
                started: &started,
            };
            entente_report::write_all(
                &out,
                &prep,
                &results,
                label,
                entente_report::DrawFiles::Parquet,
            )
            .map_err(|e| e.to_string())
        });
    let recorded = match &written {
        // Claims first, then `complete`: a complete record always has its claims.
        Ok(claims) => ctx.store(|s| {
            s.put_claims(&run_id, &entente_report::store_claims(&prep, claims))?;
            s.finish_run(
                &run_id,
                entente_store::Status::Complete,
                Some("started from the dashboard"),
            )
        }),
        Err(m) => ctx.store(|s| s.finish_run(&run_id, entente_store::Status::Failed, Some(m))),
    };
    written?;
    if let Err(e) = recorded {
        let m = e.to_string();
        let _ = ctx.store(|s| s.finish_run(&run_id, entente_store::Status::Failed, Some(&m)));
        return Err(m);
    }
    marker.remove().map_err(|e| e.to_string())?;
    Ok(run_id.to_string())
}
