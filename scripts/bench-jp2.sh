#!/usr/bin/env bash
# JPEG 2000 at the origin: OpenJPEG (tessella-openjpeg) against the core's hayro on the 8000×6000 JP2 of
# issue #4 (built by scripts/make-large-jp2.sh when missing). Each case runs RUNS times (default 3), one
# process per run (openjpeg/examples/jp2-decode.rs, release build) under /usr/bin/time. Prints a Markdown
# table: decode/render wall time inside the process (min), CPU time of the whole process (user + sys,
# min; includes reading the 50 MB file) and peak resident memory (max).
# A second set runs the region cases on the same image stored as one tile, where hayro (no decode window)
# decodes the whole image and OpenJPEG only the code-blocks the region touches.
# Usage: scripts/bench-jp2.sh [RUNS] [tiled|untiled|all]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
set_=${2:-all}
dir=${TESSELLA_LARGE_DIR:-$HOME/.cache/tessella-large}
jp2=$dir/large-8000x6000.jp2
untiled=$dir/large-8000x6000-untiled.jp2
[ -s "$jp2" ] && [ -s "$untiled" ] || scripts/make-large-jp2.sh "$dir" >/dev/null
cargo build --release -p tessella-openjpeg --example jp2-decode >&2
bin=${CARGO_TARGET_DIR:-target}/release/examples/jp2-decode
region=3488,2488,1024,1024
case_() {
  local label=$1; shift
  local best_ms='' best_cpu='' peak=0 out
  for _ in $(seq "$runs"); do
    out=$( { /usr/bin/time -f 'TIME %U %S %M' "$bin" "$@" "$file"; } 2>&1 )
    local ms cpu rss size
    read -r size ms < <(grep -v '^TIME' <<<"$out" | tail -1)
    read -r _ u s rss < <(grep '^TIME' <<<"$out")
    cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    best_ms=$(awk -v a="$best_ms" -v b="$ms" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
    best_cpu=$(awk -v a="$best_cpu" -v b="$cpu" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  printf '| %s | %s | %s ms | %s s | %s MiB |\n' "$label" "$size" "$best_ms" "$best_cpu" "$((peak / 1024))"
}
header() {
  echo
  echo "file: $file ($(stat -c %s "$file") bytes), $runs runs, load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
  echo
  echo '| case | output | time (min) | CPU (min) | peak RSS |'
  echo '|---|---|---|---|---|'
}
if [ "$set_" != untiled ]; then
file=$jp2
header
case_ "region 1024² full res, OpenJPEG 1 thread" openjpeg 1 decode 0 "$region"
case_ "region 1024² full res, OpenJPEG 2 threads" openjpeg 2 decode 0 "$region"
case_ "region 1024² full res, hayro (tile surgery)" hayro 1 decode 0 "$region"
case_ "full decode, OpenJPEG 1 thread" openjpeg 1 decode 0
case_ "full decode, OpenJPEG 2 threads" openjpeg 2 decode 0
case_ "full decode, hayro" hayro 1 decode 0
case_ "reduce 3 (1000×750), OpenJPEG 1 thread" openjpeg 1 decode 3
case_ "reduce 3 (1000×750), OpenJPEG 2 threads" openjpeg 2 decode 3
case_ "reduce 3 (1000×750), hayro" hayro 1 decode 3
case_ "render full/1024,/0/default.jpg, OpenJPEG 2 threads" openjpeg 2 render full/1024,/0/default.jpg
case_ "render full/1024,/0/default.jpg, hayro" hayro 1 render full/1024,/0/default.jpg
case_ "render $region/max/0/default.jpg, OpenJPEG 2 threads" openjpeg 2 render "$region/max/0/default.jpg"
case_ "render $region/max/0/default.jpg, hayro" hayro 1 render "$region/max/0/default.jpg"
fi
if [ "$set_" != tiled ]; then
file=$untiled
header
case_ "region 1024² full res, OpenJPEG 1 thread" openjpeg 1 decode 0 "$region"
case_ "region 1024² full res, OpenJPEG 2 threads" openjpeg 2 decode 0 "$region"
case_ "region 1024² full res, hayro (whole tile, cropped)" hayro 1 decode 0 "$region"
case_ "reduce 3 (1000×750), OpenJPEG 2 threads" openjpeg 2 decode 3
case_ "reduce 3 (1000×750), hayro" hayro 1 decode 3
fi
