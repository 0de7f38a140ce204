"""The models on plain data, and what to cite.

Each model's table is written in the CSV form its ``entente`` command reads and parsed by
the same located parser, so a bad cell raises :class:`entente.InputError` naming its row and
column as the CLI would.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _entente
from ._entente import InputError

PathLike = Union[str, "os.PathLike[str]"]


def _frame(columns: Mapping[str, list], order: Sequence[str]) -> pd.DataFrame:
    """Columns from the engine (a JSON object, so in no particular order) in ``order``."""
    return pd.DataFrame({c: columns[c] for c in order})


def _csv(df: pd.DataFrame, index: bool = False) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=index, lineterminator="\n")
    return buf.getvalue()


@dataclass
class BdmResult:
    """Bueno de Mesquita's model, played.

    Attributes:
        rounds: one row per round (0 is the input): ``round, median, mean, min, max, moves``.
        actors: one row per actor and round: ``round, actor, position, risk, offer,
            proposer`` (offer and proposer NA when the actor did not move).
        stop: why play stopped: ``round_limit``, ``cycle``, ``converged``,
            ``no_risk_spread``.
        warnings: what the parser noticed.
    """

    rounds: pd.DataFrame
    actors: pd.DataFrame
    stop: str
    warnings: list = field(default_factory=list)


def bdm(
    actors: Union[pd.DataFrame, PathLike],
    rounds: int = 10,
    *,
    capitulation: bool = False,
    per_pair_denominator: bool = False,
    stop_on_cycle: bool = False,
) -> BdmResult:
    """Bueno de Mesquita's expected-utility bargaining model (Scholz et al.'s coding), as
    ``entente bdm``.

    Args:
        actors: a DataFrame (or a CSV file's path) with columns ``Actor, Capability,
            Position, Salience`` (salience in [0, 1]).
        rounds: the largest number of rounds to play.
        capitulation: let capitulation fire (by default, as in the Scholz code, it never does).
        per_pair_denominator: the paper's per-pair probability denominator instead of the
            Scholz code's per-round one.
        stop_on_cycle: stop as soon as the positions repeat an earlier round's.

    Raises:
        InputError: a missing column or a bad cell (located by row and column).
    """
    if isinstance(actors, pd.DataFrame):
        text, name = _csv(actors), "<DataFrame>"
    else:
        name = os.fspath(actors)
        text = Path(name).read_text(encoding="utf-8")
    r = json.loads(
        _entente.bdm(
            text,
            name,
            rounds=int(rounds),
            capitulation=capitulation,
            per_pair_denominator=per_pair_denominator,
            stop_on_cycle=stop_on_cycle,
        )
    )
    return BdmResult(
        rounds=_frame(r["rounds"], ["round", "median", "mean", "min", "max", "moves"]),
        actors=_frame(r["actors"], ["round", "actor", "position", "risk", "offer", "proposer"]),
        stop=r["stop"],
        warnings=r["warnings"],
    )


@dataclass
class SmpResult:
    """KTAB's spatial model of politics, run to its stopping rule.

    Attributes:
        positions: ``turn, actor, dimension, position`` (on the scenario's scales; KTAB's
            0-100 for its CSV form).
        probabilities: ``turn, actor, probability``.
        turns: turns played.
    """

    name: str
    turns: int
    positions: pd.DataFrame
    probabilities: pd.DataFrame
    warnings: list = field(default_factory=list)


def _ktab_csv(df: pd.DataFrame, name: str) -> str:
    """A DataFrame in KTAB's actor-row layout (Actor, Description, Power, then Pstn/Sal per
    dimension) as KTAB's scenario CSV, with its first line (name, description, actors, dims)."""
    dims = (len(df.columns) - 3) // 2
    head = f"{name},{name},{len(df)},{dims}\n"
    return head + _csv(df)


