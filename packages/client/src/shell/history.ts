import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Most lines kept in the history file and in memory. */
export const HISTORY_LIMIT = 1000;

/** `~/.einhornsh_node_history`. */
export function defaultHistoryPath(): string {
  return join(homedir(), '.einhornsh_node_history');
}

/**
 * Reads the history file, oldest line first on disk.
 *
 * @returns Lines newest first, as `readline`'s `history` option wants them; `[]` when the file
 *   is missing or unreadable (history is a convenience, never a reason to fail).
 */
export async function loadHistory(path: string): Promise<string[]> {
  try {
    const text = await readFile(path, 'utf8');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-HISTORY_LIMIT)
      .reverse();
  } catch {
    return [];
  }
}

/**
 * Writes the history owner-only, oldest line first, keeping the newest {@link HISTORY_LIMIT}.
 *
 * @param newestFirst - `readline`'s history array.
 */
export async function saveHistory(path: string, newestFirst: readonly string[]): Promise<void> {
  const lines = newestFirst.slice(0, HISTORY_LIMIT).reverse();
  try {
    await writeFile(path, lines.length === 0 ? '' : `${lines.join('\n')}\n`, {
      mode: 0o600,
    });
  } catch {
    // Unwritable home directory: keep going without persistence.
  }
}
