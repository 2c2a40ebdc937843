// Share links: the whole shareable state in the URL fragment, versioned and compressed.
//   #v1.<base64url(deflate-raw(JSON))>
// The fragment never reaches a server. Decoding is strict: anything that is not a known
// version, not valid base64url, not inflatable or not the expected shape throws a
// LinkError, and the caller keeps the user's work and shows a message.

export const LINK_VERSION = 'v1';
const MAX_LINK_CHARS = 400_000;
const MAX_JSON_BYTES = 2_000_000;

export class LinkError extends Error {}

/** @param {{doc, ui:{step, panel, activeFile, breakpoints}}} snapshot */
export async function encodeLink({ doc, ui }) {
  const payload = {
    dockerfile: doc.dockerfile,
    files: doc.files.map((f) => [f.path, f.text]),
    options: {
      builder: doc.options.builder,
      target: doc.options.target,
      buildArgs: doc.options.buildArgs.map((a) => [a.key, a.value]),
      noCache: doc.options.noCache,
    },
    step: ui.step ?? null,
    panel: ui.panel ?? null,
    activeFile: ui.activeFile ?? null,
    breakpoints: ui.breakpoints ?? [],
  };
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  const packed = await transform(bytes, new CompressionStream('deflate-raw'));
  return `#${LINK_VERSION}.${toBase64Url(packed)}`;
}

/** Returns null for an empty fragment, the snapshot for a good one; throws LinkError otherwise. */
export async function decodeLink(hash) {
  const fragment = String(hash ?? '').replace(/^#/, '');
  if (!fragment) return null;
  if (fragment.length > MAX_LINK_CHARS) throw new LinkError('too long');
  const dot = fragment.indexOf('.');
  const version = dot > 0 ? fragment.slice(0, dot) : '';
  if (version !== LINK_VERSION) throw new LinkError(`unknown link version "${version.slice(0, 12)}"`);
  let json;
  try {
    const bytes = fromBase64Url(fragment.slice(dot + 1));
    const raw = await transform(bytes, new DecompressionStream('deflate-raw'), MAX_JSON_BYTES);
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    throw new LinkError(`cannot be read (${error.message})`);
  }
  return fromPayload(json);
}

function fromPayload(p) {
  const isPair = (x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string';
  if (!p || typeof p !== 'object' || typeof p.dockerfile !== 'string') throw new LinkError('has no Dockerfile');
  if (!Array.isArray(p.files) || !p.files.every(isPair)) throw new LinkError('has malformed files');
  const o = p.options ?? {};
  const args = Array.isArray(o.buildArgs) ? o.buildArgs.filter(isPair) : [];
  return {
    doc: {
      dockerfile: p.dockerfile,
      files: p.files.map(([path, text]) => ({ path, text })),
      options: {
        builder: o.builder === 'legacy' ? 'legacy' : 'buildkit',
        target: typeof o.target === 'string' ? o.target : '',
        buildArgs: args.map(([key, value]) => ({ key, value })),
        noCache: o.noCache === true,
      },
    },
    ui: {
      step: Number.isInteger(p.step) && p.step >= 0 ? p.step : null,
      panel: typeof p.panel === 'string' ? p.panel : 'build',
      activeFile: typeof p.activeFile === 'string' ? p.activeFile : null,
      breakpoints: Array.isArray(p.breakpoints) ? p.breakpoints.filter((n) => Number.isInteger(n) && n > 0) : [],
    },
  };
}

async function transform(bytes, stream, limit = Infinity) {
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const chunks = [];
  let total = 0;
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) { reader.cancel().catch(() => {}); throw new Error('too large'); }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.length; }
  return out;
}

function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
