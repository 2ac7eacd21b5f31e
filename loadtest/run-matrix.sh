#!/usr/bin/env bash
# The study's matrix against one target, in one command: format (TIFF, lossless JP2, lossy JP2) × source
# size (medium ~54 MB, large ~120 MB) × requested size (50%, full) × users (1, 20, 50, 100, 200), with
# image caches off, 5-minute cells and 5–15 s think time as in the study (about 5 hours: never in CI);
# --smoke runs a reduced matrix of 20-second cells. It installs what it needs (a venv with Locust and
# matplotlib under ~/.cache/tessella, apt packages), builds the sources (loadtest/sources.sh), starts the
# target unless --base-url is given, runs loadtest/matrix.py, then loadtest/report.py.
#
# Usage: loadtest/run-matrix.sh [--target tessella|iipimage|edge] [--base-url URL] [--bin TESSELLA]
#                               [--smoke] [--out DIR] [-- MATRIX.PY OPTIONS...]
#   --target tessella   (default) starts `tessella serve` (release build; built when missing) on loopback
#   --target iipimage   starts Debian's IIPImage 1.1 behind lighttpd, cache off (TIFF cells use the
#                       pyramidal TIFF: IIPImage cannot read strip TIFFs)
#   --target edge       needs --base-url: the edge running elsewhere (e.g. `wrangler dev`), whose origin
#                       serves the folder loadtest/sources.sh prints
#   --base-url URL      test a server already running; nothing is started
#   after --, any loadtest/matrix.py option: --formats, --sizes, --requested, --users, --cell-seconds,
#   --think-min, --think-max, --spawn-rate, --preset short (60 s cells), --region LABEL ...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

target=tessella base_url="" bin="" smoke=0 out=""
while [ $# -gt 0 ]; do
  case $1 in
    --target) target=$2; shift 2 ;;
    --base-url) base_url=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --smoke) smoke=1; shift ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-matrix.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case $target in tessella|iipimage|edge) ;; *) echo "run-matrix.sh: --target is tessella, iipimage or edge" >&2; exit 2 ;; esac
if [ "$target" = edge ] && [ -z "$base_url" ]; then
  echo "run-matrix.sh: --target edge needs --base-url (start the edge, e.g. wrangler dev, in front of an origin serving $(dirname "$0")/sources.sh's folder)" >&2
  exit 2
fi

loadtest_init
trap loadtest_cleanup EXIT
trap 'exit 143' TERM INT

apt_install curl procps
ensure_venv
study=$("$here/sources.sh")
out=${out:-$here/out/$target-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

# A server we start is started afresh for every cell by matrix.py (--server-cmd): an overloaded server
# keeps working on requests its clients gave up on, which would spill into the next cell.
server_args=()
if [ -z "$base_url" ]; then
  port=$(free_port)
  base_url=http://127.0.0.1:$port
  case $target in
    tessella)
      if [ -z "$bin" ]; then
        bin=${CARGO_TARGET_DIR:-$repo/target}/release/tessella
        [ -x "$bin" ] || (cd "$repo" && nice cargo build --release --locked --bin tessella)
      fi
      server_args=(--server-cmd "env TESSELLA_LOG=warn $(printf '%q' "$bin") serve --images $(printf '%q' "$study") --listen 127.0.0.1:$port"
        --health-url "$base_url/health") ;;
    iipimage)
      iipimage_conf "$study" "127.0.0.1:$port"
      server_args=(--server-cmd "lighttpd -D -f $(printf '%q' "$IIPIMAGE_CONF")"
        --health-url "$base_url/iiif/ptiff-medium.tif/info.json") ;;
  esac
fi

matrix=(--target-kind "$target" --base-url "$base_url" --out "$out" "${server_args[@]}")
[ "$target" = iipimage ] && matrix+=(--formats ptiff,jp2lossless,jp2lossy)
[ "$smoke" = 1 ] && matrix+=(--preset smoke --sizes medium --requested pct50)
echo "run-matrix.sh: $target at $base_url, results in $out (load average $(cut -d' ' -f1-3 /proc/loadavg))"
status=0
"$LOADTEST_VENV/bin/python" "$here/matrix.py" "${matrix[@]}" "$@" || status=$?
"$LOADTEST_VENV/bin/python" "$here/report.py" "$out" || status=$?
exit "$status"
