// A fake Einhorn master for integration tests.
//
// How the listening sockets are held without accepting (the test master must never steal a
// connection): the test process creates each listener with `server.listen()` (port 0 or a
// temp UNIX path, with the requested backlog), spawns the holder process
// (master-holder.mjs) with those fds in its stdio, and closes its own copies at once, before
// any port is known to anyone. From then on the only processes holding the sockets are the
// holder, which never wraps them in a Node server and so never accept()s, and the workers it
// spawns. The sockets stay LISTEN for the whole test, like einhorn's, so a worker that closes
// its listener while draining refuses nobody, and connections queue in the kernel while no
// worker is up. The holder is the workers' parent: EINHORN_MASTER_PID is its pid, so the
// worker-identity check (ppid === EINHORN_MASTER_PID) is exercised for real.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, openSync, closeSync, renameSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeEinhornEnv } from '@einhorn/core';
import { FakeCommandSocket } from './command-socket.ts';
import type { CommandRecord } from './command-socket.ts';
import { listeningFdOf } from './internal/listening-fd.ts';
import { EVENT_TIMEOUT_MS, OutputCollector, baseEnv, testNode } from './spawn-fixture.ts';
import type { ExitStatus } from './spawn-fixture.ts';

export type { CommandRecord } from './command-socket.ts';

/** A listening socket the fake master binds. */
export type ListenerSpec =
  | { readonly kind: 'tcp'; readonly backlog?: number }
  | { readonly kind: 'unix'; readonly backlog?: number };

/** A listening socket held by the fake master. */
export interface HeldListener {
  readonly kind: 'tcp' | 'unix';
  /** TCP port on 127.0.0.1 (kind `tcp`). */
  readonly port: number;
  /** Socket path (kind `unix`). */
  readonly path: string;
  /** The backlog the master applied. */
  readonly backlog: number;
  /** Options for `net.connect` / `http.request` that reach this listener. */
  readonly connectOptions:
    | { readonly host: string; readonly port: number }
    | { readonly socketPath: string; readonly path: string };
}

/** How `EINHORN_SOCK_FD` (einhorn `-g`) is presented to a worker. */
export type SockFdMode =
  | 'connected' // a live connection to the command socket (what -g intends)
  | 'file' // a regular file (an fd number reused by something else, P1)
  | 'stdout' // fd 1: a connected UNIX socketpair to the holder, unrelated to the master
  | 'closed'; // a number that is not open in the worker (the usual real-einhorn case)

/** Options for {@link FakeMaster.spawnWorker}. */
export interface SpawnWorkerOptions {
  readonly args?: readonly string[];
  /** Extra environment variables (fixture controls); `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Worker fd numbers for the listeners, in order. @default 3, 4, … */
  readonly fdPositions?: readonly number[];
  /** Describe the fds with the deprecated `EINHORN_FDS` only (einhorn 0.8 / socketmaster). */
  readonly legacyFds?: boolean;
  readonly sockFd?: SockFdMode;
  /**
   * Runs the worker through this program instead of directly, as `wrapper… node script args`
   * (a wrapper such as `sh -c`, npm or npx that does not exec): the wrapper is the master's child.
   */
  readonly wrapper?: readonly [string, ...string[]];
}

/** A worker spawned by the fake master. */
export interface FakeWorker {
  readonly pid: number;
  readonly childIndex: number;
  readonly output: OutputCollector;
  readonly exited: Promise<ExitStatus>;
  /** Sends a real signal to the worker (no-op once it exited). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with this worker's `worker:ack` line. */
  awaitAck(): Promise<CommandRecord>;
  /** Resolves with the first output line matching `pattern`; rejects if the worker exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
}

export interface FakeMaster {
  /** The holder process's pid: `EINHORN_MASTER_PID` and every worker's parent. */
  readonly pid: number;
  readonly commandSocketPath: string;
  readonly listeners: readonly HeldListener[];
  /** The regular file behind `sockFd: 'file'`; it must stay empty. */
  readonly sockFdFilePath: string;
  /** Every line received on the command socket. */
  readonly commands: readonly CommandRecord[];
  spawnWorker(script: string, options?: SpawnWorkerOptions): Promise<FakeWorker>;
  waitForCommand(predicate: (record: CommandRecord) => boolean): Promise<CommandRecord>;
  /** Resolves once every command-socket line sent before this call has been recorded. */
  barrier(): Promise<void>;
  /** Kills the workers and the holder, closes the command socket and removes the temp dir. */
  close(): Promise<void>;
}

interface WorkerRecord {
  readonly output: OutputCollector;
  readonly exited: Promise<ExitStatus>;
  readonly resolveExit: (status: ExitStatus) => void;
  alive: boolean;
}

const HOLDER = fileURLToPath(new URL('./master-holder.mjs', import.meta.url));
const HOLDER_FIRST_FD = 4; // 0-2 stdio, 3 IPC

