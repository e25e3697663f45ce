// Helpers for the einhorn-node integration tests: start the built CLI with real workers, talk to
// its command socket, and wait on observable events (log lines, fixture event files, `state`).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { connectEinhorn } from '@einhorn/client';
import type { EinhornClient } from '@einhorn/client';
import type { EinhornReply } from '@einhorn/core';
import { testNode } from '../helpers/spawn-fixture.ts';

export const NODE = testNode;
const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '../..');
export const CLI = join(REPO, 'packages/master/dist/cli.cjs');
export const WORKER = join(REPO, 'test/fixtures/master/worker.mjs');
/** Generous failure bound for waits; never a synchronisation delay. */
export const WAIT = { timeout: 30_000, interval: 50 };

export interface FixtureEvent {
  readonly event: string;
  readonly pid: number;
  readonly time: number;
  readonly [key: string]: unknown;
}

/** One worker in the `state` document. */
export interface StateChild {
  readonly pid: number;
  readonly version: number;
  readonly acked: boolean;
  readonly index: number;
  readonly slot: number | null;
  readonly signaled: string[];
  readonly spinup_time: string;
  readonly pinged_at: string | null;
  readonly pinged_request_id: string | null;
}

/** The parts of the `state` document the tests read. */
export interface StateDoc {
  readonly master_pid: number;
  readonly version: number;
  readonly generation: number;
  readonly upgrading: boolean;
  readonly respawn: boolean;
  readonly bound_ports: number[];
  readonly consecutive_deaths_before_ack: number;
  readonly halted: { version: number; failed_starts: number } | null;
  readonly config: { readonly number: number };
  readonly children: Record<string, StateChild>;
}

