// The Web Worker shared by every <dockerfile-playground> on a page. It speaks the page's
// protocol (../PROTOCOL.md: {type, id, data}) with one addition: `data.session` names the
// playground the request is for. The wasm module is fetched and instantiated once; each
// session gets its own engine handle on that one module (its own images, containers, build
// cache and "last build"), so playgrounds on one page never see each other's builds.
// `dispose` forgets a session (its element left the page).
import { loadEngine } from '../engine.js';
import { HANDLERS } from '../requests.js';

const wasmUrl = new URL('./dockerfile_playground_bg.wasm', import.meta.url);

// The first load fetches and instantiates the module; later handles reuse it (the glue's
// init returns the existing instance), so they must wait for the first one to finish.
const firstEngine = loadEngine(wasmUrl);
const sessions = new Map(); // session id -> Promise<engine>
let firstTaken = false;

firstEngine.then(
  (engine) => self.postMessage({
    type: 'ready', id: 0,
    data: { engineVersion: engine.version, capabilities: engine.capabilities },
  }),
  (error) => self.postMessage({ type: 'error', id: 0, data: { message: String(error), fatal: true } }),
);

function engineFor(session) {
  const key = String(session ?? '');
  if (!sessions.has(key)) {
    const take = !firstTaken;
    firstTaken = true;
    sessions.set(key, take ? firstEngine : firstEngine.then(() => loadEngine(wasmUrl)));
  }
  return sessions.get(key);
}

self.onmessage = async (event) => {
  const { type, id, data } = event.data ?? {};
  if (type === 'dispose') {
    sessions.delete(String(data?.session ?? ''));
    return;
  }
  const handler = HANDLERS[type];
  if (!handler) {
    self.postMessage({ type: 'error', id, data: { message: `unknown request type ${type}`, fatal: false } });
    return;
  }
  let engine;
  try {
    engine = await engineFor(data?.session);
  } catch (error) {
    self.postMessage({ type: 'error', id, data: { message: String(error), fatal: true } });
    return;
  }
  try {
    self.postMessage({ type: 'result', id, data: handler(engine, data ?? {}) });
  } catch (error) {
    const fatal = error instanceof WebAssembly.RuntimeError;
    self.postMessage({ type: 'error', id, data: { message: String(error?.message ?? error), fatal } });
  }
};
