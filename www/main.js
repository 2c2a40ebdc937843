// Boots the page: restores the document (share link → saved work → default example), starts
// the engine worker, creates the views and wires state, engine and views together. Views
// render from the single state (state.js); engine answers come back through client.js.
import { createState, activeText, normalizeDoc, PANELS } from './state.js';
import { createEngineClient } from './client.js';
import { encodeLink, decodeLink } from './url.js';
import { loadWork, saveWork, pushPrevious, loadPrevious, loadPrefs, savePrefs, sameDoc } from './storage.js';
import { EXAMPLES, DEFAULT_EXAMPLE_ID, exampleDoc } from './examples.js';
import { t, setLang, detectLang, applyStatic, LANGS } from './i18n/index.js';
import { currentDiagnostics, problemsButton } from './problems.js';
import { contextTar, dockerCommands, toMarkdown, IMAGE_TAG } from './export.js';
import { h, announce, setChildren } from './ui/dom.js';
import { createEditor } from './ui/editor.js';
import { createContext } from './ui/context.js';
import { createTimeline } from './ui/timeline.js';
import { createStack } from './ui/stack.js';
import { createFileTree } from './ui/filetree.js';
import { createImageView } from './ui/image.js';
import { createStages } from './ui/stages.js';
import { createConsole } from './ui/console.js';
import { mountEmbedButton } from './embed/embed-button.js';

const $ = (id) => document.getElementById(id);
const BUILD_DEBOUNCE_MS = 350;
const SAVE_DEBOUNCE_MS = 250;

// ---- restore ---------------------------------------------------------------------------
const prefs = loadPrefs();
const lang = LANGS.some((l) => l.code === prefs.lang) ? prefs.lang : detectLang(navigator.languages ?? [navigator.language]);
setLang(lang);

const saved = loadWork();
let initial = null;
let startNotice = null;
let fromLink = false;
try {
  const link = await decodeLink(location.hash);
  if (link) {
    initial = link;
    fromLink = true;
    if (saved && !sameDoc(normalizeDoc(saved.doc), normalizeDoc(link.doc))) {
      pushPrevious(saved);
      startNotice = { kind: 'info', key: 'notice.linkOpened', action: 'restorePrevious' };
    }
  }
} catch (error) {
  startNotice = { kind: 'error', key: 'notice.linkBroken', params: { reason: error.message } };
}
if (!initial) initial = saved ?? { doc: exampleDoc(DEFAULT_EXAMPLE_ID), ui: { exampleId: DEFAULT_EXAMPLE_ID } };

const startExample = EXAMPLES.find((e) => e.id === initial.ui?.exampleId);
const store = createState({
  doc: initial.doc,
  ui: { ...sanitizeUi(initial.ui), exampleCommands: startExample?.commands ?? [] },
  lang,
  theme: prefs.theme ?? 'auto',
});
const { actions } = store;
if (startNotice) actions.setNotice(startNotice);

function sanitizeUi(ui = {}) {
  return {
    step: Number.isInteger(ui.step) ? ui.step : null,
    panel: PANELS.includes(ui.panel) ? ui.panel : 'build',
    activeFile: typeof ui.activeFile === 'string' ? ui.activeFile : null,
    breakpoints: Array.isArray(ui.breakpoints) ? ui.breakpoints : [],
    exampleId: typeof ui.exampleId === 'string' ? ui.exampleId : null,
  };
}

// ---- engine ----------------------------------------------------------------------------
const client = createEngineClient();
const request = (type, data) => client.request(type, data);

// Two workers (client.js): "analysis" answers analyze, "engine" everything else.
let analyzerReady = false;
client.on('ready', (info) => {
  if (info.channel === 'analysis') {
    analyzerReady = true;
    requestAnalysis();
    return;
  }
  actions.setEngine({ status: 'ready', version: info.engineVersion, capabilities: info.capabilities, restarts: info.restarts });
  scheduleBuild(0);
});
client.on('restart', ({ reason, restarts, channel }) => {
  if (channel === 'analysis') {
    analyzerReady = false;
    analysisInFlight = false;
    lastSentText = null;
    pendingText = null;
  } else {
    buildInFlight = false;
    actions.setEngine({ status: 'restarting', restarts });
  }
  actions.setNotice({ kind: 'warning', key: 'notice.restarted', params: { reason } });
});

