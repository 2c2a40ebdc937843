// A minimal POSIX ustar writer for downloading the build context: regular files only, mode
// 0644, owner 0:0, a fixed mtime (so the same context gives the same bytes). Paths longer
// than 100 bytes use the ustar prefix field; a path that does not fit at all is rejected.
const BLOCK = 512;

export function tarArchive(files, mtime = 0) {
  const enc = new TextEncoder();
  const parts = [];
  for (const { path, text } of files) {
    const body = enc.encode(text);
    parts.push(header(path, body.length, mtime), body, new Uint8Array((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) { out.set(p, offset); offset += p.length; }
  return out;
}

function header(path, size, mtime) {
  const enc = new TextEncoder();
  const block = new Uint8Array(BLOCK);
  let name = enc.encode(path);
  let prefix = new Uint8Array(0);
  if (name.length > 100) {
    const cut = path.lastIndexOf('/', path.length - 1);
    const pre = enc.encode(path.slice(0, cut));
    const rest = enc.encode(path.slice(cut + 1));
    if (cut <= 0 || pre.length > 155 || rest.length > 100) throw new Error(`path too long for tar: ${path}`);
    prefix = pre;
    name = rest;
  }
  const put = (bytes, at) => block.set(bytes, at);
  const octal = (n, width) => enc.encode(`${n.toString(8).padStart(width - 1, '0')}\0`);
  put(name, 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(mtime, 12), 136);
  put(enc.encode('        '), 148); // checksum field counts as spaces
  block[156] = '0'.charCodeAt(0);
  put(enc.encode('ustar\0'), 257);
  put(enc.encode('00'), 263);
  put(prefix, 345);
  const sum = block.reduce((a, b) => a + b, 0);
  put(enc.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return block;
}
