// An oracle for the worker environment, written from docs/reference/protocol.md ("Worker
// environment") and core's documented contract (not from core's code), so that the fuzzer
// compares two independent readings of the rules:
//   - numbers are what einhorn writes: plain ASCII decimal, no sign, no leading zero, no space;
//   - fds, pids and indexes fit a C int; pids are ≥ 1; EINHORN_FD_COUNT is at most 4096;
//   - EINHORN_FD_COUNT wins; only EINHORN_FD_0..COUNT-1 are read, and each must be present;
//   - EINHORN_FDS ("7 9", "" = none) is read only when EINHORN_FD_COUNT is absent and legacy is on;
//   - a fd listed twice is an error; an empty EINHORN_SOCK_PATH is an error;
//   - "missing" = none of the known variables is set (a stale EINHORN_FD_k alone does not count).
import type { EinhornEnv, EnvSource } from '@einhorn/core';

export const INT32_MAX = 2_147_483_647;
export const FD_COUNT_MAX = 4096;

const KNOWN = [
  'EINHORN_FD_COUNT',
  'EINHORN_SOCK_PATH',
  'EINHORN_SOCK_FD',
  'EINHORN_MASTER_PID',
  'EINHORN_CHILD_INDEX',
] as const;

/** What a correct parser must do with an environment. */
export type Verdict =
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly culprits: ReadonlySet<string> }
  | { readonly kind: 'ok'; readonly env: EinhornEnv };

function isPlainDecimal(raw: string): boolean {
  if (raw.length === 0 || raw.length > 10) return false;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return raw === '0' || !raw.startsWith('0');
}

/** The integer `raw` denotes if it is a plain decimal in [min, max], else undefined. */
export function plainInteger(raw: string, min: number, max: number): number | undefined {
  if (!isPlainDecimal(raw)) return undefined;
  let value = 0;
  for (const digit of raw) value = value * 10 + (digit.charCodeAt(0) - 0x30);
  return value >= min && value <= max ? value : undefined;
}

interface FdReading {
  readonly fds: number[];
  readonly culprits: string[];
}

function duplicates(fds: readonly (number | undefined)[], names: readonly string[]): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  fds.forEach((fd, i) => {
    if (fd === undefined) return;
    if (seen.has(fd)) out.push(names[i] ?? 'EINHORN_FDS');
    seen.add(fd);
  });
  return out;
}

function readCounted(env: EnvSource, count: number): FdReading {
  const values: (number | undefined)[] = [];
  const names: string[] = [];
  const culprits: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `EINHORN_FD_${i}`;
    const raw = env[name];
    const fd = raw === undefined ? undefined : plainInteger(raw, 0, INT32_MAX);
    if (fd === undefined) culprits.push(name);
    values.push(fd);
    names.push(name);
  }
  culprits.push(...duplicates(values, names));
  return { fds: values.filter((fd) => fd !== undefined), culprits };
}

function readLegacy(raw: string): FdReading {
  if (raw === '') return { fds: [], culprits: [] };
  const tokens = raw.split(' ');
  const values = tokens.map((token) => plainInteger(token, 0, INT32_MAX));
  const bad =
    values.includes(undefined) || tokens.length > FD_COUNT_MAX || duplicates(values, []).length > 0;
  return {
    fds: values.filter((fd) => fd !== undefined),
    culprits: bad ? ['EINHORN_FDS'] : [],
  };
}

function readOptional(
  env: EnvSource,
  name: string,
  min: number,
  culprits: string[],
): number | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const value = plainInteger(raw, min, INT32_MAX);
  if (value === undefined) culprits.push(name);
  return value;
}

/** The verdict for `env` under the documented rules. */
export function expectedVerdict(env: EnvSource, legacyFds = true): Verdict {
  const rawCount = env['EINHORN_FD_COUNT'];
  const rawLegacy = legacyFds ? env['EINHORN_FDS'] : undefined;
  if (KNOWN.every((name) => env[name] === undefined) && rawLegacy === undefined)
    return { kind: 'missing' };

  const culprits: string[] = [];
  let fds: number[] = [];
  let fdSource: EinhornEnv['fdSource'] = 'none';
  if (rawCount !== undefined) {
    fdSource = 'count';
    const count = plainInteger(rawCount, 0, FD_COUNT_MAX);
    if (count === undefined) culprits.push('EINHORN_FD_COUNT');
    else ({ fds } = collect(readCounted(env, count), culprits));
  } else if (rawLegacy !== undefined) {
    fdSource = 'legacy';
    ({ fds } = collect(readLegacy(rawLegacy), culprits));
  }
  const sockPath = env['EINHORN_SOCK_PATH'];
  if (sockPath === '') culprits.push('EINHORN_SOCK_PATH');
  const sockFd = readOptional(env, 'EINHORN_SOCK_FD', 0, culprits);
  const masterPid = readOptional(env, 'EINHORN_MASTER_PID', 1, culprits);
  const childIndex = readOptional(env, 'EINHORN_CHILD_INDEX', 0, culprits);
  if (culprits.length > 0) return { kind: 'invalid', culprits: new Set(culprits) };
  return {
    kind: 'ok',
    env: {
      fds,
      fdSource,
      ...(sockPath === undefined ? {} : { sockPath }),
      ...(sockFd === undefined ? {} : { sockFd }),
      ...(masterPid === undefined ? {} : { masterPid }),
      ...(childIndex === undefined ? {} : { childIndex }),
    },
  };
}

function collect(reading: FdReading, culprits: string[]): FdReading {
  culprits.push(...reading.culprits);
  return reading;
}

/** Whether `env` is something serializeEinhornEnv must accept (else it must refuse it). */
export function isSerializable(env: EinhornEnv): boolean {
  const int = (value: number, min: number): boolean =>
    Number.isSafeInteger(value) && value >= min && value <= INT32_MAX;
  return (
    env.fds.length <= FD_COUNT_MAX &&
    env.fds.every((fd) => int(fd, 0)) &&
    new Set(env.fds).size === env.fds.length &&
    env.sockPath !== '' &&
    (env.sockFd === undefined || int(env.sockFd, 0)) &&
    (env.masterPid === undefined || int(env.masterPid, 1)) &&
    (env.childIndex === undefined || int(env.childIndex, 0))
  );
}
