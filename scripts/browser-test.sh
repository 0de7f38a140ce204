#!/usr/bin/env bash
# Browser test of the dashboard. Installs what it needs on first use (Debian's
# chromium, playwright-core from npm), builds `entente`, starts `entente serve`
# on a free loopback port with a run store holding only a small hindcast (so the server's first
# flagship run is part of the test), and drives Chromium through
# tests/browser/dashboard.mjs, then through tests/browser/report.mjs on the
# report.html that run wrote. SCREENSHOTS=<dir> saves a picture of each view.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "browser-test: installing Debian's chromium" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "browser-test: $CHROMIUM not found; install Debian's chromium (apt-get install chromium) or set CHROMIUM" >&2
        exit 1
    fi
fi
for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "browser-test: $tool not found (Node.js 20 or newer)" >&2; exit 1; }
done
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

# The binary `cargo test --workspace` builds for the CLI tests (test profile, opt-level 1: draws
# run ~15x faster than at opt-level 0). The same command with the same features is a no-op after
# scripts/test's test run; `cargo build --bin entente` would resolve features differently and
# relink the whole binary.
cargo test --workspace --locked --quiet --no-run
BIN=${CARGO_TARGET_DIR:-target}/debug/entente

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    # The server dies of the signal (status 143): that is not the test's status.
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A small hindcast in the store, for the dashboard's hindcast view.
"$BIN" hindcast --from 2016 --to 2024 --draws 28 --quiet \
    --store "$WORK/runs.sqlite" --out "$WORK/hindcast" >"$WORK/hindcast.out"

# A store without a flagship run: the server runs the flagship first (small, to keep the test short).
"$BIN" serve --port 0 --store "$WORK/runs.sqlite" --out "$WORK/out" \
    --initial-base-samples 2 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
URL=
for _ in $(seq 1 600); do
    URL=$(sed -n 's/^Entente dashboard: \(http[^ ]*\)/\1/p' "$WORK/serve.out" | head -1)
    [ -n "$URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "browser-test: the server exited:" >&2; cat "$WORK/serve.err" >&2; exit 1; }
    sleep 0.1
done
[ -n "$URL" ] || { echo "browser-test: the server did not start within 60 s" >&2; cat "$WORK/serve.err" >&2; exit 1; }
echo "browser-test: server at $URL" >&2

status=0
ENTENTE_URL="$URL" CHROMIUM="$CHROMIUM" EXPECT_HINDCAST=1 node tests/browser/dashboard.mjs || status=$?
if [ "$status" != 0 ]; then
    echo "browser-test: failed; the server said:" >&2
    tail -n 40 "$WORK/serve.err" >&2
    exit "$status"
fi

# The static report of the server's first run (the oldest folder under out/).
REPORT=$(find "$WORK/out" -name report.html -print | sort | head -1)
if [ -z "$REPORT" ]; then
    echo "browser-test: the server's runs wrote no report.html under $WORK/out" >&2
    exit 1
fi
REPORT="$REPORT" CHROMIUM="$CHROMIUM" node tests/browser/report.mjs || status=$?
exit "$status"
