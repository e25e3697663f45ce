import { parseArgs } from 'node:util';
import type { EnvSource } from '@einhorn/core';
import { defaultSocketPath } from '../client/socket-path.ts';

/** What the command line asks for. */
export type ShellInvocation =
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string }
  | {
      readonly kind: 'run';
      /** -d, or the default path for -c NAME / the positional NAME. */
      readonly socketPath: string;
      /** -e: commands separated by `;`; absent for the interactive or piped mode. */
      readonly execute: string | undefined;
      /** --raw: print `state` verbatim instead of as a table. */
      readonly raw: boolean;
      /** --json: ask for `state` as JSON and print it as JSON. */
      readonly json: boolean;
    };

/** einhornsh's usage, adapted to this shell. */
export const USAGE = `Usage: einhornsh-node [options] [cmd_name]

Welcome to einhornsh-node: the Einhorn shell, for einhorn and einhorn-node masters.

Pass the cmd_name of the Einhorn master you are connecting to either
as a positional argument or using \`-c\`. If you're running your Einhorn
with a \`-d\`, provide the same argument here.

    -c, --command-name CMD_NAME      Connect to the Einhorn master with this cmd_name
    -d, --socket-path PATH           Path to the Einhorn command socket
    -e, --execute CMD_LINE_SEQ       Execute this command outside of interactive mode
        --raw                        Print \`state\` replies verbatim instead of as a table
        --json                       Print \`state\` as JSON (asks einhorn-node for JSON; decodes
                                     einhorn's YAML)
    -h, --help                       Display this message`;

/**
 * Parses einhornsh's options: `-d PATH`, `-c NAME`, one positional NAME, `-e "cmd; cmd"`, `-h`,
 * plus `--raw` and `--json`.
 *
 * @param argv - Arguments after the program name.
 * @param env - Where `TMPDIR` is read for the default socket path.
 * @returns What to do; never throws.
 */
export function parseShellArguments(argv: readonly string[], env: EnvSource): ShellInvocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'command-name': { type: 'string', short: 'c' },
        'socket-path': { type: 'string', short: 'd' },
        execute: { type: 'string', short: 'e' },
        raw: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return {
      kind: 'usage-error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (positionals.length > 1) {
    return {
      kind: 'usage-error',
      message: `Expected at most one cmd_name but got ${positionals.length}: ${positionals.join(' ')}`,
    };
  }
  const name = values['command-name'] ?? positionals[0];
  return {
    kind: 'run',
    socketPath: values['socket-path'] ?? defaultSocketPath(name, env),
    execute: values.execute,
    raw: values.raw === true,
    json: values.json === true,
  };
}
