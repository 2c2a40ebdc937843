// The build views (timeline, layers, files, image, stages, console) against hand-derived
// fixture BuildResults (fixtures/*.json), until the engine exposes build(). The fixture
// engine keeps the real wasm for analyze and the page shows a "test fixture data" badge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, loadFixture, screenshot, DESKTOP, PHONE } from './helpers.mjs';

let app;
const fixtures = [loadFixture('build-layers'), loadFixture('build-multistage')];
before(async () => { app = await launch(); });
after(() => app.close());

async function open(viewport = DESKTOP, options = {}) {
  const ctx = await app.page({ fixtures, viewport, ...options });
  await openApp(ctx.page, app.url);
  await ctx.page.waitForSelector('#panel-build .step-list');
  return ctx;
}

const stepLines = (page) => page.$$eval('#editor .cm-step-line', (els) => els.map((e) => e.textContent));
const label = (page) => page.textContent('#tl-label');

test('the timeline steps through the build and highlights each step’s lines', async () => {
  const { page, errors } = await open();
  assert.equal(await page.isVisible('#fixture-badge'), true);
  assert.match(await label(page), /Step 6 of 6/);
  const steps = await page.$$eval('#panel-build .step', (els) => els.map((e) => e.querySelector('.step-instr').textContent));
  assert.deepEqual(steps, fixtures[0].result.steps.map((s) => s.instruction));
  assert.match(await page.textContent('#panel-build'), /cache miss: not in the build cache/);
  await page.keyboard.press('Alt+Home');
  assert.match(await label(page), /Step 1 of 6/);
  assert.deepEqual(await stepLines(page), ['FROM node:14.16.1-alpine3.13']);
  await page.keyboard.press('Alt+ArrowRight');
  assert.deepEqual(await stepLines(page), ['WORKDIR /app']);
  await page.click('#tl-last');
  assert.deepEqual(await stepLines(page), ['RUN echo aaaaaaaaabbbbbbbbbb>>hello.txt']);
  await page.click('#tl-prev');
  assert.deepEqual(await stepLines(page), ['COPY ./hello.txt ./']);
  // The scrubber is a slider for keyboards and screen readers too.
  await page.focus('#tl-scrub');
  await page.keyboard.press('Home');
  assert.match(await label(page), /Step 1 of 6/);
  assert.equal(await page.getAttribute('#tl-scrub', 'aria-valuetext'), 'Step 1 of 6');
  assert.deepEqual(errors, []);
});

test('play stops at a breakpoint', async () => {
  const { page } = await open();
  await page.click('#tl-first');
  // Breakpoint on line 8 (COPY) by clicking the gutter.
  const line8 = await page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^8$/ }).boundingBox();
  const gutter = await page.locator('.cm-breakpoint-gutter').boundingBox();
  await page.mouse.click(gutter.x + gutter.width / 2, line8.y + line8.height / 2);
  await page.click('#tl-play');
  assert.equal(await page.getAttribute('#tl-play', 'aria-pressed'), 'true');
  await page.waitForFunction(() => document.getElementById('tl-play').getAttribute('aria-pressed') === 'false', null, { timeout: 8000 });
  assert.match(await label(page), /Step 5 of 6/);
  assert.deepEqual(await stepLines(page), ['COPY ./hello.txt ./']);
});

