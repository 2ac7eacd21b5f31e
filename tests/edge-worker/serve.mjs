// The Worker's built bundle served on a port by workerd (Miniflare), in front of an origin: a local edge
// for load tests and by hand, where `wrangler dev` is not installed.
//   node tests/edge-worker/serve.mjs --port 8787 --origin http://127.0.0.1:8080 [--host 127.0.0.1]
// Environment: SOURCE_SECRET (the origin's edge_source.secret), PUBLIC_BASE (default: this edge's URL),
// and any other edge setting by its name (MAX_MEMORY_MB, PASSTHROUGH, ...). Build the bundle first
// (edge/worker/build.sh); `npm ci` in tests/edge-worker installs Miniflare.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { workerOptions } from "./worker-options.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
if (!args.port || !args.origin) {
  console.error("usage: serve.mjs --port PORT --origin ORIGIN_URL [--host HOST]");
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bundle = path.join(repo, "edge/worker/build");
const host = args.host ?? "127.0.0.1";
const settings = [
  "SOURCE_SECRET", "MAX_MEMORY_MB", "MAX_FETCH_MB", "MAX_PIXELS", "MAX_WIDTH", "MAX_HEIGHT", "MAX_AREA",
  "UPSCALING", "CACHE_MAX_AGE", "META_TTL_SECONDS", "JPEG_QUALITY", "PASSTHROUGH",
];
const bindings = { ORIGIN_URL: args.origin, PUBLIC_BASE: process.env.PUBLIC_BASE ?? `http://${host}:${args.port}` };
for (const name of settings) if (process.env[name]) bindings[name] = process.env[name];

const mf = new Miniflare({
  ...workerOptions(bundle, path.join(repo, "wrangler.toml")),
  bindings,
  cache: process.env.EDGE_CACHE !== "false",
  host,
  port: Number(args.port),
});
const url = await mf.ready;
console.log(`tessella edge (Worker under workerd) at ${url}, origin ${args.origin}`);
const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
