// Accessibility and chrome: names for every control, landmarks, text alternatives for the
// diagrams, themes, reduced motion, and the engine version in the footer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, loadFixture, nodeEngine } from './helpers.mjs';

let app;
before(async () => { app = await launch(); });
after(() => app.close());

/** Controls without an accessible name (label, aria-label, aria-labelledby, title or text). */
const unnamed = (page) => page.evaluate(() => {
  const named = (el) => {
    if (el.getAttribute('aria-label')?.trim()) return true;
    const by = el.getAttribute('aria-labelledby');
    if (by && by.split(/\s+/).some((id) => document.getElementById(id)?.textContent.trim())) return true;
    if (el.labels?.length && [...el.labels].some((l) => l.textContent.trim())) return true;
    if (el.closest('label')?.textContent.trim()) return true;
    if (el.title?.trim()) return true;
    return el.textContent.trim().length > 0 && el.tagName !== 'INPUT';
  };
  return [...document.querySelectorAll('button, input, select, [role="button"], [role="tab"], a[href]')]
    .filter((el) => el.offsetParent !== null || el.getAttribute('role') === 'button')
    .filter((el) => !named(el))
    .map((el) => el.outerHTML.slice(0, 100));
});

test('every control has an accessible name (real engine and fixture build views)', async () => {
  const real = await app.page();
  await openApp(real.page, app.url);
  assert.deepEqual(await unnamed(real.page), []);
  const fx = await app.page({ fixtures: [loadFixture('build-layers')] });
  await openApp(fx.page, app.url);
  await fx.page.waitForSelector('#panel-build .step-list');
  for (const panel of ['build', 'layers', 'files', 'image', 'stages', 'console']) {
    await fx.page.click(`#tab-${panel}`);
    assert.deepEqual(await unnamed(fx.page), [], panel);
  }
  // Diagrams carry text alternatives.
  await fx.page.click('#tab-layers');
  assert.match(await fx.page.textContent('#stack-title'), /stack of layers/);
  assert.ok((await fx.page.textContent('#stack-desc')).length > 40);
  await fx.page.click('#tab-stages');
  assert.match(await fx.page.textContent('#stages-title'), /Build stages \(1\)/);
});

test('landmarks, tab panels and live regions are in place', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  for (const sel of ['header', 'main', 'footer', '#live[aria-live="polite"]', '#notice[role="status"]', '#timeline[role="toolbar"]']) {
    assert.ok(await page.$(sel), sel);
  }
  const tabs = await page.$$eval('#panel-tabs [role="tab"]', (els) => els.map((t) => [t.getAttribute('aria-controls'), t.getAttribute('aria-selected')]));
  assert.equal(tabs.filter(([, s]) => s === 'true').length, 1);
  for (const [id] of tabs) assert.equal(await page.getAttribute(`#${id}`, 'role'), 'tabpanel');
});

test('the theme button cycles system / light / dark and is remembered', async () => {
  const { page } = await app.page({ colorScheme: 'dark' });
  await openApp(page, app.url);
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'auto');
  assert.equal(await bg(), 'rgb(13, 17, 23)');
  await page.click('#theme-btn');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  assert.equal(await bg(), 'rgb(247, 248, 250)');
  await page.click('#theme-btn');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
});

test('with reduced motion nothing animates', async () => {
  const { page } = await app.page({ reducedMotion: 'reduce' });
  await openApp(page, app.url);
  const moving = await page.evaluate(() => [...document.querySelectorAll('*')].filter((el) => {
    const s = getComputedStyle(el);
    return (s.animationName !== 'none' && parseFloat(s.animationDuration) > 0) || parseFloat(s.transitionDuration) > 0;
  }).length);
  assert.equal(moving, 0);
});

test('the footer shows the engine version', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  const mod = await import('../../pkg/dockerfile_playground.js');
  await nodeEngine();
  assert.equal(await page.textContent('#engine-version'), mod.engineVersion());
});
