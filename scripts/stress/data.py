"""Section `data`: `--data-dir` overrides holding one mutated copy of a bundled data file
(truncated, header only, emptied, corrupted cells, ...), read by `entente world`, which
loads every data set. A finding: a panic, signal or hang; an override that empties a data
set accepted without a word about it; an error that names no file."""

import glob
import os
import shutil

from common import REPO, Case, error_text, run_argv, run_cases, snippet
from mutate import mutate_table

EMPTYING = ("header only", "empty file")


def check_for(rel, desc):
    def check(case, res, before):
        found, notes = [], []
        path = os.path.join(case.dir, "d", rel)
        if res.rc == 0 and desc in EMPTYING:
            said = [l for l in res.err.splitlines() if rel in l]
            if not said:
                found.append(("silent-empty", f"{rel} emptied ({desc}) and accepted silently"))
            else:
                notes.append(f"{rel} emptied ({desc}) accepted with: {snippet(said[0], 120)}")
        elif res.rc == 0 and not any(rel in l for l in res.err.splitlines()):
            notes.append(f"{rel} override ({desc}) accepted without a line naming it")
        if res.rc == 1 and not res.timed_out:
            err = error_text(res.err)
            if path not in err and rel not in err:
                found.append(("unlocated", f"error does not name {rel}: {snippet(err)}"))
        return found, notes

    return check


def read_files(ctx, sec, root, files):
    """The files the engine reads: an override of every file, and the ones `world` says it
    replaced (the others are not data sets of the engine; overriding them changes nothing)."""
    d = os.path.join(ctx.out, "data-all")
    for rel in files:
        os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
        shutil.copy(os.path.join(root, rel), os.path.join(d, rel))
    res = run_argv(ctx.bin, ["world", "--year", "2024", "--data-dir", d], d, 120)
    shutil.rmtree(d, ignore_errors=True)
    read = [rel for rel in files if f"data/{rel} replaced by" in res.err]
    for rel in sorted(set(files) - set(read)):
        sec.note("data", f"{rel} is not read by the engine (an override of it is ignored)")
    if res.rc != 0 or not read:
        sec.finding("data", "baseline", f"an override of every file unchanged failed: "
                    f"rc {res.rc}: {snippet(res.err)}")
    return read


def run(ctx, sec, rng, n=100):
    root = os.path.join(REPO, "data")
    files = sorted(os.path.relpath(p, root)
                   for p in glob.glob(os.path.join(root, "**", "*.csv"), recursive=True))
    files = read_files(ctx, sec, root, files)
    if not files:
        return
    raws = {}
    cases = []
    for k in range(n):
        # Every file gets its header-only and empty cases first, then random mutations.
        if k < 2 * len(files):
            rel = files[k // 2]
            kinds = ["header-only"] if k % 2 == 0 else ["empty"]
        else:
            rel = rng.choice(files)
            kinds = None
        if rel not in raws:
            with open(os.path.join(root, rel), "rb") as f:
                raws[rel] = f.read()
        desc, data = mutate_table(rng, raws[rel], kinds=kinds)
        cid = f"data/{k:03d}"
        cases.append(Case(cid, f"{rel}: {desc}",
                          ["world", "--year", "2024", "--data-dir", "d"],
                          files={os.path.join("d", rel): data}, timeout=60,
                          check=check_for(rel, desc)))
    run_cases(ctx, sec, cases)
