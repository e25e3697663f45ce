// A target row: what was measured against what, and whether it is met.
import { isNum } from './format.mjs';

/**
 * @param met true / false, or null when it could not be measured (or has no target: reference rows)
 * @param key what the row is about, for tables that pick rows (e.g. `{ framework, load }`)
 */
export function row({ id, scope, figure, target, measured, met, note = '', key }) {
  return {
    id,
    scope,
    figure,
    target,
    measured,
    verdict: met === null ? (target === '–' ? 'info' : 'n/a') : met ? 'met' : 'missed',
    note,
    ...(key ? { key } : {}),
  };
}

/** met when the median clears the bound; null when nothing was measured. */
export function atLeast(summary, bound) {
  return summary && isNum(summary.median) ? summary.median >= bound : null;
}

export function atMost(value, bound) {
  return isNum(value) ? value <= bound : null;
}

/** A note for a missed ratio whose paired min–max still spans the bound: within noise. */
export function noiseNote(summary, bound) {
  if (!summary || !isNum(summary.median) || summary.median >= bound) return '';
  return summary.max >= bound
    ? `Within run-to-run noise: the paired per-rep ratios span ${summary.min.toFixed(2)}–${summary.max.toFixed(2)}.`
    : `Every rep below the target (max ${summary.max.toFixed(2)}).`;
}
