#!/usr/bin/env bash
# Tessella against IIPImage (Debian's iipimage-server behind nginx-light and spawn-fcgi) on the same sources,
# the same requests and the same machine, in one run: both servers are up together and every case measures
# them one after the other (round 1 Tessella then IIPImage, round 2 the other way round), so both see the
# same background load. Prints a markdown table and writes it into BENCHMARKS.md between the
# bench-iipimage markers (BENCH_WRITE=0 leaves BENCHMARKS.md alone).
#
# Usage: scripts/bench-iipimage.sh        (as root on Debian 12: installs what is missing with apt-get)
# Env:   BENCH_SECONDS=10  seconds per wrk run          BENCH_ROUNDS=2  rounds per case (alternating order)
#        BENCH_WARMUP=2    seconds of warm-up per server and case (not counted)
#        BENCH_CASES="256x1 256x16 512x1 512x16 512pass full1024x1 full1024 jp2x1 jp2x16 jp2low jp2full htx1 htx16"
#                          (subset, order)
#        IIP_PROCESSES=$(nproc)  iipsrv FastCGI processes   TESSELLA_THREADS=0  render slots (0: one per core plus one)
#        TESSELLA_JP2_THREADS=2  OpenJPEG threads per JP2 decode (Tessella's default; iipsrv decodes with one)
#        IIP_CACHE_MB=0    iipsrv's MAX_IMAGE_CACHE_SIZE (its tile cache; 0 turns it off, like ?cache=false)
#        TESSELLA_LARGE=~/.cache/tessella-large   the sources (built when missing)
#        TESSELLA_PORT=18080 NGINX_PORT=18081
# Requests (IIIF Image API 2.1 syntax on both; Tessella gets ?cache=false, so its derivative cache is
# bypassed): every tile of the full-resolution level in turn, each wrk connection at a different point of
# the cycle (scripts/bench-iipimage/requests.lua), so no request repeats within a tile cache's reach.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
large=${TESSELLA_LARGE:-$HOME/.cache/tessella-large}
seconds=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-2}
warmup=${BENCH_WARMUP:-2}
cases=${BENCH_CASES:-"256x1 256x16 512x1 512x16 512pass full1024x1 full1024 jp2x1 jp2x16 jp2low jp2full htx1 htx16"}
iip_processes=${IIP_PROCESSES:-$(nproc)}
jp2_threads=${TESSELLA_JP2_THREADS:-2}
iip_cache_mb=${IIP_CACHE_MB:-0}
t_port=${TESSELLA_PORT:-18080}
n_port=${NGINX_PORT:-18081}
iipsrv=/usr/lib/iipimage-server/iipsrv.fcgi
here=$repo/scripts/bench-iipimage
command_line=""
for v in BENCH_SECONDS BENCH_ROUNDS BENCH_WARMUP BENCH_CASES IIP_PROCESSES IIP_CACHE_MB TESSELLA_THREADS \
  TESSELLA_JP2_THREADS; do
  if [ -n "${!v:-}" ]; then command_line+="$v=$(printf %q "${!v}") "; fi
done
command_line+="scripts/bench-iipimage.sh"

log() { echo "== $*" >&2; }

# --- 1. Packages ---------------------------------------------------------------------------------------------
missing=()
for p in iipimage-server nginx-light spawn-fcgi wrk libvips-tools openjph-tools curl python3 time; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
[ -x "$iipsrv" ] || iipsrv=$(dpkg -L iipimage-server | grep -m1 'iipsrv\.fcgi$')

# --- 2. Tessella and the sources -----------------------------------------------------------------------------
log "cargo build --release --bin tessella (and the JP2 decode example, for the decoder's floor)"
cargo build --release --bin tessella >&2
cargo build --release -p tessella-openjpeg --example jp2-decode >&2
tessella=$CARGO_TARGET_DIR/release/tessella
decoder=$CARGO_TARGET_DIR/release/examples/jp2-decode

if [ ! -s "$large/large-pyramid.tif" ] || [ ! -s "$large/large.jp2" ]; then
  log "building the sources in $large"
  ../shared/fixtures/make-large.sh "$large" >&2
fi
# The same image as a JPEG-tiled pyramid with 512² tiles (make-large.sh makes 256² ones).
if [ ! -s "$large/large-pyramid-512.tif" ]; then
  log "building $large/large-pyramid-512.tif"
  vips tiffsave "$large/large.tif" "$large/large-pyramid-512.tif.tmp" \
    --tile --tile-width 512 --tile-height 512 --pyramid --compression jpeg --Q 90
  mv "$large/large-pyramid-512.tif.tmp" "$large/large-pyramid-512.tif"
