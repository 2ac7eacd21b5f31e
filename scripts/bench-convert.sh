#!/usr/bin/env bash
# The seed's experiment 1 at small scale: convert seed-size TIFFs (large ~120 MB and medium ~54 MB, from
# ../shared/fixtures/make-large.sh) with `tessella convert` as one batch using every core, against the
# usual tools run file by file as a shell loop would: `vips tiffsave --pyramid` for pyramidal TIFF,
# `opj_compress -threads 2` for JPEG 2000 (plus `grk_compress` and `ojph_compress`, HTJ2K, for reference;
# and `tessella convert --format htj2k`, built with the htj2k feature, against its own Part 1 time),
# with the same parameters (512 tiles, 6 levels, precincts, RPCL, 64×64 code blocks, SOP/EPH, PLT,
# tile-parts by resolution; lossy at 8:1, and lossless). Prints images per minute, the ratios and the
# PSNR of each output against its source, as a markdown table. A benchmark, not a test.
# Usage: scripts/bench-convert.sh [COPIES]   (COPIES of each of large and medium; default 2)
# Env: PTIFF_REPEAT (default 5) and JP2_REPEAT (default 3) timings of each side for pyramidal TIFF and
# for JPEG 2000 (Tessella, with and without early termination, against opj_compress; medians compared);
# BENCH_JP2=0 skips JPEG 2000.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-2}
large=${TESSELLA_LARGE:-$HOME/.cache/tessella-large}
venv=$HOME/.cache/tessella/bench-venv
log() { printf '[bench-convert] %s\n' "$*" >&2; }

need=()
command -v vips >/dev/null || need+=(libvips-tools)
command -v opj_compress >/dev/null || need+=(libopenjp2-tools)
command -v grk_compress >/dev/null || need+=(grokj2k-tools)
command -v ojph_compress >/dev/null || need+=(openjph-tools)
[ -e /usr/include/openjph/ojph_codestream.h ] || need+=(libopenjph-dev)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! "$venv/bin/python" -c 'import numpy, PIL' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy==2.3.5 pillow==12.0.0
fi
../shared/fixtures/make-large.sh "$large" >/dev/null

log "building tessella (release)"
cargo build --release --locked --bin tessella --features htj2k -q
target=${CARGO_TARGET_DIR:-target}
tessella=$(realpath "$target/release/tessella")

