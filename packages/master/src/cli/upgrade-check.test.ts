import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStateFdMode } from './upgrade-check.ts';

describe('einhorn-node --with-state-fd', () => {
  it('writes the environment it got to FD as JSON and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'einhorn-state-fd-'));
    const file = join(dir, 'report');
    const fd = openSync(file, 'w');
    const logged: string[] = [];
    try {
      expect(
        runStateFdMode(String(fd), { VAR: 'b', EMPTY: undefined }, (m) => logged.push(m)),
      ).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ VAR: 'b' });
      expect(logged).toEqual([]);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not a descriptor number of 3 or more, and a closed descriptor', () => {
    const logged: string[] = [];
    expect(runStateFdMode('x', {}, (m) => logged.push(m))).toBe(1);
    expect(runStateFdMode('1', {}, (m) => logged.push(m))).toBe(1);
    expect(logged[0]).toMatch(/expects a descriptor number of 3 or more, got "x"/);
    const fd = openSync(tmpdir(), 'r');
    closeSync(fd);
    expect(runStateFdMode(String(fd), {}, (m) => logged.push(m))).toBe(1);
    expect(logged.at(-1)).toMatch(/Could not report the environment on fd/);
  });
});
