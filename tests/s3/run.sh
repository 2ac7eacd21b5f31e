#!/usr/bin/env bash
# `tessella serve` against a real S3-protocol server: moto's server mode (moto 5.2.5 from PyPI, in a venv
# under ~/.cache/tessella) on loopback, with sources in one bucket and the derivative cache in another,
# through the same object_store code that talks to AWS; manifests go to a third bucket. The checks
# (tests/s3/check.py) upload the sources, start the server by TESSELLA_* environment variables, and print
# `checks: N passed, M failed`; then tests/s3/convert_check.py runs `tessella convert` from a masters
# bucket to a derivatives bucket and prints its own such line.
# Usage: tests/s3/run.sh [TESSELLA_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=$(realpath "${1:-target/debug/tessella}")
venv=$(tests/s3/moto-venv.sh)
# The IIIF validator runs against the S3-backed server too.
validator=$(tests/conformance/validator-venv.sh)

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null; wait $moto 2>/dev/null || true; rm -f "$log"' EXIT
trap 'exit 143' TERM INT
for _ in $(seq 150); do
  curl -fs "http://127.0.0.1:$port/moto-api/" >/dev/null && break
  sleep 0.1
done

S3_ENDPOINT="http://127.0.0.1:$port" TESSELLA_BIN="$bin" VALIDATOR_VENV="$validator" \
  "$venv/bin/python" "$here/check.py"
# `tessella convert` from a masters bucket to a derivatives bucket (prints its own `checks:` line).
S3_ENDPOINT="http://127.0.0.1:$port" TESSELLA_BIN="$bin" "$venv/bin/python" "$here/convert_check.py"