async function listen(
  spec: ListenerSpec,
  dir: string,
  n: number,
): Promise<{ server: Server; listener: HeldListener }> {
  const server = createServer();
  const backlog = spec.backlog ?? 100; // einhorn's -l default
  const bindPath = join(dir, `bind-${n}.sock`);
  server.listen(
    spec.kind === 'tcp' ? { host: '127.0.0.1', port: 0, backlog } : { path: bindPath, backlog },
  );
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const path = join(dir, `listener-${n}.sock`);
  // libuv unlinks a UNIX listener's path when the server closes; the holder keeps the socket,
  // so move the name away first and let that unlink miss.
  if (spec.kind === 'unix') renameSync(bindPath, path);
  const connectOptions =
    spec.kind === 'tcp' ? { host: '127.0.0.1', port } : { socketPath: path, path: '/' };
  return {
    server,
    listener: {
      kind: spec.kind,
      port,
      path: spec.kind === 'unix' ? path : '',
      backlog,
      connectOptions,
    },
  };
}

export async function startFakeMaster(
  options: { readonly listeners?: readonly ListenerSpec[] } = {},
): Promise<FakeMaster> {
  const dir = mkdtempSync(join(tmpdir(), 'einhorn-fm-'));
  const commandSocketPath = join(dir, 'cmd.sock');
  const commandSocket = await FakeCommandSocket.listen(commandSocketPath);
  const specs = options.listeners ?? [{ kind: 'tcp' }];
  const bound = await Promise.all(specs.map((spec, i) => listen(spec, dir, i)));
  const sockFdFilePath = join(dir, 'sock-fd-file');
  const fileFd = openSync(sockFdFilePath, 'w');
  commandSocket.expectFdConnection();
  const sockClient: Socket = createConnection(commandSocketPath);
  await once(sockClient, 'connect');
  const stdio = [...bound.map(({ server }) => listeningFdOf(server)), sockClient, fileFd];
  const heldFds = stdio.map((_, i) => HOLDER_FIRST_FD + i);
  // After its own argument, the holder's command line reads like an einhorn master's
  // (`einhorn -l N`): that is where a worker reads the master's backlog from (check 33).
  const masterArgv = ['einhorn', '-l', String(bound[0]?.listener.backlog ?? 100)];
  const holder: ChildProcess = spawn(testNode, [HOLDER, JSON.stringify(heldFds), ...masterArgv], {
    env: baseEnv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', ...stdio],
  });
  // The holder has its copies now; drop ours so that this process never accepts.
  await once(holder, 'spawn');
  for (const { server } of bound) server.close();
  sockClient.destroy();
  closeSync(fileFd);
  const [ready] = (await once(holder, 'message')) as [
    { type: string; pid: number; fds: { fd: number; open: boolean; socket: boolean }[] },
  ];
  const expectedSockets = bound.length + 1;
  if (
    ready.type !== 'ready' ||
    ready.fds.slice(0, expectedSockets).some((fd) => !fd.socket) ||
    ready.fds[expectedSockets]?.open !== true
  ) {
    throw new Error(`The fake master's holder did not receive its fds: ${JSON.stringify(ready)}`);
  }
  const listenerFd = (i: number): number => HOLDER_FIRST_FD + i;
  const sockClientFd = HOLDER_FIRST_FD + bound.length;
  const fileHolderFd = sockClientFd + 1;

  const workers = new Map<number, WorkerRecord>();
  const pendingSpawns = new Map<
    number,
    { resolve: (pid: number) => void; reject: (error: Error) => void }
  >();
  let spawnIds = 0;
  holder.on(
    'message',
    (message: {
      type: string;
      id?: number;
      pid?: number;
      stream?: 'stdout' | 'stderr';
      chunk?: string;
      code?: number | null;
      signal?: NodeJS.Signals | null;
      message?: string;
    }) => {
      if (message.type === 'spawned' && message.id !== undefined && message.pid !== undefined)
        pendingSpawns.get(message.id)?.resolve(message.pid);
      else if (message.type === 'spawn-error' && message.id !== undefined)
        pendingSpawns.get(message.id)?.reject(new Error(message.message));
      else if (message.type === 'output' && message.pid !== undefined)
        workers.get(message.pid)?.output.push(message.stream ?? 'stdout', message.chunk ?? '');
      else if (message.type === 'exit' && message.pid !== undefined) {
        const record = workers.get(message.pid);
        if (record !== undefined) {
          record.alive = false;
          record.resolveExit({ code: message.code ?? null, signal: message.signal ?? null });
        }
      }
    },
  );
  const childIndexes = new Map<number, number>();
  const nextChildIndex = (): number => {
    const used = new Set(
      [...childIndexes]
        .filter(([pid]) => workers.get(pid)?.alive === true)
        .map(([, index]) => index),
    );
    let index = 0;
    while (used.has(index)) index += 1;
    return index;
  };

  const spawnWorker = async (
    script: string,
    spawnOptions: SpawnWorkerOptions = {},
  ): Promise<FakeWorker> => {
    const positions = spawnOptions.fdPositions ?? bound.map((_, i) => 3 + i);
    const top = Math.max(2, ...positions);
    const sockFdPosition = top + 1;
    const workerStdio: ('ignore' | number)[] = [];
    for (let pos = 3; pos <= sockFdPosition; pos++) {
      const listenerIndex = positions.indexOf(pos);
      if (listenerIndex >= 0) workerStdio.push(listenerFd(listenerIndex));
      else if (pos === sockFdPosition && spawnOptions.sockFd === 'connected')
        workerStdio.push(sockClientFd);
      else if (pos === sockFdPosition && spawnOptions.sockFd === 'file')
        workerStdio.push(fileHolderFd);
      else workerStdio.push('ignore');
    }
    const childIndex = nextChildIndex();
    const einhornVars =
      spawnOptions.legacyFds === true
        ? {
            EINHORN_FDS: positions.join(' '),
            EINHORN_SOCK_PATH: commandSocketPath,
            EINHORN_MASTER_PID: String(ready.pid),
            EINHORN_CHILD_INDEX: String(childIndex),
          }
        : serializeEinhornEnv({
            fds: positions,
            fdSource: 'count',
            sockPath: commandSocketPath,
            masterPid: ready.pid,
            childIndex,
          });
    const sockFdVar =
      spawnOptions.sockFd === undefined
        ? {}
        : { EINHORN_SOCK_FD: String(spawnOptions.sockFd === 'stdout' ? 1 : sockFdPosition) };
    const overrides = Object.entries(spawnOptions.env ?? {});
    const env: Record<string, string> = Object.fromEntries(
      [...Object.entries({ ...baseEnv(), ...einhornVars, ...sockFdVar }), ...overrides].filter(
        (entry): entry is [string, string] =>
          entry[1] !== undefined &&
          overrides.every(([key, value]) => key !== entry[0] || value !== undefined),
      ),
    );
    const id = ++spawnIds;
    const pid = await new Promise<number>((resolve, reject) => {
      pendingSpawns.set(id, { resolve, reject });
      holder.send({
        type: 'spawn',
        id,
        command: spawnOptions.wrapper?.[0] ?? testNode,
        args: [
          ...(spawnOptions.wrapper === undefined
            ? []
            : [...spawnOptions.wrapper.slice(1), testNode]),
          script,
          ...(spawnOptions.args ?? []),
        ],
        env,
        stdio: workerStdio,
      });
    }).finally(() => pendingSpawns.delete(id));
    let resolveExit: (status: ExitStatus) => void = () => undefined;
    const exited = new Promise<ExitStatus>((resolve) => {
      resolveExit = resolve;
    });
    const output = new OutputCollector();
    workers.set(pid, { output, exited, resolveExit, alive: true });
    childIndexes.set(pid, childIndex);
    return {
      pid,
      childIndex,
      output,
      exited,
      signal(signal) {
        if (workers.get(pid)?.alive === true) process.kill(pid, signal);
      },
      waitForLine: (pattern) =>
        Promise.race([
          output.waitForLine(pattern),
          exited.then((status) =>
            output
              .waitForLine(pattern, 0)
              .catch(() =>
                Promise.reject(
                  new Error(
                    `Worker ${pid} exited (${JSON.stringify(status)}) before printing ${String(pattern)}.\n${output.describe()}`,
                  ),
                ),
              ),
          ),
        ]),
      awaitAck: () =>
        commandSocket.waitFor(
          (record) =>
            record.request.kind === 'command' &&
            record.request.command.command === 'worker:ack' &&
            record.request.command.pid === pid,
        ),
    };
  };

  return {
    pid: ready.pid,
    commandSocketPath,
    listeners: bound.map(({ listener }) => listener),
    sockFdFilePath,
    get commands() {
      return commandSocket.records;
    },
    spawnWorker,
    waitForCommand: (predicate) => commandSocket.waitFor(predicate),
    async barrier() {
      const marker = `barrier-${Date.now()}-${Math.random()}`;
      const socket = createConnection(commandSocketPath);
      socket.end(`${JSON.stringify({ command: 'help', id: marker })}\n`);
      await commandSocket.waitFor(
        (record) => record.request.kind === 'command' && record.request.id === marker,
        EVENT_TIMEOUT_MS,
      );
      socket.destroy();
    },
    async close() {
      for (const [pid, record] of workers) {
        if (!record.alive) continue;
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // exited meanwhile; its exit message is on its way
        }
      }
      await Promise.all([...workers.values()].map((record) => record.exited));
      if (holder.exitCode === null && holder.signalCode === null) {
        holder.kill('SIGKILL');
        await once(holder, 'exit');
      }
      await commandSocket.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
