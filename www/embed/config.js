// Reads an element's markup into a playground document. The markup is the author's
// content, so everything is text: nothing here is parsed as HTML or run.
//
//   <dockerfile-playground view="files" step="3">
//     FROM alpine:3.13                                ← the Dockerfile: the element's own text
//     COPY hello.txt /                                  (or <script type="text/plain" data-dockerfile>,
//     <script type="text/plain" data-path="hello.txt">   or a src="…" attribute)
//     test
//     </script>                                       ← build-context files
//     <script type="text/plain" data-image="base:1">FROM alpine:3.13</script>
//                                                     ← images built first (same session), tagged
//     <script type="text/plain" data-console>docker ps -s</script>
//                                                     ← console commands (data-console="run": run
//                                                       them after the first build)
//     <script type="text/plain" data-build-args>VERSION=1.2</script>
//                                                     ← --build-arg values, one KEY=value a line
//   </dockerfile-playground>

export const VIEWS = { build: 'build', stack: 'layers', files: 'files', history: 'image', stages: 'stages', console: 'console' };
export const VIEW_NAMES = Object.keys(VIEWS);
export const DEFAULT_VIEWS = ['stack', 'build', 'files', 'history', 'stages', 'console'];

/** Removes the indentation common to all non-blank lines, and blank lines at both ends. */
export function dedent(text) {
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines.at(-1).trim()) lines.pop();
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** A file's text: dedented, ending with exactly one newline unless empty. */
function fileText(text) {
  const body = dedent(text);
  return body ? `${body}\n` : '';
}

const isPlainScript = (el) => el.tagName === 'SCRIPT' && (el.type || '').toLowerCase() === 'text/plain';

/** The document the element's children describe. */
export function readMarkup(el) {
  const scripts = [...el.children].filter(isPlainScript);
  const own = scripts.find((s) => s.hasAttribute('data-dockerfile'));
  const text = own
    ? own.textContent
    : [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('');
  const files = [];
  const images = [];
  const commands = [];
  const buildArgs = [];
  let runCommands = false;
  for (const s of scripts) {
    if (s.hasAttribute('data-path')) {
      const path = s.getAttribute('data-path').trim();
      if (path && !files.some((f) => f.path === path)) files.push({ path, text: fileText(s.textContent) });
    } else if (s.hasAttribute('data-image')) {
      const tag = s.getAttribute('data-image').trim();
      if (tag) images.push({ tag, dockerfile: fileText(s.textContent) });
    } else if (s.hasAttribute('data-console')) {
      commands.push(...dedent(s.textContent).split('\n').map((l) => l.trim()).filter(Boolean));
      if (s.getAttribute('data-console') === 'run') runCommands = true;
    } else if (s.hasAttribute('data-build-args')) {
      for (const line of dedent(s.textContent).split('\n')) {
        const eq = line.indexOf('=');
        const key = (eq < 0 ? line : line.slice(0, eq)).trim();
        if (key) buildArgs.push({ key, value: eq < 0 ? '' : line.slice(eq + 1) });
      }
    }
  }
  return { dockerfile: fileText(text), files, images, commands, runCommands, buildArgs };
}

/** `views` attribute → the list of tabs (unknown names dropped; all when empty). */
export function parseViews(value) {
  const list = String(value ?? '').split(/[\s,]+/).filter((v) => VIEW_NAMES.includes(v));
  return list.length ? [...new Set(list)] : DEFAULT_VIEWS;
}

/** `step` attribute (1-based, as the timeline counts) → a step index, or null for "the last". */
export function parseStep(value) {
  const n = Number.parseInt(String(value ?? ''), 10);
  return Number.isInteger(n) && n >= 1 ? n - 1 : null;
}

/** `height` attribute → a CSS length ("480" means pixels), or null. */
export function parseHeight(value) {
  const v = String(value ?? '').trim();
  if (/^\d+(\.\d+)?$/.test(v)) return `${v}px`;
  if (/^\d+(\.\d+)?(px|em|rem|vh|svh|dvh|%)$/.test(v)) return v;
  return null;
}
