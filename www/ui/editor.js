// The code editor (CodeMirror 6). One view; one EditorState per context file so each file
// keeps its own undo history. The Dockerfile gets highlighting, the engine's diagnostics
// (underlines + lint gutter), hover help, keyword completion, a breakpoint gutter and the
// highlight of the current build step's lines. The editor owns no app state: it reports
// edits and gestures through callbacks and is told what to show.
import { EditorState, StateEffect, StateField, RangeSetBuilder, Compartment } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  gutter, GutterMarker, Decoration, hoverTooltip, tooltips,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, bracketMatching } from '@codemirror/language';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { autocompletion } from '@codemirror/autocomplete';
import { lintGutter, setDiagnostics, lintKeymap, openLintPanel } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import { dockerfileLanguage } from './dockerfile-mode.js';
import { t, INSTRUCTIONS } from '../i18n/index.js';

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--syn-keyword)', fontWeight: '600' },
  { tag: tags.comment, color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--syn-string)' },
  { tag: tags.special(tags.variableName), color: 'var(--syn-variable)' },
  { tag: tags.attributeName, color: 'var(--syn-flag)' },
  { tag: tags.meta, color: 'var(--syn-meta)' },
  { tag: [tags.operator, tags.bracket], color: 'var(--syn-operator)' },
  { tag: tags.number, color: 'var(--syn-number)' },
]);

// ---- current step and hovered lines ---------------------------------------------------
const setLineMarks = StateEffect.define(); // {kind: 'step'|'hover', range: {start, end}|null}
const lineMarks = StateField.define({
  create: () => ({ step: null, hover: null, deco: Decoration.none }),
  update(value, tr) {
    let next = value;
    for (const e of tr.effects) if (e.is(setLineMarks)) next = { ...next, [e.value.kind]: e.value.range };
    if (next === value && !tr.docChanged) return value;
    return { ...next, deco: buildLineDeco(tr.state.doc, next) };
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.deco),
});

function buildLineDeco(doc, { step, hover }) {
  const classes = new Map();
  const mark = (range, cls) => {
    if (!range) return;
    const end = Math.min(range.end, doc.lines);
    for (let n = Math.max(1, range.start); n <= end; n++) classes.set(n, `${classes.get(n) ?? ''} ${cls}`.trim());
  };
  mark(step, 'cm-step-line');
  mark(hover, 'cm-hover-line');
  const builder = new RangeSetBuilder();
  for (const n of [...classes.keys()].sort((a, b) => a - b)) {
    builder.add(doc.line(n).from, doc.line(n).from, Decoration.line({ class: classes.get(n) }));
  }
  return builder.finish();
}

// ---- breakpoints -----------------------------------------------------------------------
const setBreakpoints = StateEffect.define();
const breakpointState = StateField.define({
  create: () => new Set(),
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setBreakpoints)) return new Set(e.value);
    return value;
  },
});
class BreakpointMarker extends GutterMarker {
  toDOM() {
    const el = document.createElement('span');
    el.className = 'cm-breakpoint';
    el.textContent = '●';
    el.setAttribute('aria-label', t('timeline.breakpoint'));
    return el;
  }
}
const breakpointMarker = new BreakpointMarker();

