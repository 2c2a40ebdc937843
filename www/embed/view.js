// The interactive part of <dockerfile-playground>, loaded as its own chunk when the element
// first scrolls into view. It reuses the page's state store and views (editor, build
// context tabs, timeline, layers, files, image history, stages, console) inside the
// element's shadow root, and drives them like the page does (main.js) with less chrome:
// analyse on every edit, build 350 ms after the last edit, replay steps on the timeline.
//
// Several elements share one worker through hub.js; each has its own engine session.
// The page's i18n is one global language, so every render of an element first switches
// it to that element's `lang`, and so does every engine answer it receives (the Files tree
// and the console draw after an answer), so a page can mix languages.
import { EditorState, StateField, Prec, StateEffect } from '@codemirror/state';
import { EditorView, tooltips } from '@codemirror/view';
import { openLintPanel } from '@codemirror/lint';
import { createState, activeText, normalizeDoc, PANELS } from '../state.js';
import { encodeLink } from '../url.js';
import { t, setLang } from '../i18n/index.js';
import { h, setChildren } from '../ui/dom.js';
import { createEditor } from '../ui/editor.js';
import { createContext } from '../ui/context.js';
import { createTimeline } from '../ui/timeline.js';
import { createStack } from '../ui/stack.js';
import { createFileTree } from '../ui/filetree.js';
import { createImageView } from '../ui/image.js';
import { createStages } from '../ui/stages.js';
import { createConsole } from '../ui/console.js';
import { humanSize } from '../format.js';
import { currentDiagnostics, problemsButton } from '../problems.js';
import pageCss from '../style.css';
import componentCss from './component.css';
import { VIEWS, parseViews, parseStep } from './config.js';
import { words, pickLang } from './strings.js';

const BUILD_DEBOUNCE_MS = 350;

/** The page stylesheet with its :root rules moved onto the element (:host). */
export function hostCss(css) {
  return css
    .replace(/:root\[data-theme="auto"\]/g, ':host(:not([theme="light"]):not([theme="dark"]))')
    .replace(/:root\[data-theme="(\w+)"\]/g, ':host([theme="$1"])')
    .replace(/:root\b/g, ':host');
}

let sheets = null;
function styleSheets() {
  if (!sheets) {
    sheets = [pageCss, componentCss].map((css) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(hostCss(css));
      return sheet;
    });
  }
  return sheets;
}

/** Marks an editor state that already carries the element's own editor settings. */
const embedded = StateField.define({ create: () => true, update: (v) => v });

