"""Type stubs of the native module (crates/entente-py); use the `entente` package's API."""

from typing import Any, Callable, Optional

class EntenteError(Exception): ...

class ScenarioError(EntenteError):
    problems: list[Problem]

class InputError(EntenteError): ...

class Problem:
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def message(self) -> str: ...

class ArrowTable:
    @property
    def num_rows(self) -> int: ...
    @property
    def column_names(self) -> list[str]: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...

def load_data() -> None: ...
def version() -> tuple[str, list[tuple[str, str]]]: ...
def citations() -> list[tuple[str, str, str, str]]: ...
def world_table(year: int, actors: list[str] = ...) -> ArrowTable: ...
def dyads_table(year: int, actors: list[str]) -> ArrowTable: ...
def align_table(
    kind: str, value: str, year: int, draws: int = ..., seed: Optional[int] = ...
) -> ArrowTable: ...
def run(
    kind: str,
    value: str,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: Optional[str] = None,
    store: str = ...,
    progress: Optional[Callable[[int, int], Any]] = None,
    csv: bool = False,
) -> dict[str, Any]: ...
def hindcast(
    kind: str,
    value: str,
    from_: int,
    to: Optional[int] = None,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: Optional[str] = None,
    store: str = ...,
    progress: Optional[Callable[[int, int], Any]] = None,
) -> dict[str, Any]: ...
def bdm(
    text: str,
    name: str,
    rounds: int = 10,
    capitulation: bool = False,
    per_pair_denominator: bool = False,
    stop_on_cycle: bool = False,
) -> str: ...
def smp(
    text: str, name: str, form: str, max_turns: Optional[int] = None, seed: Optional[int] = None
) -> str: ...
def landscape(
    actors: str,
    propensity: str,
    coalitions: int = 2,
    neutral_cost: Optional[float] = None,
    mode: str = "exact",
    time_limit_s: float = 10.0,
    seed: int = 0,
    restarts: int = 16,
    moves: int = 200000,
    method: str = "bls",
) -> str: ...
def maxcut(
    n: int,
    edges: list[tuple[int, int, float]],
    time_limit_s: float = 10.0,
    seed: int = 0,
    restarts: int = 2,
    moves: Optional[int] = None,
    target: Optional[float] = None,
) -> tuple[float, list[bool], str, int]: ...
