//! A run from its folder to its store record, the one code path behind `entente run` and
//! Python's `entente.run` (so a run from either writes the same files for the same seed).
//!
//! [`run`] follows [`crate::folder`]'s order: the folder (new and named by the run id unless
//! the caller gives one), `RUNNING`, the store's `running` record, the draws (checkpointed
//! chunk by chunk, [`crate::checkpoint`]), the outputs ([`crate::write_all`], or a shard's
//! part), the claims and `complete` in the store, the checkpoint removed, and the marker
//! removed last. A failure at any step records the run `failed` with why and leaves
//! the marker. The caller computes the draws (a closure), so it chooses the thread pool and
//! the progress display; nothing here prints.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use entente_core::hindcast::{self, Window, FROZEN, OBSERVED};
use entente_core::ids::Ccode;
use entente_core::scenario::Scenario;
use entente_core::scoring::HindcastScores;
use entente_core::simulation::{ClaimResult, DrawResult, Prepared, SimulationError};
use entente_core::world::Archive;
use entente_store::{RunId, RunStore, Shard};

use crate::{
    checkpoint, folder, identity::RunSpec, parts, scenario_sha256, store_claims, write_all,
    DrawFiles, ReportError,
};

/// What a run is asked to do besides its scenario.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The run's id (the caller makes it, so it can name it whatever happens).
    pub id: &'a RunId,
    /// The scenario file's text (hashed and recorded in the store).
    pub text: &'a str,
    /// The folder to write to as given by the user, or `None` for a new folder
    /// `<root>/<scenario>-<run id>`.
    pub out: Option<&'a Path>,
    /// Where new run folders go.
    pub root: &'a Path,
    /// Only the draws of this shard (their part, not the outputs, is written).
    pub shard: Option<Shard>,
    pub files: DrawFiles,
    /// The data's version (`entente_data::world_data::DataSource::data_version`), written
    /// into a shard's manifest so a merge refuses parts that read other data, and into the
    /// checkpoint so a resume does.
    pub data_version: Option<&'a str>,
    /// Checkpoint the finished draws (`None`: none, as from Python).
    pub checkpoint: Option<Checkpoints<'a>>,
}

/// A finished run.
#[derive(Debug)]
pub struct Outcome {
    /// The run's folder (absolute).
    pub out: PathBuf,
    /// [`crate::scenario_sha256`] of the scenario file's text.
    pub hash: String,
    /// The draws, in draw order.
    pub results: Vec<DrawResult>,
    /// The claims of a complete run; `None` for a shard part.
    pub claims: Option<Vec<ClaimResult>>,
}

/// Open the run store at `path` (creating its folder), marking runs whose process died as
/// interrupted.
pub fn open_store(path: &Path) -> Result<RunStore, ReportError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, "cannot create", e))?;
    }
    let store = RunStore::open(path)?;
    store.mark_stale_running_as_interrupted()?;
    Ok(store)
}

/// The draws a run (or one shard of it) computes.
pub fn shard_draws(total: usize, shard: Option<Shard>) -> Vec<usize> {
    match shard {
        Some(s) => (0..total)
            .filter(|d| d % s.count as usize == s.index as usize)
            .collect(),
        None => (0..total).collect(),
    }
}

/// How a run checkpoints its finished draws ([`crate::checkpoint`]).
#[derive(Debug, Clone, Copy)]
pub struct Checkpoints<'a> {
    /// Draws per chunk (0: the missing draws in one chunk).
    pub every: usize,
    /// Whether the run also writes draws.csv (recorded, so a resumed run writes it too).
    pub csv: bool,
    /// The checkpoint of an interrupted run to go on with (its run id is the request's);
    /// `None` starts a new checkpoint.
    pub resume: Option<&'a checkpoint::Loaded>,
}

