"""Type stubs of the `entente` package (the implementation's docstrings say the rest)."""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd
import pyarrow as pa

from ._entente import EntenteError as EntenteError
from ._entente import InputError as InputError
from ._entente import Problem as Problem
from ._entente import ScenarioError as ScenarioError
from ._models import BdmResult, LandscapeResult, MaxCutResult, SmpResult

__version__: str
FLAGSHIP: str

ScenarioLike = Union[str, os.PathLike[str], Mapping[str, Any]]
PathArg = Union[None, str, os.PathLike[str]]
ProgressArg = Union[None, bool, Callable[[int, int], Any]]

def world(year: int, actors: Union[None, str, Sequence[str]] = None) -> pd.DataFrame: ...
def dyads(year: int, actors: Union[str, Sequence[str]]) -> pd.DataFrame: ...
def align(
    year: int,
    scenario: ScenarioLike = ...,
    draws: int = ...,
    seed: Optional[int] = ...,
) -> pd.DataFrame: ...

@dataclass
class Run:
    run_id: str
    out: Path
    scenario: str
    seed: int
    base_samples: int
    n_draws: int
    draws: pa.Table
    warnings: list[str]
    @property
    def claims(self) -> pd.DataFrame: ...
    @property
    def codebook(self) -> pd.DataFrame: ...
    @property
    def summary(self) -> dict[str, Any]: ...
    @property
    def report_path(self) -> Path: ...
    def draws_frame(self) -> pd.DataFrame: ...

def run(
    scenario: ScenarioLike = ...,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: PathArg = None,
    *,
    store: PathArg = None,
    progress: ProgressArg = None,
    csv: bool = False,
) -> Run: ...

@dataclass
class Hindcast:
    run_id: str
    out: Path
    scenario: str
    start: int
    end: int
    seed: int
    n_draws: int
    @property
    def scores(self) -> dict[str, Any]: ...
    @property
    def forecast(self) -> pd.DataFrame: ...
    @property
    def report_path(self) -> Path: ...

def hindcast(
    start: int,
    end: Optional[int] = None,
    scenario: ScenarioLike = ...,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: PathArg = None,
    *,
    store: PathArg = None,
    progress: ProgressArg = None,
) -> Hindcast: ...
def bdm(
    actors: Union[pd.DataFrame, str, os.PathLike[str]],
    rounds: int = 10,
    *,
    capitulation: bool = False,
    per_pair_denominator: bool = False,
    stop_on_cycle: bool = False,
) -> BdmResult: ...
def smp(
    scenario: Union[pd.DataFrame, str, os.PathLike[str]],
    *,
    max_turns: Optional[int] = None,
    seed: Optional[int] = None,
    name: str = "scenario",
) -> SmpResult: ...
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
    moves: int = 200000,
    method: str = "bls",
) -> LandscapeResult: ...
def maxcut(
    edges: Union[pd.DataFrame, Sequence[Tuple[int, int, float]]],
    n: Optional[int] = None,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    restarts: int = 2,
    moves: Optional[int] = None,
    target: Optional[float] = None,
) -> MaxCutResult: ...
def cite(bibtex: bool = False, role: Optional[str] = None) -> Any: ...
def versions() -> pd.DataFrame: ...