work=$(mktemp -d /tmp/bench-convert.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/masters"
printf 'Item ARK,File Name\n' >"$work/batch.csv"
files=()
for n in large medium; do
  for i in $(seq "$copies"); do
    ln "$large/$n.tif" "$work/masters/$n-$i.tif" 2>/dev/null || cp "$large/$n.tif" "$work/masters/$n-$i.tif"
    printf 'ark:/99999/%s-%s,%s-%s.tif\n' "$n" "$i" "$n" "$i" >>"$work/batch.csv"
    files+=("$n-$i")
  done
done
count=${#files[@]}
cores=$(nproc)

# Seconds (3 decimals) a command takes. The previous command's writes (~100 MB of derivatives) are
# flushed first, so that their writeback does not land in the next timing.
timed() { local s e; sync; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l | xargs printf '%.3f'; }

# PSNR of an output against large.tif (the first large copy), decoded by Pillow (OpenJPEG, libtiff).
psnr() {
  "$venv/bin/python" - "$large/large.tif" "$1" <<'PY'
import sys, numpy as np
from PIL import Image
Image.MAX_IMAGE_PIXELS = None
a = np.asarray(Image.open(sys.argv[1]).convert("RGB"), dtype=np.float64)
b = np.asarray(Image.open(sys.argv[2]).convert("RGB"), dtype=np.float64)
mse = ((a - b) ** 2).mean()
print("lossless" if mse == 0 else f"{10 * np.log10(255 ** 2 / mse):.3f} dB")
PY
}

rows=()
row() { rows+=("| $1 | $2 | $3 s | $(echo "$count * 60 / $3" | bc -l | xargs printf '%.1f') | $4 |"); }
rate() { echo "$count * 60 / $1" | bc -l; }

# A pyramidal TIFF batch takes seconds, so one timing is at the mercy of the machine's other work: each
# side runs PTIFF_REPEAT times, alternating which goes first, and the medians are compared.
ptiff_repeat=${PTIFF_REPEAT:-5}
log "pyramidal TIFF: tessella convert ($count images, --jobs $cores) vs vips tiffsave --pyramid, $ptiff_repeat times each"
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
tessella_ptiff() {
  rm -rf "$work/t-ptiff" "$work/r.csv"
  "$tessella" convert "$work/batch.csv" --source "$work/masters" --dest "$work/t-ptiff" \
    --format ptiff --tile 256 --quality 90 --jobs "$cores" --output "$work/r.csv"
}
loop_vips() {
  rm -rf "$work/v-ptiff" && mkdir -p "$work/v-ptiff"
  for f in "${files[@]}"; do vips tiffsave "$work/masters/$f.tif" "$work/v-ptiff/$f.tif" --tile \
    --tile-width 256 --tile-height 256 --pyramid --compression jpeg --Q 90; done
}
t_times=(); v_times=()
for i in $(seq "$ptiff_repeat"); do
  if (( i % 2 )); then
    t_times+=("$(timed tessella_ptiff)"); v_times+=("$(timed loop_vips)")
  else
    v_times+=("$(timed loop_vips)"); t_times+=("$(timed tessella_ptiff)")
  fi
done
tp=$(median "${t_times[@]}")
tv=$(median "${v_times[@]}")
row "pyramidal TIFF, 256² JPEG tiles Q90" "tessella convert --jobs $cores (median of $ptiff_repeat: ${t_times[*]})" "$tp" \
  "$(psnr "$work/t-ptiff/ark:/99999/large-1.tif")"
row "pyramidal TIFF, 256² JPEG tiles Q90" "vips tiffsave --pyramid, file by file (median of $ptiff_repeat: ${v_times[*]})" "$tv" \
  "$(psnr "$work/v-ptiff/large-1.tif")"
ratio_ptiff=$(echo "$tv / $tp" | bc -l | xargs printf '%.2f')

if [ "${BENCH_JP2:-1}" = 1 ] && "$tessella" convert --help | grep -q jp2; then
  # Kakadu's Cprecincts={256,256},{256,256},{128,128} repeats the last size for every lower level; given
  # three sizes, OpenJPEG would halve it instead, so all seven are spelled out (as tessella-openjpeg does).
  # TLM as tessella writes it: with early termination off, the two outputs are then the same bytes.
  precincts='[256,256],[256,256],[128,128],[128,128],[128,128],[128,128],[128,128]'
  opj_args=(-t 512,512 -n 7 -c "$precincts" -b 64,64 -p RPCL -SOP -EPH -PLT -TLM -TP R)
  # Grok's command line spells SOP, EPH and tile-parts -S, -E and -u (it refuses -TP, and reads -SOP as
  # three short flags). Its PLT flag (-L) crashes Debian's Grok 10.0.5, so its files have no PLT markers.
  grk_args=(-t 512,512 -n 7 -c "$precincts" -b 64,64 -p RPCL -S -E -u R)
  for mode in lossy lossless; do
    if [ $mode = lossy ]; then extra=(-r 8 -I); textra=(--rate 8); else extra=(); textra=(--lossless); fi
    jp2_repeat=${JP2_REPEAT:-3}
    log "JP2 $mode: tessella convert vs opj_compress -threads 2 ($jp2_repeat times each, alternating), grk_compress, ojph_compress"
    mkdir -p "$work/o-$mode" "$work/g-$mode" "$work/h-$mode"
    # A fresh destination and result CSV each time, so the resumable batch redoes everything.
    tessella_jp2() {
      rm -rf "$work/t-$mode$1" "$work/r.csv"
      "$tessella" convert "$work/batch.csv" --source "$work/masters" --dest "$work/t-$mode$1" \
        --format jp2 "${textra[@]}" "${@:2}" --jobs "$cores" --output "$work/r.csv"
    }
    loop_opj() { for f in "${files[@]}"; do opj_compress -i "$work/masters/$f.tif" -o "$work/o-$mode/$f.jp2" \
      "${opj_args[@]}" "${extra[@]}" -threads 2; done; }
    tj_times=(); tf_times=(); o_times=()
    for i in $(seq "$jp2_repeat"); do
      if (( i % 2 )); then
        tj_times+=("$(timed tessella_jp2 '')"); o_times+=("$(timed loop_opj)")
      else
        o_times+=("$(timed loop_opj)"); tj_times+=("$(timed tessella_jp2 '')")
      fi
      # Every pass coded, as opj_compress does (early termination only acts on lossy encodes).
      if [ $mode = lossy ]; then tf_times+=("$(timed tessella_jp2 -full --no-early-termination)"); fi
    done
    tj=$(median "${tj_times[@]}")
    to=$(median "${o_times[@]}")
    row "JP2 $mode" "tessella convert --jobs $cores (median of $jp2_repeat: ${tj_times[*]})" "$tj" \
      "$(psnr "$work/t-$mode/ark:/99999/large-1.jpx")"
    if [ $mode = lossy ]; then
      tf=$(median "${tf_times[@]}")
      row "JP2 $mode" "tessella convert --jobs $cores --no-early-termination (median of $jp2_repeat: ${tf_times[*]})" \
        "$tf" "$(psnr "$work/t-$mode-full/ark:/99999/large-1.jpx")"
      ratio_full=$(echo "$to / $tf" | bc -l | xargs printf '%.2f')
    fi
    row "JP2 $mode" "opj_compress -threads 2, file by file (median of $jp2_repeat: ${o_times[*]})" "$to" \
      "$(psnr "$work/o-$mode/large-1.jp2")"
    eval "ratio_$mode=$(echo "$to / $tj" | bc -l | xargs printf '%.2f')"
    loop_grk() { for f in "${files[@]}"; do grk_compress -i "$work/masters/$f.tif" -o "$work/g-$mode/$f.jp2" \
      "${grk_args[@]}" "${extra[@]}" -H "$cores"; done; }
    t=$(timed loop_grk) && row "JP2 $mode" "grk_compress -H $cores, file by file (reference)" "$t" \
      "$(psnr "$work/g-$mode/large-1.jp2" 2>/dev/null || echo '?')"
    if [ $mode = lossy ]; then hq=(-qstep 0.01); else hq=(-reversible true); fi
    loop_ojph() { for f in "${files[@]}"; do ojph_compress -i "$work/masters/$f.tif" -o "$work/h-$mode/$f.j2c" \
      -num_decomps 5 -block_size '{64,64}' -prog_order RPCL -tile_size '{512,512}' "${hq[@]}"; done; }
    t=$(timed loop_ojph) && row "HTJ2K $mode (codestream)" "ojph_compress, file by file (reference)" "$t" \
      "$(psnr "$work/h-$mode/large-1.j2c")"
    if [ $mode = lossy ]; then hextra=(--qstep 0.01); else hextra=(--lossless); fi
    t=$(timed "$tessella" convert "$work/batch.csv" --source "$work/masters" --dest "$work/th-$mode" \
      --format htj2k "${hextra[@]}" --jobs "$cores" --output "$work/r.csv")
    row "HTJ2K $mode (codestream)" "tessella convert --format htj2k --jobs $cores" "$t" \
      "$(psnr "$work/th-$mode/ark:/99999/large-1.jhc")"
    eval "ratio_ht_$mode=$(echo "$tj / $t" | bc -l | xargs printf '%.2f')"
  done
fi

load=$(cut -d' ' -f1-3 /proc/loadavg)
cat <<EOF
Run $(date -u '+%Y-%m-%d %H:%M UTC') on $cores cores; $count images ($copies × large.tif 8000×5000 120 MB,
$copies × medium.tif 5640×3172 54 MB); load average after: $load. PSNR: large-1 against large.tif.

| derivative | tool | time | images/min | PSNR |
|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

Ratios (tessella faster by, medians): pyramidal TIFF vs vips ${ratio_ptiff}×; JP2 lossy vs opj_compress ${ratio_lossy:-n/a}× (${ratio_full:-n/a}× coding every pass); JP2 lossless vs opj_compress ${ratio_lossless:-n/a}×.
HTJ2K against Part 1, both by tessella convert: lossy ${ratio_ht_lossy:-n/a}× faster, lossless ${ratio_ht_lossless:-n/a}× faster.
EOF
