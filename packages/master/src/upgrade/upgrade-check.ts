import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * The variable naming the fd on which `einhorn-node --upgrade-check` reports its environment.
 * An environment variable rather than an argument, so the command line stays einhorn's
 * (`<reexec> --upgrade-check -- <cmd>`); it survives `env VAR=x`, `sh -c` and scripts that exec.
 */
export const UPGRADE_CHECK_FD_ENV = 'EINHORN_NODE_UPGRADE_CHECK_FD';

/** What the upgrade check learned. */
export type UpgradeCheckResult =
  | {
      readonly ok: true;
      /** The environment the re-exec'd einhorn-node saw; undefined when it reported none. */
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
      if (typeof value === 'string' && name !== UPGRADE_CHECK_FD_ENV) env[name] = value;
    }
    return env;
  } catch {
    return undefined;
  }
}

/**
 * einhorn's `can_safely_reload?`: runs `<commandLine> --upgrade-check -- <program>` in the restored
 * environment and waits for it. Exit 0 means the master could re-exec; an einhorn-node at the end
 * of the command line also writes the environment it got (JSON) to the fd named by
 * {@link UPGRADE_CHECK_FD_ENV}, which is how the next generation's environment is learned.
 * Like einhorn, there is no time limit. Never rejects.
 */
export function runUpgradeCheck(input: UpgradeCheckInput): Promise<UpgradeCheckResult> {
  const [file, ...rest] = input.commandLine;
  const shown = [...input.commandLine, '--upgrade-check', '--', ...input.program].join(' ');
  if (file === undefined)
    return Promise.resolve({ ok: false, reason: 'the re-exec command line is empty' });
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(file, [...rest, '--upgrade-check', '--', ...input.program], {
        cwd: input.cwd,
        env: { ...input.env, [UPGRADE_CHECK_FD_ENV]: '3' },
        stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
      });
    } catch (error) {
      resolve({ ok: false, reason: `could not run ${shown}: ${String(error)}` });
      return;
    }
    const chunks: Buffer[] = [];
    const report = child.stdio[3] as Readable | null;
    report?.on('data', (chunk: Buffer) => chunks.push(chunk));
    report?.on('error', () => undefined);
    child.once('error', (error) => {
      resolve({ ok: false, reason: `could not run ${shown}: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      if (code === 0) {
        resolve({ ok: true, env: parseReport(Buffer.concat(chunks).toString('utf8')) });
        return;
      }
      const how =
        signal === null ? `exited with status ${String(code)}` : `was killed by ${signal}`;
      resolve({ ok: false, reason: `${shown} ${how}` });
    });
  });
}
