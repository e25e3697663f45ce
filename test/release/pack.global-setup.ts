// Packs every package under packages/* once, exactly as `npm publish` would (scripts/pack-all.mjs
// on the built dist), for the release dry run (test/release) and the consumer apps (test/consumer).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly tarball: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: readonly PackedPackage[];
  }
}

export const REPO = resolve(import.meta.dirname, '../..');

export default function setup(project: TestProject): () => void {
  const out = mkdtempSync(join(tmpdir(), 'einhorn-tarballs-'));
  const packed = spawnSync(
    process.execPath,
    [join(REPO, 'scripts/pack-all.mjs'), '--out', out, '--no-build'],
    { cwd: REPO, encoding: 'utf8' },
  );
  if (packed.status !== 0) throw new Error(`pack-all failed:\n${packed.stdout}${packed.stderr}`);
  project.provide(
    'packed',
    JSON.parse(readFileSync(join(out, 'packages.json'), 'utf8')) as PackedPackage[],
  );
  return () => {
    rmSync(out, { recursive: true, force: true });
  };
}
