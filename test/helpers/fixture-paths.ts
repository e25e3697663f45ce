// Absolute paths of the fixtures in test/fixtures/, and the stderr line patterns they print.
import { fileURLToPath } from 'node:url';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export const fixtures = {
  netHttp: fixture('net-http.mjs'),
  netRaw: fixture('net-raw.mjs'),
  netUpgrade: fixture('net-upgrade.mjs'),
  workerListen: fixture('worker-listen.mjs'),
  workerAck: fixture('worker-ack.mjs'),
  workerShutdown: fixture('worker-shutdown.mjs'),
  spawnGrandchild: fixture('spawn-grandchild.mjs'),
  clusterPrimary: fixture('cluster-primary.mjs'),
  wsEchoNoGoodbye: fixture('ws-echo-no-goodbye.mjs'),
  http2Naive: fixture('http2-naive.mjs'),
  socketioEcho: fixture('socketio-echo.mjs'),
} as const;

/** `einhorn-fixture:<event> <json>` lines. */
export const lines = {
  listening: /^einhorn-fixture:listening /,
  draining: /^einhorn-fixture:draining /,
  request: /^einhorn-fixture:request /,
  error: /^einhorn-fixture:error /,
  result: /^einhorn-fixture:result /,
  adopt: /^einhorn-fixture:adopt /,
  aborted: /^einhorn-fixture:aborted /,
  connection: /^einhorn-fixture:connection /,
  upgraded: /^einhorn-fixture:upgraded /,
} as const;

/** The JSON payload of an `einhorn-fixture:` line. */
export function payload(line: string): Record<string, unknown> {
  return JSON.parse(line.slice(line.indexOf(' ') + 1)) as Record<string, unknown>;
}
