// Taking the playground elsewhere: the context as a .tar, the real docker commands that build
// and run it, and a Markdown write-up (Dockerfile, files, commands, link, build summary).
import { tarArchive } from './tar.js';
import { humanSize } from './format.js';

export const IMAGE_TAG = 'playground';

export function contextFiles(doc) {
  return [{ path: 'Dockerfile', text: doc.dockerfile }, ...doc.files.filter((f) => f.path !== 'Dockerfile')];
}

export function contextTar(doc) {
  return tarArchive(contextFiles(doc));
}

const shellQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

export function dockerCommands(doc) {
  const o = doc.options;
  const build = [o.builder === 'legacy' ? 'DOCKER_BUILDKIT=0 docker build' : 'docker build', '-t', IMAGE_TAG];
  if (o.target) build.push('--target', shellQuote(o.target));
  for (const a of o.buildArgs) if (a.key) build.push('--build-arg', shellQuote(`${a.key}=${a.value}`));
  if (o.noCache) build.push('--no-cache');
  build.push('.');
  return [
    'mkdir playground && tar -xf playground-context.tar -C playground && cd playground',
    build.join(' '),
    `docker run --rm ${IMAGE_TAG}`,
  ];
}

export function toMarkdown(state, link) {
  const { doc } = state;
  const fence = (text, lang = '') => {
    const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    return `${ticks}${lang}\n${text.replace(/\n?$/, '\n')}${ticks}`;
  };
  const parts = ['### Dockerfile', '', fence(doc.dockerfile, 'dockerfile')];
  for (const f of doc.files) parts.push('', `### ${f.path}`, '', fence(f.text));
  parts.push('', '### Build and run', '', fence(dockerCommands(doc).slice(1).join('\n'), 'sh'));
  const result = state.build.result;
  if (result) {
    parts.push('', `### Build (${result.builder}${result.image ? `, image ${humanSize(result.image.size)}` : ''})`, '', '| # | Line | Instruction | Status | Layer |', '|---|---|---|---|---|');
    result.steps.forEach((s, i) => parts.push(`| ${i + 1} | ${s.line} | \`${s.instruction.replace(/\|/g, '\\|').replace(/`/g, "'")}\` | ${s.status} | ${s.layer ? humanSize(s.layer.size) : '—'} |`));
  }
  if (link) parts.push('', `[Open in Dockerfile Playground](${link})`);
  return `${parts.join('\n')}\n`;
}
