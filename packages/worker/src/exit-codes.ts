/**
 * The exit codes {@link onGracefulShutdown} uses when its `exit` option is on (the default).
 * Einhorn does not inspect a worker's exit status (docs/reference/protocol.md, "Shutdown contract"); these exist for logs,
 * supervisors and tests.
 *
 * - `drained` (0): every handler finished before the deadline;
 * - `failed` (1): a handler threw or rejected (reported on `einhorn:worker:shutdown`);
 * - `timedOut` (3): the deadline passed; whatever was left was aborted;
 * - `forced` (4): a second shutdown signal arrived while draining.
 *
 * @example
 * ```ts
 * child.on('exit', (code) => { if (code === exitCodes.timedOut) alert('drain too slow'); });
 * ```
 */
export const exitCodes = Object.freeze({
  drained: 0,
  failed: 1,
  timedOut: 3,
  forced: 4,
} as const);
