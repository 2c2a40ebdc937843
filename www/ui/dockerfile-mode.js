// Syntax highlighting for Dockerfiles: a small CodeMirror StreamLanguage of our own. It only
// colours (keywords, flags, variables, strings, comments, parser directives, heredocs,
// continuation lines); every judgement about validity comes from the engine's diagnostics.
import { StreamLanguage } from '@codemirror/language';

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

export const dockerfileLanguage = StreamLanguage.define({
  name: 'dockerfile',
  startState: () => ({ instr: false, kw: null, cont: false, seenInstr: false, heredoc: null, pending: [], argStart: false }),
  copyState: (s) => ({ ...s, pending: s.pending.slice() }),
  token(stream, st) {
    if (stream.sol()) {
      if (st.heredoc) {
        const line = st.heredoc.strip ? stream.string.replace(/^\t+/, '') : stream.string;
        const isEnd = line === st.heredoc.delim;
        stream.skipToEnd();
        if (isEnd) st.heredoc = st.pending.shift() ?? null;
        return isEnd ? 'meta' : 'string-2';
      }
      if (st.cont) {
        st.cont = false;
        if (stream.match(/^\s*#.*$/)) { st.cont = true; return 'comment'; }
      } else if (st.pending.length) {
        st.heredoc = st.pending.shift();
        return this.token(stream, st);
      } else {
        st.instr = false;
      }
    }
    if (stream.eatSpace()) return null;
    if (!st.instr) {
      if (!st.seenInstr && stream.match(/^#\s*[a-zA-Z]+\s*=.*$/)) return 'meta';
      if (stream.match(/^#.*$/)) return 'comment';
      const word = stream.match(/^[A-Za-z]+/);
      if (word) {
        st.instr = true;
        st.seenInstr = true;
        st.kw = word[0].toUpperCase();
        st.argStart = true;
        return 'keyword';
      }
      stream.next();
      return null;
    }
    if (stream.match(/^\\\s*$/)) { st.cont = true; return 'operator'; }
    if (st.argStart && stream.match(/^--[A-Za-z-]+(=\S*)?/)) return 'attribute';
    st.argStart = false;
    if (st.kw === 'FROM' && stream.match(/^as\b/i)) return 'keyword';
    if (HEREDOC_KEYWORDS.has(st.kw)) {
      const m = stream.match(/^<<(-?)(["']?)([A-Za-z_][\w.-]*)\2/);
      if (m) { st.pending.push({ delim: m[3], strip: m[1] === '-' }); return 'meta'; }
    }
    if (stream.match(/^\$\{[^}\s]*\}?/) || stream.match(/^\$[A-Za-z_]\w*/)) return 'variable-2';
    const quote = stream.peek();
    if (quote === '"' || quote === "'") {
      stream.next();
      let escaped = false;
      for (let ch; (ch = stream.next()) != null;) {
        if (ch === quote && !escaped) break;
        escaped = !escaped && ch === '\\' && quote === '"';
      }
      return 'string';
    }
    if (stream.match(/^(&&|\|\||;|\|)/)) return 'operator';
    if (stream.match(/^[[\],]/)) return 'bracket';
    if (stream.match(/^\d+(\/(tcp|udp))?\b/)) return 'number';
    stream.next();
    stream.eatWhile(/[^\s$"'\\&|;[\],]/);
    return null;
  },
  blankLine(st) {
    if (!st.cont && !st.heredoc && st.pending.length) st.heredoc = st.pending.shift();
    else if (!st.cont && !st.heredoc) st.instr = false;
  },
  languageData: { commentTokens: { line: '#' } },
});
