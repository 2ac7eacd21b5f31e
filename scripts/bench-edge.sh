#!/usr/bin/env bash
# The edge's evidence on the 120 MB-class source (8000×5000, as a 43 MB JPEG-tiled pyramidal TIFF, 256²
# tiles, from loadtest/sources.sh): a 512² region off the tile grid (decoded, resized, encoded), a viewer's
# 512 tile on it (four stored tiles joined) and others, through the Spin component under wasmtime
# (edge/host, the same host as the end-to-end tests) against the same flow compiled natively, both
# reading the source through the origin's byte-range endpoint on loopback; the largest request the edge
# renders itself within its 64 MB budget, with its peak wasm memory; the component's size. Not a test: it prints, and the figures go to
# BENCHMARKS.md by hand with the machine's load.
# Usage: scripts/bench-edge.sh [TESSELLA_BINARY]   (default target/release/tessella, built when missing)
# REPEAT (default 7) sets how many timed requests each side makes per case.
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${REPEAT:-7}
bin=${1:-${CARGO_TARGET_DIR:-target}/release/tessella}
[ -x "$bin" ] || nice -n 10 cargo build --release --bin tessella --locked
bin=$(realpath "$bin")

echo "== building the component (release), the host and the native large_source example (release)" >&2
# simd128, as tests/run.sh builds it: about 6-8% faster here than without (1.96 MB without, 2.03 MB with).
CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS="-C target-feature=+simd128" \
  nice -n 10 cargo build --manifest-path edge/Cargo.toml -p tessella-edge-spin --target wasm32-wasip2 --release --locked
# The host, and the native flow inside it, in the bench-host profile (edge/Cargo.toml): release code
# generation without LTO. The dev profile the tests use keeps debug assertions and overflow checks in
# every dependency, which slowed wasmtime's wasi-http path (the guest's I/O) and the native side's pixel
# work alike; a fat-LTO build of wasmtime would take longer than the whole benchmark. About 4 minutes cold.
nice -n 10 cargo build --manifest-path edge/Cargo.toml -p tessella-edge-host --profile bench-host --locked
nice -n 10 cargo build --manifest-path edge/Cargo.toml -p tessella-edge --example large_source --release --locked
edge_target=${CARGO_TARGET_DIR:-edge/target}
wasm=$edge_target/wasm32-wasip2/release/tessella_edge_spin.wasm
host=$edge_target/bench-host/tessella-edge-host

study=$(loadtest/sources.sh)
[ -f "$study/ptiff-large.tif" ] || { echo "bench-edge: $study/ptiff-large.tif missing" >&2; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
secret=bench-edge-secret
log=$(mktemp)
TESSELLA_EDGE_SOURCE__SECRET=$secret \
  "$bin" serve --images "$study" --listen "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

echo "== machine"
echo "$(nproc) cores; uptime:$(uptime)"
echo "== component size"
printf '%s: %s B raw, %s B gzip -9\n' "$wasm" "$(stat -c %s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
echo "== wasm (wasmtime 48, a fresh pooled instance per request) vs native (same flow, same HTTP reads), median of $repeat"
"$host" --wasm "$wasm" --origin "http://127.0.0.1:$port" --secret "$secret" --repeat "$repeat" time \
  /iiif/3/ptiff-large/2100,2100,512,512/512,512/0/default.jpg \
  /iiif/3/ptiff-large/2048,2048,512,512/512,512/0/default.jpg \
  /iiif/3/ptiff-large/2100,2100,512,512/256,256/0/default.jpg \
  /iiif/3/ptiff-large/2048,2048,512,512/256,256/0/default.jpg \
  /iiif/3/ptiff-large/2048,2048,256,256/256,256/0/default.jpg \
  /iiif/3/ptiff-large/full/1024,640/0/default.jpg
# The host takes instances from wasmtime's pooling allocator, as `wasmtime serve` and Spin do; the
# on-demand allocator maps fresh memory per instance, and keeping a freed slot's memory resident spares
# the next instance its page faults.
for alloc in --on-demand "--keep-resident 67108864"; do
  echo "== the same three tiles with the host's $alloc"
  # shellcheck disable=SC2086 # two words on purpose
  "$host" --wasm "$wasm" --origin "http://127.0.0.1:$port" --secret "$secret" --repeat "$repeat" $alloc time \
    /iiif/3/ptiff-large/2100,2100,512,512/512,512/0/default.jpg \
    /iiif/3/ptiff-large/2048,2048,512,512/512,512/0/default.jpg \
    /iiif/3/ptiff-large/2048,2048,256,256/256,256/0/default.jpg
done
echo "== the fixed cost of a request in wasm: a fresh instance answering a malformed request (no I/O)"
"$host" --wasm "$wasm" --origin "http://127.0.0.1:$port" get /iiif/3/x/full/bogus/0/default.jpg \
  /iiif/3/x/full/bogus/0/default.jpg /iiif/3/x/full/bogus/0/default.jpg /iiif/3/x/full/bogus/0/default.jpg
echo "== native flow over the file itself (large_source example, release: LTO, no HTTP; probe included)"
for r in 2100,2100,512,512/512,512/0/default.jpg 2048,2048,512,512/512,512/0/default.jpg \
  2100,2100,512,512/256,256/0/default.jpg \
  2048,2048,512,512/256,256/0/default.jpg \
  2048,2048,256,256/256,256/0/default.jpg full/1024,640/0/default.jpg; do
  for _ in 1 2 3; do "$edge_target/release/examples/large_source" "$study/ptiff-large.tif" "$r" | tail -n 1; done
done
echo "== the largest square region at full resolution the edge renders itself (default budget: 64 MB, 32 MB fetched, 16 MP)"
"$host" --wasm "$wasm" --origin "http://127.0.0.1:$port" --secret "$secret" largest ptiff-large
echo "== uptime at the end:$(uptime)"
