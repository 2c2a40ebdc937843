// The build timeline: first/prev/play-pause/next/last, a scrubber with one tick per step
// coloured by status, breakpoints (play stops on a step whose lines hold one), and the Build
// panel's step list with each step's status, cache-miss cause, log and changes. Stepping only
// moves ui.step: the build result is replayed, never recomputed.
import { h, s as svgEl, announce, keepFocus, setChildren } from './dom.js';
import { t } from '../i18n/index.js';
import { humanSize } from '../format.js';

const PLAY_INTERVAL_MS = 900;

// Media-control icons as SVG paths (font glyphs like ⏮ are missing on many systems).
const ICONS = {
  first: 'M2 3h2v10H2zM10 3v10L5 8zM15 3v10l-5-5z',
  prev: 'M3 3h2v10H3zM12 3v10L6 8z',
  play: 'M5 3v10l8-5z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  next: 'M4 3v10l6-5zM11 3h2v10h-2z',
  last: 'M1 3v10l5-5zM6 3v10l5-5zM12 3h2v10h-2z',
};
const iconSvg = (name) => svgEl('svg', { viewBox: '0 0 16 16', width: 14, height: 14, 'aria-hidden': 'true', class: 'icon' }, svgEl('path', { d: ICONS[name], fill: 'currentColor' }));