fi
# The same image as HTJ2K (JPEG 2000 Part 15, which OpenJPEG 2.5 decodes: Debian's as well as ours): OpenJPH's
# encoder, 512² tiles, 6 levels, irreversible, at a step size that gives large.jp2's PSNR (43.8 against
# 44.0 dB; 9.1 against 8.5 MB), in a plain JP2 container (iipsrv only opens JP2 files).
if [ ! -s "$large/large-ht.jp2" ]; then
  log "building $large/large-ht.jp2"
  ojph_compress -i "$large/large.tif" -o "$large/large-ht.tmp.j2c" -num_decomps 6 -qstep 0.014 \
    -tile_size "{512,512}" -reversible false >/dev/null
  python3 "$here/wrap-jp2.py" "$large/large-ht.tmp.j2c" "$large/large-ht.tmp.jp2"
  rm "$large/large-ht.tmp.j2c"
  mv "$large/large-ht.tmp.jp2" "$large/large-ht.jp2"
fi
img_w=$(vipsheader -f width "$large/large-pyramid.tif") img_h=$(vipsheader -f height "$large/large-pyramid.tif")
jp2_w=$(vipsheader -f width "$large/large.jp2") jp2_h=$(vipsheader -f height "$large/large.jp2")

# --- 3. Servers ----------------------------------------------------------------------------------------------
tmp=$(mktemp -d /tmp/bench-iipimage.XXXXXX)
chmod 755 "$tmp"   # nginx's workers (user nobody) reach the FastCGI socket in it
pids=()
# Stops everything start_servers started, by PID.
stop_servers() {
  local all=("${pids[@]}")
  [ -s "$tmp/nginx.pid" ] && all+=("$(cat "$tmp/nginx.pid")")
  [ -s "$tmp/iipsrv.pids" ] && mapfile -t -O "${#all[@]}" all < "$tmp/iipsrv.pids"
  [ ${#all[@]} -gt 0 ] || return 0
  kill "${all[@]}" 2>/dev/null || true
  sleep 1
  # iipsrv does not always exit on SIGTERM (its handler exits while a decoder thread may hold a lock).
  kill -9 "${all[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
  rm -f "$tmp/nginx.pid" "$tmp/iipsrv.pids" "$tmp/iipsrv.sock"
}
cleanup() { set +e; stop_servers; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/nginx"
cat > "$tmp/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  proxy_temp_path $tmp/nginx/proxy;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$n_port;
    location /fcgi-bin/iipsrv.fcgi {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:$tmp/iipsrv.sock;
      # A fresh FastCGI connection per request: iipsrv's FastCGI loop with kept connections deadlocks.
      fastcgi_keep_conn off;
      # Buffers that hold a whole response, so nothing is spooled to a temporary file.
      fastcgi_buffer_size 64k;
      fastcgi_buffers 32 64k;
      fastcgi_max_temp_file_size 0;
    }
  }
}
NGINX

t_base="http://127.0.0.1:$t_port"
i_base="http://127.0.0.1:$n_port"
t_prefix=/iiif/2
i_prefix="/fcgi-bin/iipsrv.fcgi?IIIF="
log "iipsrv ($iip_processes processes via spawn-fcgi), nginx on 127.0.0.1:$n_port, tessella on 127.0.0.1:$t_port"

# Fresh processes of both servers (each case gets its own, so each peak RSS is that case's alone).
start_servers() {
  # iipsrv's settings come from its environment, which spawn-fcgi passes on. JPEG_QUALITY 85 is
  # Tessella's default (iipsrv's is 75), so both encode the same quality.
  FILESYSTEM_PREFIX=$large/ MAX_IMAGE_CACHE_SIZE=$iip_cache_mb JPEG_QUALITY=85 MAX_CVT=10000 VERBOSITY=0 \
    spawn-fcgi -s "$tmp/iipsrv.sock" -M 0666 -F "$iip_processes" -P "$tmp/iipsrv.pids" -- "$iipsrv" >/dev/null
  nginx -p "$tmp/nginx" -c "$tmp/nginx.conf" &
  pids+=($!)
  TESSELLA_LOG=warn TESSELLA_THREADS=${TESSELLA_THREADS:-0} TESSELLA_JP2__THREADS=$jp2_threads "$tessella" serve --images "$large" \
    --listen "127.0.0.1:$t_port" &
  tessella_pid=$!
  pids+=("$tessella_pid")
  for _ in $(seq 100); do
    curl -fso /dev/null "$t_base/health" && curl -fso /dev/null "$i_base$i_prefix/large-pyramid.tif/info.json" && break
    sleep 0.2
  done
  curl -fso /dev/null "$t_base/health" || { echo "tessella did not start" >&2; exit 1; }
  curl -fso /dev/null "$i_base$i_prefix/large-pyramid.tif/info.json" || {
    echo "iipsrv behind nginx did not answer:" >&2; tail -5 "$tmp/nginx-error.log" >&2; exit 1; }
  mapfile -t iip_pids < "$tmp/iipsrv.pids"
  # nginx's workers carry IIPImage's HTTP (Tessella's is in its own process): counted in its CPU per request.
  mapfile -t nginx_pids < <(pgrep -P "$(cat "$tmp/nginx.pid")")
}

# --- 4. Cases ------------------------------------------------------------------------------------------------
# case -> label, identifier, mode, width, height, tile, connections
declare -A label ident mode cw ch tile conns scale
def() { label[$1]=$2; ident[$1]=$3; mode[$1]=$4; cw[$1]=$5; ch[$1]=$6; tile[$1]=$7; conns[$1]=$8; scale[$1]=${9:-1}; }
def 256x1    "256 tile, 1 conn"               large-pyramid.tif     tile "$img_w" "$img_h" 256 1
def 256x16   "256 tile, 16 conns"             large-pyramid.tif     tile "$img_w" "$img_h" 256 16
def 512x1    "512 tile, 1 conn"               large-pyramid.tif     tile "$img_w" "$img_h" 512 1
def 512x16   "512 tile, 16 conns"             large-pyramid.tif     tile "$img_w" "$img_h" 512 16
def 512pass  "512 tile from 512² pyramid, 16 conns" large-pyramid-512.tif tile "$img_w" "$img_h" 512 16
def full1024 "/full/1024, (pyramid), 16 conns" large-pyramid.tif    full "$img_w" "$img_h" 0 16
def full1024x1 "/full/1024, (pyramid), 1 conn" large-pyramid.tif    full "$img_w" "$img_h" 0 1
def jp2x1    "JP2 512 tile, 1 conn"           large.jp2             tile "$jp2_w" "$jp2_h" 512 1
def jp2x16   "JP2 512 tile, 16 conns"         large.jp2             tile "$jp2_w" "$jp2_h" 512 16
def jp2low   "JP2 512 tile at 1/4 scale, 16 conns" large.jp2        tile "$jp2_w" "$jp2_h" 512 16 4
def jp2full  "/full/1024, (JP2), 16 conns"    large.jp2             full "$jp2_w" "$jp2_h" 0 16
def htx1     "HTJ2K 512 tile, 1 conn"         large-ht.jp2          tile "$jp2_w" "$jp2_h" 512 1
def htx16    "HTJ2K 512 tile, 16 conns"       large-ht.jp2          tile "$jp2_w" "$jp2_h" 512 16

# The first and the last URL of a case's cycle, without the server's prefix.
sample_paths() {
  local c=$1
  if [ "${mode[$c]}" = full ]; then
    echo "/${ident[$c]}/full/1024,/0/default.jpg"
    echo "/${ident[$c]}/full/1009,/0/default.jpg"
  else
    local k=${scale[$c]} w=${cw[$c]} h=${ch[$c]}
    local t=$(( ${tile[$c]} * k ))
    local lx=$(( (w - 1) / t * t )) ly=$(( (h - 1) / t * t ))
    echo "/${ident[$c]}/0,0,$t,$t/${tile[$c]},/0/default.jpg"
    echo "/${ident[$c]}/$lx,$ly,$((w - lx)),$((h - ly))/$(( (w - lx + k - 1) / k )),/0/default.jpg"
  fi
}

# Both servers answer every case with a JPEG of the same pixel size.
log "checking both servers' answers"
start_servers
for c in $cases; do
  [ -n "${label[$c]:-}" ] || { echo "unknown case $c (known: ${!label[*]})" >&2; exit 2; }
  while read -r p; do
    for s in T I; do
      if [ $s = T ]; then url="$t_base$t_prefix$p?cache=false"; else url="$i_base$i_prefix$p"; fi
      code=$(curl -s -o "$tmp/check-$s.jpg" -w '%{http_code} %{content_type}' "$url")
      if [ "${code%% *}" != 200 ] || ! dims=$(vipsheader -f width "$tmp/check-$s.jpg" 2>/dev/null); then
        echo "$c: $url answered $code" >&2; head -c 300 "$tmp/check-$s.jpg" >&2; echo >&2; exit 1
      fi
      dims="$dims×$(vipsheader -f height "$tmp/check-$s.jpg")"
      eval "dims_$s=\$dims; type_$s=\${code#* }"
    done
    printf '   %-10s %-60s Tessella %-10s IIPImage %-10s %s\n' "$c" "$p" "$dims_T" "$dims_I" "$type_T | $type_I" >&2
    [ "$dims_T" = "$dims_I" ] || echo "   WARNING: $c $p: pixel sizes differ" >&2
  done < <(sample_paths "$c")
done

# VmHWM of a process, in kB; "clear" resets it (echo 5 > clear_refs) so each run's peak is its own.
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
reset_hwm() { for p in "$@"; do echo 5 > "/proc/$p/clear_refs" 2>/dev/null || true; done; }
iip_hwm() { local s=0; for p in "${iip_pids[@]}"; do s=$((s + $(hwm "$p"))); done; echo $s; }
# CPU time (user + system, all threads) of processes, in clock ticks: a run's difference over its requests
# is the CPU one request costs, which background load changes less than it changes req/s.
ticks() { local s=0 p; for p in "$@"; do s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $s; }
hz=$(getconf CLK_TCK)

run_wrk() { # server case seconds outfile
  local s=$1 c=$2 secs=$3 out=$4 prefix suffix base
  if [ "$s" = T ]; then base=$t_base prefix="$t_prefix/${ident[$c]}" suffix="?cache=false"
  else base=$i_base prefix="$i_prefix/${ident[$c]}" suffix=""; fi
  BENCH_PREFIX=$prefix BENCH_SUFFIX=$suffix BENCH_MODE=${mode[$c]} BENCH_WIDTH=${cw[$c]} BENCH_HEIGHT=${ch[$c]} \
    BENCH_TILE=${tile[$c]} BENCH_SCALE=${scale[$c]} BENCH_FULL_MIN=1009 BENCH_FULL_MAX=1024 \
    wrk -t1 -c"${conns[$c]}" -d"${secs}s" --timeout 30s --latency -s "$here/requests.lua" "$base" > "$out"
}

results=${BENCH_OUT:-$CARGO_TARGET_DIR/bench-iipimage}
mkdir -p "$results"
rm -f "$results"/*.txt "$results/manifest.tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
loads=()
stop_servers
for c in $cases; do
  start_servers
  for s in T I; do run_wrk $s "$c" "$warmup" /dev/null; done
  for r in $(seq "$rounds"); do
    if [ $((r % 2)) = 1 ]; then order="T I"; else order="I T"; fi
    for s in $order; do
      out="$results/$c-$s-$r.txt"
      if [ $s = T ]; then server_pids=("$tessella_pid"); else server_pids=("${iip_pids[@]}" "${nginx_pids[@]}"); fi
      if [ $s = T ]; then reset_hwm "$tessella_pid"; else reset_hwm "${iip_pids[@]}"; fi
      cpu_before=$(ticks "${server_pids[@]}")
      run_wrk $s "$c" "$seconds" "$out"
      cpu=$(awk -v t=$(( $(ticks "${server_pids[@]}") - cpu_before )) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
      if [ $s = T ]; then rss=$(hwm "$tessella_pid"); else rss=$(iip_hwm); fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${label[$c]}" $s "$r" "$out" "$rss" "$cpu" >> "$results/manifest.tsv"
      loads+=("$(cut -d' ' -f1 /proc/loadavg)")
      log "$c $s round $r: $(grep -E '^Requests/sec' "$out") (load $(cut -d' ' -f1-3 /proc/loadavg))"
    done
  done
  stop_servers
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# The decoder's floor: every full-resolution tile of each JPEG 2000 source in the tile cases, decoded the
# way tessella serve decodes one (read by the tile, OpenJPEG with one thread, as a render beside others)
# but not encoded, in one process; its CPU time per tile is the least any server decoding with OpenJPEG
# spends on such a request. summarise.py sets it against IIPImage's CPU per request (iipsrv and nginx).
declare -A floor_ms
: > "$results/floors.tsv"
for c in $cases; do
  [ "${mode[$c]}" = tile ] && [ "${scale[$c]}" = 1 ] && [[ "${ident[$c]}" == *.jp2 ]] || continue
  f=${ident[$c]}
  if [ -z "${floor_ms[$f]:-}" ]; then
    out=$( { /usr/bin/time -f 'TIME %U %S' "$decoder" openjpeg 1 tiles "${tile[$c]}" "$large/$f"; } 2>&1 )
    n=$(grep -o '^[0-9]*tiles' <<<"$out" | tr -dc 0-9)
    read -r _ u s < <(grep '^TIME' <<<"$out")
    floor_ms[$f]=$(awk -v u="$u" -v s="$s" -v n="$n" 'BEGIN { printf "%.2f", (u + s) * 1000 / n }')
    log "decoder floor $f: $n tiles, ${floor_ms[$f]} ms CPU each"
  fi
  printf '%s\t%s\n' "${label[$c]}" "${floor_ms[$f]}" >> "$results/floors.tsv"
done

table=$(python3 "$here/summarise.py" "$results/manifest.tsv" "$results/floors.tsv")
echo "$table"

# --- 5. BENCHMARKS.md ----------------------------------------------------------------------------------------
ver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null; }
loads_sorted=$(printf '%s\n' "${loads[@]}" | sort -g)
load_min=$(head -1 <<<"$loads_sorted"); load_max=$(tail -1 <<<"$loads_sorted")
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
section=$(cat <<EOF
<!-- bench-iipimage:start (written by scripts/bench-iipimage.sh; the commentary around it is by hand) -->
Run $started on $(nproc) vCPU $cpu, $mem, Debian $(cat /etc/debian_version); \`$command_line\`
(${seconds} s per run, ${rounds} rounds per case alternating which server goes first, ${warmup} s warm-up each).
Load average (1, 5, 15 min) $load_before before, $load_after after; the 1-minute load after each run ranged
$load_min–$load_max (the two servers and wrk account for about 2; more means other work shared the machine).
Tessella $(git -C "$repo" rev-parse --short HEAD) (release build, $(rustc --version | cut -d' ' -f1-2)), \`tessella serve\`,
render slots ${TESSELLA_THREADS:-0} (0: one per core plus one), OpenJPEG $jp2_threads threads per JP2 decode, Lanczos3 downscaling,
\`?cache=false\` on every request. IIPImage: iipimage-server
$(ver iipimage-server) (iipsrv with libtiff $(ver libtiff6), libjpeg-turbo $(ver libjpeg62-turbo), OpenJPEG $(ver libopenjp2-7)) as $iip_processes FastCGI processes
(spawn-fcgi $(ver spawn-fcgi)) behind nginx-light $(ver nginx-light) on a Unix socket, \`fastcgi_keep_conn off\`,
MAX_IMAGE_CACHE_SIZE=$iip_cache_mb, JPEG_QUALITY=85 (Tessella's default), bilinear downscaling (its default). wrk $(ver wrk), one thread, keep-alive.
Sources: \`large-pyramid.tif\` ($img_w×$img_h, JPEG-tiled pyramid, 256² tiles, Q90), \`large-pyramid-512.tif\`
(the same with 512² tiles) and \`large.jp2\` (512² tiles, 6 levels), from \`../shared/fixtures/make-large.sh\`;
\`large-ht.jp2\`, the same image as HTJ2K (\`ojph_compress\`, 512² tiles, 6 levels, \`-qstep 0.014\`, in a JP2 container), by this script.
Peak RSS: VmHWM of fresh server processes for each case, reset before each run; IIPImage's is the sum over its $iip_processes iipsrv processes (nginx not counted).
CPU per request: user + system time during the run over its requests, of Tessella's process, and of IIPImage's iipsrv processes and nginx's workers (they carry its HTTP).

$table
<!-- bench-iipimage:end -->
EOF
)
if [ "${BENCH_WRITE:-1}" = 1 ]; then
  SECTION=$section python3 - "$repo/BENCHMARKS.md" <<'PY'
import os, re, sys
path = sys.argv[1]
text = open(path).read()
section = os.environ["SECTION"]
pat = re.compile(r"<!-- bench-iipimage:start.*?<!-- bench-iipimage:end -->", re.S)
if pat.search(text):
    text = pat.sub(lambda _: section, text)
else:
    text = text.rstrip("\n") + "\n\n## Tessella vs IIPImage (`scripts/bench-iipimage.sh`)\n\n" + section + "\n"
open(path, "w").write(text)
PY
  log "BENCHMARKS.md updated"
fi
