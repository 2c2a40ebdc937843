// <dockerfile-playground>: the playground as a custom element for tutorials and docs.
// This entry module is small on purpose: it defines the element, shows the Dockerfile as
// plain text, and waits until the element scrolls near the viewport (IntersectionObserver).
// Only then does it start the page's one shared engine worker (hub.js) and load the
// interactive view (view.js: editor, timeline, panels) as a separate chunk.
//
// Attributes: readonly, step (1-based), view (first panel), views (tabs shown), lang,
// theme (auto | light | dark), target, builder (buildkit | legacy), height, src,
// tag (the built image's tag, default "playground"), playground (URL of the full page),
// loading="eager" (start without waiting to be scrolled to).
// Methods: setDockerfile(text), setFiles({path: text} | [{path, text}]), goToStep(n),
// getState(), whenReady(). Events: ready, built, stepchanged (details in README).
import { readMarkup, parseHeight, dedent } from './config.js';
import { engineHub } from './hub.js';
import { words, pickLang } from './strings.js';

// Built next to this file by bundle.mjs (three bundles, no shared chunks: the element
// starts with one request, the view and the worker with one request each).
const WORKER_URL = new URL('./embed-worker.js', import.meta.url);
const VIEW_URL = new URL('./dockerfile-playground-view.js', import.meta.url);
// The full playground page this component comes with (the site build sets it; the npm
// package has none unless the element's `playground` attribute names one).
const PLAYGROUND_URL = typeof __PLAYGROUND_URL__ === 'string' && __PLAYGROUND_URL__
  ? new URL(__PLAYGROUND_URL__, import.meta.url).href
  : '';

const OBSERVED = ['readonly', 'step', 'view', 'views', 'lang', 'theme', 'target', 'builder', 'height', 'tag', 'playground'];

const PLACEHOLDER_CSS = `
:host { display: block; position: relative; box-sizing: border-box;
  border: 1px solid var(--border, #d5dae1); border-radius: var(--dp-radius, 8px); overflow: hidden;
  background: var(--panel, #fff); color: var(--fg, #1b1f24);
  font: 14px/1.45 var(--sans, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif); }
:host([hidden]) { display: none; }
:host([theme="dark"]) { --border: #30363d; --panel: #161b22; --fg: #e6edf3; --muted: #9da7b3; }
@media (prefers-color-scheme: dark) { :host(:not([theme="light"])) { --border: #30363d; --panel: #161b22; --fg: #e6edf3; --muted: #9da7b3; } }
.dp-placeholder { height: var(--dp-height, 460px); display: flex; flex-direction: column; }
.dp-placeholder pre { flex: 1; margin: 0; padding: 10px 14px; overflow: auto;
  font: 13px/1.5 var(--mono, ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace); }
.dp-placeholder p { margin: 0; padding: 6px 14px; border-top: 1px solid var(--border, #d5dae1); color: var(--muted, #5b6573); font-size: 12.5px; display: flex; gap: 10px; align-items: center; }
.dp-placeholder button { font: inherit; color: inherit; background: transparent; border: 1px solid var(--border, #d5dae1); border-radius: 6px; padding: 2px 10px; cursor: pointer; }
`;
let placeholderSheet = null;

export class DockerfilePlaygroundElement extends HTMLElement {
  static get observedAttributes() { return OBSERVED; }

  #root = null;
  #doc = null; // {dockerfile, files, images, commands, runCommands} read from the markup
  #pending = []; // API calls made before the view exists
  #view = null;
  #observer = null;
  #activating = null;
  #readyWaiters = [];
  #isReady = false;

