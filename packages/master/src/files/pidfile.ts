import { readTextFile, unlink, writeTextFile } from '../internal/fs-calls.ts';
import { EinhornError } from '@einhorn/core';

/**
 * Writes the pid with no trailing newline, as einhorn does (interface.rb:96-100).
 * @throws EinhornError ERR_EINHORN_INVALID_OPTIONS when the path cannot be written
 */
export async function writePidfile(path: string, pid: number): Promise<void> {
  try {
    await writeTextFile(path, String(pid), 0o644);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EinhornError(
      'ERR_EINHORN_INVALID_OPTIONS',
      `Expected a writable pidfile path, but writing ${path} failed (${reason}); fix -e / pidfilePath.`,
      { cause: error, details: { option: 'pidfilePath', path } },
    );
  }
}

/** Removes the pidfile only if it still holds our pid (another master may have replaced it). */
export async function removePidfile(path: string, pid: number): Promise<void> {
  const content = await readTextFile(path).catch(() => undefined);
  if (content?.trim() === String(pid)) await unlink(path).catch(() => undefined);
}