/// Run `prep`'s draws through `draw` and write and record the run (see the module's
/// overview). `draw` gets draw numbers to compute and returns their results in order; with
/// checkpoints it is called once per chunk, each chunk saved before the next is computed.
///
/// A resumed run (`req.checkpoint`'s `resume`) keeps its id, start time and folder: the
/// store's record goes from `interrupted` (or `failed`) back to `running` and then
/// `complete`, its message saying how many draws came from the checkpoint; only the
/// missing draws are computed, and the outputs are those an uninterrupted run writes.
pub fn run<F>(
    prep: &Prepared,
    req: Request<'_>,
    store: &mut RunStore,
    mut draw: F,
) -> Result<Outcome, ReportError>
where
    F: FnMut(&[usize]) -> Result<Vec<DrawResult>, SimulationError>,
{
    let sc = prep.scenario;
    let all = prep.draws();
    let draws = shard_draws(all, req.shard);
    let hash = scenario_sha256(req.text);
    let id = req.id;
    let resume = req.checkpoint.and_then(|c| c.resume);
    let now = entente_store::time::now_iso8601_utc();
    let (started, note) = match resume {
        Some(l) => {
            if l.header.run_id != id.as_str() {
                return Err(checkpoint::CheckpointError::Bad {
                    file: checkpoint::HEADER.into(),
                    message: format!("is run {}, not run {id}", l.header.run_id),
                }
                .into());
            }
            let note = format!(
                "resumed {now} with {} of {} draws from the checkpoint",
                l.results.len(),
                draws.len()
            );
            (l.header.started.clone(), Some(note))
        }
        None => (now, None),
    };
    let out = folder::run_folder(req.out, req.root, &sc.name, id)?;
    let marker_text = format!("started {started}\nrun {id}\nscenario {} {hash}\n", sc.name);
    let marker = match &note {
        // The folder keeps its marker from the interrupted run; the store is asked first,
        // so a refused resume (a run still running, or complete) changes nothing.
        Some(note) => {
            store.resume_run(id, &out, note)?;
            folder::Marker::write(&out, &format!("{marker_text}{note}\n"))?
        }
        // The marker comes first and goes last, after the store says complete.
        None => {
            let marker = folder::Marker::write(&out, &marker_text)?;
            let mut meta = entente_store::RunMeta::new(
                &sc.name,
                req.text,
                sc.experiment.seed,
                draws.len() as u32,
                &out,
            );
            if let Some(s) = req.shard {
                meta = meta.with_shard(s);
            }
            store.start_run_as(id, &meta)?;
            marker
        }
    };
    let label = crate::RunLabel {
        run_id: id.as_str(),
        scenario_sha256: &hash,
        started: &started,
    };
    let spec = RunSpec::new(
        sc,
        req.text,
        all,
        req.data_version.unwrap_or("(not recorded)"),
    );
    let written =
        compute(&req, &spec, &started, &out, &draws, &mut draw).and_then(|(results, saved)| {
            let claims = match req.shard {
                Some(s) => {
                    write_part(&out, &spec, s, &results)?;
                    None
                }
                None => Some(write_all(&out, prep, &results, label, req.files)?),
            };
            Ok((results, claims, saved))
        });
    match written {
        Ok((results, claims, saved)) => {
            record_complete(store, id, prep, claims.as_deref(), note.as_deref())?;
            // The checkpoint goes once the store says complete, the marker last.
            if let Some(saved) = saved {
                saved.remove()?;
            }
            marker.remove()?;
            Ok(Outcome {
                out,
                hash,
                results,
                claims,
            })
        }
        Err(e) => {
            store.finish_run(id, entente_store::Status::Failed, Some(&e.to_string()))?;
            Err(e)
        }
    }
}

