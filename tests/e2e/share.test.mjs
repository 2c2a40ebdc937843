// Share links: the whole state round-trips through the URL fragment; opening a link never
// destroys the user's saved work; a corrupt link shows a message and loses nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, editorText, typeInEditor, settled, built } from './helpers.mjs';

let app;
before(async () => { app = await launch(); });
after(() => app.close());

async function makeState(page) {
  await typeInEditor(page, 'FROM alpine:3.13 AS base\nARG GREETING\nRUN echo "$GREETING 😀 中文" > /hi\n\nFROM base\nCMD ["cat", "/hi"]\n');
  await page.click('#add-file');
  await page.keyboard.type('src/notes.txt');
  await page.keyboard.press('Enter');
  await page.click('#editor .cm-content');
  await page.keyboard.insertText('line one\nline two ✓\n');
  await page.click('#options-box summary');
  await page.check('input[name="builder"][value="legacy"]');
  await page.fill('#opt-target', 'base');
  await page.press('#opt-target', 'Tab');
  await page.click('#options [data-fk="add-arg"]');
  await page.fill('[data-fk="arg-k-0"]', 'GREETING');
  await page.press('[data-fk="arg-k-0"]', 'Tab');
  await page.fill('[data-fk="arg-v-0"]', 'hello world');
  await page.press('[data-fk="arg-v-0"]', 'Tab');
  await page.check('#options input[type="checkbox"]');
  await page.click('#tab-image');
  await settled(page);
}

async function readState(page) {
  const tabs = await page.$$eval('#context-tabs [role="tab"]', (els) => els.map((e) => e.textContent));
  await page.click('#context-tabs [role="tab"]:has-text("Dockerfile")');
  const dockerfile = await editorText(page);
  await page.click('#context-tabs [role="tab"]:has-text("notes.txt")');
  const notes = await editorText(page);
  await page.click('#context-tabs [role="tab"]:has-text("Dockerfile")');
  if (!(await page.isVisible('#opt-target'))) await page.click('#options-box summary');
  return {
    tabs, dockerfile, notes,
    builder: await page.$eval('input[name="builder"]:checked', (e) => e.value),
    target: await page.inputValue('#opt-target'),
    argKey: await page.inputValue('[data-fk="arg-k-0"]'),
    argValue: await page.inputValue('[data-fk="arg-v-0"]'),
    noCache: await page.isChecked('#options input[type="checkbox"]'),
    panel: await page.getAttribute('#panel-tabs [aria-selected="true"]', 'data-panel'),
  };
}

test('a share link round-trips the full state', async () => {
  const a = await app.page();
  await openApp(a.page, app.url);
  await makeState(a.page);
  const before = await readState(a.page);
  await a.page.click('#tab-image');
  await a.page.click('#share-btn');
  await a.page.waitForSelector('#notice:not([hidden])');
  const link = await a.page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, await a.page.evaluate(() => location.href));
  assert.match(link, /#v1\.[A-Za-z0-9_-]+$/);

  const b = await app.page();
  await openApp(b.page, link.slice(0, link.indexOf('#')), link.slice(link.indexOf('#')));
  const after = await readState(b.page);
  assert.deepEqual(after, before);
  assert.deepEqual(after.tabs, ['Dockerfile', 'hello.txt', 'src/notes.txt']);
  assert.equal(after.builder, 'legacy');
  assert.equal(after.panel, 'image');
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('opening a shared link keeps the saved work and offers it back', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  const mine = 'FROM debian:bookworm-slim\nRUN echo my own work\n';
  await typeInEditor(page, mine);
  await settled(page);
  await page.waitForFunction((text) => JSON.parse(localStorage.getItem('dfp.work.v1') ?? 'null')?.doc.dockerfile === text, mine);
  // Make a link to other content in another context, then open it here.
  const other = await app.page();
  await openApp(other.page, app.url);
  await typeInEditor(other.page, 'FROM alpine\nRUN echo shared\n');
  await settled(other.page);
  await other.page.click('#share-btn');
  const link = await other.page.evaluate(() => navigator.clipboard.readText());
  await page.goto(link);
  await page.waitForSelector('#restore-previous');
  assert.equal(await editorText(page), 'FROM alpine\nRUN echo shared\n');
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('dfp.previous.v1'))[0].doc.dockerfile);
  assert.equal(kept, mine);
  await page.click('#restore-previous');
  assert.equal(await editorText(page), mine);
});

test('a corrupt link shows a message and loses nothing', async () => {
  const { page, errors } = await app.page();
  await openApp(page, app.url);
  const mine = 'FROM alpine\nRUN echo my work\n';
  await typeInEditor(page, mine);
  await built(page);
  await page.waitForFunction((text) => JSON.parse(localStorage.getItem('dfp.work.v1') ?? 'null')?.doc.dockerfile === text, mine);
  const savedDoc = () => page.evaluate(() => JSON.stringify(JSON.parse(localStorage.getItem('dfp.work.v1')).doc));
  const saved = await savedDoc();
  const cases = [
    ['garbage', '#v1.!!!not-base64!!!'],
    ['truncated', '#v1.q1YqS8zJT'],
    ['unknown version', '#v9.q1YqS8zJTVGyUlAqSSxRqAUA'],
    ['valid base64 of nonsense', '#v1.AAAAAAAA'],
  ];
  for (const [name, hash] of cases) {
    // Pasted into the address bar of the open page (hashchange) …
    await page.evaluate(() => document.querySelector('#notice button.icon-btn')?.click());
    await page.goto(app.url + hash);
    await page.waitForSelector('#notice.error');
    assert.match(await page.textContent('#notice'), /damaged|another version/, name);
    assert.equal(await editorText(page), mine, name);
    assert.equal(await savedDoc(), saved, name);
  }
  // … and opened fresh.
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await page.waitForSelector('#notice.error');
  assert.equal(await editorText(page), mine);
  assert.deepEqual(errors, []);
});
