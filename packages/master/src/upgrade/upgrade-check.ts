import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** What the upgrade check learned. */
export type UpgradeCheckResult =
  | {
      readonly ok: true;
      /** The environment the re-exec'd einhorn-node reported; undefined when it reported none. */
      readonly env: Record<string, string> | undefined;
    }
  | { readonly ok: false; readonly reason: string };

/** Inputs of {@link runUpgradeCheck}. */
export interface UpgradeCheckInput {
  /** The re-exec command line (`--reexec-as`, shell-split), as argv. */
  readonly commandLine: readonly string[];
  /** The worker program and its arguments, passed after `--` as einhorn does. */
  readonly program: readonly string[];
  /** einhorn's restored environment: start-up environment minus `--drop-env-var`. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

function parseReport(text: string): Record<string, string> | undefined {
  if (text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value === 'string') env[name] = value;
    }
    return env;
  } catch {
    return undefined;
  }
}

/** One run of the re-exec command line: its exit, and what it wrote on fd 3. */
interface ReexecRun {
  readonly failure: string | undefined;
  readonly report: string;
}

function runReexec(input: UpgradeCheckInput, args: readonly string[]): Promise<ReexecRun> {
  const [file, ...rest] = input.commandLine;
  const shown = [...input.commandLine, ...args].join(' ');
  if (file === undefined)
    return Promise.resolve({ failure: 'the re-exec command line is empty', report: '' });
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(file, [...rest, ...args], {
        cwd: input.cwd,
        env: input.env,
        stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
      });
    } catch (error) {
      resolve({ failure: `could not run ${shown}: ${String(error)}`, report: '' });
      return;
    }
    const chunks: Buffer[] = [];
    const report = child.stdio[3] as Readable | null;
    report?.on('data', (chunk: Buffer) => chunks.push(chunk));
    report?.on('error', () => undefined);
    child.once('error', (error) => {
      resolve({ failure: `could not run ${shown}: ${error.message}`, report: '' });
    });
    child.once('close', (code, signal) => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolve({ failure: undefined, report: text });
      else
        resolve({
          failure: `${shown} ${signal === null ? `exited with status ${String(code)}` : `was killed by ${signal}`}`,
          report: text,
        });
    });
  });
}

/**
 * einhorn's two re-exec steps, run as child processes since this master keeps its own image:
 * `can_safely_reload?` (`<commandLine> --upgrade-check -- <program>`, which must exit 0), then
 * the re-exec itself (`<commandLine> --with-state-fd 3 -- <program>`, in the restored
 * environment), where an einhorn-node at the end of the command line writes the environment it
 * got (JSON) to fd 3 and exits: that is the next generation's environment, exactly as the
 * command line (`env VAR=b`, `sh -c`, scripts that exec) would have set it for einhorn.
 * Like einhorn, there is no time limit. Never rejects.
 */
export async function runUpgradeCheck(input: UpgradeCheckInput): Promise<UpgradeCheckResult> {
  const check = await runReexec(input, ['--upgrade-check', '--', ...input.program]);
  if (check.failure !== undefined) return { ok: false, reason: check.failure };
  const reexec = await runReexec(input, ['--with-state-fd', '3', '--', ...input.program]);
  if (reexec.failure !== undefined) return { ok: false, reason: reexec.failure };
  return { ok: true, env: parseReport(reexec.report) };
}
