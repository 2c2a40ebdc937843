// The engine's Web Worker: serves the {type, id, data} protocol of PROTOCOL.md over the wasm
// engine, so a long build never freezes typing. Requests are answered in arrival order; the
// page drops stale answers by id. A wasm trap (panic) leaves the instance unusable, so it is
// reported as fatal and the page starts a fresh worker.
import { loadEngine } from './engine.js';
import { HANDLERS } from './requests.js';

const engineReady = loadEngine(new URL('./dockerfile_playground_bg.wasm', import.meta.url));

engineReady.then(
  (engine) => self.postMessage({
    type: 'ready', id: 0,
    data: { engineVersion: engine.version, capabilities: engine.capabilities },
  }),
  (error) => self.postMessage({ type: 'error', id: 0, data: { message: String(error), fatal: true } }),
);

self.onmessage = async (event) => {
  const { type, id, data } = event.data ?? {};
  const handler = HANDLERS[type];
  if (!handler) {
    self.postMessage({ type: 'error', id, data: { message: `unknown request type ${type}`, fatal: false } });
    return;
  }
  let engine;
  try {
    engine = await engineReady;
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
