import { defineConfig } from 'vitest/config';

const sourceConditions = ['@einhorn/source', 'node', 'import', 'module', 'default'];

/** Unit tests run on each package's TypeScript sources through the `@einhorn/source` condition. */
export function packageTests(root: string) {
  return defineConfig({
    root,
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
    test: {
      include: ['src/**/*.test.ts'],
      typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
      testTimeout: 20_000,
      hookTimeout: 20_000,
      reporters: ['default', 'json'],
      outputFile: { json: `${root}/../../.test-results/${root.split('/').slice(-2).join('-')}.json` },
    },
  });
}
