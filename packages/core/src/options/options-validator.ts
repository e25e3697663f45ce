import { EinhornError } from '../errors/einhorn-error.ts';

/** One problem recorded by {@link OptionsValidator}. */
interface OptionIssue {
  readonly option: string;
  readonly expected: string;
  readonly found: string;
}

/** A short, readable description of a value for messages: `"x"`, `42`, `null`, `Map`, `a function`. */
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
 * The options validator every `@einhorn/*` package uses, so that a bad option always fails
 * the same way. It has no dependencies (no zod), so the worker path stays light.
 *
 * Run the checks you need (each one ignores an absent option: `undefined` means "use the
 * default"), then call {@link OptionsValidator.throwIfInvalid}. Every problem is collected
 * first and reported together in one `ERR_EINHORN_INVALID_OPTIONS` {@link EinhornError}:
 *
 * - `message`: the first problem, e.g. `Expected ack() options to have timeoutMs as an integer
 *   in [1, 60000], but found -1; fix or omit that option.`
 * - `cause`: a `TypeError` whose message lists every problem, separated by `; `.
 * - `details.option` and `details.found`: the first problem's option name and the value found.
 * - `details.issues`: every problem as `{ path, message }`, `path` being the option name.
 *
 * An `options` argument that is neither an object nor `undefined` is itself reported, as the
 * option `options`; the checks then see an empty object.
 *
 * @example
 * ```ts
 * import { OptionsValidator } from '@einhorn/core';
 *
 * interface PingOptions {
 *   readonly timeoutMs?: number;
 *   readonly signal?: AbortSignal;
 * }
 *
 * export function resolvePingOptions(options?: PingOptions): { timeoutMs: number } {
 *   const v = new OptionsValidator(options);
 *   v.integer('timeoutMs', 1, 60_000);
 *   v.abortSignal('signal');
 *   v.throwIfInvalid('ping() options'); // throws EinhornError ERR_EINHORN_INVALID_OPTIONS
 *   return { timeoutMs: options?.timeoutMs ?? 5_000 };
 * }
 *
 * resolvePingOptions({ timeoutMs: -1 });
 * // EinhornError [ERR_EINHORN_INVALID_OPTIONS]: Expected ping() options to have timeoutMs as
 * // an integer in [1, 60000], but found -1; fix or omit that option.
 * ```
 */
export class OptionsValidator {
  readonly #issues: OptionIssue[] = [];
  readonly #options: Readonly<Record<string, unknown>>;

  /**
   * @param options - the options object as the caller passed it (any value is accepted here;
   *   a non-object is recorded as a problem with the option `options`).
   */
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

  /**
   * The raw value of an option, for checks this class has no helper for.
   *
   * @param name - the option name.
   * @returns the value, or `undefined` when absent.
   * @example
   * ```ts
   * const hosts = v.value('hosts');
   * if (hosts !== undefined && !Array.isArray(hosts)) v.fail('hosts', 'an array of strings');
   * ```
   */
  value(name: string): unknown {
    return this.#options[name];
  }

  /**
   * Records a problem found by a custom check.
   *
   * @param option - the option name, reported as `details.option` / the issue's `path`.
   * @param expected - what was expected, e.g. `'an array of strings'`.
   * @param found - the offending value. @default the option's current value
   * @example
   * ```ts
   * if (min !== undefined && max !== undefined && min > max) v.fail('max', `a number ≥ min (${min})`);
   * ```
   */
  fail(option: string, expected: string, found: unknown = this.#options[option]): void {
    this.#issues.push({ option, expected, found: describe(found) });
  }

  /**
   * Checks that an option, when present, is an integer in `[min, max]`.
   *
   * @param name - the option name.
   * @param min - the smallest accepted value.
   * @param max - the largest accepted value. @default Number.MAX_SAFE_INTEGER
   * @example
   * ```ts
   * v.integer('timeoutMs', 1); // expected "an integer in [1, 9007199254740991]"
   * ```
   */
  integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
    const value = this.#options[name];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(name, `an integer in [${min}, ${max}]`);
    }
  }

  /**
   * Checks that an option, when present, is `true` or `false`.
   *
   * @param name - the option name.
   * @example
   * ```ts
   * v.boolean('verifyParent');
   * ```
   */
  boolean(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && typeof value !== 'boolean') this.fail(name, 'a boolean');
  }

  /**
   * Checks that an option, when present, is a non-empty string.
   *
   * @param name - the option name.
   * @example
   * ```ts
   * v.string('socketPath');
   * ```
   */
  string(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      this.fail(name, 'a non-empty string');
  }

  /**
   * Checks that an option, when present, is a function.
   *
   * @param name - the option name.
   * @example
   * ```ts
   * v.func('onTimeout');
   * ```
   */
  func(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && typeof value !== 'function') this.fail(name, 'a function');
  }

  /**
   * Checks that an option, when present, is one of `allowed` (compared with `includes`, so
   * `NaN` matches `NaN`).
   *
   * @param name - the option name.
   * @param allowed - the accepted values, listed in the message.
   * @example
   * ```ts
   * v.oneOf('signal', ['SIGTERM', 'SIGINT']); // expected 'one of "SIGTERM", "SIGINT"'
   * ```
   */
  oneOf(name: string, allowed: readonly unknown[]): void {
    const value = this.#options[name];
    if (value !== undefined && !allowed.includes(value))
      this.fail(name, `one of ${allowed.map(describe).join(', ')}`);
  }

  /**
   * Checks that an option, when present, is an `AbortSignal`.
   *
   * @param name - the option name.
   * @example
   * ```ts
   * v.abortSignal('signal');
   * ```
   */
  abortSignal(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && !(value instanceof AbortSignal)) this.fail(name, 'an AbortSignal');
  }

  /**
   * Checks that an option, when present, is a non-null object (arrays and class instances
   * included).
   *
   * @param name - the option name.
   * @example
   * ```ts
   * v.object('env');
   * ```
   */
  object(name: string): void {
    const value = this.#options[name];
    if (value !== undefined && (typeof value !== 'object' || value === null))
      this.fail(name, 'an object');
  }

  /**
   * Throws when any check failed, and does nothing otherwise.
   *
   * @param what - names the options object in the message, e.g. `'ack() options'`.
   * @param hint - what the caller should do, ending the message. @default 'fix or omit that option'
   * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS`: the first problem in the message, every
   *   problem in `cause` (a `TypeError`) and in `details.issues`; `details.option` and
   *   `details.found` describe the first one.
   * @example
   * ```ts
   * v.throwIfInvalid('serve() options');
   * v.throwIfInvalid('workerAck() arguments', 'pass process.pid'); // for a required argument
   * ```
   */
  throwIfInvalid(what: string, hint = 'fix or omit that option'): void {
    const [first] = this.#issues;
    if (first === undefined) return;
    const list = this.#issues.map(
      (issue) => `${issue.option}: expected ${issue.expected}, found ${issue.found}`,
    );
    throw new EinhornError(
      'ERR_EINHORN_INVALID_OPTIONS',
      `Expected ${what} to have ${first.option} as ${first.expected}, but found ${first.found}; ${hint}.`,
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
