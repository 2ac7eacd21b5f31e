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

echo "== native" >&2
cargo bench -p tessella-core --features std --bench render 2>&1 | tee "$out/native.txt" >&2

echo "== wasm32-wasip1 (simd128), under Node $(node --version)" >&2
RUSTFLAGS="-C target-feature=+simd128" cargo bench -p tessella-core --bench render --target wasm32-wasip1 --no-run 2>&1 | tail -1 >&2
wasm=$(ls -t target/wasm32-wasip1/release/deps/render-*.wasm | head -1)
: > "$out/wasm.txt"
# One process per case, so each case's peak linear memory is its own.
# Plain substrings: criterion reads the filter as a regular expression.
for filter in "passthrough" "512 tile" "120 MB" "from pyramidal" "from tiled JP2"; do
  node --no-warnings scripts/run-wasi.mjs "$wasm" --bench "$filter" 2>&1 | tee -a "$out/wasm.txt" >&2
done

python3 - "$out/native.txt" "$out/wasm.txt" <<'PY'
import re, sys

def parse(path):
    text = open(path).read()
    times, peaks, wasm_mem = {}, {}, {}
    name = None
    for line in text.splitlines():
        m = re.match(r"peak-heap\s+(\d+) bytes .*?  (\S.*)$", line)
        if m:
            peaks[m.group(2).strip()] = int(m.group(1))
            last_case = m.group(2).strip()
            continue
        m = re.match(r"wasm-peak-memory-bytes (\d+)", line)
        if m and peaks:
            wasm_mem[last_case] = int(m.group(1))
            continue
        m = re.match(r"^(\S.*?)\s+time:\s+\[(\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\]", line)
        if m:
            times[m.group(1).strip()] = (float(m.group(4)), m.group(5))
            continue
        m = re.match(r"^(\S.*\S)\s*$", line)
        if m and not line.startswith(("Benchmarking", "Gnuplot", "Found", "peak", "wasm", "Warning", "  ")):
            name = m.group(1)
        m = re.match(r"^\s+time:\s+\[(\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\]", line)
        if m and name:
            times[name] = (float(m.group(3)), m.group(4))
    return times, peaks, wasm_mem

def ms(v):
    value, unit = v
    return value * {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]

nt, npk, _ = parse(sys.argv[1])
wt, _, wmem = parse(sys.argv[2])
print("| case | native (median) | wasm32 (median) | wasm/native | native peak heap | wasm peak linear memory |")
print("|---|---|---|---|---|---|")
for case, t in nt.items():
    w = wt.get(case)
    ratio = f"{ms(w) / ms(t):.2f}×" if w else "–"
    wtxt = f"{ms(w):.2f} ms" if w else "–"
    mem = f"{wmem[case] / 1e6:.1f} MB" if case in wmem else "–"
    print(f"| {case} | {ms(t):.3f} ms | {wtxt} | {ratio} | {npk.get(case, 0) / 1e6:.1f} MB | {mem} |")
PY
