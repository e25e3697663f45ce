import type { EnvSource } from '@einhorn/core';
import { isEinhornError } from '@einhorn/core';
import { connectEinhorn } from '../client/connect.ts';
import type { EinhornClient } from '../client/types.ts';
import { defaultHistoryPath } from './history.ts';
import { runInputLoop } from './input-loop.ts';
import { parseShellArguments, USAGE } from './options.ts';
import { puts, type TextSink } from './output.ts';
import { createShellSession } from './session.ts';

/** The process around the shell; the CLI passes the real one, tests pass streams. */
export interface ShellEnvironment {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Prompt, line editing and replies. */
  readonly stdout: NodeJS.WritableStream & TextSink;
  /** ehlo reply, banner, Goodbye and errors. */
  readonly stderr: TextSink;
  /** `USER` (ehlo) and `TMPDIR` (default socket path). */
  readonly env: EnvSource;
  /** Aborted on SIGINT: the shell then leaves with status 0, as einhornsh does. */
  readonly signal: AbortSignal;
  /** Called on ^C at the interactive prompt; the CLI aborts `signal`. */
  readonly onInterrupt: () => void;
  /**
   * Interactive history file; `null` disables history.
   * @default ~/.einhornsh_node_history
   */
  readonly historyPath?: string | null;
  /** Forces interactive mode on or off. @default stdin.isTTY, and never with -e */
  readonly interactive?: boolean;
  /** readline's terminal mode at the interactive prompt (line editing, history). @default stdout.isTTY */
  readonly terminal?: boolean;
  /** Clock for worker ages in `state`. @default Date.now */
  readonly now?: () => number;
}

const CONNECT_TIMEOUT_MS = 10_000;

function connectFailure(stderr: TextSink, error: unknown): number {
  const reason = error instanceof Error ? error.message : String(error);
  const missing = isEinhornError(error) && error.details?.['errno'] === 'ENOENT';
  puts(
    stderr,
    `Could not connect to Einhorn master process:\n\n  ${reason}` +
      (missing
        ? '\n\nHINT: Are you sure you are running an Einhorn master?  If so, you\n' +
          'should pass einhornsh-node the cmd_name (-c argument) or the socket path\n' +
          '(-d argument) provided to Einhorn.'
        : ''),
  );
  return 1;
}

function sessionFailure(stderr: TextSink, path: string, error: unknown): number {
  if (isEinhornError(error, 'ERR_EINHORN_CLIENT_CLOSED')) {
    puts(
      stderr,
      `einhornsh-node: the Einhorn master at ${path} closed the connection before finishing its reply.`,
    );
  } else {
    puts(stderr, `einhornsh-node: ${error instanceof Error ? error.message : String(error)}`);
  }
  return 1;
}

/**
 * Runs `einhornsh-node` (einhornsh for einhorn and einhorn-node masters).
 *
 * @param argv - Arguments after the program name.
 * @param environment - Streams, environment and the SIGINT signal.
 * @returns The exit status: 0 normally and on SIGINT, 1 on usage errors, connection failures,
 *   a connection lost mid-reply, invalid `-e`/piped input, or an `upgrade`/`upgrade_fleet` of
 *   `-e`/piped input whose last reply is not `Upgrade done` (failed, refused).
 */
export async function runEinhornsh(
  argv: readonly string[],
  environment: ShellEnvironment,
): Promise<number> {
  const { stdin, stdout, stderr, env, signal } = environment;
  const invocation = parseShellArguments(argv, env);
  if (invocation.kind === 'help') {
    puts(stdout, USAGE);
    return 0;
  }
  if (invocation.kind === 'usage-error') {
    puts(stderr, `einhornsh-node: ${invocation.message}\n\n${USAGE}`);
    return 1;
  }
  const { socketPath, execute, raw, json } = invocation;
  const interactive = execute === undefined && (environment.interactive ?? stdin.isTTY === true);

  let client: EinhornClient;
  try {
    client = await connectEinhorn({
      path: socketPath,
      timeoutMs: CONNECT_TIMEOUT_MS,
    });
  } catch (error) {
    return connectFailure(stderr, error);
  }
  const closeOnAbort = (): void => void client.close();
  signal.addEventListener('abort', closeOnAbort, { once: true });
  const session = createShellSession({
    client,
    stdout,
    stderr,
    interactive,
    raw,
    json,
    now: environment.now ?? Date.now,
  });
  try {
    if (execute !== undefined) {
      const result = await session.runLine(execute);
      return result === 'invalid' || session.failed ? 1 : 0;
    }
    if (interactive) await session.greet(env['USER']);
    const historyPath =
      environment.historyPath === undefined ? defaultHistoryPath() : environment.historyPath;
    const result = await runInputLoop({
      input: stdin,
      runLine: (line) => session.runLine(line),
      signal,
      ...(interactive
        ? {
            prompt: {
              output: stdout,
              historyPath: historyPath ?? undefined,
              onInterrupt: environment.onInterrupt,
              ...(environment.terminal === undefined ? {} : { terminal: environment.terminal }),
            },
          }
        : {}),
    });
    return result === 'invalid' || (!interactive && session.failed) ? 1 : 0;
  } catch (error) {
    if (signal.aborted) return 0;
    return sessionFailure(stderr, socketPath, error);
  } finally {
    signal.removeEventListener('abort', closeOnAbort);
    await client.close();
  }
}
