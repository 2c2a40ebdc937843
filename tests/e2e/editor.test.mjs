// The editor against the real wasm engine: what the page shows is what analyze() returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, typeInEditor, settled, built, nodeEngine, editorText, screenshot, expectedDiagnostics, PAGE_BUILD_OPTIONS, DESKTOP, PHONE } from './helpers.mjs';

let app;
let engine;
before(async () => { app = await launch(); engine = await nodeEngine(); });
after(() => app.close());

// Inputs BuildKit rejects or warns about, plus a clean one.
const CASES = [
  'FROMM alpine\nRUN\n',
  'FROM alpine:3.13\nCOPY a b c\nEXPOSE 80/xyz\n',
  'FROM alpine:3.13\n\nRUN echo hi > /x\nCMD ["cat", "/x"]\n',
  '',
];

const CONTEXT = { 'hello.txt': 'test\n' }; // the default example's context

test('typing shows exactly the diagnostics, instructions and build steps the engine reports', async () => {
  const { page, errors } = await app.page();
  await openApp(page, app.url);
  for (const text of CASES) {
    const diagnostics = expectedDiagnostics(engine, text, CONTEXT);
    await typeInEditor(page, text);
    await built(page);
    // Problems count in the status line.
    const status = await page.textContent('#problems-btn');
    if (diagnostics.length === 0) assert.match(status, /No problems/, `status for ${JSON.stringify(text)}`);
    else {
      const n = (sev) => diagnostics.filter((d) => d.severity === sev).length;
      const word = (count, one) => count && `${count} ${one}${count === 1 ? '' : 's'}`;
      const parts = [word(n('error'), 'error'), word(n('warning'), 'warning'), word(n('info'), 'note')].filter(Boolean);
      assert.equal(status, `${parts.join(', ')} — show`, JSON.stringify(text));
      assert.ok(await page.$$eval('#editor .cm-lintRange, #editor .cm-lintPoint', (els) => els.length) > 0, 'underlined');
      assert.ok(await page.$$eval('#editor .cm-lint-marker', (els) => els.length) > 0, 'lint gutter marker');
    }
    if (text === CASES[0]) {
      await page.hover('#editor .cm-lintRange-error');
      await page.waitForSelector('.cm-tooltip-lint', { timeout: 3000 });
      assert.match(await page.textContent('.cm-tooltip-lint'), new RegExp(diagnostics[0].message.replace(/[()?]/g, '\\$&')));
      await screenshot(page, 'real-diagnostics-desktop');
      await page.mouse.move(0, 0);
    }
    // The Build panel lists the engine's build steps (or, without a build engine, the outline).
    if (typeof engine.build === 'function') {
      const expected = engine.build(text, CONTEXT, PAGE_BUILD_OPTIONS).steps.map((st) => st.instruction);
      assert.deepEqual(await page.$$eval('#panel-build .step .step-instr', (els) => els.map((e) => e.textContent)), expected);
    } else {
      const outline = await page.$$eval('#panel-build .outline-list li', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
      assert.deepEqual(outline, engine.analyze(text).instructions.map((i) => `line ${i.startLine} ${i.keyword}`));
    }
  }
  assert.deepEqual(errors, []);
});

test('without a build engine the page says so and lists the parser outline', async () => {
  const { page, errors } = await app.page({ without: ['build', 'layerTree', 'file', 'docker', 'inventory'] });
  await openApp(page, app.url);
  const text = CASES[2];
  await typeInEditor(page, text);
  await settled(page);
  assert.match(await page.textContent('#panel-build'), /Build engine not available yet/);
  assert.match(await page.textContent('#tl-label'), /build engine not available yet/);
  const outline = await page.$$eval('#panel-build .outline-list li', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
  assert.deepEqual(outline, engine.analyze(text).instructions.map((i) => `line ${i.startLine} ${i.keyword}`));
  for (const panel of ['layers', 'files', 'image', 'stages']) {
    await page.click(`#tab-${panel}`);
    assert.match(await page.textContent(`#panel-${panel}`), /not available yet/, panel);
  }
  await page.keyboard.press('Alt+KeyE');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#notice'), /not available yet/);
  await screenshot(page, 'no-build-engine-desktop');
  assert.deepEqual(errors, []);
});

test('each diagnostic of the engine is underlined at its UTF-16 range', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  const text = 'FROM alpine:3.13\n# 中文 😀\nRUN echo "😀" && bogus --flag\nFROMM x\n';
  const expected = engine.analyze(text);
  await typeInEditor(page, text);
  await settled(page);
  const ranges = await page.$$eval('#editor .cm-lintRange', (els) => els.map((e) => e.textContent));
  assert.equal(ranges.length, expected.diagnostics.filter((d) => d.to > d.from).length);
  for (const d of expected.diagnostics.filter((x) => x.to > x.from)) assert.ok(ranges.includes(text.slice(d.from, d.to)) || ranges.some((r) => text.slice(d.from, d.to).includes(r)));
});

test('hovering an instruction keyword explains it', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  const box = await page.locator('#editor .cm-line').nth(1).locator('span').first().boundingBox();
  await page.mouse.move(box.x + 5, box.y + box.height / 2);
  const tip = await page.waitForSelector('.cm-instruction-help', { timeout: 3000 });
  assert.match(await tip.textContent(), /^WORKDIR/);
  assert.match(await tip.textContent(), /working directory/);
});

test('keyword completion offers Dockerfile instructions at a line start', async () => {
  const { page, errors } = await app.page();
  await openApp(page, app.url);
  await typeInEditor(page, 'FROM alpine\n');
  await page.keyboard.type('WORK');
  const option = await page.waitForSelector('.cm-tooltip-autocomplete li', { timeout: 3000 });
  assert.equal(await option.textContent(), 'WORKDIR');
  assert.match(await page.textContent('.cm-completionInfo'), /working directory/);
  await page.waitForTimeout(120); // CodeMirror ignores Enter in the first 75 ms of a popup
  await page.keyboard.press('Enter');
  assert.equal(await editorText(page), 'FROM alpine\nWORKDIR ');
  await page.keyboard.type('AP');
  await page.waitForTimeout(150);
  assert.equal(await page.$('.cm-tooltip-autocomplete'), null, 'no completion inside arguments');
  assert.deepEqual(errors, []);
});

test('screenshots of the editor with the real engine', async () => {
  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    for (const scheme of ['light', 'dark']) {
      const { page } = await app.page({ viewport, colorScheme: scheme });
      await openApp(page, app.url);
      await screenshot(page, `real-${name}-${scheme}`);
    }
  }
});
