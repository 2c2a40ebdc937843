// The Layers panel: SVG drawings of images as stacks of layers, bottom-up.
// - The built image: base-image layers grouped apart from the new ones; each new entry shows
//   its instruction, size and short diff_id; metadata-only steps (empty_layer) are thin dashed
//   entries. Entries of steps after the current one are drawn as "not built yet", so stepping
//   through the timeline shows the image grow. Hovering or focusing an entry highlights its
//   source lines; hovering a source line highlights its entries (setHoverLine).
// - With the engine's inventory (every image and container in the simulated store): all
//   images side by side, layers with the same ChainID drawn in the same colour and joined,
//   and each container as a thin writable layer on top of its image.
// Every drawing has a text alternative (title/desc, and a label on each focusable entry).
import { h, s, keepFocus, setChildren } from './dom.js';
import { t } from '../i18n/index.js';
import { humanSize, shortId } from '../format.js';

const WIDTH = 380;
const EMPTY_H = 16;
const GAP = 3;

export function layerHeight(size) {
  return Math.round(20 + 7 * Math.log10(Math.max(1, size)));
}

/** History and layers of an image merged into bottom-up entries. */
export function stackEntries(image) {
  const entries = [];
  let next = 0;
  for (const h of image.history ?? []) {
    if (h.emptyLayer) {
      entries.push({ kind: 'empty', createdBy: h.createdBy, size: 0, step: h.step, base: h.step == null });
    } else {
      const layer = image.layers?.[next++] ?? {};
      entries.push({
        kind: 'layer', createdBy: layer.createdBy ?? h.createdBy, size: layer.size ?? h.size ?? 0,
        diffId: layer.diffId, step: layer.step ?? h.step, base: Boolean(layer.base), sizeEstimated: Boolean(layer.sizeEstimated),
      });
    }
  }
  return entries;
}

