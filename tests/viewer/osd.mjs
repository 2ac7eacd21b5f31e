// OpenSeadragon (npm) in headless Chromium (Debian's) opens an image's info.json from a running Tessella
// server and pans/zooms: every request it makes must succeed, and the canvas must not be blank.
// Usage: node osd.mjs INFO_JSON_URL SCREENSHOT.png
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { chromium } from 'playwright-core';

const [infoUrl, screenshot] = process.argv.slice(2);
const osd = readFileSync(new URL('./node_modules/openseadragon/build/openseadragon/openseadragon.min.js', import.meta.url));
const page = `<!doctype html><html><body style="margin:0">
<div id="v" style="width:1024px;height:768px;background:#000"></div>
<script src="/osd.js"></script>
<script>
  window.tiles = { loaded: 0, failed: 0 };
  const viewer = OpenSeadragon({ id: 'v', tileSources: ${JSON.stringify(infoUrl)}, showNavigationControl: false, crossOriginPolicy: 'Anonymous',
                                 animationTime: 0, immediateRender: true });
  viewer.addHandler('tile-loaded', () => window.tiles.loaded++);
  viewer.addHandler('tile-load-failed', () => window.tiles.failed++);
  viewer.addHandler('open-failed', (e) => { window.openFailed = e.message || 'open failed'; });
  window.viewer = viewer;
</script></body></html>`;
// The page comes from its own loopback origin, so every IIIF request is cross-origin and exercises CORS.
const server = http.createServer((req, res) => {
  if (req.url === '/osd.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(osd); return; }
  res.writeHead(200, { 'content-type': 'text/html' }); res.end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const pageUrl = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const failures = [];
let iiifRequests = 0;
try {
  const tab = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  tab.on('requestfailed', (r) => failures.push(`${r.url()} ${r.failure()?.errorText}`));
  tab.on('response', (r) => {
    if (r.url().includes('/iiif/')) iiifRequests++;
    if (r.status() >= 400) failures.push(`${r.url()} HTTP ${r.status()}`);
  });
  await tab.goto(pageUrl);
  const settle = async () => {
    await tab.waitForFunction(() => window.openFailed || (window.viewer.world.getItemCount() > 0
      && window.viewer.world.getItemAt(0).getFullyLoaded()), null, { timeout: 30000 });
  };
  await settle();
  // Zoom into a corner and back out: tiles at several scale factors.
  await tab.evaluate(() => { window.viewer.viewport.zoomTo(8, new OpenSeadragon.Point(0.2, 0.2), true); });
  await settle();
  await tab.evaluate(() => { window.viewer.viewport.goHome(true); });
  await settle();
  const state = await tab.evaluate(() => ({ tiles: window.tiles, openFailed: window.openFailed ?? null }));
  await tab.screenshot({ path: screenshot });
  // Not blank: the canvas's pixels vary.
  const spread = await tab.evaluate(() => {
    const c = document.querySelector('#v canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let min = 255, max = 0;
    for (let i = 0; i < d.length; i += 4 * 97) { const l = d[i] + d[i + 1] + d[i + 2]; min = Math.min(min, l); max = Math.max(max, l); }
    return max - min;
  });
  console.log(JSON.stringify({ ...state, iiifRequests, failures, spread }));
  if (state.openFailed || failures.length || state.tiles.failed || state.tiles.loaded < 4 || spread < 50) {
    console.error('viewer test failed');
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  server.close();
}
