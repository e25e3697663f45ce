import { bindListeners } from './bind/bind-listeners.ts';
import type { HeldListeners } from './bind/bind-listeners.ts';
import { adoptSystemdSockets } from './bind/systemd-sockets.ts';
import type { SystemdSockets } from './bind/systemd-sockets.ts';
import { startCommandServer } from './command-server/index.ts';
import type {
  CommandDispatcher,
  CommandServer,
  CommandServerEvent,
} from './command-server/index.ts';
import type { LogBus } from './log/log-bus.ts';
import { startReaper } from './signals/reaper.ts';
import type { Reaper } from './signals/reaper.ts';
import type { ResolvedMasterOptions } from './options.ts';
import { removePidfile, writePidfile } from './files/pidfile.ts';

/** Longest command-socket request line the master accepts (einhorn has no limit; P19). */
export const MASTER_MAX_LINE_BYTES = 64 * 1024;
/** What the master holds for its whole life. */
export interface MasterResources {
  readonly server: CommandServer;
  readonly listeners: HeldListeners;
  readonly reaper: Reaper | undefined;
  /** Releases everything: command socket (file removed), pidfile, listeners, reaper pipe. */
  close(): Promise<void>;
}

function logServerEvent(log: LogBus, event: CommandServerEvent): void {
  switch (event.type) {
    case 'stale-socket-removed':
      log.info(
        `Blowing away old Einhorn command socket at ${event.path}. This likely indicates a previous Einhorn master which exited uncleanly.`,
      );
      return;
    case 'invalid-request':
      log.error(
        `Invalid "${event.command}" request on connection ${event.connectionId}: ${event.error.message}`,
      );
      return;
    case 'dispatch-error':
      log.error(
        `Error while processing command "${event.command}": ${event.error instanceof Error ? event.error.message : String(event.error)}`,
      );
      return;
    case 'line-too-long':
      log.error(
        `Closed command connection ${event.connectionId}: request line over ${event.bytes} bytes.`,
      );
      return;
    case 'write-buffer-full':
      log.error(
        `Closed command connection ${event.connectionId}: it left ${event.bytes} reply bytes unread.`,
      );
      return;
    case 'connection-refused':
      log.error('Refused a command connection: too many open connections.');
      return;
    case 'unparseable':
      log.debug(`Could not parse a command on connection ${event.connectionId}.`);
      return;
    case 'connection-error':
      log.debug(`Command connection ${event.connectionId} failed: ${event.error.message}`);
      return;
    case 'server-error':
      log.error(`The command socket failed: ${event.error.message}`);
      return;
    case 'connection-open':
    case 'connection-close':
      return;
  }
}

/** Reuseport slot count: the initial worker count when any bind asks for reuseport, else 0. */
export function reusePortSlots(options: ResolvedMasterOptions): number {
  return options.binds.some((bind) => bind.kind === 'tcp' && bind.reusePort) ? options.workers : 0;
}

/**
 * einhorn's start-up order (einhorn.rb:411-428): command socket (with its lockfile and stale-socket
 * handling), pidfile, listening sockets (bound, or adopted from systemd), then the `-k` reaper. On failure, whatever was opened is
 * released again and the error is rethrown.
 */
export async function openResources(
  options: ResolvedMasterOptions,
  deps: {
    readonly dispatch: CommandDispatcher;
    readonly log: LogBus;
    readonly pid: number;
    /** Sockets passed by systemd socket activation, adopted instead of binding. */
    readonly systemd?: SystemdSockets | undefined;
  },
): Promise<MasterResources> {
  const server = await startCommandServer({
    path: options.commandSocketPath,
    dispatch: deps.dispatch,
    maxLineBytes: MASTER_MAX_LINE_BYTES,
    ...(options.lockfilePath === undefined ? {} : { lockfilePath: options.lockfilePath }),
    onEvent: (event) => {
      logServerEvent(deps.log, event);
    },
  });
  const pidfile = options.pidfilePath;
  let listeners: HeldListeners | undefined;
  try {
    if (pidfile !== false) await writePidfile(pidfile, deps.pid);
    const slots = reusePortSlots(options);
    listeners =
      deps.systemd === undefined
        ? await bindListeners(options.binds, { backlog: options.backlog, slots })
        : adoptSystemdSockets(deps.systemd, options.binds);
    const reaper = options.killWorkersOnExit ? startReaper(options.shutdownSignal) : undefined;
    const held = listeners;
    return {
      server,
      listeners: held,
      reaper,
      close: async () => {
        reaper?.close();
        held.close();
        if (pidfile !== false) await removePidfile(pidfile, deps.pid);
        await server.close();
      },
    };
  } catch (error) {
    listeners?.close();
    if (pidfile !== false) await removePidfile(pidfile, deps.pid);
    await server.close();
    throw error;
  }
}
