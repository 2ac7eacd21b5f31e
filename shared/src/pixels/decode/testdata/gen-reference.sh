#!/usr/bin/env bash
# Regenerates opj-reference.txt: statistics of what OpenJPEG's opj_decompress (Debian libopenjp2-tools)
# decodes from the JPEG 2000 test files, at each reduce level, for the decoder tests to compare against.
# Needs opj_decompress and python3 with Pillow. Usage: gen-reference.sh > opj-reference.txt
#
# The small test files beside it were made once with OpenJPEG's opj_compress from the shared fixtures:
#   tiled.jp2  (200x150 RGB, 9-7 lossy, 64x48 tiles, image offset 37,21, tile offset 5,3, 3 decompositions):
#              vips crop chelsea.png crop.ppm 120 60 200 150
#              opj_compress -i crop.ppm -o tiled.jp2 -t 64,48 -n 4 -d 37,21 -T 5,3 -I -r 12 -p RPCL
#   gray12.j2k (64x40, one 12-bit component, lossless, raw codestream): a PGM with maxval 4095 whose sample
#              at (x, y) is (61x + 97y + (xy mod 37)) mod 4096, then opj_compress -n 3
#   rgba.jp2   (32x24 RGB + alpha with a channel definition box, lossless): astronaut.png cropped at
#              (200,100), alpha (8x + 3y) mod 256, saved as PNG, then opj_compress -n 2
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/../../../../../../shared/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "# opj_decompress from libopenjp2-tools $(dpkg-query -W -f '${Version}' libopenjp2-tools 2>/dev/null || echo '(version unknown)')"
echo "# image FILE REDUCE WIDTH HEIGHT CHANNELS / sum: per-channel sums over all pixels / px X Y SAMPLES..."
for spec in "$fixtures/nemo.jp2 0 1" "$here/tiled.jp2 0 1 2 3" "$here/rgba.jp2 0 1"; do
  set -- $spec
  file=$1; shift
  for r in "$@"; do
    opj_decompress -i "$file" -o "$tmp/out.png" -r "$r" >/dev/null
    python3 - "$tmp/out.png" "$(basename "$file")" "$r" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1])
w, h = im.size
n = len(im.getbands())
px = im.load()
print(f"image {sys.argv[2]} {sys.argv[3]} {w} {h} {n}")
sums = [0] * n
for y in range(h):
    for x in range(w):
        v = px[x, y]
        v = v if isinstance(v, tuple) else (v,)
        for c in range(n):
            sums[c] += v[c]
print("sum " + " ".join(map(str, sums)))
for j in range(16):
    for i in range(16):
        x, y = i * (w - 1) // 15, j * (h - 1) // 15
        v = px[x, y]
        v = v if isinstance(v, tuple) else (v,)
        print(f"px {x} {y} " + " ".join(map(str, v)))
PY
  done
done
