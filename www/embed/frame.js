// embed.html: one playground filling an iframe, started from the page's share link (the
// URL fragment, see ../url.js) and driven by its embedder with postMessage.
//
//   <iframe src="https://…/embed.html?view=files&origins=https://blog.example#v1.…">
//
// Query parameters: view, views, lang, theme, readonly, tag (as the element's attributes)
// and origins: the allow-list of embedder origins, separated by commas or spaces. Messages
// from any other origin are ignored, and events are posted only to allowed origins.
// Without `origins` only the playground's own origin is allowed; `origins=*` allows all.
//
// Messages are {channel: 'dockerfile-playground', type, data}:
//   to the frame:   setDockerfile {dockerfile}, setFiles {files: {path: text}},
//                   goToStep {step (1-based)}, getState {}
//   from the frame: ready {engineVersion}, built {ok, steps, image, …},
//                   stepChanged {step, total, instruction, line, status}, state {…}
// Commands sent after the iframe's load event are safe: they wait for the engine.
import './dockerfile-playground.js';
import { decodeLink } from '../url.js';
import { VIEWS } from './config.js';

export const CHANNEL = 'dockerfile-playground';
const PASSED = ['view', 'views', 'lang', 'theme', 'tag'];
const PANEL_TO_VIEW = Object.fromEntries(Object.entries(VIEWS).map(([view, panel]) => [panel, view]));

/** The allow-list from the `origins` parameter: a Set of origins, or '*' for any. */
export function parseOrigins(value, own) {
  const list = String(value ?? '').split(/[\s,]+/).filter(Boolean);
  if (list.includes('*')) return '*';
  const origins = new Set([own]);
  for (const item of list) {
    try { origins.add(new URL(item).origin); } catch { /* not an origin: ignored */ }
  }
  return origins;
}

const params = new URLSearchParams(location.search);
const allowed = parseOrigins(params.get('origins'), location.origin);
const isAllowed = (origin) => allowed === '*' || allowed.has(origin);

const el = document.createElement('dockerfile-playground');
for (const name of PASSED) if (params.has(name)) el.setAttribute(name, params.get(name));
if (params.has('readonly')) el.setAttribute('readonly', '');
el.setAttribute('loading', 'eager');

let link = null;
let linkError = null;
try {
  link = await decodeLink(location.hash);
} catch (error) {
  linkError = error.message;
}
const doc = link?.doc ?? { dockerfile: 'FROM alpine:3.13\nRUN echo hello > /hello.txt\n', files: [], options: {} };
const script = (attrs, text) => {
  const s = document.createElement('script');
  s.type = 'text/plain';
  for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
  s.textContent = text;
  return s;
};
el.append(script({ 'data-dockerfile': '' }, doc.dockerfile));
for (const f of doc.files ?? []) el.append(script({ 'data-path': f.path }, f.text));
const args = doc.options?.buildArgs ?? [];
if (args.length) el.append(script({ 'data-build-args': '' }, args.map((a) => `${a.key}=${a.value}`).join('\n')));
if (doc.options?.builder === 'legacy') el.setAttribute('builder', 'legacy');
if (doc.options?.target) el.setAttribute('target', doc.options.target);
if (doc.options?.noCache) el.setAttribute('no-cache', '');
if (link?.ui?.step !== null && link?.ui?.step !== undefined && !params.has('step')) el.setAttribute('step', String(link.ui.step + 1));
if (params.has('step')) el.setAttribute('step', params.get('step'));
if (!params.has('view') && PANEL_TO_VIEW[link?.ui?.panel]) el.setAttribute('view', PANEL_TO_VIEW[link.ui.panel]);
if (linkError) {
  const note = document.createElement('p');
  note.className = 'link-error';
  note.textContent = `This link cannot be read (${linkError}); showing an example instead.`;
  document.body.append(note);
}
document.body.append(el);

// ---- postMessage -----------------------------------------------------------------------
function post(type, data) {
  if (window.parent === window) return;
  const message = { channel: CHANNEL, type, data };
  if (allowed === '*') { window.parent.postMessage(message, '*'); return; }
  // Post only to the embedder's origin when it is known and allowed; otherwise to each
  // allowed origin (the browser delivers only the one that matches the embedder).
  const embedder = location.ancestorOrigins?.[0] ?? (document.referrer ? new URL(document.referrer).origin : null);
  const targets = embedder ? (isAllowed(embedder) ? [embedder] : []) : [...allowed];
  for (const origin of targets) window.parent.postMessage(message, origin);
}

const COMMANDS = {
  setDockerfile: (d) => el.setDockerfile(String(d?.dockerfile ?? '')),
  setFiles: (d) => el.setFiles(d?.files ?? {}),
  goToStep: (d) => el.goToStep(Number(d?.step)),
  getState: () => post('state', el.getState()),
};

window.addEventListener('message', (event) => {
  if (event.source !== window.parent || !isAllowed(event.origin)) return;
  const { channel, type, data } = event.data ?? {};
  if (channel !== CHANNEL || !Object.hasOwn(COMMANDS, type)) return;
  COMMANDS[type](data);
});

el.addEventListener('ready', (e) => post('ready', e.detail));
el.addEventListener('built', (e) => post('built', e.detail));
el.addEventListener('stepchanged', (e) => post('stepChanged', e.detail));
