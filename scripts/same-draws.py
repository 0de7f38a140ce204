#!/usr/bin/env python3
"""Whether two run folders' draws.parquet hold the same draws: every column and every
metadata entry equal but the run's id, which must be the id of each folder's run.json.

    same-draws.py RUN_A RUN_B     exit 0 if the same, 1 (saying what differs) if not

Two runs of the same scenario, seed and design give the same draws, each under its own run
id (docs/outputs.md), so their files differ in those bytes only. Needs pyarrow."""
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq


def load(folder: Path):
    run_id = json.loads((folder / "run.json").read_text())["run_id"]
    table = pq.read_table(folder / "draws.parquet")
    meta = dict(pq.read_metadata(folder / "draws.parquet").metadata or {})
    ids = table.column("run_id").unique().to_pylist()
    if ids != [run_id]:
        sys.exit(f"{folder}/draws.parquet: run_id {ids}, but run.json says {run_id}")
    if meta.pop(b"entente.run_id", b"").decode() != run_id:
        sys.exit(f"{folder}/draws.parquet: its entente.run_id metadata is not {run_id}")
    return table.drop_columns(["run_id"]), meta


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    (a, meta_a), (b, meta_b) = (load(Path(p)) for p in sys.argv[1:])
    if a.schema != b.schema:
        sys.exit(f"the columns differ:\n{a.schema}\n---\n{b.schema}")
    for name in a.column_names:
        if not a.column(name).equals(b.column(name)):
            sys.exit(f"column `{name}` differs")
    # The Arrow schema entry embeds the field types only, so it is compared as the rest.
    if meta_a != meta_b:
        sys.exit(f"the file metadata differs: {meta_a} against {meta_b}")
    if a.num_rows == 0:
        sys.exit("draws.parquet has no rows")


if __name__ == "__main__":
    main()
