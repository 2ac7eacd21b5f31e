#!/usr/bin/env bash
# The 8000×6000 JP2 of issue #4's benchmark, like the seed's: a libvips-made 8000×6000 RGB TIFF (the
# shared Elephants painting resized), encoded by OpenJPEG's opj_compress with 512×512 tiles and 6
# decomposition levels (7 resolutions), irreversible 9-7 at 15:1; and the same image untiled (one tile,
# precincts 256² as Kakadu writes untiled archival files) for regions inside one large tile. Cached;
# needs vips and opj_compress.
# Usage: scripts/make-large-jp2.sh [OUTDIR]   (default ~/.cache/tessella-large)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$HOME/.cache/tessella-large}
mkdir -p "$out"
tif=$out/large-8000x6000.tif
jp2=$out/large-8000x6000.jp2
[ -s "$tif" ] || vips resize "$here/../shared/fixtures/Elephants_5640x3172.jpg" "$tif" 1.41844 \
    --vscale 1.89155 --kernel lanczos3
[ -s "$jp2" ] || opj_compress -i "$tif" -o "$jp2" -t 512,512 -n 7 -I -r 15 >/dev/null
untiled=$out/large-8000x6000-untiled.jp2
[ -s "$untiled" ] || opj_compress -i "$tif" -o "$untiled" -n 7 -c '[256,256]' -p RPCL -I -r 15 >/dev/null
ls -l "$jp2" "$untiled"
