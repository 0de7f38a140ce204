//! The SQLite run record: lifecycle, listing, claims, interrupted-run detection, migration.

use std::process::Command;

use entente_store::process::{host_name, Liveness, ProcessId};
use entente_store::runs::{sha256_hex, SCHEMA_VERSION};
use entente_store::{Claim, Direction, RunId, RunMeta, RunStore, Shard, Status, StoreError};

fn meta(seed: u64) -> RunMeta {
    RunMeta::new("taiwan-2030", "name: taiwan-2030\n", seed, 500, "/tmp/out")
}

fn is_iso_utc(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && s.ends_with('Z')
}

#[test]
fn lifecycle_start_finish_list_get() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.sqlite");
    let store = RunStore::open(&db).unwrap();
    assert!(store.list_runs().unwrap().is_empty());

    let a = store.start_run(&meta(42)).unwrap();
    let b = store
        .start_run(&meta(u64::MAX).with_shard(Shard { index: 1, count: 2 }))
        .unwrap();
    assert_ne!(a, b);
    // YYYYMMDDTHHMMSSZ-xxxxxxxx
    assert_eq!(a.as_str().len(), 25, "{a}");
    assert_eq!(&a.as_str()[15..17], "Z-");

    let run = store.get_run(&a).unwrap();
    assert_eq!(run.status, Status::Running);
    assert_eq!(run.finished_at, None);
    assert!(is_iso_utc(&run.started_at), "{}", run.started_at);
    assert_eq!(run.meta, meta(42));
    assert_eq!(run.meta.scenario_sha256, sha256_hex("name: taiwan-2030\n"));
    assert_eq!(run.meta.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(run.process, ProcessId::current());

    store
        .finish_run(&a, Status::Complete, Some("500 draws"))
        .unwrap();
    store
        .finish_run(&b, Status::Failed, Some("data error: x.csv:3"))
        .unwrap();

    let runs = store.list_runs().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].id, a, "oldest first");
    assert_eq!(runs[0].status, Status::Complete);
    assert_eq!(runs[0].message.as_deref(), Some("500 draws"));
    assert!(is_iso_utc(runs[0].finished_at.as_deref().unwrap()));
    assert_eq!(runs[1].status, Status::Failed);
    assert_eq!(runs[1].meta.seed, u64::MAX, "seeds above 2^63 survive");
    assert_eq!(runs[1].meta.shard, Some(Shard { index: 1, count: 2 }));

    // Reopening sees the same runs; the schema is not recreated.
    drop(store);
    let store = RunStore::open(&db).unwrap();
    assert_eq!(store.list_runs().unwrap(), runs);

    // The shard column holds "1/2" as text, for R and pandas.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let shard: Option<String> = conn
        .query_row("SELECT shard FROM runs WHERE id = ?1", [b.as_str()], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(shard.as_deref(), Some("1/2"));
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn finish_rules() {
    let dir = tempfile::tempdir().unwrap();
    let store = RunStore::open(dir.path().join("runs.sqlite")).unwrap();
    let id = store.start_run(&meta(1)).unwrap();
    let err = store.finish_run(&id, Status::Running, None).unwrap_err();
    assert!(matches!(err, StoreError::RunState { .. }), "{err}");
    store.finish_run(&id, Status::Complete, None).unwrap();
    let err = store.finish_run(&id, Status::Failed, None).unwrap_err();
    assert!(err.to_string().contains("already complete"), "{err}");
    let ghost = RunId::from("19700101T000000Z-00000000");
    let err = store
        .finish_run(&ghost, Status::Complete, None)
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownRun { .. }), "{err}");
    assert!(err.to_string().contains("runs.sqlite"), "{err}");
    assert!(matches!(
        store.get_run(&ghost),
        Err(StoreError::UnknownRun { .. })
    ));
}

