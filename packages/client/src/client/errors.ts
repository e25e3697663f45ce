import { EinhornClientError, EinhornError } from '@einhorn/core';

const CONNECT_HINTS: Readonly<Record<string, string>> = {
  ENOENT:
    'no socket exists there (ENOENT); is the master running, and started with this socket path?',
  ECONNREFUSED:
    'nothing listens on it (ECONNREFUSED); it was probably left behind by a master that exited, so start the master again',
  EACCES: 'permission was denied (EACCES); run as the user that started the master',
  ENOTSOCK: 'the path is not a socket (ENOTSOCK); pass the socket path the master was started with',
};

function errnoCode(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  ) {
    return error.code;
  }
  return 'UNKNOWN';
}

/** A malformed option or argument (`ERR_EINHORN_INVALID_OPTIONS`). */
export function invalidArgument(name: string, expected: string): EinhornError {
  return new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `Expected ${name} to be ${expected}; fix the call.`,
    { cause: new TypeError(`${name}: expected ${expected}`) },
  );
}

/** `connect()` failed; the errno picks the hint (`details.errno`). */
export function connectError(path: string, cause: unknown): EinhornClientError {
  const errno = errnoCode(cause);
  const hint = CONNECT_HINTS[errno] ?? `connecting failed with ${errno}`;
  return new EinhornClientError(
    'ERR_EINHORN_CLIENT_CONNECT',
    `Could not connect to the Einhorn master's command socket at ${path}: ${hint}.`,
    { cause, details: { path, errno } },
  );
}

/** Nothing arrived in time: the connect, or the next reply to `command`. */
export function timeoutError(
  path: string,
  timeoutMs: number,
  waitingFor?: { readonly command: string; readonly replies: number },
): EinhornClientError {
  if (waitingFor === undefined) {
    return new EinhornClientError(
      'ERR_EINHORN_CLIENT_TIMEOUT',
      `Expected to connect to the Einhorn command socket at ${path} within ${timeoutMs} ms but it did not accept; check the master or raise timeoutMs.`,
      { details: { path, timeoutMs } },
    );
  }
  const { command, replies } = waitingFor;
  return new EinhornClientError(
    'ERR_EINHORN_CLIENT_TIMEOUT',
    `Expected a reply to "${command}" from the Einhorn master at ${path} within ${timeoutMs} ms but none came (${replies} received); raise timeoutMs or check the master.`,
    { details: { path, command, timeoutMs, replies } },
  );
}

/** The connection ended before `command` got its final reply. */
export function closedError(
  path: string,
  waitingFor: { readonly command: string; readonly replies: number },
  cause: unknown,
): EinhornClientError {
  const { command, replies } = waitingFor;
  return new EinhornClientError(
    'ERR_EINHORN_CLIENT_CLOSED',
    `Expected ${replies === 0 ? 'a reply' : 'more replies'} to "${command}" but the connection to the Einhorn master at ${path} is closed; reconnect, and check the master if it went away.`,
    {
      ...(cause === undefined ? {} : { cause }),
      details: { path, command, replies },
    },
  );
}
