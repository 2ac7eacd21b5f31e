#!/usr/bin/env bash
# JPEG 2000 encoding, tessella-openjpeg against Debian's opj_compress -threads 2 with the same recipe
# (BENCHMARKS.md, "JPEG 2000 encoding"). For each TIFF and mode: the PSNR of both outputs (decoded by
# tessella-openjpeg), then each encoder alone as one process under /usr/bin/time (CPU, wall, peak RSS).
# Usage: openjpeg/bench-encode.sh [TIFF...]   (default: ~/.cache/tessella-large/{medium,large}.tif, made by
# ../shared/fixtures/make-large.sh). Needs libopenjp2-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
cargo build --release -p tessella-openjpeg --example jp2-encode
bin=$target/release/examples/jp2-encode
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
precincts="[256,256],[256,256],[128,128],[128,128],[128,128],[128,128],[128,128]"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(~/.cache/tessella-large/medium.tif ~/.cache/tessella-large/large.tif)
for src in "${files[@]}"; do
  for mode in lossy lossless; do
    flag=(); oflag=(-r 8 -I)
    if [ "$mode" = lossless ]; then flag=(--lossless); oflag=(); fi
    echo "== $(basename "$src") $mode: NAME SIZE ENCODE_MS BYTES RATIO PSNR"
    "$bin" "${flag[@]}" "$src" "$out" 2>/dev/null
    echo "-- tessella process"
    /usr/bin/time -f "user=%U sys=%S wall=%e maxrss=%MKB" "$bin" "${flag[@]}" --only tessella "$src" "$out" 2>&1 \
      | grep -v '^decoded'
    echo "-- opj_compress process"
    /usr/bin/time -f "user=%U sys=%S wall=%e maxrss=%MKB" opj_compress -i "$src" -o "$out/o.jp2" -t 512,512 -n 7 \
      -c "$precincts" -p RPCL -b 64,64 -SOP -EPH -TP R -PLT -threads 2 "${oflag[@]}" 2>&1 | grep 'user='
  done
done