// At most one analyze is in flight; the newest text waits for it (coalescing). The answer
// is used only if it is for the text the page has when it arrives.
let analysisInFlight = false;
let pendingText = null;
let analysisRev = 0;
let lastSentText = null;
function requestAnalysis(text = store.get().doc.dockerfile) {
  if (!analyzerReady) return;
  if (analysisInFlight) { if (text !== lastSentText) pendingText = text; return; }
  if (text === lastSentText && store.get().analysis?.text === text) return;
  analysisInFlight = true;
  lastSentText = text;
  request('analyze', { text }).then((r) => {
    if (!r.stale && text === store.get().doc.dockerfile) actions.setAnalysis({ ...r.value, text });
  }, () => {}).finally(() => {
    analysisInFlight = false;
    const next = pendingText;
    pendingText = null;
    const now = store.get().doc.dockerfile;
    if (next === now || store.get().analysis?.text !== now) requestAnalysis(now);
  });
}

let buildTimer = null;
let buildInFlight = false;
function scheduleBuild(delay = BUILD_DEBOUNCE_MS) {
  clearTimeout(buildTimer);
  if (!store.get().engine.capabilities.build) return;
  buildTimer = setTimeout(runBuild, delay);
}
async function runBuild() {
  const state = store.get();
  if (!state.engine.capabilities.build) return;
  const { doc } = state;
  const files = Object.fromEntries(doc.files.map((f) => [f.path, f.text]));
  const options = {
    builder: doc.options.builder,
    target: doc.options.target || null,
    buildArgs: Object.fromEntries(doc.options.buildArgs.filter((a) => a.key).map((a) => [a.key, a.value])),
    noCache: doc.options.noCache,
    tag: IMAGE_TAG,
  };
  buildInFlight = true;
  actions.setBuild({ status: 'running' });
  try {
    const r = await request('build', { dockerfile: doc.dockerfile, files, options });
    if (r.stale) return;
    const result = r.value;
    const n = result.steps?.length ?? 0;
    const step = store.get().ui.step;
    actions.finishBuild(
      { status: 'done', result, error: null, forText: doc.dockerfile, forFiles: doc.files, forOptions: doc.options },
      n === 0 ? null : step === null ? n - 1 : Math.min(step, n - 1),
    );
    refreshInventory();
  } catch (error) {
    actions.setBuild({ status: 'error', error: error.message });
  } finally {
    buildInFlight = false;
  }
}
function refreshInventory() {
  if (!store.get().engine.capabilities.inventory) return;
  request('inventory', {}).then((r) => actions.setInventory(r.value), () => {});
}

// ---- views -----------------------------------------------------------------------------
const editor = createEditor($('editor'), {
  onChange(key, text) {
    if (key === null) actions.setDockerfile(text);
    else actions.setFileText(key, text);
  },
  onEarlyText: (text) => requestAnalysis(text),
  onToggleBreakpoint: (line) => actions.toggleBreakpoint(line),
  onHoverLine: (line) => stack.setHoverLine(line),
  onBuild: () => buildNow(),
  onCursorLine: (line) => {
    const text = t('status.line', { line });
    if ($('cursor-pos').textContent !== text) $('cursor-pos').textContent = text;
  },
});
const context = createContext({ tabs: $('context-tabs'), options: $('options'), store });
const timeline = createTimeline({
  bar: $('timeline'), panel: $('panel-build'), store,
  onHoverStep: (step) => editor.setHoverLines(step ? { start: step.line, end: step.endLine ?? step.line } : null),
});
const stack = createStack({ panel: $('panel-layers'), store, onHoverLines: (lines) => editor.setHoverLines(lines) });
const files = createFileTree({ panel: $('panel-files'), store, request });
const image = createImageView({ panel: $('panel-image'), store });
const stages = createStages({ panel: $('panel-stages'), store });
const terminal = createConsole({ panel: $('panel-console'), store, request, onRan: refreshInventory });
const views = [context, timeline, stack, files, image, stages, terminal];

function buildNow() {
  if (!store.get().engine.capabilities.build) {
    actions.setNotice({ kind: 'info', key: 'build.unavailable' });
    return;
  }
  scheduleBuild(0);
}

