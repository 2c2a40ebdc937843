// Keyboard-only use: skip link, panels, help overlay, leaving the editor, shortcuts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, editorText, settled, built } from './helpers.mjs';

let app;
before(async () => { app = await launch(); });
after(() => app.close());

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.id || el?.getAttribute('data-panel') || el?.className || el?.tagName;
});

test('the skip link leads to the editor, and typing works without a mouse', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  // Focus lands in the editor region; Alt+E focuses the editor from anywhere.
  await page.keyboard.press('Alt+KeyE');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('cm-content')), true);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('CMD ["sh"]');
  assert.match(await editorText(page), /CMD \["sh"\]$/);
});

test('panels switch with Alt+digit and arrow keys; tabs follow the ARIA pattern', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await page.keyboard.press('Alt+Digit3');
  assert.equal(await page.getAttribute('#tab-files', 'aria-selected'), 'true');
  assert.equal(await focused(page), 'tab-files');
  assert.equal(await page.isVisible('#panel-files'), true);
  assert.equal(await page.isVisible('#panel-build'), false);
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-image', 'aria-selected'), 'true');
  await page.keyboard.press('End');
  assert.equal(await page.getAttribute('#tab-console', 'aria-selected'), 'true');
  await page.keyboard.press('Home');
  assert.equal(await page.getAttribute('#tab-build', 'aria-selected'), 'true');
  await page.keyboard.press('Alt+Digit6');
  assert.equal(await focused(page), 'console-input');
});

test('? opens the shortcut help, Escape closes it and gives focus back', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await page.focus('#tab-build');
  await page.keyboard.press('Shift+Slash');
  await page.waitForSelector('#help-dialog[open]');
  const rows = await page.$$eval('#shortcut-table tbody tr', (els) => els.length);
  assert.ok(rows >= 10);
  assert.match(await page.textContent('#shortcut-table'), /Alt \+ →/);
  await page.keyboard.press('Escape');
  assert.equal(await page.$('#help-dialog[open]'), null);
  assert.equal(await focused(page), 'tab-build');
});

test('context files can be added, renamed and deleted with the keyboard', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await page.focus('#add-file');
  await page.keyboard.press('Enter');
  await page.keyboard.type('app/main.py');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#context-tabs [aria-selected="true"]', 'data-fk'), 'tab-app/main.py');
  await page.focus('#rename-file');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('../escape.py');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#tab-error'), /outside the context|taken|empty/);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('app/run.py');
  await page.keyboard.press('Enter');
  const tabs = await page.$$eval('#context-tabs [role="tab"]', (els) => els.map((e) => e.textContent));
  assert.deepEqual(tabs, ['Dockerfile', 'hello.txt', 'app/run.py']);
  page.once('dialog', (d) => d.accept());
  await page.focus('#delete-file');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#context-tabs [role="tab"]').length === 2);
  // Arrow keys move between file tabs.
  await page.focus('#context-tabs [role="tab"]');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#context-tabs [aria-selected="true"]', 'data-fk'), 'tab-hello.txt');
  assert.equal(await editorText(page), 'test\n');
});

test('F9 toggles a breakpoint on the cursor line', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await page.keyboard.press('Alt+KeyE');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  const markers = () => page.$$eval('.cm-breakpoint-gutter .cm-breakpoint', (els) => els
    .filter((e) => getComputedStyle(e.closest('.cm-gutterElement')).visibility !== 'hidden')
    .map((e) => e.closest('.cm-gutterElement').getBoundingClientRect().top));
  await page.keyboard.press('F9');
  const lineTop = await page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^2$/ }).boundingBox();
  const marks = await markers();
  assert.equal(marks.length, 1);
  assert.ok(Math.abs(marks[0] - lineTop.y) < 2, 'the marker is on line 2');
  await page.keyboard.press('F9');
  assert.equal((await markers()).length, 0);
});

test('Ctrl+Enter builds at once', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await built(page);
  await page.keyboard.press('Alt+KeyE');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('LABEL x=1\n');
  await page.keyboard.press('Control+Enter');
  await built(page);
  assert.match(await page.textContent('#panel-build .step-list'), /LABEL x=1/);
});

test('Tab leaves the editor instead of inserting a tab', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await page.keyboard.press('Alt+KeyE');
  const before = await editorText(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('cm-content')), false);
  assert.equal(await editorText(page), before);
});
