// Spawns fixture processes for integration tests: readiness handshake on an output line,
// collected stdout/stderr, and kill-on-teardown. Every process runs on the Node under test
// (EINHORN_TEST_NODE, set by scripts/node-matrix.mjs), never on the toolchain Node by accident.
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

/**
 * The Node binary every spawned process must use, as an absolute normalised path (a worker's
 * `argv[0]` is compared with it).
 */
export const testNode: string = resolve(process.env['EINHORN_TEST_NODE'] ?? process.execPath);

/** Generous failure bound for waiting on an event; never a synchronisation sleep. */
export const EVENT_TIMEOUT_MS = 30_000;

/** How a process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface LineWaiter {
  readonly pattern: RegExp;
  readonly resolve: (line: string) => void;
}

/**
 * Accumulates a process's output and resolves waiters when a complete line matches.
 * Shared by {@link spawnFixture} and the fake master (whose workers' output arrives over IPC).
 */
export class OutputCollector {
  #stdout = '';
  #stderr = '';
  readonly #partial = { stdout: '', stderr: '' };
  readonly #lines: string[] = [];
  readonly #waiters = new Set<LineWaiter>();

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Every complete line seen so far on either stream, in arrival order. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  push(stream: 'stdout' | 'stderr', chunk: string): void {
    if (stream === 'stdout') this.#stdout += chunk;
    else this.#stderr += chunk;
    const parts = (this.#partial[stream] + chunk).split('\n');
    this.#partial[stream] = parts.pop() ?? '';
    for (const line of parts) this.#addLine(line);
  }

  /** Resolves with the first line (past or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs = EVENT_TIMEOUT_MS): Promise<string> {
    const seen = this.#lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `No output line matched ${String(pattern)} within ${timeoutMs} ms. Output so far:\n${this.describe()}`,
          ),
        );
      }, timeoutMs);
      const waiter: LineWaiter = {
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** The output, for failure messages. */
  describe(): string {
    return `--- stdout ---\n${this.#stdout}\n--- stderr ---\n${this.#stderr}`;
  }

  #addLine(line: string): void {
    this.#lines.push(line);
    for (const waiter of [...this.#waiters]) {
      if (waiter.pattern.test(line)) {
        this.#waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }
}

/** A spawned fixture process. */
export interface FixtureProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly output: OutputCollector;
  /** Settles when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** Sends a signal; a no-op once the process has exited. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILLs the process (if alive) and waits for it to exit. */
  kill(): Promise<ExitStatus>;
}

/** Options for {@link spawnFixture}. */
export interface SpawnFixtureOptions {
  readonly args?: readonly string[];
  /** The complete environment (nothing is inherited unless you spread `process.env`). */
  readonly env?: Readonly<Record<string, string>>;
  readonly stdio?: StdioOptions;
  readonly cwd?: string;
  /** Resolve only once a line matching this pattern appeared (the readiness handshake). */
  readonly readyLine?: RegExp;
}

const live = new Set<FixtureProcess>();

/** The environment fixtures get by default: enough to run Node, nothing from the test runner. */
export function baseEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  // Fixture knobs set for a whole run (e.g. the Express 4 leg of node-matrix.mjs) reach every fixture.
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('EINHORN_FIXTURE_') && value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Spawns `script` with the Node under test and collects its output. With `readyLine`, resolves
 * only after that line was printed (and rejects with the output if the process exits first).
 */
export async function spawnFixture(
  script: string,
  options: SpawnFixtureOptions = {},
): Promise<FixtureProcess> {
  const child = spawn(testNode, [script, ...(options.args ?? [])], {
    env: options.env ?? baseEnv(),
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const output = new OutputCollector();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output.push('stdout', chunk);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output.push('stderr', chunk);
  });
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  await Promise.race([
    once(child, 'spawn'),
    once(child, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
  const fixture: FixtureProcess = {
    child,
    pid: child.pid ?? -1,
    output,
    exited,
    signal(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      const status = await exited;
      live.delete(fixture);
      return status;
    },
  };
  live.add(fixture);
  void exited.then(() => live.delete(fixture));
  if (options.readyLine !== undefined) {
    const ready = options.readyLine;
    await Promise.race([
      output.waitForLine(ready),
      exited.then((status) =>
        Promise.reject(
          new Error(
            `Fixture ${script} exited (${JSON.stringify(status)}) before printing ${String(ready)}.\n${output.describe()}`,
          ),
        ),
      ),
    ]);
  }
  return fixture;
}

/** Kills every fixture spawned by {@link spawnFixture} that is still running (call in afterEach). */
export async function killAllFixtures(): Promise<void> {
  await Promise.all([...live].map((fixture) => fixture.kill()));
}
