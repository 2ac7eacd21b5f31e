// Mirador (npm) in headless Chromium (Debian's) opens a IIIF Presentation 3.0 manifest from a running
// Tessella server and shows its first canvas: the manifest, the first canvas's info.json and at least one
// image from its image service must load, no request may fail, the window must carry the manifest's label
// and the viewer's canvas must not be blank. Prints `checks: N passed, M failed` last.
// Usage: node mirador.mjs MANIFEST_URL SCREENSHOT.png
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { chromium } from 'playwright-core';

const [manifestUrl, screenshot] = process.argv.slice(2);
const mirador = readFileSync(new URL('./node_modules/mirador/dist/mirador.min.js', import.meta.url));

// What the viewer should show, read from the manifest itself.
const manifest = await (await fetch(manifestUrl)).json();
const firstCanvas = manifest.items[0];
const service = firstCanvas.items[0].items[0].body.service[0].id;
const label = Object.values(manifest.label)[0][0];

const page = `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<div id="m" style="position:absolute;inset:0"></div>
<script src="/mirador.js"></script>
<script>
  window.miradorInstance = Mirador.viewer({
    id: 'm',
    windows: [{ manifestId: ${JSON.stringify(manifestUrl)}, thumbnailNavigationPosition: 'off' }],
    window: { sideBarOpen: false, allowClose: false },
    workspaceControlPanel: { enabled: false },
  });
</script></body></html>`;
// The page comes from its own loopback origin, so every request to Tessella is cross-origin (CORS).
const server = http.createServer((req, res) => {
  if (req.url === '/mirador.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(mirador); return; }
  if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); return; }
  res.writeHead(404); res.end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const pageUrl = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let passed = 0;
let failed = 0;
const check = (ok, what) => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};
const failures = [];
const seen = { manifest: 0, info: 0, images: 0 };
try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  tab.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  tab.on('requestfailed', (r) => failures.push(`${r.url()} ${r.failure()?.errorText}`));
  tab.on('response', (r) => {
    const url = r.url();
    if (r.status() >= 400) failures.push(`${url} HTTP ${r.status()}`);
    if (r.status() !== 200) return;
    if (url === manifestUrl) seen.manifest++;
    else if (url === `${service}/info.json`) seen.info++;
    else if (url.startsWith(`${service}/`) && (r.headers()['content-type'] ?? '').startsWith('image/')) seen.images++;
  });
  await tab.goto(pageUrl);
  // Mirador draws the canvas with OpenSeadragon: wait for its tiles to be fully loaded.
  await tab.waitForFunction(() => {
    const osd = document.querySelector('.openseadragon-canvas canvas');
    return osd && osd.width > 0;
  }, null, { timeout: 60000 });
  await tab.waitForFunction((s) => performance.getEntriesByType('resource')
    .some((e) => e.name.startsWith(`${s}/`) && !e.name.endsWith('/info.json')), service, { timeout: 60000 });
  await tab.waitForLoadState('networkidle', { timeout: 60000 });
  await tab.waitForTimeout(500);
  await tab.screenshot({ path: screenshot });

  // Not blank: the pixels of the viewer area (a screenshot, decoded in the page) vary.
  const box = await tab.locator('.openseadragon-canvas').first().boundingBox();
  const png = (await tab.screenshot({ clip: box })).toString('base64');
  const spread = await tab.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let min = 765, max = 0;
    for (let i = 0; i < d.length; i += 4 * 37) { const l = d[i] + d[i + 1] + d[i + 2]; min = Math.min(min, l); max = Math.max(max, l); }
    return max - min;
  }, png);
  // The window's top bar shows the manifest's label.
  const title = await tab.locator('.mirador-window-top-bar').first().innerText().catch(() => '');

  console.log(JSON.stringify({ seen, failures, spread, title }));
  check(seen.manifest >= 1, `the manifest loaded: ${manifestUrl}`);
  check(seen.info >= 1, `the first canvas's info.json loaded: ${service}/info.json`);
  check(seen.images >= 1, `images from the first canvas's image service loaded (${seen.images})`);
  check(failures.length === 0, `no failed request or page error${failures.length ? `: ${failures.join('; ')}` : ''}`);
  check((title ?? '').includes(label), `the window shows the manifest's label ${JSON.stringify(label)} (got ${JSON.stringify(title)})`);
  check(spread >= 50, `the viewer's canvas is not blank (pixel spread ${spread})`);
} catch (e) {
  check(false, `Mirador showed the first canvas: ${e.message.split('\n')[0]}`);
  console.log(JSON.stringify({ seen, failures }));
} finally {
  await browser.close();
  server.close();
}
console.log(`checks: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
