// Shared set-up for end-to-end tests: serve site/ on a free port and launch Debian's
// Chromium through playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { serve } from '../../www/tools/serve.mjs';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

export async function openPlayground() {
  const server = await serve('site', 0);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    page, url, errors,
    async close() {
      await browser.close();
      server.close();
    },
  };
}
