import type { WorkerAckCommand } from '@einhorn/core';
import type { CommandDispatcher, CommandRequest } from '../command-server/types.ts';
import type { AckOutcome } from '../supervisor/acks.ts';
import { config } from './config.ts';
import type { CommandContext } from './context.ts';
import { changeVerbosity, ehlo, help, state } from './info.ts';
import { die, reload, signal, upgrade } from './lifecycle.ts';
import { decrement, increment, setWorkers } from './worker-count.ts';

const CONFIRMATIONS: Readonly<Record<AckOutcome, (pid: number) => string>> = {
  acked: () => 'ACKed',
  'unknown-pid': (pid) => `Not ACKed: no worker with pid ${pid} is known to this master.`,
  'already-acked': (pid) => `Not ACKed: pid ${pid} was already ACKed.`,
  'timer-mode': () => 'Not ACKed: the master runs in timer ACK mode and ACKs workers itself.',
};

/**
 * `worker:ack`. einhorn never replies (the server closes the connection); a worker that sends
 * `"confirm": true` gets one line saying whether its ACK counted (fixes P10 for those who ask).
 */
function workerAck(
  context: CommandContext,
  request: CommandRequest,
  command: WorkerAckCommand,
): void {
  const outcome = context.acks.manualAck(command.pid);
  if (command.confirm === true) request.reply(CONFIRMATIONS[outcome](command.pid));
}

/**
 * The master's command dispatcher: the effects and exact reply texts of every einhorn command
 * (docs/reference/protocol.md, "Commands"). Requests arrive already framed, decoded and validated
 * by the command server.
 */
export function createCommandDispatcher(context: CommandContext): CommandDispatcher {
  return (request) => {
    const { command } = request;
    switch (command.command) {
      case 'worker:ack':
        workerAck(context, request, command);
        return;
      case 'worker:ping':
        context.acks.ping(command.pid, command.request_id);
        return;
      case 'ehlo':
        request.reply(ehlo(context, command.user));
        return;
      case 'help':
        request.reply(help());
        return;
      case 'state':
        request.reply(state(context, command.format));
        return;
      case 'reload':
        request.reply(reload(context));
        return;
      case 'inc':
        request.reply(increment(context));
        return;
      case 'dec':
        request.reply(decrement(context));
        return;
      case 'set_workers':
        request.reply(
          command.args === undefined ? 'No args provided' : setWorkers(context, command.args),
        );
        return;
      case 'quieter':
        request.reply(changeVerbosity(context, 1));
        return;
      case 'louder':
        request.reply(changeVerbosity(context, -1));
        return;
      case 'upgrade':
        upgrade(context, request, 'smooth');
        return;
      case 'upgrade_fleet':
        upgrade(context, request, 'fleet');
        return;
      case 'signal':
        request.reply(signal(context, command.args));
        return;
      case 'die':
        request.reply(die(context, command.args));
        return;
      case 'config':
        request.reply(config(context, command.args));
        return;
    }
  };
}
