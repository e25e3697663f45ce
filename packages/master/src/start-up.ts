import { readSystemdSockets, SYSTEMD_ENV } from './bind/systemd-sockets.ts';
import type { CommandDispatcher } from './command-server/index.ts';
import type { ResolvedMasterOptions } from './options.ts';
import { openResources, reusePortSlots } from './resources.ts';
import type { MasterResources } from './resources.ts';
import type { Runtime } from './runtime.ts';
import { launcherConfigFrom } from './spawn/launcher.ts';
import type { LauncherConfig } from './spawn/launcher.ts';
import { findPdeathsigHelper } from './spawn/pdeathsig.ts';
import { which } from './spawn/which.ts';

/** What a started master holds, and how it spawns workers. */
export interface StartedMaster {
  /** The worker program's absolute path (`which`, once). */
  readonly file: string;
  readonly resources: MasterResources;
  readonly launcher: LauncherConfig;
}

/**
 * Everything `start()` does before the first spawn: resolve the program, look for setpriv
 * (`-k`), adopt systemd's sockets or bind, open the command socket and pidfile (einhorn's order,
 * see `openResources`), and assemble the launcher settings.
 * @throws what `which` and `openResources` throw; nothing is left open then
 */
export async function startUp(
  options: ResolvedMasterOptions,
  runtime: Runtime,
  dispatch: CommandDispatcher,
): Promise<StartedMaster> {
  const { log, generationEnv } = runtime;
  const file = await which(options.command, { env: options.env, cwd: options.cwd });
  let pdeathsigHelper: string | undefined;
  if (options.killWorkersOnExit) {
    pdeathsigHelper = await findPdeathsigHelper(options.shutdownSignal, options);
    if (pdeathsigHelper === undefined)
      log.info(
        'No setpriv with --pdeathsig here (util-linux >= 2.33, Linux); -k relies on the reaper process alone.',
      );
  }
  const systemd = options.socketActivation
    ? readSystemdSockets(options.env, process.pid)
    : undefined;
  const resources = await openResources(options, { dispatch, log, pid: process.pid, systemd });
  if (systemd !== undefined) {
    generationEnv.forget(SYSTEMD_ENV);
    log.info(
      `Adopted ${systemd.fds.length} listening sockets from systemd (${systemd.names.join(', ')}) instead of binding.`,
    );
  }
  const launcher = launcherConfigFrom(options, file, {
    listeners: {
      slots: reusePortSlots(options),
      fdsForSlot: (slot) => resources.listeners.fdsForSlot(slot),
    },
    env: () => generationEnv.current,
    pdeathsigHelper,
  });
  return { file, resources, launcher };
}
