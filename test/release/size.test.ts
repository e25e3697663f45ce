// Package sizes: the packages an HTTP worker needs stay within their budget, and the table in the
// root README is the one a fresh pack produces (scripts/package-sizes.mjs writes it).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, inject, it } from 'vitest';
import { REPO } from './pack.global-setup.ts';

const packed = inject('packed');
const WORKER_PACKAGES = ['@einhorn/core', '@einhorn/worker', '@einhorn/net'];
const BUDGET_BYTES = 200_000;

function table(entries: unknown): string {
  const file = join(tmpdir(), `einhorn-sizes-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(entries));
  const printed = spawnSync(
    process.execPath,
    [join(REPO, 'scripts/package-sizes.mjs'), '--print', file],
    { encoding: 'utf8' },
  );
  expect(printed.status, printed.stderr).toBe(0);
  return printed.stdout.trim();
}

describe('package sizes', () => {
  it(`core + worker + net stay within ${BUDGET_BYTES / 1000} kB unpacked`, () => {
    const worker = packed.filter((pkg) => WORKER_PACKAGES.includes(pkg.name));
    expect(worker.map((pkg) => pkg.name).sort()).toEqual([...WORKER_PACKAGES].sort());
    const total = worker.reduce((sum, pkg) => sum + pkg.unpackedSize, 0);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('the README table is what a fresh pack measures (npm run sizes rewrites it)', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain(table(packed));
    // Control: a package 1 kB larger changes the table.
    const bigger = packed.map((pkg, index) =>
      index === 0 ? { ...pkg, unpackedSize: pkg.unpackedSize + 1000 } : pkg,
    );
    expect(readme).not.toContain(table(bigger));
  });
});
