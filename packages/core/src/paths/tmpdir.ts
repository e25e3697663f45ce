import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EnvSource } from '../types.ts';

/** What the lookup of the default directory needs to know about a candidate directory. */
export interface DirectoryProbe {
  /** True when `path` is a directory the current user may create files in. */
  isUsable(path: string): boolean;
}

const WORLD_WRITABLE = 0o002;
const STICKY = 0o1000;
const USER_WRITE = 0o200;
const GROUP_WRITE = 0o020;

/**
 * Ruby's checks on a `Dir.tmpdir` candidate: an existing directory, writable by this process,
 * and not world-writable unless the sticky bit is set (Ruby warns and skips such a directory).
 * Writability is read from the mode bits and owner, as `File::Stat#writable?` does.
 */
export const fileSystemProbe: DirectoryProbe = {
  isUsable(path) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return false;
    }
    if (!stat.isDirectory()) return false;
    if ((stat.mode & WORLD_WRITABLE) !== 0 && (stat.mode & STICKY) === 0) return false;
    const uid = process.getuid?.();
    if (uid === undefined || uid === 0) return true;
    if (stat.uid === uid) return (stat.mode & USER_WRITE) !== 0;
    const groups = process.getgroups?.() ?? [];
    if (stat.gid === process.getgid?.() || groups.includes(stat.gid)) {
      return (stat.mode & GROUP_WRITE) !== 0;
    }
    return (stat.mode & WORLD_WRITABLE) !== 0;
  },
};

/**
 * Ruby's `Dir.tmpdir`, which einhorn uses for its default files: the first of `$TMPDIR`, `$TMP`,
 * `$TEMP`, `/tmp` and the working directory that is a usable directory (see
 * {@link fileSystemProbe}), made absolute. Empty variables are skipped, as in Ruby 3.2+ (Ruby 3.1
 * reads an empty one as the working directory). When nothing qualifies Ruby raises; this returns
 * `/tmp` so that a path can still be named in the error that follows.
 *
 * @param env - Where the variables are read.
 * @param probe - Decides whether a candidate is usable.
 * @param cwd - The working directory, the last candidate.
 * @returns An absolute directory path.
 */
export function rubyTmpdir(
  env: EnvSource,
  probe: DirectoryProbe = fileSystemProbe,
  cwd: string = process.cwd(),
): string {
  const fromEnv = ['TMPDIR', 'TMP', 'TEMP'].map((name) => env[name]);
  const candidates = [...fromEnv, '/tmp', cwd].filter(
    (dir): dir is string => dir !== undefined && dir !== '',
  );
  for (const dir of candidates) {
    const absolute = resolve(cwd, dir);
    if (probe.isUsable(absolute)) return absolute;
  }
  return '/tmp';
}
