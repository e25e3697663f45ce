import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/fake-master.test-helpers.ts';
import { HISTORY_LIMIT, loadHistory, saveHistory } from './history.ts';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  await cleanup();
});

describe('history file', () => {
  it('loads newest first and keeps only the newest HISTORY_LIMIT lines', async () => {
    const path = `${dir}/h`;
    await writeFile(
      path,
      `${Array.from({ length: HISTORY_LIMIT + 500 }, (_, i) => `cmd ${i}`).join('\n')}\n\n`,
    );
    const lines = await loadHistory(path);
    expect(lines).toHaveLength(HISTORY_LIMIT);
    expect(lines[0]).toBe(`cmd ${HISTORY_LIMIT + 499}`);
    expect(lines.at(-1)).toBe('cmd 500');
  });

  it('saves oldest first, bounded, owner-only', async () => {
    const path = `${dir}/h`;
    const newestFirst = Array.from(
      { length: HISTORY_LIMIT + 10 },
      (_, i) => `cmd ${HISTORY_LIMIT + 9 - i}`,
    );
    await saveHistory(path, newestFirst);
    const text = await readFile(path, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(HISTORY_LIMIT);
    expect(lines.at(-1)).toBe(`cmd ${HISTORY_LIMIT + 9}`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadHistory(path)).toEqual(newestFirst.slice(0, HISTORY_LIMIT));
  });

  it('treats a missing or unwritable file as no history', async () => {
    expect(await loadHistory(`${dir}/missing`)).toEqual([]);
    await expect(saveHistory(`${dir}/missing-dir/h`, ['x'])).resolves.toBeUndefined();
  });
});
