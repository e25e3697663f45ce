import type { EnvSource } from '@einhorn/core';
import { defaultPaths } from '@einhorn/core/paths';

/** einhorn's default file locations (docs/reference/protocol.md, "The command socket"). */
export interface MasterPaths {
  /** `DIR/einhorn[-NAME].sock` */
  readonly socket: string;
  /** `DIR/einhorn[-NAME].pid` */
  readonly pidfile: string;
  /** `DIR/einhorn[-NAME].lock` */
  readonly lockfile: string;
}

/**
 * Default socket, pidfile and lockfile paths for `-c NAME` in Ruby's `Dir.tmpdir` (the first
 * usable of `$TMPDIR`, `$TMP`, `$TEMP`, `/tmp`), from `@einhorn/core/paths` like the client's.
 */
export function defaultMasterPaths(
  name: string | undefined,
  env: EnvSource = process.env,
): MasterPaths {
  const { socket, pidfile, lockfile } = defaultPaths({ commandName: name, env });
  return { socket, pidfile, lockfile };
}
