import type { ErrorCodes } from '../errors/codes.ts';
import type { JsonValue } from '../errors/einhorn-error.ts';
import type { EinhornEnv, EnvSource, ParseEnvOptions } from '../types.ts';
import { ENV, MAX_FD_COUNT, MAX_INT32 } from './env-names.ts';

/** Why an environment was rejected; turned into an `EinhornEnvError` (or a zod issue) by the callers. */
export interface EnvIssue {
  readonly code:
    typeof ErrorCodes.ERR_EINHORN_ENV_MISSING | typeof ErrorCodes.ERR_EINHORN_ENV_INVALID;
  readonly message: string;
  readonly details: {
    readonly variable: string;
    readonly found: string | null;
    readonly expected: string;
    readonly hint: string;
  } & Readonly<Record<string, JsonValue>>;
}

export type EnvReadResult =
  | { readonly ok: true; readonly env: EinhornEnv }
  | { readonly ok: false; readonly issue: EnvIssue };

/** Thrown internally to unwind on the first bad variable; never escapes this module. */
class IssueSignal extends Error {
  constructor(readonly issue: EnvIssue) {
    super(issue.message);
  }
}

const CANONICAL_DECIMAL = /^(?:0|[1-9][0-9]{0,9})$/;
const FIX_HINT =
  'Einhorn writes plain decimal numbers; check what launched this process or scrub stale EINHORN_* variables';

interface Problem {
  readonly variable: string;
  readonly found: string;
  readonly expected: string;
  readonly hint?: string;
}

function invalid({ variable, found, expected, hint = FIX_HINT }: Problem): never {
  throw new IssueSignal({
    code: 'ERR_EINHORN_ENV_INVALID',
    message: `Expected ${variable} to be ${expected}, but found ${JSON.stringify(found)}; ${hint}.`,
    details: { variable, found, expected, hint },
  });
}

interface IntegerSpec {
  readonly min: number;
  readonly max: number;
  readonly what: string;
}

const FD_SPEC: IntegerSpec = { min: 0, max: MAX_INT32, what: 'a file descriptor' };

function readInteger(variable: string, raw: string, { min, max, what }: IntegerSpec): number {
  const expected = `${what}: a decimal integer in [${min}, ${max}]`;
  const value = Number(raw);
  if (!CANONICAL_DECIMAL.test(raw) || value < min || value > max)
    invalid({ variable, found: raw, expected });
  return value;
}

function fdKey(index: number): `EINHORN_FD_${number}` {
  return `EINHORN_FD_${index}`;
}

function assertUnique(fds: readonly number[], names: readonly string[]): void {
  const seen = new Map<number, string>();
  fds.forEach((fd, i) => {
    const name = names[i] ?? ENV.FDS;
    const first = seen.get(fd);
    if (first !== undefined) {
      invalid({
        variable: name,
        found: String(fd),
        expected: `a file descriptor not already listed (${first} is ${fd} too)`,
        hint: 'each listening socket has its own fd',
      });
    }
    seen.set(fd, name);
  });
}

function readCountedFds(env: EnvSource, rawCount: string): number[] {
  const count = readInteger(ENV.FD_COUNT, rawCount, {
    min: 0,
    max: MAX_FD_COUNT,
    what: 'the number of listening sockets',
  });
  const fds: number[] = [];
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = fdKey(i);
    const raw = env[name];
    if (raw === undefined) {
      throw new IssueSignal({
        code: 'ERR_EINHORN_ENV_INVALID',
        message: `Expected ${name} because ${ENV.FD_COUNT} is ${count}, but it is not set; the environment was truncated or edited.`,
        details: {
          variable: name,
          found: null,
          expected: `a file descriptor for socket ${i} of ${count}`,
          hint: `set ${name} or fix ${ENV.FD_COUNT}`,
          count,
        },
      });
    }
    fds.push(readInteger(name, raw, FD_SPEC));
    names.push(name);
  }
  assertUnique(fds, names);
  return fds;
}

