#!/usr/bin/env bash
# Re-create crates/entente-server/assets/vendor from the npm registry.
#
# The dashboard (crates/entente-server/assets) loads three third-party files that
# are embedded in the binary, so the page works offline with no CDN (the world
# map goes to crates/entente-report/assets/world-atlas: the static report draws it too):
#
#   d3 (UMD bundle)            dist/d3.min.js                 ISC
#   topojson-client            dist/topojson-client.min.js    ISC
#   world-atlas                countries-110m.json            ISC (Natural Earth: public domain)
#
# Versions and tarball integrity are pinned below; the script fails if the
# registry serves anything else. Needs: npm, tar, sha512sum (coreutils).
# Usage: scripts/vendor-dashboard.sh
set -euo pipefail

# name version sha512-integrity (as `npm view NAME@VERSION dist.integrity` prints it)
PACKAGES=(
  "d3 7.9.2 sha512-ZKb/mONPVKzaO5UlcWcwN8bS4ezvQaYu+bsou+XgNABdGC800kwH651ADTbbTxMPHW13UlvbQafdmJQDk1w7Mg=="
  "topojson-client 3.1.0 sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw=="
  "world-atlas 2.0.2 sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
)

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/crates/entente-server/assets/vendor"
# The world map is shared with the static report, so it lives in entente-report.
atlas="$root/crates/entente-report/assets/world-atlas"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for entry in "${PACKAGES[@]}"; do
  read -r name version integrity <<<"$entry"
  mkdir -p "$tmp/$name"
  tarball="$(cd "$tmp/$name" && npm pack --silent "$name@$version")"
  got="sha512-$(sha512sum "$tmp/$name/$tarball" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
  if [[ "$got" != "$integrity" ]]; then
    echo "error: $name@$version: integrity $got, expected $integrity" >&2
    exit 1
  fi
  tar -xzf "$tmp/$name/$tarball" -C "$tmp/$name"
done

rm -rf "$dest" "$atlas"
mkdir -p "$dest/d3" "$dest/topojson-client" "$atlas"

cp "$tmp/d3/package/dist/d3.min.js" "$dest/d3/d3.min.js"
cp "$tmp/d3/package/LICENSE" "$dest/d3/LICENSE"
cp "$tmp/topojson-client/package/dist/topojson-client.min.js" "$dest/topojson-client/topojson-client.min.js"
cp "$tmp/topojson-client/package/LICENSE" "$dest/topojson-client/LICENSE"
cp "$tmp/world-atlas/package/countries-110m.json" "$atlas/countries-110m.json"
cp "$tmp/world-atlas/package/LICENSE" "$atlas/LICENSE"

{
  echo "Vendored by scripts/vendor-dashboard.sh from the npm registry. Do not edit."
  echo
  for entry in "${PACKAGES[@]}"; do
    read -r name version integrity <<<"$entry"
    echo "$name $version $integrity"
  done
  echo
  echo "world-atlas's countries-110m.json is derived from Natural Earth (public domain),"
  echo "https://www.naturalearthdata.com/; world-atlas itself is ISC. It lives in"
  echo "crates/entente-report/assets/world-atlas/ (with its LICENSE), shared by the report and the"
  echo "dashboard, which serves it at /vendor/world-atlas/countries-110m.json."
} >"$dest/VERSIONS"

for entry in "${PACKAGES[@]}"; do
  read -r name version _ <<<"$entry"
  echo "$name $version"
done
