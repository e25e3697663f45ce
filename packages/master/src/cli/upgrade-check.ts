import { writeSync } from 'node:fs';
import { UPGRADE_CHECK_FD_ENV } from '../upgrade/upgrade-check.ts';

/**
 * `einhorn-node --upgrade-check`: the pre-flight a master runs before each upgrade (einhorn's
 * `can_safely_reload?`). Reaching this point proves the re-exec command line starts einhorn-node;
 * when the master asked for it (an fd number in `EINHORN_NODE_UPGRADE_CHECK_FD`), the environment
 * this process got is written there as JSON, so the master learns what the command line set.
 * @returns The exit status: 0, or 1 when the report cannot be written.
 */
export function runUpgradeCheckMode(
  env: NodeJS.ProcessEnv,
  log: (message: string) => void,
): number {
  log(`Running under Node ${process.version}`);
  const fdText = env[UPGRADE_CHECK_FD_ENV];
  if (fdText === undefined) return 0;
  const fd = Number(fdText);
  if (!Number.isInteger(fd) || fd < 3) return 0;
  const report: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && name !== UPGRADE_CHECK_FD_ENV) report[name] = value;
  const data = Buffer.from(JSON.stringify(report));
  try {
    for (let offset = 0; offset < data.length;)
      offset += writeSync(fd, data, offset, data.length - offset);
  } catch (error) {
    log(`Could not report the environment on fd ${fd}: ${String(error)}`);
    return 1;
  }
  return 0;
}
