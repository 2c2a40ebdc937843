// The Files panel: the file tree of the current step, either as the merged filesystem after
// that step or as that step's layer alone, with added/modified/deleted marks, sizes, sort by
// name or size, a viewer for text contents, and the image's wasted bytes (files stored in a
// layer and then overwritten or deleted by a later one: the bytes stay in the image).
// Directories load lazily through the engine (layerTree/file requests).
import { h, keepFocus, setChildren } from './dom.js';
import { t } from '../i18n/index.js';
import { humanSize } from '../format.js';

/**
 * Bytes that stay in the image although a later layer replaced or deleted the file: every
 * version of a path that a later layer of the image hides. A deletion's `size` is the bytes
 * it hid (a directory counts its subtree), which covers files from the base image too; the
 * old bytes of a base-image file that is only modified are not known, so this is a floor.
 */
export function wastedBytes(result) {
  if (!result?.image) return { total: 0, files: [] };
  const inImage = new Set(result.image.layers.map((l) => l.step).filter((x) => x !== null && x !== undefined));
  const versions = new Map();
  for (const step of result.steps) {
    if (!inImage.has(step.index) || !step.layer) continue;
    for (const c of step.layer.changes ?? []) {
      versions.set(c.path, [...(versions.get(c.path) ?? []), c]);
    }
  }
  const files = [];
  for (const [path, list] of versions) {
    let bytes = 0;
    list.forEach((v, i) => {
      const hiddenByNext = i < list.length - 1 && v.kind !== 'deleted';
      const hidesBase = v.kind === 'deleted' && (i === 0 || list[i - 1].kind === 'deleted');
      if (hiddenByNext || hidesBase) bytes += v.size ?? 0;
    });
    if (bytes > 0) files.push({ path, bytes });
  }
  files.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  return { total: files.reduce((sum, f) => sum + f.bytes, 0), files };
}

