import { EinhornError } from '@einhorn/core';

/** One problem found in an options object. */
export interface OptionIssue {
  readonly option: string;
  readonly expected: string;
  readonly found: string;
}

function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
      return (value as { constructor?: { name?: string } }).constructor?.name ?? 'an object';
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
  }
}

/**
 * Collects option problems, then throws them as one `ERR_EINHORN_INVALID_OPTIONS` whose
 * `cause` is a `TypeError` listing every issue (the first one is in the message).
 */
export class OptionsValidator {
  readonly #issues: OptionIssue[] = [];
  readonly #options: Readonly<Record<string, unknown>>;

  constructor(options: unknown) {
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      this.#options = {};
      this.#issues.push({
        option: 'options',
        expected: 'an object or undefined',
        found: describe(options),
      });
    } else {
      this.#options = (options ?? {}) as Readonly<Record<string, unknown>>;
    }
  }

  /** The raw value of an option (for checks this class has no helper for). */
  value(name: string): unknown {
    return this.#options[name];
  }

  /** Records a problem found by a custom check. */
  fail(option: string, expected: string, found: unknown = this.#options[option]): void {
    this.#issues.push({ option, expected, found: describe(found) });
  }

  /** An integer ≥ `min` (and ≤ `max`), when present. */
  integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
    const value = this.#options[name];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(name, `an integer in [${min}, ${max}]`);
    }
  }

  boolean(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && typeof value !== 'boolean') this.fail(name, 'a boolean');
  }

  string(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      this.fail(name, 'a non-empty string');
  }

  func(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && typeof value !== 'function') this.fail(name, 'a function');
  }

  oneOf(name: string, allowed: readonly unknown[]): void {
    const value = this.#options[name];
    if (value !== undefined && !allowed.includes(value))
      this.fail(name, `one of ${allowed.map(describe).join(', ')}`);
  }

  abortSignal(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && !(value instanceof AbortSignal)) this.fail(name, 'an AbortSignal');
  }

  object(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && (typeof value !== 'object' || value === null))
      this.fail(name, 'an object');
  }

  /** Throws when any check failed; `what` names the options object, e.g. `ack() options`. */
  throwIfInvalid(what: string): void {
    const [first] = this.#issues;
    if (first === undefined) return;
    const list = this.#issues.map(
      (issue) => `${issue.option}: expected ${issue.expected}, found ${issue.found}`,
    );
    throw new EinhornError(
      'ERR_EINHORN_INVALID_OPTIONS',
      `Expected ${what} to have ${first.option} as ${first.expected}, but found ${first.found}; fix or omit that option.`,
      {
        cause: new TypeError(list.join('; ')),
        details: {
          option: first.option,
          found: first.found,
          issues: this.#issues.map((issue) => ({
            path: issue.option,
            message: `expected ${issue.expected}, found ${issue.found}`,
          })),
        },
      },
    );
  }
}

/** Validates the options every worker-identity check accepts (`ContextOptions`). */
export function checkContextOptions(v: OptionsValidator): void {
  v.object('env');
  v.integer('ppid', 0);
  v.boolean('verifyParent');
  v.boolean('legacyFds');
  v.boolean('systemd');
}
