// The Cloudflare Worker's bundle (edge/worker/build) under workerd, through Miniflare's API,
// against a running `tessella serve` (tests/edge-worker/run.sh starts it and passes its address).
// Every check compares the edge's answer with the origin's answer to the same request.
// Prints one line per check and `checks: N passed, M failed` last; exits 1 on any failure.
//
// Environment: ORIGIN_URL, PUBLIC_BASE, SOURCE_SECRET, ADMIN_TOKEN, BUNDLE (edge/worker/build),
// WRANGLER_TOML (for compatibility_date), R2_OBJECT (a file to put in the R2 bucket), R2_KEY, ORIGIN_LOG
// (the origin's log, to see which source reads reached its byte-range endpoint).
import { readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import jpeg from "jpeg-js";
import { workerOptions } from "./worker-options.mjs";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const origin = env("ORIGIN_URL");
const publicBase = env("PUBLIC_BASE");
const secret = env("SOURCE_SECRET");
const adminToken = env("ADMIN_TOKEN");
const bundle = env("BUNDLE");
const originLog = env("ORIGIN_LOG");
/** Requests the origin logged for its byte-range endpoint, for identifiers starting so: those it served
 * (206) or, with `any`, every one. */
const sourceReads = (prefix, { any = false } = {}) =>
  readFileSync(originLog, "utf8")
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((l) => l.includes(`path=/edge/source/${prefix}`) && (any || / status=206\b/.test(l))).length;

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ""}`);
  }
  return ok;
}

/** One edge: the bundle under workerd with these vars (and an R2 bucket when asked). */
async function startEdge(vars, { r2 = false } = {}) {
  const mf = new Miniflare({
    ...workerOptions(bundle, env("WRANGLER_TOML")),
    bindings: { ORIGIN_URL: origin, PUBLIC_BASE: publicBase, ...vars },
    r2Buckets: r2 ? ["SOURCE_BUCKET"] : [],
    cache: true,
  });
  await mf.ready;
  return mf;
}

async function get(base, pathAndQuery, headers = {}) {
  const fetchIt = typeof base === "string" ? (url, init) => fetch(url, init) : base.dispatchFetch.bind(base);
  const url = `${typeof base === "string" ? base : "http://edge.test"}${pathAndQuery}`;
  const response = await fetchIt(url, { headers, redirect: "manual" });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

const isJpeg = (body) => body.length > 4 && body[0] === 0xff && body[1] === 0xd8 && body.at(-2) === 0xff && body.at(-1) === 0xd9;

/** PSNR of two JPEGs over RGB; -1 when they differ in size or do not decode. */
function psnr(a, b) {
  try {
    const x = jpeg.decode(a, { useTArray: true, formatAsRGBA: false });
    const y = jpeg.decode(b, { useTArray: true, formatAsRGBA: false });
    if (x.width !== y.width || x.height !== y.height) return -1;
    let sum = 0;
    for (let i = 0; i < x.data.length; i++) sum += (x.data[i] - y.data[i]) ** 2;
    const mse = sum / x.data.length;
    return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
  } catch {
    return -1;
  }
}

const SAME_HEADERS = ["etag", "link", "cache-control", "content-type", "access-control-allow-origin"];

/** The edge's image answer against the origin's to the same request: headers, JPEG, PSNR. */
async function compareImage(name, edge, pathAndQuery, { outcome, sameEtag = true }) {
  const mine = await get(edge, pathAndQuery);
  const theirs = await get(origin, pathAndQuery);
  const how = mine.headers.get("tessella-edge") ?? "";
  check(`${name}: 200 from the edge`, mine.status === 200, `${mine.status} ${mine.body.toString().slice(0, 200)}`);
  check(`${name}: answered ${outcome}`, new RegExp(outcome).test(how), `tessella-edge: ${how}`);
  check(`${name}: a JPEG`, isJpeg(mine.body), `${mine.body.length} bytes`);
  for (const h of SAME_HEADERS) {
    if (h === "etag" && !sameEtag) continue;
    check(`${name}: ${h} as the origin's`, mine.headers.get(h) === theirs.headers.get(h), `${mine.headers.get(h)} vs ${theirs.headers.get(h)}`);
  }
  const db = psnr(mine.body, theirs.body);
  check(`${name}: PSNR against the origin's ≥ 40 dB`, db >= 40, `${db.toFixed(2)} dB`) && console.log(`     (${db.toFixed(2)} dB)`);
  return mine;
}