export function createFileTree({ panel, store, request }) {
  let mode = 'merged'; // 'merged' | 'layer'
  let sort = 'name'; // 'name' | 'size'
  let changesOnly = false;
  const cache = new Map();
  const open = new Set(['/']);
  let viewing = null; // {path, text|null, size}
  let lastResult = null;
  let dirty = false; // a change arrived while the panel was hidden

  // What the engine's layerTree/file look at: a step index of the build (the merged
  // filesystem after that step) or a layer id (that layer's own diff).
  function currentRef(state) {
    const result = state.build.result;
    const i = state.ui.step ?? (result?.steps.length ?? 0) - 1;
    const step = result?.steps[i];
    if (!step) return null;
    if (mode === 'layer') return step.layer ? (step.layer.chainId ?? step.layer.diffId) : null;
    return step.index;
  }

  async function load(ref, path) {
    const key = `${ref}\u0000${path}`;
    if (!cache.has(key)) {
      cache.set(key, request('layerTree', { ref, path }).then((r) => r.value ?? [], (e) => ({ error: e.message })));
    }
    return cache.get(key);
  }

  async function render(state) {
    if (!state.engine.capabilities.build || !state.engine.capabilities.layerTree) {
      setChildren(panel, h('p', { class: 'unavailable', role: 'note' }, state.engine.capabilities.build ? t('files.unavailable') : t('build.unavailable')));
      return;
    }
    const result = state.build.result;
    if (result !== lastResult) { cache.clear(); viewing = null; lastResult = result; }
    if (!result) { setChildren(panel, h('p', { class: 'empty' }, t('build.hint'))); return; }
    const ref = currentRef(state);
    if (viewing && viewing.ref !== ref) {
      // The step changed: show the same path as it is at the new step (or nothing).
      const path = viewing.path;
      viewing = null;
      if (ref !== null) {
        const r = await request('file', { ref, path }).catch(() => null);
        if (r?.value && currentRef(store.get()) === ref) viewing = { ref, path, text: r.value.text ?? null, size: r.value.size ?? 0 };
      }
    }
    const controls = h('div', { class: 'files-controls' },
      h('label', {}, t('files.show'), ' ',
        h('select', { id: 'files-mode', onchange: (e) => { mode = e.target.value; render(store.get()); } },
          h('option', { value: 'merged', selected: mode === 'merged' }, t('files.merged')),
          h('option', { value: 'layer', selected: mode === 'layer' }, t('files.layer')))),
      h('label', {}, t('files.sort'), ' ',
        h('select', { id: 'files-sort', onchange: (e) => { sort = e.target.value; render(store.get()); } },
          h('option', { value: 'name', selected: sort === 'name' }, t('files.byName')),
          h('option', { value: 'size', selected: sort === 'size' }, t('files.bySize')))),
      mode === 'merged' ? h('label', {}, h('input', { type: 'checkbox', checked: changesOnly, onchange: (e) => { changesOnly = e.target.checked; render(store.get()); } }), ' ', t('files.changesOnly')) : null);
    const tree = h('div', { class: 'tree-wrap' });
    const viewer = viewing ? h('section', { class: 'file-viewer', 'aria-label': viewing.path },
      h('h3', {}, h('code', {}, viewing.path), ' ', h('span', { class: 'muted' }, humanSize(viewing.size))),
      viewing.text === null ? h('p', { class: 'muted' }, t('files.binary')) : h('pre', { class: 'file-text' }, viewing.text)) : null;
    const waste = wastedBytes(result);
    const wasteView = h('section', { class: 'wasted' },
      h('h3', {}, t('files.wasted'), ' ', h('span', { class: 'muted' }, humanSize(waste.total))),
      waste.files.length
        ? h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('files.path')), h('th', { scope: 'col' }, t('files.size')))),
          h('tbody', {}, waste.files.map((f) => h('tr', {}, h('td', {}, h('code', {}, f.path)), h('td', {}, humanSize(f.bytes))))))
        : h('p', { class: 'muted' }, t('files.noWaste')));
    keepFocus(panel, () => setChildren(panel, controls, tree, viewer, wasteView));
    if (ref === null) { setChildren(tree, h('p', { class: 'muted' }, t('files.noLayer'))); return; }
    const root = await renderDir(ref, '/', 0);
    keepFocus(tree, () => setChildren(tree, h('ul', { class: 'tree', 'aria-label': t('files.tree') }, root)));
  }

  async function renderDir(ref, path, depth) {
    if (depth > 32) return [];
    const entries = await load(ref, path);
    if (entries.error) return [h('li', { class: 'error' }, entries.error)];
    let list = entries.slice();
    if (mode === 'merged' && changesOnly) list = list.filter((e) => e.change || e.kind === 'dir');
    list.sort(sort === 'size' ? (a, b) => (b.size ?? 0) - (a.size ?? 0) || a.name.localeCompare(b.name) : (a, b) => a.name.localeCompare(b.name));
    const items = [];
    for (const e of list) {
      const full = path === '/' ? `/${e.name}` : `${path}/${e.name}`;
      const mark = e.change ? h('span', { class: `change-mark change-${e.change}`, title: t(`change.${e.change}`) }, t(`change.${e.change}.short`)) : null;
      const meta = h('span', { class: 'tree-meta' }, e.kind === 'dir' ? '' : humanSize(e.size ?? 0), e.mode ? ` ${e.mode}` : '');
      if (e.kind === 'dir') {
        const isOpen = open.has(full);
        const toggle = () => { if (open.has(full)) open.delete(full); else open.add(full); render(store.get()); };
        const children = isOpen ? await renderDir(ref, full, depth + 1) : null;
        items.push(h('li', { class: 'dir' },
          h('button', { type: 'button', class: 'tree-row', 'aria-expanded': String(isOpen), 'data-fk': `tree-${full}`, onclick: toggle },
            h('span', { 'aria-hidden': 'true', class: 'twisty' }, isOpen ? '▾' : '▸'), ' ', `${e.name}/`, ' ', mark, meta),
          children ? h('ul', {}, children) : null));
      } else {
        const show = async () => {
          const r = await request('file', { ref, path: full }).catch((err) => ({ value: { text: String(err.message), size: 0 } }));
          viewing = { ref, path: full, text: r.value?.text ?? null, size: r.value?.size ?? 0 };
          render(store.get());
        };
        const label = e.kind === 'symlink' ? `${e.name} →` : e.kind === 'whiteout' ? `${e.name} (${t('change.deleted')})` : e.name;
        items.push(h('li', { class: e.kind },
          h('button', { type: 'button', class: 'tree-row', 'data-fk': `tree-${full}`, onclick: show, disabled: e.kind === 'whiteout' }, label, ' ', mark, meta)));
      }
    }
    return items.length ? items : [h('li', { class: 'muted' }, t('files.emptyDir'))];
  }

  return {
    render(state, prev) {
      if (!prev || state.build !== prev.build || state.ui.step !== prev.ui.step || state.engine !== prev.engine || state.lang !== prev.lang) {
        if (state.ui.panel === 'files' || !prev) render(state);
        else dirty = true;
      } else if (dirty && state.ui.panel === 'files') { dirty = false; render(state); }
    },
  };
}