function readLegacyFds(raw: string): number[] {
  if (raw === '') return [];
  const fds = raw.split(' ').map((token) =>
    CANONICAL_DECIMAL.test(token) && Number(token) <= MAX_INT32
      ? Number(token)
      : invalid({
          variable: ENV.FDS,
          found: raw,
          expected: 'file descriptors separated by single spaces, e.g. "7 9"',
        }),
  );
  if (fds.length > MAX_FD_COUNT)
    invalid({
      variable: ENV.FDS,
      found: raw,
      expected: `at most ${MAX_FD_COUNT} file descriptors`,
    });
  assertUnique(fds, []);
  return fds;
}

function missing(env: EnvSource, legacyFds: boolean): EnvIssue {
  const legacyIgnored = !legacyFds && env[ENV.FDS] !== undefined;
  const hint = legacyIgnored
    ? `${ENV.FDS} is set but legacy parsing is disabled (legacyFds: false)`
    : 'are you running under Einhorn?';
  return {
    code: 'ERR_EINHORN_ENV_MISSING',
    message: `Expected ${ENV.FD_COUNT} or another EINHORN_* variable in the environment, but none is set; ${hint}`,
    details: {
      variable: ENV.FD_COUNT,
      found: null,
      expected: 'the variables Einhorn sets in every worker',
      hint,
    },
  };
}

/**
 * Reads the Einhorn variables. "Missing" means none of the six known variables is present
 * (stale `EINHORN_FD_<i>` alone does not count); any single known variable makes the rest
 * optional, but every present one must be well-formed.
 */
export function readEinhornEnv(env: EnvSource, options: ParseEnvOptions = {}): EnvReadResult {
  const legacyFds = options.legacyFds ?? true;
  const known = [
    ENV.FD_COUNT,
    ENV.SOCK_PATH,
    ENV.SOCK_FD,
    ENV.MASTER_PID,
    ENV.CHILD_INDEX,
    ...(legacyFds ? [ENV.FDS] : []),
  ];
  if (known.every((name) => env[name] === undefined))
    return { ok: false, issue: missing(env, legacyFds) };
  try {
    const rawCount = env[ENV.FD_COUNT];
    const rawLegacy = legacyFds ? env[ENV.FDS] : undefined;
    const fdSource = rawCount !== undefined ? 'count' : rawLegacy !== undefined ? 'legacy' : 'none';
    const fds =
      rawCount !== undefined
        ? readCountedFds(env, rawCount)
        : rawLegacy !== undefined
          ? readLegacyFds(rawLegacy)
          : [];
    const sockPath = env[ENV.SOCK_PATH];
    if (sockPath === '') {
      invalid({
        variable: ENV.SOCK_PATH,
        found: sockPath,
        expected: 'the path of the master command socket',
        hint: 'an empty path cannot be connected to',
      });
    }
    const optionalInt = (name: string, spec: IntegerSpec): number | undefined => {
      const raw = env[name];
      return raw === undefined ? undefined : readInteger(name, raw, spec);
    };
    const sockFd = optionalInt(ENV.SOCK_FD, FD_SPEC);
    const masterPid = optionalInt(ENV.MASTER_PID, { min: 1, max: MAX_INT32, what: 'a process id' });
    const childIndex = optionalInt(ENV.CHILD_INDEX, {
      min: 0,
      max: MAX_INT32,
      what: 'a worker index',
    });
    const result: EinhornEnv = {
      fds: Object.freeze(fds),
      fdSource,
      ...(sockPath === undefined ? {} : { sockPath }),
      ...(sockFd === undefined ? {} : { sockFd }),
      ...(masterPid === undefined ? {} : { masterPid }),
      ...(childIndex === undefined ? {} : { childIndex }),
    };
    return { ok: true, env: Object.freeze(result) };
  } catch (signal) {
    if (signal instanceof IssueSignal) return { ok: false, issue: signal.issue };
    throw signal;
  }
}
