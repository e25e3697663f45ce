import type { CommandRequest } from '../command-server/types.ts';
import {
  invalidSignalsMessage,
  normalizeSignalArg,
  toNodeSignal,
} from '../signals/signal-names.ts';
import type { UpgradeMode } from '../upgrade/upgrade-controller.ts';
import type { CommandContext } from './context.ts';

const INTRO: Readonly<Record<UpgradeMode, string>> = {
  smooth: 'Upgrading smoothly, as commanded',
  fleet: 'Upgrading fleet, as commanded',
};

/**
 * `upgrade` / `upgrade_fleet`: the intro (with `wait` when the request has an id), then every
 * `upgrade`-tagged log line with `wait`, then `Upgrade done` without `wait`. Unlike einhorn (P4),
 * a client always gets a final reply: also when the upgrade cannot start or fails.
 */
export function upgrade(context: CommandContext, request: CommandRequest, mode: UpgradeMode): void {
  const refusal = context.upgrades.refusal();
  if (refusal !== undefined) {
    request.reply(refusal);
    return;
  }
  if (request.id === undefined) {
    // einhorn subscribes only requests with an id; old-style clients get the intro alone.
    request.reply(INTRO[mode]);
    context.upgrade(mode);
    return;
  }
  request.reply(INTRO[mode], { wait: true });
  const cleanups: (() => void)[] = [];
  const end = (): void => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  cleanups.push(
    context.log.onTagged((entry) => {
      request.reply(entry.message, { wait: true });
    }),
  );
  let open = true;
  cleanups.push(
    request.connection.onClose(() => {
      open = false;
      end();
    }),
  );
  context.upgrade(mode, {
    done: () => {
      end();
      if (open) request.reply('Upgrade done');
    },
    failed: (reason) => {
      end();
      if (open) request.reply(reason);
    },
  });
}

/** `reload`: nothing to re-exec in einhorn-node; the pid, sockets and workers stay, the generation goes up. */
export function reload(context: CommandContext): string {
  if (!context.state.respawn) return 'Not reloading: the master is shutting down';
  context.reload();
  return 'Reloading, as commanded';
}

/** `signal` (interface.rb:387-404): unrecorded signals to every worker; `""` per signal, joined by LF. */
export function signal(context: CommandContext, args: readonly string[] | undefined): string {
  if (args === undefined) return 'No args provided';
  const names = args.map(normalizeSignalArg);
  const invalid = invalidSignalsMessage(names);
  if (invalid !== undefined) return invalid;
  for (const name of names) {
    const nodeSignal = toNodeSignal(name);
    if (nodeSignal) context.signalAll(nodeSignal, false);
  }
  return names.map(() => '').join('\n');
}

/** `die` (interface.rb:406-425): recorded signal (default: the shutdown signal) to all, then stop. */
export function die(context: CommandContext, args: readonly string[] | undefined): string {
  if (args === undefined) return 'No args provided';
  const names = args.slice(0, 1).map(normalizeSignalArg);
  const invalid = invalidSignalsMessage(names);
  if (invalid !== undefined) return invalid;
  const chosen =
    names[0] === undefined ? context.state.config.shutdownSignal : toNodeSignal(names[0]);
  context.die(chosen ?? context.state.config.shutdownSignal);
  return 'Einhorn is going down! ';
}
