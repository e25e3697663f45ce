import { defineConfig } from 'vitest/config';

// The release project, run once (not per Node leg) by scripts/node-matrix.mjs: packs every
// package once (release/pack.global-setup.ts), checks the tarballs (release/) and installs them
// into fresh apps outside the workspace (consumer/), run on the Node in EINHORN_TEST_NODE.
export default defineConfig({
  test: {
    include: ['release/**/*.test.ts', 'consumer/**/*.test.ts'],
    globalSetup: ['./release/pack.global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    expect: { poll: { timeout: 30_000 } },
    reporters: ['default', 'json'],
    outputFile: { json: `${import.meta.dirname}/../.test-results/integration-release.json` },
  },
});
