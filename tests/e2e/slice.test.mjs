import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground } from './helpers.mjs';

test('typing a Dockerfile lists its instructions from the wasm engine', async () => {
  const pg = await openPlayground();
  try {
    await pg.page.goto(pg.url);
    await pg.page.fill('#dockerfile', 'FROM alpine:3.13\n\nRUN echo hi > /x\nCMD ["cat", "/x"]\n');
    await pg.page.waitForFunction(() => document.querySelectorAll('#outline li').length === 3);
    const items = await pg.page.$$eval('#outline li', (els) => els.map((e) => e.textContent));
    assert.deepEqual(items, ['1: FROM', '3: RUN', '4: CMD']);
    assert.match(await pg.page.textContent('#engine-version'), /^\d+\.\d+\.\d+$/);
    assert.deepEqual(pg.errors, []);
  } finally {
    await pg.close();
  }
});