export interface MasterHandle {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly dir: string;
  readonly socketPath: string;
  /** Everything the master wrote to stderr so far. */
  stderr(): string;
  /** Everything the master (and its workers, which inherit it) wrote to stdout so far. */
  stdout(): string;
  /** Resolves when the master exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stderr match (waits for it). */
  waitForLog(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Fixture events so far. */
  events(): FixtureEvent[];
  /** Waits until `predicate` holds for the events, returns them. */
  waitForEvents(predicate: (events: FixtureEvent[]) => boolean): Promise<FixtureEvent[]>;
  client(): Promise<EinhornClient>;
  request(command: string, args?: readonly string[]): Promise<readonly EinhornReply[]>;
  /** einhorn-node's JSON `state` (`"format": "json"`). */
  state(): Promise<StateDoc>;
  /** Waits until `predicate(state)` holds. */
  waitForState(predicate: (state: StateDoc) => boolean): Promise<StateDoc>;
}

export interface StartOptions {
  /** einhorn-node options before `--` (a temp `-d`, `-e` and `-f` are added unless `paths: false`). */
  readonly options?: readonly string[];
  /** The worker command after `--`; default `[NODE, WORKER]`. */
  readonly worker?: readonly string[];
  /** Extra environment for the master (and so for the workers). */
  readonly env?: Readonly<Record<string, string>>;
  /** Add `-d/-e/-f` in the temp dir. @default true */
  readonly paths?: boolean;
  /** Wait for this many `===> Launched` lines before resolving. @default 0 */
  readonly launched?: number;
  /** Working directory of the master. @default a fresh temp dir */
  readonly cwd?: string;
  /** The `-d` value as passed (may be relative to `cwd`). @default `<dir>/einhorn.sock` */
  readonly socketArg?: string;
  /** Node options for the master process itself, before the CLI (e.g. `--import=...`). */
  readonly nodeArgs?: readonly string[];
}

const running = new Set<MasterHandle>();
const dirs = new Set<string>();

/** A fresh temporary directory, removed by `cleanup()`. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'einhorn-master-'));
  dirs.add(dir);
  return dir;
}

export function readEvents(dir: string): FixtureEvent[] {
  const file = join(dir, 'events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FixtureEvent);
}

/** Starts `einhorn-node` on the Node under test with the fixture worker. */
export async function startMaster(options: StartOptions = {}): Promise<MasterHandle> {
  const dir = tempDir();
  const cwd = options.cwd ?? dir;
  const socketArg = options.socketArg ?? join(dir, 'einhorn.sock');
  const socketPath = resolve(cwd, socketArg);
  const paths =
    options.paths === false
      ? []
      : ['-d', socketArg, '-e', join(dir, 'einhorn.pid'), '-f', join(dir, 'einhorn.lock')];
  const worker = options.worker ?? [NODE, WORKER];
  const args = [...(options.nodeArgs ?? []), CLI, ...paths, ...(options.options ?? [])];
  const child = spawn(NODE, [...args, '--', ...worker], {
    cwd,
    env: { ...process.env, FIXTURE_DIR: dir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      done({ code, signal });
    });
  });
  const clients: EinhornClient[] = [];
  const handle: MasterHandle = {
    child,
    pid: child.pid ?? -1,
    dir,
    socketPath,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    waitForLog: (pattern) =>
      vi.waitFor(() => {
        const match = pattern.exec(stderr);
        if (!match)
          throw new Error(`no log line matching ${String(pattern)} yet; stderr so far:\n${stderr}`);
        return match;
      }, WAIT),
    events: () => readEvents(dir),
    waitForEvents: (predicate) =>
      vi.waitFor(() => {
        const events = readEvents(dir);
        if (!predicate(events))
          throw new Error(`events not there yet: ${JSON.stringify(events)}\nstderr:\n${stderr}`);
        return events;
      }, WAIT),
    client: async () => {
      const client = await connectEinhorn({ path: socketPath, timeoutMs: 30_000 });
      clients.push(client);
      return client;
    },
    request: async (command, args = []) => {
      const client = await connectEinhorn({ path: socketPath, timeoutMs: 30_000 });
      try {
        return await client.request(command, args);
      } finally {
        await client.close();
      }
    },
    state: async () => {
      const client = await connectEinhorn({ path: socketPath, timeoutMs: 30_000 });
      let replies: readonly EinhornReply[];
      try {
        replies = await client.requestMessage({ command: 'state', id: 1, format: 'json' });
      } finally {
        await client.close();
      }
      const parsed = JSON.parse(replies.at(-1)?.message ?? '{}') as { state: StateDoc };
      return parsed.state;
    },
    waitForState: (predicate) =>
      vi.waitFor(async () => {
        const state = await handle.state();
        if (!predicate(state)) throw new Error(`state not there yet: ${JSON.stringify(state)}`);
        return state;
      }, WAIT),
  };
  running.add(handle);
  void exited.then(() => Promise.all(clients.map((client) => client.close())));
  await vi.waitFor(() => {
    if (child.exitCode !== null)
      throw new Error(`master exited early (${child.exitCode}):\n${stderr}`);
    if (!stderr.includes('Starting einhorn-node master'))
      throw new Error(`master not started yet:\n${stderr}`);
  }, WAIT);
  if ((options.launched ?? 0) > 0) {
    await vi.waitFor(() => {
      const launched = stderr.match(/===> Launched/g)?.length ?? 0;
      if (launched < (options.launched ?? 0))
        throw new Error(`only ${launched} launched:\n${stderr}`);
    }, WAIT);
  }
  return handle;
}

/** Runs einhorn-node to completion (for option errors); resolves with status and output. */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(NODE, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('close', (code) => {
      done({ code, stdout, stderr });
    });
  });
}

/** Worker pids that started, in order. */
export function startedPids(events: readonly FixtureEvent[]): number[] {
  return events.filter((event) => event.event === 'start').map((event) => event.pid);
}

export { isAlive, jsonLog, launches, listeningInode, rawSession, spinupReport } from './observe.ts';
export type { JsonLogLine, RawSession, SpinupReport } from './observe.ts';

/** Direct children of `pid` (Linux /proc/PID/task/TID/children). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .split(' ')
        .filter((word) => word !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * Kills every master and worker still running and removes temp dirs; call in afterEach. A live
 * master is stopped first (SIGSTOP) so that it cannot spawn while its children are collected.
 */
export async function cleanup(): Promise<void> {
  const kill = (pid: number, signal: NodeJS.Signals): void => {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  };
  for (const handle of running) {
    const pids = new Set<number>();
    if (handle.child.exitCode === null && handle.child.signalCode === null) {
      kill(handle.pid, 'SIGSTOP');
      for (const pid of childrenOf(handle.pid)) pids.add(pid);
      kill(handle.pid, 'SIGKILL');
      await handle.exited;
    }
    for (const pid of startedPids(handle.events())) pids.add(pid);
    for (const pid of pids) kill(pid, 'SIGKILL');
  }
  running.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