export function mountPlayground({ host, root, doc: markup, session, playgroundUrl, onReady }) {
  const attr = (name) => host.getAttribute(name);
  const langOf = () => pickLang(attr('lang') || host.closest('[lang]')?.getAttribute('lang') || navigator.language);
  const isReadonly = () => host.hasAttribute('readonly');
  let views = parseViews(attr('views'));

  const original = normalizeDoc({
    dockerfile: markup.dockerfile,
    files: markup.files,
    options: {
      builder: attr('builder') === 'legacy' ? 'legacy' : 'buildkit',
      target: attr('target') ?? '',
      buildArgs: markup.buildArgs ?? [],
      noCache: host.hasAttribute('no-cache'),
    },
  });
  const firstPanel = () => VIEWS[attr('view')] ?? VIEWS[views[0]];
  const store = createState({
    doc: original,
    ui: { panel: firstPanel(), step: parseStep(attr('step')), exampleCommands: markup.commands },
    lang: langOf(),
    theme: attr('theme') ?? 'auto',
  });
  const { actions } = store;
  // The views' code that runs after an engine answer (the Files tree, the console) speaks
  // this element's language: switch to it as the answer arrives.
  const speak = () => setLang(store.get().lang);
  const request = (type, data) => session.request(type, data).then(
    (answer) => { speak(); return answer; },
    (error) => { speak(); throw error; },
  );

  // ---- DOM ---------------------------------------------------------------------------
  root.adoptedStyleSheets = styleSheets();
  const $ = {};
  const el = (key, tag, attrs = {}, ...children) => ($[key] = h(tag, attrs, ...children));
  const tooltipLayer = h('div', { class: 'dp-tooltips' });
  const frame = h('div', { class: 'dp', part: 'root' },
    h('div', { class: 'dp-main' },
      h('section', { class: 'pane left' },
        el('tabs', 'div', { class: 'context-tabs' }),
        el('editor', 'div', { class: 'editor', id: 'editor', role: 'tabpanel' }),
        h('div', { class: 'status-line' },
          el('problems', 'button', { type: 'button', class: 'link-btn', onclick: () => openLintPanel(editor.view) }),
          el('badge', 'span', { class: 'dp-badge' })),
        el('optionsBox', 'details', { class: 'options-box' },
          el('optionsTitle', 'summary', {}),
          el('optionsLock', 'fieldset', { class: 'dp-options-lock' }, el('options', 'div', { id: 'options' })))),
      h('section', { class: 'pane right' },
        el('timeline', 'div', { class: 'timeline', role: 'toolbar' }),
        el('panelTabs', 'div', { class: 'panel-tabs', role: 'tablist' }),
        ...PANELS.map((p) => el(`panel-${p}`, 'div', {
          class: `panel${p === 'console' ? ' console' : ''}`, id: `panel-${p}`, role: 'tabpanel',
          'aria-labelledby': `tab-${p}`, tabindex: p === 'console' ? false : 0, hidden: true,
        })))),
    h('footer', { class: 'dp-footer' },
      el('engine', 'span', { class: 'dp-engine' }),
      h('span', { class: 'spacer' }),
      el('reset', 'button', { type: 'button', class: 'small-btn', hidden: true, onclick: () => reset() }),
      el('open', 'a', { target: '_blank', rel: 'noopener', hidden: true })),
    tooltipLayer);
  root.replaceChildren(frame);

  // ---- views -------------------------------------------------------------------------
  let stack = null;
  const editor = createEditor($.editor, {
    onChange(key, text) {
      if (isReadonly()) return;
      if (key === null) actions.setDockerfile(text);
      else actions.setFileText(key, text);
    },
    onEarlyText: (text) => requestAnalysis(text),
    onToggleBreakpoint: (line) => actions.toggleBreakpoint(line),
    onHoverLine: (line) => stack?.setHoverLine(line),
    onBuild: () => scheduleBuild(0),
    onCursorLine: () => {},
  });
  const context = createContext({ tabs: $.tabs, options: $.options, store });
  const timeline = createTimeline({
    bar: $.timeline, panel: $['panel-build'], store,
    onHoverStep: (step) => editor.setHoverLines(step ? { start: step.line, end: step.endLine ?? step.line } : null),
  });
  stack = createStack({ panel: $['panel-layers'], store, onHoverLines: (lines) => editor.setHoverLines(lines) });
  const files = createFileTree({ panel: $['panel-files'], store, request });
  const image = createImageView({ panel: $['panel-image'], store });
  const stages = createStages({ panel: $['panel-stages'], store });
  const terminal = createConsole({ panel: $['panel-console'], store, request, onRan: refreshInventory });
  const allViews = [context, timeline, stack, files, image, stages, terminal];

  // The element's own editor settings: tooltips inside the shadow root (bounded by the
  // element), and no editing when read-only. Applied to each file's editor state once.
  function configureEditor() {
    const view = editor.view;
    if (view.state.field(embedded, false)) return;
    const readonly = isReadonly();
    view.dispatch({
      effects: StateEffect.appendConfig.of([
        embedded,
        Prec.highest(tooltips({ parent: tooltipLayer, tooltipSpace: () => host.getBoundingClientRect() })),
        EditorState.readOnly.of(readonly),
        EditorView.editable.of(!readonly),
      ]),
    });
  }
  function showEditor(state) {
    editor.show(state.ui.activeFile, activeText(state));
    configureEditor();
  }

  // ---- engine ------------------------------------------------------------------------
  let firstBuildDone = false;
  let prebuilt = false;
  session.on('ready', (info) => {
    if (!performance.getEntriesByName('dp:engine-ready').length) performance.mark('dp:engine-ready');
    actions.setEngine({ status: 'ready', version: info.engineVersion, capabilities: info.capabilities, restarts: info.restarts });
    requestAnalysis();
    scheduleBuild(0);
  });
  session.on('restart', ({ restarts }) => {
    analysisInFlight = false;
    pendingText = null;
    prebuilt = false;
    actions.setEngine({ status: 'restarting', restarts });
  });

  let analysisInFlight = false;
  let pendingText = null;
  function requestAnalysis(text = store.get().doc.dockerfile) {
    if (store.get().engine.status !== 'ready') return;
    if (analysisInFlight) { pendingText = text; return; }
    if (store.get().analysis?.text === text) return;
    analysisInFlight = true;
    request('analyze', { text }).then((r) => {
      if (!r.stale && text === store.get().doc.dockerfile) actions.setAnalysis({ ...r.value, text });
    }, () => {}).finally(() => {
      analysisInFlight = false;
      const now = store.get().doc.dockerfile;
      pendingText = null;
      if (store.get().analysis?.text !== now) requestAnalysis(now);
    });
  }

  let buildTimer = null;
  function scheduleBuild(delay = BUILD_DEBOUNCE_MS) {
    clearTimeout(buildTimer);
    const state = store.get();
    if (state.engine.status !== 'ready') return;
    if (!state.engine.capabilities.build) { finishFirst(); return; }
    buildTimer = setTimeout(runBuild, delay);
  }

  function buildOptions(doc, tag) {
    return {
      builder: doc.options.builder,
      target: doc.options.target || null,
      buildArgs: Object.fromEntries(doc.options.buildArgs.filter((a) => a.key).map((a) => [a.key, a.value])),
      noCache: doc.options.noCache,
      tag,
    };
  }

  async function prebuild() {
    // Images the markup asks for (data-image) are built first, in this session, so the
    // main Dockerfile can use them (FROM, COPY --from) and the Layers panel can compare.
    for (const img of markup.images) {
      await request('build', { dockerfile: img.dockerfile, files: {}, options: { builder: 'buildkit', target: null, buildArgs: {}, noCache: false, tag: img.tag } }).catch(() => null);
    }
    prebuilt = true;
  }

  async function runBuild() {
    const { doc } = store.get();
    actions.setBuild({ status: 'running' });
    try {
      if (!prebuilt) await prebuild();
      const filesMap = Object.fromEntries(doc.files.map((f) => [f.path, f.text]));
      const r = await request('build', { dockerfile: doc.dockerfile, files: filesMap, options: buildOptions(doc, attr('tag') || 'playground') });
      if (r.stale) return;
      const result = r.value;
      const n = result.steps?.length ?? 0;
      const step = store.get().ui.step;
      // Without a chosen step, start at the last step that was built: with --target the
      // last steps of the file are skipped ones.
      const lastBuilt = (result.steps ?? []).findLastIndex((x) => x.status !== 'skipped');
      actions.finishBuild({ status: 'done', result, error: null, forText: doc.dockerfile, forFiles: doc.files, forOptions: doc.options },
        n === 0 ? null : step === null ? (lastBuilt >= 0 ? lastBuilt : n - 1) : Math.min(step, n - 1));
      emit('built', summary(result));
      refreshInventory();
      finishFirst();
    } catch (error) {
      actions.setBuild({ status: 'error', error: error.message });
      finishFirst();
    }
  }

  async function finishFirst() {
    if (firstBuildDone) return;
    firstBuildDone = true;
    onReady?.();
    emit('ready', { engineVersion: store.get().engine.version, capabilities: store.get().engine.capabilities });
    if (markup.runCommands && store.get().engine.capabilities.docker) {
      for (const line of markup.commands) await terminal.run(line);
    }
  }

  function refreshInventory() {
    if (!store.get().engine.capabilities.inventory) return;
    request('inventory', {}).then((r) => actions.setInventory(r.value), () => {});
  }

  function summary(result) {
    return {
      ok: Boolean(result.ok),
      builder: result.builder,
      error: result.error ?? null,
      steps: result.steps?.length ?? 0,
      image: result.image ? { id: result.image.id, size: result.image.size, layers: result.image.layers?.length ?? 0 } : null,
    };
  }

  function emit(type, detail) {
    host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // ---- render ------------------------------------------------------------------------
  let lastStepKey = null;
  function render(state, prev) {
    setLang(state.lang);
    const w = words(state.lang);
    if (!prev || state.doc.dockerfile !== prev.doc.dockerfile) requestAnalysis();
    if (!prev || state.lang !== prev.lang) {
      if (prev) editor.reset();
      renderChrome(state, w);
    }
    const fileChanged = !prev || state.ui.activeFile !== prev.ui.activeFile || state.lang !== prev.lang;
    if (!prev || state.doc !== prev.doc || fileChanged) {
      showEditor(state);
      if (fileChanged) { applyAnalysis(state); applyStep(state); editor.setBreakpoints(state.ui.breakpoints); }
    }
    if (prev && state.doc !== prev.doc) scheduleBuild();
    if (!prev || state.analysis !== prev.analysis || state.build.result !== prev.build.result || state.lang !== prev.lang) applyAnalysis(state);
    if (!prev || state.ui.step !== prev.ui.step || state.build.result !== prev.build.result) applyStep(state);
    if (!prev || state.ui.breakpoints !== prev.ui.breakpoints) editor.setBreakpoints(state.ui.breakpoints);
    if (!prev || state.ui.panel !== prev.ui.panel || state.lang !== prev.lang) renderPanels(state);
    if (!prev || state.engine !== prev.engine || state.lang !== prev.lang || state.build !== prev.build) renderFooter(state, w);
    if (!prev || state.revision !== prev.revision || state.lang !== prev.lang) renderReset(state, w);
    for (const v of allViews) v.render(state, prev);
    emitStep(state);
  }

  function renderChrome(state, w) {
    $.optionsTitle.textContent = t('options.title');
    $.editor.setAttribute('aria-label', t('editor.dockerfile'));
    $.timeline.setAttribute('aria-label', t('timeline.label'));
    $.panelTabs.setAttribute('aria-label', t('panels.label'));
    renderTabs();
    renderLock(w);
    $.open.textContent = `${w.open} ↗`;
    $.reset.textContent = w.reset;
    $.reset.title = w.resetTitle;
  }

  function renderLock(w = words(store.get().lang)) {
    const readonly = isReadonly();
    $.optionsLock.disabled = readonly;
    $.badge.hidden = !readonly;
    $.badge.textContent = w.readonly;
  }

  function renderTabs() {
    const names = { build: 'panels.build', layers: 'panels.layers', files: 'panels.files', image: 'panels.image', stages: 'panels.stages', console: 'panels.console' };
    const panels = views.map((v) => VIEWS[v]);
    setChildren($.panelTabs, panels.map((p) => h('button', {
      type: 'button', role: 'tab', id: `tab-${p}`, 'aria-controls': `panel-${p}`, 'data-panel': p,
      onclick: () => actions.setPanel(p),
      onkeydown: (event) => {
        const all = [...$.panelTabs.querySelectorAll('[role="tab"]')];
        const i = all.findIndex((b) => b.dataset.panel === p);
        const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 };
        if (!(event.key in moves)) return;
        event.preventDefault();
        const next = all[(moves[event.key] + all.length) % all.length];
        next.focus();
        actions.setPanel(next.dataset.panel);
      },
    }, t(names[p]))));
    $.panelTabs.hidden = panels.length < 2;
  }

  function renderPanels(state) {
    const shown = views.map((v) => VIEWS[v]);
    const panel = shown.includes(state.ui.panel) ? state.ui.panel : shown[0];
    for (const tab of $.panelTabs.querySelectorAll('[role="tab"]')) {
      const selected = tab.dataset.panel === panel;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      tab.textContent = t(`panels.${tab.dataset.panel}`);
    }
    for (const p of PANELS) $[`panel-${p}`].hidden = p !== panel;
  }

  function applyAnalysis(state) {
    const a = state.analysis;
    const list = currentDiagnostics(state);
    editor.setDiagnostics(list);
    editor.setOutline(a?.instructions ?? []);
    // The same counts and words as the page's status line (main.js).
    const btn = $.problems;
    const { label, className } = problemsButton(list, !a);
    btn.textContent = label;
    btn.className = className;
    btn.disabled = !list.length;
    if (a) $.editor.dataset.analysisCurrent = String(a.text === state.doc.dockerfile);
  }

  function applyStep(state) {
    const step = state.build.result?.steps[state.ui.step ?? -1];
    editor.setStepLines(step ? { start: step.line, end: step.endLine ?? step.line } : null);
    if (step) editor.revealLine(step.line);
  }

  function renderFooter(state) {
    const e = state.engine;
    const result = state.build.result;
    let text;
    if (e.status !== 'ready') text = t(`engine.${e.status}`);
    else if (!e.capabilities.build) text = t('build.unavailable.short');
    else if (state.build.status === 'running' && !result) text = t('build.running');
    else if (result?.image) text = `${result.builder === 'legacy' ? words(state.lang).legacy : 'BuildKit'} · ${humanSize(result.image.size)}`;
    else if (result && !result.ok) text = t('build.notOk');
    else text = '';
    $.engine.textContent = text;
    const url = attr('playground') || playgroundUrl;
    $.open.hidden = !url;
  }

  function renderReset(state) {
    $.reset.hidden = isReadonly() || state.revision === 0;
  }

  function emitStep(state) {
    const result = state.build.result;
    const i = state.ui.step;
    const step = result?.steps?.[i ?? -1];
    const key = step ? `${i}/${result.steps.length}/${step.instruction}` : null;
    if (key === lastStepKey) return;
    lastStepKey = key;
    if (step) emit('stepchanged', { step: i + 1, total: result.steps.length, instruction: step.instruction, line: step.line, status: step.status });
  }

  store.subscribe(render);
  render(store.get(), null);

  // "Open in the playground": a share link of the current state, made when it is used.
  $.open.addEventListener('pointerdown', updateOpenLink);
  $.open.addEventListener('focus', updateOpenLink);
  async function updateOpenLink() {
    const base = attr('playground') || playgroundUrl;
    if (!base) return;
    const url = new URL(base, document.baseURI);
    url.hash = (await encodeLink(store.get())).slice(1);
    $.open.href = url.href;
  }
  updateOpenLink();

  // Keyboard: Alt+arrows step through the build from anywhere in the element.
  frame.addEventListener('keydown', (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const keys = { ArrowRight: timeline.next, ArrowLeft: timeline.prev, Home: timeline.first, End: timeline.last };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });

  function reset() {
    actions.loadDoc(original, { panel: store.get().ui.panel, exampleCommands: markup.commands });
  }

  let suspended = false;
  return {
    suspend() {
      if (suspended) return;
      suspended = true;
      clearTimeout(buildTimer);
      session.release();
    },
    resume() {
      if (!suspended) return;
      suspended = false;
      // The worker forgot this session: build the prebuilt images and the Dockerfile again.
      prebuilt = false;
      scheduleBuild(0);
    },
    setDockerfile(text) {
      actions.setDockerfile(text);
      if (store.get().ui.activeFile !== null) actions.selectFile(null);
    },
    setFiles(list) {
      const doc = store.get().doc;
      actions.loadDoc({ ...doc, files: list }, { ...store.get().ui, activeFile: null });
    },
    goToStep(n) {
      const steps = store.get().build.result?.steps ?? [];
      if (Number.isNaN(n)) return;
      const i = n === Infinity ? (steps.length || 1) - 1 : Math.trunc(n) - 1;
      if (!steps.length) { actions.setStep(i >= 0 ? i : null); return; }
      actions.setStep(Math.max(0, Math.min(steps.length - 1, i)));
    },
    getState() {
      const s = store.get();
      return {
        dockerfile: s.doc.dockerfile,
        files: s.doc.files.map((f) => ({ ...f })),
        options: { ...s.doc.options, buildArgs: s.doc.options.buildArgs.map((a) => ({ ...a })) },
        step: s.ui.step === null ? null : s.ui.step + 1,
        build: s.build.result ? summary(s.build.result) : null,
      };
    },
    attributeChanged(name) {
      const s = store.get();
      if (name === 'lang') actions.setLang(langOf());
      else if (name === 'theme') actions.setTheme(attr('theme') ?? 'auto');
      else if (name === 'step') { const i = parseStep(attr('step')); this.goToStep(i === null ? Infinity : i + 1); }
      else if (name === 'view') actions.setPanel(firstPanel());
      else if (name === 'views') { views = parseViews(attr('views')); renderTabs(); renderPanels(store.get()); }
      else if (name === 'target') actions.setOption('target', attr('target') ?? '');
      else if (name === 'builder') actions.setOption('builder', attr('builder') === 'legacy' ? 'legacy' : 'buildkit');
      else if (name === 'readonly') { editor.reset(); showEditor(s); renderLock(); renderReset(s); }
      else if (name === 'playground') { renderFooter(s); updateOpenLink(); }
    },
  };
}
