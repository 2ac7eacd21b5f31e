#!/usr/bin/env bash
# The Cloudflare Worker end to end: builds the bundle (edge/worker/build.sh), starts `tessella serve` on
# loopback with the edge source secret over a temporary images folder (the pyramidal TIFF under an ARK
# with slashes, a JPEG), and runs the bundle under workerd through Miniflare's API (check.mjs): tiles
# rendered at the edge with the origin's headers and pixels, the Cache API, info.json and a manifest
# proxied, %2F identifiers through both hops, a request over the edge budget answered by the origin,
# 400 and 404, and tiles read from an R2 bucket. Prints `checks: N passed, M failed` last.
# Usage: tests/edge-worker/run.sh [TESSELLA_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=$(realpath "${1:-target/debug/tessella}")

edge/worker/build.sh
[ -d "$here/node_modules/miniflare" ] && [ -d "$here/node_modules/jpeg-js" ] ||
  (cd "$here" && npm ci --silent --no-audit --no-fund)

work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/images/ark:/21198" "$work/manifests"
cp shared/tests/data/rocket-pyramid-jpeg.tif "$work/images/ark:/21198/zz0001.tif"
cp samples/rocket.jpg "$work/images/rocket.jpg"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
public=https://iiif.edge.test
log="$work/origin.log"
TESSELLA_EDGE_SOURCE__SECRET=$secret TESSELLA_ADMIN__TOKEN=$token TESSELLA_PUBLIC_BASE=$public \
  TESSELLA_MANIFESTS__PATH="$work/manifests" \
  "$bin" serve --images "$work/images" --listen "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

status=0
ORIGIN_URL="http://127.0.0.1:$port" PUBLIC_BASE=$public SOURCE_SECRET=$secret ADMIN_TOKEN=$token \
  BUNDLE="$PWD/edge/worker/build" WRANGLER_TOML="$PWD/wrangler.toml" \
  R2_OBJECT="$work/images/ark:/21198/zz0001.tif" R2_KEY="ark:/21198/zz0001.tif" ORIGIN_LOG="$log" \
  node "$here/check.mjs" >"$work/checks.txt" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  echo "origin log (last 30 lines):"
  tail -n 30 "$log"
fi
# The checks' own summary stays the last line (tests/run.sh counts it).
cat "$work/checks.txt"
grep -qE '^checks: [0-9]+ passed, [0-9]+ failed$' <(tail -n 1 "$work/checks.txt") || echo "checks: 0 passed, 1 failed"
exit "$status"
