import type { Options } from 'tsup';

/** The build every package shares: ESM + CJS with matching .d.ts/.d.cts, for Node 20+. */
export function packageBuild(overrides: Options = {}): Options {
  return {
    format: ['esm', 'cjs'],
    dts: true,
    tsconfig: 'tsconfig.build.json',
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...overrides,
  };
}
