// Benchmark (not a test): parse the real-world corpus in ../shared with our wasm parser and
// with npm's dockerfile-ast in the same Node run, and report MB/s and the ratio.
// Usage: node www/tools/bench-parse.mjs   (after scripts/build.sh; installs dockerfile-ast
// into target/bench-node on first use, outside the project's dependencies)
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = join(root, '..', 'shared', 'corpus', 'real-world');
const files = [];
for (const dir of readdirSync(corpusDir)) {
  const full = join(corpusDir, dir);
  if (!statSync(full).isDirectory()) continue;
  for (const name of readdirSync(full)) {
    if (name.endsWith('.json') || name.startsWith('LICENSE') || name === 'NOTICE') continue;
    files.push(readFileSync(join(full, name), 'utf8'));
  }
}
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f), 0);

const { initSync, Playground } = await import(join(root, 'pkg', 'dockerfile_playground.js'));
initSync({ module: readFileSync(join(root, 'pkg', 'dockerfile_playground_bg.wasm')) });
const playground = new Playground();

const benchDir = join(root, 'target', 'bench-node');
if (!existsSync(join(benchDir, 'node_modules', 'dockerfile-ast'))) {
  execSync(`npm install --no-save --no-audit --no-fund --prefix ${benchDir} dockerfile-ast`, { stdio: 'inherit' });
}
const require = createRequire(join(benchDir, 'node_modules', 'x.js'));
const { DockerfileParser } = require('dockerfile-ast');

// The three contenders run in turns within each round, so a change in machine load (other
// processes) hits all of them alike; each gets the same warm-up and the same number of rounds,
// and is reported by its median round.
const ROUNDS = 15;
const contenders = [
  ['wasm parse (ours)', (f) => playground.parseCount(f)],
  ['wasm analyze → JS (ours)', (f) => playground.analyze(f)],
  ['dockerfile-ast parse', (f) => DockerfileParser.parse(f)],
];
for (const [, parse] of contenders) for (let i = 0; i < 3; i++) files.forEach(parse); // warm up
const rounds = contenders.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  contenders.forEach(([, parse], i) => {
    const start = process.hrtime.bigint();
    files.forEach(parse);
    rounds[i].push(Number(process.hrtime.bigint() - start) / 1e6);
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`corpus: ${files.length} files, ${(bytes / 1e3).toFixed(1)} kB`);
const [ours, outline, theirs] = contenders.map(([label], i) => {
  const ms = median(rounds[i]);
  const mbps = bytes / 1e6 / (ms / 1e3);
  console.log(`${label.padEnd(28)} median ${ms.toFixed(2)} ms  ${mbps.toFixed(1)} MB/s`);
  return ms;
});
// The ratio of each round (taken under the same load), then the median of those.
const perRound = rounds[2].map((t, r) => t / rounds[0][r]);
console.log(`ratio: parse ${(theirs / ours).toFixed(1)}x faster (median of per-round ratios ${median(perRound).toFixed(1)}x); with the outline copied to JS ${(theirs / outline).toFixed(1)}x`);
