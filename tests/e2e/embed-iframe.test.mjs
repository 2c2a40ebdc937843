// The iframe form (embed.html + a share link) driven across origins with postMessage: the
// embedder (a second server, so another origin) sets the Dockerfile and the step and hears
// `built` and `stepChanged`; a frame whose allow-list does not name the embedder ignores it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot } from './helpers.mjs';
import { encodeLink } from '../../www/url.js';
import { serve } from '../../www/tools/serve.mjs';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The embedder is a real page from a second server: another origin (same address, another
// port). A page made up by request interception would count as a public address for
// Chromium's local network access checks, which then refuse the loopback iframe.
let app;
let embedder;
const dir = mkdtempSync(join(tmpdir(), 'dfp-embedder-'));
before(async () => { app = await launch(); embedder = await serve(dir, 0); });
after(() => { app.close(); embedder.close(); rmSync(dir, { recursive: true, force: true }); });

const DOC = {
  doc: {
    dockerfile: 'FROM alpine:3.13\nCOPY hello.txt /hello.txt\nRUN echo more >> /hello.txt\n',
    files: [{ path: 'hello.txt', text: 'test\n' }],
    options: { builder: 'buildkit', target: '', buildArgs: [], noCache: false },
  },
  ui: { step: null, panel: 'image', activeFile: null, breakpoints: [] },
};

test('an embedder on an allowed origin drives the frame; one on another origin is ignored', async () => {
  const { page, errors } = await app.page();
  const port = new URL(app.url).port;
  const parentOrigin = `http://127.0.0.1:${embedder.address().port}`;
  const frameBase = `http://127.0.0.1:${port}/embed.html`;
  const hash = await encodeLink(DOC);
  const allowed = `${frameBase}?view=history&origins=${encodeURIComponent(parentOrigin)}${hash}`;
  const other = `${frameBase}?origins=${encodeURIComponent('https://trusted.example')}${hash}`;
  writeFileSync(join(dir, 'parent.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>embedder</title>
      <iframe id="allowed" src="${allowed}" width="900" height="460"></iframe>
      <iframe id="other" src="${other}" width="900" height="460"></iframe>
      <script>
        window.received = [];
        addEventListener('message', (e) => {
          const from = e.source === document.getElementById('allowed').contentWindow ? 'allowed' : 'other';
          if (e.data && e.data.channel === 'dockerfile-playground') received.push({ from, origin: e.origin, type: e.data.type, data: e.data.data });
        });
        window.send = (id, type, data) => document.getElementById(id).contentWindow.postMessage({ channel: 'dockerfile-playground', type, data }, '*');
      </script>`);
  await page.goto(`${parentOrigin}/parent.html`);
  const waitFor = (predicate, what) => page.waitForFunction(predicate, null, { timeout: 20000 }).catch(async () => {
    throw new Error(`no ${what}: ${JSON.stringify(await page.evaluate(() => window.received))}`);
  });
  await waitFor(() => window.received.some((m) => m.from === 'allowed' && m.type === 'ready'), 'ready');
  const first = await page.evaluate(() => window.received.find((m) => m.type === 'built'));
  assert.equal(first.origin, `http://127.0.0.1:${port}`);
  assert.equal(first.data.steps, 3);
  assert.equal(first.data.ok, true);

  await page.evaluate(() => window.send('allowed', 'setDockerfile', { dockerfile: 'FROM alpine:3.13\nRUN echo hi > /hi.txt\nCMD ["cat", "/hi.txt"]\nLABEL a=b\n' }));
  await waitFor(() => window.received.some((m) => m.type === 'built' && m.data.steps === 4), 'built after setDockerfile');
  await page.evaluate(() => window.send('allowed', 'goToStep', { step: 2 }));
  await waitFor(() => window.received.some((m) => m.type === 'stepChanged' && m.data.step === 2), 'stepChanged');
  const step = await page.evaluate(() => window.received.filter((m) => m.type === 'stepChanged').at(-1).data);
  assert.deepEqual({ step: step.step, total: step.total, instruction: step.instruction }, { step: 2, total: 4, instruction: 'RUN echo hi > /hi.txt' });
  await page.evaluate(() => window.send('allowed', 'setFiles', { files: { 'hello.txt': 'changed\n' } }));
  await page.evaluate(() => window.send('allowed', 'getState', {}));
  await waitFor(() => window.received.some((m) => m.type === 'state' && m.data.files.some((f) => f.text === 'changed\n')), 'state');

  // The other frame: its allow-list names https://trusted.example only.
  const otherFrame = page.frames().find((f) => f.url().includes('trusted.example'));
  await otherFrame.waitForFunction(() => document.querySelector('dockerfile-playground')?.dataset.state === 'ready', null, { timeout: 20000 });
  await page.evaluate(() => window.send('other', 'setDockerfile', { dockerfile: 'FROM alpine:3.13\n' }));
  await page.evaluate(() => window.send('other', 'goToStep', { step: 1 }));
  await page.waitForTimeout(800);
  const state = await otherFrame.evaluate(() => document.querySelector('dockerfile-playground').getState());
  assert.equal(state.dockerfile, DOC.doc.dockerfile, 'the message from a non-allowed origin changed nothing');
  assert.equal(state.step, 3);
  assert.deepEqual(await page.evaluate(() => window.received.filter((m) => m.from === 'other')), [], 'and it tells that origin nothing');
  await screenshot(page, 'embed-iframe');
  assert.deepEqual(errors, []);
});
