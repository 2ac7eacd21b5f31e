"""Turns criterion output from scripts/bench-core.sh (native and wasm runs) into one markdown table:
median times, the wasm/native ratio, native peak heap and wasm peak linear memory per case.
Usage: python3 scripts/bench-table.py NATIVE.txt WASM.txt"""
import re
import sys

UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}


def parse(path):
    """Per case: median time in ms, peak heap (bytes), peak wasm memory (bytes, wasm runs only)."""
    times, heap, memory = {}, {}, {}
    case = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"peak-heap\s+(\d+) bytes.*bytes  (\S.*)$", line)
        if m:
            case = m.group(2).strip()
            heap[case] = int(m.group(1))
            continue
        m = re.search(r"time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", line)
        if m and case:
            times[case] = float(m.group(1)) * UNITS[m.group(2)]
            continue
        m = re.match(r"wasm-peak-memory-bytes (\d+)", line)
        if m and case:
            memory[case] = int(m.group(1))
    return times, heap, memory


native_t, native_heap, _ = parse(sys.argv[1])
wasm_t, _, wasm_mem = parse(sys.argv[2])
print("| case | native (median) | wasm32 (median) | wasm/native | native peak heap | wasm peak linear memory |")
print("|---|---|---|---|---|---|")
for case, t in native_t.items():
    w = wasm_t.get(case)
    fmt = lambda ms: f"{ms * 1000:.1f} µs" if ms < 1 else f"{ms:.1f} ms"
    print(
        f"| {case} | {fmt(t)} | {fmt(w) if w else '–'} | {f'{w / t:.2f}×' if w else '–'} "
        f"| {native_heap.get(case, 0) / 1e6:.1f} MB | {f'{wasm_mem[case] / 1e6:.1f} MB' if case in wasm_mem else 'crashed (Node WASI)'} |"
    )
