import type { EinhornProtocolError, RequestId } from '@einhorn/core';
import { readRequest } from '@einhorn/core/yaml';
import { unrecognizedCommandMessage } from '../help.ts';
import type { LineOutcome } from './connection.ts';
import { rubyClassName, rubyInspect } from './ruby-inspect.ts';
import type {
  CommandConnection,
  CommandDispatcher,
  CommandRequest,
  CommandServerEvent,
} from './types.ts';

/** Einhorn's reply to a line that is not a YAML mapping (check 14); never carries a request_id. */
export const COULD_NOT_PARSE_MESSAGE = 'Could not parse command';
/** Einhorn's reply to a mapping without `command` (check 15). */
export const NO_COMMAND_MESSAGE =
  'No "command" parameter provided; not sure what you want me to do.';

/** Workers' commands: einhorn closes the connection after them ("in case the application forgets to"). */
const CONNECTION_CLOSING_COMMANDS: ReadonlySet<string> = new Set(['worker:ack', 'worker:ping']);
/** Commands whose handlers run einhorn's `validate_args`. */
const ARGS_COMMANDS: ReadonlySet<string> = new Set(['set_workers', 'signal', 'die', 'config']);

/**
 * The reply to a known command whose fields fail the schema, in einhorn's words where einhorn
 * has them (`validate_args`), otherwise one sentence naming the problem.
 *
 * @param name - The command name.
 * @param raw - The decoded request mapping.
 * @param error - The schema error from `readRequest`.
 */
export function invalidRequestMessage(
  name: string,
  raw: Readonly<Record<string, unknown>>,
  error: EinhornProtocolError,
): string {
  const args = raw['args'];
  if (ARGS_COMMANDS.has(name)) {
    if (args === undefined || args === null) return 'No args provided';
    if (!Array.isArray(args)) return 'Args must be an array';
    const values: readonly unknown[] = args;
    const index = values.findIndex((arg) => typeof arg !== 'string');
    if (index !== -1) {
      const bad = values[index];
      return `Argument is a ${rubyClassName(bad)}, not a string: ${rubyInspect(bad)}`;
    }
  }
  return `Invalid ${rubyInspect(name)} request: ${error.message}`;
}

function errorClassName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return rubyClassName(error);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the line handler needs from the server. */
export interface LineHandlerSettings {
  readonly dispatch: CommandDispatcher;
  readonly emit: (event: CommandServerEvent) => void;
  readonly maxLineBytes: number;
}

/**
 * Builds the per-line step of every connection: classify with `readRequest`, answer what einhorn
 * answers before dispatch (checks 14–16, 19), dispatch valid requests, and close after
 * `worker:ack` / `worker:ping` (checks 22, 24, 25, 27).
 */
export function createLineHandler(
  settings: LineHandlerSettings,
): (line: string, connection: CommandConnection) => LineOutcome {
  const { emit, maxLineBytes } = settings;
  return (line, connection) => {
    const result = readRequest(line, { maxLineBytes });
    switch (result.kind) {
      case 'unparseable':
        emit({ type: 'unparseable', connectionId: connection.id });
        connection.send(COULD_NOT_PARSE_MESSAGE, undefined);
        return 'continue';
      case 'no-command':
        connection.send(NO_COMMAND_MESSAGE, result.id);
        return 'continue';
      case 'unknown-command':
        connection.send(unrecognizedCommandMessage(rubyInspect(result.name)), result.id);
        return 'continue';
      case 'invalid':
        emit({
          type: 'invalid-request',
          connectionId: connection.id,
          command: result.name,
          error: result.error,
        });
        if (CONNECTION_CLOSING_COMMANDS.has(result.name)) return 'close';
        connection.send(invalidRequestMessage(result.name, result.raw, result.error), result.id);
        return 'continue';
      case 'command': {
        const name = result.command.command;
        runDispatch(settings, createRequest(result.command, result.id, connection));
        return CONNECTION_CLOSING_COMMANDS.has(name) ? 'close' : 'continue';
      }
    }
  };
}

/** Dispatches; a throwing dispatcher gets einhorn's error reply instead of taking the server down. */
function runDispatch(settings: LineHandlerSettings, request: CommandRequest): void {
  try {
    settings.dispatch(request);
  } catch (error) {
    const name = request.command.command;
    settings.emit({
      type: 'dispatch-error',
      connectionId: request.connection.id,
      command: name,
      error,
    });
    request.reply(
      `Error while processing command ${rubyInspect(name)}: ${errorText(error)} (${errorClassName(error)})`,
    );
  }
}

function createRequest(
  command: CommandRequest['command'],
  id: RequestId | undefined,
  connection: CommandConnection,
): CommandRequest {
  return {
    command,
    id,
    connection,
    reply: (message, options) => {
      connection.send(message, id, options);
    },
  };
}
