// Thin first slice: Dockerfile text → wasm analyze → instruction list and problems.
import init, { Playground, engineVersion } from '../pkg/dockerfile_playground.js';

const SAMPLE = `FROM node:14.16.1-alpine3.13
WORKDIR /app
LABEL author="xxx"
ENV BUILD_ENV=dev
COPY ./hello.txt ./
RUN echo aaaaaaaaabbbbbbbbbb>>hello.txt
`;

await init({ module_or_path: new URL('./dockerfile_playground_bg.wasm', import.meta.url) });
const playground = new Playground();
const editor = document.getElementById('dockerfile');
const outline = document.getElementById('outline');
const problems = document.getElementById('diagnostics');
document.getElementById('engine-version').textContent = engineVersion();

function render() {
  const analysis = playground.analyze(editor.value);
  outline.replaceChildren(
    ...analysis.instructions.map((i) => {
      const li = document.createElement('li');
      li.textContent = `${i.startLine}: ${i.keyword}`;
      return li;
    }),
  );
  problems.replaceChildren(
    ...analysis.diagnostics.map((d) => {
      const li = document.createElement('li');
      li.textContent = `${d.line}:${d.column} ${d.severity}: ${d.message}`;
      return li;
    }),
  );
}

editor.value = SAMPLE;
editor.addEventListener('input', render);
render();
