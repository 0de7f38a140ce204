#!/usr/bin/env python3
"""Timings of the Python package against the CLI (no test asserts them).

1. `entente.world(2024)` after `import entente` (the target: under 50 ms).
2. `entente.run` against `entente run` on the same scenario, draws and seed (the target: at
   most 5% overhead), two ways: in a warm interpreter (the data already loaded at import),
   and as a fresh `python -c "import entente; entente.run(...)"` process against a fresh
   `entente` process, which both load the data.

Usage: scripts/python-bench.py [--bin target/release/entente] [--draws 2] [--repeat 3]
       [--scenario examples/quad-pact.toml]
Run it with the virtual environment's Python that has the package installed
(e.g. target/python-venv/bin/python scripts/python-bench.py).
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "entente"))
    ap.add_argument("--draws", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scenario", default="nato-ip4")
    a = ap.parse_args()

    t0 = time.perf_counter()
    import entente

    t_import = time.perf_counter() - t0
    world = []
    for _ in range(20):
        t = time.perf_counter()
        entente.world(2024)
        world.append(time.perf_counter() - t)
    print(f"import entente: {t_import * 1e3:.0f} ms (loads and indexes the bundled data)")
    print(
        f"entente.world(2024): first {world[0] * 1e3:.1f} ms, "
        f"median {statistics.median(world) * 1e3:.1f} ms, min {min(world) * 1e3:.1f} ms (20 calls)"
    )

    scenario_args = [] if a.scenario == "nato-ip4" else [a.scenario]
    common = ["--draws", str(a.draws), "--seed", str(a.seed), "--quiet"]
    cli, warm, cold = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "store.sqlite"
        for i in range(a.repeat):
            t = time.perf_counter()
            subprocess.run(
                [a.bin, "run", *scenario_args, *common, "--out", str(tmp / f"cli{i}"),
                 "--store", str(store)],
                check=True, stdout=subprocess.DEVNULL,
            )
            cli.append(time.perf_counter() - t)
            t = time.perf_counter()
            r = entente.run(a.scenario, draws=a.draws, seed=a.seed, out=tmp / f"py{i}", store=store)
            warm.append(time.perf_counter() - t)
            code = (
                "import entente; entente.run(%r, draws=%d, seed=%d, out=%r, store=%r)"
                % (a.scenario, a.draws, a.seed, str(tmp / f"cold{i}"), str(store))
            )
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            cold.append(time.perf_counter() - t)
            same = all(
                (tmp / f"cli{i}" / n).read_bytes() == (tmp / f"py{i}" / n).read_bytes()
                for n in ("claims.csv", "draws.parquet")
            )
            if not same:
                sys.exit("claims.csv or draws.parquet differ between the CLI and Python")
    m_cli, m_warm, m_cold = map(statistics.median, (cli, warm, cold))
    print(f"{a.scenario}, draws={a.draws} ({r.n_draws} draws), seed {a.seed}, {a.repeat} repeats, medians:")
    print(f"  entente run (process):             {m_cli:.2f} s")
    print(f"  entente.run (warm interpreter):    {m_warm:.2f} s  ({100 * (m_warm / m_cli - 1):+.1f}%)")
    print(f"  python -c 'entente.run' (process): {m_cold:.2f} s  ({100 * (m_cold / m_cli - 1):+.1f}%)")
    print("  claims.csv and draws.parquet: byte-identical in every repeat")


if __name__ == "__main__":
    main()
