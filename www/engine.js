// The only importer of the wasm package. Loads the module once and wraps one long-lived
// `Playground` handle in plain functions. Runs inside the Web Worker (worker.js), never on
// the page. Capabilities say which engine functions this build of the wasm really has, so
// the page can say "not available yet" instead of pretending.
import init, { Playground, engineVersion } from '../pkg/dockerfile_playground.js';

const OPTIONAL = ['build', 'layerTree', 'file', 'docker', 'inventory'];

// serde-wasm-bindgen turns Rust's None into undefined; the protocol promises null.
function nullify(value, depth = 0) {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = nullify(value[i], depth + 1);
    return value;
  }
  for (const key of Object.keys(value)) value[key] = nullify(value[key], depth + 1);
  return value;
}

export async function loadEngine(wasmUrl) {
  await init({ module_or_path: wasmUrl });
  const handle = new Playground();
  const capabilities = { analyze: true };
  for (const name of OPTIONAL) capabilities[name] = typeof handle[name] === 'function';
  const call = (name, ...args) => {
    if (!capabilities[name]) throw new Error(`engine has no ${name}()`);
    return handle[name](...args);
  };
  return {
    version: engineVersion(),
    capabilities,
    analyze: (text) => nullify(handle.analyze(text)),
    build: (dockerfile, files, options) => nullify(call('build', dockerfile, files, options)),
    layerTree: (ref, path) => nullify(call('layerTree', ref, path)),
    file: (ref, path) => nullify(call('file', ref, path)),
    docker: (commandLine) => nullify(call('docker', commandLine)),
    inventory: () => nullify(call('inventory')),
  };
}