const ark = "ark:%2F21198%2Fzz0001";
const tile = `/iiif/3/${ark}/256,0,256,256/256,/0/default.jpg`;

// 1. Sources through the origin's byte-range endpoint.
const edge = await startEdge({ SOURCE_SECRET: secret });
try {
  const first = await compareImage("ARK tile", edge, tile, { outcome: "^(rendered|passthrough)$" });
  check("ARK tile: first request a cache MISS", first.headers.get("tessella-edge-cache") === "MISS", first.headers.get("tessella-edge-cache"));
  const again = await get(edge, tile);
  check("ARK tile: the repeat a cache HIT", again.headers.get("tessella-edge-cache") === "HIT" && again.headers.get("tessella-edge") === "hit", `${again.headers.get("tessella-edge-cache")} ${again.headers.get("tessella-edge")}`);
  check("ARK tile: the hit is the same bytes and ETag", again.body.equals(first.body) && again.headers.get("etag") === first.headers.get("etag"));
  const conditional = await get(edge, tile, { "if-none-match": first.headers.get("etag") ?? "" });
  check("ARK tile: If-None-Match with its ETag is 304", conditional.status === 304, `${conditional.status}`);

  await compareImage("JPEG source, scaled full", edge, "/iiif/3/rocket/full/320,/0/default.jpg", { outcome: "^(rendered|passthrough)$" });
  await compareImage("ARK level-1 region, rotated", edge, `/iiif/3/${ark}/pct:10,10,50,50/200,/90/default.jpg`, { outcome: "^(rendered|passthrough)$" });

  check("ARK: the edge read the source through the origin's endpoint, %2F kept", sourceReads(ark) > 0, `${sourceReads(ark)} reads`);

  const info = await get(edge, `/iiif/3/${ark}/info.json`);
  const originInfo = await get(origin, `/iiif/3/${ark}/info.json`);
  check("ARK info.json: 200, proxied", info.status === 200 && info.headers.get("tessella-edge") === "proxied", `${info.status} ${info.headers.get("tessella-edge")}`);
  let infoJson = {};
  try {
    infoJson = JSON.parse(info.body.toString());
  } catch {}
  check("ARK info.json: id under PUBLIC_BASE, with %2F", infoJson.id === `${publicBase}/iiif/3/${ark}`, infoJson.id);
  check("ARK info.json: the origin's document", info.body.equals(originInfo.body));
  const infoAgain = await get(edge, `/iiif/3/${ark}/info.json`);
  check("ARK info.json: the repeat a cache HIT", infoAgain.headers.get("tessella-edge-cache") === "HIT", infoAgain.headers.get("tessella-edge-cache"));

  const base = await get(edge, `/iiif/3/${ark}`);
  check("ARK base URI: 303 to its info.json", base.status === 303 && base.headers.get("location") === `${publicBase}/iiif/3/${ark}/info.json`, `${base.status} ${base.headers.get("location")}`);

  const manifest = { "@context": "http://iiif.io/api/presentation/3/context.json", id: `${publicBase}/${ark}/manifest`, type: "Manifest", label: { en: ["Edge test"] }, items: [] };
  const put = await fetch(`${origin}/${ark}/manifest`, { method: "PUT", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" }, body: JSON.stringify(manifest) });
  check("manifest stored at the origin", put.status === 201 || put.status === 204, `${put.status}`);
  const m = await get(edge, `/${ark}/manifest`);
  const originM = await get(origin, `/${ark}/manifest`);
  check("manifest through the edge: 200, proxied", m.status === 200 && m.headers.get("tessella-edge") === "proxied", `${m.status} ${m.headers.get("tessella-edge")}`);
  check("manifest through the edge: the origin's document and media type", m.body.equals(originM.body) && m.headers.get("content-type") === originM.headers.get("content-type"), m.headers.get("content-type"));

  const bad = await get(edge, `/iiif/3/${ark}/0,0,256/256,/0/default.jpg`);
  const originBad = await get(origin, `/iiif/3/${ark}/0,0,256/256,/0/default.jpg`);
  check("malformed region: 400 at the edge with a reason", bad.status === 400 && bad.body.length > 0 && bad.headers.get("tessella-edge") === "local", `${bad.status} ${bad.body.toString().trim()}`);
  check("malformed region: the origin says 400 too", originBad.status === 400, `${originBad.status}`);
  const missing = await get(edge, "/iiif/3/no-such-image/full/max/0/default.jpg");
  check("missing image: 404", missing.status === 404, `${missing.status} ${missing.headers.get("tessella-edge")}`);
  const missingInfo = await get(edge, "/iiif/3/no-such-image/info.json");
  check("missing image's info.json: 404", missingInfo.status === 404, `${missingInfo.status}`);
} finally {
  await edge.dispose();
}

// 2. A tight budget: the request goes to the origin, canonical, before any image bytes are fetched.
const tight = await startEdge({ SOURCE_SECRET: secret, MAX_PIXELS: "100000" });
try {
  const over = await compareImage("over budget (full/max, 273 kpx > 100 kpx)", tight, "/iiif/3/rocket/full/max/0/default.jpg", { outcome: '^origin; reason=".*budget' });
  check("over budget: cached after the origin answered", (await get(tight, "/iiif/3/rocket/full/max/0/default.jpg")).headers.get("tessella-edge-cache") === "HIT");
  check("over budget: exactly the origin's bytes", over.body.equals((await get(origin, "/iiif/3/rocket/full/max/0/default.jpg")).body));
} finally {
  await tight.dispose();
}

// 3. Sources from R2: no SOURCE_SECRET, so the origin's source endpoint is out of reach.
const r2 = await startEdge({ SOURCE_KEY_SUFFIX: ".tif" }, { r2: true });
try {
  const bucket = await r2.getR2Bucket("SOURCE_BUCKET");
  const object = readFileSync(env("R2_OBJECT"));
  // A whole ArrayBuffer of its own: Miniflare cannot pass on a view into Node's pooled buffers.
  await bucket.put(env("R2_KEY"), object.buffer.slice(object.byteOffset, object.byteOffset + object.length));
  const before = sourceReads("", { any: true });
  // The ETag's version is the R2 object's etag, not the origin's file version: compare the rest.
  await compareImage("R2 tile", r2, tile, { outcome: "^(rendered|passthrough)$", sameEtag: false });
  await compareImage("R2 region, rotated", r2, `/iiif/3/${ark}/pct:10,10,50,50/200,/90/default.jpg`, { outcome: "^rendered$", sameEtag: false });
  const after = sourceReads("", { any: true });
  check("R2: no request reached the origin's source endpoint", after === before, `${after - before} requests`);
  const again = await get(r2, tile);
  check("R2 tile: the repeat a cache HIT", again.headers.get("tessella-edge-cache") === "HIT", again.headers.get("tessella-edge-cache"));
  const missing = await get(r2, "/iiif/3/no-such-image/full/max/0/default.jpg");
  check("R2: a missing object is 404", missing.status === 404, `${missing.status} ${missing.headers.get("tessella-edge")}`);
} finally {
  await r2.dispose();
}

console.log(`checks: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
