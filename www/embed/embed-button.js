// "Embed this" for the playground page: a button next to the page's share buttons that opens
// a dialog with two ready-to-paste snippets of the current state: the web component
// (<dockerfile-playground> with the Dockerfile and files inline) and the iframe form
// (embed.html + the share link). Self-contained: its own words (strings.js), its own small
// styles; the page only calls mountEmbedButton once.
import { encodeLink } from '../url.js';
import { words } from './strings.js';

const PANEL_TO_VIEW = { build: 'build', layers: 'stack', files: 'files', image: 'history', stages: 'stages', console: 'console' };
const COMPONENT_URL = new URL('./dockerfile-playground.js', import.meta.url);
const FRAME_URL = new URL('./embed.html', import.meta.url);

/** Text for a <script type="text/plain"> body, or null if it cannot be one verbatim. */
function scriptBody(text) {
  return /<\/script|<!--/i.test(text) ? null : text;
}
const escapeText = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const escapeAttr = (text) => String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The element's attributes for a state (only the ones that differ from the defaults). */
export function embedAttributes(state, { readonly = false } = {}) {
  const attrs = [];
  const view = PANEL_TO_VIEW[state.ui?.panel];
  if (view && view !== 'stack') attrs.push(['view', view]);
  const steps = state.build?.result?.steps?.length ?? 0;
  const step = state.ui?.step;
  if (Number.isInteger(step) && step >= 0 && step < steps - 1) attrs.push(['step', String(step + 1)]);
  const o = state.doc.options ?? {};
  if (o.builder === 'legacy') attrs.push(['builder', 'legacy']);
  if (o.target) attrs.push(['target', o.target]);
  if (o.noCache) attrs.push(['no-cache', null]);
  if (state.lang && state.lang !== 'en') attrs.push(['lang', state.lang]);
  if (readonly) attrs.push(['readonly', null]);
  return attrs;
}

/** The <script> + <dockerfile-playground> snippet for a state. */
export function componentSnippet(state, { readonly = false, src = COMPONENT_URL.href } = {}) {
  const attrs = embedAttributes(state, { readonly })
    .map(([k, v]) => (v === null ? ` ${k}` : ` ${k}="${escapeAttr(v)}"`)).join('');
  const block = (attrsText, text) => {
    const body = scriptBody(text);
    return body === null
      ? null
      : `  <script type="text/plain"${attrsText}>\n${body.replace(/\n$/, '')}\n  </script>`;
  };
  const { doc } = state;
  const parts = [];
  const dockerfile = block(' data-dockerfile', doc.dockerfile);
  // A Dockerfile that cannot sit in a <script> goes in as the element's own (escaped) text.
  parts.push(dockerfile ?? escapeText(doc.dockerfile.replace(/\n$/, '')));
  for (const f of doc.files ?? []) {
    const b = block(` data-path="${escapeAttr(f.path)}"`, f.text);
    if (b) parts.push(b);
  }
  const args = (doc.options?.buildArgs ?? []).filter((a) => a.key);
  if (args.length) parts.push(block(' data-build-args', args.map((a) => `${a.key}=${a.value}`).join('\n')) ?? '');
  return `<script type="module" src="${escapeAttr(src)}"></script>\n`
    + `<dockerfile-playground${attrs}>\n${parts.filter(Boolean).join('\n')}\n</dockerfile-playground>`;
}

/** The <iframe> snippet: embed.html with the state's share link in the fragment. */
export async function iframeSnippet(state, { readonly = false, frame = FRAME_URL.href } = {}) {
  const url = new URL(frame);
  const view = PANEL_TO_VIEW[state.ui?.panel];
  if (view) url.searchParams.set('view', view);
  if (state.lang && state.lang !== 'en') url.searchParams.set('lang', state.lang);
  if (readonly) url.searchParams.set('readonly', '');
  url.hash = (await encodeLink(state)).slice(1);
  return `<iframe src="${escapeAttr(url.href)}" title="Dockerfile Playground" width="100%" height="480" loading="lazy" style="border: 1px solid #d5dae1; border-radius: 8px"></iframe>`;
}

const STYLE = `
.embed-dialog { width: min(720px, 94vw); }
.embed-dialog h2 { margin-top: 0; font-size: 18px; }
.embed-dialog h3 { font-size: 14px; margin: 14px 0 2px; }
.embed-dialog p { margin: 4px 0; }
.embed-dialog textarea { width: 100%; min-height: 8.5em; font-family: var(--mono, monospace); font-size: 12px; background: var(--bg); color: var(--fg); border: 1px solid var(--border); border-radius: 6px; padding: 6px; resize: vertical; }
.embed-dialog .embed-row { display: flex; gap: 10px; align-items: center; margin-top: 4px; }
.embed-dialog .embed-status { color: var(--muted); font-size: 12.5px; }
.embed-dialog form { display: flex; justify-content: flex-end; margin-top: 12px; }
`;

/**
 * Adds the button after `after` (an element of the page's toolbar).
 * @param {{after: Element, getState: () => object}} options  getState returns the page's
 *   state (state.js): doc, ui, build, lang.
 */
export function mountEmbedButton({ after, getState }) {
  const style = document.createElement('style');
  style.textContent = STYLE;
  document.head.append(style);
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'embed-btn';
  after.after(button);

  const dialog = document.createElement('dialog');
  dialog.className = 'embed-dialog';
  dialog.setAttribute('aria-labelledby', 'embed-title');
  document.body.append(dialog);

  let readonly = false;
  const lang = () => getState().lang ?? 'en';

  function label() { button.textContent = words(lang())['embed.button']; }
  label();
  // The page sets <html lang> when its language changes.
  new MutationObserver(label).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

  async function render() {
    const w = words(lang());
    const state = getState();
    const component = componentSnippet(state, { readonly });
    const frame = await iframeSnippet(state, { readonly });
    const section = (id, title, help, text) => `
      <h3 id="${id}-title">${title}</h3>
      <p class="muted">${help}</p>
      <textarea id="${id}-snippet" readonly spellcheck="false" aria-labelledby="${id}-title"></textarea>
      <div class="embed-row"><button type="button" class="primary" data-copy="${id}">${w['embed.copy']}</button>
        <span class="embed-status" id="${id}-status" role="status"></span></div>`;
    dialog.innerHTML = `<h2 id="embed-title">${w['embed.title']}</h2>
      <p>${w['embed.intro']}</p>
      <label><input type="checkbox" id="embed-readonly"${readonly ? ' checked' : ''}> ${w['embed.readonly']}</label>
      ${section('embed-component', w['embed.component'], w['embed.componentHelp'])}
      ${section('embed-iframe', w['embed.iframe'], w['embed.iframeHelp'])}
      <form method="dialog"><button>${w['embed.close']}</button></form>`;
    dialog.querySelector('#embed-component-snippet').value = component;
    dialog.querySelector('#embed-iframe-snippet').value = frame;
    dialog.querySelector('#embed-readonly').addEventListener('change', (e) => { readonly = e.target.checked; render(); });
    for (const copy of dialog.querySelectorAll('[data-copy]')) {
      copy.addEventListener('click', async () => {
        const id = copy.dataset.copy;
        const status = dialog.querySelector(`#${id}-status`);
        try {
          await navigator.clipboard.writeText(dialog.querySelector(`#${id}-snippet`).value);
          status.textContent = w['embed.copied'];
        } catch {
          status.textContent = w['embed.copyFailed'];
          dialog.querySelector(`#${id}-snippet`).select();
        }
      });
    }
  }

  button.addEventListener('click', async () => {
    await render();
    dialog.showModal();
  });
  return { button, dialog };
}