export function createEditor(parent, callbacks) {
  const { onChange, onEarlyText, onToggleBreakpoint, onHoverLine, onBuild, onCursorLine } = callbacks;
  let outline = [];
  const states = new Map();
  let current = null; // {key, isDockerfile}
  let suppress = false;
  const lintCompartment = new Compartment();

  const breakpointGutter = gutter({
    class: 'cm-breakpoint-gutter',
    lineMarker(view, line) {
      return view.state.field(breakpointState).has(view.state.doc.lineAt(line.from).number) ? breakpointMarker : null;
    },
    lineMarkerChange: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(setBreakpoints))),
    initialSpacer: () => breakpointMarker,
    domEventHandlers: {
      mousedown(view, line) {
        onToggleBreakpoint(view.state.doc.lineAt(line.from).number);
        return true;
      },
    },
  });

  const instructionHelp = hoverTooltip((view, pos) => {
    const item = outline.find((i) => pos >= i.from && pos <= i.from + i.keyword.length);
    if (!item || !INSTRUCTIONS.includes(item.keyword)) return null;
    return {
      pos: item.from,
      end: item.from + item.keyword.length,
      above: true,
      create() {
        const dom = document.createElement('div');
        dom.className = 'cm-instruction-help';
        const title = document.createElement('strong');
        title.textContent = item.keyword;
        const body = document.createElement('p');
        body.textContent = t(`instr.${item.keyword}`);
        const layer = document.createElement('p');
        layer.className = 'muted';
        layer.textContent = t(`instr.layer.${item.keyword}`, {}, t('instr.layer.meta'));
        dom.append(title, body, layer);
        return { dom };
      },
    };
  }, { hoverTime: 250 });

  // Instruction keywords, offered only while typing the first word of an instruction.
  const keywordCompletion = (context) => {
    const line = context.state.doc.lineAt(context.pos);
    const m = /^(\s*)([A-Za-z]*)$/.exec(line.text.slice(0, context.pos - line.from));
    if (!m || (!m[2] && !context.explicit)) return null;
    const prev = line.number > 1 ? context.state.doc.line(line.number - 1).text : '';
    if (/\\\s*$/.test(prev)) return null; // a continuation line is not an instruction start
    return {
      from: line.from + m[1].length,
      options: INSTRUCTIONS.map((k) => ({ label: k, type: 'keyword', info: t(`instr.${k}`), apply: `${k} ` })),
      validFor: /^[A-Za-z]*$/,
    };
  };

  const appKeys = keymap.of([
    { key: 'Mod-Enter', run: () => { onBuild(); return true; } },
    { key: 'F9', run: (view) => { onToggleBreakpoint(view.state.doc.lineAt(view.state.selection.main.head).number); return true; } },
  ]);

  function baseExtensions(isDockerfile) {
    const common = [
      lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), highlightActiveLine(),
      highlightSelectionMatches(), bracketMatching(), EditorView.lineWrapping,
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
      appKeys,
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !suppress) onChange(current?.key ?? null, u.state.doc.toString());
        if (u.selectionSet || u.docChanged) onCursorLine?.(u.state.doc.lineAt(u.state.selection.main.head).number);
      }),
      // Tooltips live in <body>: the editor box has CSS containment, which would clip them.
      tooltips({ parent: document.body }),
      EditorView.contentAttributes.of({ 'aria-label': isDockerfile ? t('editor.dockerfile') : t('editor.file') }),
      // Every state carries the completion field: its blur handler can still fire on the
      // old view plugin right after setState swaps files (CodeMirror reads the field then).
      autocompletion({ override: [isDockerfile ? keywordCompletion : () => null], icons: false }),
    ];
    if (!isDockerfile) return common;
    return [
      breakpointGutter, lintCompartment.of(lintGutter()), ...common,
      dockerfileLanguage, syntaxHighlighting(highlight),
      lineMarks, breakpointState, instructionHelp,
    ];
  }

  const view = new EditorView({
    parent,
    // Tell the app about a new Dockerfile text before CodeMirror redraws, so the engine
    // analyses it while the page paints the keystroke.
    dispatchTransactions(trs, v) {
      const last = trs[trs.length - 1];
      if (current?.isDockerfile && !suppress && trs.some((tr) => tr.docChanged)) onEarlyText?.(last.state.doc.toString());
      v.update(trs);
    },
  });

  // Line hover → callback (for linking the stack and timeline to source lines).
  let hovered = null;
  view.dom.addEventListener('mousemove', (event) => {
    if (!current?.isDockerfile) return;
    const pos = view.posAtCoords({ x: event.clientX, y: event.clientY });
    const line = pos == null ? null : view.state.doc.lineAt(pos).number;
    if (line !== hovered) { hovered = line; onHoverLine?.(line); }
  });
  view.dom.addEventListener('mouseleave', () => { if (hovered !== null) { hovered = null; onHoverLine?.(null); } });

  function stateFor(key, text, isDockerfile) {
    let state = states.get(key);
    if (!state || state.doc.toString() !== text) {
      state = EditorState.create({ doc: text, extensions: baseExtensions(isDockerfile) });
    }
    return state;
  }

  return {
    view,
    /** Shows file `key` (null = the Dockerfile) with `text`. */
    show(key, text) {
      const isDockerfile = key === null;
      if (current && current.key === key) {
        if (view.state.doc.toString() !== text) {
          suppress = true;
          view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
          suppress = false;
        }
        return;
      }
      if (current) states.set(current.key, view.state);
      current = { key, isDockerfile };
      view.setState(stateFor(key, text, isDockerfile));
    },
    /** Forgets cached states (after loading another document). */
    reset() { states.clear(); current = null; },
    setDiagnostics(list) {
      if (!current?.isDockerfile) return;
      const length = view.state.doc.length;
      const diagnostics = list.map((d) => ({
        from: Math.min(d.from, length),
        to: Math.min(Math.max(d.to, d.from), length),
        severity: d.severity === 'info' ? 'info' : d.severity === 'warning' ? 'warning' : 'error',
        source: d.code,
        message: d.help ? `${d.message}\n${d.help}` : d.message,
      }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    setOutline(list) { outline = list ?? []; },
    setStepLines(range) { if (current?.isDockerfile) view.dispatch({ effects: setLineMarks.of({ kind: 'step', range }) }); },
    setHoverLines(range) { if (current?.isDockerfile) view.dispatch({ effects: setLineMarks.of({ kind: 'hover', range }) }); },
    setBreakpoints(lines) { if (current?.isDockerfile) view.dispatch({ effects: setBreakpoints.of(lines) }); },
    revealLine(line) {
      if (!current?.isDockerfile || line < 1 || line > view.state.doc.lines) return;
      view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(line).from, { y: 'nearest' }) });
    },
    openProblems() { openLintPanel(view); },
    focus() { view.focus(); },
    get isDockerfile() { return Boolean(current?.isDockerfile); },
  };
}
