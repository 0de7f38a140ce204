#!/usr/bin/env bash
# The Python package's tests: a virtual environment, `pip install ./python` (built from
# source by maturin as a release wheel, in the workspace's target folder, so a second run
# rebuilds nothing), then pytest (pandas and pyarrow interop, bad inputs, and the determinism
# test against the `entente` binary that `cargo test --workspace` builds).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${ENTENTE_VENV:-target/python-venv}
PYTHON=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check pytest pandas pyarrow
"$VENV/bin/pip" install -q --disable-pip-version-check ./python

# The CLI to compare against (test profile, the one scripts/test and the browser test use;
# a no-op after `cargo test --workspace`). The bytes must match whatever the build profile.
if [ -z "${ENTENTE_BIN:-}" ]; then
    cargo test --workspace --locked --quiet --no-run
    ENTENTE_BIN=${CARGO_TARGET_DIR:-target}/debug/entente
fi
# Absolute: pytest runs from python/tests.
ENTENTE_BIN=$(realpath "$ENTENTE_BIN")
export ENTENTE_BIN
# From outside the source tree, so the installed package is what is imported.
cd python/tests
"../../$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