// ---- render ----------------------------------------------------------------------------
function render(state, prev) {
  // First, so the engine works while the page renders the keystroke.
  if (!prev || state.doc.dockerfile !== prev.doc.dockerfile) requestAnalysis();
  if (!prev || state.lang !== prev.lang) {
    setLang(state.lang);
    document.documentElement.lang = state.lang;
    document.title = t('app.title');
    applyStatic(document);
    renderExamples(state);
    renderShortcuts();
    $('lang-select').value = state.lang;
    if (prev) { editor.reset(); }
  }
  if (!prev || state.theme !== prev.theme) {
    document.documentElement.dataset.theme = state.theme;
    $('theme-btn').setAttribute('aria-label', `${t('actions.theme')}: ${t(`theme.${state.theme}`)}`);
  }
  const docChanged = !prev || state.doc !== prev.doc;
  const editorPrev = !prev || state.ui.activeFile !== prev.ui.activeFile || state.lang !== prev.lang;
  if (docChanged || editorPrev) {
    editor.show(state.ui.activeFile, activeText(state));
    if (editorPrev) reapplyEditorMarks(state);
  }
  if (prev && state.doc !== prev.doc) {
    scheduleBuild();
    if (fromLink && state.revision !== prev.revision) {
      fromLink = false;
      history.replaceState(null, '', location.pathname + location.search);
    }
  }
  if (!prev || state.analysis !== prev.analysis || state.build.result !== prev.build.result) applyAnalysis(state);
  if (!prev || state.ui.step !== prev.ui.step || state.build.result !== prev.build.result) applyStep(state);
  if (!prev || state.ui.breakpoints !== prev.ui.breakpoints) editor.setBreakpoints(state.ui.breakpoints);
  if (!prev || state.ui.panel !== prev.ui.panel || state.lang !== prev.lang) renderPanels(state);
  if (!prev || state.engine !== prev.engine || state.lang !== prev.lang) renderEngine(state);
  if (!prev || state.notice !== prev.notice || state.lang !== prev.lang) renderNotice(state);
  for (const v of views) v.render(state, prev);
  // For tests and the benchmark: whether the shown diagnostics belong to the current text.
  const current = String(state.analysis?.text === state.doc.dockerfile);
  if ($('editor').dataset.analysisCurrent !== current) $('editor').dataset.analysisCurrent = current;
  const built = String(!state.engine.capabilities.build || (state.build.status === 'done' && state.build.forText === state.doc.dockerfile && state.build.forFiles === state.doc.files && state.build.forOptions === state.doc.options));
  if ($('editor').dataset.buildCurrent !== built) $('editor').dataset.buildCurrent = built;
  if (prev && (state.doc !== prev.doc || state.ui !== prev.ui)) scheduleSave();
}

function reapplyEditorMarks(state) {
  applyAnalysis(state);
  applyStep(state);
  editor.setBreakpoints(state.ui.breakpoints);
}

function applyAnalysis(state) {
  const a = state.analysis;
  const list = currentDiagnostics(state);
  editor.setDiagnostics(list);
  editor.setOutline(a?.instructions ?? []);
  const btn = $('problems-btn');
  const { label, className } = problemsButton(list, !a);
  if (btn.textContent !== label) btn.textContent = label;
  if (btn.className !== className) btn.className = className;
  btn.disabled = !list.length;
  if (a) $('editor').dataset.analysisRev = String(++analysisRev);
}

function applyStep(state) {
  const step = state.build.result?.steps[state.ui.step ?? -1];
  editor.setStepLines(step ? { start: step.line, end: step.endLine ?? step.line } : null);
  if (step) editor.revealLine(step.line);
}

function renderPanels(state) {
  for (const tab of document.querySelectorAll('#panel-tabs [role="tab"]')) {
    const selected = tab.dataset.panel === state.ui.panel;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`panel-${tab.dataset.panel}`).hidden = !selected;
  }
}

function renderEngine(state) {
  $('engine-version').textContent = state.engine.version ?? '…';
  const status = state.engine.status === 'ready'
    ? (state.engine.capabilities.build ? '' : t('engine.checkOnly'))
    : t(`engine.${state.engine.status}`);
  $('engine-status').textContent = status;
  const buildBtn = $('build-btn');
  buildBtn.setAttribute('aria-disabled', String(!state.engine.capabilities.build));
  buildBtn.title = state.engine.capabilities.build ? t('actions.buildTitle') : t('build.unavailable.short');
  const badge = $('fixture-badge');
  badge.hidden = !state.engine.capabilities.fixture;
  badge.textContent = t('engine.fixture');
}

