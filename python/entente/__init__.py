"""Entente from Python: power, alliances, threat, arms races, alignment and bargaining on real
data, with results as pandas DataFrames and pyarrow Tables.

The engine is Entente's Rust workspace, called directly (not the ``entente`` binary): a run
from Python with a given seed writes byte-identical ``claims.csv`` to ``entente run`` with
that seed, and the same draws (under its own run id) to ``draws.parquet``.

>>> import entente
>>> w = entente.world(2024, actors=["JPN", "KOR"])          # doctest: +SKIP
>>> r = entente.run(base_samples=2, seed=1)                  # doctest: +SKIP
>>> r.claims[["claim", "status", "probability"]]             # doctest: +SKIP

Errors are Python exceptions carrying the engine's located messages: a bad scenario raises
:class:`ScenarioError`, whose ``.problems`` lists each problem's file, line, column and
message; other bad input raises :class:`InputError`; both derive from :class:`EntenteError`.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence, Union

import pandas as pd
import pyarrow as pa

from . import _entente
from ._entente import ArrowTable, EntenteError, InputError, Problem, ScenarioError

__all__ = [
    "world",
    "dyads",
    "align",
    "run",
    "Run",
    "hindcast",
    "Hindcast",
    "bdm",
    "smp",
    "landscape",
    "maxcut",
    "cite",
    "versions",
    "EntenteError",
    "ScenarioError",
    "InputError",
    "Problem",
    "FLAGSHIP",
]

__version__: str = _entente.version()[0]

#: The bundled flagship scenario's name (``scenarios/nato-ip4.toml``).
FLAGSHIP = "nato-ip4"

# Load and index the bundled data once, at import, so `world` answers at once.
_entente.load_data()

_NULLABLE = {
    pa.float64(): pd.Float64Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
    pa.string(): pd.StringDtype(),
}


def _frame(t: ArrowTable) -> pd.DataFrame:
    """An engine table as a DataFrame with pandas' nullable dtypes (missing is ``pd.NA``)."""
    return pa.table(t).to_pandas(types_mapper=_NULLABLE.get)


def _actors(actors: Union[None, str, Sequence[str]]) -> list:
    if actors is None:
        return []
    if isinstance(actors, str):
        return [a.strip() for a in actors.split(",")]
    return [str(a) for a in actors]


def world(year: int, actors: Union[None, str, Sequence[str]] = None) -> pd.DataFrame:
    """The world state of ``year``: one row per state, the columns of ``entente world``.

    Args:
        year: a year of the data (1816-2024).
        actors: ISO3 codes, COW abbreviations or codes, state names or groups (``NATO``,
            ``ASEAN``, ``IP4``, by membership in that year), as a list or a comma-separated
            string. Default: every state in the system that year.

    Returns:
        A DataFrame with one row per state. Every number carries its unit in its column
        name (``milex_const2023_usd_m``, ``gdp_current_usd_bn``, ``population_k``...), every
        sourced value a ``*_source`` column (``nmc``, ``sipri``, ``spliced``, ``assumed``,
        ``interpolated``, ``estimated``), and missing values are ``pd.NA`` (pandas' nullable
        dtypes), never 0. docs/codebook.md lists every column.

    Raises:
        InputError: a year outside the data or an actor that names no state (with
            suggestions).
    """
    return _frame(_entente.world_table(int(year), _actors(actors)))


def dyads(year: int, actors: Union[str, Sequence[str]]) -> pd.DataFrame:
    """Every pair of ``actors`` in ``year``: alliance ties (ATOP obligations and COW types),
    contiguity, distances, rivalry, peace years, as ``entente world --dyads``.

    Args:
        year: a year of the data.
        actors: as in :func:`world` (required: the table has one row per pair).

    Returns:
        A DataFrame with one row per pair ``(a, b)``, ``a`` before ``b`` in the order given.
    """
    return _frame(_entente.dyads_table(int(year), _actors(actors)))


