// The user's own work in localStorage, and the personal settings (language, theme).
// Slots (all versioned JSON):
//   dfp.work.v1      the current document + ui position, saved as the user edits
//   dfp.previous.v1  up to 5 earlier documents, pushed when a shared link or an example
//                    replaces the current one, so opening a link never loses saved work
//   dfp.prefs.v1     {lang, theme}
// Every read tolerates missing, corrupt or foreign data (returns null) and every write
// tolerates a full or disabled storage (the page keeps working, unsaved).

const WORK = 'dfp.work.v1';
const PREVIOUS = 'dfp.previous.v1';
const PREFS = 'dfp.prefs.v1';
const MAX_PREVIOUS = 5;

function read(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export const loadWork = () => {
  const w = read(WORK);
  return w && typeof w.doc?.dockerfile === 'string' ? w : null;
};

export const saveWork = (doc, ui) =>
  write(WORK, { doc, ui: { step: ui.step, panel: ui.panel, activeFile: ui.activeFile, breakpoints: ui.breakpoints, exampleId: ui.exampleId }, savedAt: Date.now() });

/** Keeps `work` in the list of previous documents (newest first, no duplicates). */
export function pushPrevious(work) {
  if (!work?.doc) return;
  const key = JSON.stringify(work.doc);
  const list = (read(PREVIOUS) ?? []).filter((w) => w?.doc && JSON.stringify(w.doc) !== key);
  write(PREVIOUS, [{ doc: work.doc, ui: work.ui ?? {}, savedAt: work.savedAt ?? Date.now() }, ...list].slice(0, MAX_PREVIOUS));
}

export const loadPrevious = () => {
  const list = read(PREVIOUS);
  return Array.isArray(list) ? list.filter((w) => typeof w?.doc?.dockerfile === 'string') : [];
};

export const loadPrefs = () => read(PREFS) ?? {};
export const savePrefs = (prefs) => write(PREFS, { ...loadPrefs(), ...prefs });

export const sameDoc = (a, b) => JSON.stringify(a) === JSON.stringify(b);
