// Starts the BUILT einhorn-node (packages/master/dist/cli.cjs) with the reliability HTTP worker,
// on the Node under test, in a private temp dir; waits on observable events only (log lines,
// `state`, the worker's events file).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { queryState } from './fuzz-runner.ts';
import { testNode } from '../helpers/spawn-fixture.ts';

export const NODE = testNode;
export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'packages/master/dist/cli.cjs');
export const HTTP_WORKER = join(REPO, 'test/fixtures/reliability/http-worker.mjs');

export interface WorkerEvent {
  readonly event: string;
  readonly pid: number;
  readonly time: number;
  readonly [key: string]: unknown;
}

export interface RunningMaster {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly dir: string;
  readonly socketPath: string;
  stderr(): string;
  readonly exited: Promise<{
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
  }>;
  events(): WorkerEvent[];
  state(): Promise<MasterState>;
  /** Polls `state` until `predicate` holds (failure bound `timeoutMs`). */
  waitForState(
    predicate: (state: MasterState) => boolean,
    timeoutMs?: number,
  ): Promise<MasterState>;
  /** Kills the master and every worker it started (SIGKILL), removes the temp dir. */
  destroy(): Promise<void>;
}

export interface MasterChild {
  readonly pid: number;
  readonly version: number;
  readonly acked: boolean;
  readonly signaled: readonly string[];
}

export interface MasterState {
  readonly master_pid: number;
  readonly version: number;
  readonly upgrading: boolean;
  readonly bound_ports: readonly number[];
  readonly config: { readonly number: number };
  readonly children: Readonly<Record<string, MasterChild>>;
}

/** Resolves once `check` returns a value other than undefined; polls every `intervalMs`. */
export async function until<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? ` (last error: ${lastError.message})` : ''}`,
      );
    await new Promise((done) => setTimeout(done, intervalMs)); // polling interval of a condition, not a synchronisation sleep
  }
}

/**
 * True while `pid` runs. A zombie counts as dead: an orphan's exit status waits for init to reap
 * it, which the init of some containers does only every second or so.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false; // gone between the two checks
  }
}

/** Starts einhorn-node `-m manual -b 127.0.0.1:0 [options] -- node http-worker.mjs` and waits until `workers` are ACKed. */
export async function startMaster(
  options: {
    readonly args?: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    readonly workers?: number;
    /** How many workers must be ACKed before this resolves. @default workers */
    readonly acked?: number;
    /** The `-d` path. @default `<temp dir>/einhorn.sock` */
    readonly socketPath?: (dir: string) => string;
  } = {},
): Promise<RunningMaster> {
  const dir = mkdtempSync(join(tmpdir(), 'einhorn-rel-'));
  const socketPath = options.socketPath?.(dir) ?? join(dir, 'einhorn.sock');
  const workers = options.workers ?? 1;
  const acked = options.acked ?? workers;
  const args = [
    CLI,
    '-d',
    socketPath,
    '-e',
    join(dir, 'einhorn.pid'),
    '-f',
    join(dir, 'einhorn.lock'),
    '-m',
    'manual',
    '-b',
    '127.0.0.1:0',
    '-n',
    String(workers),
    ...(options.args ?? []),
    '--',
    NODE,
    HTTP_WORKER,
  ];
  const child = spawn(NODE, args, {
    cwd: dir,
    env: { ...process.env, FIXTURE_DIR: dir, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>((done) => {
    child.once('exit', (code, signal) => {
      done({ code, signal });
    });
  });
  const events = (): WorkerEvent[] => {
    const file = join(dir, 'events.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as WorkerEvent);
  };
  const state = async (): Promise<MasterState> =>
    (await queryState(socketPath)) as unknown as MasterState;
  const master: RunningMaster = {
    child,
    pid: child.pid ?? -1,
    dir,
    socketPath,
    stderr: () => stderr,
    exited,
    events,
    state,
    waitForState: (predicate, timeoutMs = 30_000) =>
      until(
        async () => {
          const current = await state();
          return predicate(current) ? current : undefined;
        },
        'a master state',
        timeoutMs,
      ),
    async destroy() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      for (const pid of new Set(events().map((event) => event.pid)))
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Fails at once if the master exits before it is ready (bad build, bad option).
  const exitedEarly = exited.then(({ code, signal }) => {
    throw new Error(`einhorn-node exited early (${String(code ?? signal)}):\n${stderr}`);
  });
  exitedEarly.catch(() => undefined); // an exit after start-up is the test's business
  try {
    await Promise.race([
      exitedEarly,
      (async () => {
        await until(() => existsSync(socketPath) || undefined, 'the command socket');
        await master.waitForState(
          (s) =>
            Object.keys(s.children).length >= workers &&
            Object.values(s.children).filter((c) => c.acked).length >= acked,
        );
      })(),
    ]);
  } catch (error) {
    await master.destroy();
    throw error;
  }
  return master;
}

/** One `GET /` on 127.0.0.1:port with a fresh connection; resolves with the body. */
export function httpGet(port: number, timeoutMs = 10_000): Promise<string> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.once('end', () => {
          if (res.statusCode === 200) done(body);
          else fail(new Error(`HTTP ${String(res.statusCode)}: ${body}`));
        });
        res.once('error', fail);
      },
    );
    req.once('timeout', () => req.destroy(new Error('HTTP request timed out')));
    req.once('error', fail);
    req.end();
  });
}
