// Taking the playground elsewhere: the context as a real tar archive, the docker commands,
// and the Markdown write-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openApp } from './helpers.mjs';
import { tarArchive } from '../../www/tar.js';
import { dockerCommands } from '../../www/export.js';

let app;
before(async () => { app = await launch(); });
after(() => app.close());

const listTar = (bytes) => {
  const dir = mkdtempSync(join(tmpdir(), 'dfp-tar-'));
  writeFileSync(join(dir, 'ctx.tar'), bytes);
  execFileSync('tar', ['-xf', 'ctx.tar'], { cwd: dir });
  return { dir, list: execFileSync('tar', ['-tvf', 'ctx.tar'], { cwd: dir, encoding: 'utf8' }) };
};

test('tarArchive writes archives that tar reads back byte for byte', () => {
  const long = `${'deep/'.repeat(25)}file.txt`; // > 100 bytes: uses the ustar prefix
  const files = [
    { path: 'Dockerfile', text: 'FROM alpine\n' },
    { path: 'src/中文.txt', text: '😀 unicode\n' },
    { path: 'empty', text: '' },
    { path: long, text: 'x'.repeat(513) },
  ];
  const { dir, list } = listTar(tarArchive(files));
  for (const f of files) assert.equal(readFileSync(join(dir, f.path), 'utf8'), f.text, f.path);
  assert.match(list, /-rw-r--r-- 0\/0\s+12 1970-01-01 00:00 Dockerfile/);
  assert.throws(() => tarArchive([{ path: `${'x'.repeat(120)}`, text: '' }]), /too long/);
});

test('docker commands carry every build option', () => {
  const cmds = dockerCommands({ dockerfile: '', files: [], options: { builder: 'legacy', target: 'builder', buildArgs: [{ key: 'A', value: 'x y' }, { key: '', value: 'ignored' }], noCache: true } });
  assert.equal(cmds[1], "DOCKER_BUILDKIT=0 docker build -t playground --target builder --build-arg 'A=x y' --no-cache .");
  assert.equal(dockerCommands({ dockerfile: '', files: [], options: { builder: 'buildkit', target: '', buildArgs: [], noCache: false } })[1], 'docker build -t playground .');
});

test('"Run it for real" downloads the context as a tar and shows the commands', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await page.click('#run-real-btn');
  await page.waitForSelector('#run-dialog[open]');
  assert.match(await page.textContent('#run-commands'), /docker build -t playground \.\ndocker run --rm playground/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-tar')]);
  assert.equal(download.suggestedFilename(), 'playground-context.tar');
  const path = await download.path();
  const { dir } = listTar(readFileSync(path));
  assert.equal(readFileSync(join(dir, 'hello.txt'), 'utf8'), 'test\n');
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^FROM node:14.16.1-alpine3.13\n/);
  await page.keyboard.press('Escape');
});

test('"Copy as Markdown" copies the Dockerfile, files, commands and a working link', async () => {
  const { page } = await app.page();
  await openApp(page, app.url);
  await page.click('#markdown-btn');
  await page.waitForSelector('#notice:not([hidden])');
  const md = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(md, /^### Dockerfile\n\n```dockerfile\nFROM node:14.16.1-alpine3.13\n/);
  assert.match(md, /### hello.txt\n\n```\ntest\n```/);
  assert.match(md, /```sh\ndocker build -t playground \.\ndocker run --rm playground\n```/);
  const link = /\[Open in Dockerfile Playground\]\((.+)\)/.exec(md)[1];
  const other = await app.page();
  await openApp(other.page, link.slice(0, link.indexOf('#')), link.slice(link.indexOf('#')));
  assert.match(await other.page.textContent('#context-tabs'), /hello\.txt/);
});
