// Bundles the front end with esbuild into site/, a static folder any static host can serve:
// index.html, style.css, app.js (the page), worker.js (the engine's Web Worker, the only
// bundle that contains the wasm glue) and the wasm module from pkg/ (built by scripts/build.sh).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleComponent } from '../embed/bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const site = join(root, 'site');
const wasm = join(root, 'pkg', 'dockerfile_playground_bg.wasm');

if (!existsSync(wasm)) {
  console.error('pkg/ is missing: run scripts/build.sh (it builds the wasm first).');
  process.exit(1);
}
rmSync(site, { recursive: true, force: true });
mkdirSync(site, { recursive: true });

await build({
  entryPoints: {
    app: join(root, 'www', 'main.js'),
    worker: join(root, 'www', 'worker.js'),
    style: join(root, 'www', 'style.css'),
  },
  outdir: site,
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: ['es2022'],
  logLevel: 'warning',
});
cpSync(join(root, 'index.html'), join(site, 'index.html'));
cpSync(wasm, join(site, 'dockerfile_playground_bg.wasm'));
// The <dockerfile-playground> component, its iframe page and the tutorial (www/embed/).
await bundleComponent(site, { site: true, sourcemap: true });
for (const page of ['embed.html', 'tutorial.html', 'tutorial.zh-CN.html']) cpSync(join(root, page), join(site, page));
cpSync(join(root, 'www', 'tutorial', 'tutorial.css'), join(site, 'tutorial.css'));
console.log(`site/ ready`);
