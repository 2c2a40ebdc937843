// Bundles the <dockerfile-playground> component with esbuild. Used by www/tools/build.mjs
// (into site/, next to the page and its wasm) and by the npm package's prepack
// (packages/component/dist/). Output, all in one folder:
//   dockerfile-playground.js   the element (small; the only file a page loads up front)
//   dockerfile-playground-view.js  the interactive view, loaded when an element is first seen
//   embed-worker.js            the engine worker shared by every element on a page
//   dockerfile_playground_bg.wasm (copied from pkg/)
// plus, for the site only, embed-frame.js (embed.html's script: the iframe form).
//
// Usage: node www/embed/bundle.mjs --package   (writes packages/component/dist/)
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const embed = join(root, 'www', 'embed');
export const WASM = join(root, 'pkg', 'dockerfile_playground_bg.wasm');

/**
 * @param {string} outdir
 * @param {{site?: boolean, sourcemap?: boolean}} options  site: also the iframe script, and
 *   "Open in the playground" links to ./index.html next to the script.
 */
export async function bundleComponent(outdir, { site = false, sourcemap = false } = {}) {
  if (!existsSync(WASM)) throw new Error('pkg/ is missing: run scripts/build.sh (it builds the wasm first).');
  mkdirSync(outdir, { recursive: true });
  const common = {
    outdir,
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap,
    target: ['es2022'],
    loader: { '.css': 'text' },
    define: { __PLAYGROUND_URL__: JSON.stringify(site ? './index.html' : '') },
    logLevel: 'warning',
  };
  // Separate bundles, no code splitting: each file is one request and none waits for a
  // shared chunk. The element imports the view by URL (dockerfile-playground-view.js).
  const entries = [
    { 'dockerfile-playground': join(embed, 'dockerfile-playground.js') },
    { 'dockerfile-playground-view': join(embed, 'view.js') },
    { 'embed-worker': join(embed, 'worker.js') },
  ];
  if (site) entries.push({ 'embed-frame': join(embed, 'frame.js') });
  await Promise.all(entries.map((entryPoints) => build({
    ...common,
    entryPoints,
    // The iframe script uses the element's own file rather than a second copy.
    plugins: entryPoints['embed-frame'] ? [elementByUrl] : [],
  })));
  cpSync(WASM, join(outdir, 'dockerfile_playground_bg.wasm'));
}

const elementByUrl = {
  name: 'element-by-url',
  setup(b) {
    b.onResolve({ filter: /^\.\/dockerfile-playground\.js$/ }, () => ({ path: './dockerfile-playground.js', external: true }));
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--package')) {
    const pkg = join(root, 'packages', 'component');
    const dist = join(pkg, 'dist');
    rmSync(dist, { recursive: true, force: true });
    await bundleComponent(dist);
    for (const license of ['LICENSE-MIT', 'LICENSE-APACHE']) cpSync(join(root, license), join(pkg, license));
    console.log('packages/component/dist/ ready');
  } else {
    console.error('usage: node www/embed/bundle.mjs --package');
    process.exit(2);
  }
}
