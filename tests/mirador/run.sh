#!/usr/bin/env bash
# A real IIIF Presentation viewer against a real server: starts `tessella serve` on loopback with an admin
# token and an empty manifest folder, POSTs a CSV batch with curl (multipart `csv-file`, `iiif-version`),
# takes the work's manifest URL from the CSV that comes back, and has Mirador (npm) in headless Chromium
# (Debian) open it: the first canvas (a JPEG 2000 whose size the server probed) must be shown with no failed
# request (tests/mirador/mirador.mjs). Installs Chromium and the npm packages when missing.
# Prints `checks: N passed, M failed` last.
# Usage: tests/mirador/run.sh [TESSELLA_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=$(realpath "${1:-target/debug/tessella}")
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
[ -d "$here/node_modules/mirador" ] && [ -d "$here/node_modules/playwright-core" ] \
  || (cd "$here" && npm ci --silent --no-audit --no-fund)

work=$(mktemp -d)
log=$(mktemp)
server=
cleanup() {
  [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
  rm -rf "$work" "$log"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# Images stored under their ARKs; no media.width/height, so the server reads their sizes itself.
pages="$work/images/ark:/21198/zz000mirad/w1"
mkdir -p "$pages"
cp ../shared/fixtures/nemo.jp2 "$pages/p1.jp2"
cp ../shared/fixtures/rocket.jpg "$pages/p2.jpg"
cat >"$work/batch.csv" <<'CSV'
Item ARK,Parent ARK,Object Type,Title,File Name,Item Sequence,viewingHint,Text direction,Name.repository,Rights.statementLocal
ark:/21198/zz000mirad,,Collection,Tessella viewer test collection,,,,,UCLA Library,
ark:/21198/zz000mirad/w1,ark:/21198/zz000mirad,Work,Nemo and a rocket,,,paged,left-to-right,UCLA Library,http://rightsstatements.org/vocab/NoC-US/1.0/
ark:/21198/zz000mirad/w1/p2,ark:/21198/zz000mirad/w1,Page,A rocket,w1/p2.jpg,2,,,,
ark:/21198/zz000mirad/w1/p1,ark:/21198/zz000mirad/w1,Page,Nemo,w1/p1.jp2,1,,,,
CSV

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=mirador-test-token
TESSELLA_ADMIN__TOKEN=$token TESSELLA_MANIFESTS__PATH="$work/manifests" \
  "$bin" serve --images "$work/images" --listen "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

status=$(curl -s -o "$work/result.csv" -w '%{http_code}' -H "Authorization: Bearer $token" \
  -F "csv-file=@$work/batch.csv;type=text/csv" -F iiif-version=3 "http://127.0.0.1:$port/collections")
if [ "$status" != 201 ]; then
  echo "POST /collections answered $status:"; cat "$work/result.csv"; echo "server log:"; tail -n 30 "$log"
  echo "checks: 0 passed, 1 failed"; exit 1
fi
manifest=$(python3 - "$work/result.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(next(r["IIIF Manifest URL"] for r in rows if r["Item ARK"] == "ark:/21198/zz000mirad/w1"))
PY
)
echo "manifest: $manifest"

mkdir -p target
if ! node "$here/mirador.mjs" "$manifest" target/viewer-mirador.png; then
  echo "server log:"; tail -n 30 "$log"; exit 1
fi
