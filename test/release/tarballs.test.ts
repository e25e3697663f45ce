// The release dry run: every package under packages/*, packed as `npm publish` would, holds its
// build, README and LICENSE and nothing else, and every `exports` and `bin` target is inside.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO } from './pack.global-setup.ts';
import type { PackedPackage } from './pack.global-setup.ts';

const packed = inject('packed');

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly exports: unknown;
  readonly bin?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** A file from inside a tarball, as npm would install it. */
function fromTarball(pkg: PackedPackage, path: string): string {
  const read = spawnSync('tar', ['-xzOf', pkg.tarball, `package/${path}`], { encoding: 'utf8' });
  if (read.status !== 0) throw new Error(`${pkg.tarball} has no ${path}: ${read.stderr}`);
  return read.stdout;
}

/**
 * Every file an `exports` map can load, by condition. `@einhorn/source` is the workspace's
 * development condition (tsconfig customConditions, vitest): it names `src/`, which is not
 * published, and no consumer sets it.
 */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (typeof exports !== 'object' || exports === null) return [];
  return Object.entries(exports).flatMap(([key, value]) =>
    key === '@einhorn/source' ? [] : exportTargets(value),
  );
}

/** Files a published package must not contain. */
const FORBIDDEN = [
  /(^|\/)src\//,
  /\.test\./,
  /\.test-d\./,
  /test-helpers/,
  /\.map$/,
  /\.tsbuildinfo$/,
  /(^|\/)(tsconfig|tsup\.config|vitest\.config|typedoc)/,
];

function forbidden(files: readonly string[]): string[] {
  return files.filter((file) => FORBIDDEN.some((pattern) => pattern.test(file)));
}

describe('release dry run', () => {
  it('packs every directory under packages/*', () => {
    const dirs = readdirSync(join(REPO, 'packages')).map(
      (dir) =>
        (JSON.parse(readFileSync(join(REPO, 'packages', dir, 'package.json'), 'utf8')) as Manifest)
          .name,
    );
    expect(packed.map((pkg) => pkg.name).sort()).toEqual(dirs.sort());
  });

  it('the forbidden-file rule catches sources, tests, test helpers and maps (control)', () => {
    expect(
      forbidden([
        'src/index.ts',
        'dist/index.test-d.ts',
        'dist/x.test-helpers.d.ts',
        'dist/index.cjs.map',
        'dist/index.cjs',
        'README.md',
      ]),
    ).toEqual([
      'src/index.ts',
      'dist/index.test-d.ts',
      'dist/x.test-helpers.d.ts',
      'dist/index.cjs.map',
    ]);
  });

  for (const pkg of packed) {
    describe(pkg.name, () => {
      const manifest = JSON.parse(fromTarball(pkg, 'package.json')) as Manifest;

      it('ships its build, README and LICENSE, and no sources, tests or maps', () => {
        expect(forbidden(pkg.files)).toEqual([]);
        expect(pkg.files).toContain('README.md');
        expect(pkg.files).toContain('LICENSE');
        expect(pkg.files.filter((file) => !file.startsWith('dist/')).sort()).toEqual([
          'LICENSE',
          'README.md',
          'package.json',
        ]);
        expect(fromTarball(pkg, 'LICENSE')).toBe(readFileSync(join(REPO, 'LICENSE'), 'utf8'));
      });

      it('every exports and bin target is in the tarball, and every dist file is used', () => {
        const targets = [
          ...exportTargets(manifest.exports),
          ...Object.values(manifest.bin ?? {}),
        ].map((target) => target.replace(/^\.\//, ''));
        expect(targets.length).toBeGreaterThan(0);
        for (const target of targets) expect(pkg.files, target).toContain(target);
        // No unused bundle: each shipped .js/.cjs is an entry, a bin or a chunk an entry loads.
        const code = pkg.files.filter((file) => /\.c?js$/.test(file));
        const loaded = new Set(targets);
        for (const file of code) {
          if (loaded.has(file)) continue;
          const user = code.find(
            (other) =>
              other !== file && fromTarball(pkg, other).includes(`./${file.slice('dist/'.length)}`),
          );
          expect(user, `${file} is shipped but nothing loads it`).toBeDefined();
        }
      });

      it('bins have a node shebang; a CommonJS bin carries the @einhorn code it needs', () => {
        for (const bin of Object.values(manifest.bin ?? {})) {
          expect(bin).toMatch(/\.c?js$/);
          const text = fromTarball(pkg, bin.replace(/^\.\//, ''));
          expect(text).toMatch(/^#!\/usr\/bin\/env node\n/);
          // einhorn-node bundles @einhorn/core so that starting it resolves no package (B9).
          if (bin.endsWith('.cjs')) expect(text).not.toMatch(/require\(["']@einhorn\//);
        }
      });

      it('depends on the other @einhorn packages by caret range (changesets bumps them)', () => {
        for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
          if (!dep.startsWith('@einhorn/')) continue;
          const other = packed.find((candidate) => candidate.name === dep);
          expect(other, `${dep} is not one of the packed packages`).toBeDefined();
          expect(range).toBe(`^${other?.version ?? ''}`);
        }
      });
    });
  }
});
