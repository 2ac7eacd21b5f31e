#!/usr/bin/env bash
# Builds origin/tests/data/kakadu-like.jpx: a JPX file shaped like the Kakadu output UCLA Library serves
# (we have no Kakadu). The codestream follows Kakadu's usual archival recipe, encoded by OpenJPEG's
# opj_compress (Debian libopenjp2-tools): 512×512 tiles, 6 decomposition levels (7 resolutions),
# precincts 256,256,128 (then 128 for the lower levels), RPCL, SOP and EPH markers, tile-parts per
# resolution, PLT markers, 64×64 code-blocks, irreversible 9-7, 3 quality layers. The file-type box is
# then rewritten the way Kakadu writes JPX files: brand `jpx `, compatibility `jp2 ` `jpx ` `jpxb`, and a
# reader requirements box (`rreq`, mask length 1, one standard feature: 5) right after it.
# Source: ../shared/fixtures/astronaut.png (public domain, NASA), resized to 1300×1100 so the image has
# 3×3 tiles with partial edge tiles. Needs vips (libvips-tools), opj_compress and python3.
# Usage: scripts/make-kakadu-like-jpx.sh [OUT]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/origin/tests/data/kakadu-like.jpx}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vips resize "$here/../shared/fixtures/astronaut.png" "$tmp/src.png" 2.5390625 --vscale 2.1484375 --kernel lanczos3
vips copy "$tmp/src.png" "$tmp/src.ppm"
opj_compress -i "$tmp/src.ppm" -o "$tmp/out.jp2" -t 512,512 -n 7 -c '[256,256],[256,256],[128,128]' \
  -p RPCL -SOP -EPH -TP R -PLT -b 64,64 -I -r 480,240,120 >/dev/null
python3 - "$tmp/out.jp2" "$out" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
# Box 1: the signature (12 bytes). Box 2: ftyp.
assert data[4:8] == b"jP  " and data[16:20] == b"ftyp"
ftyp_len = struct.unpack(">I", data[12:16])[0]
rest = data[12 + ftyp_len:]
ftyp_body = b"jpx " + struct.pack(">I", 0) + b"jp2 " + b"jpx " + b"jpxb"
ftyp = struct.pack(">I", 8 + len(ftyp_body)) + b"ftyp" + ftyp_body
# rreq: ML=1, FUAM, DCM, NSF=1, SF=5 with its mask, NVF=0.
rreq_body = bytes([1, 0x80, 0x80]) + struct.pack(">H", 1) + struct.pack(">H", 5) + bytes([0x80]) + struct.pack(">H", 0)
rreq = struct.pack(">I", 8 + len(rreq_body)) + b"rreq" + rreq_body
open(sys.argv[2], "wb").write(data[:12] + ftyp + rreq + rest)
PY
ls -l "$out"
