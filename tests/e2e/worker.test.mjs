// The engine runs in a Web Worker; when it dies the page starts a new one and keeps the text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, editorText, typeInEditor, settled, built, nodeEngine, expectedDiagnostics } from './helpers.mjs';

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
