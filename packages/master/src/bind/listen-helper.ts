import { spawn } from 'node:child_process';

// Runs in a short-lived child that inherited the master's bound fds at 3, 4, …: it calls
// listen(fd, backlog) on each, synchronously, and exits from a nextTick callback, i.e. before its
// event loop ever polls. So the sockets become LISTEN (the kernel queues connections) and no
// process ever accepts on them until a worker does. Results go to fd 1 with a synchronous write.
const HELPER_SOURCE = `
const net = require('node:net');
const fs = require('node:fs');
const count = Number(process.argv[1]);
const backlog = Number(process.argv[2]);
const results = new Array(count).fill('pending');
let pending = count;
function done() {
  if (--pending > 0) return;
  fs.writeSync(1, JSON.stringify(results));
  process.exit(0);
}
for (let i = 0; i < count; i++) {
  const server = net.createServer();
  server.on('error', (error) => { results[i] = error.code || String(error); done(); });
  server.listen({ fd: 3 + i }, backlog, () => { results[i] = 'ok'; done(); });
}
`;

/** Per fd: `'ok'` or the errno code of the failed listen(). */
export type ListenResult = string;

/**
 * Makes every bound fd LISTEN with `backlog`, without this process or any other accepting.
 * Resolves with one result per fd, in order; rejects only if the helper itself cannot run.
 */
export async function listenWithoutAccepting(
  fds: readonly number[],
  backlog: number,
): Promise<ListenResult[]> {
  if (fds.length === 0) return [];
  const child = spawn(
    process.execPath,
    ['-e', HELPER_SOURCE, String(fds.length), String(backlog)],
    {
      stdio: ['ignore', 'pipe', 'pipe', ...fds],
      env: {},
    },
  );
  let stdout = '';
  let stderr = '';
  if (!child.stdout || !child.stderr)
    throw new Error('The listen helper has no stdout/stderr pipes.');
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw new Error(
      `The listen helper (${process.execPath}) exited with ${String(code)} and no result: ${stderr.trim()}`,
      { cause: error },
    );
  }
  if (!Array.isArray(parsed) || parsed.length !== fds.length) {
    throw new Error(`The listen helper returned ${stdout} for ${fds.length} fds.`);
  }
  return parsed.map(String);
}