const truncate = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** created_by without the shell and builder noise, for the compact side-by-side view. */
export function shortCreatedBy(text) {
  return String(text ?? '')
    .replace(/^\/bin\/sh -c #\(nop\)\s+/, '')
    .replace(/^(RUN )?\/bin\/sh -c /, 'RUN ')
    .replace(/ # buildkit$/, '')
    .trim();
}

export function createStack({ panel, store, onHoverLines }) {
  let hoverLine = null;

  function render(state) {
    const result = state.build.result;
    if (!state.engine.capabilities.build) {
      setChildren(panel, h('p', { class: 'unavailable', role: 'note' }, t('build.unavailable')));
      return;
    }
    if (!result?.image) {
      setChildren(panel, h('p', { class: 'empty' }, result ? t('stack.noImage') : t('build.hint')));
      return;
    }
    const steps = result.steps;
    const currentStep = state.ui.step !== null ? steps[state.ui.step] : null;
    const parts = [h('h3', {}, t('stack.built'), ' ', h('span', { class: 'muted' }, `${humanSize(result.image.size)} · ${shortId(result.image.id)}`)),
      buildStack(result, currentStep)];
    const inv = state.inventory;
    if (inv?.images?.length) parts.push(h('h3', {}, t('stack.store')), storeStacks(inv));
    parts.push(legend());
    keepFocus(panel, () => setChildren(panel, ...parts));
  }

  function entryLines(step) {
    const s0 = store.get().build.result?.steps.find((x) => x.index === step);
    return s0 ? { start: s0.line, end: s0.endLine ?? s0.line } : null;
  }

  function buildStack(result, currentStep) {
    const entries = stackEntries(result.image);
    const baseEntries = entries.filter((e) => e.base);
    const own = entries.filter((e) => !e.base);
    const baseLayers = baseEntries.filter((e) => e.kind === 'layer');
    const finalStage = result.stages?.find((st) => st.index === result.steps.at(-1)?.stage);
    const baseName = finalStage?.base ?? t('stack.base');
    const heights = own.map((e) => (e.kind === 'empty' ? EMPTY_H : layerHeight(e.size)));
    const baseH = baseLayers.reduce((sum, e) => sum + Math.min(layerHeight(e.size), 30) + GAP, 0) + 26;
    const total = baseH + heights.reduce((a, b) => a + b + GAP, 0) + 8;
    const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${total}`, width: WIDTH, height: total, class: 'stack-svg', role: 'group', 'aria-labelledby': 'stack-title stack-desc' },
      s('title', { id: 'stack-title' }, t('stack.title')),
      s('desc', { id: 'stack-desc' }, t('stack.desc', { base: baseName, baseLayers: baseLayers.length, layers: own.filter((e) => e.kind === 'layer').length, empty: own.filter((e) => e.kind === 'empty').length, size: humanSize(result.image.size) })));
    let y = total - 4;
    // Base image: one bracketed group at the bottom.
    const groupTop = y - baseH + 4;
    svg.append(s('rect', { x: 2, y: groupTop, width: WIDTH - 4, height: baseH - 4, rx: 6, class: 'base-group' }));
    svg.append(s('text', { x: 10, y: groupTop + 15, class: 'base-label' }, `${t('stack.base')}: ${truncate(baseName, 34)} · ${baseLayers.length} ${t('stack.layers')}`));
    let by = y - 4;
    for (const e of baseLayers) {
      const hh = Math.min(layerHeight(e.size), 30);
      by -= hh + GAP;
      svg.append(s('g', { class: 'entry base', role: 'img', 'aria-label': `${t('stack.baseLayer')} ${shortId(e.diffId)} ${humanSize(e.size)}` },
        s('rect', { x: 10, y: by, width: WIDTH - 20, height: hh, rx: 3 }),
        s('text', { x: 18, y: by + hh / 2 + 4 }, truncate(e.createdBy ?? '', 36)),
        s('text', { x: WIDTH - 18, y: by + hh / 2 + 4, 'text-anchor': 'end' }, `${e.sizeEstimated ? '≈' : ''}${humanSize(e.size)}`)));
    }
    y = groupTop - GAP;
    own.forEach((e, k) => {
      const hh = heights[k];
      y -= hh + GAP;
      const built = !currentStep || e.step == null || e.step <= currentStep.index;
      const isCurrent = currentStep && e.step === currentStep.index;
      const lines = entryLines(e.step);
      const hovered = hoverLine !== null && lines && hoverLine >= lines.start && hoverLine <= lines.end;
      const cls = `entry ${e.kind}${built ? '' : ' pending'}${isCurrent ? ' current' : ''}${hovered ? ' hovered' : ''}`;
      const label = e.kind === 'empty'
        ? `${e.createdBy} · ${t('stack.metadata')}`
        : `${e.createdBy} · ${humanSize(e.size)} · ${shortId(e.diffId)}${built ? '' : ` · ${t('stack.pending')}`}`;
      const select = () => {
        const idx = store.get().build.result.steps.findIndex((x) => x.index === e.step);
        if (idx >= 0) store.actions.setStep(idx);
      };
      const g = s('g', {
        class: cls, tabindex: 0, role: 'button', 'aria-label': label, 'data-fk': `entry-${k}`,
        onclick: select,
        onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(); } },
        onmouseenter: () => onHoverLines(lines), onmouseleave: () => onHoverLines(null),
        onfocus: () => onHoverLines(lines), onblur: () => onHoverLines(null),
      });
      g.append(s('title', {}, label));
      if (e.kind === 'empty') {
        g.append(s('rect', { x: 24, y, width: WIDTH - 48, height: hh, rx: 3 }),
          s('text', { x: 32, y: y + hh / 2 + 4, class: 'small' }, truncate(e.createdBy, 44)),
          s('text', { x: WIDTH - 32, y: y + hh / 2 + 4, 'text-anchor': 'end', class: 'small' }, '0B'));
      } else {
        g.append(s('rect', { x: 2, y, width: WIDTH - 4, height: hh, rx: 4 }),
          s('text', { x: 10, y: y + hh / 2 + 4 }, truncate(e.createdBy, 38)),
          s('text', { x: WIDTH - 10, y: y + hh / 2 + 4, 'text-anchor': 'end' }, humanSize(e.size)),
          s('text', { x: WIDTH - 58, y: y + hh / 2 + 4, 'text-anchor': 'end', class: 'small' }, shortId(e.diffId).slice(0, 7)));
      }
      svg.append(g);
    });
    const note = currentStep && !own.some((e) => e.step === currentStep.index) && !currentStep.instruction.startsWith('FROM')
      ? h('p', { class: 'muted' }, t('stack.otherStage', { stage: stageName(currentStep.stage) }))
      : null;
    return h('div', { class: 'stack-wrap' }, svg, note);
  }

  function stageName(index) {
    const st = store.get().build.result?.stages?.find((x) => x.index === index);
    return st?.name ?? String(index);
  }

  function storeStacks(inv) {
    const counts = new Map();
    for (const img of inv.images) for (const l of img.layers) counts.set(l.chainId, (counts.get(l.chainId) ?? 0) + 1);
    const shared = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const hue = (chainId) => (shared.indexOf(chainId) * 67) % 360;
    const colW = 176;
    const gap = 36;
    const layerH = 22;
    const tallest = Math.max(...inv.images.map((img) => img.layers.length));
    const hasContainers = (inv.containers ?? []).length > 0;
    const height = tallest * (layerH + GAP) + (hasContainers ? 56 : 36);
    const width = inv.images.length * (colW + gap);
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'store-svg', role: 'group', 'aria-labelledby': 'store-title store-desc' },
      s('title', { id: 'store-title' }, t('stack.store')),
      s('desc', { id: 'store-desc' }, t('stack.storeDesc', { images: inv.images.length, shared: shared.length, containers: inv.containers?.length ?? 0 })));
    const positions = new Map(); // chainId -> [{x, y}]
    inv.images.forEach((img, col) => {
      const x = col * (colW + gap) + 4;
      let y = height - 28;
      svg.append(s('text', { x: x + colW / 2, y: height - 8, 'text-anchor': 'middle', class: 'small' }, truncate(img.tags?.[0] ?? shortId(img.id), 22)));
      for (const l of img.layers) {
        y -= layerH + GAP;
        const isShared = shared.includes(l.chainId);
        const label = `${img.tags?.[0] ?? shortId(img.id)}: ${l.createdBy ?? shortId(l.diffId)} · ${humanSize(l.size)}${isShared ? ` · ${t('stack.shared')}` : ''}`;
        svg.append(s('g', { class: `entry layer${isShared ? ' shared' : ''}`, role: 'img', 'aria-label': label, style: isShared ? `--share-hue: ${hue(l.chainId)}` : null },
          s('title', {}, label),
          s('rect', { x, y, width: colW, height: layerH, rx: 3 }),
          s('text', { x: x + 6, y: y + 15, class: 'small' }, truncate(shortCreatedBy(l.createdBy) || shortId(l.diffId), 17)),
          s('text', { x: x + colW - 6, y: y + 15, 'text-anchor': 'end', class: 'small' }, humanSize(l.size))));
        if (isShared) positions.set(l.chainId, [...(positions.get(l.chainId) ?? []), { x, y }]);
      }
      const containers = (inv.containers ?? []).filter((c) => c.image === img.id);
      // Containers side by side on top of their image: thin writable layers.
      const cw = containers.length ? (colW - 4 * (containers.length - 1)) / containers.length : 0;
      containers.forEach((c, k) => {
        const cx = x + k * (cw + 4);
        const cy = y - 14;
        const label = `${t('stack.container')} ${c.name}: ${t('stack.writable')} ${humanSize(c.sizeRw)}`;
        svg.append(s('g', { class: 'entry container', role: 'img', 'aria-label': label },
          s('title', {}, label),
          s('rect', { x: cx, y: cy, width: cw, height: 10, rx: 2 }),
          s('text', { x: cx + cw / 2, y: cy - 3, 'text-anchor': 'middle', class: 'tiny' }, `${truncate(c.name, 10)} ${humanSize(c.sizeRw)}`)));
      });
    });
    for (const [chainId, list] of positions) {
      for (let k = 1; k < list.length; k++) {
        const a = list[k - 1];
        const b = list[k];
        svg.insertBefore(s('line', { x1: a.x + colW, y1: a.y + layerH / 2, x2: b.x, y2: b.y + layerH / 2, class: 'share-link', style: `--share-hue: ${hue(chainId)}` }), svg.children[2]);
      }
    }
    return h('div', { class: 'stack-wrap store' }, svg);
  }

  function legend() {
    return h('ul', { class: 'legend', 'aria-label': t('stack.legend') },
      h('li', {}, h('span', { class: 'swatch base' }), t('stack.baseLayer')),
      h('li', {}, h('span', { class: 'swatch layer' }), t('stack.newLayer')),
      h('li', {}, h('span', { class: 'swatch empty' }), t('stack.metadata')),
      h('li', {}, h('span', { class: 'swatch pending' }), t('stack.pending')),
      h('li', {}, h('span', { class: 'swatch container' }), t('stack.writable')));
  }

  return {
    render(state, prev) {
      if (!prev || state.build !== prev.build || state.ui.step !== prev.ui.step || state.engine !== prev.engine || state.lang !== prev.lang || state.inventory !== prev.inventory) render(state);
    },
    setHoverLine(line) {
      if (line === hoverLine) return;
      hoverLine = line;
      for (const g of panel.querySelectorAll('.stack-svg .entry.hovered')) g.classList.remove('hovered');
      if (line === null) return;
      const result = store.get().build.result;
      if (!result?.image) return;
      const stepIdx = result.steps.filter((x) => line >= x.line && line <= (x.endLine ?? x.line)).map((x) => x.index);
      const own = stackEntries(result.image).filter((e) => !e.base);
      panel.querySelectorAll('.stack-svg g.entry[data-fk]').forEach((g) => {
        const k = Number(g.getAttribute('data-fk').slice(6));
        if (stepIdx.includes(own[k]?.step)) g.classList.add('hovered');
      });
    },
  };
}
