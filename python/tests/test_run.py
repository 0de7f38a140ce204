"""entente.run: the Run object, pandas/pyarrow interop, progress, and the same bytes as the CLI."""

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import entente
from conftest import run_cli

SMALL = dict(base_samples=2, seed=11)


@pytest.fixture(scope="module")
def quad(root):
    return root / "examples" / "quad-pact.toml"


@pytest.fixture(scope="module")
def small_run(tmp_path_factory, quad):
    d = tmp_path_factory.mktemp("run")
    return entente.run(quad, out=d / "run", store=d / "store.sqlite", **SMALL)


def test_run_returns_claims_draws_summary(small_run):
    r = small_run
    assert r.scenario == "quad-pact"
    assert r.seed == 11 and r.base_samples == 2
    claims = r.claims
    assert isinstance(claims, pd.DataFrame)
    assert list(claims.claim) == ["china-spends-more", "japan-safer", "not-modelled"]
    assert set(claims.status) <= {"empirical", "prior_bound", "robust", "structural", "not_modelled"}
    nm = claims[claims.claim == "not-modelled"].iloc[0]
    assert nm.status == "not_modelled" and pd.isna(nm.probability)
    assert r.report_path.is_file() and r.report_path.name == "report.html"
    assert r.summary["schema"].startswith("entente.run-summary/")
    assert (r.out / "run.json").is_file()
    assert json.loads((r.out / "run.json").read_text())["run_id"] == r.run_id
    assert not (r.out / "RUNNING").exists()


def test_draws_are_a_pyarrow_table_equal_to_the_parquet_file(small_run):
    r = small_run
    assert isinstance(r.draws, pa.Table)
    on_disk = pq.read_table(r.out / "draws.parquet")
    assert r.draws.num_rows == on_disk.num_rows > 0
    assert r.draws.schema.names == on_disk.schema.names
    # Same values, types and order as the file the CLI's code wrote.
    assert r.draws.equals(on_disk)
    assert sorted(set(r.draws.column("draw").to_pylist())) == list(range(r.n_draws))
    df = r.draws_frame()
    assert isinstance(df.option.dtype, pd.CategoricalDtype)
    assert set(df.option.cat.categories) == {"status-quo", "quad-defence"}
    # Missing is NA, never 0: the system-level rows have state "" and values may be NaN.
    assert (df.metric == "milex_const2023_usd_m").any()


def test_the_run_is_recorded_in_the_store(small_run):
    import sqlite3

    con = sqlite3.connect(small_run.out.parent / "store.sqlite")
    rows = con.execute("SELECT id, status, seed FROM runs").fetchall()
    claims = con.execute("SELECT COUNT(*) FROM claims WHERE run_id = ?", (small_run.run_id,)).fetchone()
    con.close()
    assert rows == [(small_run.run_id, "complete", 11)]
    assert claims[0] == 2  # the two modelled claims


def draws_of(folder):
    """A run folder's draws without the run id, after checking every row names run.json's."""
    run_id = json.loads((folder / "run.json").read_text())["run_id"]
    table = pq.read_table(folder / "draws.parquet")
    assert table.column("run_id").unique().to_pylist() == [run_id]
    meta = pq.read_metadata(folder / "draws.parquet").metadata
    assert meta[b"entente.run_id"].decode() == run_id
    return table.drop_columns(["run_id"])


def test_same_bytes_as_the_cli(cli, quad, workdir):
    py = entente.run(quad, out=workdir / "py", **SMALL)
    run_cli(cli, "run", str(quad), "--base-samples", "2", "--seed", "11", "--quiet",
            "--out", str(workdir / "cli"), "--store", str(workdir / "cli.sqlite"), cwd=workdir)
    for name in ("claims.csv", "codebook.csv", "claims_curve.csv"):
        a = (py.out / name).read_bytes()
        b = (workdir / "cli" / name).read_bytes()
        assert a == b, f"{name} differs between entente.run and entente run"
    # The same draws, each run under its own id.
    assert draws_of(py.out).equals(draws_of(workdir / "cli"))


def test_seed_changes_the_draws_and_threads_do_not(quad, workdir):
    a = entente.run(quad, base_samples=2, seed=1, threads=1, out=workdir / "a")
    b = entente.run(quad, base_samples=2, seed=1, threads=2, out=workdir / "b")
    c = entente.run(quad, base_samples=2, seed=2, out=workdir / "c")
    assert draws_of(a.out).equals(draws_of(b.out))
    assert not draws_of(a.out).equals(draws_of(c.out))
    assert draws_of(c.out).column("seed").unique().to_pylist() == [2]


def test_progress_callback_sees_every_draw(quad, workdir):
    seen = []
    r = entente.run(quad, base_samples=2, seed=3, out=workdir / "p", progress=lambda d, t: seen.append((d, t)))
    assert len(seen) == r.n_draws
    assert sorted(d for d, _ in seen) == list(range(1, r.n_draws + 1))
    assert {t for _, t in seen} == {r.n_draws}


def test_a_raising_progress_callback_is_raised_not_swallowed(quad, workdir):
    def boom(done, total):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        entente.run(quad, base_samples=2, seed=3, out=workdir / "boom", progress=boom)


def test_a_new_folder_under_out_by_default(quad, workdir):
    r = entente.run(quad, base_samples=2, seed=5)
    assert r.out.parent == (workdir / "out").resolve()
    assert r.out.name == f"quad-pact-{r.run_id}"


def test_a_scenario_dict_runs(quad, workdir):
    import tomllib

    sc = tomllib.loads(quad.read_text())
    sc["scenario"]["name"] = "quad-dict"
    r = entente.run(sc, base_samples=2, seed=11, out=workdir / "d")
    assert r.scenario == "quad-dict"
    assert len(r.claims) == 3


def test_help_explains_every_argument():
    doc = entente.run.__doc__
    for arg in ("scenario", "draws", "seed", "threads", "out", "store", "progress", "csv"):
        assert f"\n        {arg}" in doc or f" {arg}:" in doc, arg


def test_draws_means_draws_and_base_samples_the_saltelli_size(quad, workdir):
    per = entente.run(quad, base_samples=2, seed=1, out=workdir / "n2").n_draws // 2  # k + 2
    r = entente.run(quad, draws=per * 2 + 1, seed=1, out=workdir / "d")
    # Rounded up to whole base samples: the fewest that reach the draws asked.
    assert r.n_draws == per * 3
    assert sorted(set(r.draws.column("draw").to_pylist())) == list(range(per * 3))
