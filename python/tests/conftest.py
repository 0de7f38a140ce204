"""Shared fixtures: the repository's root, the CLI binary, a scratch folder per test."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `entente` binary to compare against: $ENTENTE_BIN, else the workspace's build."""
    given = os.environ.get("ENTENTE_BIN")
    candidates = [Path(given)] if given else [
        ROOT / "target" / "release" / "entente",
        ROOT / "target" / "debug" / "entente",
    ]
    for c in candidates:
        if c.is_file():
            return c
    pytest.fail(
        "no entente binary: build it (cargo build --release -p entente-cli) or set ENTENTE_BIN"
    )


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """Each test runs in its own folder, with its own run store."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENTENTE_STORE", str(tmp_path / "store.sqlite"))
    return tmp_path


def run_cli(cli: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(cli), *args], cwd=cwd, capture_output=True, text=True, check=True
    )
