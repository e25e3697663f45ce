import { EinhornError } from '@einhorn/core';

const MAX_TIMER_MS = 2 ** 31 - 1;

function fail(option: string, expected: string, found: unknown): never {
  const shown =
    typeof found === 'function'
      ? 'a function'
      : found === undefined
        ? 'undefined'
        : JSON.stringify(found);
  throw new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `Expected serve() option ${option} to be ${expected}, but found ${shown}; fix or omit it.`,
    {
      cause: new TypeError(`${option}: expected ${expected}`),
      details: {
        option,
        found: shown,
        issues: [{ path: option, message: `expected ${expected}` }],
      },
    },
  );
}

function isFallback(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { port, host, path } = value as { port?: unknown; host?: unknown; path?: unknown };
  if (path !== undefined) return typeof path === 'string' && path !== '' && port === undefined;
  return (
    typeof port === 'number' &&
    Number.isInteger(port) &&
    port >= 0 &&
    port <= 65535 &&
    (host === undefined || typeof host === 'string')
  );
}

/**
 * Validates the options that belong to `serve()` itself; the options it forwards are
 * validated by `@einhorn/worker` (`listenOnFd`, `onGracefulShutdown`, `ack`) before anything
 * is installed.
 */
export function validateServeOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) fail('options', 'an object', options);
  const o = options as Readonly<Record<string, unknown>>;
  if (o['ack'] !== undefined && o['ack'] !== 'auto' && o['ack'] !== 'manual')
    fail('ack', "'auto' or 'manual'", o['ack']);
  for (const name of ['ready', 'onDrain', 'drainSocket'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') fail(name, 'a function', o[name]);
  }
  for (const [name, min] of [
    ['idleGraceMs', 0],
    ['ackTimeoutMs', 1],
  ] as const) {
    const value = o[name];
    if (
      value !== undefined &&
      !(
        typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= min &&
        value <= MAX_TIMER_MS
      )
    ) {
      fail(name, `an integer number of milliseconds in [${min}, ${MAX_TIMER_MS}]`, value);
    }
  }
  if (o['fallback'] !== undefined && !isFallback(o['fallback']))
    fail('fallback', '{ port, host? } with a port in [0, 65535], or { path }', o['fallback']);
}
