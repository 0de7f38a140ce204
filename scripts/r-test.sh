#!/usr/bin/env bash
# The R loader's check: installs Debian's R and the packages it uses (r-base-core,
# r-cran-dbi, r-cran-rsqlite, r-cran-jsonlite; arrow is not packaged by Debian, so the
# draws are read through the draws.csv fallback), installs R/ into a scratch library,
# writes a small run with `entente run --csv`, and runs R/tests/check.R on it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/apt-ensure r-test r-base-core r-cran-dbi r-cran-rsqlite r-cran-jsonlite

if [ -z "${ENTENTE_BIN:-}" ]; then
    cargo test --workspace --locked --quiet --no-run
    ENTENTE_BIN=${CARGO_TARGET_DIR:-target}/debug/entente
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$ENTENTE_BIN" run examples/quad-pact.toml --draws 2 --seed 1 --csv --quiet \
    --out "$WORK/run" --store "$WORK/store.sqlite" >/dev/null
mkdir -p "$WORK/lib"
R CMD INSTALL --no-test-load -l "$WORK/lib" R >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; exit 1; }
R_LIBS="$WORK/lib" Rscript R/tests/check.R "$WORK/run" "$WORK/store.sqlite"
