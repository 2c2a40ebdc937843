// <dockerfile-playground> in pages: three on one page share one worker and one wasm
// download, each works in its own view; the element waits until it is scrolled to; its
// JavaScript API and events; the "Embed this" snippet round-trips into a working page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, openApp, nodeEngine, screenshot, editorText, PAGE_BUILD_OPTIONS } from './helpers.mjs';

let app;
let engine;
before(async () => { app = await launch(); engine = await nodeEngine(); });
after(() => app.close());

const SEED = `FROM node:14.16.1-alpine3.13
WORKDIR /app
COPY ./hello.txt ./
RUN echo aaaaaaaaabbbbbbbbbb>>hello.txt
`;
const CHAIN = `FROM alpine:latest AS builder
RUN apk --no-cache add build-base
FROM builder AS build1
COPY source1.cpp source.cpp
RUN g++ -o /binary source.cpp
FROM builder AS build2
COPY source2.cpp source.cpp
RUN g++ -o /binary source.cpp
`;
const indent = (text) => text.split('\n').map((l) => `    ${l}`).join('\n');

// Three playgrounds, far enough apart that only the first is near the viewport at first.
const THREE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>three</title>
<link rel="icon" href="data:,"><script type="module" src="./dockerfile-playground.js"></script></head>
<body style="margin: 0 auto; max-width: 960px">
  <dockerfile-playground id="p1" view="history">
${indent(SEED)}
    <script type="text/plain" data-path="hello.txt">test</script>
  </dockerfile-playground>
  <div style="height: 2200px"></div>
  <dockerfile-playground id="p2" view="files" readonly step="3">
${indent(SEED)}
    <script type="text/plain" data-path="hello.txt">test</script>
  </dockerfile-playground>
  <div style="height: 2200px"></div>
  <dockerfile-playground id="p3" view="stages" lang="zh-CN" theme="dark">
${indent(CHAIN)}
    <script type="text/plain" data-path="source1.cpp">int main() { return 0; }</script>
    <script type="text/plain" data-path="source2.cpp">int main() { return 1; }</script>
  </dockerfile-playground>
</body></html>`;

async function pageWith(html, options) {
  const ctx = await app.page(options);
  await ctx.page.route((u) => u.pathname === '/scratch.html', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
  const requests = [];
  ctx.page.on('request', (r) => requests.push(r.url()));
  ctx.requests = requests;
  return ctx;
}

const ready = (page, id) => page.waitForFunction((id) => document.getElementById(id)?.dataset.state === 'ready', id, { timeout: 20000 });
const inShadow = (page, id, selector) => page.locator(`#${id}`).locator(selector);