def smp(
    scenario: Union[pd.DataFrame, PathLike],
    *,
    max_turns: Optional[int] = None,
    seed: Optional[int] = None,
    name: str = "scenario",
) -> SmpResult:
    """KTAB's spatial model of politics (multi-dimensional bargaining), as ``entente smp``.

    Args:
        scenario: a ``.toml`` file in Entente's form (docs/smp.md), a KTAB scenario ``.csv``,
            or a DataFrame in KTAB's actor-row layout: ``Actor, Description, Power``, then
            ``Pstn1, Sal1, Pstn2, Sal2, ...`` (positions and saliences 0-100).
        max_turns: stop after this many turns at the latest (default: the file's, else 100).
        seed: choose bargains by a seeded draw instead of the most probable one.
        name: the scenario's name, for a DataFrame.

    Raises:
        InputError: a bad file or cell (located), or an unknown file extension.
    """
    if isinstance(scenario, pd.DataFrame):
        text, file, form = _ktab_csv(scenario, name), "<DataFrame>", "csv"
    else:
        file = os.fspath(scenario)
        ext = Path(file).suffix.lower()
        if ext not in (".toml", ".csv"):
            raise InputError(
                f"{file}: cannot tell the scenario's form: name it .toml (Entente's form) "
                "or .csv (KTAB's)"
            )
        text, form = Path(file).read_text(encoding="utf-8"), ext[1:]
    r = json.loads(_entente.smp(text, file, form, max_turns=max_turns, seed=seed))
    return SmpResult(
        name=r["name"],
        turns=r["turns"],
        positions=_frame(r["positions"], ["turn", "actor", "dimension", "position"]),
        probabilities=_frame(r["probabilities"], ["turn", "actor", "probability"]),
        warnings=r["warnings"],
    )


@dataclass
class LandscapeResult:
    """Axelrod and Bennett's landscape: the global minimum, the local minima (exact mode)
    and each actor's frustration.

    Attributes:
        energy: the global minimum's energy.
        coalitions: its coalitions, each a sorted list of actors.
        neutral: actors neutral in it (with ``neutral_cost``).
        minima: the local minima (exact mode): energy, basin share, coalitions.
        actors: ``actor, frustration, alone_change, prefers_alone``.
        raw: everything the engine returned (the shape of ``entente landscape --format json``).
    """

    energy: float
    coalitions: list
    neutral: list
    minima: pd.DataFrame
    actors: pd.DataFrame
    raw: dict = field(repr=False)


def landscape(
    sizes: Union[Mapping[str, float], pd.Series, pd.DataFrame],
    propensity: pd.DataFrame,
    *,
    coalitions: int = 2,
    neutral_cost: Optional[float] = None,
    mode: str = "exact",
    time_limit: float = 10.0,
    seed: int = 0,
    restarts: int = 16,
    moves: int = 200_000,
    method: str = "bls",
) -> LandscapeResult:
    """Axelrod and Bennett's landscape model of alignment, as ``entente landscape``.

    Args:
        sizes: each actor's size: a dict or Series ``{actor: size}``, or a DataFrame with
            columns ``actor, size``.
        propensity: a square DataFrame, actors as both index and columns, diagonal NaN (a
            non-symmetric matrix is averaged with its transpose).
        coalitions: the number of coalitions (2 or more).
        neutral_cost: allow neutrality at this cost per unit of size.
        mode: ``exact`` (every configuration, small n) or ``heuristic`` (seeded restarts).
        time_limit, seed, restarts, moves, method: the heuristic's budget and search
            (``bls`` breakout local search, or ``annealing``).

    Raises:
        InputError: actors that do not match between the tables, a bad value (located).
    """
    if isinstance(sizes, pd.DataFrame):
        sizes_df = sizes[["actor", "size"]]
    else:
        s = pd.Series(sizes)
        sizes_df = pd.DataFrame({"actor": s.index.astype(str), "size": s.to_numpy()})
    p = propensity.copy()
    p.index = p.index.astype(str)
    p.columns = p.columns.astype(str)
    ptext = _csv(p, index=True)
    r = json.loads(
        _entente.landscape(
            _csv(sizes_df),
            ptext,
            coalitions=int(coalitions),
            neutral_cost=neutral_cost,
            mode=mode,
            time_limit_s=float(time_limit),
            seed=int(seed),
            restarts=int(restarts),
            moves=int(moves),
            method=method,
        )
    )
    g = r["global_minimum"]
    minima = pd.DataFrame(
        [
            {"energy": m["energy"], "basin": m["basin"], "coalitions": m["coalitions"]}
            for m in r.get("local_minima", [])
        ],
        columns=["energy", "basin", "coalitions"],
    )
    return LandscapeResult(
        energy=g["energy"],
        coalitions=g["coalitions"],
        neutral=g["neutral"],
        minima=minima,
        actors=_frame(r["actors"], ["actor", "frustration", "alone_change", "prefers_alone"]),
        raw=r,
    )


