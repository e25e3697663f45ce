import type { EinhornProtocolError } from '@einhorn/core';
import { decodeMessage, rubyClassName, rubyInspect } from '@einhorn/core/yaml';
import type { EinhornClient } from '../client/types.ts';
import { puts, type TextSink } from './output.ts';
import { splitCommandSequence, UnmatchedQuoteError } from './split-commands.ts';
import { decodeStateDocument } from './state-document.ts';
import { renderStateTable } from './state-table.ts';
import { parseStateView } from './state-view.ts';

/** einhornsh's banner, printed to stderr after the ehlo reply in interactive mode. */
export const BANNER_LINES: readonly string[] = [
  "Enter 'help' if you're not sure what to do.",
  '',
  'Type "quit" or "exit" to quit at any time',
];

/** What running one input line led to. */
export type LineResult = 'continue' | 'quit' | 'invalid';

/** einhorn's last reply to an upgrade that completed; anything else means it did not. */
const UPGRADE_DONE = 'Upgrade done';
const UPGRADE_COMMANDS: ReadonlySet<string> = new Set(['upgrade', 'upgrade_fleet']);

/** Settings of a {@link ShellSession}. */
export interface ShellSessionOptions {
  readonly client: EinhornClient;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Interactive sessions greet with `ehlo`, print the banner and say `Goodbye!`. */
  readonly interactive: boolean;
  /** Print `state` verbatim instead of as a table. */
  readonly raw: boolean;
  /** Ask for `state` as JSON (`format: 'json'`) and print it as JSON, whatever the master sent. */
  readonly json: boolean;
  /** Clock for worker ages. */
  readonly now: () => number;
}

/** One einhornsh conversation over a connected client. */
export interface ShellSession {
  /** Sends `{command: 'ehlo', user}` without an id, prints its reply and the banner to stderr. */
  greet(user: string | undefined): Promise<void>;
  /** Runs every `;`-separated command of one input line, in order, each after the previous finished. */
  runLine(line: string): Promise<LineResult>;
  /**
   * True once a command failed although it ran: an `upgrade`/`upgrade_fleet` whose last reply
   * is not `Upgrade done`. Later commands still run; a non-interactive shell then exits 1.
   */
  readonly failed: boolean;
}

function describeInvalidReply(line: string, error: EinhornProtocolError): string {
  try {
    const value = decodeMessage(line);
    return `Invalid response type ${rubyClassName(value)}: ${rubyInspect(value)}`;
  } catch {
    return `Invalid response: ${error.message}`;
  }
}

/**
 * Creates the shell's command loop body, shared by `-e`, piped input and the interactive prompt.
 *
 * @param options - The client, output sinks and mode.
 * @returns The session.
 */
export function createShellSession(options: ShellSessionOptions): ShellSession {
  const { client, stdout, stderr, interactive, raw, json, now } = options;
  let failed = false;

  const show = (command: string, message: string): void => {
    if (command !== 'state' || raw) {
      puts(stdout, message);
    } else if (json) {
      const document = decodeStateDocument(message);
      puts(stdout, document === undefined ? message : JSON.stringify(document, null, 2));
    } else {
      const view = parseStateView(message);
      puts(stdout, view === undefined ? message : renderStateTable(view, now()));
    }
  };

  return {
    get failed() {
      return failed;
    },

    async greet(user) {
      await client.requestMessage(
        user === undefined ? { command: 'ehlo' } : { command: 'ehlo', user },
        {
          timeoutMs: 0,
          onMessage: (reply) => {
            puts(stderr, reply.message);
          },
        },
      );
      for (const line of BANNER_LINES) puts(stderr, line);
    },

    async runLine(line) {
      let commands;
      try {
        commands = splitCommandSequence(line);
      } catch (error) {
        if (!(error instanceof UnmatchedQuoteError)) throw error;
        puts(stderr, `einhornsh-node: ${error.message}`);
        return 'invalid';
      }
      for (const { command, args } of commands) {
        if (command === 'quit' || command === 'exit') {
          if (interactive) puts(stderr, 'Goodbye!');
          return 'quit';
        }
        const replies = await client.request(command, args, {
          timeoutMs: 0,
          ...(json && command === 'state' ? { fields: { format: 'json' } } : {}),
          onMessage: (reply) => {
            show(command, reply.message);
          },
          onInvalidReply: (text, error) => {
            puts(stdout, describeInvalidReply(text, error));
          },
        });
        const last = replies.at(-1)?.message;
        if (UPGRADE_COMMANDS.has(command) && last !== UPGRADE_DONE) {
          puts(
            stderr,
            `einhornsh-node: the ${command} did not complete: expected "${UPGRADE_DONE}" but the master's last reply was ${JSON.stringify(last ?? '')}.`,
          );
          failed = true;
        }
      }
      return 'continue';
    },
  };
}
