#!/usr/bin/env bash
# The study's sources, built once and cached: the seed-size TIFFs from ../shared/fixtures/make-large.sh
# (medium 5640×3172 ~54 MB, large 8000×5000 ~120 MB, uncompressed strips; the same as JPEG-tiled
# pyramidal TIFFs and as lossy JP2s, libvips Q45, 512² tiles), plus lossless JP2s of each (libvips
# jp2ksave --lossless, reversible 5-3, 512² tiles, the same tiling as the lossy ones).
# It then lays out a folder of hard links (the origin refuses symlinks out of its root) named by matrix cell, {format}-{size}.{ext}, which is what the
# servers are given as their image root:
#   tiff-medium.tif  tiff-large.tif            uncompressed strip TIFF (the study's "TIFF")
#   ptiff-medium.tif ptiff-large.tif           JPEG-tiled pyramidal TIFF (what IIPImage needs)
#   jp2lossless-medium.jp2 ...                 lossless JP2
#   jp2lossy-medium.jp2 ...                    lossy JP2
# Usage: loadtest/sources.sh [CACHE_DIR]   (default ~/.cache/tessella-large; prints the study folder)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${1:-$HOME/.cache/tessella-large}
fixtures=$repo/../shared/fixtures
[ -f "$fixtures/make-large.sh" ] || { echo "sources.sh: $fixtures/make-large.sh not found" >&2; exit 2; }
if ! command -v vips >/dev/null; then
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libvips-tools >/dev/null
fi
mkdir -p "$cache"
bash "$fixtures/make-large.sh" "$cache" >/dev/null
for n in medium large; do
  out=$cache/$n-lossless.jp2
  if [ ! -s "$out" ]; then
    vips jp2ksave "$cache/$n.tif" "$out.part.jp2" --lossless --tile-width 512 --tile-height 512
    mv "$out.part.jp2" "$out"
  fi
done
study=$cache/study
mkdir -p "$study"
for n in medium large; do
  ln -f "$cache/$n.tif" "$study/tiff-$n.tif"
  ln -f "$cache/$n-pyramid.tif" "$study/ptiff-$n.tif"
  ln -f "$cache/$n-lossless.jp2" "$study/jp2lossless-$n.jp2"
  ln -f "$cache/$n.jp2" "$study/jp2lossy-$n.jp2"
done
echo "$study"
