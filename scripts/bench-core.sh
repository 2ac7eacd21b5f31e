#!/usr/bin/env bash
# The core's render benchmarks on seed-size sources, native and wasm32 in one run, printed side by side
# with their ratio and peak memory (native: peak heap from a counting allocator; wasm: peak linear
# memory, which never shrinks). Builds the sources with ../shared/fixtures/make-large.sh when missing.
# Usage: scripts/bench-core.sh   (env: TESSELLA_LARGE=DIR for the sources, default ~/.cache/tessella-large)
set -euo pipefail
cd "$(dirname "$0")/.."
export TESSELLA_LARGE=${TESSELLA_LARGE:-$HOME/.cache/tessella-large}
export WASI_DIRS=$TESSELLA_LARGE
out=target/bench-core
mkdir -p "$out"

if [ ! -s "$TESSELLA_LARGE/large.jp2" ] || [ ! -s "$TESSELLA_LARGE/large-pyramid.tif" ]; then
  command -v vips >/dev/null || { apt-get update -qq && apt-get install -y -qq libvips-tools; }
  ../shared/fixtures/make-large.sh "$TESSELLA_LARGE"
fi
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1

# Both builds first, then each case natively and in wasm back to back: the native side's times move by
# 15-20% between quiet runs minutes apart, so a ratio is only fair between measurements made together.
bench_binary() {
  cargo bench -p tessella-core --bench render --no-run --message-format=json "$@" |
    python3 scripts/cargo-executables.py | tail -n 1
}
echo "== building: native (--features std) and wasm32-wasip1 (simd128, run under Node $(node --version))" >&2
native=$(bench_binary --features std)
wasm=$(RUSTFLAGS="-C target-feature=+simd128" bench_binary --target wasm32-wasip1)
[ -x "$native" ] && [ -f "$wasm" ] || { echo "bench-core: a benchmark binary is missing" >&2; exit 1; }
: > "$out/native.txt"
: > "$out/wasm.txt"
# One process per case and side, so each wasm case's peak linear memory is its own.
# Plain substrings: criterion reads the filter as a regular expression.
for filter in "passthrough" "512 tile rendered" "512 tile joined" "512 tile decoded" "120 MB" "from pyramidal" "from tiled JP2"; do
  echo "== $filter" >&2
  (cd shared && "$native" --bench "$filter") 2>&1 | tee -a "$out/native.txt" >&2
  # Node's WASI is experimental and has crashed at exit here; a case that printed its figures counts.
  node --no-warnings scripts/run-wasi.mjs "$wasm" --bench "$filter" 2>&1 | tee -a "$out/wasm.txt" >&2 || true
done

python3 scripts/bench-table.py "$out/native.txt" "$out/wasm.txt"