#[test]
fn only_an_interrupted_or_failed_run_is_resumed_keeping_its_id_and_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.sqlite");
    let store = RunStore::open(&db).unwrap();
    let id = store.start_run(&meta(1)).unwrap();
    let started = store.get_run(&id).unwrap().started_at;
    // Still running (its process lives): not taken over.
    let err = store
        .resume_run(&id, "/tmp/moved".as_ref(), "resumed")
        .unwrap_err();
    assert!(err.to_string().contains("is running"), "{err}");
    // Killed: the sweep says interrupted, with the dead process as owner.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE runs SET status = 'interrupted', pid = ?1 WHERE id = ?2",
        rusqlite::params![dead_pid(), id.as_str()],
    )
    .unwrap();
    store
        .resume_run(&id, "/tmp/moved".as_ref(), "resumed from 3 draws")
        .unwrap();
    let r = store.get_run(&id).unwrap();
    assert_eq!(r.status, Status::Running);
    assert_eq!(r.started_at, started, "the run's start is kept");
    assert_eq!(
        r.process,
        ProcessId::current(),
        "owned by the resuming process"
    );
    assert_eq!(r.meta.out_dir, std::path::PathBuf::from("/tmp/moved"));
    assert_eq!(r.message.as_deref(), Some("resumed from 3 draws"));
    store.finish_run(&id, Status::Failed, Some("x")).unwrap();
    store.resume_run(&id, "/tmp/out".as_ref(), "again").unwrap();
    store.finish_run(&id, Status::Complete, None).unwrap();
    let err = store
        .resume_run(&id, "/tmp/out".as_ref(), "no")
        .unwrap_err();
    assert!(err.to_string().contains("is complete"), "{err}");
    let ghost = RunId::from("19700101T000000Z-00000000");
    let err = store
        .resume_run(&ghost, "/tmp/out".as_ref(), "no")
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownRun { .. }), "{err}");
}

/// The pid of a process that has exited and been reaped.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn runs_of_dead_processes_are_marked_interrupted() {
    if std::fs::metadata("/proc/self/stat").is_err() {
        eprintln!("no /proc: liveness is unknowable here, nothing is marked (by design)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.sqlite");
    let store = RunStore::open(&db).unwrap();
    let alive = store.start_run(&meta(1)).unwrap();
    let killed = store.start_run(&meta(2)).unwrap();
    let reused = store.start_run(&meta(3)).unwrap();
    let elsewhere = store.start_run(&meta(4)).unwrap();
    let done = store.start_run(&meta(5)).unwrap();
    store.finish_run(&done, Status::Complete, None).unwrap();

    // Rewrite the owners as a killed process, a pid reused by another process (ours, with
    // another start time), and a run on another host.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let dead = dead_pid();
    conn.execute(
        "UPDATE runs SET pid = ?1 WHERE id = ?2",
        rusqlite::params![dead, killed.as_str()],
    )
    .unwrap();
    conn.execute(
        "UPDATE runs SET pid_start = '1' WHERE id = ?1",
        [reused.as_str()],
    )
    .unwrap();
    conn.execute(
        "UPDATE runs SET host = 'elsewhere.example', pid = ?1 WHERE id = ?2",
        rusqlite::params![dead, elsewhere.as_str()],
    )
    .unwrap();

    assert_eq!(
        store.get_run(&alive).unwrap().process.liveness(),
        Liveness::Alive
    );
    let mut marked = store.mark_stale_running_as_interrupted().unwrap();
    marked.sort();
    let mut want = vec![killed.clone(), reused.clone()];
    want.sort();
    assert_eq!(marked, want);

    assert_eq!(store.get_run(&alive).unwrap().status, Status::Running);
    assert_eq!(
        store.get_run(&elsewhere).unwrap().status,
        Status::Running,
        "cannot tell: left alone"
    );
    assert_eq!(store.get_run(&done).unwrap().status, Status::Complete);
    let k = store.get_run(&killed).unwrap();
    assert_eq!(k.status, Status::Interrupted);
    assert_eq!(k.finished_at, None, "when it died is unknown");
    let msg = k.message.unwrap();
    assert!(
        msg.contains(&dead.to_string()) && msg.contains(&host_name()),
        "{msg}"
    );

    // A second sweep finds nothing new.
    assert!(store
        .mark_stale_running_as_interrupted()
        .unwrap()
        .is_empty());
}