function renderNotice(state) {
  const box = $('notice');
  const n = state.notice;
  box.hidden = !n;
  if (!n) { setChildren(box); return; }
  box.className = `notice ${n.kind ?? 'info'}`;
  const action = n.action === 'restorePrevious' && loadPrevious().length
    ? h('button', { type: 'button', id: 'restore-previous', onclick: restorePrevious }, t('notice.restore'))
    : null;
  // Plain confirmations go away by themselves; errors, warnings and offers stay.
  if ((n.kind ?? 'info') === 'info' && !n.action) setTimeout(() => { if (store.get().notice === n) actions.setNotice(null); }, 6000);
  setChildren(box, h('span', {}, t(n.key, n.params ?? {})), action,
    h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('actions.dismiss'), onclick: () => actions.setNotice(null) }, '✕'));
}

function restorePrevious() {
  const [previous] = loadPrevious();
  if (!previous) return;
  pushPrevious({ doc: store.get().doc, ui: store.get().ui });
  actions.loadDoc(previous.doc, sanitizeUi(previous.ui));
  actions.setNotice({ kind: 'info', key: 'notice.restored' });
}

function renderExamples(state) {
  const select = $('example-select');
  setChildren(select, 
    h('option', { value: '' }, t('examples.choose')),
    ...EXAMPLES.map((e) => h('option', { value: e.id, selected: e.id === state.ui.exampleId }, e.title[state.lang] ?? e.title.en)));
  select.setAttribute('aria-label', t('examples.label'));
}

const SHORTCUTS = [
  ['Ctrl/⌘ + Enter', 'shortcut.build'],
  ['Alt + → / Alt + ←', 'shortcut.step'],
  ['Alt + Home / Alt + End', 'shortcut.firstLast'],
  ['Alt + P', 'shortcut.play'],
  ['F9', 'shortcut.breakpoint'],
  ['Alt + 1 … 6', 'shortcut.panels'],
  ['Alt + E', 'shortcut.editor'],
  ['Ctrl/⌘ + Shift + C', 'shortcut.share'],
  ['→ ← Home End Space', 'shortcut.outside'],
  ['Ctrl/⌘ + F', 'shortcut.search'],
  ['Ctrl + Shift + M', 'shortcut.problems'],
  ['Tab, Shift + Tab', 'shortcut.escape'],
  ['?', 'shortcut.help'],
];
function renderShortcuts() {
  setChildren($('shortcut-table'), 
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('help.keys')), h('th', { scope: 'col' }, t('help.action')))),
    h('tbody', {}, SHORTCUTS.map(([keys, key]) => h('tr', {}, h('td', {}, h('kbd', {}, keys)), h('td', {}, t(key))))));
}

let saveTimer = null;
function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => saveWork(store.get().doc, store.get().ui), SAVE_DEBOUNCE_MS);
}

store.subscribe(render);
render(store.get(), null);

