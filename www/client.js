// The page side of the engine protocol (PROTOCOL.md). Starts worker.js, numbers every request
// with a rising id, and for the "latest wins" kinds (analyze, build) resolves only the newest
// request: an answer to an older one resolves to {stale: true} and is ignored by callers.
// If the worker dies (uncaught error, wasm trap, load failure) or a request runs past its
// time budget, the worker is replaced by a fresh one and the listeners are told; the page
// state (the user's text) lives elsewhere and is untouched.

const LATEST_WINS = new Set(['analyze', 'build']);
const TIME_BUDGET_MS = { analyze: 5000, build: 20000, docker: 20000 };
const DEFAULT_BUDGET_MS = 10000;

export function createEngineClient({ workerUrl = new URL('./worker.js', import.meta.url) } = {}) {
  let worker = null;
  let nextId = 1;
  const pending = new Map(); // id -> {type, resolve, reject, timer}
  const latest = new Map(); // type -> newest id
  const listeners = { ready: [], restart: [], error: [] };
  let info = null;
  let restarts = 0;

  const emit = (kind, value) => listeners[kind].forEach((fn) => fn(value));

  function start() {
    worker = new Worker(workerUrl, { type: 'module' });
    info = null;
    worker.onmessage = (event) => onMessage(event.data ?? {});
    worker.onerror = (event) => {
      event.preventDefault?.();
      restart(`engine crashed: ${event.message ?? 'worker error'}`);
    };
  }

  function onMessage({ type, id, data }) {
    if (type === 'ready') {
      info = data;
      emit('ready', { ...data, restarts });
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
    emit('restart', { reason, restarts });
    start();
  }

  /** Sends one request; resolves to {stale, value}. */
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
  return {
    request,
    on(kind, fn) { listeners[kind].push(fn); },
    get info() { return info; },
    get restarts() { return restarts; },
    /** Replaces the worker as if it had crashed (used by the "restart engine" menu item). */
    restart: () => restart('restarted on request'),
  };
}
