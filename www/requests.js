// The engine requests of the worker protocol (PROTOCOL.md): each request type and how an
// engine handle answers it. One table for the page's worker (worker.js) and the embedded
// playgrounds' shared worker (embed/worker.js), so the two always serve the same requests.
export const HANDLERS = {
  analyze: (e, d) => e.analyze(d.text),
  build: (e, d) => e.build(d.dockerfile, d.files, d.options),
  layerTree: (e, d) => e.layerTree(d.ref, d.path),
  file: (e, d) => e.file(d.ref, d.path),
  docker: (e, d) => e.docker(d.commandLine),
  inventory: (e) => e.inventory(),
};
