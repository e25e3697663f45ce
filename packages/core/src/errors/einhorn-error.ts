import type { ErrorCode } from './codes.ts';

/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Options accepted by every {@link EinhornError} constructor. */
export interface EinhornErrorOptions {
  /** The underlying error (errno error, zod error, …); always set it when wrapping. */
  readonly cause?: unknown;
  /** JSON-safe facts about the failure, e.g. `{ index: 3, count: 2 }`. */
  readonly details?: Readonly<Record<string, JsonValue>>;
}

const BASE_BRAND = Symbol.for('einhorn.error');

function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

function brandFor(errorName: string): symbol {
  return errorName === 'EinhornError' ? BASE_BRAND : Symbol.for(`einhorn.error.${errorName}`);
}

/**
 * The base class of every error raised by `@einhorn/*` packages.
 *
 * Branch on {@link EinhornError.code}, which is stable, never on the message. `instanceof`
 * works across duplicate copies of the package (the ESM and CJS builds loaded side by
 * side) because identity is a `Symbol.for('einhorn.error')` brand, not the prototype chain.
 *
 * @typeParam TCode - the codes this error can carry.
 * @example
 * ```ts
 * try {
 *   parseEinhornEnv();
 * } catch (err) {
 *   if (err instanceof EinhornError) logger.error(err.toString(), err.details);
 * }
 * ```
 */
export class EinhornError<TCode extends ErrorCode = ErrorCode> extends Error {
  /** The class name used in `name`, `toString()` and the per-class brand. */
  static readonly errorName: string = 'EinhornError';

  /** Stable machine-readable code, e.g. `ERR_EINHORN_FD_OUT_OF_RANGE`. */
  readonly code: TCode;
  /** JSON-safe facts about the failure (variable names, values found, limits). */
  declare readonly details?: Readonly<Record<string, JsonValue>>;

  /**
   * @param code - the stable error code.
   * @param message - one sentence: what was expected, what was found, what to do.
   * @param options - `cause` and `details`.
   */
  constructor(code: TCode, message: string, options: EinhornErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    const errorName = new.target.errorName;
    Object.defineProperty(this, 'name', { value: errorName, writable: true, configurable: true });
    this.code = code;
    if (options.details !== undefined) {
      Object.defineProperty(this, 'details', {
        value: Object.freeze({ ...options.details }),
        enumerable: true,
      });
    }
    for (const brand of new Set([BASE_BRAND, brandFor(errorName)])) {
      Object.defineProperty(this, brand, { value: true });
    }
  }

  /** Brand check, so `instanceof` also recognises errors built by another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, brandFor(this.errorName));
  }

  /** `Name [CODE]: message`, e.g. `EinhornFdError [ERR_EINHORN_FD_OUT_OF_RANGE]: …`. */
  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  /** A JSON-safe summary for structured logs (the `cause` is left out on purpose: it may not be serialisable). */
  toJSON(): {
    name: string;
    code: TCode;
    message: string;
    details?: Readonly<Record<string, JsonValue>>;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * Type guard for {@link EinhornError}, optionally narrowed to one code. Works across
 * duplicate copies of the package.
 *
 * @param err - any caught value.
 * @param code - when given, the error must also carry exactly this code.
 * @returns whether `err` is an Einhorn error (with that code).
 * @example
 * ```ts
 * if (isEinhornError(err, 'ERR_EINHORN_ENV_MISSING')) {
 *   // not under Einhorn: fall back to a normal port
 * }
 * ```
 */
export function isEinhornError<TCode extends ErrorCode = ErrorCode>(
  err: unknown,
  code?: TCode,
): err is EinhornError<TCode> {
  return (
    hasBrand(err, BASE_BRAND) && (code === undefined || (err as { code?: unknown }).code === code)
  );
}