@dataclass
class MaxCutResult:
    """The best cut found: its value, each vertex's side, why the search stopped."""

    cut: float
    side: list
    stopped_by: str
    moves: int


def maxcut(
    edges: Union[pd.DataFrame, Sequence[Tuple[int, int, float]]],
    n: Optional[int] = None,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    restarts: int = 2,
    moves: Optional[int] = None,
    target: Optional[float] = None,
) -> MaxCutResult:
    """Weighted max-cut by breakout local search, as ``entente maxcut``.

    Args:
        edges: ``(i, j, weight)`` with 0-based vertices, as a list of tuples or a DataFrame
            with columns ``i, j, weight``.
        n: the number of vertices (default: the largest vertex + 1).
        time_limit: seconds before the search stops.
        seed: the search's seed.
        restarts: independent searches run in parallel.
        moves: moves per search (default: until the time limit).
        target: stop once a cut of at least this value is found.

    Returns:
        A :class:`MaxCutResult`; ``side[v]`` is True for the vertices on one side.

    Raises:
        InputError: an edge out of range, a loop, a weight that is not finite.
    """
    if isinstance(edges, pd.DataFrame):
        rows = list(
            zip(edges["i"].astype(int), edges["j"].astype(int), edges["weight"].astype(float))
        )
    else:
        rows = [(int(i), int(j), float(w)) for i, j, w in edges]
    if n is None:
        n = 1 + max((max(i, j) for i, j, _ in rows), default=-1)
    if any(i < 0 or j < 0 for i, j, _ in rows):
        raise InputError("graph: vertices are 0-based and cannot be negative")
    cut, side, stop, done = _entente.maxcut(
        int(n),
        rows,
        time_limit_s=float(time_limit),
        seed=int(seed),
        restarts=int(restarts),
        moves=moves,
        target=target,
    )
    return MaxCutResult(cut=cut, side=list(side), stopped_by=stop, moves=done)


def cite(bibtex: bool = False, role: Optional[str] = None) -> Any:
    """What to cite when using Entente's output, as ``entente cite``.

    Args:
        bibtex: return one BibTeX string instead of a DataFrame.
        role: only ``data``, ``model`` or ``software`` entries.

    Returns:
        A DataFrame ``key, role, citation, bibtex`` or, with ``bibtex=True``, a string.
    """
    rows = [
        {"key": k, "role": r, "citation": t, "bibtex": b}
        for k, r, t, b in _entente.citations()
        if role is None or r == role
    ]
    if bibtex:
        return "\n".join(r["bibtex"] for r in rows)
    return pd.DataFrame(rows, columns=["key", "role", "citation", "bibtex"])


def versions() -> pd.DataFrame:
    """The bundled data files with their data set and version (``entente --version``)."""
    return pd.DataFrame(_entente.version()[1], columns=["file", "dataset"])
