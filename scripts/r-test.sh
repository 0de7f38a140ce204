#!/usr/bin/env bash
# The R loader's check: installs Debian's R and the packages it uses (r-base-core,
# r-cran-dbi, r-cran-rsqlite, r-cran-jsonlite; arrow is not packaged by Debian, so the
# draws are read through the draws.csv fallback), installs R/ into a scratch library,
# writes a small run with `entente run --csv`, and runs R/tests/check.R on it.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS="r-base-core r-cran-dbi r-cran-rsqlite r-cran-jsonlite"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "r-test: installing Debian's$missing" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "r-test: missing$missing (apt-get install$missing)" >&2
        exit 1
    fi
fi

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
