// The page side of the engine protocol (PROTOCOL.md). Two Web Workers run the same
// worker.js: one only analyses the Dockerfile on every keystroke, the other holds the
// engine session (builds, file trees, docker commands), so typing never waits behind a build.
// Every request gets a rising id; for the "latest wins" kinds (analyze, build) only the newest
// request resolves with a value, an answer to an older one resolves to {stale: true}.
// If a worker dies (uncaught error, wasm trap, load failure) or a request runs past its time
// budget, that worker is replaced by a fresh one and the listeners are told; the page state
// (the user's text) lives elsewhere and is untouched.

const LATEST_WINS = new Set(['analyze', 'build']);
const TIME_BUDGET_MS = { analyze: 5000, build: 20000, docker: 20000 };
const DEFAULT_BUDGET_MS = 10000;
const CHANNEL_OF = (type) => (type === 'analyze' ? 'analysis' : 'engine');

function createChannel(name, workerUrl, emit) {
  let worker = null;
  let nextId = 1;
  let restarts = 0;
  const pending = new Map(); // id -> {type, resolve, reject, timer}
  const latest = new Map(); // type -> newest id

  function start() {
    worker = new Worker(workerUrl, { type: 'module', name: `dockerfile-playground-${name}` });
    worker.onmessage = (event) => onMessage(event.data ?? {});
    worker.onerror = (event) => {
      event.preventDefault?.();
      restart(`engine crashed: ${event.message ?? 'worker error'}`);
    };
  }

  function onMessage({ type, id, data }) {
    if (type === 'ready') {
      emit('ready', { ...data, channel: name, restarts });
      return;
    }
    if (type === 'error' && data?.fatal) {
      const entry = pending.get(id);
      if (entry) settle(id, () => entry.reject(new Error(data.message)));
      restart(`engine crashed: ${data.message}`);
      return;
    }
    const entry = pending.get(id);
    if (!entry) return;
    if (type === 'result') {
      const stale = LATEST_WINS.has(entry.type) && latest.get(entry.type) !== id;
      settle(id, () => entry.resolve(stale ? { stale: true } : { stale: false, value: data }));
    } else {
      settle(id, () => entry.reject(new Error(data?.message ?? 'engine error')));
    }
  }

  function settle(id, fn) {
    const entry = pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(id);
    fn();
  }

  function restart(reason) {
    restarts += 1;
    worker?.terminate();
    for (const [id, entry] of pending) settle(id, () => entry.reject(new Error(reason)));
    emit('restart', { reason, restarts, channel: name });
    start();
  }

  function request(type, data) {
    const id = nextId++;
    if (LATEST_WINS.has(type)) latest.set(type, id);
    return new Promise((resolve, reject) => {
      const budget = TIME_BUDGET_MS[type] ?? DEFAULT_BUDGET_MS;
      const timer = setTimeout(() => {
        if (pending.has(id)) restart(`engine did not answer ${type} within ${budget / 1000} s`);
      }, budget);
      pending.set(id, { type, resolve, reject, timer });
      worker.postMessage({ type, id, data });
    });
  }

  start();
  return { request, restart: () => restart('restarted on request') };
}

export function createEngineClient({ workerUrl = new URL('./worker.js', import.meta.url) } = {}) {
  const listeners = { ready: [], restart: [] };
  const emit = (kind, value) => listeners[kind].forEach((fn) => fn(value));
  const channels = {
    analysis: createChannel('analysis', workerUrl, emit),
    engine: createChannel('engine', workerUrl, emit),
  };
  return {
    /** Sends one request to the worker that serves its type; resolves to {stale, value}. */
    request: (type, data) => channels[CHANNEL_OF(type)].request(type, data),
    on(kind, fn) { listeners[kind].push(fn); },
    /** Replaces both workers as if they had crashed. */
    restart() { channels.analysis.restart(); channels.engine.restart(); },
  };
}
