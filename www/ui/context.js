// The build context: one tab per file (the Dockerfile first), add / rename / delete files,
// and the build options: build args, target stage, builder (BuildKit or legacy), --no-cache.
// Edits go to the state through actions; the editor shows whichever tab is active.
import { h, keepFocus, setChildren } from './dom.js';
import { t } from '../i18n/index.js';

export function createContext({ tabs, options, store }) {
  const { actions } = store;
  let editing = null; // {mode: 'add'|'rename', path}
  let error = '';

  function commitName(value) {
    const ok = editing.mode === 'add' ? actions.addFile(value) : actions.renameFile(editing.path, value);
    if (!ok) { error = t('context.badName'); renderTabs(store.get()); tabs.querySelector('input')?.focus(); return; }
    editing = null;
    error = '';
    renderTabs(store.get());
    tabs.querySelector('[aria-selected="true"]')?.focus();
  }

  function nameInput(initial) {
    const input = h('input', {
      type: 'text', class: 'tab-name-input', value: initial, 'aria-label': t('context.fileName'),
      'aria-invalid': error ? 'true' : false, 'aria-describedby': error ? 'tab-error' : false,
      onkeydown: (e) => {
        if (e.key === 'Enter') { e.preventDefault(); commitName(input.value); }
        if (e.key === 'Escape') { e.preventDefault(); editing = null; error = ''; renderTabs(store.get()); }
      },
    });
    queueMicrotask(() => { input.focus(); input.select(); });
    return input;
  }

  function onTabKey(event) {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    const all = [...tabs.querySelectorAll('[role="tab"]')];
    const i = all.indexOf(event.currentTarget);
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? all.length - 1 : (i + (event.key === 'ArrowRight' ? 1 : -1) + all.length) % all.length;
    event.preventDefault();
    all[next].focus();
    all[next].click();
  }

  function renderTabs(state) {
    const active = state.ui.activeFile;
    const tab = (path, label) => h('button', {
      type: 'button', role: 'tab', class: 'file-tab', 'aria-selected': String(active === path),
      'aria-controls': 'editor', tabindex: active === path ? 0 : -1, 'data-fk': `tab-${path ?? ''}`,
      onclick: () => actions.selectFile(path), onkeydown: onTabKey,
    }, label);
    const items = [tab(null, 'Dockerfile')];
    for (const f of state.doc.files) {
      if (editing?.mode === 'rename' && editing.path === f.path) items.push(nameInput(f.path));
      else items.push(tab(f.path, f.path));
    }
    const tools = [];
    if (editing?.mode === 'add') tools.push(nameInput(''));
    else tools.push(h('button', { type: 'button', class: 'icon-btn', id: 'add-file', 'aria-label': t('context.add'), title: t('context.add'), onclick: () => { editing = { mode: 'add' }; renderTabs(store.get()); } }, '+'));
    if (active !== null && !editing) {
      tools.push(
        h('button', { type: 'button', class: 'icon-btn', id: 'rename-file', 'aria-label': t('context.rename', { path: active }), title: t('context.rename', { path: active }), onclick: () => { editing = { mode: 'rename', path: active }; renderTabs(store.get()); } }, '✎'),
        h('button', { type: 'button', class: 'icon-btn', id: 'delete-file', 'aria-label': t('context.delete', { path: active }), title: t('context.delete', { path: active }), onclick: () => { if (confirm(t('context.confirmDelete', { path: active }))) actions.deleteFile(active); } }, '🗑'));
    }
    keepFocus(tabs, () => setChildren(tabs, 
      h('div', { role: 'tablist', class: 'file-tabs', 'aria-label': t('context.files') }, items),
      h('div', { class: 'tab-tools' }, tools),
      error ? h('span', { id: 'tab-error', class: 'error-text', role: 'alert' }, error) : null));
  }

  function renderOptions(state) {
    const o = state.doc.options;
    const argRows = o.buildArgs.map((a, i) => h('div', { class: 'arg-row' },
      h('input', { type: 'text', value: a.key, 'aria-label': t('options.argName'), placeholder: 'NAME', 'data-fk': `arg-k-${i}`, onchange: (e) => setArg(i, { key: e.target.value.trim(), value: a.value }) }),
      h('span', { 'aria-hidden': 'true' }, '='),
      h('input', { type: 'text', value: a.value, 'aria-label': t('options.argValue'), placeholder: 'value', 'data-fk': `arg-v-${i}`, onchange: (e) => setArg(i, { key: a.key, value: e.target.value }) }),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('options.removeArg', { name: a.key }), onclick: () => actions.setOption('buildArgs', o.buildArgs.filter((_, j) => j !== i)) }, '✕')));
    const setArg = (i, value) => actions.setOption('buildArgs', o.buildArgs.map((a, j) => (j === i ? value : a)));
    keepFocus(options, () => setChildren(options, 
      h('fieldset', { class: 'opt-builder' },
        h('legend', {}, t('options.builder')),
        ...['buildkit', 'legacy'].map((b) => h('label', {},
          h('input', { type: 'radio', name: 'builder', value: b, checked: o.builder === b, 'data-fk': `builder-${b}`, onchange: () => actions.setOption('builder', b) }),
          ' ', t(`options.${b}`)))),
      h('label', { class: 'opt-target' }, t('options.target'), ' ',
        h('input', { type: 'text', id: 'opt-target', value: o.target, list: 'stage-names', placeholder: t('options.lastStage'), 'data-fk': 'target', onchange: (e) => actions.setOption('target', e.target.value.trim()) })),
      h('label', { class: 'opt-nocache' },
        h('input', { type: 'checkbox', checked: o.noCache, 'data-fk': 'nocache', onchange: (e) => actions.setOption('noCache', e.target.checked) }), ' --no-cache'),
      h('fieldset', { class: 'opt-args' },
        h('legend', {}, t('options.buildArgs')),
        argRows,
        h('button', { type: 'button', class: 'small-btn', 'data-fk': 'add-arg', onclick: () => actions.setOption('buildArgs', [...o.buildArgs, { key: '', value: '' }]) }, t('options.addArg')))));
  }

  // Stage names for the target field live outside the re-rendered options, so a build that
  // finishes while someone types there never replaces the field under their fingers.
  const stageList = h('datalist', { id: 'stage-names' });
  options.after(stageList);
  function renderStageNames(state) {
    const names = (state.build.result?.stages ?? []).map((st) => st.name).filter(Boolean);
    setChildren(stageList, names.map((n) => h('option', { value: n })));
  }

  return {
    render(state, prev) {
      if (!prev || state.doc.files !== prev.doc.files || state.ui.activeFile !== prev.ui.activeFile || state.lang !== prev.lang) renderTabs(state);
      if (!prev || state.doc.options !== prev.doc.options || state.lang !== prev.lang) renderOptions(state);
      if (!prev || state.build.result?.stages !== prev.build.result?.stages) renderStageNames(state);
    },
  };
}
