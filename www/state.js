// The single app state and the actions that change it. State is replaced, never mutated:
// every action builds a new object, so views compare slices by identity to know what
// changed. `doc` is exactly what a share link carries (with ui.step/panel/activeFile);
// everything else is derived (engine answers) or personal (theme, language).

export const DEFAULT_OPTIONS = Object.freeze({ builder: 'buildkit', target: '', buildArgs: [], noCache: false });
export const PANELS = ['build', 'layers', 'files', 'image', 'stages', 'console'];

export function normalizeDoc(doc) {
  const options = { ...DEFAULT_OPTIONS, ...(doc?.options ?? {}) };
  if (!['buildkit', 'legacy'].includes(options.builder)) options.builder = 'buildkit';
  options.target = String(options.target ?? '');
  options.noCache = Boolean(options.noCache);
  options.buildArgs = Array.isArray(options.buildArgs)
    ? options.buildArgs.filter((a) => a && typeof a.key === 'string').map((a) => ({ key: a.key, value: String(a.value ?? '') }))
    : [];
  const seen = new Set();
  const files = (Array.isArray(doc?.files) ? doc.files : [])
    .filter((f) => f && typeof f.path === 'string' && f.path && !seen.has(f.path) && seen.add(f.path))
    .map((f) => ({ path: f.path, text: String(f.text ?? '') }));
  return { dockerfile: String(doc?.dockerfile ?? ''), files, options };
}

export function createState(initial) {
  let state = {
    doc: normalizeDoc(initial.doc),
    ui: { activeFile: null, panel: 'build', step: null, breakpoints: [], exampleId: null, ...initial.ui },
    engine: { status: 'loading', version: null, capabilities: {}, restarts: 0 },
    analysis: null,
    build: { status: 'idle', result: null, error: null },
    // Every image and container in the engine's store (engine `inventory()`), or null.
    inventory: null,
    playing: false,
    notice: null,
    lang: initial.lang ?? 'en',
    theme: initial.theme ?? 'auto',
    // Counts edits of doc; lets storage/url know whether the user changed anything.
    revision: 0,
  };
  const subscribers = new Set();

  function set(patch) {
    const prev = state;
    state = { ...state, ...patch };
    for (const fn of subscribers) fn(state, prev);
  }
  const setUi = (patch) => set({ ui: { ...state.ui, ...patch } });
  const setDoc = (doc) => set({ doc, revision: state.revision + 1 });

  function updateFile(path, fn) {
    setDoc({ ...state.doc, files: state.doc.files.map((f) => (f.path === path ? fn(f) : f)) });
  }

  const actions = {
    setDockerfile: (text) => { if (text !== state.doc.dockerfile) setDoc({ ...state.doc, dockerfile: text }); },
    setFileText: (path, text) => updateFile(path, (f) => ({ ...f, text })),
    /** Adds a context file; returns false if the path is taken or invalid. */
    addFile(path, text = '') {
      path = cleanPath(path);
      if (!path || state.doc.files.some((f) => f.path === path)) return false;
      setDoc({ ...state.doc, files: [...state.doc.files, { path, text }] });
      setUi({ activeFile: path });
      return true;
    },
    renameFile(from, to) {
      to = cleanPath(to);
      if (!to || (to !== from && state.doc.files.some((f) => f.path === to))) return false;
      updateFile(from, (f) => ({ ...f, path: to }));
      if (state.ui.activeFile === from) setUi({ activeFile: to });
      return true;
    },
    deleteFile(path) {
      setDoc({ ...state.doc, files: state.doc.files.filter((f) => f.path !== path) });
      if (state.ui.activeFile === path) setUi({ activeFile: null });
    },
    selectFile: (path) => setUi({ activeFile: path }),
    setOption: (key, value) => setDoc({ ...state.doc, options: { ...state.doc.options, [key]: value } }),
    /** Replaces the whole document (example, share link, restore). */
    loadDoc(doc, ui = {}) {
      set({
        doc: normalizeDoc(doc),
        ui: { activeFile: null, panel: 'build', step: null, breakpoints: [], exampleId: null, ...ui },
        build: { status: 'idle', result: null, error: null },
        playing: false,
        revision: state.revision + 1,
      });
    },
    setPanel: (panel) => { if (PANELS.includes(panel)) setUi({ panel }); },
    setStep: (step) => setUi({ step }),
    toggleBreakpoint(line) {
      const has = state.ui.breakpoints.includes(line);
      setUi({ breakpoints: has ? state.ui.breakpoints.filter((l) => l !== line) : [...state.ui.breakpoints, line].sort((a, b) => a - b) });
    },
    setPlaying: (playing) => set({ playing }),
    setEngine: (engine) => set({ engine: { ...state.engine, ...engine } }),
    setAnalysis: (analysis) => set({ analysis }),
    setBuild: (build) => set({ build: { ...state.build, ...build } }),
    /** A new build result and the step to show, in one change (the old step may not exist). */
    finishBuild: (build, step) => set({ build: { ...state.build, ...build }, ui: { ...state.ui, step } }),
    setInventory: (inventory) => set({ inventory }),
    setNotice: (notice) => set({ notice }),
    setLang: (lang) => set({ lang }),
    setTheme: (theme) => set({ theme }),
  };

  return {
    get: () => state,
    subscribe(fn) { subscribers.add(fn); return () => subscribers.delete(fn); },
    actions,
  };
}

/** A context path as Docker sees it: relative, forward slashes, no `..`. */
export function cleanPath(path) {
  const parts = String(path ?? '').replace(/\\/g, '/').split('/').filter((p) => p && p !== '.');
  if (parts.some((p) => p === '..')) return '';
  return parts.join('/');
}

/** The text of the file the editor shows: the Dockerfile when activeFile is null. */
export function activeText(state) {
  if (state.ui.activeFile === null) return state.doc.dockerfile;
  return state.doc.files.find((f) => f.path === state.ui.activeFile)?.text ?? '';
}
