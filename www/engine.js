// The only importer of the wasm package. Loads the module once and wraps one long-lived
// `Playground` handle in plain functions. Runs inside the Web Worker (worker.js), never on
// the page. Capabilities say which engine functions this build of the wasm really has, so
// the page can say "not available yet" instead of pretending.
import init, { Playground, engineVersion } from '../pkg/dockerfile_playground.js';

const OPTIONAL = ['build', 'layerTree', 'file', 'docker', 'inventory'];

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
    analyze: (text) => handle.analyze(text),
    build: (dockerfile, files, options) => call('build', dockerfile, files, options),
    layerTree: (chainId, path, merged) => call('layerTree', chainId, path, merged),
    file: (chainId, path) => call('file', chainId, path) ?? null,
    docker: (commandLine) => call('docker', commandLine),
    inventory: () => call('inventory'),
  };
}
