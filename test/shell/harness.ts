// Helpers for the einhornsh-node and client integration tests: they spawn the BUILT shell and the
// fake master (test/fixtures/shell/fake-master.mjs) with the Node under test, and wait on events.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testNode } from '../helpers/spawn-fixture.ts';

export const NODE = testNode;
const ROOT = resolve(import.meta.dirname, '../..');
export const SHELL_CLI = join(ROOT, 'packages/client/dist/shell-cli.js');
const FAKE_MASTER = join(ROOT, 'test/fixtures/shell/fake-master.mjs');

const children = new Set<ChildProcess>();

/** Kills every process started by these helpers; call from afterEach. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      children.delete(child);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    }),
  );
}

export async function makeTempDir(): Promise<{
  readonly dir: string;
  readonly cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'einhornsh-it-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Collects a child's output and lets tests wait for text to appear. */
export class Output {
  text = '';
  readonly #waiters = new Set<() => void>();

  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.text += chunk;
      this.#waiters.forEach((wake) => {
        wake();
      });
    });
  }

  /** Resolves once `predicate(text)` holds; rejects after `timeoutMs` (a failure bound only). */
  async until(predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<void> {
    if (predicate(this.text)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting; output so far: ${JSON.stringify(this.text)}`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate(this.text)) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }
}

export interface FakeMasterEvent {
  readonly event: string;
  readonly command?: Record<string, unknown>;
  readonly id?: unknown;
  readonly data?: string;
}

export interface FakeMaster {
  readonly path: string;
  readonly events: () => FakeMasterEvent[];
  readonly output: Output;
  /** Releases the rest of a pending `upgrade` stream. */
  release(): void;
  /** Waits until at least `count` requests were dispatched (events arrive on a separate pipe). */
  requests(count: number): Promise<unknown[]>;
  /** Every byte clients sent (raw mode). */
  bytes(): string;
}

/**
 * Starts the fake master on `path`. With `rawReplies`, it records raw bytes and answers the Nth
 * request line with the Nth reply string (include the LF) instead of using the command server.
 */
export async function startFakeMaster(
  path: string,
  rawReplies?: readonly string[],
): Promise<FakeMaster> {
  const args = [FAKE_MASTER, path];
  if (rawReplies !== undefined) {
    const script = `${path}.replies.json`;
    await writeFile(script, JSON.stringify(rawReplies));
    args.push('--raw', script);
  }
  const child = spawn(NODE, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  const output = new Output(child.stdout);
  const events = (): FakeMasterEvent[] =>
    output.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as FakeMasterEvent);
  await output.until((text) => text.includes('{"event":"ready"}'));
  return {
    path,
    events,
    output,
    release: () => child.stdin.write('go\n'),
    requests: async (count) => {
      const dispatched = (): FakeMasterEvent[] => events().filter((e) => e.event === 'request');
      await output.until(() => dispatched().length >= count);
      return dispatched().map((e) => [e.command, e.id]);
    },
    bytes: () =>
      events()
        .filter((e) => e.event === 'bytes')
        .map((e) => e.data ?? '')
        .join(''),
  };
}

export interface ShellRun {
  readonly child: ChildProcess;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Resolves with the exit status (a signal name if killed). */
  readonly exit: Promise<number | string>;
}

/** Starts the built `einhornsh-node` as a real process; stdin is a pipe (not a TTY). */
export function runShell(args: readonly string[], env: NodeJS.ProcessEnv = {}): ShellRun {
  const child = spawn(NODE, [SHELL_CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  const exit = once(child, 'exit').then(
    ([code, signal]) => (code as number | null) ?? String(signal),
  );
  return {
    child,
    stdout: new Output(child.stdout),
    stderr: new Output(child.stderr),
    exit,
  };
}

/** Runs `command` under `script -qc` so that it gets a pseudo-terminal (util-linux `script`). */
export function runInPty(command: string, env: NodeJS.ProcessEnv = {}): ShellRun {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, SHELL: '/bin/sh', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  const exit = once(child, 'exit').then(
    ([code, signal]) => (code as number | null) ?? String(signal),
  );
  return {
    child,
    stdout: new Output(child.stdout),
    stderr: new Output(child.stderr),
    exit,
  };
}

/** Quotes one word for /bin/sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
