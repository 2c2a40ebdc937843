// Number and id formatting the way the Docker CLI prints them: sizes with 3 significant
// digits and decimal units (5.61MB, 1.2kB, 0B), ids as the first 12 hex digits.
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

export function humanSize(bytes) {
  let value = Number(bytes) || 0;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) { value /= 1000; unit += 1; }
  return `${Number(value.toPrecision(3))}${UNITS[unit]}`;
}

export function shortId(id) {
  const hex = String(id ?? '').replace(/^sha256:/, '');
  return hex.slice(0, 12);
}
