import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvSource } from '@einhorn/core';

/** einhorn's default file locations (interface.rb:106-146). */
export interface MasterPaths {
  /** `$TMPDIR/einhorn[-NAME].sock` */
  readonly socket: string;
  /** `$TMPDIR/einhorn[-NAME].pid` */
  readonly pidfile: string;
  /** `$TMPDIR/einhorn[-NAME].lock` */
  readonly lockfile: string;
}

/** Default socket, pidfile and lockfile paths for `-c NAME`, honouring `$TMPDIR` like Ruby's `Dir.tmpdir`. */
export function defaultMasterPaths(
  name: string | undefined,
  env: EnvSource = process.env,
): MasterPaths {
  const dir = env['TMPDIR'] !== undefined && env['TMPDIR'] !== '' ? env['TMPDIR'] : tmpdir();
  const base = name === undefined ? 'einhorn' : `einhorn-${name}`;
  return {
    socket: join(dir, `${base}.sock`),
    pidfile: join(dir, `${base}.pid`),
    lockfile: join(dir, `${base}.lock`),
  };
}
