// The engine runs in a Web Worker; when it dies the page starts a new one and keeps the text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, editorText, typeInEditor, settled, built, nodeEngine, expectedDiagnostics, loadFixture } from './helpers.mjs';

let app;
let engine;
before(async () => { app = await launch(); engine = await nodeEngine(); });
after(() => app.close());

test('a crashed worker is restarted and the user keeps the text', async () => {
  const { page, errors } = await app.page();
  await openApp(page, app.url);
  const mine = 'FROM alpine:3.13\nRUN echo before the crash\n';
  await typeInEditor(page, mine);
  await settled(page);
  const [worker] = page.workers();
  assert.ok(worker, 'the engine runs in a worker');
  const replaced = page.waitForEvent('worker');
  await worker.evaluate(() => setTimeout(() => { throw new Error('simulated crash'); }));
  await replaced;
  await page.waitForSelector('#notice.warning');
  assert.match(await page.textContent('#notice'), /restarted/);
  assert.equal(await editorText(page), mine);
  // The new worker answers: typing updates the analysis again.
  await page.waitForFunction(() => !/Restarting/.test(document.getElementById('engine-status').textContent));
  const more = `${mine}RUNN echo after the crash\n`;
  await typeInEditor(page, more);
  await built(page);
  const expected = expectedDiagnostics(engine, more, { 'hello.txt': 'test\n' });
  assert.ok(expected.length > 0);
  assert.match(await page.textContent('#problems-btn'), new RegExp(`^${expected.length} error`));
  assert.match(await page.textContent('#panel-build'), /The build failed.*unknown instruction: RUNN/);
  assert.deepEqual(errors, []);
});

test('stale answers are dropped: fast typing ends with the analysis of the last text', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await typeInEditor(page, '');
  await page.keyboard.type('FROM alpine\nRUN a\nRUN b\nRUN c\nCMD x\n', { delay: 0 });
  await built(page);
  const final = await editorText(page);
  assert.equal(final, 'FROM alpine\nRUN a\nRUN b\nRUN c\nCMD x\n');
  const steps = await page.$$eval('#panel-build .step .step-instr', (els) => els.map((e) => e.textContent));
  assert.deepEqual(steps, engine.build(final, { 'hello.txt': 'test\n' }, { builder: 'buildkit', target: null, buildArgs: {}, noCache: false, tag: 'playground' }).steps.map((st) => st.instruction));
});

test('typing is analysed while a long build runs in the other worker', async () => {
  const { page } = await app.page({ fixtures: [loadFixture('build-layers')], buildDelayMs: 3000 });
  await openApp(page, app.url);
  await page.click('#editor .cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  const text = 'FROMM nowhere';
  await page.keyboard.type(text);
  const started = Date.now();
  await settled(page);
  const waited = Date.now() - started;
  assert.ok(waited < 1500, `analysis took ${waited} ms during the build`);
  assert.match(await page.textContent('#problems-btn'), /error/);
  assert.equal(await page.getAttribute('#editor', 'data-build-current'), 'false', 'the build is still running');
});

test('each worker restarts on its own', async () => {
  const { page, errors } = await app.page();
  await openApp(page, app.url);
  await built(page);
  const byName = async (name) => {
    for (const w of page.workers()) if (await w.evaluate(() => self.name).catch(() => '') === name) return w;
    return null;
  };
  for (const name of ['dockerfile-playground-engine', 'dockerfile-playground-analysis']) {
    const worker = await byName(name);
    assert.ok(worker, name);
    const replaced = page.waitForEvent('worker');
    await worker.evaluate(() => setTimeout(() => { throw new Error('simulated crash'); }));
    await replaced;
    await page.waitForSelector('#notice.warning');
    await page.click('#notice button.icon-btn');
  }
  const text = 'FROM alpine:3.13\nRUN echo two crashes later\n';
  await typeInEditor(page, text);
  await built(page);
  assert.match(await page.textContent('#panel-build'), /RUN echo two crashes later/);
  assert.deepEqual(errors, []);
});
