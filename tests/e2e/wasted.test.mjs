// Wasted bytes are derived from the build's layer changes (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wastedBytes } from '../../www/ui/filetree.js';
import { loadFixture } from './helpers.mjs';

const build = (layers) => ({
  steps: layers.map((changes, index) => ({ index, layer: { changes } })),
  image: { layers: layers.map((_, index) => ({ step: index })) },
});

function check(layers, expected) {
  const { total, files } = wastedBytes(build(layers));
  assert.deepEqual({ total, files: files.map((f) => [f.path, f.bytes]) }, expected);
}

test('wasted bytes: overwritten, deleted, base-image deletions, untouched', () => {
  check([[{ path: '/a', kind: 'added', size: 5 }], [{ path: '/a', kind: 'modified', size: 25 }]], { total: 5, files: [['/a', 5]] });
  check([[{ path: '/big', kind: 'added', size: 1000 }], [{ path: '/big', kind: 'deleted', size: 1000 }]], { total: 1000, files: [['/big', 1000]] });
  check([[{ path: '/var/lib/apt/lists', kind: 'deleted', size: 40000 }]], { total: 40000, files: [['/var/lib/apt/lists', 40000]] });
  check([[{ path: '/x', kind: 'added', size: 7 }], [{ path: '/y', kind: 'added', size: 9 }]], { total: 0, files: [] });
  check([[{ path: '/f', kind: 'added', size: 3 }], [{ path: '/f', kind: 'deleted', size: 3 }], [{ path: '/f', kind: 'added', size: 4 }]], { total: 3, files: [['/f', 3]] });
});

test('the seed example wastes the 5 bytes COPY stored before RUN rewrote hello.txt', () => {
  const { total, files } = wastedBytes(loadFixture('build-layers').result);
  assert.equal(total, 5);
  assert.deepEqual(files, [{ path: '/app/hello.txt', bytes: 5 }]);
});

test('steps of stages outside the final image do not count', () => {
  const result = build([[{ path: '/a', kind: 'added', size: 5 }], [{ path: '/a', kind: 'modified', size: 6 }]]);
  result.image.layers = [{ step: 1 }];
  assert.equal(wastedBytes(result).total, 0);
});
