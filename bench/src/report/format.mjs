// Number formatting for the Markdown report and the console.

export const isNum = (value) => typeof value === 'number' && Number.isFinite(value);

/** `1.02× (0.95–1.10)` from a `{ median, min, max }` summary. */
export function ratio(summary, digits = 2) {
  if (!summary || !isNum(summary.median)) return 'n/a';
  const range =
    summary.n > 1 ? ` (${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)})` : '';
  return `${summary.median.toFixed(digits)}×${range}`;
}

/** `0.993 (0.981–0.998)` */
export function plain(summary, digits = 3, unit = '') {
  if (!summary || !isNum(summary.median)) return 'n/a';
  const range =
    summary.n > 1 ? ` (${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)})` : '';
  return `${summary.median.toFixed(digits)}${unit}${range}`;
}

/** `85.4k` */
export function kilo(value) {
  if (!isNum(value)) return 'n/a';
  return value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0);
}

/** `85.4k (80.1k–90.2k)` */
export function kiloRange(summary) {
  if (!summary || !isNum(summary.median)) return 'n/a';
  return summary.n > 1
    ? `${kilo(summary.median)} (${kilo(summary.min)}–${kilo(summary.max)})`
    : kilo(summary.median);
}

export const mib = (bytes) => (isNum(bytes) ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : 'n/a');

export const ms = (value, digits = 1) => (isNum(value) ? `${value.toFixed(digits)} ms` : 'n/a');

export const list = (values) =>
  values.map((v) => (v === null || v === undefined ? '–' : String(v))).join(' / ');
