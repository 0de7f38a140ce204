#!/usr/bin/env python3
"""Entente's stress suite (issue 19): mutated scenarios and model inputs, data overrides,
runs killed at every file, concurrent runs, hostile HTTP requests, all against the
`entente` binary. Seeded and deterministic for a seed; bounded by --budget-s. Prints a
summary per section and every finding with its reproducer folder; exit 1 on any finding.
See scripts/stress/README.md."""

import argparse
import os
import random
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import data  # noqa: E402
import models  # noqa: E402
import runs  # noqa: E402
import scenarios  # noqa: E402
import server  # noqa: E402
from common import REPO, Ctx, Section  # noqa: E402

# (name, function, default case count), in the order they run.
SECTIONS = [
    ("scenarios", scenarios.run, 60),
    ("models", models.run, 280),
    ("data", data.run, 100),
    ("kill", runs.run_kill, 12),
    ("concurrent", runs.run_concurrent, 4),
    ("server", server.run, 200),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "debug", "entente"))
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--budget-s", type=float, default=540.0,
                    help="stop starting cases after this many seconds (skips are reported)")
    ap.add_argument("--only", action="append", choices=[s[0] for s in SECTIONS],
                    help="run only this section (repeatable)")
    ap.add_argument("--out", default=os.path.join(REPO, "target", "stress"),
                    help="folder for reproducers of findings (emptied first)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--slow-bound", type=float, default=15.0,
                    help="seconds a half-sent HTTP request may stay open")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every case count")
    a = ap.parse_args()
    bin_path = os.path.abspath(a.bin)
    if not os.access(bin_path, os.X_OK):
        sys.exit(f"stress: no entente binary at {bin_path} (cargo build -p entente-cli)")
    out = os.path.abspath(a.out)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    t_start = time.monotonic()
    ctx = Ctx(bin_path, a.seed, out, t_start + a.budget_s, a.jobs, a.slow_bound)
    done = []
    for name, fn, n in SECTIONS:
        if a.only and name not in a.only:
            continue
        sec = Section(name)
        # Each section has its own generator, so --only gives the same cases as a full run.
        rng = random.Random(f"{a.seed}/{name}")
        t0 = time.monotonic()
        if ctx.left() <= 0:
            sec.skipped = n
        else:
            try:
                fn(ctx, sec, rng, max(1, round(n * a.scale)))
            except Exception as e:  # the suite's own failure is a finding, not a crash
                sec.finding(name, "suite-error", f"{type(e).__name__}: {e}")
        sec.secs = time.monotonic() - t0
        done.append(sec)
        print(f"[{name}] {sec.cases} cases, {len(sec.findings)} findings, {len(sec.notes)} notes,"
              f" {sec.skipped} skipped, {sec.secs:.1f} s", flush=True)
    report(done, out, time.monotonic() - t_start, a.seed)
    bad = any(s.findings for s in done) or any(s.skipped for s in done)
    sys.exit(1 if bad else 0)


def report(done, out, secs, seed):
    print(f"\n== stress summary (seed {seed}, {secs:.1f} s) ==")
    print(f"{'section':12} {'cases':>6} {'findings':>9} {'notes':>6} {'skipped':>8} {'seconds':>8}")
    for s in done:
        print(f"{s.name:12} {s.cases:6} {len(s.findings):9} {len(s.notes):6} {s.skipped:8}"
              f" {s.secs:8.1f}")
    for s in done:
        if s.notes:
            print(f"\n-- {s.name}: notes --")
            for cid, m in s.notes[:15]:
                print(f"  {cid}: {m}")
            if len(s.notes) > 15:
                print(f"  ... {len(s.notes) - 15} more")
    total = sum(len(s.findings) for s in done)
    for s in done:
        if s.findings:
            print(f"\n-- {s.name}: {len(s.findings)} FINDINGS --")
            for cid, kind, m, repro in s.findings:
                where = f"\n      reproducer: {repro}" if repro else ""
                print(f"  FINDING [{kind}] {cid}: {m}{where}")
    skipped = sum(s.skipped for s in done)
    print(f"\n{total} findings, {skipped} cases skipped by the budget; reproducers under {out}")


if __name__ == "__main__":
    main()