test('three playgrounds on one page: one worker, one wasm download, each in its own view', async () => {
  const { page, errors, requests } = await pageWith(THREE);
  await page.goto(`${app.url}scratch.html`);
  await ready(page, 'p1');
  // Lazy: the others have not started, and only the element's own script was loaded.
  assert.equal(await page.$eval('#p3', (el) => el.dataset.state), 'idle');
  assert.match(await inShadow(page, 'p3', '.dp-placeholder pre').textContent(), /FROM alpine:latest AS builder/);
  await page.locator('#p2').scrollIntoViewIfNeeded();
  await ready(page, 'p2');
  await page.locator('#p3').scrollIntoViewIfNeeded();
  await ready(page, 'p3');

  const wasm = requests.filter((u) => u.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one .wasm request, got ${wasm.join(', ')}`);
  assert.equal(requests.filter((u) => /embed-worker\.js$/.test(u)).length, 1, 'one worker script');
  assert.equal(requests.filter((u) => /dockerfile-playground-view\.js$/.test(u)).length, 1, 'the view code once');
  assert.ok(!requests.some((u) => /\/app\.js$/.test(u)), 'the page bundle is not loaded');

  // p1: the Image view lists docker history as the engine built it.
  const seed = engine.build(SEED, { 'hello.txt': 'test\n' }, PAGE_BUILD_OPTIONS);
  const rows = inShadow(page, 'p1', '#panel-image table.history tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), seed.image.history.length);
  assert.match(await rows.first().textContent(), /RUN \/bin\/sh -c echo/);
  assert.match(await rows.first().textContent(), /25B/);

  // p2: read-only, starts at step 3 (the COPY), Files shows the filesystem after it.
  assert.match(await inShadow(page, 'p2', '.tl-label').textContent(), /Step 3 of 4/);
  await inShadow(page, 'p2', '#panel-files button.tree-row:has-text("app/")').click();
  await inShadow(page, 'p2', '#panel-files button.tree-row:has-text("hello.txt")').click();
  await page.waitForFunction(() => document.getElementById('p2').shadowRoot.querySelector('.file-text')?.textContent === 'test\n');
  assert.equal(await inShadow(page, 'p2', '.cm-content').getAttribute('contenteditable'), 'false');
  await inShadow(page, 'p2', '.cm-content').click();
  await page.keyboard.type('RUN rm -rf /\n');
  assert.equal(await page.$eval('#p2', (el) => el.getState().dockerfile), SEED, 'typing changes nothing');
  assert.equal(await inShadow(page, 'p2', '.dp-badge').textContent(), 'read-only');

  // p3: Chinese, dark, the stage graph: BuildKit skips build1 (the target build2 does not need it).
  const chain = engine.build(CHAIN, { 'source1.cpp': 'x\n', 'source2.cpp': 'y\n' }, PAGE_BUILD_OPTIONS);
  assert.deepEqual(chain.stages.map((s) => s.skipped), [false, true, false]);
  assert.equal(await inShadow(page, 'p3', '.stages-svg .stage-node').count(), 3);
  assert.equal(await inShadow(page, 'p3', '.stages-svg .stage-node.skipped').count(), 1);
  assert.match(await inShadow(page, 'p3', '.stages-svg .stage-node.skipped').getAttribute('aria-label'), /build1/);
  assert.equal(await inShadow(page, 'p3', '#tab-stages').textContent(), '阶段');
  const bg = await page.$eval('#p3', (el) => getComputedStyle(el).backgroundColor);
  assert.equal(bg, 'rgb(22, 27, 34)', 'dark theme panel colour');

  // Languages do not mix: p2's Files panel, drawn after engine answers, stays in English.
  await inShadow(page, 'p2', '#panel-files button.tree-row:has-text("hello.txt")').click();
  await page.waitForTimeout(200);
  assert.match(await inShadow(page, 'p2', '#panel-files').textContent(), /Wasted space/);
  // Styles stay inside: the page's own <p> and buttons are untouched by the playground CSS.
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontFamily.includes('ui-monospace')), false);
  mkdirSync('screenshots', { recursive: true });
  for (const id of ['p1', 'p2', 'p3']) await page.locator(`#${id}`).screenshot({ path: `screenshots/embed-three-${id}.png` });
  assert.deepEqual(errors, []);
});

test('the element API: setDockerfile rebuilds, goToStep moves, events say so', async () => {
  const { page, errors } = await pageWith(THREE);
  await page.goto(`${app.url}scratch.html`);
  await ready(page, 'p1');
  const events = await page.evaluate(async () => {
    const el = document.getElementById('p1');
    const seen = [];
    el.addEventListener('built', (e) => seen.push(['built', e.detail.steps, e.detail.ok]));
    el.addEventListener('stepchanged', (e) => seen.push(['step', e.detail.step, e.detail.instruction]));
    const built = new Promise((resolve) => el.addEventListener('built', resolve, { once: true }));
    el.setDockerfile('FROM alpine:3.13\nRUN echo hi > /hi.txt\n');
    await built;
    el.goToStep(1);
    await new Promise((r) => setTimeout(r, 50));
    return seen;
  });
  assert.deepEqual(events.find((e) => e[0] === 'built'), ['built', 2, true]);
  assert.deepEqual(events.at(-1), ['step', 1, 'FROM alpine:3.13']);
  assert.equal(await page.$eval('#p1', (el) => el.getState().step), 1);
  // "Open in the playground" carries the element's state to the full page.
  await inShadow(page, 'p1', '.dp-footer a').focus();
  await page.waitForFunction(() => /#v1\./.test(document.getElementById('p1').shadowRoot.querySelector('.dp-footer a').href));
  const href = await inShadow(page, 'p1', '.dp-footer a').getAttribute('href');
  assert.ok(href.startsWith(`${app.url}index.html#v1.`), href);
  const full = await page.context().newPage();
  await openApp(full, href);
  assert.equal(await editorText(full), 'FROM alpine:3.13\nRUN echo hi > /hi.txt\n');
  await full.close();
  // Removed for good, the element frees its engine session; put back, it builds again.
  const again = await page.evaluate(async () => {
    const el = document.getElementById('p1');
    const parent = el.parentNode;
    el.remove();
    await new Promise((r) => setTimeout(r, 1300));
    const built = new Promise((resolve) => el.addEventListener('built', (e) => resolve(e.detail), { once: true }));
    parent.prepend(el);
    return built;
  });
  assert.equal(again.ok, true);
  assert.equal(again.steps, 2);
  assert.deepEqual(errors, []);
});

test('"Embed this" copies a snippet that recreates the current playground', async () => {
  const { page, context, errors } = await app.page();
  await openApp(page, app.url);
  await page.click('#embed-btn');
  const snippet = await page.inputValue('#embed-component-snippet');
  const frame = await page.inputValue('#embed-iframe-snippet');
  assert.match(snippet, /^<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/dockerfile-playground\.js"><\/script>/);
  assert.match(frame, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html\?view=[a-z]+#v1\./);
  await page.click('[data-copy="embed-component"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
  await screenshot(page, 'embed-dialog');
  // The snippet, pasted into a page, shows the same Dockerfile and files.
  const dockerfile = await editorText(page);
  const scratch = await context.newPage();
  await scratch.route((u) => u.pathname === '/pasted.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body>${snippet}</body>`,
  }));
  await scratch.goto(`${app.url}pasted.html`);
  await scratch.waitForFunction(() => document.querySelector('dockerfile-playground')?.dataset.state === 'ready', null, { timeout: 20000 });
  const state = await scratch.$eval('dockerfile-playground', (el) => el.getState());
  assert.equal(state.dockerfile.trim(), dockerfile.trim());
  assert.ok(state.files.some((f) => f.path === 'hello.txt' && f.text === 'test\n'), JSON.stringify(state.files));
  assert.deepEqual(errors, []);
});
