// Every built-in example loads completely: Dockerfile, context files, options; the engine
// analyses it; the previous work is kept and can be restored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, editorText, settled, built, nodeEngine, typeInEditor, PAGE_BUILD_OPTIONS, screenshot } from './helpers.mjs';
import { EXAMPLES } from '../../www/examples.js';

let app;
let engine;
before(async () => { app = await launch(); engine = await nodeEngine(); });
after(() => app.close());

test('each example loads its Dockerfile, files and options, and the engine builds it', async () => {
  const { page, errors } = await app.page();
  await openApp(page, app.url);
  for (const ex of EXAMPLES) {
    await page.selectOption('#example-select', ex.id);
    await settled(page);
    assert.equal(await editorText(page), ex.dockerfile.replace(/\n$/, '\n'), ex.id);
    const tabs = await page.$$eval('#context-tabs [role="tab"]', (els) => els.map((e) => e.textContent));
    assert.deepEqual(tabs, ['Dockerfile', ...ex.files.map((f) => f.path)], ex.id);
    await built(page);
    const files = Object.fromEntries(ex.files.map((f) => [f.path, f.text]));
    const expected = engine.build(ex.dockerfile, files, { ...PAGE_BUILD_OPTIONS, target: ex.options?.target || null });
    const steps = await page.$$eval('#panel-build .step', (els) => els.map((e) => [e.querySelector('.step-instr').textContent, e.querySelector('.badge').textContent]));
    assert.deepEqual(steps.map(([i]) => i), expected.steps.map((st) => st.instruction), ex.id);
    assert.equal(await page.isVisible('#panel-build .build-error'), Boolean(expected.error), `${ex.id}: ${expected.error}`);
    assert.equal(await page.inputValue('#opt-target'), ex.options?.target ?? '', ex.id);
    // Each example at its last step, desktop and phone, for people to judge.
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, `example-${ex.id}-desktop`);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, `example-${ex.id}-phone`);
    await page.setViewportSize({ width: 1440, height: 900 });
  }
  // The seed's hello.txt holds "test\n".
  await page.selectOption('#example-select', 'layers');
  await page.click('#context-tabs [role="tab"]:has-text("hello.txt")');
  assert.equal(await editorText(page), 'test\n');
  assert.deepEqual(errors, []);
});

test('loading an example keeps the previous work, which can be restored', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  const mine = 'FROM busybox\nRUN echo mine\n';
  await typeInEditor(page, mine);
  await settled(page);
  await page.selectOption('#example-select', 'python-slim');
  await page.waitForSelector('#restore-previous');
  assert.match(await editorText(page), /python:3.12-slim/);
  await page.click('#restore-previous');
  assert.equal(await editorText(page), mine);
});
