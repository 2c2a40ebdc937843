// The npm package (packages/component): `npm pack` makes a tarball with the element, its view,
// the worker and the wasm; unpacked into a scratch site like `npm install` would, a plain
// <script type="module"> page gets a working playground.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, nodeEngine, PAGE_BUILD_OPTIONS } from './helpers.mjs';
import { serve } from '../../www/tools/serve.mjs';

const dir = mkdtempSync(join(tmpdir(), 'dfp-package-'));
let browser;
let server;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('npm pack → unpack into a scratch site → a plain page runs the playground', async () => {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: 'packages/component', encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  const files = info.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    'LICENSE-APACHE', 'LICENSE-MIT', 'README.md',
    'dist/dockerfile-playground-view.js', 'dist/dockerfile-playground.js', 'dist/dockerfile_playground_bg.wasm', 'dist/embed-worker.js',
    'package.json',
  ]);
  const wasm = info.files.find((f) => f.path.endsWith('.wasm'));
  assert.equal(wasm.size, readFileSync('pkg/dockerfile_playground_bg.wasm').length, 'the wasm of this build');

  const install = join(dir, 'site', 'node_modules', '@dockerfile-playground', 'component');
  mkdirSync(install, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, info.filename), '-C', install, '--strip-components=1']);
  writeFileSync(join(dir, 'site', 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>scratch</title><link rel="icon" href="data:,">
<script type="module" src="./node_modules/@dockerfile-playground/component/dist/dockerfile-playground.js"></script>
</head><body>
<dockerfile-playground view="history">
  FROM alpine:3.13
  COPY hello.txt /hello.txt
  RUN echo more >> /hello.txt
  <script type="text/plain" data-path="hello.txt">test</script>
</dockerfile-playground>
</body></html>`);
  server = await serve(join(dir, 'site'), 0);
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.querySelector('dockerfile-playground')?.dataset.state === 'ready', null, { timeout: 20000 });
  const expected = (await nodeEngine()).build('FROM alpine:3.13\nCOPY hello.txt /hello.txt\nRUN echo more >> /hello.txt\n', { 'hello.txt': 'test\n' }, PAGE_BUILD_OPTIONS);
  const state = await page.$eval('dockerfile-playground', (el) => el.getState());
  assert.deepEqual(state.build, { ok: true, builder: 'buildkit', error: null, steps: 3, image: { id: expected.image.id, size: expected.image.size, layers: 3 } });
  const rows = page.locator('dockerfile-playground').locator('#panel-image table.history tbody tr');
  assert.equal(await rows.count(), expected.image.history.length);
  // The package has no playground page to link to unless the element names one.
  assert.equal(await page.locator('dockerfile-playground').locator('.dp-footer a').isHidden(), true);
  assert.deepEqual(errors, []);
});
