import { defineConfig } from 'vitest/config';

// Only the source condition: vitest also hands these to Node as `--conditions`, and adding
// 'import' there would make require() load the ESM build of dual packages (Express 5's router
// then breaks on require('is-promise')).
const sourceConditions = ['@einhorn/source'];

/** Coverage floors a package's unit tests must keep (percent). */
export interface CoverageGate {
  readonly lines: number;
  readonly branches: number;
}

/** Unit tests run on each package's TypeScript sources through the `@einhorn/source` condition. */
export function packageTests(root: string, gate?: CoverageGate) {
  return defineConfig({
    root,
    resolve: { conditions: [...sourceConditions, 'node', 'import', 'module', 'default'] },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
    test: {
      include: ['src/**/*.test.ts'],
      typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
      testTimeout: 20_000,
      hookTimeout: 20_000,
      // expect.poll waits for an event; its 1 s default is too short on a loaded 2-core machine.
      expect: { poll: { timeout: 15_000 } },
      coverage: {
        enabled: gate !== undefined,
        provider: 'v8',
        include: ['src/**/*.ts'],
        // Test helpers are named `*.test-helpers.ts`; `*.test.*.ts` still covers the older
        // `http.test.util.ts` spelling until it is renamed.
        exclude: [
          'src/**/*.test.ts',
          'src/**/*.test-d.ts',
          'src/**/*.test-helpers.ts',
          'src/**/*.test.*.ts',
        ],
        reporter: ['text-summary'],
        ...(gate === undefined
          ? {}
          : { thresholds: { lines: gate.lines, branches: gate.branches } }),
      },
      reporters: ['default', 'json'],
      outputFile: {
        json: `${root}/../../.test-results/${root.split('/').slice(-2).join('-')}.json`,
      },
    },
  });
}
