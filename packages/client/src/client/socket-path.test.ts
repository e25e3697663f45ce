import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSocketPath } from './socket-path.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'einhorn-socket-path-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('defaultSocketPath (the command socket defaults, check 10)', () => {
  it('uses TMPDIR, with or without -c NAME', () => {
    expect(defaultSocketPath(undefined, { TMPDIR: dir })).toBe(join(dir, 'einhorn.sock'));
    expect(defaultSocketPath('web', { TMPDIR: `${dir}/` })).toBe(join(dir, 'einhorn-web.sock'));
  });

  it('with TMPDIR unset reads TMP like the master (Ruby Dir.tmpdir), not a fixed /tmp', () => {
    expect(defaultSocketPath('web', { TMP: dir })).toBe(join(dir, 'einhorn-web.sock'));
    expect(defaultSocketPath(undefined, { TMPDIR: '', TEMP: dir })).toBe(join(dir, 'einhorn.sock'));
  });

  it('skips a TMPDIR that is not a directory', () => {
    expect(defaultSocketPath('x', { TMPDIR: join(dir, 'missing'), TMP: dir })).toBe(
      join(dir, 'einhorn-x.sock'),
    );
  });
});
