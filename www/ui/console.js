// The Console panel: a terminal-like pane for `docker …` commands run by the engine's
// simulated docker (state persists in the engine handle: images, containers). Arrow keys walk
// the command history; Tab completes commands, flags and the names of images and containers;
// `clear` clears. Suggested commands of the current example are one click away.
import { h, setChildren } from './dom.js';
import { t } from '../i18n/index.js';

export const DOCKER_COMMANDS = {
  build: ['-t', '--tag', '--target', '--build-arg', '--no-cache', '-f', '--file'],
  images: ['-a', '--all', '-q', '--digests', '--no-trunc'],
  history: ['--no-trunc', '-H', '-q'],
  image: ['inspect', 'ls', 'rm', 'history'],
  inspect: ['-f', '--format', '--type'],
  run: ['--name', '--rm', '-d', '-e', '--entrypoint', '-w', '-u', '-v'],
  ps: ['-a', '-s', '-q', '--no-trunc'],
  exec: ['-w', '-u', '-e'],
  diff: [],
  commit: ['-m', '-c', '--change'],
  rm: ['-f', '-v'],
  rmi: ['-f'],
  tag: [],
  pull: [],
  system: ['df', 'prune'],
  container: ['ls', 'create', 'cp', 'rm', 'diff', 'inspect', 'prune'],
  'builder': ['prune'],
};

/** Completions for the last word of `line` given known image and container names. */
export function complete(line, names = []) {
  const words = line.split(/\s+/);
  const last = words.at(-1) ?? '';
  let options;
  if (words.length === 1) options = ['docker', 'clear', 'help'];
  else if (words[0] !== 'docker') options = [];
  else if (words.length === 2) options = Object.keys(DOCKER_COMMANDS);
  else options = last.startsWith('-') ? DOCKER_COMMANDS[words[1]] ?? [] : [...(DOCKER_COMMANDS[words[1]] ?? []).filter((o) => !o.startsWith('-')), ...names];
  return [...new Set(options.filter((o) => o.startsWith(last)))].sort();
}

export function createConsole({ panel, store, request, onRan }) {
  const history = [];
  let cursor = 0;
  const output = h('pre', { class: 'console-output', role: 'log', 'aria-live': 'polite', tabindex: 0 });
  const input = h('input', {
    type: 'text', id: 'console-input', class: 'console-input', autocomplete: 'off', spellcheck: false,
    autocapitalize: 'off', onkeydown: onKey,
  });
  const prompt = h('span', { class: 'prompt', 'aria-hidden': 'true' }, '$');
  const suggestions = h('div', { class: 'console-suggestions' });
  const form = h('form', { class: 'console-form', onsubmit: (e) => { e.preventDefault(); run(input.value); } },
    h('label', { for: 'console-input', class: 'visually-hidden' }, ''), prompt, input);
  panel.append(output, form, suggestions);

  function print(text, cls) {
    if (!text) return;
    output.append(h('span', { class: cls }, text.endsWith('\n') ? text : `${text}\n`));
    output.scrollTop = output.scrollHeight;
  }

  function names() {
    const inv = store.get().inventory;
    return [
      ...(inv?.images ?? []).flatMap((i) => i.tags ?? []),
      ...(inv?.containers ?? []).map((c) => c.name),
    ];
  }

  async function run(line) {
    const commandLine = line.trim();
    input.value = '';
    if (!commandLine) return;
    history.push(commandLine);
    cursor = history.length;
    print(`$ ${commandLine}`, 'cmd');
    if (commandLine === 'clear') { setChildren(output); return; }
    if (commandLine === 'help') { print(t('console.help')); return; }
    if (!store.get().engine.capabilities.docker) { print(t('console.unavailable'), 'stderr'); return; }
    try {
      const r = await request('docker', { commandLine });
      const { lead = '', stdout, stderr, exitCode, notes = [] } = r.value;
      print(lead, 'stderr');
      print(stdout, 'stdout');
      print(stderr, 'stderr');
      // The simulation's own notes: not docker output, so marked and styled apart.
      for (const note of notes) print(t('console.note', { note }), 'note');
      if (exitCode !== 0) print(t('console.exit', { code: exitCode }), 'exit');
      onRan?.();
    } catch (error) {
      print(error.message, 'stderr');
    }
  }

  function onKey(event) {
    if (event.key === 'ArrowUp' && history.length) {
      event.preventDefault();
      cursor = Math.max(0, cursor - 1);
      input.value = history[cursor] ?? '';
    } else if (event.key === 'ArrowDown' && history.length) {
      event.preventDefault();
      cursor = Math.min(history.length, cursor + 1);
      input.value = history[cursor] ?? '';
    } else if (event.key === 'Tab' && input.value.trim() && !event.shiftKey) {
      const options = complete(input.value, names());
      if (!options.length) return;
      event.preventDefault();
      if (options.length === 1) {
        input.value = input.value.replace(/\S*$/, `${options[0]} `);
      } else {
        const prefix = commonPrefix(options);
        input.value = input.value.replace(/\S*$/, prefix);
        print(options.join('  '), 'hint');
      }
    } else if (event.key === 'l' && event.ctrlKey) {
      event.preventDefault();
      setChildren(output);
    }
  }

  function renderChrome(state) {
    input.setAttribute('aria-label', t('console.input'));
    form.querySelector('label').textContent = t('console.input');
    const commands = state.ui.exampleCommands ?? [];
    setChildren(suggestions, 
      commands.length ? h('span', { class: 'muted' }, `${t('console.try')} `) : null,
      ...commands.map((c) => h('button', { type: 'button', class: 'chip', onclick: () => { input.value = c; input.focus(); } }, c)));
    if (!output.childNodes.length) print(state.engine.capabilities.docker ? t('console.welcome') : state.engine.status === 'loading' ? t('engine.loading') : t('console.unavailable'), 'hint');
  }

  return {
    render(state, prev) {
      if (!prev || state.engine !== prev.engine || state.lang !== prev.lang || state.ui.exampleCommands !== prev.ui.exampleCommands) {
        if (prev && state.engine.capabilities.docker !== prev.engine.capabilities.docker) setChildren(output);
        renderChrome(state);
      }
    },
    run,
    focus: () => input.focus(),
  };
}

function commonPrefix(list) {
  let prefix = list[0] ?? '';
  for (const item of list) while (!item.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
