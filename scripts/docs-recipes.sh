#!/usr/bin/env bash
# The docs' recipes as a reader copies them: every ```sh, ```python and ```r block of
# README.md and docs/*.md runs against a small run (scripts/docs-recipes.py says how, and how
# a block is marked to be skipped or shortened). Sets up what the recipes use: the virtual
# environment of scripts/python-test.sh (target/python-venv, with the entente package) plus
# polars, DuckDB and matplotlib from PyPI, and Debian's R with DBI, RSQLite, jsonlite and
# ggplot2 (through apt when missing, as scripts/r-test.sh). First a self-test breaks one python
# and one sh recipe in a copy of the docs and checks the runner reports both at their file:line.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/apt-ensure docs-recipes r-base-core r-cran-dbi r-cran-rsqlite r-cran-jsonlite r-cran-ggplot2

VENV=${ENTENTE_VENV:-target/python-venv}
PYTHON=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check pandas pyarrow polars duckdb matplotlib
# This tree's package (cargo rebuilds nothing after scripts/python-test.sh).
"$VENV/bin/pip" install -q --disable-pip-version-check ./python

if [ -z "${ENTENTE_BIN:-}" ]; then
    cargo test --workspace --locked --quiet --no-run
    ENTENTE_BIN=${CARGO_TARGET_DIR:-target}/debug/entente
fi
exec "$VENV/bin/python" scripts/docs-recipes.py --self-test --bin "$ENTENTE_BIN" \
    --python "$VENV/bin/python" "$@"
