"""Sections `kill` and `concurrent`: a run's life against its store.

`kill`: a small `entente run --out DIR` is watched (every few ms) and SIGKILLed as soon as
the k-th file of its folder appears, for every file a complete run writes, in the order a
first full run wrote them. The order in crates/entente-report/src/execute.rs is: folder,
RUNNING, store `running`, outputs, claims and `complete` in the store, RUNNING removed.
So a folder without RUNNING that holds outputs must have a `complete` store record.

`concurrent`: four runs started at once in one folder with the default output folder and
store: four folders, four store records, each pointing at its own folder, each folder's
run.json naming the record's run."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from common import REPO, basic_findings, run_argv, snippet

# The cheapest fixture that writes every output file (most of a run's time is preparing).
DATED = os.path.join(REPO, "tests", "fixtures", "scenarios", "dated.toml")
RUN = ["run", DATED, "--draws", "2", "--threads", "1", "--quiet"]


def store_rows(store):
    """(id, out_dir, status) of every run, read-only; none when there is no store yet."""
    if not os.path.exists(store):
        return []
    try:
        c = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
        rows = c.execute("SELECT id, out_dir, status FROM runs").fetchall()
        c.close()
        return rows
    except sqlite3.Error:
        return []


def watch_and_kill(bin_path, out, store, cwd, kill_at, poll=0.003, limit=120):
    """Run, listing `out` every `poll` s; SIGKILL once file number `kill_at` (1-based, in
    order of appearance) exists, or with `"gone"` once RUNNING is removed. The names in order of appearance, and whether it was killed
    (None: run to the end)."""
    p = subprocess.Popen([bin_path] + RUN + ["--out", out, "--store", store], cwd=cwd,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    seen = []
    t0 = time.monotonic()
    killed = False
    while p.poll() is None and time.monotonic() - t0 < limit:
        try:
            names = os.listdir(out)
        except FileNotFoundError:
            names = []
        for n in sorted(names):
            if n not in seen:
                seen.append(n)
        gone = kill_at == "gone" and "RUNNING" in seen and "RUNNING" not in names
        if gone or (isinstance(kill_at, int) and len(seen) >= kill_at):
            os.killpg(p.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(poll)
    hung = p.poll() is None and not killed
    if hung:
        os.killpg(p.pid, signal.SIGKILL)
    err = p.communicate()[1].decode("utf-8", "replace")
    return seen, killed, hung, p.returncode, err


def check_folder(out, store, killed):
    """(findings, notes) about one run folder after its run ended or was killed."""
    found, notes = [], []
    if not os.path.isdir(out):
        return found, notes
    files = set(os.listdir(out))
    real = os.path.realpath(out)
    status = [s for _, d, s in store_rows(store) if os.path.realpath(d) == real]
    looks_complete = "summary.json" in files
    marker = "RUNNING" in files
    if files and not marker and status != ["complete"]:
        found.append(("complete-looking", f"no RUNNING, {len(files)} files, store says {status}"
                      f"{' (summary.json present)' if looks_complete else ''}"))
    if killed and looks_complete and not marker and status == ["complete"]:
        try:
            with open(os.path.join(out, "run.json")) as f:
                rj = json.load(f).get("status")
        except (OSError, ValueError):
            rj = None
        if rj == "complete":
            notes.append("killed after the marker was removed: run.json and store both complete")
    return found, notes


def run_kill(ctx, sec, rng, n=12):
    base = os.path.join(ctx.out, "kill")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    first = os.path.join(base, "full")
    os.makedirs(first)
    order, _, hung, rc, err = watch_and_kill(ctx.bin, os.path.join(first, "o"),
                                            os.path.join(first, "s.sqlite"), first, None)
    sec.cases += 1
    if hung or rc != 0:
        sec.finding("kill/full", "run", f"the uninterrupted run failed (rc {rc}): {snippet(err)}",
                    first)
        return
    f, _ = check_folder(os.path.join(first, "o"), os.path.join(first, "s.sqlite"), False)
    for kind, msg in f:
        sec.finding("kill/full", kind, msg, first)
    # One case per file the run wrote (in order), one as RUNNING goes (the process may end
    # first), then random extra kill points.
    points = (list(range(1, len(order) + 1)) + ["gone"])[:n]
    while len(points) < n:
        points.append(rng.randint(1, len(order)))
    sec.note("kill", f"files in order of appearance: {', '.join(order)}")

    def one(k, at):
        d = os.path.join(base, f"{k:03d}")
        os.makedirs(d)
        out, store = os.path.join(d, "o"), os.path.join(d, "s.sqlite")
        _, killed, hung, rc, err = watch_and_kill(ctx.bin, out, store, d, at)
        found = []
        if hung:
            found.append(("hang", "the run did not end within 120 s"))
        if not killed and (rc != 0 or "panicked" in err):
            found.append(("run", f"ended rc {rc} before its kill point: {snippet(err)}"))
        f2, notes = check_folder(out, store, killed)
        # Opening the store afterwards marks the dead run interrupted, without a panic.
        res = run_argv(ctx.bin, ["runs", "--store", store, "--format", "csv"], d, 60)
        found += f2 + [(k2, f"`entente runs`: {m}") for k2, m in basic_findings(res)]
        return k, at, killed, found, notes, d

    with ThreadPoolExecutor(max_workers=ctx.jobs) as pool:
        outcomes = list(pool.map(lambda a: one(*a), enumerate(points[:n])))
    for k, at, killed, found, notes, d in outcomes:
        sec.cases += 1
        cid = f"kill/{k:03d}"
        point = "RUNNING removed" if at == "gone" else f"file {at} ({order[at - 1]})"
        what = f"killed at {point}" if killed else f"not killed ({point}: the run ended first)"
        for m in notes:
            sec.note(cid, f"{what}: {m}")
        for kind, msg in found:
            sec.finding(cid, kind, f"{what}: {msg}", d)
        if not found:
            shutil.rmtree(d, ignore_errors=True)


def run_concurrent(ctx, sec, rng, n=4):
    d = os.path.join(ctx.out, "concurrent")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    ps = [subprocess.Popen([ctx.bin] + RUN, cwd=d, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           start_new_session=True) for _ in range(n)]
    errs = []
    for p in ps:
        try:
            errs.append(p.communicate(timeout=300)[1].decode("utf-8", "replace"))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            errs.append(p.communicate()[1].decode("utf-8", "replace"))
            sec.finding("concurrent", "hang", "a run did not end within 300 s", d)
    sec.cases += n
    for i, (p, e) in enumerate(zip(ps, errs)):
        if p.returncode != 0:
            sec.finding(f"concurrent/{i}", "run", f"rc {p.returncode}: {snippet(e)}", d)
    out = os.path.join(d, "out")
    folders = sorted(x for x in os.listdir(out) if os.path.isdir(os.path.join(out, x))) \
        if os.path.isdir(out) else []
    rows = store_rows(os.path.join(out, "entente.sqlite"))
    bad = []
    if len(folders) != n:
        bad.append(f"{len(folders)} folders for {n} runs: {folders}")
    if len(rows) != n:
        bad.append(f"{len(rows)} store records for {n} runs")
    dirs = [os.path.realpath(r[1]) for r in rows]
    if len(set(dirs)) != len(dirs):
        bad.append("two store records point at one folder")
    for rid, odir, status in rows:
        if status != "complete":
            bad.append(f"run {rid} is {status}")
        try:
            with open(os.path.join(odir, "run.json")) as f:
                rj = json.load(f)
        except (OSError, ValueError) as e:
            bad.append(f"run {rid}: {odir}/run.json unreadable ({e})")
            continue
        if rj.get("run_id") != rid:
            bad.append(f"crossed: store run {rid} points at {odir}, whose run.json is {rj.get('run_id')}")
        if os.path.exists(os.path.join(odir, "RUNNING")):
            bad.append(f"run {rid}: RUNNING left in a complete run's folder")
    for m in bad:
        sec.finding("concurrent", "crossed", m, d)
    if not bad and not sec.findings:
        sec.note("concurrent", f"{n} runs, {n} folders, {n} complete records, none crossed")
        shutil.rmtree(d, ignore_errors=True)
