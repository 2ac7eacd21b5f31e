# Runs the wasm32-unknown-unknown build of decode_jp2 under wasmtime (pip install wasmtime) and reports the
# decode time and the linear memory it grew to. Build: cargo build --release --target wasm32-unknown-unknown
# Usage: run.py MODULE.wasm FILE REDUCE X,Y,W,H [BUDGET_MIB]   (W = 0: the whole level)
import sys, time, wasmtime
wasm, path, reduce = sys.argv[1], sys.argv[2], int(sys.argv[3])
reg = [int(v) for v in sys.argv[4].split(',')] if len(sys.argv) > 4 else [0,0,0,0]
data = open(path,'rb').read()
engine = wasmtime.Engine(); store = wasmtime.Store(engine)
module = wasmtime.Module.from_file(engine, wasm)
inst = wasmtime.Instance(store, module, [])
ex = inst.exports(store)
mem = ex["memory"]
p = ex["alloc"](store, len(data))
mem.write(store, data, p)
before = mem.data_len(store)
t = time.perf_counter()
r = ex["dec"](store, p, len(data), reduce, *reg, int(sys.argv[5]) if len(sys.argv) > 5 else 4000)
el = time.perf_counter() - t
print(f"wasm {path.split('/')[-1]} reduce={reduce} region={reg} -> {'ok' if r < 1000000 else 'ERR%d' % r} {el*1000:.0f} ms, linear memory {mem.data_len(store)/2**20:.0f} MiB (input {len(data)/2**20:.1f} MiB)")
