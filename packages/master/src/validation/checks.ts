// Value checks that core's OptionsValidator has no helper for. Each records a problem on the
// validator (it never throws) and ignores an absent value, which means "use the default".
import type { OptionsValidator } from '@einhorn/core';

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The bound {@link checkNumber} checks `value` against. */
export interface NumberBound {
  readonly value: unknown;
  readonly min: number;
  /** `> min` instead of `≥ min`. */
  readonly exclusive?: boolean;
}

/**
 * A finite number ≥ `min` (or > `min` with `exclusive`): durations, backoffs.
 * @example
 * ```ts
 * checkNumber(v, 'killTimeoutMs', { value: v.value('killTimeoutMs'), min: 0 });
 * ```
 */
export function checkNumber(v: OptionsValidator, name: string, bound: NumberBound): void {
  const { value, min, exclusive = false } = bound;
  if (value === undefined) return;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (exclusive ? value > min : value >= min);
  if (!ok) v.fail(name, `a finite number ${exclusive ? '>' : '≥'} ${min}`, value);
}

/** A non-empty string, for options nested in objects (`bind[0].path`). */
export function checkNonEmptyString(v: OptionsValidator, name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'string' || value === ''))
    v.fail(name, 'a non-empty string', value);
}

/**
 * An array of strings, with at least `minLength` items.
 * @example
 * ```ts
 * checkStringList(v, 'reexecCommand', 1); // expected "an array of at least 1 string"
 * ```
 */
export function checkStringList(v: OptionsValidator, name: string, minLength = 0): void {
  const value = v.value(name);
  if (value === undefined) return;
  const ok =
    Array.isArray(value) &&
    value.length >= minLength &&
    value.every((item) => typeof item === 'string');
  if (!ok)
    v.fail(
      name,
      minLength > 0
        ? `an array of at least ${minLength} string${minLength > 1 ? 's' : ''}`
        : 'an array of strings',
    );
}

/** An environment: a plain object whose values are strings (or undefined, as in `process.env`). */
export function checkEnvSource(v: OptionsValidator, name: string): void {
  const value = v.value(name);
  if (value === undefined) return;
  const ok =
    isRecord(value) &&
    Object.values(value).every((item) => item === undefined || typeof item === 'string');
  if (!ok) v.fail(name, 'an object of string values, like process.env');
}
