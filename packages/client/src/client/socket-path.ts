import { join, resolve } from 'node:path';
import type { EnvSource } from '@einhorn/core';

/**
 * Einhorn's default command socket path (docs/reference/protocol.md, "The command socket"):
 * `$TMPDIR/einhorn.sock`, or `einhorn-NAME.sock` for a master started with `-c NAME`. `TMPDIR`
 * falls back to `/tmp`, like Ruby's `Dir.tmpdir` (which also ignores a `TMPDIR` that is not a
 * usable directory; this function does not check).
 *
 * @param name - The master's `-c` name, used verbatim.
 * @param env - Where `TMPDIR` is read.
 * @returns An absolute path.
 * @example
 * defaultSocketPath('web', { TMPDIR: '/run/app' }); // '/run/app/einhorn-web.sock'
 */
export function defaultSocketPath(name?: string, env: EnvSource = process.env): string {
  const tmpdir = env['TMPDIR'];
  const directory = tmpdir === undefined || tmpdir === '' ? '/tmp' : resolve(tmpdir);
  return join(directory, name === undefined ? 'einhorn.sock' : `einhorn-${name}.sock`);
}
