#!/usr/bin/env bash
# The load test's smoke run, a step of tests/run.sh: a few users for 25 s per cell, a reduced matrix
# against `tessella serve` on loopback with caches off: the medium (~54 MB) source as strip TIFF,
# lossless JP2 and lossy JP2 at 50% (one user each), and the viewer-like mix (3 users: info.json, tiles
# at every scale factor, thumbnails, 50%, full size) on the pyramidal TIFF. Fails on any non-2xx or non-image response; prints
# `checks: N passed, M failed` last. About 2 minutes once the sources are cached.
# Usage: loadtest/smoke.sh [TESSELLA_BINARY]   (default target/debug/tessella)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
bin=$(realpath "${1:-target/debug/tessella}")
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
loadtest_init
trap loadtest_cleanup EXIT
trap 'exit 143' TERM INT

apt_install curl procps
ensure_venv
study=$("$here/sources.sh")
port=$(free_port)
start_tessella "$bin" "$study" "127.0.0.1:$port"
out=$LOADTEST_TMP/smoke
py=$LOADTEST_VENV/bin/python
common=(--target-kind tessella --base-url "http://127.0.0.1:$port" --out "$out" --server-pid "$SERVER_PID"
  --preset smoke --sizes medium --cell-seconds "${LOADTEST_SMOKE_SECONDS:-25}")
# One user for the 50% cells: the debug binary takes 10-20 s for 50% of the strip TIFF on a loaded
# machine, and Locust does not always count a request still in flight when a cell ends.
"$py" "$here/matrix.py" "${common[@]}" --formats tiff,jp2lossless,jp2lossy --requested pct50 --users 1 || true
"$py" "$here/matrix.py" "${common[@]}" --formats ptiff --requested viewer --users 3 || true
"$py" "$here/report.py" "$out" --title "Smoke run" >/dev/null
"$py" "$here/smoke_check.py" "$out"
