// Benchmark (not a test): build every example of examples/ in the wasm engine under Node,
// each from a fresh session (no cache), and print the median time per example.
// Usage: node www/tools/bench-build.mjs   (after scripts/build.sh)
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { initSync, Playground } = await import(join(root, 'pkg', 'dockerfile_playground.js'));
initSync({ module: readFileSync(join(root, 'pkg', 'dockerfile_playground_bg.wasm')) });

for (const name of readdirSync(join(root, 'examples')).sort()) {
  const dir = join(root, 'examples', name);
  const files = {};
  let dockerfile = '';
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    if (file === 'Dockerfile') dockerfile = text;
    else files[file] = text;
  }
  const times = [];
  for (let i = 0; i < 7; i++) {
    const playground = new Playground();
    const start = process.hrtime.bigint();
    const result = playground.build(dockerfile, files, {});
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (i === 0 && !result.ok && name !== 'seed-as-printed') console.log(`  ${name} failed: ${result.error}`);
    playground.free();
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(24)} median ${times[3].toFixed(2)} ms (first ${times[0] === times[3] ? '' : ''}${Math.max(...times).toFixed(1)} ms max)`);
}
