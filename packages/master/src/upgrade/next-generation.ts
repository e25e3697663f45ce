import type { LogBus } from '../log/log-bus.ts';
import type { GenerationEnv } from './generation-env.ts';
import { runUpgradeCheck } from './upgrade-check.ts';

/** The outcome of preparing the next generation: commit it, or why it cannot start. */
export type PreparedGeneration =
  { readonly ok: true; commit(): void } | { readonly ok: false; readonly reason: string };

/** einhorn's log line when the upgrade check fails (command.rb, `reload`). */
export const RELOAD_ABORTED = 'Can not initiate einhorn master reload safely, aborting';

/**
 * Returns the step every upgrade and reload runs first, standing in for einhorn's re-exec: with a
 * re-exec command line, the upgrade check (abort on failure) and the environment it reports;
 * without one, the restored environment (start-up environment minus `--drop-env-var`).
 */
export function nextGenerationPlanner(config: {
  readonly env: GenerationEnv;
  readonly reexecCommand: readonly string[] | undefined;
  readonly program: readonly string[];
  readonly cwd: string;
  readonly log: LogBus;
}): () => Promise<PreparedGeneration> {
  return async () => {
    const restored = config.env.restored();
    if (config.reexecCommand === undefined)
      return {
        ok: true,
        commit: () => {
          config.env.adopt(restored);
        },
      };
    config.log.info(
      `Checking that einhorn could reload: running ${config.reexecCommand.join(' ')} --upgrade-check, then --with-state-fd for the next generation's environment`,
    );
    const result = await runUpgradeCheck({
      commandLine: config.reexecCommand,
      program: config.program,
      env: restored,
      cwd: config.cwd,
    });
    if (!result.ok) {
      config.log.error(RELOAD_ABORTED);
      return {
        ok: false,
        reason: `Upgrade aborted: ${result.reason}. ${RELOAD_ABORTED}; the old workers are kept. Fix the re-exec command line (--reexec-as) and upgrade again.`,
      };
    }
    if (result.env === undefined)
      config.log.error(
        `The upgrade check passed but reported no environment (is the re-exec command line einhorn-node?); the next workers get the restored start-up environment.`,
      );
    const next = result.env ?? restored;
    return {
      ok: true,
      commit: () => {
        config.env.adopt(next);
      },
    };
  };
}