ScenarioLike = Union[str, "os.PathLike[str]", Mapping[str, Any]]


def align(
    year: int,
    scenario: ScenarioLike = FLAGSHIP,
    draws: int = 384,
    seed: Optional[int] = None,
) -> pd.DataFrame:
    """The scenario chain's alignment step on the world of ``year``, as ``entente align``.

    The landscape has three places (``west``: with the USA, ``east``: with China,
    ``unaligned``); its weights are estimated on the years 1950 to ``year - 1``
    (docs/alignment.md), and each draw takes its weights, threat parameters and hazard
    coefficients from their distributions.

    Args:
        year: the year whose world is aligned (1951 to the last data year).
        scenario: the bundled flagship (``"nato-ip4"``), a scenario file's path or a dict;
            its actors, blocs, anchors and priors are used.
        draws: number of draws (each is one landscape; not base samples).
        seed: the seed (default: the scenario's).

    Returns:
        One row per actor: ``state`` (ISO3), ``unit`` (its landscape unit), ``observed``
        (its place from its formal ties), the shares of draws ``west``, ``east``,
        ``unaligned`` and its ``modal`` place.

    Raises:
        InputError: a year outside the data or ``draws`` below 1.
        ScenarioError: a scenario file with problems (each located).
    """
    kind, value = _scenario(scenario)
    return _frame(
        _entente.align_table(kind, value, int(year), int(draws), None if seed is None else int(seed))
    )


def _scenario(scenario: ScenarioLike) -> tuple:
    if isinstance(scenario, Mapping):
        return "json", json.dumps(scenario)
    s = os.fspath(scenario)
    if s in (FLAGSHIP, "flagship"):
        return "flagship", ""
    if not Path(s).is_file():
        raise FileNotFoundError(
            f"scenario {s!r}: no such file (give a scenario file's path, a dict, or "
            f"{FLAGSHIP!r} for the bundled flagship)"
        )
    return "path", s


def _progress(progress: Union[None, bool, Callable[[int, int], Any]], label: str):
    """The callback the engine calls after each draw, and a function closing it."""
    if progress is None or progress is False:
        return None, lambda: None
    if callable(progress):
        return progress, lambda: None
    try:
        from tqdm.auto import tqdm  # type: ignore[import-not-found]
    except ImportError:
        tqdm = None
    if tqdm is not None:
        bar = tqdm(desc=label, unit="draw")

        def tick(done: int, total: int) -> None:
            bar.total = total
            if done > bar.n:  # calls from worker threads may arrive out of order
                bar.update(done - bar.n)

        return tick, bar.close
    last = [-1]

    def text(done: int, total: int) -> None:
        pct = 100 * done // max(total, 1)
        if pct > last[0]:
            last[0] = pct
            print(f"\r{label}: {done}/{total} draws", end="", file=sys.stderr, flush=True)

    return text, lambda: print(file=sys.stderr)


def _store(store: Union[None, str, "os.PathLike[str]"]) -> str:
    if store is None:
        return os.environ.get("ENTENTE_STORE", "out/entente.sqlite")
    return os.fspath(store)


def _read_csv(path: Path) -> pd.DataFrame:
    # Empty fields stay "" (a system-level state); only NA is missing (docs/outputs.md).
    return pd.read_csv(path, keep_default_na=False, na_values=["NA"])