// ---- header actions ----------------------------------------------------------------------
$('example-select').addEventListener('change', (e) => {
  const id = e.target.value;
  const doc = exampleDoc(id);
  if (!doc) return;
  const current = { doc: store.get().doc, ui: store.get().ui };
  const isExample = EXAMPLES.some((ex) => sameDoc(normalizeDoc(exampleDoc(ex.id)), current.doc));
  if (!isExample) pushPrevious(current);
  const ex = EXAMPLES.find((x) => x.id === id);
  actions.loadDoc(doc, { exampleId: id, exampleCommands: ex.commands ?? [] });
  actions.setNotice(isExample ? null : { kind: 'info', key: 'notice.exampleLoaded', action: 'restorePrevious' });
  announce(t('examples.loaded', { title: ex.title[store.get().lang] ?? ex.title.en }));
});
$('build-btn').addEventListener('click', buildNow);
$('share-btn').addEventListener('click', copyLink);
$('markdown-btn').addEventListener('click', async () => {
  const link = await shareUrl();
  copyText(toMarkdown(store.get(), link), 'notice.markdownCopied');
});
$('run-real-btn').addEventListener('click', () => {
  $('run-commands').textContent = dockerCommands(store.get().doc).join('\n');
  $('run-dialog').showModal();
});
$('download-tar').addEventListener('click', () => {
  const blob = new Blob([contextTar(store.get().doc)], { type: 'application/x-tar' });
  const a = h('a', { href: URL.createObjectURL(blob), download: 'playground-context.tar' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});
mountEmbedButton({ after: $('markdown-btn'), getState: () => store.get() });
$('copy-commands').addEventListener('click', () => copyText($('run-commands').textContent, 'notice.commandsCopied'));
$('lang-select').addEventListener('change', (e) => { actions.setLang(e.target.value); savePrefs({ lang: e.target.value }); });
$('theme-btn').addEventListener('click', () => {
  const order = ['auto', 'light', 'dark'];
  const next = order[(order.indexOf(store.get().theme) + 1) % order.length];
  actions.setTheme(next);
  savePrefs({ theme: next });
  announce(t(`theme.${next}`));
});
$('help-btn').addEventListener('click', () => $('help-dialog').showModal());
$('problems-btn').addEventListener('click', () => editor.openProblems());
for (const tab of document.querySelectorAll('#panel-tabs [role="tab"]')) {
  tab.addEventListener('click', () => actions.setPanel(tab.dataset.panel));
  tab.addEventListener('keydown', (event) => {
    const all = [...document.querySelectorAll('#panel-tabs [role="tab"]')];
    const i = all.indexOf(tab);
    const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = all[(moves[event.key] + all.length) % all.length];
    next.focus();
    actions.setPanel(next.dataset.panel);
  });
}

async function shareUrl() {
  const hash = await encodeLink(store.get());
  return `${location.origin}${location.pathname}${hash}`;
}
async function copyLink() {
  const url = await shareUrl();
  history.replaceState(null, '', url);
  fromLink = true;
  copyText(url, 'notice.linkCopied');
}
async function copyText(text, key) {
  try {
    await navigator.clipboard.writeText(text);
    actions.setNotice({ kind: 'info', key });
  } catch {
    actions.setNotice({ kind: 'warning', key: 'notice.copyFailed' });
  }
  announce(t(key));
}

// A link pasted into the address bar of an open page only changes the fragment: load it the
// same way as at start-up (the current work goes to the previous-work list first).
window.addEventListener('hashchange', async () => {
  try {
    const link = await decodeLink(location.hash);
    if (!link) return;
    const current = { doc: store.get().doc, ui: store.get().ui };
    const changed = !sameDoc(normalizeDoc(current.doc), normalizeDoc(link.doc));
    if (changed) pushPrevious(current);
    actions.loadDoc(link.doc, sanitizeUi(link.ui));
    fromLink = true;
    actions.setNotice(changed ? { kind: 'info', key: 'notice.linkOpened', action: 'restorePrevious' } : null);
  } catch (error) {
    actions.setNotice({ kind: 'error', key: 'notice.linkBroken', params: { reason: error.message } });
  }
});

// ---- keyboard --------------------------------------------------------------------------
const isTyping = (el) => el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
document.addEventListener('keydown', (event) => {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && event.key === 'Enter') { event.preventDefault(); buildNow(); return; }
  if (mod && event.shiftKey && (event.key === 'C' || event.key === 'c')) { event.preventDefault(); copyLink(); return; }
  if (event.altKey && !mod) {
    const keys = { ArrowRight: timeline.next, ArrowLeft: timeline.prev, Home: timeline.first, End: timeline.last };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); return; }
    if (event.code === 'KeyP') { event.preventDefault(); timeline.togglePlay(); return; }
    if (event.code === 'KeyE') { event.preventDefault(); editor.focus(); return; }
    const digit = /^Digit([1-6])$/.exec(event.code);
    if (digit) { event.preventDefault(); focusPanel(PANELS[Number(digit[1]) - 1]); return; }
  }
  if (mod || event.altKey || isTyping(event.target) || document.querySelector('dialog[open]')) return;
  if (event.target.closest?.('.cm-editor')) return;
  if (event.key === '?') { event.preventDefault(); $('help-dialog').showModal(); return; }
  // Plain keys step through the build only where they mean nothing else.
  if (event.target.closest?.('button, a, [role="button"], [role="tab"], input, select, summary')) return;
  const plain = { ArrowRight: timeline.next, ArrowLeft: timeline.prev, Home: timeline.first, End: timeline.last, ' ': timeline.togglePlay };
  if (plain[event.key]) { event.preventDefault(); plain[event.key](); }
});

function focusPanel(panel) {
  actions.setPanel(panel);
  if (panel === 'console') terminal.focus();
  else $(`tab-${panel}`).focus();
}

// For tests and the benchmark: the page is ready once the first render has happened.
document.documentElement.dataset.ready = 'true';