export function createTimeline({ bar, panel, store, onHoverStep }) {
  const { actions } = store;
  let timer = null;
  let lastOutlineKey = '';

  const steps = () => store.get().build.result?.steps ?? [];
  const current = () => store.get().ui.step;

  function go(index) {
    const list = steps();
    if (!list.length) return;
    const i = Math.max(0, Math.min(list.length - 1, index));
    actions.setStep(i);
    announce(t('timeline.announce', { n: i + 1, total: list.length, instruction: list[i].instruction, status: t(`status.${list[i].status}`) }));
  }

  const api = {
    first: () => go(0),
    last: () => go(steps().length - 1),
    prev: () => go((current() ?? 0) - 1),
    next: () => go(current() === null ? 0 : current() + 1),
    togglePlay() { if (store.get().playing) api.pause(); else api.play(); },
    play() {
      const list = steps();
      if (!list.length) return;
      if (current() === null || current() >= list.length - 1) go(0);
      actions.setPlaying(true);
      timer = setInterval(() => {
        const i = (current() ?? -1) + 1;
        if (i >= steps().length) { api.pause(); return; }
        go(i);
        const s = steps()[i];
        const bps = store.get().ui.breakpoints;
        if (bps.some((line) => line >= s.line && line <= (s.endLine ?? s.line))) api.pause();
      }, PLAY_INTERVAL_MS);
    },
    pause() {
      clearInterval(timer);
      timer = null;
      if (store.get().playing) actions.setPlaying(false);
    },
  };

  // ---- the bar -----------------------------------------------------------------------
  const button = (id, icon, key, onclick) =>
    h('button', { type: 'button', class: 'icon-btn', id, 'data-key': key, onclick }, iconSvg(icon));
  const btnFirst = button('tl-first', 'first', 'timeline.first', api.first);
  const btnPrev = button('tl-prev', 'prev', 'timeline.prev', api.prev);
  const btnPlay = button('tl-play', 'play', 'timeline.play', api.togglePlay);
  const btnNext = button('tl-next', 'next', 'timeline.next', api.next);
  const btnLast = button('tl-last', 'last', 'timeline.last', api.last);
  const scrub = h('input', {
    type: 'range', id: 'tl-scrub', min: 0, max: 0, value: 0, step: 1,
    oninput: (e) => go(Number(e.target.value)),
  });
  const ticks = h('div', { class: 'tl-ticks', 'aria-hidden': 'true' });
  const label = h('span', { class: 'tl-label', id: 'tl-label' });
  bar.append(
    h('div', { class: 'tl-buttons', role: 'group' }, btnFirst, btnPrev, btnPlay, btnNext, btnLast),
    h('div', { class: 'tl-track' }, ticks, scrub),
    label,
  );

  function renderBar(state) {
    const list = steps();
    const has = list.length > 0;
    for (const b of [btnFirst, btnPrev, btnPlay, btnNext, btnLast]) {
      b.disabled = !has;
      const name = b === btnPlay && state.playing ? t('timeline.pause') : t(b.dataset.key);
      b.setAttribute('aria-label', name);
      b.title = `${name} (${t(`${b.dataset.key}.key`)})`;
    }
    btnPlay.replaceChildren(iconSvg(state.playing ? 'pause' : 'play'));
    btnPlay.setAttribute('aria-pressed', String(state.playing));
    scrub.disabled = !has;
    scrub.max = String(Math.max(0, list.length - 1));
    scrub.value = String(state.ui.step ?? 0);
    scrub.setAttribute('aria-label', t('timeline.scrub'));
    const i = state.ui.step;
    scrub.setAttribute('aria-valuetext', has && i !== null ? t('timeline.position', { n: i + 1, total: list.length }) : t('timeline.none'));
    setChildren(ticks, ...list.map((s, k) => h('span', {
      class: `tick status-${s.status}${k === i ? ' current' : ''}${state.ui.breakpoints.some((l) => l >= s.line && l <= (s.endLine ?? s.line)) ? ' bp' : ''}`,
      style: `left: ${list.length > 1 ? (k / (list.length - 1)) * 100 : 0}%`,
    })));
    if (!has) {
      label.textContent = timelineNote(state);
    } else if (i === null || !list[i]) {
      label.textContent = t('timeline.ready', { total: list.length });
    } else {
      label.textContent = `${t('timeline.position', { n: i + 1, total: list.length })} · ${t(`status.${list[i].status}`)}`;
    }
  }

  function timelineNote(state) {
    if (state.engine.status === 'loading') return t('engine.loading');
    if (!state.engine.capabilities.build) return t('build.unavailable.short');
    if (state.build.status === 'running') return t('build.running');
    if (state.build.status === 'error') return t('build.failed');
    return t('timeline.none');
  }

  // ---- the Build panel ---------------------------------------------------------------
  function renderPanel(state) {
    const result = state.build.result;
    if (!state.engine.capabilities.build) {
      setChildren(panel, unavailable(state), outline(state));
      return;
    }
    if (!result) {
      setChildren(panel, h('p', { class: 'empty' }, state.build.status === 'running' ? t('build.running') : state.build.error ? `${t('build.failed')}: ${state.build.error}` : t('build.hint')));
      return;
    }
    const i = state.ui.step;
    const targetName = typeof result.target === 'number'
      ? (result.stages?.find((st) => st.index === result.target)?.name ?? `${t('build.stage')} ${result.target}`)
      : (result.target ?? t('options.lastStage'));
    const summary = h('p', { class: 'build-summary', role: 'status' },
      !result.ok ? t('build.notOk')
        : (result.stages?.length ?? 0) > 1 ? t('build.ok', { builder: result.builder, target: targetName })
          : t('build.okSingle', { builder: result.builder }),
      result.image ? ` · ${t('image.total')} ${humanSize(result.image.size)}` : '');
    const error = result.error ? h('pre', { class: 'build-error' }, result.error) : null;
    const output = result.log?.length
      ? h('details', { class: 'build-log' }, h('summary', {}, t('build.output')), h('pre', { class: 'log' }, result.log.join('\n')))
      : null;
    const stageOf = (index) => result.stages?.find((st) => st.index === index);
    const multiStage = (result.stages?.length ?? 0) > 1;
    const stageHeader = (s, k) => {
      if (!multiStage || (k > 0 && result.steps[k - 1].stage === s.stage)) return null;
      const st = stageOf(s.stage);
      return h('li', { class: `stage-header${st?.skipped ? ' skipped' : ''}`, role: 'presentation' },
        `${t('build.stage')} ${s.stage}${st?.name ? ` (${st.name})` : ''}`, st?.skipped ? ` · ${t('stages.skipped')}` : '');
    };
    const list = h('ol', { class: 'step-list', 'aria-label': t('build.steps') },
      result.steps.map((s, k) => [stageHeader(s, k), h('li', {
        class: `step status-${s.status}${k === i ? ' current' : ''}`,
        'aria-current': k === i ? 'step' : false,
      },
      h('button', {
        type: 'button', class: 'step-btn', 'data-fk': `step-${k}`, onclick: () => go(k),
        onmouseenter: () => onHoverStep?.(s), onmouseleave: () => onHoverStep?.(null),
        onfocus: () => onHoverStep?.(s), onblur: () => onHoverStep?.(null),
      },
      h('span', { class: `badge status-${s.status}` }, t(`status.${s.status}`)),
      h('span', { class: 'step-line' }, `${t('build.line')} ${s.line}`),
      h('code', { class: 'step-instr' }, s.instruction),
      s.layer ? h('span', { class: 'step-size' }, s.layer.empty ? t('layer.empty') : humanSize(s.layer.size)) : h('span', { class: 'step-size muted' }, t('layer.none'))),
      s.cause ? h('p', { class: 'cause' }, `${t('build.cause')}: ${s.cause}`) : null)]));
    const detail = i !== null && result.steps[i] ? stepDetail(result.steps[i]) : null;
    const diags = result.diagnostics?.length
      ? h('ul', { class: 'build-diags' }, result.diagnostics.map((d) => h('li', { class: `sev-${d.severity}` },
        `${d.line}:${d.column} ${d.message}`, d.help ? h('div', { class: 'diag-help' }, d.help) : null)))
      : null;
    setChildren(panel, summary, error, diags, list, detail, output);
  }

  function stepDetail(step) {
    const changes = step.layer?.changes ?? [];
    return h('section', { class: 'step-detail', 'aria-label': t('build.detail') },
      h('h3', {}, step.instruction),
      step.log?.length ? h('pre', { class: 'log' }, step.log.join('\n')) : null,
      step.layer ? h('p', {}, `${t('layer.diffId')}: `, h('code', {}, step.layer.diffId)) : null,
      changes.length
        ? h('ul', { class: 'changes' }, changes.map((c) => h('li', { class: `change-${c.kind}` },
          h('span', { class: 'change-kind' }, t(`change.${c.kind}`)), ' ', h('code', {}, c.path), ' ', h('span', { class: 'muted' }, humanSize(c.size)))))
        : step.layer ? h('p', { class: 'muted' }, t('layer.noChanges')) : null,
      step.layer?.changesTotal > changes.length ? h('p', { class: 'muted' }, t('layer.moreChanges', { n: step.layer.changesTotal - changes.length })) : null);
  }

  function unavailable(state) {
    return h('p', { class: 'unavailable', role: 'note' }, state.engine.status === 'loading' ? t('engine.loading') : t('build.unavailable'));
  }

  function outline(state) {
    const items = state.analysis?.instructions ?? [];
    if (!items.length) return null;
    return h('section', { class: 'outline' },
      h('h3', {}, t('build.outline')),
      h('ol', { class: 'outline-list' }, items.map((i) => h('li', {}, h('span', { class: 'step-line' }, `${t('build.line')} ${i.startLine}`), ' ', h('code', {}, i.keyword)))));
  }

  return {
    ...api,
    render(state, prev) {
      // While typing, only a changed outline (not every analysis) redraws the panel.
      const outlineKey = (state.analysis?.instructions ?? []).map((i) => `${i.startLine}${i.keyword}`).join();
      const outlineChanged = outlineKey !== lastOutlineKey;
      lastOutlineKey = outlineKey;
      if (!prev || state.build !== prev.build || state.ui !== prev.ui || state.playing !== prev.playing || state.engine !== prev.engine || state.lang !== prev.lang || (outlineChanged && !state.engine.capabilities.build)) {
        renderBar(state);
        keepFocus(panel, () => renderPanel(state));
      }
      if (prev && state.build.result !== prev.build.result) api.pause();
    },
  };
}
