// Shared set-up for end-to-end tests: serve site/ on a free port and launch Debian's
// Chromium through playwright-core (never a downloaded browser). One browser per test file;
// one fresh context (own localStorage, clipboard) per test.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { serve } from '../../www/tools/serve.mjs';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  const server = await serve('site', 0);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    url,
    browser,
    /** A new page in a fresh context. `fixtures` swaps in the fixture engine (see below). */
    async page({ viewport = DESKTOP, locale = 'en-US', fixtures = null, buildDelayMs = 0, without = null, colorScheme = 'light', reducedMotion = 'no-preference' } = {}) {
      const context = await browser.newContext({ viewport, locale, colorScheme, reducedMotion });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e));
      // CodeMirror reports a crashed extension on the console, not as a page error.
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      if (fixtures) await useFixtureEngine(page, fixtures, { buildDelayMs });
      if (without) await useEngineWithout(page, without);
      return { page, context, errors };
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** Opens the app at `url` (+ optional hash) and waits until the engine has answered. */
export async function openApp(page, url, hash = '') {
  await page.goto(url + hash);
  await page.waitForSelector('html[data-ready="true"]');
  await page.waitForFunction(() => document.getElementById('engine-version')?.textContent !== '…');
  await page.waitForSelector('#editor[data-analysis-rev]');
}

/** The text in the CodeMirror editor. */
export const editorText = (page) => page.$$eval('#editor .cm-line', (lines) => lines.map((l) => l.textContent).join('\n'));

/** Replaces the editor text by typing into it (real key events). */
export async function typeInEditor(page, text) {
  await page.click('#editor .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Waits until the page shows the engine's analysis of the current text. */
export async function settled(page) {
  await page.waitForSelector('#editor[data-analysis-current="true"]', { timeout: 15000 });
}

/** Waits until the page also shows the build of the current document (if it can build). */
export async function built(page) {
  await settled(page);
  await page.waitForSelector('#editor[data-build-current="true"]', { timeout: 20000 });
}

/** What the editor should underline: the analysis plus the build's diagnostics, as the page merges them. */
export function expectedDiagnostics(engine, text, files = {}, options = {}) {
  const list = [...engine.analyze(text).diagnostics];
  if (typeof engine.build === 'function') {
    const seen = new Set(list.map((d) => `${d.from}:${d.to}:${d.message}`));
    const result = engine.build(text, files, { ...PAGE_BUILD_OPTIONS, ...options });
    for (const d of result.diagnostics ?? []) if (!seen.has(`${d.from}:${d.to}:${d.message}`)) list.push(d);
  }
  return list;
}

export function loadFixture(name) {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}

/**
 * Test-only engine: serves worker.js as a shim that runs the real worker (real wasm, real
 * analyze) but answers build / layerTree / file / docker / inventory from hand-derived
 * fixtures, and marks the engine as `fixture` (the page shows a "test fixture data" badge).
 */
export async function useFixtureEngine(page, fixtures, { buildDelayMs = 0 } = {}) {
  const source = `
const FIXTURES = ${JSON.stringify(fixtures)};
const BUILD_DELAY_MS = ${Number(buildDelayMs)};
const realPost = self.postMessage.bind(self);
self.postMessage = (msg) => {
  if (msg && msg.type === 'ready') {
    msg.data.capabilities = { ...msg.data.capabilities, build: true, layerTree: true, file: true, docker: true, inventory: true, fixture: true };
  }
  realPost(msg);
};
let current = null;
const answer = {
  build(d) {
    const until = Date.now() + BUILD_DELAY_MS;
    while (Date.now() < until) { /* a long build keeps this worker busy */ }
    current = FIXTURES.find((f) => d.dockerfile.includes(f.match)) ?? null;
    if (!current) return { ok: false, builder: d.options.builder, target: d.options.target, diagnostics: [], stages: [], steps: [], image: null };
    return current.result;
  },
  layerTree: (d) => current?.trees[d.ref + '|' + d.path] ?? [],
  file: (d) => current?.files[d.ref + '|' + d.path] ?? null,
  docker: (d) => current?.docker[d.commandLine] ?? { stdout: '', stderr: 'fixture has no output for: ' + d.commandLine + '\\n', exitCode: 1 },
  inventory: () => current?.inventory ?? { images: [], containers: [] },
};
let real = null;
const queue = [];
const shim = (e) => {
  const { type, id, data } = e.data;
  if (answer[type]) realPost({ type: 'result', id, data: answer[type](data) });
  else if (real) real(e);
  else queue.push(e);
};
self.onmessage = shim;
import('./worker.js?real').then(() => { real = self.onmessage; self.onmessage = shim; queue.splice(0).forEach((e) => real(e)); });
`;
  await page.route((u) => u.pathname.endsWith('/worker.js') && !u.search, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: source }));
}

/**
 * Test-only engine that hides some functions of the real one (e.g. ['build']), to check that
 * the page says "not available yet" instead of pretending.
 */
export async function useEngineWithout(page, missing) {
  const source = `
const MISSING = ${JSON.stringify(missing)};
const realPost = self.postMessage.bind(self);
self.postMessage = (msg) => {
  if (msg && msg.type === 'ready') for (const name of MISSING) msg.data.capabilities[name] = false;
  realPost(msg);
};
await import('./worker.js?real');
`;
  await page.route((u) => u.pathname.endsWith('/worker.js') && !u.search, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: source }));
}

/** Writes a screenshot to screenshots/ (ignored by git). */
export async function screenshot(page, name) {
  mkdirSync('screenshots', { recursive: true });
  await page.screenshot({ path: `screenshots/${name}.png` });
}

/** The build the page asks for by default (see www/main.js runBuild). */
export const PAGE_BUILD_OPTIONS = { builder: 'buildkit', target: null, buildArgs: {}, noCache: false, tag: 'playground' };

/** The real engine in Node: same wasm as the page, for expected values. */
export async function nodeEngine() {
  const mod = await import('../../pkg/dockerfile_playground.js');
  mod.initSync({ module: readFileSync(new URL('../../pkg/dockerfile_playground_bg.wasm', import.meta.url)) });
  return new mod.Playground();
}
