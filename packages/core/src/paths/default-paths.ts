import { join } from 'node:path';
import type { EnvSource } from '../types.ts';
import { rubyTmpdir, type DirectoryProbe } from './tmpdir.ts';

/** Options of {@link defaultPaths}. */
export interface DefaultPathsOptions {
  /** The master's `-c NAME`: files become `einhorn-NAME.*`. Used verbatim. */
  readonly commandName?: string | undefined;
  /** Where `TMPDIR`, `TMP` and `TEMP` are read. @default process.env */
  readonly env?: EnvSource;
  /** Decides whether a candidate directory is usable. @default checks the file system like Ruby */
  readonly probe?: DirectoryProbe;
  /** Relative variables are resolved against it; also the last candidate. @default process.cwd() */
  readonly cwd?: string;
}

/** einhorn's default file locations. */
export interface DefaultPaths {
  /** The directory the files are in: Ruby's `Dir.tmpdir`. */
  readonly directory: string;
  /** Command socket (`-d`): `DIR/einhorn[-NAME].sock`. */
  readonly socket: string;
  /** Pidfile (`-e`): `DIR/einhorn[-NAME].pid`. */
  readonly pidfile: string;
  /** Lockfile (`-f`): `DIR/einhorn[-NAME].lock`. */
  readonly lockfile: string;
}

/**
 * The command socket, pidfile and lockfile paths einhorn uses when `-d`, `-e` and `-f` are not
 * given: `einhorn.sock`, `einhorn.pid`, `einhorn.lock` (or `einhorn-NAME.*` with `-c NAME`) in
 * Ruby's `Dir.tmpdir`, the first usable directory of `$TMPDIR`, `$TMP`, `$TEMP`, `/tmp` and the
 * working directory. The master and the client both use it, so they agree on where to meet.
 *
 * @param options - The command name and where the environment is read.
 * @returns Absolute paths.
 * @example
 * ```ts
 * defaultPaths({ commandName: 'web', env: { TMPDIR: '/run/app' } }).socket;
 * // '/run/app/einhorn-web.sock' (when /run/app is a writable directory)
 * ```
 */
export function defaultPaths(options: DefaultPathsOptions = {}): DefaultPaths {
  const { commandName, env = process.env, probe, cwd } = options;
  const directory = rubyTmpdir(env, probe, cwd);
  const base = commandName === undefined ? 'einhorn' : `einhorn-${commandName}`;
  return {
    directory,
    socket: join(directory, `${base}.sock`),
    pidfile: join(directory, `${base}.pid`),
    lockfile: join(directory, `${base}.lock`),
  };
}
