#!/usr/bin/env bash
# The official IIIF Image API validator (iiif-validator 1.0.5, PyPI) against a real `tessella serve` on
# loopback: Image API 3.0 level 2 and 2.1 level 2 (the validator's "2.0" mode; its "2.1" runs nothing),
# plus every level-3 test for a feature our info.json advertises. Fails on any failed test.
# Usage: tests/conformance/iiif-validator.sh [TESSELLA_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-target/debug/tessella}
id=67352ccc-d1b0-11e1-89ae-279075081939
venv=$(tests/conformance/validator-venv.sh)

images=$(mktemp -d)
cp "samples/$id.png" "$images/"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$bin" serve --images "$images" --listen "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$images"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.1
done

failures=0
validate() {
  local label=$1; shift
  echo "-- validator: $label"
  local out
  out=$("$venv/bin/python" "$venv/bin/iiif-validate.py" -s "127.0.0.1:$port" -i "$id" "$@" 2>&1) || true
  echo "$out" | grep -vE '^\s*$' | tail -n 60
  # The exit code counts warnings too; the report's last line, "Done (N tests, M failures)", counts
  # failures only. No such line means the validator itself broke, and a run of no test at all (what its
  # `--version 2.1` does) checked nothing: both are failures.
  local ran failed
  ran=$(echo "$out" | sed -n 's/^Done (\([0-9]*\) tests, [0-9]* failures)$/\1/p' | tail -n 1)
  failed=$(echo "$out" | sed -n 's/^Done ([0-9]* tests, \([0-9]*\) failures)$/\1/p' | tail -n 1)
  if [ "${ran:-0}" -eq 0 ]; then
    echo "-- validator: $label ran no test"
    failed=$((${failed:-0} + 1))
  fi
  failures=$((failures + ${failed:-1}))
}

validate "3.0 level 2" -p iiif/3 --version=3.0 --level 2
validate "2.1 level 2 (validator mode 2.0)" -p iiif/2 --version=2.0 --level 2
level3=(rot_full_non90 rot_region_non90 rot_mirror rot_mirror_180 size_up linkheader_canonical linkheader_profile
  format_webp format_tif format_gif)
for v in 3.0 2.0; do
  prefix=iiif/${v%%.*}
  args=()
  for t in "${level3[@]}"; do args+=(--test "$t"); done
  [ "$v" = 2.0 ] && args+=(--test region_square)
  validate "$v level-3 features we advertise" -p "$prefix" --version="$v" --level 3 "${args[@]}"
done

if [ "$failures" -ne 0 ]; then
  echo "iiif-validator: $failures failed"; echo "server log:"; tail -n 40 "$log"; exit 1
fi
echo "iiif-validator: all passed"
