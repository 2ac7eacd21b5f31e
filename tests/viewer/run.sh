#!/usr/bin/env bash
# A real viewer against a real server: starts `tessella serve` on loopback over the shared fixtures and has
# OpenSeadragon (npm) in headless Chromium (Debian) open the 5640×3172 painting, zoom in and out; fails on
# any failed request or a blank canvas. Installs Chromium and the npm packages when missing.
# Usage: tests/viewer/run.sh [TESSELLA_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${1:-target/debug/tessella}
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --silent --no-audit --no-fund)

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$bin" serve --images ../shared/fixtures --listen "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

mkdir -p target
if ! node "$here/osd.mjs" "http://127.0.0.1:$port/iiif/3/Elephants_5640x3172/info.json" target/viewer-osd.png; then
  echo "server log:"; tail -n 30 "$log"; exit 1
fi
echo "viewer: OpenSeadragon loaded every tile (screenshot: target/viewer-osd.png)"
