// The UI in English and Chinese: chosen from the browser, switchable, remembered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot, PHONE } from './helpers.mjs';
import en from '../../www/i18n/en.js';
import zh from '../../www/i18n/zh-CN.js';

let app;
before(async () => { app = await launch(); });
after(() => app.close());

const visibleText = (page) => page.evaluate(() => document.body.innerText);

test('both languages translate every key', () => {
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], 'zh keys unknown in en');
  const missing = Object.keys(en).filter((k) => !(k in zh) && !k.endsWith('.key'));
  assert.deepEqual(missing, [], 'en keys missing in zh-CN');
});

test('switching to 中文 translates the UI, and the choice is remembered', async () => {
  const { page, errors } = await app.page();
  await openApp(page, app.url);
  assert.equal(await page.textContent('#tab-layers'), 'Layers');
  await page.selectOption('#lang-select', 'zh-CN');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  const tabs = await page.$$eval('#panel-tabs [role="tab"]', (els) => els.map((e) => e.textContent));
  assert.deepEqual(tabs, ['构建', '层', '文件', '镜像', '阶段', '控制台']);
  const text = await visibleText(page);
  for (const key of ['app.title', 'actions.share', 'actions.markdown', 'actions.runReal', 'options.title', 'footer.note']) {
    assert.ok(text.includes(zh[key]), `${key} shown in Chinese`);
    assert.ok(!text.includes(en[key]), `${key} not left in English`);
  }
  assert.equal(await page.getAttribute('#help-btn', 'aria-label'), zh['actions.help']);
  assert.equal(await page.getAttribute('#tl-play', 'aria-label'), zh['timeline.play']);
  assert.match(await page.$eval('#example-select option[value="layers"]', (o) => o.textContent), /层与写时复制/);
  await screenshot(page, 'zh-desktop');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.textContent('#tab-layers'), '层');
  await page.selectOption('#lang-select', 'en');
  assert.equal(await page.textContent('#tab-layers'), 'Layers');
  assert.deepEqual(errors, []);
});

test('a Chinese browser gets the Chinese UI first', async () => {
  const { page } = await app.page({ locale: 'zh-CN', viewport: PHONE });
  await openApp(page, app.url);
  assert.equal(await page.textContent('#build-btn span'), '构建');
  await screenshot(page, 'zh-phone');
});
