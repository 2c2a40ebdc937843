// Benchmark (not a test): what a tutorial page with embedded playgrounds costs to load, in
// headless Chromium against the built site/ on localhost.
// Usage: node www/tools/bench-embed.mjs [--runs 5]
//
// Transfer: every response the page receives (HTML, CSS, JS, worker, wasm), counted as the
//   bytes gzip -9 makes of each body (what a static host with compression sends; serve.mjs
//   itself does not compress) and as raw bytes. Measured for tutorial.html after the first
//   three playgrounds have started ("three playgrounds") and after all of them have.
// Time to interactive: from navigation start to the first playground's `dp:ready` mark:
//   its editor is mounted, the engine has answered, and its first build is drawn (the
//   element then has data-state="ready"). Each run uses a fresh browser context (cold
//   cache). Also printed: when the view code and the engine became ready.
// Target: median time to interactive ≤ 1500 ms. The machine's load is printed at the end.
import { chromium } from 'playwright-core';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { serve } from './serve.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 5);
const TARGET_MS = 1500;

const server = await serve('site', 0);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-quic'],
});

async function load(file, { playgrounds = Infinity } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const bodies = new Map(); // url -> {raw, gzip}
  const pending = [];
  page.on('response', (response) => {
    pending.push(response.body().then((body) => {
      bodies.set(response.url(), { raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    }, () => {}));
  });
  await page.goto(base + file);
  await page.waitForFunction(() => document.querySelector('dockerfile-playground')?.dataset.state === 'ready', null, { timeout: 30000 });
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('dp:')).map((m) => [m.name.slice(3), Math.round(m.startTime)])));
  const count = Math.min(playgrounds, await page.$$eval('dockerfile-playground', (els) => els.length));
  for (let i = 0; i < count; i++) {
    await page.$$eval('dockerfile-playground', (els, i) => els[i].scrollIntoView({ block: 'center' }), i);
    await page.waitForFunction((i) => document.querySelectorAll('dockerfile-playground')[i].dataset.state === 'ready', i, { timeout: 30000 });
  }
  await page.waitForTimeout(300);
  await Promise.all(pending);
  await context.close();
  const files = [...bodies].map(([url, b]) => ({ name: new URL(url).pathname.slice(1) || '(page)', ...b }));
  return { marks, count, files };
}

const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
function transfer(title, { files, count }) {
  const total = files.reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip }), { raw: 0, gzip: 0 });
  console.log(`\n${title} (${count} playgrounds started): ${kB(total.gzip)} gzip, ${kB(total.raw)} raw, ${files.length} responses`);
  for (const f of files.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${f.name.padEnd(36)} ${kB(f.gzip).padStart(10)} gzip ${kB(f.raw).padStart(10)} raw`);
  return total;
}

const three = await load('tutorial.html', { playgrounds: 3 });
const threeTotal = transfer('tutorial.html, first three playgrounds', three);
const all = await load('tutorial.html');
transfer('tutorial.html, every playground', all);
const wasm = three.files.filter((f) => f.name.endsWith('.wasm')).length;
console.log(`\n.wasm downloads with ${three.count} playgrounds: ${wasm}`);

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push((await load('tutorial.html', { playgrounds: 1 })).marks);
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const column = (key) => runs.map((m) => m[key]).filter((v) => v !== undefined);
console.log(`\nTime to the first interactive playground, ${RUNS} cold runs (ms from navigation start):`);
for (const key of ['activate', 'view-loaded', 'engine-ready', 'ready']) {
  const values = column(key);
  console.log(`  ${key.padEnd(13)} median ${String(median(values)).padStart(5)}   min ${String(Math.min(...values)).padStart(5)}   max ${String(Math.max(...values)).padStart(5)}`);
}
const tti = median(column('ready'));
console.log(`\nmedian time to interactive ${tti} ms (target ≤ ${TARGET_MS} ms): ${tti <= TARGET_MS ? 'OK' : 'OVER'}`);
console.log(`transfer for three playgrounds: ${kB(threeTotal.gzip)} gzip`);
console.log(`load average while measuring: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${(await import('node:os')).cpus().length} CPUs)`);
await browser.close();
server.close();
