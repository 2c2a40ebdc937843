// The tutorial pages (tutorial.html, tutorial.zh-CN.html): every playground starts when it is
// scrolled to and builds without error, the two languages hold the same playgrounds, and what
// the prose says is what the engine builds (checked against Docker's behaviour as described
// in ../shared/docs/docker-semantics.md). Writes full-page screenshots to screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, nodeEngine, screenshot, PAGE_BUILD_OPTIONS } from './helpers.mjs';
import { humanSize } from '../../www/format.js';

let app;
let engine;
before(async () => {
  app = await launch();
  const first = await nodeEngine();
  engine = { fresh: () => new first.constructor() };
});
after(() => app.close());

/** Opens a tutorial page, scrolls to every playground and returns what each one holds. */
async function walk(file, locale) {
  const { page, errors } = await app.page({ locale, viewport: { width: 1280, height: 900 } });
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  await page.goto(`${app.url}${file}`);
  const count = await page.$$eval('dockerfile-playground', (els) => els.length);
  // Lazy: far-away playgrounds have not started.
  assert.equal(await page.$$eval('dockerfile-playground', (els) => els.at(-1).dataset.state), 'idle');
  for (let i = 0; i < count; i++) {
    await page.$$eval('dockerfile-playground', (els, i) => els[i].scrollIntoView({ block: 'center' }), i);
    await page.waitForFunction((i) => document.querySelectorAll('dockerfile-playground')[i].dataset.state === 'ready', i, { timeout: 20000 });
  }
  const playgrounds = await page.$$eval('dockerfile-playground', (els) => els.map((el) => {
    let section = null;
    for (const h of document.querySelectorAll('h2[id]')) {
      if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) section = h.id;
    }
    const attrs = Object.fromEntries([...el.attributes].filter((a) => a.name !== 'data-state').map((a) => [a.name, a.value]));
    const images = [...el.querySelectorAll('script[data-image]')].map((s) => ({ tag: s.dataset.image, dockerfile: s.textContent }));
    const tab = el.shadowRoot.querySelector('#tab-layers')?.textContent;
    return { section, attrs, images, tab, state: el.getState() };
  }));
  return { page, errors, wasm, playgrounds };
}