  connectedCallback() {
    if (this.#root) {
      if (this.#view) this.#view.resume();
      else if (!this.#activating) this.#observe();
      return;
    }
    this.#root = this.attachShadow({ mode: 'open' });
    placeholderSheet ??= sheetOf(PLACEHOLDER_CSS);
    this.#root.adoptedStyleSheets = [placeholderSheet];
    this.#doc = readMarkup(this);
    this.dataset.state = 'idle';
    this.#applyHeight();
    this.#renderPlaceholder();
    if (this.getAttribute('loading') === 'eager') this.activate();
    else this.#observe();
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    this.#observer = null;
    // Removed for good (not just moved): free its engine state in the shared worker. Pages
    // that swap content (single-page docs sites) would otherwise pile up sessions.
    setTimeout(() => { if (!this.isConnected) this.#view?.suspend(); }, 1000);
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value || !this.#root) return;
    if (name === 'height') this.#applyHeight();
    this.#view?.attributeChanged(name);
  }

  // ---- public API ------------------------------------------------------------------
  setDockerfile(text) { this.#call((v) => v.setDockerfile(String(text ?? '')), () => { this.#doc.dockerfile = String(text ?? ''); }); }
  setFiles(files) {
    const list = normalizeFiles(files);
    this.#call((v) => v.setFiles(list), () => { this.#doc.files = list; });
  }
  goToStep(n) { this.#call((v) => v.goToStep(Number(n)), () => this.setAttribute('step', String(n))); }
  /** {dockerfile, files, options, step (1-based or null), result summary} */
  getState() {
    if (this.#view) return this.#view.getState();
    return { dockerfile: this.#doc?.dockerfile ?? '', files: this.#doc?.files ?? [], options: null, step: null, build: null };
  }
  /** Resolves once the engine has answered and the first build is shown. */
  whenReady() {
    this.activate();
    return this.#isReady ? Promise.resolve(this) : new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** Starts the playground now (normally it starts when scrolled into view). */
  activate() {
    if (!this.#root) return Promise.resolve();
    this.#activating ??= this.#start();
    return this.#activating;
  }

  // ---- internals -------------------------------------------------------------------
  #call(onView, offline) {
    if (this.#view) onView(this.#view);
    else { offline(); this.#pending.push(onView); this.#renderPlaceholder(); }
  }

  #observe() {
    if (this.#observer || typeof IntersectionObserver !== 'function') {
      if (!this.#observer) this.activate();
      return;
    }
    this.#observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.#observer?.disconnect();
        this.#observer = null;
        this.activate();
      }
    }, { rootMargin: '300px 0px' });
    this.#observer.observe(this);
  }

  async #start() {
    mark('dp:activate');
    this.dataset.state = 'loading';
    this.#renderPlaceholder();
    // The engine starts downloading while the view's code loads.
    const session = engineHub(WORKER_URL).session();
    const src = this.getAttribute('src');
    const [{ mountPlayground }, fetched] = await Promise.all([
      import(VIEW_URL.href),
      src ? fetch(new URL(src, document.baseURI)).then((r) => (r.ok ? r.text() : null), () => null) : null,
    ]);
    mark('dp:view-loaded');
    if (fetched !== null && fetched !== undefined) this.#doc.dockerfile = `${dedent(fetched)}\n`;
    this.#view = mountPlayground({
      host: this,
      root: this.#root,
      doc: this.#doc,
      session,
      playgroundUrl: PLAYGROUND_URL,
      onReady: () => {
        mark('dp:ready');
        this.#isReady = true;
        this.dataset.state = 'ready';
        this.#readyWaiters.splice(0).forEach((fn) => fn(this));
      },
    });
    for (const fn of this.#pending.splice(0)) fn(this.#view);
  }

  #applyHeight() {
    const height = parseHeight(this.getAttribute('height'));
    if (height) this.style.setProperty('--dp-height', height);
    else this.style.removeProperty('--dp-height');
  }

  #renderPlaceholder() {
    if (this.#view || !this.#root) return;
    const w = words(pickLang(this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || navigator.language));
    const wrap = document.createElement('div');
    wrap.className = 'dp-placeholder';
    const pre = document.createElement('pre');
    pre.textContent = this.#doc.dockerfile;
    const note = document.createElement('p');
    note.setAttribute('role', 'status');
    const loading = this.dataset.state === 'loading';
    note.append(loading ? w.loading : w.idle);
    if (!loading) {
      const start = document.createElement('button');
      start.type = 'button';
      start.textContent = w.start;
      start.addEventListener('click', () => this.activate());
      note.append(start);
    }
    wrap.append(pre, note);
    this.#root.replaceChildren(wrap);
  }
}

// Performance marks for the first element only (www/tools/bench-embed.mjs reads them).
function mark(name) {
  if (!performance.getEntriesByName(name).length) performance.mark(name);
}

function sheetOf(css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}

/** Files as [{path, text}] from either {path: text} or [{path, text}]. */
export function normalizeFiles(files) {
  const list = Array.isArray(files)
    ? files.map((f) => ({ path: String(f?.path ?? ''), text: String(f?.text ?? '') }))
    : Object.entries(files ?? {}).map(([path, text]) => ({ path, text: String(text ?? '') }));
  return list.filter((f) => f.path);
}

if (!customElements.get('dockerfile-playground')) {
  customElements.define('dockerfile-playground', DockerfilePlaygroundElement);
}