/// The run's draws in order: those of the checkpoint resumed, then the missing ones
/// computed chunk by chunk, each chunk checkpointed before the next (all at once without
/// checkpoints); and the checkpoint, to remove once the run is recorded complete.
fn compute<F>(
    req: &Request<'_>,
    spec: &RunSpec,
    started: &str,
    out: &Path,
    draws: &[usize],
    draw: &mut F,
) -> Result<(Vec<DrawResult>, Option<checkpoint::Writer>), ReportError>
where
    F: FnMut(&[usize]) -> Result<Vec<DrawResult>, SimulationError>,
{
    let Some(c) = req.checkpoint else {
        return Ok((draw(draws).map_err(ReportError::Draws)?, None));
    };
    let (mut results, mut saved) = match c.resume {
        Some(l) => (l.results.clone(), checkpoint::Writer::reopen(out, l.chunks)),
        None => {
            let header = checkpoint::Header {
                run_id: req.id.to_string(),
                started: started.to_string(),
                spec: spec.clone(),
                shard: req.shard.map(|s| (s.index as usize, s.count as usize)),
                csv: c.csv,
            };
            (Vec::new(), checkpoint::Writer::create(out, &header)?)
        }
    };
    let rest = draws.get(results.len()..).unwrap_or_default();
    let every = if c.every == 0 { rest.len() } else { c.every };
    for chunk in rest.chunks(every.max(1)) {
        let r = draw(chunk).map_err(ReportError::Draws)?;
        saved.append(&r)?;
        results.extend(r);
    }
    Ok((results, Some(saved)))
}

/// Record a finished run: its claims first, then `complete` (so a `complete` record always
/// has its claims); on failure, the record says `failed` with why.
fn record_complete(
    store: &mut RunStore,
    id: &RunId,
    prep: &Prepared,
    claims: Option<&[ClaimResult]>,
    note: Option<&str>,
) -> Result<(), ReportError> {
    let done = match claims {
        Some(claims) => store
            .put_claims(id, &store_claims(prep, claims))
            .and_then(|()| store.finish_run(id, entente_store::Status::Complete, note)),
        None => {
            let note = note.map_or("shard part".into(), |n| format!("shard part, {n}"));
            store.finish_run(id, entente_store::Status::Complete, Some(&note))
        }
    };
    if let Err(e) = &done {
        // Best effort: the store may be what failed.
        let _ = store.finish_run(id, entente_store::Status::Failed, Some(&e.to_string()));
    }
    done.map_err(ReportError::from)
}

/// A shard's part (`part-<i>-of-<N>.jsonl`, one record per draw) and its manifest, which
/// `entente merge` joins ([`crate::parts`]).
fn write_part(
    out: &Path,
    spec: &RunSpec,
    s: Shard,
    results: &[DrawResult],
) -> Result<(), ReportError> {
    let shard = crate::shards::Shard {
        index: s.index as usize,
        count: s.count as usize,
    };
    let name = crate::shards::part_stem(shard);
    let mut lines = Vec::new();
    for r in results {
        serde_json::to_writer(&mut lines, &parts::draw_to_json(r))?;
        let _ = writeln!(lines);
    }
    crate::write_atomic(out, &format!("{name}.jsonl"), &lines)?;
    let manifest = parts::Manifest {
        spec: spec.clone(),
        shard: Some((shard.index, shard.count)),
        draws: results.iter().map(|r| r.draw).collect(),
    };
    crate::write_atomic(
        out,
        &format!("{name}.manifest.json"),
        serde_json::to_string_pretty(&manifest.to_json())?.as_bytes(),
    )
}

/// The first and last year of the SIPRI spending data, `None` when they are empty.
pub fn sipri_years(archive: &Archive) -> Option<(i32, i32)> {
    let years = archive.sources().sipri.iter().map(|r| r.year);
    Some((years.clone().min()?, years.max()?))
}

