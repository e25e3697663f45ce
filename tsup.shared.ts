import type { Options } from 'tsup';

/**
 * What the tarballs contain: minified code that keeps every function and class name (stack traces
 * and `error.name` read as in the source), no source maps and no `src/`. The three packages an
 * HTTP worker needs (core, worker, net) must stay within 200 kB unpacked together
 * (test/release/size.test.ts); unminified code alone takes
 * 231 kB, with maps 282 kB. The source of
 * every release is in the repository, at the directory named in each package's `repository`.
 */
const SHIPPED_CODE = {
  minify: true,
  keepNames: true,
  sourcemap: false,
} satisfies Options;

/**
 * The published layout every package shares (see docs/contributing/releasing.md):
 *
 * - the implementation is built once, as CommonJS with shared chunks (`dist/<entry>.cjs`), typed
 *   by `dist/<entry>.d.cts`;
 * - the `import` condition loads `dist/<entry>.js`, an ES module that re-exports the CommonJS
 *   build by name, typed by `dist/<entry>.d.ts` (`export * from './<entry>.cjs'`); both are
 *   written after tsup by scripts/esm-wrappers.mjs from the package's `exports`.
 *
 * One copy of the code means one copy of every class and of every module-level state: an app
 * that both imports and requires `@einhorn/core` gets one `EinhornError`, and `@einhorn/worker`
 * registers its signal handlers once (no dual-package hazard). It also halves the tarballs.
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    format: ['cjs'],
    dts: true,
    tsconfig: 'tsconfig.build.json',
    target: 'node20',
    platform: 'node',
    clean: true,
    splitting: true,
    treeshake: true,
    ...SHIPPED_CODE,
    ...overrides,
  };
}

/**
 * The `einhorn-node` bin: one CommonJS file with `@einhorn/core` compiled in from its sources (the
 * `@einhorn/source` export condition), so that starting the master resolves no package and runs
 * no ES module loader, and only the parts of core the master uses are in it. Optional peers
 * (`yaml`) stay external and load lazily.
 *
 * Whitespace and syntax are minified, identifiers are not: functions and classes keep their
 * names without `keepNames`, whose `__name()` call for every function at load time leaves that
 * many more objects alive when V8 first collects the young generation, which then grows it
 * (~0.7 MiB; bundling saves ~2.6 MiB more). Start-up also avoids `path` work: each character
 * that `path.resolve()` normalises is a call of Node's `isPosixPathSeparator`, and after a few
 * hundred V8 compiles it with Maglev, paging in ~2 MiB of the compiler. The master's RSS has a
 * 50 MiB budget (benchmark B9).
 */
export function standaloneBinBuild(entry: Record<string, string>): Options {
  return {
    ...binBuild(entry),
    format: ['cjs'],
    noExternal: ['@einhorn/core'],
    minify: false,
    keepNames: false,
    esbuildOptions(options) {
      options.minifyWhitespace = true;
      options.minifySyntax = true;
      options.conditions = ['@einhorn/source'];
      // core's lazy `createRequire(import.meta.url)` needs the file it ends up in. tsup's shim
      // would compute a file URL at load time, one more `path.resolve()` of this file's path at
      // start-up (see standaloneBinBuild's comment); `createRequire` takes the path itself.
      options.define = { ...options.define, 'import.meta.url': '__filename' };
    },
  };
}

/**
 * An ES-module-only build for a package's bins (`dist/<bin>.js`). A bin runs in its own process,
 * so bundling the package's code into it again creates no second instance that anyone can see.
 */
export function binBuild(entry: Record<string, string>): Options {
  return {
    entry,
    format: ['esm'],
    dts: false,
    tsconfig: 'tsconfig.build.json',
    target: 'node20',
    platform: 'node',
    clean: false,
    splitting: false,
    treeshake: true,
    ...SHIPPED_CODE,
  };
}
