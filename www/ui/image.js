// The Image panel: what `docker history` and `docker image inspect` would show for the built
// image: id, total size, the history table (newest first, empty-layer rows marked, the row of
// the current step highlighted) and the config as JSON.
import { h, keepFocus, setChildren } from './dom.js';
import { t } from '../i18n/index.js';
import { humanSize, shortId } from '../format.js';

// `docker history` prints CREATED BY with tabs as spaces, cut to 45 characters.
export function truncateCreatedBy(text) {
  const chars = [...String(text).replace(/\t/g, ' ')];
  return chars.length > 45 ? `${chars.slice(0, 44).join('')}…` : chars.join('');
}

export function createImageView({ panel, store }) {
  let noTrunc = false;
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
    const { image } = result;
    const current = state.ui.step !== null ? result.steps[state.ui.step]?.index : null;
    const rows = image.history.map((entry, k) => ({ entry, k })).reverse();
    const table = h('table', { class: 'history' },
      h('caption', {}, t('image.history')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('image.createdBy')),
        h('th', { scope: 'col' }, t('image.size')),
        h('th', { scope: 'col' }, t('image.comment')))),
      h('tbody', {}, rows.map(({ entry }) => h('tr', {
        class: `${entry.emptyLayer ? 'empty-layer' : ''}${entry.step != null && entry.step === current ? ' current' : ''}${entry.step == null ? ' base' : ''}`,
      },
      h('td', {}, h('code', { title: noTrunc ? null : entry.createdBy }, noTrunc ? entry.createdBy : truncateCreatedBy(entry.createdBy))),
      h('td', { class: 'num' }, humanSize(entry.size ?? 0)),
      h('td', {}, entry.comment ?? '')))));
    keepFocus(panel, () => setChildren(panel, 
      h('dl', { class: 'image-facts' },
        h('dt', {}, t('image.id')), h('dd', {}, h('code', { title: image.id }, shortId(image.id))),
        h('dt', {}, t('image.total')), h('dd', {}, humanSize(image.size)),
        h('dt', {}, t('image.layers')), h('dd', {}, String(image.layers.length)),
        h('dt', {}, t('image.builder')), h('dd', {}, result.builder)),
      h('label', { class: 'no-trunc' }, h('input', { type: 'checkbox', id: 'history-no-trunc', checked: noTrunc, 'data-fk': 'no-trunc', onchange: (e) => { noTrunc = e.target.checked; render(store.get()); } }), ' ', t('image.noTrunc')),
      h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t('image.history') }, table),
      h('h3', {}, t('image.config')),
      h('pre', { class: 'config-json', tabindex: 0, 'aria-label': t('image.config') }, JSON.stringify(image.config, null, 2))));
  }
  return {
    render(state, prev) {
      if (!prev || state.build !== prev.build || state.ui.step !== prev.ui.step || state.engine !== prev.engine || state.lang !== prev.lang) render(state);
    },
  };
}
