import type { EnvSource } from '@einhorn/core';
import { defaultPaths } from '@einhorn/core/paths';

/**
 * Einhorn's default command socket path (docs/reference/protocol.md, "The command socket"):
 * `einhorn.sock`, or `einhorn-NAME.sock` for a master started with `-c NAME`, in Ruby's
 * `Dir.tmpdir`, the first usable directory of `$TMPDIR`, `$TMP`, `$TEMP` and `/tmp`. The master
 * computes its default the same way (`defaultPaths` from `@einhorn/core/paths`).
 *
 * @param name - The master's `-c` name, used verbatim.
 * @param env - Where `TMPDIR`, `TMP` and `TEMP` are read.
 * @returns An absolute path.
 * @example
 * defaultSocketPath('web', { TMPDIR: '/run/app' }); // '/run/app/einhorn-web.sock'
 */
export function defaultSocketPath(name?: string, env: EnvSource = process.env): string {
  return defaultPaths({ commandName: name, env }).socket;
}