#[test]
fn claims_are_stored_replaced_and_validated() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = RunStore::open(dir.path().join("runs.sqlite")).unwrap();
    let id = store.start_run(&meta(7)).unwrap();
    let c1 = Claim {
        claim: "war by 2035".into(),
        probability: 0.12,
        lo: 0.09,
        hi: 0.15,
        metric: "p_war".into(),
        threshold: 0.5,
        direction: Direction::Above,
        top_driver: Some("escalation_k".into()),
    };
    let mut c2 = Claim {
        claim: "spending falls".into(),
        probability: 0.7,
        lo: 0.6,
        hi: 0.8,
        metric: "milex_usd_m".into(),
        threshold: 1e5,
        direction: Direction::Below,
        top_driver: None,
    };
    store.put_claims(&id, &[c1.clone(), c2.clone()]).unwrap();
    assert_eq!(store.claims(&id).unwrap(), [c1.clone(), c2.clone()]);

    c2.probability = 0.65;
    store.put_claims(&id, std::slice::from_ref(&c2)).unwrap();
    assert_eq!(
        store.claims(&id).unwrap(),
        [c1.clone(), c2.clone()],
        "replaced in place"
    );

    let mut bad = c1.clone();
    bad.claim = "bad".into();
    bad.probability = 0.2; // outside [lo, hi]
    let err = store.put_claims(&id, &[c2.clone(), bad]).unwrap_err();
    assert!(err.to_string().contains("claim `bad`"), "{err}");
    assert_eq!(store.claims(&id).unwrap().len(), 2, "all or none");

    let ghost = RunId::from("nope");
    assert!(matches!(
        store.put_claims(&ghost, &[c1]),
        Err(StoreError::UnknownRun { .. })
    ));
}

#[test]
fn newer_schema_is_refused_and_junk_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.sqlite");
    drop(RunStore::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = RunStore::open(&db).unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");

    let junk = dir.path().join("junk.sqlite");
    std::fs::write(
        &junk,
        "this is not a database, just text long enough to have a header....",
    )
    .unwrap();
    let err = RunStore::open(&junk).unwrap_err();
    assert!(err.to_string().contains("junk.sqlite"), "{err}");
}

#[test]
fn a_version_1_store_migrates_its_runs_as_runs_and_takes_hindcasts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.sqlite");
    // A store as version 1 wrote it: no kind column.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE runs (id TEXT PRIMARY KEY, scenario TEXT NOT NULL,
             scenario_sha256 TEXT NOT NULL, seed INTEGER NOT NULL, draws INTEGER NOT NULL,
             shard TEXT, version TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
             status TEXT NOT NULL, out_dir TEXT NOT NULL, message TEXT, host TEXT NOT NULL,
             pid INTEGER NOT NULL, pid_start TEXT);
         CREATE TABLE claims (run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
             claim TEXT NOT NULL, probability REAL NOT NULL, lo REAL NOT NULL, hi REAL NOT NULL,
             metric TEXT NOT NULL, threshold REAL NOT NULL, direction TEXT NOT NULL,
             top_driver TEXT, PRIMARY KEY (run_id, claim));
         INSERT INTO runs VALUES ('old', 'nato-ip4', 'ab', 1, 10, NULL, '0.1.0',
             '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'complete', '/tmp/o', NULL,
             'h', 1, NULL);
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let store = RunStore::open(&db).unwrap();
    let old = store.get_run(&RunId::from("old")).unwrap();
    assert_eq!(old.meta.kind, entente_store::RunKind::Run);
    let h = store.start_run(&meta(3).hindcast()).unwrap();
    assert_eq!(
        store.get_run(&h).unwrap().meta.kind,
        entente_store::RunKind::Hindcast
    );
    let kinds: Vec<_> = store
        .list_runs()
        .unwrap()
        .into_iter()
        .map(|r| r.meta.kind.as_str())
        .collect();
    assert_eq!(kinds, ["run", "hindcast"]);
}
