// Benchmark (not a test): time from a keystroke in the editor to the engine's diagnostics
// being applied and painted, in headless Chromium against the built site/.
// Usage: node www/tools/bench-keystroke.mjs [--keys 200]
// Measured inside the page from the keydown event's time stamp to
//   applied: the editor has the engine's diagnostics for the new text (the page sets
//            #editor[data-analysis-rev] right after dispatching them to CodeMirror);
//   painted: the next animation frame after that.
// Target: median "applied" ≤ 16 ms. Headless Chromium rasterises in software, so "painted"
// is pessimistic, and both depend on the machine's load (printed at the end).
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { EXAMPLES } from '../examples.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const KEYS = arg('--keys', 200);
const TARGET_MS = 16;

const server = await serve('site', 0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForSelector('#editor[data-analysis-rev]');

const results = [];
for (const lines of [15, 200]) {
  const base = EXAMPLES.find((e) => e.id === 'multistage').dockerfile;
  let text = base;
  while (text.split('\n').length < lines) text += `RUN echo line ${text.split('\n').length} && ls -la /tmp \\\n  && true\n`;
  await page.click('#editor .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Control+End');
  await page.waitForTimeout(300);
  await page.evaluate(() => {
    const samples = [];
    let pending = null;
    window.__bench = samples;
    document.addEventListener('keydown', (e) => { pending = e.timeStamp; }, true);
    new MutationObserver(() => {
      if (pending === null) return;
      const start = pending;
      pending = null;
      const applied = performance.now() - start;
      requestAnimationFrame(() => samples.push([applied, performance.now() - start]));
    }).observe(document.getElementById('editor'), { attributes: true, attributeFilter: ['data-analysis-rev'] });
  });
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.press(i % 2 ? 'Backspace' : 'x');
    await page.waitForTimeout(25);
  }
  await page.waitForTimeout(200);
  const raw = await page.evaluate(() => window.__bench);
  const stats = (values) => {
    const v = values.slice().sort((a, b) => a - b);
    const q = (p) => v[Math.min(v.length - 1, Math.floor(p * v.length))];
    return { median: q(0.5), p95: q(0.95), max: v.at(-1) };
  };
  results.push({ lines, samples: raw.length, applied: stats(raw.map((r) => r[0])), painted: stats(raw.map((r) => r[1])) });
  await page.reload();
  await page.waitForSelector('#editor[data-analysis-rev]');
}
await browser.close();
server.close();

const fmt = (s) => `median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;
for (const r of results) {
  console.log(`${String(r.lines).padStart(4)}-line Dockerfile, ${r.samples} keystrokes`);
  console.log(`  keystroke → diagnostics applied: ${fmt(r.applied)} ${r.applied.median <= TARGET_MS ? '(within' : '(OVER'} the ${TARGET_MS} ms target)`);
  console.log(`  keystroke → next frame painted:  ${fmt(r.painted)}`);
}
const { loadavg, cpus } = await import('node:os');
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
