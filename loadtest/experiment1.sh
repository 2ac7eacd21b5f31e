#!/usr/bin/env bash
# Experiment 1 of the study: the time to convert N seed-size TIFFs to JPEG 2000 (lossy and lossless) on
# one machine with all its cores (`tessella convert --jobs $(nproc)`), against fan-out: W worker
# processes standing in for lambdas, one image per invocation, reading the TIFF from and writing the JP2
# to an S3-protocol server (moto's server mode on loopback, as tests/s3). Then plots it.
#
# Needs `tessella convert` (issue #5): BATCH.csv --source DIR|s3://bucket/prefix --dest DIR|s3://...
# --format jp2|ptiff --jobs N. When the binary has no `convert` subcommand, this says so and exits 3
# without timing anything.
#
# Usage: loadtest/experiment1.sh [--bin TESSELLA] [--count N] [--workers W] [--size medium|large|mixed]
#                                [--format jp2|ptiff] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

bin="" count=8 workers=4 size=mixed format=jp2 out=""
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "experiment1.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  bin=${CARGO_TARGET_DIR:-$repo/target}/release/tessella
  [ -x "$bin" ] || (cd "$repo" && nice cargo build --release --locked --bin tessella)
fi
if ! help=$("$bin" convert --help 2>&1); then
  echo "experiment1.sh: pending: $bin has no \`convert\` subcommand (the conversion pipeline, issue #5, is not in this build): nothing timed" >&2
  echo "  ($(head -n 2 <<<"$help" | tr '\n' ' '))" >&2
  exit 3
fi

loadtest_init
moto=""
trap loadtest_cleanup EXIT
trap 'exit 143' TERM INT
ensure_venv
s3venv=${TESSELLA_S3_VENV:-$LOADTEST_CACHE/s3-venv}
if ! "$s3venv/bin/python" -c 'import moto, boto3' 2>/dev/null; then
  python3 -m venv "$s3venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$s3venv"; }
  "$s3venv/bin/pip" install -q 'moto[server]==5.2.5' pillow==13.0.0
fi
"$here/sources.sh" >/dev/null
port=$(free_port)
"$s3venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$LOADTEST_TMP/moto.log" 2>&1 &
LOADTEST_PIDS+=("$!")
wait_http "http://127.0.0.1:$port/moto-api/" 30
out=${out:-$here/out/experiment1-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
"$s3venv/bin/python" "$here/lib/experiment1.py" --bin "$bin" --help-text "$help" --count "$count" \
  --workers "$workers" --size "$size" --format "$format" --s3 "http://127.0.0.1:$port" \
  --sources "${LOADTEST_LARGE:-$HOME/.cache/tessella-large}" --work "$LOADTEST_TMP/work" --out "$out"
"$LOADTEST_VENV/bin/python" "$here/lib/experiment1_plot.py" "$out"
