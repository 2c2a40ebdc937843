// The engine runs in a Web Worker; when it dies the page starts a new one and keeps the text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, editorText, typeInEditor, settled, nodeEngine } from './helpers.mjs';

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
  const more = `${mine}RUN echo after the crash\n`;
  await typeInEditor(page, more);
  await settled(page);
  const expected = engine.analyze(more).instructions.map((i) => `line ${i.startLine} ${i.keyword}`);
  await page.waitForFunction((n) => document.querySelectorAll('#panel-build .outline-list li').length === n, expected.length);
  assert.deepEqual(errors, []);
});

test('stale answers are dropped: fast typing ends with the analysis of the last text', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await typeInEditor(page, '');
  await page.keyboard.type('FROM alpine\nRUN a\nRUN b\nRUN c\nCMD x\n', { delay: 0 });
  await page.waitForTimeout(300);
  const final = await editorText(page);
  const expected = engine.analyze(final).instructions.length;
  await page.waitForFunction((n) => document.querySelectorAll('#panel-build .outline-list li').length === n, expected);
});
