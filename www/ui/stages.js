// The Stages panel: the multi-stage graph. One node per stage (name or index, base image),
// an edge for each dependency: solid when a stage is built FROM another, dashed for
// COPY --from. Stages the build skipped are greyed; the target is outlined; the stage of the
// current step is highlighted. A list beside it is the text alternative.
import { h, s, setChildren } from './dom.js';
import { t } from '../i18n/index.js';

const NODE_W = 170;
const NODE_H = 46;
const COL_GAP = 60;
const ROW_GAP = 18;

export function stageLayout(stages) {
  const depth = new Map();
  const byIndex = new Map(stages.map((st) => [st.index, st]));
  const depthOf = (st, guard = 0) => {
    if (depth.has(st.index)) return depth.get(st.index);
    if (guard > stages.length) return 0;
    const d = Math.max(-1, ...st.dependsOn.map((i) => (byIndex.has(i) && i !== st.index ? depthOf(byIndex.get(i), guard + 1) : -1))) + 1;
    depth.set(st.index, d);
    return d;
  };
  stages.forEach((st) => depthOf(st));
  const rows = new Map();
  return stages.map((st) => {
    const col = depth.get(st.index);
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return { stage: st, x: 10 + col * (NODE_W + COL_GAP), y: 10 + row * (NODE_H + ROW_GAP) };
  });
}

export function createStages({ panel, store }) {
  function render(state) {
    const result = state.build.result;
    if (!state.engine.capabilities.build) {
      setChildren(panel, h('p', { class: 'unavailable', role: 'note' }, t('build.unavailable')));
      return;
    }
    if (!result?.stages?.length) {
      setChildren(panel, h('p', { class: 'empty' }, t('build.hint')));
      return;
    }
    const stages = result.stages;
    const nodes = stageLayout(stages);
    const pos = new Map(nodes.map((n) => [n.stage.index, n]));
    const width = Math.max(...nodes.map((n) => n.x)) + NODE_W + 14;
    const height = Math.max(...nodes.map((n) => n.y)) + NODE_H + 14;
    const currentStage = state.ui.step !== null ? result.steps[state.ui.step]?.stage : null;
    // The engine names the target stage by index; older answers left it out (last stage).
    const targetIndex = typeof result.target === 'number' ? result.target : result.steps.at(-1)?.stage;
    const nameOf = (st) => st.name ?? `#${st.index}`;
    // A stage built FROM another draws a solid edge; COPY --from a dashed one. The engine may
    // list the COPY sources (`copiesFrom`); otherwise an edge is FROM when `base` names it.
    const isFromEdge = (st, dep) => {
      const d = stages.find((x) => x.index === dep);
      const named = d && (st.base === d.name || st.base === String(d.index));
      return Boolean(named) || (Array.isArray(st.copiesFrom) ? !st.copiesFrom.includes(dep) : false);
    };
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'stages-svg', role: 'img', 'aria-labelledby': 'stages-title' },
      s('title', { id: 'stages-title' }, t('stages.title', { n: stages.length })),
      s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }))));
    for (const n of nodes) {
      for (const dep of n.stage.dependsOn) {
        const from = pos.get(dep);
        if (!from) continue;
        const x1 = from.x + NODE_W;
        const y1 = from.y + NODE_H / 2;
        const x2 = n.x;
        const y2 = n.y + NODE_H / 2;
        const mid = (x1 + x2) / 2;
        svg.append(s('path', { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 2},${y2}`, class: `edge ${isFromEdge(n.stage, dep) ? 'from' : 'copy'}`, 'marker-end': 'url(#arrow)' }));
      }
    }
    for (const n of nodes) {
      const st = n.stage;
      const cls = `stage-node${st.skipped ? ' skipped' : ''}${st.index === currentStage ? ' current' : ''}${st.index === targetIndex ? ' target' : ''}`;
      const first = result.steps.findIndex((x) => x.stage === st.index);
      const go = () => { if (first >= 0) store.actions.setStep(first); };
      svg.append(s('g', {
        class: cls, role: 'button', tabindex: 0,
        'aria-label': `${t('build.stage')} ${st.index}: ${nameOf(st)}, FROM ${st.base}${st.skipped ? `, ${t('stages.skipped')}` : ''}`,
        onclick: go, onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } },
      },
        s('rect', { x: n.x, y: n.y, width: NODE_W, height: NODE_H, rx: 6 }),
        s('text', { x: n.x + 10, y: n.y + 19, class: 'stage-name' }, `${st.index}: ${nameOf(st)}`),
        s('text', { x: n.x + 10, y: n.y + 36, class: 'small' }, `FROM ${st.base.length > 22 ? `${st.base.slice(0, 21)}…` : st.base}`)));
    }
    const list = h('ul', { class: 'stage-list' }, stages.map((st) => h('li', { class: st.skipped ? 'skipped' : '' },
      h('strong', {}, `${st.index}: ${nameOf(st)}`), ` — FROM ${st.base} (${t('build.line')} ${st.line})`,
      st.dependsOn.length ? ` · ${t('stages.dependsOn')} ${st.dependsOn.map((d) => nameOf(stages.find((x) => x.index === d) ?? { index: d })).join(', ')}` : '',
      st.skipped ? ` · ${t('stages.skipped')}` : '',
      st.index === targetIndex ? ` · ${t('stages.target')}` : '')));
    setChildren(panel, h('div', { class: 'stages-wrap' }, svg),
      h('p', { class: 'legend-line' }, h('span', { class: 'edge-sample from' }), t('stages.fromEdge'), ' ', h('span', { class: 'edge-sample copy' }), t('stages.copyEdge')),
      list);
  }
  return {
    render(state, prev) {
      if (!prev || state.build !== prev.build || state.ui.step !== prev.ui.step || state.engine !== prev.engine || state.lang !== prev.lang) render(state);
    },
  };
}