/// The hindcast of `sc` over `window`: the scenario started from the world of `window.from`
/// (with the `observed` and `frozen` options), `draws` rounded up to whole base samples of
/// its design ([`Scenario::set_draws`]), the scenario's own experiment when `None`.
pub fn hindcast_scenario(
    sc: &Scenario,
    archive: &Archive,
    window: Window,
    draws: Option<usize>,
) -> Result<Scenario, ReportError> {
    let mut hs = hindcast::scenario(sc, archive, window)?;
    if let Some(n) = draws {
        hs.set_draws(n);
    }
    Ok(hs)
}

/// What a hindcast is asked to do besides its scenario.
#[derive(Debug, Clone, Copy)]
pub struct HindcastRequest<'a> {
    pub id: &'a RunId,
    /// The original scenario's name and text (the store records them).
    pub name: &'a str,
    pub text: &'a str,
    pub window: Window,
    /// The folder as given, or `None` for `<root>/hindcast-<scenario>-<from>-<to>-<run id>`.
    pub out: Option<&'a Path>,
    pub root: &'a Path,
}

/// A finished hindcast.
#[derive(Debug)]
pub struct HindcastOutcome {
    pub out: PathBuf,
    pub results: Vec<DrawResult>,
    /// Scores of the `observed` option (the headline) and of `frozen`.
    pub observed: HindcastScores,
    pub frozen: HindcastScores,
    /// The scored states, in the order of the scores' series.
    pub scored: Vec<Ccode>,
}

/// Run a hindcast (`prep` made from [`hindcast_scenario`], its chain through spending) and
/// write and record it, in the order of [`run`]: folder, `RUNNING`, store, draws, scores and
/// files ([`crate::hindcast::write`]), `complete`, marker removed.
pub fn hindcast<F>(
    prep: &Prepared,
    req: HindcastRequest<'_>,
    store: &mut RunStore,
    draw: F,
) -> Result<HindcastOutcome, ReportError>
where
    F: FnOnce(&[usize]) -> Result<Vec<DrawResult>, SimulationError>,
{
    let (id, w) = (req.id, req.window);
    let all: Vec<usize> = (0..prep.draws()).collect();
    let out = folder::run_folder(
        req.out,
        req.root,
        &format!("hindcast-{}-{}-{}", req.name, w.from, w.to),
        id,
    )?;
    let marker = folder::Marker::write(
        &out,
        &format!(
            "hindcast {id}\nscenario {} from {} to {}\n",
            req.name, w.from, w.to
        ),
    )?;
    let seed = prep.scenario.experiment.seed;
    let meta =
        entente_store::RunMeta::new(req.name, req.text, seed, all.len() as u32, &out).hindcast();
    store.start_run_as(id, &meta)?;
    let written = draw(&all).map_err(ReportError::Draws).and_then(|results| {
        let (observed, scored) = hindcast::score(prep, &results, OBSERVED)?;
        let (frozen, _) = hindcast::score(prep, &results, FROZEN)?;
        let h = crate::hindcast::Hindcast {
            prep,
            results: &results,
            observed: &observed,
            frozen: &frozen,
            scored: &scored,
        };
        crate::hindcast::write(&out, &h)?;
        Ok((observed, frozen, scored, results))
    });
    match written {
        Ok((observed, frozen, scored, results)) => {
            let note = format!("hindcast {}-{}", w.from, w.to);
            store.finish_run(id, entente_store::Status::Complete, Some(&note))?;
            marker.remove()?;
            Ok(HindcastOutcome {
                out,
                results,
                observed,
                frozen,
                scored,
            })
        }
        Err(e) => {
            store.finish_run(id, entente_store::Status::Failed, Some(&e.to_string()))?;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_draws_without_overlap() {
        let parts: Vec<Vec<usize>> = (0..3)
            .map(|i| shard_draws(10, Some(Shard { index: i, count: 3 })))
            .collect();
        assert_eq!(parts[0], vec![0, 3, 6, 9]);
        assert_eq!(parts[1], vec![1, 4, 7]);
        let mut all: Vec<usize> = parts.concat();
        all.sort_unstable();
        assert_eq!(all, shard_draws(10, None));
    }
}
