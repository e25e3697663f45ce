import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('@einhorn/express public surface', () => {
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'createHealthHandler',
      'exposeWorkerInfo',
      'getWorkerInfo',
      'serveExpress',
    ]);
  });

  it('no published source imports express, so the public types never reference it (STYLE A2)', () => {
    const dir = import.meta.dirname;
    const sources = readdirSync(dir).filter(
      (name) => name.endsWith('.ts') && !name.includes('.test.') && !name.includes('.test-d.'),
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const name of sources) {
      expect(readFileSync(join(dir, name), 'utf8'), name).not.toMatch(
        /^\s*(import|export)\b[^;]*['"]express['"]|import\(['"]express['"]\)/m,
      );
    }
  });
});
