// Runs a wasm32-wasip1 program (such as a criterion benchmark built with --target wasm32-wasip1) under
// Node's WASI, with the host filesystem visible, and reports the peak linear memory: wasm memory never
// shrinks, so its size at exit is the most the program ever held.
// Usage: node scripts/run-wasi.mjs PROGRAM.wasm [ARGS...]
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { WASI } from 'node:wasi';

const [program, ...args] = process.argv.slice(2);
if (!program) {
  console.error('usage: node scripts/run-wasi.mjs PROGRAM.wasm [ARGS...]');
  process.exit(2);
}
const wasi = new WASI({
  version: 'preview1',
  args: [program, ...args],
  env: process.env,
  // Every directory the program opens by absolute path must be a preopen of its own: WASI resolves paths
  // against the longest matching preopen, and Node's '/' alone does not reach into subdirectories here.
  preopens: Object.fromEntries(
    ['/', process.cwd(), ...(process.env.WASI_DIRS ?? '').split(':').filter(Boolean)].map((d) => [d, d]),
  ),
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(program));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const code = wasi.start(instance);
console.error(`wasm-peak-memory-bytes ${instance.exports.memory.buffer.byteLength}`);
process.exitCode = code;
