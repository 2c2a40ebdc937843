// The problems the editor marks for the text being edited, and the words and colour of the
// problems button: shared by the page (main.js) and the embedded playground (embed/view.js),
// so both count and word them alike.
import { t } from './i18n/index.js';

const key = (d) => `${d.from}:${d.to}:${d.message}`;

// The analysis' diagnostics of the current text, plus the build-time problems (a COPY source
// missing from the context …) of a build of this very text that the analysis does not report.
export function currentDiagnostics(state) {
  const a = state.analysis;
  const list = a && a.text === state.doc.dockerfile ? [...a.diagnostics] : [];
  if (state.build.result && state.build.forText === state.doc.dockerfile) {
    const seen = new Set(list.map(key));
    for (const d of state.build.result.diagnostics ?? []) if (!seen.has(key(d))) list.push(d);
  }
  return list;
}

// The problems button for `list`: its label and class (`checking` while no analysis is back).
export function problemsButton(list, checking) {
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  const infos = list.length - errors - warnings;
  const plural = (name, n) => t(`${name}.${n === 1 ? 'one' : 'other'}`, { n });
  const counts = [errors && plural('problems.error', errors), warnings && plural('problems.warning', warnings), infos && plural('problems.info', infos)].filter(Boolean).join(', ');
  const label = checking ? t('problems.checking') : list.length ? `${counts} — ${t('problems.show')}` : `✓ ${t('problems.none')}`;
  const className = `link-btn ${errors ? 'has-errors' : warnings ? 'has-warnings' : infos ? 'has-infos' : 'ok'}`;
  return { label, className };
}
