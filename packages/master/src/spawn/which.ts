import { constants } from 'node:fs';
import { access, stat } from '../internal/fs-calls.ts';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { EinhornMasterError } from '@einhorn/core';
import type { EnvSource } from '@einhorn/core';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves the worker program once at start, like einhorn's `which`: a name with a `/` is taken
 * relative to `cwd`; a bare name is searched in `PATH`. Unlike einhorn, the file must also be
 * executable, so a typo fails at start instead of at every spawn.
 * @throws EinhornMasterError ERR_EINHORN_SPAWN_FAILED
 */
export async function which(
  command: string,
  options: { readonly env: EnvSource; readonly cwd: string },
): Promise<string> {
  if (command.includes('/')) {
    const path = isAbsolute(command) ? command : resolve(options.cwd, command);
    if (await isExecutableFile(path)) return path;
    throw new EinhornMasterError(
      'ERR_EINHORN_SPAWN_FAILED',
      `Could not find ${command}: ${path} is not an executable file; check the path and its permissions.`,
      { details: { command } },
    );
  }
  const dirs = (options.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) {
    const candidate = resolve(options.cwd, join(dir, command));
    if (await isExecutableFile(candidate)) return candidate;
  }
  throw new EinhornMasterError(
    'ERR_EINHORN_SPAWN_FAILED',
    `Could not find ${command} in PATH; install it or give its full path.`,
    { details: { command } },
  );
}
