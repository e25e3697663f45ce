import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EINHORN_NODE_VERSION } from './version.ts';

describe('EINHORN_NODE_VERSION', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(EINHORN_NODE_VERSION).toBe(pkg.version);
  });
});
