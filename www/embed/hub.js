// One engine worker for every <dockerfile-playground> on the page (so the wasm module is
// downloaded and compiled once), with one session per element. The same protocol as the
// page's client.js (../PROTOCOL.md) plus `data.session`; "latest wins" (analyze, build)
// holds per session, so one playground's build never makes another's answer stale.
// A crashed or stuck worker is replaced and every session is told (`restart`); sessions
// then rebuild from their own state, which lives in the elements, not in the worker.
//
// The worker script lives next to this module. Browsers only start workers from the page's
// own origin, so when the component is loaded from another origin (a CDN, the playground's
// site) the worker is started from a tiny same-origin blob that imports the real script;
// that host must then send CORS headers, as it must for the module script anyway.

const LATEST_WINS = new Set(['analyze', 'build']);
const TIME_BUDGET_MS = { analyze: 5000, build: 20000, docker: 20000 };
const DEFAULT_BUDGET_MS = 10000;

let shared = null;

/** The page-wide hub (created on first use). */
export function engineHub(workerUrl) {
  shared ??= createHub(workerUrl);
  return shared;
}

export function createHub(workerUrl) {
  let worker = null;
  let nextId = 1;
  let nextSession = 1;
  let info = null;
  let restarts = 0;
  const pending = new Map(); // id -> {session, type, resolve, reject, timer}
  const latest = new Map(); // `${session} ${type}` -> newest id
  const sessions = new Map(); // session -> {ready: fn[], restart: fn[]}

  function spawn() {
    const url = new URL(workerUrl, location.href);
    if (url.origin === location.origin) return new Worker(url, { type: 'module' });
    const shim = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
    return new Worker(URL.createObjectURL(shim), { type: 'module' });
  }

  function start() {
    info = null;
    worker = spawn();
    worker.onmessage = (event) => onMessage(event.data ?? {});
    worker.onerror = (event) => {
      event.preventDefault?.();
      restart(`engine crashed: ${event.message ?? 'worker error'}`);
    };
  }

  const emit = (kind, value) => {
    for (const s of sessions.values()) for (const fn of s[kind]) fn(value);
  };

  function onMessage({ type, id, data }) {
    if (type === 'ready') {
      info = { ...data, restarts };
      emit('ready', info);
      return;
    }
    const entry = pending.get(id);
    if (type === 'error' && data?.fatal) {
      if (entry) settle(id, () => entry.reject(new Error(data.message)));
      restart(`engine crashed: ${data.message}`);
      return;
    }
    if (!entry) return;
    if (type === 'result') {
      const stale = LATEST_WINS.has(entry.type) && latest.get(`${entry.session} ${entry.type}`) !== id;
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

  function request(session, type, data) {
    if (!worker) start();
    const id = nextId++;
    if (LATEST_WINS.has(type)) latest.set(`${session} ${type}`, id);
    return new Promise((resolve, reject) => {
      const budget = TIME_BUDGET_MS[type] ?? DEFAULT_BUDGET_MS;
      const timer = setTimeout(() => {
        if (pending.has(id)) restart(`engine did not answer ${type} within ${budget / 1000} s`);
      }, budget);
      pending.set(id, { session, type, resolve, reject, timer });
      worker.postMessage({ type, id, data: { ...data, session } });
    });
  }

  return {
    /** A new session: its own engine state in the shared worker. */
    session() {
      const id = nextSession++;
      const listeners = { ready: [], restart: [] };
      sessions.set(id, listeners);
      if (!worker) start();
      return {
        id,
        request: (type, data) => request(id, type, data),
        on(kind, fn) {
          listeners[kind].push(fn);
          if (kind === 'ready' && info) queueMicrotask(() => fn(info));
        },
        get info() { return info; },
        /** Frees the session's engine state in the worker (its element left the page). A
         *  later request starts the session again from nothing. */
        release() {
          worker?.postMessage({ type: 'dispose', id: 0, data: { session: id } });
        },
      };
    },
    get workerCount() { return worker ? 1 : 0; },
    get restarts() { return restarts; },
  };
}
