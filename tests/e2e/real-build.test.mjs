// The build views against the real engine (build, layerTree, file in the wasm): what the page
// shows is what the engine computed for the seed article's examples.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, built, nodeEngine, screenshot, PAGE_BUILD_OPTIONS } from './helpers.mjs';
import { EXAMPLES } from '../../www/examples.js';
import { humanSize } from '../../www/format.js';

let app;
let engine;
before(async () => { app = await launch(); engine = await nodeEngine(); });
after(() => app.close());

const buildOf = (id) => {
  const ex = EXAMPLES.find((e) => e.id === id);
  return engine.build(ex.dockerfile, Object.fromEntries(ex.files.map((f) => [f.path, f.text])), { ...PAGE_BUILD_OPTIONS, target: ex.options?.target || null });
};

async function open(id) {
  const ctx = await app.page();
  await openApp(ctx.page, app.url);
  if (id !== 'layers') await ctx.page.selectOption('#example-select', id);
  await built(ctx.page);
  return ctx;
}

test('the seed example: layers, sizes and history as the engine built them', async (t) => {
  if (typeof engine.build !== 'function') return t.skip('no build engine in this wasm');
  const { page, errors } = await open('layers');
  const expected = buildOf('layers');
  await page.click('#tab-layers');
  const own = expected.image.history.filter((h) => h.step != null);
  const labels = await page.$$eval('#panel-layers .stack-svg g.entry[data-fk]', (els) => els.map((e) => e.getAttribute('aria-label')));
  assert.equal(labels.length, own.length);
  own.forEach((h, k) => assert.ok(labels[k].startsWith(`${h.createdBy} · `), labels[k]));
  assert.match(labels.at(-1), / · 25B · /, 'RUN echo >> appends 20 bytes to the 5-byte file: the layer stores all 25');
  assert.match(await page.textContent('#panel-layers h3'), new RegExp(humanSize(expected.image.size)));
  await page.click('#tab-image');
  assert.equal(await page.locator('#panel-image table.history tbody tr').count(), expected.image.history.length);
  assert.deepEqual(errors, []);
});

test('the file tree reads the engine’s filesystem at each step', async (t) => {
  if (typeof engine.build !== 'function') return t.skip('no build engine in this wasm');
  const { page } = await open('layers');
  await page.click('#tab-files');
  await page.click('#panel-files button.tree-row:has-text("app/")');
  await page.click('#panel-files button.tree-row:has-text("hello.txt")');
  await page.waitForFunction(() => document.querySelector('#panel-files .file-text')?.textContent === 'test\naaaaaaaaabbbbbbbbbb\n');
  assert.match(await page.textContent('#panel-files .wasted'), /Wasted space 5B/);
  await page.keyboard.press('Alt+ArrowLeft'); // the COPY step: the file as copied
  await page.waitForFunction(() => document.querySelector('#panel-files .file-text')?.textContent === 'test\n');
  await page.selectOption('#files-mode', 'layer');
  await page.waitForFunction(() => /hello\.txt/.test(document.querySelector('#panel-files .tree')?.textContent ?? ''));
  await screenshot(page, 'real-files-desktop');
});

test('RUN cat writes nothing: its layer is 0B (the seed article’s comparison)', async (t) => {
  if (typeof engine.build !== 'function') return t.skip('no build engine in this wasm');
  const { page } = await open('layers-cat');
  const expected = buildOf('layers-cat');
  const run = expected.steps.at(-1);
  assert.equal(run.layer.size, 0);
  const last = page.locator('#panel-build .step').last();
  assert.match(await last.textContent(), /RUN cat hello\.txt/);
  assert.match(await last.locator('.step-size').textContent(), /^0B/);
});

test('a stage the target does not need is skipped and greyed', async (t) => {
  if (typeof engine.build !== 'function') return t.skip('no build engine in this wasm');
  const { page } = await open('stage-as-base');
  const expected = buildOf('stage-as-base');
  await page.click('#tab-stages');
  assert.equal(await page.locator('#panel-stages g.stage-node').count(), expected.stages.length);
  assert.equal(await page.locator('#panel-stages g.stage-node.skipped').count(), expected.stages.filter((s) => s.skipped).length);
  assert.ok(expected.stages.some((s) => s.skipped), 'BuildKit skips build1');
  await screenshot(page, 'real-stages-desktop');
});

test('images side by side share the base layers (engine inventory)', async (t) => {
  if (typeof engine.inventory !== 'function') return t.skip('no inventory in this wasm');
  const { page } = await open('layers');
  await page.click('#tab-layers');
  await page.waitForSelector('#panel-layers .store-svg');
  const names = await page.$$eval('#panel-layers .store-svg > text', (els) => els.map((e) => e.textContent));
  assert.ok(names.includes('playground:latest'), names.join());
  assert.ok(names.some((n) => n.startsWith('node:14.16.1-alpine3')), names.join());
  // The 4 base layers appear once in each image and are drawn as shared.
  assert.equal(await page.locator('#panel-layers .store-svg g.entry.shared').count(), 8);
  assert.equal(await page.locator('#panel-layers .store-svg line.share-link').count(), 4);
});