const code = (dockerfile) => dockerfile.split('\n').filter((l) => !/^\s*#(?!\s*syntax=)/.test(l)).join('\n');
const files = (state) => Object.fromEntries(state.files.map((f) => [f.path, f.text]));
// Each fact is checked on a fresh engine, so no step is a cache hit of an earlier check.
const build = (state, options = {}, session = engine.fresh()) => session.build(state.dockerfile, files(state), {
  ...PAGE_BUILD_OPTIONS, builder: state.options.builder, target: state.options.target || null, ...options,
});

let english = null;
for (const [file, locale, lang, layersTab] of [['tutorial.html', 'en-US', 'en', 'Layers'], ['tutorial.zh-CN.html', 'zh-CN', 'zh-CN', '层']]) {
  test(`${file}: every playground starts when scrolled to and builds`, async () => {
    const { page, errors, wasm, playgrounds } = await walk(file, locale);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.ok(playgrounds.length >= 12, `a playground at every point (${playgrounds.length})`);
    assert.equal(wasm.length, 1, 'one wasm download for the whole page');
    for (const p of playgrounds) {
      assert.equal(p.tab, layersTab, `${p.section}: the playground speaks the page's language`);
      assert.equal(p.state.build?.ok, true, `${p.section}: ${JSON.stringify(p.state.build)}`);
    }
    if (lang === 'en') english = playgrounds;
    else if (english) {
      // The same playgrounds in both languages (comments in the Dockerfiles are translated).
      assert.deepEqual(playgrounds.map((p) => [p.section, p.attrs, code(p.state.dockerfile), p.state.files.map((f) => f.path)]),
        english.map((p) => [p.section, p.attrs, code(p.state.dockerfile), p.state.files.map((f) => f.path)]));
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `tutorial-${lang}`);
    await page.screenshot({ path: `screenshots/tutorial-${lang}-full.png`, fullPage: true });
    assert.deepEqual(errors, []);
  });
}

test('what the tutorial says is what the engine builds', async (t) => {
  if (!english) return t.skip('the English walk did not run');
  const at = (section) => english.filter((p) => p.section === section);

  // 1. FROM adds no entry; RUN, COPY, WORKDIR (BuildKit) add layers; LABEL and ENV are empty layers.
  const [layers] = at('layers');
  const seed = build(layers.state);
  const own = seed.image.history.filter((h) => h.step != null);
  assert.deepEqual(own.map((h) => [h.createdBy.split(' ')[0], h.emptyLayer]),
    [['WORKDIR', false], ['LABEL', true], ['ENV', true], ['COPY', false], ['RUN', false]]);
  assert.equal(seed.image.layers.filter((l) => l.base).length, 4, 'the four layers of node:14.16.1-alpine3.13');

  // 2. Copy-on-write: the RUN layer stores the whole 25-byte file; the COPY layer the 5-byte one.
  const [cow] = at('cow');
  const cowBuild = build(cow.state);
  const change = (instr) => cowBuild.steps.find((s) => s.instruction.startsWith(instr)).layer.changes.find((c) => c.path === '/app/hello.txt');
  assert.equal(change('COPY').size, 5);
  assert.equal(change('RUN').size, 25);

  // 3. RUN cat: BuildKit keeps a 0 B layer, the legacy builder an empty-layer entry (one layer less).
  const [catKit, catLegacy] = at('cat');
  assert.equal(catLegacy.attrs.builder, 'legacy');
  const kit = build(catKit.state);
  const legacy = build(catLegacy.state);
  assert.deepEqual([kit.image.history.at(-1).emptyLayer, kit.image.history.at(-1).size], [false, 0]);
  assert.equal(legacy.image.history.at(-1).emptyLayer, true);
  assert.equal(legacy.image.layers.length, kit.image.layers.length - 1);

  // 4. Two images on one base share its layer (same ChainID).
  const [sharing] = at('sharing');
  const [appA] = sharing.images;
  const session = engine.fresh();
  session.build(appA.dockerfile, {}, { ...PAGE_BUILD_OPTIONS, tag: appA.tag });
  build(sharing.state, {}, session);
  const inv = session.inventory();
  const bottom = (tag) => inv.images.find((i) => i.tags.some((x) => x.startsWith(`${tag}:`))).layers[0].chainId;
  assert.equal(bottom('app-a'), bottom('playground'));
  assert.equal(bottom('alpine'), bottom('playground'));

  // 6. The 1 MiB file prints as 1.05MB.
  const [disk] = at('disk');
  assert.equal(humanSize(build(disk.state).steps.find((s) => s.instruction.startsWith('RUN dd')).layer.size), '1.05MB');

  // 7./8. The build image is over 800 MB; the multi-stage image a few megabytes, without stage 0's layers.
  const [before7] = at('before');
  const [multi] = at('multistage');
  assert.ok(build(before7.state).image.size > 800e6);
  const small = build(multi.state);
  assert.ok(small.image.size < 20e6, humanSize(small.image.size));
  assert.ok(small.image.history.every((h) => !/go get|go build/.test(h.createdBy)));

  // 10. --target builder: the image is the builder stage, the stage after it is not built.
  const [target] = at('target');
  assert.equal(target.attrs.target, 'builder');
  const targeted = build(target.state);
  assert.deepEqual(targeted.stages.map((s) => s.skipped), [false, true]);

  // 12. The table: which stages each builder builds, per target.
  const [chainKit, chainLegacy] = at('chain');
  assert.equal(chainLegacy.attrs.builder, 'legacy');
  const built = (builder, target) => build({ ...chainKit.state, options: { builder, target } }).stages.filter((s) => !s.skipped).map((s) => s.name);
  assert.deepEqual(built('buildkit', ''), ['builder', 'build2']);
  assert.deepEqual(built('legacy', ''), ['builder', 'build1', 'build2']);
  assert.deepEqual(built('buildkit', 'build1'), ['builder', 'build1']);
  assert.deepEqual(built('legacy', 'build1'), ['builder', 'build1']);
  assert.deepEqual(built('buildkit', 'build2'), ['builder', 'build2']);
  assert.deepEqual(built('legacy', 'build2'), ['builder', 'build1', 'build2']);
});