@dataclass
class Run:
    """A finished run of a scenario (what ``entente run`` writes, in memory too).

    Attributes:
        run_id: the run store's id (``YYYYMMDDTHHMMSSZ-xxxxxxxx``).
        out: the run's folder (claims.csv, draws.parquet, report.html, summary.json...).
        scenario, seed, base_samples: what ran.
        n_draws: the number of draws (design points times replications; a Saltelli design
            has base samples times (uncertain parameters + 2) points).
        draws: the tidy draws as a ``pyarrow.Table`` (the engine's Arrow batches, not
            copied): one row per draw, option, year, state and metric, with every parameter.
        warnings: options whose results equal another's in every draw (also issued as
            Python warnings, as ``entente run`` prints them on stderr).
    """

    run_id: str
    out: Path
    scenario: str
    seed: int
    base_samples: int
    n_draws: int
    draws: pa.Table = field(repr=False)
    warnings: list = field(default_factory=list, repr=False)

    @property
    def claims(self) -> pd.DataFrame:
        """One row per claim: status, probability with its 95% interval, the comparison,
        the top driver (``claims.csv``; docs/outputs.md says what each column means)."""
        return _read_csv(self.out / "claims.csv")

    @property
    def codebook(self) -> pd.DataFrame:
        """What each metric of the draws measures, in which unit, for which years."""
        return _read_csv(self.out / "codebook.csv")

    @property
    def summary(self) -> dict:
        """What the report and the dashboard draw (``summary.json``, schema
        ``entente.run-summary/1``): spending fans, threat bands, alignment shares, claims."""
        with open(self.out / "summary.json", encoding="utf-8") as f:
            return json.load(f)

    @property
    def report_path(self) -> Path:
        """The self-contained HTML report."""
        return self.out / "report.html"

    def draws_frame(self) -> pd.DataFrame:
        """The draws as a pandas DataFrame (``option`` categorical, missing values NaN)."""
        return self.draws.to_pandas()


def run(
    scenario: ScenarioLike = FLAGSHIP,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: Union[None, str, "os.PathLike[str]"] = None,
    *,
    store: Union[None, str, "os.PathLike[str]"] = None,
    progress: Union[None, bool, Callable[[int, int], Any]] = None,
    csv: bool = False,
    base_samples: Optional[int] = None,
) -> Run:
    """Run every policy option of a scenario over the same sampled worlds, as ``entente run``.

    The same code path as the CLI: a new run folder, the run recorded in the run store,
    ``claims.csv``, ``draws.parquet``, ``report.html``, ``summary.json``, ``run.json``. With the
    same seed and draws ``claims.csv`` is byte-identical to ``entente run``'s and
    ``draws.parquet`` holds the same draws under the run's own id. The GIL is released while
    the draws run.

    Args:
        scenario: ``"nato-ip4"`` (the bundled flagship, the default), the path of a scenario
            file (TOML, docs/scenarios.md), or a dict with the same structure as the file
            (problems are then located in the TOML the dict is written as, named
            ``<dict>``).
        draws: draws in all (like ``entente run --draws``), rounded up to the design's whole
            base samples (a Saltelli design makes ``N (k + 2)`` draws for ``k`` uncertain
            parameters, 14 per base sample on the flagship) or points. Default: the
            scenario's ``[experiment]``.
        base_samples: instead of ``draws``, the Saltelli design's base samples ``N``
            (``base_samples=2`` on the flagship makes 28 draws).
        seed: the seed (default: the scenario's). Results do not depend on anything else.
        threads: worker threads (default: all cores). Results do not depend on it.
        out: the run's folder. Default: a new folder ``out/<scenario>-<run id>/`` under the
            current directory, as the CLI does.
        store: the SQLite run store (default: ``$ENTENTE_STORE`` or ``out/entente.sqlite``).
        progress: ``None`` (nothing), ``True`` (a tqdm bar when tqdm is installed, else a line
            on stderr), or a callable ``f(done, total)`` called after each draw (from worker
            threads, holding the GIL). An exception it raises stops further calls and is
            raised when the run ends.
        csv: also write ``draws.csv``.

    Returns:
        A :class:`Run`: ``.claims`` (DataFrame), ``.draws`` (pyarrow Table), ``.summary``
        (dict), ``.report_path``, ``.run_id``, ``.out``.

    Raises:
        ScenarioError: the scenario has problems; ``.problems`` lists each with its file,
            line, column and message (all of them, not only the first).
        InputError: draws outside 1-10000000, base_samples outside 2-100000 (or with a sampler other than
            saltelli), a file that cannot be read, a dict not writable as TOML.
        EntenteError: the engine failed (the run store then records the run ``failed``).
        FileNotFoundError: ``scenario`` names no file.
    """
    kind, value = _scenario(scenario)
    tick, close = _progress(progress, "entente.run")
    try:
        r = _entente.run(
            kind,
            value,
            draws=draws,
            seed=seed,
            threads=threads,
            out=None if out is None else os.fspath(out),
            store=_store(store),
            progress=tick,
            csv=csv,
            base_samples=base_samples,
        )
    finally:
        close()
    for w in r["warnings"]:
        # As `entente run` says on stderr: an option that changes nothing the models compute.
        warnings.warn(w, stacklevel=2)
    return Run(
        run_id=r["run_id"],
        out=Path(r["out"]),
        scenario=r["scenario"],
        seed=r["seed"],
        base_samples=r["base_samples"],
        n_draws=r["n_draws"],
        draws=pa.table(r["draws"]),
        warnings=list(r["warnings"]),
    )