test('the layer stack grows with the steps and links layers to source lines both ways', async () => {
  const { page } = await open();
  await page.click('#tab-layers');
  const entries = page.locator('#panel-layers .stack-svg g.entry[data-fk]');
  assert.equal(await entries.count(), 5);
  const labels = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  assert.match(labels[0], /^WORKDIR \/app · 0B/);
  assert.match(labels[1], /metadata only/);
  assert.match(labels[4], /^RUN \/bin\/sh -c echo aaaaaaaaabbbbbbbbbb>>hello.txt # buildkit · 25B · [0-9a-f]{12}$/);
  assert.equal(await page.locator('#panel-layers .stack-svg g.entry.base').count(), 4);
  assert.match(await page.textContent('#stack-desc'), /node:14.16.1-alpine3.13 with 4 layers; on top 3 new layers and 2 metadata-only entries; 117MB/);
  // At step 2 (WORKDIR) the later entries are not built yet.
  await page.keyboard.press('Alt+Home');
  await page.keyboard.press('Alt+ArrowRight');
  assert.equal(await page.locator('#panel-layers g.entry.pending').count(), 4);
  assert.equal(await page.locator('#panel-layers g.entry.current').count(), 1);
  // Hover a layer → its source line is highlighted; hover a source line → its layer is.
  await entries.nth(3).hover();
  assert.deepEqual(await page.$$eval('#editor .cm-hover-line', (els) => els.map((e) => e.textContent)), ['COPY ./hello.txt ./']);
  const line10 = await page.locator('#editor .cm-line', { hasText: 'RUN echo' }).boundingBox();
  await page.mouse.move(line10.x + 30, line10.y + line10.height / 2);
  await page.waitForSelector('#panel-layers g.entry.hovered');
  assert.match(await page.getAttribute('#panel-layers g.entry.hovered', 'aria-label'), /^RUN/);
  // Keyboard: focus an entry and press Enter to go to its step.
  await entries.nth(3).focus();
  await page.keyboard.press('Enter');
  assert.match(await label(page), /Step 5 of 6/);
  // Images side by side: the base layers are shared, containers sit on top.
  assert.equal(await page.locator('#panel-layers .store-svg g.entry.shared').count(), 8);
  assert.equal(await page.locator('#panel-layers .store-svg g.entry.container').count(), 2);
  assert.match(await page.textContent('#store-desc'), /2 images side by side; 4 layers are shared between images; 2 containers/);
  await screenshot(page, 'fixture-layers-desktop');
});

test('the file tree shows the merged view, changes, contents and wasted bytes', async () => {
  const { page } = await open();
  await page.click('#tab-files');
  await page.click('#panel-files button.tree-row:has-text("app/")');
  const row = page.locator('#panel-files button.tree-row:has-text("hello.txt")');
  assert.match(await row.textContent(), /hello\.txt M\s*25B/);
  await row.click();
  assert.equal(await page.textContent('#panel-files .file-text'), 'test\naaaaaaaaabbbbbbbbbb\n');
  assert.match(await page.textContent('#panel-files .wasted'), /Wasted space 5B/);
  assert.match(await page.textContent('#panel-files .wasted'), /\/app\/hello\.txt\s*5B/);
  // One step back: COPY's view has the 5-byte file, added.
  await page.keyboard.press('Alt+ArrowLeft');
  await page.waitForFunction(() => /A\s*5B/.test(document.querySelector('#panel-files .tree')?.textContent ?? ''));
  await page.waitForFunction(() => document.querySelector('#panel-files .file-text')?.textContent === 'test\n');
  await page.selectOption('#files-mode', 'layer');
  await page.waitForFunction(() => /hello\.txt/.test(document.querySelector('#panel-files .tree')?.textContent ?? ''));
  await screenshot(page, 'fixture-files-desktop');
});

test('the image panel shows history, size and config', async () => {
  const { page } = await open();
  await page.click('#tab-image');
  const rows = () => page.$$eval('#panel-image table.history tbody tr', (els) => els.map((e) => e.querySelector('code').textContent));
  const history = fixtures[0].result.image.history.map((h) => h.createdBy).reverse();
  // Like docker history: CREATED BY cut to 45 characters unless --no-trunc.
  const cut = await rows();
  assert.equal(cut[0], 'RUN /bin/sh -c echo aaaaaaaaabbbbbbbbbb>>hel…');
  assert.equal(cut[1], 'COPY ./hello.txt ./ # buildkit');
  assert.ok(cut.every((r) => [...r].length <= 45));
  await page.check('#history-no-trunc');
  assert.deepEqual(await rows(), history);
  assert.equal(await page.locator('#panel-image tr.current').count(), 1);
  assert.match(await page.textContent('#panel-image .image-facts'), /117MB/);
  const config = JSON.parse(await page.textContent('#panel-image .config-json'));
  assert.equal(config.WorkingDir, '/app');
  assert.deepEqual(config.Labels, { author: 'xxx' });
  await screenshot(page, 'fixture-image-desktop');
});

test('the stages graph shows FROM edges and greys the skipped stage', async () => {
  const { page } = await open();
  await page.selectOption('#example-select', 'stage-as-base');
  await page.waitForFunction(() => /Step 8 of 8/.test(document.getElementById('tl-label').textContent));
  await page.click('#tab-stages');
  assert.equal(await page.locator('#panel-stages g.stage-node').count(), 3);
  assert.equal(await page.locator('#panel-stages g.stage-node.skipped').count(), 1);
  assert.match(await page.textContent('#panel-stages g.stage-node.skipped'), /1: build1/);
  assert.equal(await page.locator('#panel-stages path.edge.from').count(), 2);
  assert.match(await page.textContent('#panel-stages .stage-list'), /build1 — FROM builder \(line 5\) · uses builder · skipped/);
  await screenshot(page, 'fixture-stages-graph-desktop');
  // A stage node takes the timeline to the stage's first step.
  await page.locator('#panel-stages g.stage-node').first().focus();
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#tl-label'), /Step 1 of 8/);
  await page.click('#tab-build');
  assert.equal(await page.locator('#panel-build .step.status-skipped').count(), 3);
  assert.deepEqual(await page.$$eval('#panel-build .stage-header', (els) => els.map((e) => e.textContent)),
    ['Stage 0 (builder)', 'Stage 1 (build1) · skipped (not needed for the target)', 'Stage 2 (build2)']);
  await screenshot(page, 'fixture-stages-desktop');
});

test('the console runs docker commands with history and completion', async () => {
  const { page } = await open();
  await page.keyboard.press('Alt+Digit6');
  await page.keyboard.type('docker ima');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#console-input'), 'docker image');
  assert.match(await page.textContent('.console-output .hint:last-child'), /^image {2}images/);
  await page.keyboard.type('s');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#console-input'), 'docker images ');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /REPOSITORY/.test(document.querySelector('.console-output').textContent));
  await page.keyboard.type('docker ps');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.console-output .exit');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.inputValue('#console-input'), 'docker ps');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.inputValue('#console-input'), 'docker images');
  await screenshot(page, 'fixture-console-desktop');
});

test('phone-size screenshots of every panel', async () => {
  const { page } = await open(PHONE);
  for (const panel of ['build', 'layers', 'files', 'image', 'stages', 'console']) {
    await page.click(`#tab-${panel}`);
    await page.evaluate(() => document.getElementById('timeline').scrollIntoView());
    await page.waitForTimeout(50);
    await screenshot(page, `fixture-${panel}-phone`);
  }
  const dark = await open(DESKTOP, { colorScheme: 'dark' });
  await dark.page.click('#tab-layers');
  await screenshot(dark.page, 'fixture-layers-desktop-dark');
  await dark.page.click('#tab-build');
  await screenshot(dark.page, 'fixture-build-desktop-dark');
});