@dataclass
class Hindcast:
    """A finished hindcast (what ``entente hindcast`` writes).

    Attributes:
        run_id, out: the run store's id and the folder (forecast.csv, hindcast.json,
            hindcast.html).
        start, end: the base year and the last year scored.
        n_draws: the number of draws.
    """

    run_id: str
    out: Path
    scenario: str
    start: int
    end: int
    seed: int
    n_draws: int

    @property
    def scores(self) -> dict:
        """Scores per state and overall, for the ``observed`` ties and the ``frozen`` ones
        (``hindcast.json``, schema ``entente.hindcast/1``)."""
        with open(self.out / "hindcast.json", encoding="utf-8") as f:
            return json.load(f)

    @property
    def forecast(self) -> pd.DataFrame:
        """Every draw's spending path: state, year, draw, option, value (constant 2023 US$ m)."""
        return _read_csv(self.out / "forecast.csv")

    @property
    def report_path(self) -> Path:
        """The hindcast's HTML page (each scored state's fan with the realised path)."""
        return self.out / "hindcast.html"


def hindcast(
    start: int,
    end: Optional[int] = None,
    scenario: ScenarioLike = FLAGSHIP,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: Union[None, str, "os.PathLike[str]"] = None,
    *,
    store: Union[None, str, "os.PathLike[str]"] = None,
    progress: Union[None, bool, Callable[[int, int], Any]] = None,
) -> Hindcast:
    """Run a scenario's chain from the world of a past year and score it against what
    happened, as ``entente hindcast --from START --to END`` (docs/calibration.md).

    Args:
        start: the base year: the chain starts from its world and is fitted on the data up
            to it only.
        end: the last year forecast and scored (default: the last year of spending data).
        scenario: as in :func:`run`.
        draws: draws, rounded up to whole base samples of the Saltelli design (like
            ``entente hindcast --draws``). Default: the scenario's experiment.
        seed, threads, out, store, progress: as in :func:`run`; the default folder is
            ``out/hindcast-<scenario>-<start>-<end>-<run id>/``.

    Returns:
        A :class:`Hindcast`: ``.scores`` (dict), ``.forecast`` (DataFrame), ``.report_path``.

    Raises:
        InputError: a window the data cannot score (the message says which years can).
        ScenarioError, EntenteError: as in :func:`run`.
    """
    kind, value = _scenario(scenario)
    tick, close = _progress(progress, "entente.hindcast")
    try:
        r = _entente.hindcast(
            kind,
            value,
            int(start),
            to=None if end is None else int(end),
            draws=draws,
            seed=seed,
            threads=threads,
            out=None if out is None else os.fspath(out),
            store=_store(store),
            progress=tick,
        )
    finally:
        close()
    return Hindcast(
        run_id=r["run_id"],
        out=Path(r["out"]),
        scenario=r["scenario"],
        start=r["from"],
        end=r["to"],
        seed=r["seed"],
        n_draws=r["n_draws"],
    )


from ._models import bdm, cite, landscape, maxcut, smp, versions  # noqa: E402
